/* SPDX-License-Identifier: MIT */
/* sc_root's front end: every public operation written once (the path
 * normalized, the hook, the failures a tree or snapshot records, the
 * recording of the result), over a backend that only answers: live
 * (root-live.c), tree (root-tree.c) or snapshot (root-snapshot.c), each a
 * struct sc_root_ops (root-internal.h). The format is in root-format.c.
 *
 * Paths. Every path is normalized lexically first ("//" collapsed, "."
 * dropped, ".." clamped at the root), so "/sys/fs/cgroup/../../../etc"
 * means "/etc" of the root whatever it holds, and a recording made live
 * replays exactly. */
#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"
#include "manager.h"
#include "output.h"
#include "root-internal.h"
#include "util.h"

/* A snapshot file is data from a bug report: bounded like any read. */
#define SNAPSHOT_MAX (256u * 1024u * 1024u)

char *sc_path_normalize(const char *p)
{
	char *n = sc_xmalloc(strlen(p) + 2), *o = n;

	*o++ = '/';
	while (*p) {
		size_t l;

		while (*p == '/')
			p++;
		l = strcspn(p, "/");
		if (l == 0)
			break;
		if (l == 1 && p[0] == '.') {
			/* nothing */
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			/* Clamp at the root, as RESOLVE_IN_ROOT does. */
			while (o > n + 1 && o[-1] != '/')
				o--;
			if (o > n + 1)
				o--;
		} else {
			if (o > n + 1)
				*o++ = '/';
			memcpy(o, p, l);
			o += l;
		}
		p += l;
	}
	*o = 0;
	return n;
}

/* ---- the front end: hook, recorded failures, recording ---------------------- */

/* The map at key in a recording, created when absent. */
static json_t *rec_map(json_t *parent, const char *key)
{
	json_t *m = json_object_get(parent, key);

	if (!m) {
		m = json_object();
		json_object_set_new(parent, key, m);
	}
	return m;
}

static void rec_set(struct sc_root *r, const char *key, const char *npath, json_t *v)
{
	_cleanup_free_ char *k = NULL;

	if (!r->rec || !v) {
		json_decref(v);
		return;
	}
	k = sc_path_key(npath);
	json_object_set_new(rec_map(r->rec, key), k, v);
}

static void rec_error(struct sc_root *r, const char *op, const char *npath, int err)
{
	_cleanup_free_ char *k = NULL;

	/* A snapshot also records absence: replaying it must not turn a
	 * missing file into an unknown one. Per operation: the same path
	 * may be readable as a directory and "not a link" to readlink. */
	if (!r->rec)
		return;
	k = sc_path_key(npath);
	json_object_set_new(rec_map(rec_map(r->rec, "op_errors"), op), k,
			    json_string(sc_errname(err)));
}

/* Before every operation: the hook sees it first (an error from it is
 * the result), then the failures a tree or snapshot records for it. */
static int op_begin(struct sc_root *r, const char *op, const char *npath)
{
	int k = r->hook ? r->hook(r->hook_data, op, npath) : 0;

	if (k >= 0)
		k = sc_meta_error(r->meta, op, npath);
	return k;
}

/* A failure is recorded too, and returned. */
static int op_fail(struct sc_root *r, const char *op, const char *npath, int k)
{
	rec_error(r, op, npath, k);
	return k;
}

void sc_root_set_hook(struct sc_root *r, sc_root_hook_t h, void *data)
{
	r->hook = h;
	r->hook_data = data;
}

static bool is_snapshot(const struct sc_root *r)
{
	return r->ops == &sc_root_snapshot_ops;
}

int sc_root_record_start(struct sc_root *r)
{
	if (r->rec)
		return -EBUSY;
	r->rec = json_pack("{s:i,s:s,s:i,s:{},s:{},s:{},s:{},s:{},s:{},s:{},s:{}}", "format", 1,
			   "description", "snapshot recorded by sysctr-check " SC_VERSION, "euid",
			   (int)sc_root_euid(r), "files", "links", "dirs", "exists", "stat",
			   "statfs", "search", "errors");
	return 0;
}

json_t *sc_root_snapshot_get(struct sc_root *r, const char *key)
{
	return is_snapshot(r) ? sc_meta_map(r->meta, key) : NULL;
}

void sc_root_record_attach(struct sc_root *r, const char *map_key, const char *key, json_t *v)
{
	rec_set(r, map_key, key, v);
}

json_t *sc_root_record_take(struct sc_root *r)
{
	return TAKE_PTR(r->rec);
}

static int dump_snapshot(FILE *f, void *data)
{
	if (json_dumpf(data, f, JSON_INDENT(1) | JSON_SORT_KEYS) < 0 || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}

int sc_root_snapshot_write(json_t *snap, const char *file)
{
	return sc_output_write(file, SC_OUTPUT_NO_REPLACE, dump_snapshot, snap);
}

/* ---- opening --------------------------------------------------------------- */

static struct sc_root *root_new(const struct sc_root_ops *ops, const char *path, int dfd,
				unsigned flags)
{
	struct sc_root *r = sc_xcalloc(1, sizeof(*r));

	r->ops = ops;
	r->dfd = dfd;
	r->path = sc_xstrdup(path);
	r->use_openat2 = !(flags & SC_ROOT_NO_OPENAT2);
	return r;
}

static bool valid_meta(json_t *m)
{
	return m && json_is_object(m) && json_integer_value(json_object_get(m, "format")) == 1;
}

int sc_root_open_snapshot(json_t *snap, const char *name, struct sc_root **ret)
{
	struct sc_root *r;

	if (!valid_meta(snap) || !json_is_object(json_object_get(snap, "files")))
		return -EBADMSG;
	r = root_new(&sc_root_snapshot_ops, name, -1, 0);
	r->meta = json_incref(snap);
	*ret = r;
	return 0;
}

int sc_root_open(const char *path, unsigned flags, struct sc_root **ret)
{
	_cleanup_free_ char *data = NULL;
	struct sc_root_input in = { .fd = -1 };
	struct sc_root *r;
	struct stat b;
	size_t size;
	bool live;
	int k;

	if (!path)
		path = "/";
	k = sc_root_input_open(path, SNAPSHOT_MAX, SC_ROOT_OPEN_IDLE_MS, &in);
	if (k < 0)
		return k;
	/* An image is a tree: a file there is not taken for a snapshot. */
	if (in.fd < 0 && (flags & SC_ROOT_IMAGE)) {
		free(in.data);
		return -ENOTDIR;
	}
	if (in.fd < 0) {
		/* A snapshot file (--record): one JSON document, read whole.
		 * /proc/PID/cmdline and environ hold NULs. */
		json_error_t err;
		json_t *snap =
			json_loadb(in.data, in.size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);

		free(in.data);
		k = sc_root_open_snapshot(snap, path, ret);
		json_decref(snap);
		return k;
	}
	live = (flags & SC_ROOT_FORCE_LIVE) ||
	       (stat("/", &b) == 0 && in.st.st_dev == b.st_dev && in.st.st_ino == b.st_ino);
	r = root_new(live ? &sc_root_live_ops : &sc_root_tree_ops, path, in.fd, flags);
	if (!live && !(flags & SC_ROOT_IMAGE)) {
		k = sc_root_read(r, "/" SC_ROOT_META, SC_READ_MAX, &data, &size);
		if (k >= 0) {
			json_error_t err;

			r->meta = json_loadb(data, size, 0, &err);
			if (!valid_meta(r->meta)) {
				sc_root_free(r);
				return -EBADMSG;
			}
		} else if (k != -ENOENT) {
			sc_root_free(r);
			return k;
		}
	}
	*ret = r;
	return 0;
}

void sc_root_free(struct sc_root *r)
{
	if (!r)
		return;
	json_decref(r->rec);
	json_decref(r->meta);
	if (r->dfd >= 0)
		close(r->dfd);
	free(r->path);
	free(r);
}

bool sc_root_is_live(const struct sc_root *r)
{
	return r->ops == &sc_root_live_ops;
}

const char *sc_root_path(const struct sc_root *r)
{
	return r->path;
}

bool sc_root_uses_openat2(const struct sc_root *r)
{
	return r->use_openat2;
}

const char *sc_root_description(const struct sc_root *r)
{
	const char *d = json_string_value(json_object_get(r->meta, "description"));
	return d ? d : "";
}

uid_t sc_root_euid(struct sc_root *r)
{
	return r->ops->euid(r);
}

/* ---- operations ---------------------------------------------------------- */

int sc_root_read(struct sc_root *r, const char *path, size_t max, char **ret, size_t *ret_size)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char *buf = NULL;
	size_t size = 0;
	int k;

	k = op_begin(r, "read", npath);
	if (k >= 0)
		k = r->ops->read(r, npath, max, &buf, &size);
	if (k < 0)
		return op_fail(r, "read", npath, k);
	rec_set(r, "files", npath, sc_json_from_bytes(buf, size));
	if (ret_size)
		*ret_size = size;
	*ret = buf;
	return 0;
}

int sc_root_search(struct sc_root *r, const char *path, const char *const *needles, size_t n,
		   char ***ret_matches)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char **found = sc_xcalloc(n + 1, sizeof(char *));
	int k;

	k = op_begin(r, "search", npath);
	if (k >= 0)
		k = r->ops->search(r, npath, needles, n, found);
	if (k < 0) {
		for (size_t i = 0; i < n; i++)
			free(found[i]);
		free(found);
		return op_fail(r, "search", npath, k);
	}
	if (r->rec) {
		json_t *m = json_object();
		for (size_t i = 0; i < n; i++)
			json_object_set_new(m, needles[i],
					    found[i]
						    ? sc_json_from_bytes(found[i], strlen(found[i]))
						    : json_null());
		rec_set(r, "search", npath, m);
	}
	*ret_matches = found;
	return 0;
}

int sc_root_read_env(struct sc_root *r, const char *path, const char *key, char **ret_value)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	_cleanup_free_ char *buf = NULL;
	json_t *saved = TAKE_PTR(r->rec);
	size_t size = 0, kl = strlen(key);
	char *value = NULL;
	int k;

	/* Read without recording, then record only the variable asked for. */
	k = sc_root_read(r, npath, 1024 * 1024, &buf, &size);
	r->rec = saved;
	if (k < 0) {
		rec_error(r, "read", npath, k);
		return k;
	}
	for (size_t i = 0; i < size; i += strlen(buf + i) + 1)
		if (strncmp(buf + i, key, kl) == 0 && buf[i + kl] == '=') {
			value = sc_xstrdup(buf + i + kl + 1);
			break;
		}
	if (r->rec) {
		/* Merge with the variables recorded before: each kept with its
		 * terminating NUL, as in the real file. */
		_cleanup_free_ char *prev = NULL, *pk = sc_path_key(npath);
		size_t pl = 0;
		_cleanup_free_ char *kept = value ? sc_xasprintf("%s=%s", key, value) : NULL;
		size_t kl2 = kept ? strlen(kept) + 1 : 0;
		_cleanup_free_ char *merged = NULL;

		if (sc_json_to_bytes(json_object_get(rec_map(r->rec, "files"), pk), &prev, &pl) < 0)
			pl = 0;
		merged = sc_xmalloc(pl + kl2 + 1);
		if (pl)
			memcpy(merged, prev, pl);
		if (kept)
			memcpy(merged + pl, kept, kl2);
		rec_set(r, "files", npath, sc_json_from_bytes(merged, pl + kl2));
	}
	if (!value)
		return -ENOENT;
	*ret_value = value;
	return 0;
}

int sc_root_read_line(struct sc_root *r, const char *path, char **ret)
{
	char *data;
	int k;

	k = sc_root_read(r, path, 64 * 1024, &data, NULL);
	if (k < 0)
		return k;
	data[strcspn(data, "\n")] = 0;
	*ret = sc_strstrip(data);
	return 0;
}

int sc_root_exists(struct sc_root *r, const char *path)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	int k;

	k = op_begin(r, "exists", npath);
	if (k >= 0)
		k = r->ops->exists(r, npath);
	if (k < 0)
		return op_fail(r, "exists", npath, k);
	rec_set(r, "exists", npath, json_true());
	return 0;
}

int sc_root_stat(struct sc_root *r, const char *path, struct stat *ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	struct stat st = {};
	int k;

	k = op_begin(r, "stat", npath);
	if (k >= 0)
		k = r->ops->stat(r, npath, &st);
	if (k < 0)
		return op_fail(r, "stat", npath, k);
	if (r->rec)
		rec_set(r, "stat", npath, sc_stat_json(&st));
	*ret = st;
	return 0;
}

int sc_root_readlink(struct sc_root *r, const char *path, char **ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char *target = NULL;
	int k;

	k = op_begin(r, "readlink", npath);
	if (k >= 0)
		k = r->ops->readlink(r, npath, &target);
	if (k < 0)
		return op_fail(r, "readlink", npath, k);
	rec_set(r, "links", npath, sc_json_from_bytes(target, strlen(target)));
	*ret = target;
	return 0;
}

int sc_root_list(struct sc_root *r, const char *path, char ***ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char **names = NULL;
	int k;

	k = op_begin(r, "list", npath);
	if (k >= 0)
		k = r->ops->list(r, npath, &names);
	if (k < 0)
		return op_fail(r, "list", npath, k);
	if (r->rec) {
		json_t *a = json_array();
		for (char **n = names; *n; n++)
			json_array_append_new(a, sc_json_from_bytes(*n, strlen(*n)));
		rec_set(r, "dirs", npath, a);
	}
	*ret = names;
	return 0;
}

int sc_root_statfs(struct sc_root *r, const char *path, uint64_t *ret_magic)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	uint64_t magic = 0;
	int k;

	k = op_begin(r, "statfs", npath);
	if (k >= 0)
		k = r->ops->statfs(r, npath, &magic);
	if (k < 0)
		return op_fail(r, "statfs", npath, k);
	if (r->rec)
		rec_set(r, "statfs", npath, sc_statfs_json(magic));
	*ret_magic = magic;
	return 0;
}

int sc_root_manager(struct sc_root *r, const char *path, unsigned timeout_ms,
		    struct sc_manager_state *ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	struct sc_manager_state s = {};
	int k;

	k = op_begin(r, "manager", npath);
	if (k >= 0)
		k = r->ops->manager(r, npath, timeout_ms, &s);
	if (k < 0)
		return op_fail(r, "manager", npath, k);
	if (r->rec)
		rec_set(r, "manager", npath, sc_manager_json(&s));
	*ret = s;
	return 0;
}

int sc_root_blkdev(struct sc_root *r, unsigned major, unsigned minor, struct sc_blkdev *ret)
{
	/* The path udev gives the device: normalized, hooked and recorded
	 * like any other. */
	_cleanup_free_ char *npath = sc_xasprintf("/dev/block/%u:%u", major, minor);
	struct sc_blkdev d = { .major = major, .minor = minor };
	int k;

	k = op_begin(r, "blkdev", npath);
	if (k >= 0)
		k = r->ops->blkdev(r, npath, major, minor, &d);
	if (k < 0) {
		*ret = (struct sc_blkdev){ .major = major, .minor = minor, .err = -k };
		return op_fail(r, "blkdev", npath, k);
	}
	if (r->rec)
		rec_set(r, "blkdev", npath, sc_blkdev_json(&d));
	*ret = d;
	return d.err ? -d.err : 0;
}
