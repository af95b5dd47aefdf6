/*
 * webhook_send.c — the sending of webhook events (webhooks.h, "Delivery"; docs/WEBHOOKS.md):
 * the settings, the appending transaction's hook, the request with its signature, and the
 * two job kinds.
 *
 * The ordered job runs for a slice of SLICE_SECONDS at most, then puts itself back, so the
 * one job worker of a default server still runs the other kinds in between. Within the slice
 * it keeps up to `concurrency` subscriptions in libcurl's multi interface, one request in
 * flight each, and after every round of answers records them in one transaction.
 */
#include "core/webhooks/webhooks.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "core/events.h"
#include "core/transaction.h"
#include "core/webhooks/webhook_target.h"
#include "store/store_jobs.h"
#include "store/webhooks/store_webhook_send.h"

#define SLICE_SECONDS 5
#define BATCH 64       /* events read at once for a subscription */
#define RECORD_MS 20    /* answers are recorded at least this often … */
#define RECORD_MAX 256  /* … or when this many wait */
#define FILL_MS 100     /* free slots look for due subscriptions this often */
#define PRUNE_ROWS 5000 /* log rows past WEBHOOK_LOG_KEEP_DAYS removed by one run at most */

static struct webhook_settings settings = {
	.retry_interval = 300,
	.give_up = 7 * 24 * 3600,
	.timeout = 10,
	.connect_timeout = 5,
	.concurrency = 16,
};

void webhooks_configure(const struct webhook_settings *s)
{
	settings = *s;
	if (settings.concurrency == 0)
		settings.concurrency = 1;
}

const struct webhook_settings *webhooks_settings(void)
{
	return &settings;
}

/* ---- the appending transaction ---- */

int webhooks_event_appended(struct core *c, const struct event_new *e, int64_t seq, struct error *err)
{
	unsigned bit = webhook_event_bit(str_from_cstr(e->type));
	bool marked;

	if (!bit || !e->company_id)
		return 0;
	if (store_webhook_mark_head(c->store, e->company_id, bit, seq, &marked, err) < 0)
		return -1;
	return marked ? store_webhook_queue_job(c->store, WEBHOOK_JOB_DELIVERY, core_now(), err) : 0;
}

int webhooks_queue_pending(struct core *c, struct error *err)
{
	int64_t next_us;
	if (store_webhook_next_due(c->store, &next_us, err) < 0)
		return -1;
	return next_us ? store_webhook_queue_job(c->store, WEBHOOK_JOB_DELIVERY, (next_us + 999999) / 1000000, err) : 0;
}

int webhooks_resume(struct core *c, struct error *err)
{
	IN_TRANSACTION(c, err, webhooks_queue_pending(c, err));
	return 0;
}

/* ---- one request ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct request {
	CURL *h;
	struct curl_slist *headers, *resolve;
	char *body;
	char errbuf[CURL_ERROR_SIZE];
	char refused[256]; /* why the addresses were refused; "" when none was */
	char response[WEBHOOK_RESPONSE_KEEP];
	size_t kept, read;
	int64_t started_us;
};

/* libcurl asks before each connection: the address it is about to connect is checked here. */
static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *address)
{
	struct request *r = arg;
	char why[96];
	(void)purpose;
	if (!webhook_address_allowed(&address->addr, settings.allow_loopback, why, sizeof(why))) {
		/* every address refused is named: "address ::1 is loopback, address 127.0.0.1 is loopback" */
		size_t used = strlen(r->refused);
		snprintf(r->refused + used, sizeof(r->refused) - used, "%s%s", used ? ", " : "", why);
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

static size_t keep_response(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct request *r = arg;
	size_t len = size * nmemb, room = sizeof(r->response) - r->kept;

	memcpy(r->response + r->kept, ptr, len < room ? len : room);
	r->kept += len < room ? len : room;
	r->read += len;
	return r->read > WEBHOOK_RESPONSE_READ ? 0 : len; /* 0 ends the transfer: enough was read */
}

/* "<hex HMAC-SHA256 of <t>.<body> with key>" */
static void sign(char hex[65], struct str key, int64_t t, const char *body, size_t len)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char stamp[24];
	int n = snprintf(stamp, sizeof(stamp), "%lld.", (long long)t);

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key.ptr, key.len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, (size_t)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, 65, mac, sizeof(mac));
}

/* The body: the stored §13 payload with the event's uuid as its first member. */
static char *event_body(struct arena *a, const struct webhook_event_row *e)
{
	struct str p = str_trim(e->payload);
	bool empty = p.len < 2 || str_trim((struct str){ p.ptr + 1, p.len - 2 }).len == 0;
	return arena_printf(a, "{\"uuid\":\"%.*s\"%s%.*s", STR_FMT(e->uuid), empty ? "}" : ",",
			    empty ? 0 : (int)(p.len - 1), p.ptr + 1);
}

/* Sets up r's handle for one POST of body to t; 0, or -1 when libcurl cannot. */
static int request_init(struct request *r, struct arena *a, const struct webhook_target_row *t, struct str uuid,
			struct str type, char *body, int64_t now_us)
{
	char sig[65], previous[65];
	int64_t stamp = now_us / 1000000;
	const char *slist[] = {
		"Content-Type: application/json",
		"Expect:", /* no 100-continue round trip before the body */
		"User-Agent: rentd-webhooks/1",
		arena_printf(a, "Idempotency-Key: %.*s", STR_FMT(uuid)),
		arena_printf(a, "X-Webhook-Event: %.*s", STR_FMT(type)),
		NULL,
	};

	memset(r, 0, sizeof(*r));
	r->body = body;
	sign(sig, t->secret, stamp, body, strlen(body));
	if (t->previous_secret.len && t->previous_until_us > now_us) {
		sign(previous, t->previous_secret, stamp, body, strlen(body));
		slist[5] = arena_printf(a, "X-Webhook-Signature: t=%lld,v1=%s,v1=%s", (long long)stamp, sig, previous);
	} else {
		slist[5] = arena_printf(a, "X-Webhook-Signature: t=%lld,v1=%s", (long long)stamp, sig);
	}
	for (size_t i = 0; i < 6; i++) {
		struct curl_slist *l = curl_slist_append(r->headers, slist[i]);
		if (!l)
			goto fail;
		r->headers = l;
	}
	for (const char *p = settings.resolve; p && *p;) { /* "host:port:address,…" */
		size_t len = strcspn(p, ",");
		struct curl_slist *l = curl_slist_append(r->resolve, arena_strndup(a, p, len));
		if (!l)
			goto fail;
		r->resolve = l;
		p += len + (p[len] == ',');
	}
	pthread_once(&curl_once, curl_setup);
	if (!(r->h = curl_easy_init()))
		goto fail;
	if (r->resolve)
		curl_easy_setopt(r->h, CURLOPT_RESOLVE, r->resolve);
	curl_easy_setopt(r->h, CURLOPT_URL, arena_strdup_str(a, t->url));
	curl_easy_setopt(r->h, CURLOPT_PROTOCOLS_STR, settings.allow_http ? "http,https" : "https");
	curl_easy_setopt(r->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(r->h, CURLOPT_PROXY, ""); /* the environment's proxy would hide the address */
	curl_easy_setopt(r->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->h, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(r->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(r->h, CURLOPT_TIMEOUT_MS, (long)(settings.timeout * 1000));
	curl_easy_setopt(r->h, CURLOPT_CONNECTTIMEOUT_MS, (long)(settings.connect_timeout * 1000));
	curl_easy_setopt(r->h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(r->h, CURLOPT_OPENSOCKETDATA, r);
	curl_easy_setopt(r->h, CURLOPT_WRITEFUNCTION, keep_response);
	curl_easy_setopt(r->h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->h, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->h, CURLOPT_PRIVATE, r);
	r->started_us = core_now_us();
	return 0;
fail:
	curl_slist_free_all(r->headers);
	curl_slist_free_all(r->resolve);
	r->headers = r->resolve = NULL;
	return -1;
}

static void request_free(struct request *r)
{
	if (r->h)
		curl_easy_cleanup(r->h);
	curl_slist_free_all(r->headers);
	curl_slist_free_all(r->resolve);
	r->h = NULL;
	r->headers = r->resolve = NULL;
}

/* What became of the request (code: libcurl's) as an attempt of the log; true when delivered. */
static bool request_outcome(struct request *r, struct arena *a, CURLcode code, struct webhook_attempt_row *out)
{
	long status = 0;

	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &status);
	out->status = (int)status;
	out->latency_us = core_now_us() - r->started_us;
	out->response = arena_str_copy(a, (struct str){ r->response, r->kept });
	if (status >= 200 && status <= 299 && (code == CURLE_OK || code == CURLE_WRITE_ERROR)) {
		out->outcome = "delivered";
		return true;
	}
	if (r->refused[0]) {
		out->outcome = "refused";
		out->error = str_from_cstr(arena_strndup(a, r->refused, strlen(r->refused)));
	} else if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && r->read > WEBHOOK_RESPONSE_READ)) {
		out->outcome = "failed";
		out->error = str_from_cstr(arena_printf(a, "answered %ld", status));
	} else if (code == CURLE_OPERATION_TIMEDOUT) {
		out->outcome = "failed";
		out->error = str_from_cstr(arena_printf(a, "timed out after %lld s", (long long)settings.timeout));
	} else {
		out->outcome = "failed";
		out->error = str_from_cstr(arena_printf(a, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(code)));
	}
	return false;
}

/* ---- the ordered sending ---- */

struct slot {
	bool busy;
	struct arena *arena; /* the subscription's row and its batch of events */
	struct webhook_target_row t;
	struct webhook_event_row *ev;
	size_t nev, next;
	int64_t next_attempt_us;
	struct request r;
};

/* A change to record: an attempt (attempt.outcome NULL: none) and where its subscription stands. */
struct change {
	struct webhook_attempt_row attempt;
	int64_t id, position, head_attempts, next_attempt_us, failing_since_us;
};

struct run {
	struct core *c;
	struct arena *a;    /* the round's changes */
	struct arena *due;  /* the subscriptions read by fill() */
	CURLM *multi;
	struct slot *slots;
	unsigned nslots;
	struct change *changes;
	size_t nchanges, cap;
};

static void note(struct run *run, const struct slot *s, const struct webhook_attempt_row *attempt)
{
	struct change *ch;

	if (run->nchanges == run->cap) {
		size_t cap = run->cap ? run->cap * 2 : 64;
		struct change *n = arena_alloc(run->a, cap * sizeof(*n));
		if (run->nchanges)
			memcpy(n, run->changes, run->nchanges * sizeof(*n));
		run->changes = n;
		run->cap = cap;
	}
	ch = &run->changes[run->nchanges++];
	memset(ch, 0, sizeof(*ch));
	if (attempt) { /* copied: the slot's arena may go before the round is recorded */
		ch->attempt = *attempt;
		ch->attempt.event_uuid = arena_str_copy(run->a, attempt->event_uuid);
		ch->attempt.event_type = arena_str_copy(run->a, attempt->event_type);
		ch->attempt.error = arena_str_copy(run->a, attempt->error);
		ch->attempt.response = arena_str_copy(run->a, attempt->response);
	}
	ch->id = s->t.id;
	ch->position = s->t.position;
	ch->head_attempts = s->t.head_attempts;
	ch->next_attempt_us = s->next_attempt_us;
	ch->failing_since_us = s->t.failing_since_us;
}

static int record_rows(struct run *run, struct error *err)
{
	for (size_t i = 0; i < run->nchanges; i++) {
		const struct change *ch = &run->changes[i];
		if (ch->attempt.outcome && store_webhook_log(run->c->store, &ch->attempt, err) < 0)
			return -1;
		if (store_webhook_progress(run->c->store, ch->id, ch->position, ch->head_attempts, ch->next_attempt_us,
					   ch->failing_since_us, err) < 0)
			return -1;
	}
	return 0;
}

/* The round's changes in one transaction. */
static int record(struct run *run, struct error *err)
{
	if (run->nchanges == 0)
		return 0;
	if (store_begin(run->c->store, err) < 0 || core_transaction_end(run->c, record_rows(run, err), err) < 0)
		return -1;
	run->nchanges = 0;
	run->cap = 0;
	run->changes = NULL;
	arena_reset(run->a);
	return 0;
}

static void slot_free(struct slot *s)
{
	request_free(&s->r);
	arena_destroy(s->arena);
	memset(s, 0, sizeof(*s));
}

static struct webhook_attempt_row attempt_of(const struct slot *s, const struct webhook_event_row *e, int64_t now_us)
{
	return (struct webhook_attempt_row){
		.subscription_id = s->t.id,
		.event_seq = e->seq,
		.event_uuid = e->uuid,
		.event_type = e->type,
		.attempt = s->t.head_attempts + 1,
		.attempted_us = now_us,
	};
}

/*
 * Starts the slot's next request, reading its next events when the batch is used up. An event
 * older than the horizon while the receiver is failing is given up unsent. Returns 1 when a
 * request is in flight, 0 when the subscription has nothing more (the slot is freed).
 */
static int slot_advance(struct run *run, struct slot *s, struct error *err)
{
	int64_t now_us = core_now_us();

	for (;;) {
		const struct webhook_event_row *e;
		if (s->next == s->nev) {
			s->next = s->nev = 0;
			if (store_webhook_events(run->c->store, s->arena, s->t.company_id, s->t.position, s->t.head_seq,
						 BATCH, &s->ev, &s->nev, err) < 0)
				return -1;
			if (s->nev == 0) { /* the types it no longer wants, or nothing left: caught up */
				s->t.position = s->t.head_seq;
				s->t.head_attempts = 0;
				note(run, s, NULL);
				slot_free(s);
				return 0;
			}
		}
		e = &s->ev[s->next];
		if (!(s->t.events & webhook_event_bit(e->type))) { /* a type it has stopped wanting */
			s->t.position = e->seq;
			s->next++;
			continue;
		}
		if (s->t.failing_since_us && s->t.head_attempts == 0 &&
		    now_us - e->occurred_us >= settings.give_up * 1000000) {
			struct webhook_attempt_row at = attempt_of(s, e, now_us);
			at.attempt = 0;
			at.outcome = "gave_up";
			at.error = str_from_cstr("not sent: older than the retry horizon while the receiver was failing");
			s->t.position = e->seq;
			s->next++;
			note(run, s, &at);
			continue;
		}
		request_free(&s->r);
		if (request_init(&s->r, s->arena, &s->t, e->uuid, e->type, event_body(s->arena, e), now_us) < 0 ||
		    curl_multi_add_handle(run->multi, s->r.h) != CURLM_OK)
			return error_set(err, ERROR_INTERNAL, NULL, "cannot start a request");
		return 1;
	}
}

/* An answer (or its absence) for the slot's current event. */
static void slot_answered(struct run *run, struct slot *s, CURLcode code)
{
	const struct webhook_event_row *e = &s->ev[s->next];
	int64_t now_us = core_now_us();
	struct webhook_attempt_row at = attempt_of(s, e, s->r.started_us);

	curl_multi_remove_handle(run->multi, s->r.h);
	if (request_outcome(&s->r, s->arena, code, &at)) {
		s->t.position = e->seq;
		s->t.head_attempts = 0;
		s->t.failing_since_us = 0;
		s->next_attempt_us = 0;
		s->next++;
	} else if (now_us - e->occurred_us >= settings.give_up * 1000000) {
		at.outcome = "gave_up";
		s->t.position = e->seq;
		s->t.head_attempts = 0;
		if (!s->t.failing_since_us)
			s->t.failing_since_us = now_us;
		s->next++;
	} else {
		s->t.head_attempts++;
		if (!s->t.failing_since_us)
			s->t.failing_since_us = now_us;
		s->next_attempt_us = now_us + settings.retry_interval * 1000000;
		log_info("webhooks: subscription %lld event %.*s attempt %lld %s: %.*s", (long long)s->t.id,
			 STR_FMT(e->uuid), (long long)at.attempt, at.outcome, STR_FMT(at.error));
	}
	note(run, s, &at);
	if (s->next_attempt_us) /* held until then */
		slot_free(s);
}

static bool slot_taken(const struct run *run, int64_t id)
{
	for (unsigned i = 0; i < run->nslots; i++)
		if (run->slots[i].busy && run->slots[i].t.id == id)
			return true;
	return false;
}

/* Takes due subscriptions into free slots and starts their requests. */
static int fill(struct run *run, struct error *err)
{
	struct webhook_target_row *due;
	size_t n;

	arena_reset(run->due);
	if (store_webhook_due(run->c->store, run->due, core_now_us(), (int64_t)run->nslots * 2, &due, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct slot *s = NULL;
		if (slot_taken(run, due[i].id))
			continue;
		for (unsigned k = 0; k < run->nslots && !s; k++)
			if (!run->slots[k].busy)
				s = &run->slots[k];
		if (!s)
			break;
		s->busy = true;
		s->arena = arena_create(16 * 1024);
		s->t = due[i];
		s->t.url = arena_str_copy(s->arena, due[i].url);
		s->t.secret = arena_str_copy(s->arena, due[i].secret);
		s->t.previous_secret = arena_str_copy(s->arena, due[i].previous_secret);
		if (slot_advance(run, s, err) < 0)
			return -1;
	}
	return 0;
}

static unsigned busy_slots(const struct run *run)
{
	unsigned n = 0;
	for (unsigned i = 0; i < run->nslots; i++)
		n += run->slots[i].busy;
	return n;
}

/* Lease: the slice and a last request's whole time, twice over. */
static int64_t lease_seconds(void)
{
	return 2 * (SLICE_SECONDS + settings.timeout + settings.connect_timeout);
}

/*
 * The end of a run, in one transaction that first takes the job's row, so an event appended
 * meanwhile either is seen here or finds the job done and queues it again.
 */
static int finish_rows(struct core *c, const struct job *job, bool more, struct error *err)
{
	int64_t next_us;

	if (store_job_extend(c->store, job->id, core_now() + lease_seconds(), err) < 0 ||
	    store_webhook_prune(c->store, core_now_us() - (int64_t)WEBHOOK_LOG_KEEP_DAYS * 86400 * 1000000, PRUNE_ROWS,
				err) < 0 ||
	    store_webhook_next_due(c->store, &next_us, err) < 0)
		return -1;
	if (next_us == 0)
		return store_job_done(c->store, job->id, err);
	if (more || next_us <= core_now_us())
		return store_job_retry(c->store, job->id, core_now(), str_from_cstr(""), err);
	return store_job_retry(c->store, job->id, (next_us + 999999) / 1000000, str_from_cstr(""), err);
}

static int run_delivery(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	(void)a;
	struct run run = { .c = c, .nslots = settings.concurrency };
	int64_t deadline = core_now_us() + SLICE_SECONDS * 1000000ll, extended = core_now();
	int64_t recorded_us = core_now_us(), filled_us = core_now_us();
	int rc = 0;

	if (store_job_extend(c->store, job->id, core_now() + lease_seconds(), err) < 0)
		return -1;
	pthread_once(&curl_once, curl_setup);
	run.multi = curl_multi_init();
	run.slots = calloc(run.nslots, sizeof(*run.slots));
	run.a = arena_create(16 * 1024);
	run.due = arena_create(4 * 1024);
	if (!run.multi || !run.slots || !run.a || !run.due) {
		rc = error_set(err, ERROR_INTERNAL, NULL, "cannot start the webhook sender");
		goto out;
	}
	if (fill(&run, err) < 0 || record(&run, err) < 0) {
		rc = -1;
		goto out;
	}
	while (busy_slots(&run) > 0) {
		int running, left, started = 0;
		int64_t now_us;
		CURLMsg *m;

		curl_multi_perform(run.multi, &running);
		while ((m = curl_multi_info_read(run.multi, &left))) {
			struct request *r;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
			for (unsigned i = 0; i < run.nslots; i++)
				if (run.slots[i].busy && &run.slots[i].r == r) {
					struct slot *s = &run.slots[i];
					int adv = 0;
					slot_answered(&run, s, m->data.result);
					if (s->busy && core_now_us() < deadline && (adv = slot_advance(&run, s, err)) < 0)
						rc = -1;
					else if (s->busy && core_now_us() >= deadline)
						slot_free(s);
					started += adv > 0;
					break;
				}
		}
		if (started) /* the next requests go out before anything is written */
			curl_multi_perform(run.multi, &running);
		now_us = core_now_us();
		/* the answers are recorded in rounds: every RECORD_MS, or sooner when many, or at the end */
		if (rc == 0 && (run.nchanges >= RECORD_MAX || now_us - recorded_us >= RECORD_MS * 1000 ||
				busy_slots(&run) == 0)) {
			recorded_us = now_us;
			if (record(&run, err) < 0)
				rc = -1;
			/* a subscription is taken again only after its last answer is recorded */
			else if (now_us < deadline && busy_slots(&run) < run.nslots && now_us - filled_us >= FILL_MS * 1000) {
				filled_us = now_us;
				if (fill(&run, err) < 0 || record(&run, err) < 0)
					rc = -1;
			}
		}
		if (rc == 0 && core_now() - extended >= lease_seconds() / 4) {
			extended = core_now();
			if (store_job_extend(c->store, job->id, extended + lease_seconds(), err) < 0)
				rc = -1;
		}
		if (rc < 0)
			break;
		/* a request started above may have been answered already: look before waiting */
		if (busy_slots(&run) > 0 && !started)
			curl_multi_poll(run.multi, NULL, 0, RECORD_MS, NULL);
	}
	if (rc == 0 && record(&run, err) < 0)
		rc = -1;
out:
	if (run.slots)
		for (unsigned i = 0; i < run.nslots; i++)
			if (run.slots[i].busy) {
				if (run.slots[i].r.h)
					curl_multi_remove_handle(run.multi, run.slots[i].r.h);
				slot_free(&run.slots[i]);
			}
	free(run.slots);
	if (run.multi)
		curl_multi_cleanup(run.multi);
	if (run.a)
		arena_destroy(run.a);
	if (run.due)
		arena_destroy(run.due);
	if (rc < 0)
		return -1; /* the runner retries the job; positions recorded so far stand */
	IN_TRANSACTION(c, err, finish_rows(c, job, core_now_us() >= deadline, err));
	return 1;
}

/* ---- one request asked for: a test event or a redelivery ---- */

static int parse_send(struct str p, int64_t *id, int64_t *seq, struct str *uuid, int64_t *created_us)
{
	const char *colon = memchr(p.ptr, ':', p.len);
	struct str rest;

	*seq = 0;
	*uuid = STR_NULL;
	*created_us = 0;
	if (!colon || str_to_int64((struct str){ p.ptr, (size_t)(colon - p.ptr) }, id) < 0)
		return -1;
	rest = (struct str){ colon + 1, p.len - (size_t)(colon - p.ptr) - 1 };
	if (rest.len > 5 && memcmp(rest.ptr, "test:", 5) == 0) {
		const char *c2 = memchr(rest.ptr + 5, ':', rest.len - 5);
		if (!c2)
			return -1;
		*uuid = (struct str){ rest.ptr + 5, (size_t)(c2 - rest.ptr - 5) };
		return str_to_int64((struct str){ c2 + 1, rest.len - (size_t)(c2 + 1 - rest.ptr) }, created_us);
	}
	return str_to_int64(rest, seq);
}

static int log_manual(struct core *c, const struct webhook_attempt_row *at, struct error *err)
{
	IN_TRANSACTION(c, err, store_webhook_log(c->store, at, err));
	return 0;
}

static int run_send(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	struct webhook_target_row t;
	struct webhook_event_row e;
	struct webhook_attempt_row at;
	struct request r;
	int64_t id, created_us;
	CURLcode code;
	int rc;

	if (parse_send(job->payload, &id, &e.seq, &e.uuid, &created_us) < 0)
		return error_set(err, ERROR_VALIDATION, NULL, "bad payload");
	if ((rc = store_webhook_target(c->store, a, id, &t, err)) <= 0)
		return rc; /* deleted since: nothing to send */
	if (e.seq) {
		if ((rc = store_webhook_event(c->store, a, t.company_id, e.seq, &e, err)) <= 0)
			return rc;
	} else {
		e.type = str_from_cstr("ping");
		e.occurred_us = created_us;
		e.payload = str_from_cstr(arena_printf(a, "{\"company_id\":%lld,\"created\":\"%s\",\"type\":\"ping\",\"webhook_id\":%lld}",
						       (long long)t.company_id,
						       events_time(a, created_us / 1000000 * 1000000, EVENT_TIME_Z),
						       (long long)t.id));
	}
	if (request_init(&r, a, &t, e.uuid, e.type, event_body(a, &e), core_now_us()) < 0)
		return error_set(err, ERROR_INTERNAL, NULL, "cannot start a request");
	code = curl_easy_perform(r.h);
	at = (struct webhook_attempt_row){ .subscription_id = t.id, .event_seq = e.seq, .event_uuid = e.uuid,
					   .event_type = e.type, .attempt = 1, .manual = true,
					   .attempted_us = r.started_us };
	request_outcome(&r, a, code, &at);
	request_free(&r);
	return log_manual(c, &at, err);
}

const struct job_kind webhook_job_kinds[] = {
	{ WEBHOOK_JOB_DELIVERY, run_delivery },
	{ WEBHOOK_JOB_SEND, run_send },
};
const size_t webhook_job_kinds_count = sizeof(webhook_job_kinds) / sizeof(webhook_job_kinds[0]);
