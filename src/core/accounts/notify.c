/*
 * notify.c — invitations, availability reminders and the delivery of queued e-mails
 * (core/accounts/notify.h): tokens and their hashes, the e-mail texts, SMTP through libcurl.
 */
#include "core/accounts/notify.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "core/accounts/accounts_events.h"
#include "core/transaction.h"
#include "store/accounts/store_accounts.h"
#include "store/media/store_media.h"
#include "store/identity/store_org.h"

#define EMAIL_MAX 254

/* ---- tokens ---- */

struct str notify_token_hash(struct arena *a, struct str token)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *hex = arena_alloc(a, sizeof(h) * 2 + 1);

	crypto_hash_sha256(h, (const unsigned char *)token.ptr, token.len);
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return (struct str){ hex, sizeof(h) * 2 };
}

void notify_token_new(char out[NOTIFY_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	char enc[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(enc, sizeof(enc), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	memcpy(out, enc, NOTIFY_TOKEN_LEN);
	out[NOTIFY_TOKEN_LEN] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

bool notify_token_shaped(struct str t)
{
	if (t.len != NOTIFY_TOKEN_LEN)
		return false;
	for (size_t i = 0; i < t.len; i++) {
		char ch = t.ptr[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_'))
			return false;
	}
	return true;
}

/* An address that can go into an SMTP envelope and a header as it is. */
static bool plain_address(struct str e)
{
	const char *at = e.len ? memchr(e.ptr, '@', e.len) : NULL;

	if (!at || at == e.ptr || at == e.ptr + e.len - 1 || e.len > EMAIL_MAX)
		return false;
	for (size_t i = 0; i < e.len; i++)
		if ((unsigned char)e.ptr[i] <= ' ' || strchr("<>\"(),;:[]\\", e.ptr[i]))
			return false;
	return true;
}

/* ---- texts ---- */

struct mail_text {
	const char *locale;
	const char *invite_subject;
	const char *invite_body; /* {account}, {link}, {days} */
	const char *remind_subject;
	const char *remind_body; /* {name}, {account} */
};

static const struct mail_text texts[] = {
	{ "en", "Your rentd landlord account",
	  "Hello,\n\nan account has been opened for {account}. Choose your password with this link:\n\n{link}\n\n"
	  "The link works once and for {days} days. Then log in with this e-mail address and your password.\n",
	  "Please update the availability of your listings",
	  "Hello {name},\n\nplease check the availability calendars of {account}'s listings and update them, so that tenants "
	  "see the dates that are really free.\n" },
	{ "es", "Tu cuenta de propietario en rentd",
	  "Hola:\n\nse ha abierto una cuenta para {account}. Elige tu contraseña con este enlace:\n\n{link}\n\n"
	  "El enlace funciona una sola vez durante {days} días. Después, entra con esta dirección de correo y tu "
	  "contraseña.\n",
	  "Actualiza la disponibilidad de tus anuncios",
	  "Hola {name}:\n\nrevisa los calendarios de disponibilidad de los anuncios de {account} y actualízalos para que los "
	  "inquilinos vean las fechas realmente libres.\n" },
	{ "sv", "Ditt hyresvärdskonto på rentd",
	  "Hej!\n\nEtt konto har öppnats för {account}. Välj ditt lösenord med den här länken:\n\n{link}\n\n"
	  "Länken fungerar en gång och i {days} dagar. Logga sedan in med den här e-postadressen och ditt lösenord.\n",
	  "Uppdatera tillgängligheten för dina annonser",
	  "Hej {name}!\n\nSe över tillgänglighetskalendrarna för {account}s annonser och uppdatera dem, så att hyresgäster ser "
	  "de datum som verkligen är lediga.\n" },
};

/* tmpl with each {key} replaced by its value (texts are ours, values are not: no format strings). */
struct var {
	const char *key, *val;
};

static struct str fill(struct arena *a, const char *tmpl, const struct var *vars, size_t nvars)
{
	struct buf b;

	buf_init(&b, a, strlen(tmpl) + 256);
	while (*tmpl) {
		size_t i;
		for (i = 0; i < nvars; i++) {
			size_t kl = strlen(vars[i].key);
			if (*tmpl == '{' && strncmp(tmpl + 1, vars[i].key, kl) == 0 && tmpl[kl + 1] == '}') {
				buf_append_cstr(&b, vars[i].val);
				tmpl += kl + 2;
				break;
			}
		}
		if (i == nvars)
			buf_putc(&b, *tmpl++);
	}
	return buf_str(&b);
}

static const struct mail_text *text_for(struct str locale)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (locale.len >= 2 && strncmp(locale.ptr, texts[i].locale, 2) == 0)
			return &texts[i];
	return &texts[0];
}

/* ---- invitations ---- */

static int queue_job(struct core *c, struct arena *a, int64_t notification_id, struct error *err)
{
	const char *payload = arena_printf(a, "%lld", (long long)notification_id);
	return store_job_insert(c->store, NOTIFY_JOB_KIND, str_from_cstr(payload), core_now(), err);
}

int notify_invite(struct core *c, struct arena *a, int64_t user_id, struct str email, struct str locale,
		  struct error *err)
{
	char token[NOTIFY_TOKEN_LEN + 1];
	const struct mail_text *t = text_for(locale);
	int64_t now = core_now();
	struct notification n;
	struct company co;
	struct user u;
	const char *link;
	int64_t inv_id, id;

	if (!plain_address(email))
		return error_set(err, ERROR_VALIDATION, NULL, "cannot send an invitation to '%.*s'", STR_FMT(email));
	if (store_user_get(c->store, a, user_id, &u, err) < 0 ||
	    store_company_get(c->store, a, u.company_id, &co, err) < 0)
		return -1;
	notify_token_new(token);
	if (store_invitation_insert(c->store, user_id, email, notify_token_hash(a, str_from_cstr(token)), now,
				    now + NOTIFY_INVITATION_TTL, &inv_id, err) < 0)
		return -1;
	link = arena_printf(a, "%s/invitations/%s", c->public_url ? c->public_url : "", token);
	memset(&n, 0, sizeof(n));
	n.kind = STR_LIT("invitation");
	n.company_id = co.id;
	n.invitation_id = inv_id;
	n.recipient = email;
	n.subject = str_from_cstr(t->invite_subject);
	{
		const struct var vars[] = { { "account", arena_strdup_str(a, co.name) }, { "link", link },
					  { "days", arena_printf(a, "%d", NOTIFY_INVITATION_TTL / 86400) } };
		n.body = fill(a, t->invite_body, vars, 3);
	}
	n.link = str_from_cstr(link);
	n.created_at = now;
	sodium_memzero(token, sizeof(token));
	if (store_notification_insert(c->store, &n, &id, err) < 0)
		return -1;
	return queue_job(c, a, id, err);
}

/* Why this invitation cannot be used now, if it cannot. */
static int usable(const struct invitation *inv, struct error *err)
{
	if (inv->used_at)
		return error_set(err, ERROR_PRECONDITION, "InvitationUsed",
				 "This invitation has been used already; log in with your password.");
	if (inv->expires_at <= core_now())
		return error_set(err, ERROR_PRECONDITION, "InvitationExpired",
				 "This invitation has expired; ask for a new one.");
	return 0;
}

static int find_invitation(struct core *c, struct arena *a, struct str token, struct invitation *out,
			   struct error *err)
{
	if (!notify_token_shaped(token))
		return error_set(err, ERROR_NOT_FOUND, "InvitationNotFound", "No such invitation.");
	if (store_invitation_by_hash(c->store, a, notify_token_hash(a, token), out, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND)
			err->code = "InvitationNotFound";
		return -1;
	}
	return 0;
}

int notify_invitation_check(struct core *c, struct arena *a, struct str token, struct str *email,
			    struct error *err)
{
	struct invitation inv;

	if (find_invitation(c, a, token, &inv, err) < 0 || usable(&inv, err) < 0)
		return -1;
	if (email)
		*email = inv.email;
	return 0;
}

static int accept_rows(struct core *c, struct arena *a, struct str token, struct str hash, struct error *err)
{
	struct invitation inv;
	struct user u;
	int changed;

	if (find_invitation(c, a, token, &inv, err) < 0 || usable(&inv, err) < 0)
		return -1;
	/* the user must still be the one invited: not deleted, not erased, not renamed */
	if (store_user_get(c->store, a, inv.user_id, &u, err) < 0 || !str_case_eq(u.username, inv.email)) {
		error_forget(err);
		return error_set(err, ERROR_NOT_FOUND, "InvitationNotFound", "No such invitation.");
	}
	if (store_invitation_use(c->store, inv.id, core_now(), &changed, err) < 0)
		return -1;
	if (!changed) /* another request used it a moment ago */
		return error_set(err, ERROR_PRECONDITION, "InvitationUsed",
				 "This invitation has been used already; log in with your password.");
	return store_user_set_password(c->store, inv.user_id, hash, err);
}

int notify_invitation_accept(struct core *c, struct arena *a, struct str token, struct str password_hash,
			     struct error *err)
{
	IN_TRANSACTION(c, err, accept_rows(c, a, token, password_hash, err));
	return 0;
}

int notify_pending_invitations(struct core *c, struct arena *a, struct invitation_pending **out, size_t *n,
			       struct error *err)
{
	return store_invitation_pending(c->store, a, core_now(), out, n, err);
}

/* ---- availability reminders ---- */

static int remind_rows(struct core *c, struct arena *a, int64_t company_id, const struct event_actor *actor,
		       struct error *err)
{
	struct account acc;
	struct contact ct;
	const struct mail_text *t;
	struct notification n;
	struct str to = STR_NULL, greet = STR_NULL;
	int64_t id;

	if (store_account_get(c->store, a, company_id, &acc, err) < 0)
		return -1;
	t = text_for(acc.locale);
	if (acc.roles[ROLE_BOOKING_MANAGER]) {
		if (store_contact_get(c->store, a, company_id, acc.roles[ROLE_BOOKING_MANAGER], &ct, err) < 0)
			return -1;
		to = ct.email;
		greet = ct.first_name;
	}
	if (!to.len) /* no booking contact (a company made by `rentd company create`): the account's address */
		to = acc.email;
	if (!plain_address(to))
		return error_set(err, ERROR_CONFLICT, "NoBookingContact",
				 "The account has no booking contact with an e-mail address.");
	memset(&n, 0, sizeof(n));
	n.kind = STR_LIT("availability_reminder");
	n.company_id = company_id;
	n.recipient = to;
	n.subject = str_from_cstr(t->remind_subject);
	{
		const struct var vars[] = { { "name", greet.len ? arena_strdup_str(a, greet) : "" },
					  { "account", arena_strdup_str(a, acc.name) } };
		n.body = fill(a, t->remind_body, vars, 2);
	}
	if (actor) {
		n.actor_user_id = actor->user_id;
		n.actor_identity = actor->identity;
		n.actor_email = actor->email;
		n.actor_name = actor->full_name;
	}
	n.created_at = core_now();
	if (store_notification_insert(c->store, &n, &id, err) < 0)
		return -1;
	return queue_job(c, a, id, err);
}

int notify_remind_availabilities(struct core *c, struct arena *a, int64_t company_id,
				 const struct event_actor *actor, struct error *err)
{
	IN_TRANSACTION(c, err, remind_rows(c, a, company_id, actor, err));
	if (c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
	return 0;
}

/* ---- delivery ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* RFC 2047 for a header value that is not plain ASCII. */
static void put_header_text(struct buf *b, struct str s)
{
	bool ascii = true;
	for (size_t i = 0; i < s.len; i++)
		ascii = ascii && (unsigned char)s.ptr[i] >= ' ' && (unsigned char)s.ptr[i] < 127;
	if (ascii) {
		buf_append_str(b, s);
		return;
	}
	size_t cap = sodium_base64_ENCODED_LEN(s.len, sodium_base64_VARIANT_ORIGINAL);
	buf_reserve(b, cap + 16);
	buf_append_cstr(b, "=?UTF-8?B?");
	sodium_bin2base64(b->ptr + b->len, cap, (const unsigned char *)s.ptr, s.len, sodium_base64_VARIANT_ORIGINAL);
	b->len += strlen(b->ptr + b->len);
	buf_append_cstr(b, "?=");
}

/* An absolute http(s) link that can stand in a header as it is (no spaces, controls or '>'). */
static bool header_link(struct str l)
{
	if (!str_has_prefix(l, STR_LIT("https://")) && !str_has_prefix(l, STR_LIT("http://")))
		return false;
	if (l.len > 900)
		return false;
	for (size_t i = 0; i < l.len; i++)
		if ((unsigned char)l.ptr[i] <= ' ' || (unsigned char)l.ptr[i] >= 127 || l.ptr[i] == '>')
			return false;
	return true;
}

/* The message as SMTP carries it: headers, a blank line, the body with CRLF line ends. */
static struct str compose(struct core *c, struct arena *a, const struct notification *n)
{
	char date[64], mid[37];
	time_t now = time(NULL);
	struct tm tm;
	struct buf b;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	for (int i = 0; i < 36; i++)
		mid[i] = "0123456789abcdef"[randombytes_uniform(16)];
	mid[36] = '\0';
	buf_init(&b, a, 1024 + n->body.len * 2);
	buf_printf(&b, "Date: %s\r\nFrom: %s\r\nTo: %.*s\r\nSubject: ", date, c->smtp_from, STR_FMT(n->recipient));
	put_header_text(&b, n->subject);
	/* RFC 2369 for the interest e-mail's link; RFC 8058's one-click POST only over https */
	if (str_eq_cstr(n->kind, "interest_confirmation") && header_link(n->link)) {
		buf_printf(&b, "\r\nList-Unsubscribe: <%.*s>", STR_FMT(n->link));
		if (str_has_prefix(n->link, STR_LIT("https://")))
			buf_append_cstr(&b, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click");
	}
	buf_printf(&b, "\r\nMessage-ID: <%s@rentd>\r\nMIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", mid);
	for (size_t i = 0; i < n->body.len; i++) {
		if (n->body.ptr[i] == '\n' && (i == 0 || n->body.ptr[i - 1] != '\r'))
			buf_putc(&b, '\r');
		buf_putc(&b, n->body.ptr[i]);
	}
	return buf_str(&b);
}

struct upload {
	struct str data;
	size_t pos;
};

static size_t upload_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t want = size * nmemb, left = u->data.len - u->pos;
	size_t k = want < left ? want : left;

	memcpy(dst, u->data.ptr + u->pos, k);
	u->pos += k;
	return k;
}

/* One SMTP conversation; 0 or -1 with the reason in msg. libcurl dot-stuffs the body. */
static int smtp_send(struct core *c, struct arena *a, const struct notification *n, char *msg, size_t msglen)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct upload up = { compose(c, a, n), 0 };
	struct curl_slist *rcpt;
	CURL *h;
	CURLcode rc;

	pthread_once(&curl_once, curl_setup);
	h = curl_easy_init();
	if (!h) {
		snprintf(msg, msglen, "cannot start libcurl");
		return -1;
	}
	rcpt = curl_slist_append(NULL, arena_printf(a, "<%.*s>", STR_FMT(n->recipient)));
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", c->smtp_from));
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.data.len);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(msg, msglen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * The reminder's effect: the account's date and UpdateAvailabilitiesNotificationWasSent
 * (§5 #10, its payload built in core/accounts/accounts_events.c), both at the same instant.
 */
/* ---- the letting process ---- */

static const struct {
	const char *kind, *subject, *body; /* {name}, {object}, {detail} */
} letting_texts[] = {
	[LETTING_OFFER] = { "letting_offer", "Erbjudande: {object}",
			    "Hej {name}!\n\nDu står på tur för {object}. Vill du fortsätta? Svara ja eller nej bland dina "
			    "intresseanmälningar senast {detail}. Svarar du inte i tid går erbjudandet vidare.\n" },
	[LETTING_ALLOCATED] = { "letting_allocated", "Du har fått lägenheten: {object}",
				"Hej {name}!\n\nGrattis! Hyresvärden har bekräftat att du får {object}. Signera kontraktet "
				"bland dina intresseanmälningar.\n" },
	[LETTING_NOT_ALLOCATED] = { "letting_not_allocated", "Lägenheten är uthyrd: {object}",
				    "Hej {name}!\n\n{object} har nu hyrts ut till en annan sökande. Tack för ditt intresse, "
				    "och lycka till med sökandet.\n" },
	[LETTING_REJECTED] = { "letting_rejected", "Din reservation har avslagits: {object}",
			       "Hej {name}!\n\nHyresvärden har avslagit din reservation av {object}. Skäl: {detail}.\n" },
	[LETTING_CANCELLED] = { "letting_cancelled", "Annonsen har tagits bort: {object}",
				"Hej {name}!\n\nHyresvärden har tagit bort annonsen för {object}. Din intresseanmälan är "
				"avslutad.\n" },
};

int notify_letting(struct core *c, struct arena *a, enum letting_mail kind, int64_t company_id, struct str address,
		   struct str first_name, struct str object, struct str detail, struct error *err)
{
	const struct var vars[] = { { "name", arena_strdup_str(a, first_name) },
				    { "object", arena_strdup_str(a, object) },
				    { "detail", detail.ptr ? arena_strdup_str(a, detail) : "" } };
	struct notification n;
	int64_t id;

	if (!address.len)
		return 0;
	memset(&n, 0, sizeof(n));
	n.kind = str_from_cstr(letting_texts[kind].kind);
	n.company_id = company_id;
	n.recipient = address;
	n.subject = fill(a, letting_texts[kind].subject, vars, 3);
	n.body = fill(a, letting_texts[kind].body, vars, 3);
	n.created_at = core_now();
	if (store_notification_insert(c->store, &n, &id, err) < 0)
		return -1;
	return queue_job(c, a, id, err);
}

/* ---- project interest ---- */

static const struct {
	const char *locale, *subject, *body; /* {project}, {company}, {link} */
} interest_texts[] = {
	{ "en", "You are following {project}",
	  "Hello,\n\nthank you for your interest in {project} by {company}. We will e-mail you at this address when "
	  "there is news about the project, such as when its apartments can be applied for.\n\n"
	  "To stop following the project and have your address removed, open this link:\n\n{link}\n" },
	{ "sv", "Du följer {project}",
	  "Hej!\n\nTack för ditt intresse för {project} hos {company}. Vi mejlar dig på den här adressen när det finns "
	  "nyheter om projektet, till exempel när lägenheterna går att söka.\n\n"
	  "Vill du sluta följa projektet och få din adress borttagen? Öppna den här länken:\n\n{link}\n" },
};

int notify_interest(struct core *c, struct arena *a, int64_t company_id, struct str address, struct str locale,
		    struct str project, struct str company, struct str link, struct error *err)
{
	size_t t = locale.len >= 2 && strncmp(locale.ptr, "sv", 2) == 0;
	const struct var vars[] = { { "project", arena_strdup_str(a, project) },
				    { "company", arena_strdup_str(a, company) },
				    { "link", arena_strdup_str(a, link) } };
	struct notification n;
	int64_t id;

	if (!plain_address(address))
		return error_set(err, ERROR_VALIDATION, NULL, "cannot send an e-mail to '%.*s'", STR_FMT(address));
	memset(&n, 0, sizeof(n));
	n.kind = STR_LIT("interest_confirmation");
	n.company_id = company_id;
	n.recipient = address;
	n.subject = fill(a, interest_texts[t].subject, vars, 3);
	n.body = fill(a, interest_texts[t].body, vars, 3);
	n.link = link;
	n.created_at = core_now();
	if (store_notification_insert(c->store, &n, &id, err) < 0)
		return -1;
	return queue_job(c, a, id, err);
}

static int reminded_rows(struct core *c, struct arena *a, const struct notification *n, struct error *err)
{
	struct event_actor who = { n->actor_user_id, n->actor_identity, n->actor_email, n->actor_name };
	struct account_op o;
	struct account acc;

	account_op_init(&o, c, a, &who, err);
	if (store_account_get(c->store, a, n->company_id, &acc, err) < 0)
		return -1;
	if (store_company_set_availabilities_notified(c->store, n->company_id, o.now / 1000000, err) < 0)
		return -1;
	return account_ev_availabilities_notified(&o, &acc);
}

static int finish_rows(struct core *c, struct arena *a, const struct notification *n, const char *state,
		       struct error *err)
{
	int changed;

	if (store_notification_finish(c->store, n->id, state, core_now(), &changed, err) < 0)
		return -1;
	if (!changed) /* another worker finished it meanwhile */
		return 0;
	if (str_eq_cstr(n->kind, "availability_reminder"))
		return reminded_rows(c, a, n, err);
	return 0;
}

int notify_deliver(struct core *c, struct arena *a, int64_t notification_id, bool last_attempt, struct error *err)
{
	struct notification n;
	const char *state = "logged";
	char msg[CURL_ERROR_SIZE + 64];

	if (store_notification_get(c->store, a, notification_id, &n, err) < 0)
		return -1;
	if (!str_eq_cstr(n.state, "queued"))
		return 0;
	if (!plain_address(n.recipient)) {
		struct error e2;
		error_init(&e2, a);
		store_notification_failed(c->store, n.id, STR_LIT("not an e-mail address"), 1, &e2);
		return error_set(err, ERROR_VALIDATION, NULL, "notification %lld: not an e-mail address",
				 (long long)n.id);
	}
	if (c->smtp_url && *c->smtp_url) {
		if (smtp_send(c, a, &n, msg, sizeof(msg)) < 0) {
			struct error e2;
			error_init(&e2, a);
			if (store_notification_failed(c->store, n.id, str_from_cstr(msg), last_attempt, &e2) < 0)
				log_error("notify: cannot record a failed delivery: %s", e2.message);
			return error_set(err, ERROR_UNAVAILABLE, NULL, "smtp: %s", msg);
		}
		state = "sent";
		log_info("notify: %.*s e-mail %lld sent to %.*s", STR_FMT(n.kind), (long long)n.id,
			 STR_FMT(n.recipient));
	} else if (str_eq_cstr(n.kind, "invitation")) {
		/* the link is a secret: the operator reads it with `rentd invitations list`, not in the log */
		log_info("notify: no SMTP configured; an invitation for %.*s is waiting (rentd invitations list)",
			 STR_FMT(n.recipient));
	} else {
		log_info("notify: no SMTP configured; e-mail to %.*s handed to the log: %.*s", STR_FMT(n.recipient),
			 STR_FMT(n.subject));
	}
	IN_TRANSACTION(c, err, finish_rows(c, a, &n, state, err));
	return 0;
}

static int run_notification(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	int64_t id;
	if (job_payload_id(job, &id, err) < 0)
		return -1;
	return notify_deliver(c, a, id, job->attempts >= JOBS_MAX_ATTEMPTS, err);
}

const struct job_kind notify_job_kinds[] = {
	{ NOTIFY_JOB_KIND, run_notification },
};
const size_t notify_job_kinds_count = sizeof(notify_job_kinds) / sizeof(notify_job_kinds[0]);
