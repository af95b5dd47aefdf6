/* File references, signed uploads and stored files (media.h). */
#include "core/media/media.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "core/identity/rights.h"
#include "core/media/storage.h"
#include "store/media/store_media.h"

const int media_thumb_widths[MEDIA_THUMB_COUNT] = { 320, 460, 840, 1440, 1920, 2880 };

/* homeq.md §11d variants; rights per H-33 (one right per media group), see docs/DECISIONS.md */
static const struct media_entity entities[] = {
	{ "project_image", "project_images", MEDIA_IMAGES, RIGHT_PROJECT_UPDATE, true, false },
	{ "project_area_image", "project_area_images", MEDIA_IMAGES, RIGHT_PROJECT_UPDATE, true, false },
	{ "estate_image", "estate_images", MEDIA_IMAGES, RIGHT_ESTATE_UPDATE, true, false },
	{ "estate_area_image", "estate_area_images", MEDIA_IMAGES, RIGHT_ESTATE_UPDATE, true, false },
	{ "apartment_image", "apartment_images", MEDIA_IMAGES, RIGHT_APARTMENT_UPDATE, true, false },
	{ "logo_image", "logo_images", MEDIA_IMAGES, RIGHT_ORGANIZATION, false, false },
	{ "cover_image", "cover_images", MEDIA_IMAGES, RIGHT_ORGANIZATION, false, false },
	{ "floor_plan", "floor_plans", MEDIA_FILES, RIGHT_APARTMENT_UPDATE, false, false },
	{ "conversation_file", "conversation_files", MEDIA_FILES, NULL, false, false },
	{ "promotion_file", "promotion_files", MEDIA_PDFS, RIGHT_PROJECT_UPDATE, false, false },
	{ "digital_contract", "digital_contracts", MEDIA_PDFS, RIGHT_OBJECT_AD_UPDATE, false, false },
	{ "profile_card", "profile_cards", MEDIA_PDFS, RIGHT_OBJECT_AD_UPDATE, false, false },
	{ "project_video", "project_videos", MEDIA_VIDEOS, RIGHT_PROJECT_UPDATE, false, true },
	{ "project_area_video", "project_area_videos", MEDIA_VIDEOS, RIGHT_PROJECT_UPDATE, false, true },
	{ "apartment_video", "apartment_videos", MEDIA_VIDEOS, RIGHT_APARTMENT_UPDATE, false, true },
};
#define NENTITIES (sizeof(entities) / sizeof(entities[0]))

const struct media_entity *media_entity_find(struct str name)
{
	for (size_t i = 0; i < NENTITIES; i++)
		if (str_eq_cstr(name, entities[i].name))
			return &entities[i];
	return NULL;
}

const struct media_entity *media_category_find(struct str category)
{
	for (size_t i = 0; i < NENTITIES; i++)
		if (str_eq_cstr(category, entities[i].category))
			return &entities[i];
	return NULL;
}

static const struct {
	const char *mime;
	const char *ext;
} mimes[] = {
	{ "image/jpeg", "jpg" }, { "image/jpg", "jpg" }, { "image/png", "png" }, { "application/pdf", "pdf" },
	{ "video/mp4", "mp4" },  { "video/quicktime", "mov" }, { "video/x-m4v", "m4v" }, { "video/webm", "webm" },
};
#define NMIMES (sizeof(mimes) / sizeof(mimes[0]))

const char *media_extension(struct str mime)
{
	for (size_t i = 0; i < NMIMES; i++)
		if (str_eq_cstr(mime, mimes[i].mime))
			return mimes[i].ext;
	return NULL;
}

const char *media_content_type(struct str key)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
		{ ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" }, { ".png", "image/png" },
		{ ".pdf", "application/pdf" }, { ".mp4", "video/mp4" }, { ".mov", "video/quicktime" },
		{ ".m4v", "video/x-m4v" }, { ".webm", "video/webm" },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i].ext);
		if (key.len > n && memcmp(key.ptr + key.len - n, types[i].ext, n) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

static bool mime_allowed(enum media_family f, struct str mime)
{
	bool image = str_eq_cstr(mime, "image/jpeg") || str_eq_cstr(mime, "image/jpg") || str_eq_cstr(mime, "image/png");
	bool pdf = str_eq_cstr(mime, "application/pdf");
	switch (f) {
	case MEDIA_IMAGES: return image;
	case MEDIA_FILES: return image || pdf;
	case MEDIA_PDFS: return pdf;
	case MEDIA_VIDEOS:
		/* the seed lists image types for videos (a documentation bug, homeq.md §11d) */
		return str_eq_cstr(mime, "video/mp4") || str_eq_cstr(mime, "video/quicktime") ||
		       str_eq_cstr(mime, "video/x-m4v") || str_eq_cstr(mime, "video/webm");
	}
	return false;
}

bool media_sniff(struct str mime, const uint8_t *h, size_t n)
{
	if (str_eq_cstr(mime, "image/jpeg") || str_eq_cstr(mime, "image/jpg"))
		return n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF;
	if (str_eq_cstr(mime, "image/png"))
		return n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0;
	if (str_eq_cstr(mime, "application/pdf"))
		return n >= 5 && memcmp(h, "%PDF-", 5) == 0;
	if (str_eq_cstr(mime, "video/webm"))
		return n >= 4 && memcmp(h, "\x1a\x45\xdf\xa3", 4) == 0;
	if (str_eq_cstr(mime, "video/mp4") || str_eq_cstr(mime, "video/quicktime") || str_eq_cstr(mime, "video/x-m4v")) {
		/* ISO base media: a box header, size then type; ftyp first, or a bare QuickTime atom */
		static const char *const boxes[] = { "ftyp", "moov", "mdat", "wide", "free", "skip" };
		if (n < 8)
			return false;
		for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++)
			if (memcmp(h + 4, boxes[i], 4) == 0)
				return true;
		return false;
	}
	return false;
}

/* ---- signatures ---- */

static void sign_raw(const uint8_t key[SECRET_KEY_BYTES], struct str ref_id, int64_t expires,
		     unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", (long long)expires);

	crypto_auth_hmacsha256_init(&st, key, SECRET_KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"PUT\n", 4);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ref_id.ptr, ref_id.len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)num, (size_t)n);
	crypto_auth_hmacsha256_final(&st, mac);
}

void media_sign(const uint8_t key[SECRET_KEY_BYTES], struct str ref_id, int64_t expires, char out[44])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	sign_raw(key, ref_id, expires, mac);
	sodium_bin2base64(out, 44, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static bool ref_id_valid(struct str id)
{
	if (id.len != 32)
		return false;
	for (size_t i = 0; i < id.len; i++)
		if (!((id.ptr[i] >= '0' && id.ptr[i] <= '9') || (id.ptr[i] >= 'a' && id.ptr[i] <= 'f')))
			return false;
	return true;
}

int media_signature_check(const uint8_t key[SECRET_KEY_BYTES], struct str ref_id, struct str expires,
			  struct str signature, int64_t now, struct error *err)
{
	char want[44];
	int64_t exp;

	if (!ref_id_valid(ref_id) || !expires.ptr || str_to_int64(expires, &exp) < 0 || exp <= 0 ||
	    !signature.ptr || signature.len != 43)
		return error_set(err, ERROR_FORBIDDEN, "InvalidSignature", "The upload URL is malformed.");
	/*
	 * Compare the text with the one we would write, not decoded bytes: a decoder that skips
	 * or tolerates characters would let other spellings of a signature through (found by
	 * fuzz_upload).
	 */
	media_sign(key, ref_id, exp, want);
	if (sodium_memcmp(want, signature.ptr, 43) != 0)
		return error_set(err, ERROR_FORBIDDEN, "InvalidSignature", "The upload URL's signature does not match.");
	if (exp <= now)
		return error_set(err, ERROR_FORBIDDEN, "ExpiredSignature", "The upload URL has expired.");
	return 0;
}

/* ---- file references ---- */

static int md5_canonical(struct arena *a, struct str b64, struct str *out)
{
	unsigned char raw[16];
	size_t len = 0;
	char *canon;

	if (!b64.ptr || b64.len != 24 ||
	    sodium_base642bin(raw, sizeof(raw), b64.ptr, b64.len, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != sizeof(raw))
		return -1;
	canon = arena_alloc(a, 25);
	sodium_bin2base64(canon, 25, raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
	*out = (struct str){ canon, 24 };
	return 0;
}

/* Unicode code points of UTF-8 (the JSON reader has validated it): non-continuation bytes. */
static size_t code_points(struct str s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
	return n;
}

static struct str new_ref_id(struct arena *a)
{
	unsigned char raw[16];
	char *hex = arena_alloc(a, 33);
	randombytes_buf(raw, sizeof(raw));
	raw[6] = (unsigned char)((raw[6] & 0x0f) | 0x40); /* a v4 UUID, written without dashes */
	raw[8] = (unsigned char)((raw[8] & 0x3f) | 0x80);
	sodium_bin2hex(hex, 33, raw, sizeof(raw));
	return (struct str){ hex, 32 };
}

int media_reference_create(struct core *c, struct arena *a, const struct caller *who,
			   const struct media_reference_input *in, struct media_reference_result *out,
			   struct error *err)
{
	const struct media_entity *e = in->entity_type.ptr ? media_entity_find(in->entity_type) : NULL;
	int64_t limit;
	struct stored_file sf;
	struct file_reference ref;
	struct str md5;
	char sig[44];
	int rc;

	memset(out, 0, sizeof(*out));
	if (!e)
		return error_set(err, ERROR_PRECONDITION, "InvalidEntityType", "The supplied entity type is not valid.");
	if (who->kind == CALLER_CONSUMER) {
		if (strcmp(e->name, "conversation_file") != 0) /* H-37 */
			return error_set(err, ERROR_FORBIDDEN, "PermissionDenied",
					 "You are not allowed to upload this entity.");
	} else if (who->kind != CALLER_EMPLOYEE) {
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied", "You are not allowed to upload this entity.");
	} else if (e->right && !caller_has_right(who, e->right)) {
		return error_set(err, ERROR_FORBIDDEN, "PermissionDenied",
				 "You are not allowed to upload this entity (it needs the right %s).", e->right);
	}
	if (!in->mime_type.ptr || !mime_allowed(e->family, in->mime_type))
		return error_set(err, ERROR_PRECONDITION, "InvalidMimeType",
				 "The supplied mime type is not valid with the entity type.");
	if (in->content_length <= 0)
		return error_set(err, ERROR_PRECONDITION, "InvalidContentLength", "Please specify a proper content length.");
	limit = e->family == MEDIA_VIDEOS ? MEDIA_LIMIT_VIDEOS : MEDIA_LIMIT_FILES;
	if (in->content_length > limit)
		return error_set(err, ERROR_PRECONDITION, "ExceedingContentLength",
				 "The upload you are attempting is too big (at most %lld bytes).", (long long)limit);
	if (md5_canonical(a, in->content_md5, &md5) < 0)
		error_field(err, "content_md5", in->content_md5.ptr ? RULE_FORMAT : RULE_REQUIRED,
			    "the MD5 of the file, base64-encoded (24 characters)");
	if (in->content_name.ptr && code_points(in->content_name) > MEDIA_CONTENT_NAME_MAX)
		error_field(err, "content_name", RULE_LENGTH, "at most %d characters", MEDIA_CONTENT_NAME_MAX);
	if (error_failed(err))
		return -1;

	memset(&ref, 0, sizeof(ref));
	ref.id = new_ref_id(a);
	ref.company_id = who->kind == CALLER_EMPLOYEE ? who->user.company_id : 0;
	ref.user_id = who->user.id;
	ref.entity_type = str_from_cstr(e->name);
	ref.mime_type = in->mime_type;
	ref.content_length = in->content_length;
	ref.content_md5 = md5;
	ref.content_name = in->content_name;
	ref.expires_at = core_now() + MEDIA_URL_TTL;

	rc = store_stored_file_find(c->store, a, md5, in->content_length, str_from_cstr(e->category), ref.company_id,
				    ref.user_id, &sf, err);
	if (rc < 0)
		return -1;
	ref.state = rc ? STR_LIT("uploaded") : STR_LIT("pending");
	ref.stored_file_id = rc ? sf.id : 0;
	if (store_file_reference_insert(c->store, &ref, err) < 0)
		return -1;
	out->id = ref.id;
	out->exists = rc == 1;
	out->mime_type = in->mime_type;
	out->content_md5 = md5;
	if (!out->exists) {
		media_sign(c->secrets.media, ref.id, ref.expires_at, sig);
		out->upload_path = str_from_cstr(arena_printf(a, "/media/upload/%.*s?expires=%lld&signature=%s",
							      STR_FMT(ref.id), (long long)ref.expires_at, sig));
	}
	return 0;
}

static struct str stored_key(struct arena *a, const struct media_entity *e, const char *sha_hex, struct str mime)
{
	return str_from_cstr(arena_printf(a, "%s/%s.%s", e->category, sha_hex, media_extension(mime)));
}

int media_reference_get(struct core *c, struct arena *a, const struct caller *who, struct str id,
			struct file_reference *ref, struct str *key, struct error *err)
{
	struct stored_file sf;

	*key = STR_NULL;
	if (!ref_id_valid(id))
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such file reference");
	if (store_file_reference_get(c->store, a, id, ref, err) < 0)
		return -1;
	if (who->kind == CALLER_EMPLOYEE ? ref->company_id != who->user.company_id : ref->user_id != who->user.id)
		return error_set(err, ERROR_NOT_FOUND, NULL, "no such file reference");
	if (ref->stored_file_id) {
		if (store_stored_file_get(c->store, a, ref->stored_file_id, &sf, err) < 0)
			return -1;
		*key = sf.key;
	}
	return 0;
}

/*
 * A file reference a field may name: of the caller's company, uploaded, of entity type
 * want. Every refusal is one field error on field (412).
 */
int media_reference_usable(struct core *c, struct arena *a, const struct caller *who, const char *field,
			const char *want, struct str id, struct error *err)
{
	struct file_reference ref;

	if (store_file_reference_get(c->store, a, id, &ref, err) < 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
		error_forget(err);
		return error_field(err, field, RULE_RANGE, "no file reference with this id belongs to your company");
	}
	if (ref.company_id != who->user.company_id)
		return error_field(err, field, RULE_RANGE, "no file reference with this id belongs to your company");
	if (!str_eq_cstr(ref.entity_type, want))
		return error_field(err, field, RULE_ENUM, "must be a file reference of entity_type %s (this one is %.*s)",
				   want, STR_FMT(ref.entity_type));
	if (!ref.stored_file_id)
		return error_field(err, field, RULE_RANGE,
				   "the file has not been uploaded yet: PUT it to the signed_url first");
	return 0;
}

/* ---- uploads ---- */

static int load_pending(struct core *c, struct arena *a, struct str id, struct file_reference *ref, struct error *err)
{
	if (store_file_reference_get(c->store, a, id, ref, err) < 0) {
		if (err->kind == ERROR_NOT_FOUND)
			err->code = "NoSuchFileReference";
		return -1;
	}
	if (!str_eq_cstr(ref->state, "pending"))
		return error_set(err, ERROR_CONFLICT, "AlreadyUploaded",
				 "This upload URL has been used already; the file is stored.");
	return 0;
}

static struct str media_type_only(struct str ct)
{
	const char *semi = ct.ptr ? memchr(ct.ptr, ';', ct.len) : NULL;
	if (semi)
		ct.len = (size_t)(semi - ct.ptr);
	return str_trim(ct);
}

static int precheck(struct core *c, struct arena *a, const struct media_upload *up, uint64_t upload_limit, int64_t now,
		    struct file_reference *ref, struct error *err)
{
	int64_t cl;
	struct str md5;

	if (media_signature_check(c->secrets.media, up->ref_id, up->expires, up->signature, now, err) < 0)
		return -1;
	if (load_pending(c, a, up->ref_id, ref, err) < 0)
		return -1;
	if (!up->content_length.ptr || str_to_int64(str_trim(up->content_length), &cl) < 0 ||
	    cl != ref->content_length)
		return error_set(err, ERROR_PRECONDITION, "InvalidContentLength",
				 "Content-Length must be sent and equal the declared content_length (%lld).",
				 (long long)ref->content_length);
	if ((uint64_t)ref->content_length > upload_limit)
		return error_set(err, ERROR_TOO_LARGE, NULL, "uploads are limited to %llu bytes on this server",
				 (unsigned long long)upload_limit);
	if (!up->content_type.ptr || !str_case_eq(media_type_only(up->content_type), ref->mime_type))
		return error_set(err, ERROR_PRECONDITION, "InvalidMimeType",
				 "Content-Type must be the declared mime type (%.*s).", STR_FMT(ref->mime_type));
	if (up->content_md5.ptr &&
	    (md5_canonical(a, str_trim(up->content_md5), &md5) < 0 || !str_eq(md5, ref->content_md5)))
		return error_set(err, ERROR_PRECONDITION, "BadDigest", "Content-MD5 is not the declared content_md5.");
	return 0;
}

int media_upload_precheck(struct core *c, struct arena *a, const struct media_upload *up, uint64_t upload_limit,
			  int64_t now, uint64_t *declared, struct error *err)
{
	struct file_reference ref;
	if (precheck(c, a, up, upload_limit, now, &ref, err) < 0)
		return -1;
	*declared = (uint64_t)ref.content_length;
	return 0;
}

struct digest {
	EVP_MD_CTX *md5;
	crypto_hash_sha256_state sha;
	uint8_t head[16];
	size_t nhead;
	uint64_t len;
};

static void digest_update(struct digest *d, const void *p, size_t n)
{
	if (d->nhead < sizeof(d->head)) {
		size_t k = n < sizeof(d->head) - d->nhead ? n : sizeof(d->head) - d->nhead;
		memcpy(d->head + d->nhead, p, k);
		d->nhead += k;
	}
	EVP_DigestUpdate(d->md5, p, n);
	crypto_hash_sha256_update(&d->sha, p, n);
	d->len += n;
}

/* MD5 (base64), SHA-256 (hex) and the first bytes of the body, from memory or its file. */
static int digest_body(struct arena *a, const struct media_upload *up, struct digest *d, struct str *md5,
		       char sha_hex[65], struct error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE], sha[crypto_hash_sha256_BYTES];
	unsigned mdlen = 0;
	char *b64 = arena_alloc(a, 25);
	int rc = -1;

	d->md5 = EVP_MD_CTX_new();
	if (!d->md5 || !EVP_DigestInit_ex(d->md5, EVP_md5(), NULL)) {
		error_set(err, ERROR_INTERNAL, NULL, "MD5 is not available");
		goto out;
	}
	crypto_hash_sha256_init(&d->sha);
	if (up->body_file) {
		static _Thread_local unsigned char chunk[64 * 1024];
		int fd = open(up->body_file, O_RDONLY | O_CLOEXEC);
		ssize_t n;
		if (fd < 0) {
			error_set(err, ERROR_INTERNAL, NULL, "cannot read the spooled body %s: %s", up->body_file,
				  strerror(errno));
			goto out;
		}
		while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				error_set(err, ERROR_INTERNAL, NULL, "cannot read the spooled body: %s", strerror(errno));
				close(fd);
				goto out;
			}
			digest_update(d, chunk, (size_t)n);
		}
		close(fd);
	} else if (up->body.len) {
		digest_update(d, up->body.ptr, up->body.len);
	}
	EVP_DigestFinal_ex(d->md5, md, &mdlen);
	crypto_hash_sha256_final(&d->sha, sha);
	sodium_bin2base64(b64, 25, md, mdlen, sodium_base64_VARIANT_ORIGINAL);
	*md5 = (struct str){ b64, strlen(b64) };
	sodium_bin2hex(sha_hex, 65, sha, sizeof(sha));
	rc = 0;
out:
	EVP_MD_CTX_free(d->md5);
	return rc;
}

int media_upload_commit(struct core *c, struct arena *a, struct media_upload *up, uint64_t upload_limit, int64_t now,
			struct str *key, struct error *err)
{
	struct file_reference ref;
	const struct media_entity *e;
	struct digest d;
	struct stored_file sf;
	struct str md5;
	char sha_hex[65];
	const char *ckey;
	int found, changed = 0, created = 0, began = 0;
	int64_t stored_id;

	*key = STR_NULL;
	if (precheck(c, a, up, upload_limit, now, &ref, err) < 0)
		return -1;
	memset(&d, 0, sizeof(d));
	if (digest_body(a, up, &d, &md5, sha_hex, err) < 0)
		return -1;
	if (d.len != (uint64_t)ref.content_length || d.len != (up->body_file ? up->body_len : up->body.len))
		return error_set(err, ERROR_PRECONDITION, "InvalidContentLength",
				 "The body has %llu bytes; the declared content_length is %lld.",
				 (unsigned long long)d.len, (long long)ref.content_length);
	if (!str_eq(md5, ref.content_md5))
		return error_set(err, ERROR_PRECONDITION, "BadDigest",
				 "The MD5 of the body (%.*s) is not the declared content_md5.", STR_FMT(md5));
	if (!media_sniff(ref.mime_type, d.head, d.nhead))
		return error_set(err, ERROR_PRECONDITION, "InvalidMimeType", "The bytes are not %.*s.",
				 STR_FMT(ref.mime_type));
	e = media_entity_find(ref.entity_type);
	if (!e || !media_extension(ref.mime_type))
		return error_set(err, ERROR_INTERNAL, NULL, "reference %.*s has an unknown type", STR_FMT(ref.id));
	*key = stored_key(a, e, sha_hex, ref.mime_type);
	ckey = arena_strdup_str(a, *key);

	/* one write transaction: two uploads of the same bytes, or of the same URL, serialise here */
	if (store_begin(c->store, err) < 0)
		return -1;
	began = 1;
	if (load_pending(c, a, ref.id, &ref, err) < 0)
		goto fail;
	found = store_stored_file_by_key(c->store, a, *key, &sf, err);
	if (found < 0)
		goto fail;
	/* the same bytes under the same category are stored once; a row without its bytes is repaired */
	if (!found || !storage_exists(c->storage, ckey)) {
		int rc = up->body_file ? storage_put_file(c->storage, ckey, up->body_file, err)
				       : storage_put(c->storage, ckey, up->body.ptr, up->body.len, err);
		if (up->body_file)
			up->body_file_consumed = 1; /* moved, or removed on failure */
		if (rc < 0)
			goto fail;
		created = 1;
	}
	if (found) {
		stored_id = sf.id;
	} else {
		memset(&sf, 0, sizeof(sf));
		sf.key = *key;
		sf.category = str_from_cstr(e->category);
		sf.sha256 = str_from_cstr(sha_hex);
		sf.md5 = md5;
		sf.size = ref.content_length;
		sf.mime_type = ref.mime_type;
		if (store_stored_file_insert(c->store, &sf, &stored_id, err) < 0)
			goto fail;
		if (e->thumbnails &&
		    store_job_insert(c->store, MEDIA_JOB_THUMBNAILS, str_from_cstr(arena_printf(a, "%lld", (long long)stored_id)),
				     now, err) < 0)
			goto fail;
		if (e->compress &&
		    store_job_insert(c->store, MEDIA_JOB_COMPRESS_VIDEO,
				     str_from_cstr(arena_printf(a, "%lld", (long long)stored_id)), now, err) < 0)
			goto fail;
	}
	if (store_file_reference_mark_uploaded(c->store, ref.id, stored_id, &changed, err) < 0)
		goto fail;
	if (!changed) {
		error_set(err, ERROR_CONFLICT, "AlreadyUploaded", "This upload URL has been used already.");
		goto fail;
	}
	if (store_commit(c->store, err) < 0) {
		began = 0;
		goto fail;
	}
	if (c->jobs_wake)
		c->jobs_wake(c->jobs_wake_arg);
	return 0;
fail:
	if (began)
		store_rollback(c->store);
	if (created) {
		struct error e2;
		error_init(&e2, a);
		if (storage_delete(c->storage, ckey, &e2) < 0)
			log_warn("media: cannot remove %s after a failed upload: %s", ckey, e2.message);
	}
	*key = STR_NULL;
	return -1;
}

/* ---- the media area's job kinds (media.h) ---- */

static int run_thumbnails(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	int64_t id;
	if (job_payload_id(job, &id, err) < 0)
		return -1;
	return media_thumbnails_make(c, a, id, err);
}

static int run_compress_video(struct core *c, struct arena *a, const struct job *job, struct error *err)
{
	int64_t id;
	if (job_payload_id(job, &id, err) < 0)
		return -1;
	/* ffmpeg may run longer than the lease: keep other workers from taking the job meanwhile */
	if (store_job_extend(c->store, job->id, core_now() + MEDIA_VIDEO_TIMEOUT + 60, err) < 0)
		return -1;
	return media_video_compress(c, a, id, err);
}

const struct job_kind media_job_kinds[] = {
	{ MEDIA_JOB_THUMBNAILS, run_thumbnails },
	{ MEDIA_JOB_COMPRESS_VIDEO, run_compress_video },
};
const size_t media_job_kinds_count = sizeof(media_job_kinds) / sizeof(media_job_kinds[0]);
