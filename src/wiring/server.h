/*
 * server.h — the one place the server is assembled: config → store → core → app.
 *
 * The layers below never reach up for what they need: core/ gets the store, the
 * secrets and the media storage from here; app/ gets the core, the dialects' route
 * tables and their error renderer from here, as data and a function pointer. So app/
 * does not include dialects/, and a new dialect or area is one more table in
 * dialects/tables.c, not an edit of app/.
 *
 * main.c (serve), cli.c (the commands), the API test harness and the fuzz targets all
 * build the server with server_assemble(); none builds its own.
 *
 * The background job runner (jobs/) knows no job kind: server_assemble() registers each
 * area's table of kinds (server_register_job_kinds), so a new area's jobs are one more
 * line there.
 *
 *     struct server *s = server_assemble(&cfg, store);   // store: opened and migrated
 *     app_handle(server_app(s), req, resp);
 *     server_destroy(s);                                  // then store_close(store)
 */
#ifndef RENTD_SERVER_H
#define RENTD_SERVER_H

#include "app/app.h"
#include "app/config.h"
#include "core/core.h"
#include "store/store.h"

struct server;

/*
 * Fills cfg's derived settings (public_url from the listen address, secret_file,
 * contract_key_file and media_dir beside the database), loads the secrets and the
 * contract-sealing key, opens the media storage, starts
 * the core on store and builds the app over the dialects' route tables. The store stays
 * the caller's and must outlive the server. NULL (logged) on failure.
 */
struct server *server_assemble(const struct config *cfg, struct store *store);
/*
 * Registers every area's job kinds with jobs_register(): media, notify, listings. Once
 * per process, however often it is called (server_assemble calls it); -1 (logged) when
 * the registry refused a kind, on every call.
 */
int server_register_job_kinds(void);

/* Stops the core (joins its pool), then frees the media storage and the app. NULL: no-op. */
void server_destroy(struct server *s);

struct app *server_app(struct server *s);
struct core *server_core(struct server *s);

/*
 * The contract-sealing key of the installation cfg describes (RENTD_CONTRACT_KEY, or the key
 * file, created when missing: 'contract-key' beside the database by default), without
 * opening the database: `rentd contract public-key` and `rentd contract verify`. -1 (logged).
 */
int server_contract_key(const struct config *cfg, struct contract_key *out);

#endif
