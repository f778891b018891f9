/*
 * Local backend storage: the per-user SQLite database, atomic blob files
 * and the message content codec. See local_private.h for the format.
 */
#include "local_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

static const char *const schema[] = {
	"CREATE TABLE IF NOT EXISTS folders (fid INTEGER PRIMARY KEY, parent_fid INTEGER NOT NULL,"
	" name TEXT NOT NULL, cn INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	" props BLOB NOT NULL, msg_count INTEGER NOT NULL DEFAULT 0,"
	" fai_count INTEGER NOT NULL DEFAULT 0)",
	"CREATE INDEX IF NOT EXISTS folders_parent ON folders (parent_fid, deleted)",
	"CREATE TABLE IF NOT EXISTS messages (mid INTEGER PRIMARY KEY, fid INTEGER NOT NULL,"
	" fai INTEGER NOT NULL, seq INTEGER NOT NULL, cn INTEGER NOT NULL, props BLOB NOT NULL,"
	" content BLOB, content_blob TEXT, checksum INTEGER NOT NULL)",
	"CREATE INDEX IF NOT EXISTS messages_folder ON messages (fid, fai, seq)",
	"CREATE TABLE IF NOT EXISTS deleted (fid INTEGER NOT NULL, fmid INTEGER NOT NULL,"
	" cn INTEGER NOT NULL, type INTEGER NOT NULL)",
	"CREATE INDEX IF NOT EXISTS deleted_folder ON deleted (fid, type, cn)",
	"CREATE TABLE IF NOT EXISTS permissions (fid INTEGER NOT NULL, member_id INTEGER NOT NULL,"
	" name TEXT NOT NULL, rights INTEGER NOT NULL, PRIMARY KEY (fid, member_id))",
	"CREATE TABLE IF NOT EXISTS roots (uri TEXT PRIMARY KEY, fid INTEGER NOT NULL)",
	/* per connection: materialised table orders (local_view.c) */
	"CREATE TEMP TABLE IF NOT EXISTS views (slot INTEGER NOT NULL, pos INTEGER NOT NULL,"
	" mid INTEGER NOT NULL, PRIMARY KEY (slot, pos)) WITHOUT ROWID",
	"CREATE INDEX IF NOT EXISTS temp.views_mid ON views (slot, mid)",
	NULL
};

/* Count changes to the main database, so views know they are stale. */
static void store_update_hook(void *private_data, int op, const char *db_name,
	const char *table, sqlite3_int64 rowid)
{
	struct local_store *s = private_data;

	if (strcmp(db_name, "main") == 0) {
		s->change_seq++;
	}
}

enum mapistore_error local_sqlite_error(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return MAPISTORE_SUCCESS;
	case SQLITE_NOMEM: return MAPISTORE_ERR_NO_MEMORY;
	case SQLITE_CONSTRAINT: return MAPISTORE_ERR_EXISTS;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return MAPISTORE_ERR_CORRUPTED;
	case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_CANTOPEN: return MAPISTORE_ERR_IO;
	case SQLITE_BUSY: case SQLITE_LOCKED: return MAPISTORE_ERR_DATABASE_UNAVAILABLE;
	default: return MAPISTORE_ERR_DATABASE_OPS;
	}
}

static int store_destructor(struct local_store *s)
{
	size_t i;

	for (i = 0; i < LOCAL_STMT_CACHE; i++) {
		if (s->cache_stmt[i] != NULL) {
			sqlite3_finalize(s->cache_stmt[i]);
		}
	}
	if (s->db != NULL) {
		sqlite3_close(s->db);
	}
	return 0;
}

static enum mapistore_error make_dir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		return MAPISTORE_ERR_IO;
	}
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_store_open(TALLOC_CTX *mem_ctx, const char *dir,
	struct local_store **store_r)
{
	struct local_store *s = talloc_zero(mem_ctx, struct local_store);
	char *path;
	size_t i;
	int rc;

	if (s == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	talloc_set_destructor(s, store_destructor);
	s->dir = talloc_strdup(s, dir);
	s->blob_dir = talloc_asprintf(s, "%s/blobs", dir);
	path = talloc_asprintf(s, "%s/store.db", dir);
	if (s->dir == NULL || s->blob_dir == NULL || path == NULL) {
		talloc_free(s);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (make_dir(s->dir) != MAPISTORE_SUCCESS || make_dir(s->blob_dir) != MAPISTORE_SUCCESS) {
		talloc_free(s);
		return MAPISTORE_ERR_IO;
	}
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(s->db, 10000);
		/* FULL: a committed save survives power loss, not just kill -9 */
		rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA cache_size=-16384; PRAGMA temp_store=MEMORY;",
				  NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		sqlite3_update_hook(s->db, store_update_hook, s);
	}
	for (i = 0; rc == SQLITE_OK && schema[i] != NULL; i++) {
		rc = sqlite3_exec(s->db, schema[i], NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		enum mapistore_error ret = local_sqlite_error(rc);

		talloc_free(s);
		return ret == MAPISTORE_SUCCESS ? MAPISTORE_ERR_IO : ret;
	}
	talloc_free(path);
	*store_r = s;
	return MAPISTORE_SUCCESS;
}

sqlite3_stmt *local_stmt(struct local_store *s, const char *sql)
{
	size_t slot = ((uintptr_t)sql >> 3) % LOCAL_STMT_CACHE, i;
	sqlite3_stmt *st = NULL;

	for (i = 0; i < LOCAL_STMT_CACHE; i++) {
		size_t k = (slot + i) % LOCAL_STMT_CACHE;

		if (s->cache_sql[k] == sql) {
			sqlite3_reset(s->cache_stmt[k]);
			sqlite3_clear_bindings(s->cache_stmt[k]);
			return s->cache_stmt[k];
		}
		if (s->cache_sql[k] == NULL) {
			if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
				return NULL;
			}
			s->cache_sql[k] = sql;
			s->cache_stmt[k] = st;
			return st;
		}
	}
	return NULL;   /* cache full: a programming error, caught by the tests */
}

enum mapistore_error local_step_done(sqlite3_stmt *st)
{
	int rc;

	if (st == NULL) {
		return MAPISTORE_ERR_DATABASE_OPS;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? MAPISTORE_SUCCESS : local_sqlite_error(rc);
}

enum mapistore_error local_begin(struct local_store *s)
{
	return local_sqlite_error(sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
}

enum mapistore_error local_commit(struct local_store *s)
{
	int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return local_sqlite_error(rc);
}

void local_rollback(struct local_store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

enum mapistore_error local_end(struct local_store *s, enum mapistore_error ret)
{
	if (ret != MAPISTORE_SUCCESS) {
		local_rollback(s);
		return ret;
	}
	return local_commit(s);
}

enum mapistore_error local_end_remove_blobs(struct local_store *s, enum mapistore_error ret,
	char **blobs, uint32_t blob_count)
{
	uint32_t i;

	ret = local_end(s, ret);
	/* only a committed change has let go of its blobs */
	for (i = 0; ret == MAPISTORE_SUCCESS && i < blob_count; i++) {
		local_blob_remove(s, blobs[i]);
	}
	return ret;
}

/* ---- blobs: temp file, fsync, rename, fsync directory ---- */

static uint64_t fnv64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool blob_name_ok(const char *name)
{
	size_t i;

	if (name == NULL || strlen(name) != 32) {
		return false;
	}
	for (i = 0; i < 32; i++) {
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) {
			return false;
		}
	}
	return true;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	bool ok;

	if (fd < 0) {
		return false;
	}
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

enum mapistore_error local_blob_write(struct local_store *s, const uint8_t *data,
	size_t length, char name_r[33])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t rnd[16], header[16];
	char sub[3], *dir = NULL, *tmp = NULL, *final = NULL;
	uint64_t sum = fnv64(data, length);
	enum mapistore_error ret = MAPISTORE_ERR_IO;
	int fd = -1, i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		return MAPISTORE_ERR_IO;
	}
	for (i = 0; i < 16; i++) {
		name_r[2 * i] = hex[rnd[i] >> 4];
		name_r[2 * i + 1] = hex[rnd[i] & 0xF];
	}
	name_r[32] = '\0';
	sub[0] = name_r[0];
	sub[1] = name_r[1];
	sub[2] = '\0';
	/* header: "OCB1", length (u64 LE) would need 12; use magic+len+sum */
	memcpy(header, "OCB1", 4);
	for (i = 0; i < 4; i++) {
		header[4 + i] = (uint8_t)(length >> (8 * i));
	}
	for (i = 0; i < 8; i++) {
		header[8 + i] = (uint8_t)(sum >> (8 * i));
	}
	dir = talloc_asprintf(s, "%s/%s", s->blob_dir, sub);
	tmp = talloc_asprintf(s, "%s/.tmp-%s", dir ? dir : "", name_r);
	final = talloc_asprintf(s, "%s/%s", dir ? dir : "", name_r);
	if (dir == NULL || tmp == NULL || final == NULL) {
		ret = MAPISTORE_ERR_NO_MEMORY;
		goto done;
	}
	if (length > 0xFFFFFFFFu || make_dir(dir) != MAPISTORE_SUCCESS) {
		goto done;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		goto done;
	}
	if (!write_all(fd, header, sizeof(header)) || !write_all(fd, data, length) ||
	    fsync(fd) != 0) {
		goto done;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, final) != 0 || !fsync_dir(dir)) {
		goto done;
	}
	ret = MAPISTORE_SUCCESS;
done:
	if (fd >= 0) {
		close(fd);
	}
	if (ret != MAPISTORE_SUCCESS && tmp != NULL) {
		unlink(tmp);
	}
	talloc_free(dir);
	talloc_free(tmp);
	talloc_free(final);
	return ret;
}

enum mapistore_error local_blob_read(TALLOC_CTX *mem_ctx, struct local_store *s,
	const char *name, uint8_t **data_r, size_t *length_r)
{
	uint8_t header[16], *data = NULL;
	uint64_t sum = 0;
	uint32_t length = 0;
	struct stat st;
	char *path;
	ssize_t got;
	int fd, i;

	if (!blob_name_ok(name)) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	path = talloc_asprintf(mem_ctx, "%s/%c%c/%s", s->blob_dir, name[0], name[1], name);
	if (path == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	talloc_free(path);
	if (fd < 0) {
		return MAPISTORE_ERR_CORRUPTED;   /* referenced but missing */
	}
	if (fstat(fd, &st) != 0 || read(fd, header, sizeof(header)) != (ssize_t)sizeof(header) ||
	    memcmp(header, "OCB1", 4) != 0) {
		close(fd);
		return MAPISTORE_ERR_CORRUPTED;
	}
	for (i = 0; i < 4; i++) {
		length |= (uint32_t)header[4 + i] << (8 * i);
	}
	for (i = 0; i < 8; i++) {
		sum |= (uint64_t)header[8 + i] << (8 * i);
	}
	if ((uint64_t)st.st_size != (uint64_t)length + sizeof(header) ||
	    length > MAPISTORE_MAX_VALUE_SIZE) {
		close(fd);
		return MAPISTORE_ERR_CORRUPTED;
	}
	data = talloc_size(mem_ctx, length ? length : 1);
	if (data == NULL) {
		close(fd);
		return MAPISTORE_ERR_NO_MEMORY;
	}
	got = length ? read(fd, data, length) : 0;
	close(fd);
	if (got != (ssize_t)length || fnv64(data, length) != sum) {
		talloc_free(data);
		return MAPISTORE_ERR_CORRUPTED;
	}
	*data_r = data;
	*length_r = length;
	return MAPISTORE_SUCCESS;
}

void local_blob_remove(struct local_store *s, const char *name)
{
	char *path;

	if (!blob_name_ok(name)) {
		return;
	}
	path = talloc_asprintf(s, "%s/%c%c/%s", s->blob_dir, name[0], name[1], name);
	if (path != NULL) {
		unlink(path);
		talloc_free(path);
	}
}

/* ---- message content codec ---- */

struct wbuf {
	TALLOC_CTX *mem_ctx;
	uint8_t *data;
	size_t length;
	bool failed;
};

static void w_bytes(struct wbuf *b, const void *p, size_t n)
{
	uint8_t *grown;

	if (b->failed || n == 0) {
		return;
	}
	grown = talloc_realloc(b->mem_ctx, b->data, uint8_t, b->length + n);
	if (grown == NULL) {
		b->failed = true;
		return;
	}
	b->data = grown;
	memcpy(b->data + b->length, p, n);
	b->length += n;
}

static void w_u32(struct wbuf *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	w_bytes(b, t, 4);
}

static void w_props(struct wbuf *b, const struct mapistore_property *props, uint32_t count)
{
	struct mapistore_binary enc;

	if (b->failed) {
		return;
	}
	if (mapistore_properties_encode(b->mem_ctx, props, count, &enc) != MAPISTORE_SUCCESS ||
	    enc.length > 0xFFFFFFFFu) {
		b->failed = true;
		return;
	}
	w_u32(b, (uint32_t)enc.length);
	w_bytes(b, enc.data, enc.length);
	talloc_free(enc.data);
}

static void w_msg(struct wbuf *b, const struct local_msg *m, bool with_props, unsigned depth)
{
	uint32_t i;

	if (depth > LOCAL_MAX_EMBED_DEPTH) {
		b->failed = true;
		return;
	}
	w_bytes(b, "OCLM", 4);
	if (with_props) {
		w_props(b, m->props.props, m->props.count);
	}
	w_u32(b, m->next_aid);
	w_u32(b, m->recipient_count);
	for (i = 0; i < m->recipient_count; i++) {
		w_u32(b, m->recipients[i].row_id);
		w_u32(b, m->recipients[i].type);
		w_props(b, m->recipients[i].props, m->recipients[i].count);
	}
	w_u32(b, m->att_count);
	for (i = 0; i < m->att_count; i++) {
		uint8_t has = m->atts[i]->embedded != NULL;

		w_u32(b, m->atts[i]->aid);
		w_props(b, m->atts[i]->props.props, m->atts[i]->props.count);
		w_bytes(b, &has, 1);
		if (has) {
			w_msg(b, m->atts[i]->embedded, true, depth + 1);
		}
	}
}

enum mapistore_error local_msg_encode(TALLOC_CTX *mem_ctx, const struct local_msg *m,
	bool with_props, struct mapistore_binary *out)
{
	struct wbuf b = { .mem_ctx = mem_ctx };

	w_msg(&b, m, with_props, 0);
	if (b.failed) {
		talloc_free(b.data);
		return MAPISTORE_ERR_INVALID_PARAMETER;
	}
	out->data = b.data;
	out->length = b.length;
	return MAPISTORE_SUCCESS;
}

struct rbuf {
	const uint8_t *p;
	size_t left;
};

static bool r_u32(struct rbuf *r, uint32_t *v)
{
	if (r->left < 4) {
		return false;
	}
	*v = (uint32_t)r->p[0] | ((uint32_t)r->p[1] << 8) | ((uint32_t)r->p[2] << 16) |
	     ((uint32_t)r->p[3] << 24);
	r->p += 4;
	r->left -= 4;
	return true;
}

static enum mapistore_error r_props(TALLOC_CTX *mem_ctx, struct rbuf *r,
	struct mapistore_property **props_r, uint32_t *count_r)
{
	enum mapistore_error ret;
	uint32_t len;

	if (!r_u32(r, &len) || len > r->left) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	ret = mapistore_properties_decode(mem_ctx, r->p, len, props_r, count_r);
	r->p += len;
	r->left -= len;
	return ret;
}

static enum mapistore_error r_msg(TALLOC_CTX *mem_ctx, struct rbuf *r, bool with_props,
	unsigned depth, struct local_msg **m_r)
{
	struct local_msg *m;
	enum mapistore_error ret = MAPISTORE_SUCCESS;
	uint32_t i, n;

	if (depth > LOCAL_MAX_EMBED_DEPTH || r->left < 4 || memcmp(r->p, "OCLM", 4) != 0) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	r->p += 4;
	r->left -= 4;
	m = talloc_zero(mem_ctx, struct local_msg);
	if (m == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	if (with_props) {
		ret = r_props(m, r, &m->props.props, &m->props.count);
	}
	/* each recipient takes >= 12 bytes, each attachment >= 13 */
	if (ret == MAPISTORE_SUCCESS &&
	    (!r_u32(r, &m->next_aid) || !r_u32(r, &n) || n > LOCAL_MAX_RECIPIENTS || n > r->left / 12)) {
		ret = MAPISTORE_ERR_CORRUPTED;
	}
	if (ret == MAPISTORE_SUCCESS) {
		m->recipients = talloc_zero_array(m, struct mapistore_recipient, n ? n : 1);
		ret = m->recipients ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
		m->recipient_count = ret == MAPISTORE_SUCCESS ? n : 0;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < m->recipient_count; i++) {
		if (!r_u32(r, &m->recipients[i].row_id) || !r_u32(r, &m->recipients[i].type)) {
			ret = MAPISTORE_ERR_CORRUPTED;
			break;
		}
		ret = r_props(m->recipients, r, &m->recipients[i].props, &m->recipients[i].count);
	}
	if (ret == MAPISTORE_SUCCESS &&
	    (!r_u32(r, &n) || n > LOCAL_MAX_ATTACHMENTS || n > r->left / 9)) {
		ret = MAPISTORE_ERR_CORRUPTED;
	}
	if (ret == MAPISTORE_SUCCESS) {
		m->atts = talloc_zero_array(m, struct local_att *, n ? n : 1);
		ret = m->atts ? MAPISTORE_SUCCESS : MAPISTORE_ERR_NO_MEMORY;
	}
	for (i = 0; ret == MAPISTORE_SUCCESS && i < n; i++) {
		struct local_att *a = talloc_zero(m->atts, struct local_att);

		if (a == NULL) {
			ret = MAPISTORE_ERR_NO_MEMORY;
			break;
		}
		m->atts[i] = a;
		m->att_count = i + 1;
		if (!r_u32(r, &a->aid)) {
			ret = MAPISTORE_ERR_CORRUPTED;
			break;
		}
		ret = r_props(a, r, &a->props.props, &a->props.count);
		if (ret == MAPISTORE_SUCCESS) {
			if (r->left < 1 || r->p[0] > 1) {
				ret = MAPISTORE_ERR_CORRUPTED;
				break;
			}
			r->left--;
			if (*r->p++ == 1) {
				ret = r_msg(a, r, true, depth + 1, &a->embedded);
			}
		}
	}
	if (ret != MAPISTORE_SUCCESS) {
		talloc_free(m);
		return ret;
	}
	*m_r = m;
	return MAPISTORE_SUCCESS;
}

enum mapistore_error local_msg_decode(TALLOC_CTX *mem_ctx, const uint8_t *data,
	size_t length, bool with_props, struct local_msg **m_r)
{
	struct rbuf r = { .p = data, .left = length };
	struct local_msg *m = NULL;
	enum mapistore_error ret;

	if (data == NULL) {
		return MAPISTORE_ERR_CORRUPTED;
	}
	ret = r_msg(mem_ctx, &r, with_props, 0, &m);
	if (ret == MAPISTORE_SUCCESS && r.left != 0) {
		talloc_free(m);
		return MAPISTORE_ERR_CORRUPTED;
	}
	if (ret == MAPISTORE_SUCCESS) {
		*m_r = m;
	}
	return ret;
}

/* ---- fsck ---- */

static const char sql_fsck_msgs[] =
	"SELECT mid, props, content, content_blob, checksum FROM messages";
static const char sql_fsck_counts[] =
	"SELECT f.fid, f.msg_count, f.fai_count,"
	" (SELECT COUNT(*) FROM messages m WHERE m.fid = f.fid AND m.fai = 0),"
	" (SELECT COUNT(*) FROM messages m WHERE m.fid = f.fid AND m.fai = 1)"
	" FROM folders f";
static const char sql_fsck_blob_used[] =
	"SELECT 1 FROM messages WHERE content_blob = ?";

static void remove_orphans(struct local_store *s, bool repair, uint32_t *problems)
{
	DIR *top = opendir(s->blob_dir);
	struct dirent *de;

	while (top != NULL && (de = readdir(top)) != NULL) {
		char *sub;
		DIR *d;
		struct dirent *f;

		if (de->d_name[0] == '.') {
			continue;
		}
		sub = talloc_asprintf(s, "%s/%s", s->blob_dir, de->d_name);
		d = sub ? opendir(sub) : NULL;
		while (d != NULL && (f = readdir(d)) != NULL) {
			sqlite3_stmt *st;
			bool used = false;

			if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0) {
				continue;
			}
			st = local_stmt(s, sql_fsck_blob_used);
			if (st != NULL) {
				sqlite3_bind_text(st, 1, f->d_name, -1, SQLITE_STATIC);
				used = sqlite3_step(st) == SQLITE_ROW;
				sqlite3_reset(st);
			}
			/* unreferenced blobs and temp files are leftovers of a crash
			 * before commit or after commit and before cleanup */
			if (!used) {
				if (repair) {
					char *path = talloc_asprintf(s, "%s/%s", sub, f->d_name);

					if (path != NULL) {
						unlink(path);
					}
					talloc_free(path);
				}
			}
		}
		if (d != NULL) {
			closedir(d);
		}
		talloc_free(sub);
	}
	if (top != NULL) {
		closedir(top);
	}
	(void)problems;
}

enum mapistore_error local_fsck(struct local_store *s, bool repair, uint32_t *problems_r)
{
	TALLOC_CTX *tmp = talloc_new(s);
	uint32_t problems = 0;
	sqlite3_stmt *st = NULL;
	int rc;

	if (tmp == NULL) {
		return MAPISTORE_ERR_NO_MEMORY;
	}
	rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		problems++;
	}
	sqlite3_finalize(st);
	rc = sqlite3_prepare_v2(s->db, sql_fsck_msgs, -1, &st, NULL);
	while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		struct mapistore_property *props = NULL;
		struct local_msg *m = NULL;
		const uint8_t *content = sqlite3_column_blob(st, 2);
		size_t clen = (size_t)sqlite3_column_bytes(st, 2);
		uint8_t *blob = NULL;
		uint32_t count = 0;

		if (mapistore_properties_decode(tmp, sqlite3_column_blob(st, 1),
						(size_t)sqlite3_column_bytes(st, 1), &props, &count) !=
		    MAPISTORE_SUCCESS) {
			problems++;
		}
		if (sqlite3_column_type(st, 3) == SQLITE_TEXT) {
			if (local_blob_read(tmp, s, (const char *)sqlite3_column_text(st, 3),
					    &blob, &clen) != MAPISTORE_SUCCESS) {
				problems++;
				continue;
			}
			content = blob;
		}
		if (local_msg_decode(tmp, content, clen, false, &m) != MAPISTORE_SUCCESS ||
		    fnv64(content, clen) != (uint64_t)sqlite3_column_int64(st, 4)) {
			problems++;
		}
		talloc_free(props);
		talloc_free(m);
		talloc_free(blob);
	}
	sqlite3_finalize(st);
	rc = sqlite3_prepare_v2(s->db, sql_fsck_counts, -1, &st, NULL);
	while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) != sqlite3_column_int64(st, 3) ||
		    sqlite3_column_int64(st, 2) != sqlite3_column_int64(st, 4)) {
			problems++;
		}
	}
	sqlite3_finalize(st);
	remove_orphans(s, repair, &problems);
	talloc_free(tmp);
	*problems_r = problems;
	return problems ? MAPISTORE_ERR_CORRUPTED : MAPISTORE_SUCCESS;
}

uint64_t local_checksum(const uint8_t *data, size_t length)
{
	return fnv64(data, length);
}
