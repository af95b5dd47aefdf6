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
 *   rentd seed --applicants N
 *   rentd seed --applications N --listing ID[,ID…] [--offset K]   (seed/application_seed.h)
 *   rentd applicant create --email E --password P --first-name F --last-name L
 *                          (--personal-number N | --birth-date D) [--queues Q,Q]
 *   rentd demo reset-passwords      new passwords for the demo's users (demo_seed.h)
 *   rentd lottery verify LISTING_ID a drawn lottery checked, its order recomputed (core/market/lottery.h)
 *   rentd process close LISTING_ID[,ID…] [--early]
 *                                   ranks and offers (process_close(), core/market/process.h), timed
 *   rentd webhook create --company ID --url URL --events TYPE[,TYPE…] [--description D]
 *   rentd webhook list --company ID
 *   rentd webhook delete ID --company ID      (also test, rotate-secret)
 *   rentd webhook deliveries ID --company ID [--offset K] [--amount N]
 *                                   a company's webhook subscriptions (core/webhooks/webhooks.h)
 *   rentd contract public-key       the key that seals contracts (core/contracts/contract_key.h)
 *   rentd contract verify FILE.pdf [--public-key HEX]
 *                                   a signed contract, offline; exit 0 valid, 1 not (contract_seal.h)
 *
 * Each prints one JSON object on stdout. Database options (--database, …) are
 * those of `serve`.
 */
#ifndef RENTD_CLI_H
#define RENTD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "app/config.h"
#include "seed/demo_seed.h"

#define DEMO_USERS_MAX 8

/* argv[1] is the command; returns the process exit status, or -1 if argv is not a CLI command. */
int cli_main(int argc, char **argv);

/* What `serve --demo` found or made, for its start-up banner. */
struct cli_demo {
	bool created;                           /* this start made the demo */
	char passwords[DEMO_USERS_MAX][25];     /* created: demo_users[i]'s; wiped after the banner */
	struct demo_seed_result seeded;         /* created: what demo_seed() made */
	int64_t searchable;                     /* the cards public search shows now */
	int64_t project;                        /* a project whose page to show, 0: none */
};

/* Creates the demo when the database has no company, then reads what search shows. */
int cli_seed_demo(const struct config *cfg, struct cli_demo *out);

/*
 * The human part of a demo start (stdout, after the "rentd listening on URL" line):
 * the database, what the demo holds, its users (with their passwords on the first
 * start, else how to reset them with program), and three next commands. base: the
 * server's URL.
 */
void cli_demo_banner(FILE *f, const char *program, const struct config *cfg, const struct cli_demo *d,
		     const char *base);

#endif
