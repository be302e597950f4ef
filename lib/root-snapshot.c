/* SPDX-License-Identifier: MIT */
/* The snapshot backend of sc_root: replay of a recording (--record, or
 * what the setns child sent), untrusted input (format in root-format.c). */
#include "manager.h"
#include "root-internal.h"
#include "util.h"

static int snapshot_read(struct sc_root *r, const char *npath, size_t max, char **ret,
			 size_t *ret_size)
{
	json_t *v = sc_meta_entry(r->meta, "files", npath);
	_cleanup_free_ char *buf = NULL;
	size_t n;
	int k;

	if (!v) {
		json_t *st = sc_meta_entry(r->meta, "stat", npath);

		if (sc_meta_entry(r->meta, "dirs", npath) ||
		    (json_is_object(st) &&
		     !streq_ptr(json_string_value(json_object_get(st, "type")), "file")))
			return -SC_ENOTREG;
		return -SC_ENOFACT;
	}
	k = sc_json_to_bytes(v, &buf, &n);
	if (k < 0)
		return k;
	if (n > max)
		return -EFBIG;
	*ret = TAKE_PTR(buf);
	*ret_size = n;
	return 0;
}

static int snapshot_search(struct sc_root *r, const char *npath, const char *const *needles,
			   size_t n, char **found)
{
	json_t *m = sc_meta_entry(r->meta, "search", npath);
	int k = 0;

	if (!json_is_object(m))
		k = m ? -EBADMSG : -SC_ENOFACT;
	for (size_t i = 0; k >= 0 && i < n; i++) {
		json_t *v = json_object_get(m, needles[i]);
		size_t len;

		if (!v)
			k = -SC_ENOFACT;
		else if (!json_is_null(v)) {
			k = sc_json_to_bytes(v, &found[i], &len);
			/* What a live search returns: a run holding its
			 * needle. Callers rely on it (they skip to the
			 * needle with strstr()). */
			if (k >= 0 && (memchr(found[i], 0, len) || !strstr(found[i], needles[i])))
				k = -EBADMSG;
		}
	}
	return k;
}

/* A path the recording never saw is not a fact. Only for operations that
 * return no data (exists): one that returns data and finds none in its
 * own map is -SC_ENOFACT, whatever else the snapshot says of the path. */
static int snapshot_exists(struct sc_root *r, const char *npath)
{
	static const char *const maps[] = { "files", "links", "dirs", "exists", "stat", "search" };

	for (size_t i = 0; i < ELEMENTSOF(maps); i++)
		if (sc_meta_entry(r->meta, maps[i], npath))
			return 0;
	return -SC_ENOFACT;
}

static int snapshot_stat(struct sc_root *r, const char *npath, struct stat *ret)
{
	json_t *o = sc_meta_entry(r->meta, "stat", npath);
	struct stat st = {};

	if (!o)
		return -SC_ENOFACT;
	st.st_mode = sc_meta_stat_type(o);
	sc_meta_stat_override(o, &st);
	*ret = st;
	return 0;
}

static int snapshot_readlink(struct sc_root *r, const char *npath, char **ret)
{
	json_t *v = sc_meta_entry(r->meta, "links", npath);
	_cleanup_free_ char *t = NULL;
	size_t len;
	int k;

	if (!v) {
		k = snapshot_exists(r, npath);
		return k < 0 ? k : -EINVAL; /* recorded, but not as a link */
	}
	k = sc_json_to_bytes(v, &t, &len);
	if (k >= 0 && (len == 0 || memchr(t, 0, len)))
		k = -EBADMSG; /* no link target is empty or holds a NUL */
	if (k < 0)
		return k;
	*ret = TAKE_PTR(t);
	return 0;
}

/* A recorded listing: an array of names, each a real entry name (not
 * empty, no "/", no NUL, not "." or ".."), at most SC_LIST_MAX. */
static int snapshot_list(struct sc_root *r, const char *npath, char ***ret)
{
	_cleanup_strv_builder_ struct sc_strv_builder names = {};
	json_t *a = sc_meta_entry(r->meta, "dirs", npath), *e;
	size_t i;

	if (!a)
		return sc_meta_entry(r->meta, "files", npath) ? -ENOTDIR : -SC_ENOFACT;
	if (!json_is_array(a))
		return -EBADMSG;
	if (json_array_size(a) > SC_LIST_MAX)
		return -E2BIG;
	json_array_foreach(a, i, e)
	{
		char *name;
		size_t len;
		int k = sc_json_to_bytes(e, &name, &len);

		if (k < 0)
			return k;
		if (len == 0 || memchr(name, 0, len) || strchr(name, '/') || streq(name, ".") ||
		    streq(name, "..")) {
			free(name);
			return -EBADMSG;
		}
		sc_strv_builder_consume(&names, name);
	}
	*ret = sc_strv_builder_take(&names);
	sc_strv_sort(*ret);
	return 0;
}

static int snapshot_statfs(struct sc_root *r, const char *npath, uint64_t *ret_magic)
{
	return sc_meta_statfs(r->meta, npath, ret_magic);
}

static int snapshot_manager(struct sc_root *r, const char *npath, unsigned timeout_ms,
			    struct sc_manager_state *ret)
{
	return sc_meta_manager(r->meta, npath, ret);
}

static int snapshot_blkdev(struct sc_root *r, const char *npath, unsigned major, unsigned minor,
			   struct sc_blkdev *ret)
{
	return sc_meta_blkdev(r->meta, npath, major, minor, ret);
}

static uid_t snapshot_euid(struct sc_root *r)
{
	return sc_meta_euid(r->meta);
}

const struct sc_root_ops sc_root_snapshot_ops = {
	.kind = "snapshot",
	.read = snapshot_read,
	.search = snapshot_search,
	.exists = snapshot_exists,
	.stat = snapshot_stat,
	.readlink = snapshot_readlink,
	.list = snapshot_list,
	.statfs = snapshot_statfs,
	.manager = snapshot_manager,
	.blkdev = snapshot_blkdev,
	.euid = snapshot_euid,
};
