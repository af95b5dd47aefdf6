/*
 * cli.h — the operator's commands beside `serve`: bootstrap a company, manage an
 * employee's credentials, issue a checkin token, seed the demo company.
 *
 *   rentd company create --name NAME --admin-username USER --admin-password PASS
 *   rentd employee create --company ID --username USER --password PASS
 *                         [--office ID] [--right-profile NAME] [--email E]
 *                         [--first-name F] [--last-name L] [--personal-number N]
 *   rentd employee password --username USER --password PASS
 *   rentd employee totp --username USER on|off
 *   rentd employee device-verification --username USER on|off
 *   rentd checkin-token --username USER --personal-number N
 *   rentd invitations list
 *   rentd account remind-availabilities ACCOUNT_ID
 *   rentd seed --accounts N [--events M]
 *
 * Each prints one JSON object on stdout. Database options (--database, …) are
 * those of `serve`.
 */
#ifndef RENTD_CLI_H
#define RENTD_CLI_H

#include "app/config.h"

/* argv[1] is the command; returns the process exit status, or -1 if argv is not a CLI command. */
int cli_main(int argc, char **argv);

/* Creates the demo company when the database has none, printing its admin's credentials. */
int cli_seed_demo(const struct config *cfg);

#endif
