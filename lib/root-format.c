/* SPDX-License-Identifier: MIT */
/* The snapshot format: how bytes, paths and each operation's result are
 * written in JSON, and read back from a tree's metadata or a snapshot.
 *
 * Metadata of a tree (ROOT/.sysctr-root.json) and snapshots, format 1:
 *   {
 *     "format": 1,
 *     "description": "where this tree comes from",
 *     "euid": 0,                              the prober's effective uid
 *     "statfs": { "/sys/fs/cgroup": "tmpfs",  fs type name or "0x..." magic
 *                 "/sys/fs/cgroup/unified": "cgroup2" },
 *     "stat": { "/sys/fs/cgroup/x": { "uid": 0, "gid": 0, "mode": "0755",
 *                                     "type": "dir" } },
 *     "blkdev": { "/dev/block/254:0": { "devname": "/dev/vda",
 *                 "fstype": "ext4", "label": null, "uuid": "...",
 *                 "error": "EACCES" } },      "error" only when a lookup failed
 *     "errors": { "/proc/1/environ": "EACCES" }   replayed failures
 *   }
 * Every key but "format" is optional. A statfs of a path that exists but
 * has no entry is -SC_ENOFACT ("not recorded"), never a guess; so is a
 * device number without a "blkdev" entry (snapshots recorded before that
 * map existed name no device, as the probe did not name any for them).
 * Git cannot keep empty directories, so fixture trees put a ".keep" file
 * in them; sc_root_list() hides ".keep" entries of non-live roots.
 *
 * A snapshot (what --record writes, and what the setns child sends back)
 * is one JSON file of the same format with the content too:
 *     "files":  { "/proc/cgroups": "#subsys_name ..." },
 *     "links":  { "/proc/self/ns/cgroup": "cgroup:[4026531835]" },
 *     "dirs":   { "/sys/fs/cgroup": [ "cpu", "memory" ] },
 *     "exists": { "/run/systemd/system": true },
 *     "search": { "/usr/lib/systemd/systemd": { "running in": "systemd 252 running in" } },
 *     "manager": { "/run/systemd/private": { "version": "252.39-1~deb12u2",
 *                  "system_state": "degraded", "failed_units": [ "tmp.mount" ] } }
 * and "op_errors" ({ "readlink": { PATH: "EINVAL" }, ... }) lists every
 * failure of each operation, ENOENT included: in a snapshot, a path
 * that was never asked for is -SC_ENOFACT, not absent.
 *
 * Bytes. A container's files, file names and link targets are bytes, not
 * text, and JSON strings must be UTF-8. A value that is not valid UTF-8
 * is recorded as { "base64": "..." } (RFC 4648), a path that is not as
 * the key "base64:..." (a real key always starts with "/"), so nothing a
 * container holds is dropped from a recording; NUL bytes (environ) are
 * valid in JSON strings and stay strings.
 *
 * A snapshot is untrusted input (a bug report's attachment, or what a
 * container's files made the setns child send). A replayed operation
 * never succeeds without its data: a path known only to another map is
 * -SC_ENOFACT, a value of the wrong JSON type -EBADMSG, and a directory
 * listing is bounded (SC_LIST_MAX entries, -E2BIG past it). */
#include <inttypes.h>
#include <stdio.h>

#include "blkdev.h"
#include "manager.h"
#include "root-internal.h"
#include "util.h"

/* ---- bytes in JSON ---------------------------------------------------------- */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *p, size_t n)
{
	char *out = sc_xmalloc((n + 2) / 3 * 4 + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = b64_alphabet[(v >> 18) & 63];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64_alphabet[v & 63] : '=';
	}
	*o = 0;
	return out;
}

/* Strict: padding required, nothing but the alphabet. -EBADMSG else. */
static int b64_decode(const char *s, size_t n, char **ret, size_t *ret_size)
{
	_cleanup_free_ char *out = NULL;
	size_t o = 0;

	if (n % 4)
		return -EBADMSG;
	out = sc_xmalloc(n / 4 * 3 + 1);
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int pad = 0;

		for (size_t j = 0; j < 4; j++) {
			const char *c = s[i + j] ? strchr(b64_alphabet, s[i + j]) : NULL;

			if (s[i + j] == '=' && i + 4 == n && j >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (!c || pad)
				return -EBADMSG;
			v = v << 6 | (uint32_t)(c - b64_alphabet);
		}
		out[o++] = (char)(v >> 16);
		if (pad < 2)
			out[o++] = (char)(v >> 8);
		if (pad < 1)
			out[o++] = (char)v;
	}
	out[o] = 0;
	*ret_size = o;
	*ret = TAKE_PTR(out);
	return 0;
}

/* jansson checks UTF-8; never NULL. */
json_t *sc_json_from_bytes(const char *p, size_t n)
{
	json_t *v = json_stringn(p, n);
	_cleanup_free_ char *b = NULL;

	if (v)
		return v;
	b = b64_encode((const unsigned char *)p, n);
	return json_pack("{s:s}", "base64", b);
}

int sc_json_to_bytes(json_t *v, char **ret, size_t *ret_size)
{
	json_t *b;

	if (json_is_string(v)) {
		size_t n = json_string_length(v);
		char *buf = sc_xmalloc(n + 1);

		memcpy(buf, json_string_value(v), n);
		buf[n] = 0;
		*ret = buf;
		*ret_size = n;
		return 0;
	}
	b = json_is_object(v) && json_object_size(v) == 1 ? json_object_get(v, "base64") : NULL;
	if (!json_is_string(b))
		return -EBADMSG;
	return b64_decode(json_string_value(b), json_string_length(b), ret, ret_size);
}

char *sc_path_key(const char *npath)
{
	json_t *probe = json_string(npath);
	_cleanup_free_ char *b = NULL;

	if (probe) {
		json_decref(probe);
		return sc_xstrdup(npath);
	}
	b = b64_encode((const unsigned char *)npath, strlen(npath));
	return sc_xasprintf("base64:%s", b);
}

/* ---- maps ----------------------------------------------------------------------- */

json_t *sc_meta_map(json_t *doc, const char *key)
{
	json_t *m = doc ? json_object_get(doc, key) : NULL;

	/* A map of the wrong type in a hostile snapshot is no map. */
	return json_is_object(m) ? m : NULL;
}

json_t *sc_meta_entry(json_t *doc, const char *key, const char *npath)
{
	json_t *m = sc_meta_map(doc, key);
	_cleanup_free_ char *k = NULL;

	if (!m)
		return NULL;
	k = sc_path_key(npath);
	return json_object_get(m, k);
}

/* "op_errors" is what recordings write (readlink's EINVAL says "not a
 * link", not "absent"); "errors" is how fixtures say it. */
int sc_meta_error(json_t *meta, const char *op, const char *npath)
{
	json_t *e = NULL;

	if (op)
		e = sc_meta_entry(sc_meta_map(meta, "op_errors"), op, npath);
	if (!e)
		e = sc_meta_entry(meta, "errors", npath);
	if (!e || !json_is_string(e))
		return 0;
	return -sc_errno_from_name(json_string_value(e));
}

/* ---- each operation's result ---------------------------------------------------- */

int sc_meta_statfs(json_t *meta, const char *npath, uint64_t *ret_magic)
{
	json_t *v = sc_meta_entry(meta, "statfs", npath);

	if (!v || !json_is_string(v))
		return -SC_ENOFACT;
	if (sc_fs_magic_from_name(json_string_value(v), ret_magic) < 0)
		return -EBADMSG;
	return 0;
}

json_t *sc_statfs_json(uint64_t magic)
{
	const char *name = sc_fs_magic_name(magic);
	char hex[32];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, magic);
	return json_string(name ? name : hex);
}

static const char *type_name(mode_t m)
{
	return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : "other";
}

mode_t sc_meta_stat_type(json_t *entry)
{
	const char *t = json_string_value(json_object_get(entry, "type"));

	return streq_ptr(t, "dir")     ? S_IFDIR
	       : streq_ptr(t, "link")  ? S_IFLNK
	       : streq_ptr(t, "other") ? S_IFIFO
				       : S_IFREG;
}

void sc_meta_stat_override(json_t *o, struct stat *st)
{
	json_t *v;

	if (!o)
		return;
	if ((v = json_object_get(o, "uid")) && json_is_integer(v))
		st->st_uid = (uid_t)json_integer_value(v);
	if ((v = json_object_get(o, "gid")) && json_is_integer(v))
		st->st_gid = (gid_t)json_integer_value(v);
	if ((v = json_object_get(o, "mode")) && json_is_string(v))
		st->st_mode =
			(st->st_mode & S_IFMT) | (mode_t)strtoul(json_string_value(v), NULL, 8);
}

json_t *sc_stat_json(const struct stat *st)
{
	char mode[8];

	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st->st_mode & 07777));
	return json_pack("{s:I,s:I,s:s,s:s}", "uid", (json_int_t)st->st_uid, "gid",
			 (json_int_t)st->st_gid, "mode", mode, "type", type_name(st->st_mode));
}

int sc_meta_manager(json_t *meta, const char *npath, struct sc_manager_state *ret)
{
	json_t *v = sc_meta_entry(meta, "manager", npath), *u;
	struct sc_strv_builder b = {};
	struct sc_manager_state s = {};
	size_t i;

	if (!v || !json_is_object(v))
		return -SC_ENOFACT;
	if (json_is_string(json_object_get(v, "version")))
		s.version = sc_xstrdup(json_string_value(json_object_get(v, "version")));
	if (json_is_string(json_object_get(v, "system_state")))
		s.system_state = sc_xstrdup(json_string_value(json_object_get(v, "system_state")));
	json_array_foreach(json_object_get(v, "failed_units"), i, u)
	{
		if (json_is_string(u))
			sc_strv_builder_push(&b, json_string_value(u));
	}
	s.failed_units = sc_strv_builder_take(&b);
	*ret = s;
	return 0;
}

json_t *sc_manager_json(const struct sc_manager_state *s)
{
	json_t *units = json_array();

	for (char **u = s->failed_units; u && *u; u++)
		json_array_append_new(units, json_string(*u));
	return json_pack("{s:o,s:o,s:o}", "version",
			 s->version ? json_string(s->version) : json_null(), "system_state",
			 s->system_state ? json_string(s->system_state) : json_null(),
			 "failed_units", units);
}

/* One string of a "blkdev" entry: NULL when null, -EBADMSG when neither
 * a string without NUL bytes (what libblkid returns) nor null. */
static int blkdev_field(json_t *o, const char *key, char **ret)
{
	json_t *v = json_object_get(o, key);
	char *s = NULL;
	size_t n;
	int k;

	if (v && !json_is_null(v)) {
		k = sc_json_to_bytes(v, &s, &n);
		if (k < 0)
			return k;
		if (n == 0 || memchr(s, 0, n)) {
			free(s);
			return -EBADMSG;
		}
	}
	*ret = s;
	return 0;
}

int sc_meta_blkdev(json_t *meta, const char *npath, unsigned major, unsigned minor,
		   struct sc_blkdev *ret)
{
	json_t *o = sc_meta_entry(meta, "blkdev", npath), *e;
	struct sc_blkdev d = { .major = major, .minor = minor };
	int k;

	if (!o)
		return -SC_ENOFACT;
	if (!json_is_object(o))
		return -EBADMSG;
	e = json_object_get(o, "error");
	if (e && !json_is_string(e))
		return -EBADMSG;
	if ((k = blkdev_field(o, "devname", &d.devname)) < 0 ||
	    (k = blkdev_field(o, "fstype", &d.fstype)) < 0 ||
	    (k = blkdev_field(o, "label", &d.label)) < 0 ||
	    (k = blkdev_field(o, "uuid", &d.uuid)) < 0) {
		sc_blkdev_done(&d);
		return k;
	}
	d.err = e ? sc_errno_from_name(json_string_value(e)) : 0;
	*ret = d;
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? sc_json_from_bytes(s, strlen(s)) : json_null();
}

json_t *sc_blkdev_json(const struct sc_blkdev *d)
{
	json_t *o = json_pack("{s:o,s:o,s:o,s:o}", "devname", str_or_null(d->devname), "fstype",
			      str_or_null(d->fstype), "label", str_or_null(d->label), "uuid",
			      str_or_null(d->uuid));

	if (d->err)
		json_object_set_new(o, "error", json_string(sc_errname(d->err)));
	return o;
}

uid_t sc_meta_euid(json_t *meta)
{
	json_t *v = json_object_get(meta, "euid");

	return v && json_is_integer(v) ? (uid_t)json_integer_value(v) : 0;
}
