/*
 * portal.h — the applicant portal's routes (dialects/portal.c, docs/PORTAL.md).
 */
#ifndef RENTD_PORTAL_H
#define RENTD_PORTAL_H

#include "app/app.h"
#include "app/config.h"

/* Registers {prefix} and {prefix}/portal/{file} unless the portal is off; -1 on a route conflict. */
int portal_add_routes(struct app *app, const struct config *cfg);

#endif
