/* SPDX-License-Identifier: MIT */
/* sc_root: bounded, confined reads relative to a root (a directory fd or
 * an in-memory snapshot), the facts a plain tree cannot carry, and
 * recording of everything read into a snapshot.
 *
 * Paths. Every path is normalized lexically first ("//" collapsed, "."
 * dropped, ".." clamped at the root), so "/sys/fs/cgroup/../../../etc"
 * means "/etc" of the root whatever it holds, and a recording made live
 * replays exactly.
 *
 * Confinement. Paths are resolved with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) (Linux 5.6, openat2(2)): ".." and absolute
 * symlinks stop at the root, and /proc magic links (/proc/PID/root,
 * /proc/PID/fd/N) are refused, so a hostile symlink in a container image
 * can never reach a host file. Where openat2 is missing (ENOSYS: old
 * kernel, or a seccomp filter), a component-wise walk does the same with
 * O_PATH|O_NOFOLLOW opens, resolving each symlink's text itself inside the
 * root and never letting the kernel follow one.
 *
 * Reads. A file is first opened O_PATH and fstat()ed: only regular files
 * (procfs, sysfs and cgroupfs files are regular) are opened for reading,
 * so a FIFO is never opened (it would block) and a device is never opened
 * (it could have side effects). The second open uses O_NONBLOCK and must
 * yield the same inode, or the read is refused (SC_ECHANGED). Reads stop
 * at a cap: a bigger file is refused with EFBIG.
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
 *     "errors": { "/proc/1/environ": "EACCES" }   replayed failures
 *   }
 * Every key but "format" is optional. A statfs of a path that exists but
 * has no entry is -SC_ENOFACT ("not recorded"), never a guess.
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
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "manager.h"
#include "output.h"
#include "root.h"
#include "util.h"

/* A snapshot file is data from a bug report: bounded like any read. */
#define SNAPSHOT_MAX (256u * 1024u * 1024u)

struct sc_root {
	int dfd; /* -1: a snapshot in memory */
	char *path;
	bool live;
	bool use_openat2;
	json_t *meta; /* tree metadata, or the whole snapshot */
	json_t *rec;  /* the snapshot being recorded, or NULL */
	sc_root_hook_t hook;
	void *hook_data;
};

static const struct {
	const char *name;
	uint64_t magic;
} fs_magics[] = {
	{ "tmpfs", SC_TMPFS_MAGIC },
	{ "cgroup", SC_CGROUP_SUPER_MAGIC },
	{ "cgroup2", SC_CGROUP2_SUPER_MAGIC },
	{ "sysfs", SC_SYSFS_MAGIC },
	{ "proc", SC_PROC_SUPER_MAGIC },
	{ "fuse", SC_FUSE_SUPER_MAGIC },
	{ "overlay", SC_OVERLAYFS_SUPER_MAGIC },
	{ "ext4", 0xef53 },
	{ "xfs", 0x58465342 },
	{ "btrfs", 0x9123683e },
	{ "devpts", 0x1cd1 },
	{ "ramfs", 0x858458f6 },
	{ "squashfs", 0x73717368 },
	{ "nfs", 0x6969 },
	{ "zfs", 0x2fc12fc1 },
};

const char *sc_fs_magic_name(uint64_t magic)
{
	for (size_t i = 0; i < ELEMENTSOF(fs_magics); i++)
		if (fs_magics[i].magic == magic)
			return fs_magics[i].name;
	return NULL;
}

int sc_fs_magic_from_name(const char *name, uint64_t *ret)
{
	char *end;

	for (size_t i = 0; i < ELEMENTSOF(fs_magics); i++)
		if (streq(fs_magics[i].name, name)) {
			*ret = fs_magics[i].magic;
			return 0;
		}
	if (startswith(name, "0x")) {
		errno = 0;
		unsigned long long v = strtoull(name + 2, &end, 16);
		if (errno == 0 && *end == 0 && end != name + 2) {
			*ret = v;
			return 0;
		}
	}
	return -EINVAL;
}

const char *sc_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case SC_ENOTREG:
		return "not a regular file (FIFO, device, socket or directory): refused";
	case SC_ECHANGED:
		return "file changed while being opened: refused";
	case SC_ENOFACT:
		return "not recorded in this snapshot";
	case E2BIG:
		return "too many entries (more than 1048576): refused";
	case ETIMEDOUT:
		return "timed out (a hung filesystem?)";
	default:
		return strerror(err);
	}
}

const char *sc_errname(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case SC_ENOTREG:
		return "ENOTREG";
	case SC_ECHANGED:
		return "ECHANGED";
	case SC_ENOFACT:
		return "ENOFACT";
	default:
		return sc_errno_name(err);
	}
}

int sc_errno_from_name(const char *name)
{
	static const char *const own[] = { "ENOTREG", "ECHANGED", "ENOFACT" };

	for (size_t i = 0; i < ELEMENTSOF(own); i++)
		if (streq(name, own[i]))
			return SC_ENOTREG + (int)i;
	for (int e = 1; e < 134; e++) {
		const char *n = strerrorname_np(e);
		if (n && streq(n, name))
			return e;
	}
	return EIO;
}

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

/* Any bytes as a JSON value: a string when they are UTF-8 (jansson
 * checks), else { "base64": ... }. Never NULL. */
static json_t *bytes_json(const char *p, size_t n)
{
	json_t *v = json_stringn(p, n);
	_cleanup_free_ char *b = NULL;

	if (v)
		return v;
	b = b64_encode((const unsigned char *)p, n);
	return json_pack("{s:s}", "base64", b);
}

/* The bytes of a recorded value (NUL-terminated copy): 0, or -EBADMSG
 * when it is neither form. */
static int json_bytes(json_t *v, char **ret, size_t *ret_size)
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

/* The key a path is recorded under (see "Bytes" above). */
static char *path_key(const char *npath)
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

/* ---- snapshot maps ----------------------------------------------------------- */

static json_t *map(json_t *doc, const char *key)
{
	json_t *m = doc ? json_object_get(doc, key) : NULL;

	/* A map of the wrong type in a hostile snapshot is no map. */
	return json_is_object(m) ? m : NULL;
}

static json_t *map_entry(json_t *doc, const char *key, const char *npath)
{
	json_t *m = map(doc, key);
	_cleanup_free_ char *k = NULL;

	if (!m)
		return NULL;
	k = path_key(npath);
	return json_object_get(m, k);
}

/* A failure recorded for this operation on this path ("op_errors", what
 * recordings write: readlink's EINVAL says "not a link", not "absent"),
 * or for the path whatever the operation ("errors", as fixtures say it). */
static int meta_error(struct sc_root *r, const char *op, const char *npath)
{
	json_t *e = NULL;

	if (op)
		e = map_entry(map(r->meta, "op_errors"), op, npath);
	if (!e)
		e = map_entry(r->meta, "errors", npath);
	if (!e || !json_is_string(e))
		return 0;
	return -sc_errno_from_name(json_string_value(e));
}

static bool is_snapshot(const struct sc_root *r)
{
	return r->dfd < 0;
}

/* In a snapshot, a path the recording never saw is not a fact. Only
 * for operations that return no data (exists): one that returns data
 * and finds none in its own map is -SC_ENOFACT, whatever else the
 * snapshot says of the path. */
static int snapshot_miss(struct sc_root *r, const char *npath)
{
	static const char *const maps[] = { "files", "links", "dirs", "exists", "stat", "search" };

	for (size_t i = 0; i < ELEMENTSOF(maps); i++)
		if (map_entry(r->meta, maps[i], npath))
			return 0;
	return -SC_ENOFACT;
}

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
	k = path_key(npath);
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
	k = path_key(npath);
	json_object_set_new(rec_map(rec_map(r->rec, "op_errors"), op), k,
			    json_string(sc_errname(err)));
}

/* The hook sees every operation first; an error from it is the result. */
static int hook(struct sc_root *r, const char *op, const char *npath)
{
	return r->hook ? r->hook(r->hook_data, op, npath) : 0;
}

void sc_root_set_hook(struct sc_root *r, sc_root_hook_t h, void *data)
{
	r->hook = h;
	r->hook_data = data;
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
	return is_snapshot(r) ? map(r->meta, key) : NULL;
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

/* ---- resolution ----------------------------------------------------------- */

static int openat2_in_root(int dfd, const char *rel, int flags, int *ret)
{
	/* openat2() is strict: with O_PATH only O_CLOEXEC, O_DIRECTORY and
	 * O_NOFOLLOW are accepted (EINVAL otherwise). */
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY)),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	/* RESOLVE_IN_ROOT returns EAGAIN when a concurrent rename might have
	 * moved a ".." target: retry a few times. */
	for (int i = 0; i < 8; i++) {
		fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd < 0)
		return -errno;
	*ret = fd;
	return 0;
}

/* The fallback: walk component by component, every open O_PATH|O_NOFOLLOW,
 * symlinks resolved here (absolute ones from the root, ".." clamped at the
 * root), at most 40 of them (like the kernel's MAXSYMLINKS). */
static int walk_in_root(int rootfd, const char *rel, int flags, int *ret)
{
	_cleanup_free_ char *todo = sc_xstrdup(rel);
	_cleanup_free_ int *stack = NULL;
	size_t depth = 0;
	int links = 0, r = 0;

#define CUR (depth ? stack[depth - 1] : rootfd)
	for (;;) {
		char *p = todo, *comp, *rest;
		struct stat st;
		int fd;

		while (*p == '/')
			p++;
		if (!*p) {
			/* The path named a directory we hold (or the root). */
			fd = openat(CUR, ".",
				    flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY));
			r = fd < 0 ? -errno : 0;
			if (fd >= 0)
				*ret = fd;
			break;
		}
		comp = p;
		rest = strchrnul(p, '/');
		bool last = true;
		for (char *q = rest; *q; q++)
			if (*q != '/') {
				last = false;
				break;
			}
		if (*rest)
			*rest++ = 0;

		if (streq(comp, ".")) {
			memmove(todo, rest, strlen(rest) + 1);
			continue;
		}
		if (streq(comp, "..")) {
			if (depth > 0)
				close(stack[--depth]);
			memmove(todo, rest, strlen(rest) + 1);
			continue;
		}

		fd = openat(CUR, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			break;
		}
		if (fstat(fd, &st) < 0) {
			r = -errno;
			close(fd);
			break;
		}
		if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);

			close(fd);
			if (n < 0) {
				r = -errno;
				break;
			}
			target[n] = 0;
			if (++links > 40) {
				r = -ELOOP;
				break;
			}
			if (target[0] == '/')
				while (depth > 0)
					close(stack[--depth]);
			char *next = sc_xasprintf("%s/%s", target, rest);
			free(todo);
			todo = next;
			continue;
		}
		if (last) {
			if (flags & O_PATH) {
				*ret = fd;
			} else {
				int real = openat(CUR, comp,
						  flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
				struct stat st2;

				if (real < 0) {
					r = -errno;
				} else if (fstat(real, &st2) < 0 || st2.st_dev != st.st_dev ||
					   st2.st_ino != st.st_ino) {
					close(real);
					r = -SC_ECHANGED;
				} else
					*ret = real;
				close(fd);
			}
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			r = -ENOTDIR;
			break;
		}
		*SC_APPEND(stack, depth) = fd;
		memmove(todo, rest, strlen(rest) + 1);
	}
	while (depth > 0)
		close(stack[--depth]);
#undef CUR
	return r;
}

static int root_open(struct sc_root *r, const char *npath, int flags, int *ret)
{
	const char *rel = npath + 1;
	int k;

	k = meta_error(r, NULL, npath);
	if (k < 0)
		return k;
	if (!*rel)
		rel = ".";
	if (r->use_openat2) {
		k = openat2_in_root(r->dfd, rel, flags, ret);
		if (k != -ENOSYS)
			return k;
		/* No openat2 here (kernel < 5.6 or filtered): fall back for
		 * good, the answer will not change within this process. */
		r->use_openat2 = false;
	}
	return walk_in_root(r->dfd, rel, flags, ret);
}

/* ---- opening --------------------------------------------------------------- */

static struct sc_root *root_new(const char *path, int dfd, unsigned flags)
{
	struct sc_root *r = sc_xcalloc(1, sizeof(*r));

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
	r = root_new(name, -1, 0);
	r->meta = json_incref(snap);
	*ret = r;
	return 0;
}

int sc_root_open(const char *path, unsigned flags, struct sc_root **ret)
{
	_cleanup_free_ char *data = NULL;
	struct sc_root *r;
	struct stat st;
	size_t size;
	int fd, k;

	if (!path)
		path = "/";
	/* O_PATH first: a FIFO or a device given as --root is never opened. */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		k = -errno;
		close(fd);
		return k;
	}
	close(fd);
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return -SC_ENOTREG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
	if (fd < 0)
		return -errno;

	if (S_ISREG(st.st_mode)) {
		/* A snapshot file (--record): one JSON document. */
		json_error_t err;
		json_t *snap;

		if ((uint64_t)st.st_size > SNAPSHOT_MAX) {
			close(fd);
			return -EFBIG;
		}
		/* /proc/PID/cmdline and environ hold NULs. */
		snap = json_loadfd(fd, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
		close(fd);
		k = sc_root_open_snapshot(snap, path, ret);
		json_decref(snap);
		return k;
	}
	r = root_new(path, fd, flags);
	{
		struct stat b;
		r->live = (flags & SC_ROOT_FORCE_LIVE) ||
			  (stat("/", &b) == 0 && st.st_dev == b.st_dev && st.st_ino == b.st_ino);
	}
	if (!r->live) {
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
	return r->live;
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

/* ---- operations ---------------------------------------------------------- */

/* Open a regular file for reading, safely: O_PATH and fstat() first, so
 * that a FIFO or a device is never opened; then O_RDONLY|O_NONBLOCK,
 * which must be the same inode. A size above max is refused (procfs and
 * sysfs report 0 or 4096 whatever the content; a file on a disk reports
 * its true size). */
static int open_regular(struct sc_root *r, const char *npath, uint64_t max, int *ret_fd)
{
	_cleanup_close_ int pfd = -1, fd = -1;
	struct stat st, st2;
	int k;

	k = root_open(r, npath, O_PATH, &pfd);
	if (k < 0)
		return k;
	if (fstat(pfd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -SC_ENOTREG;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	k = root_open(r, npath, O_RDONLY | O_NONBLOCK, &fd);
	if (k < 0)
		return k;
	if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino ||
	    !S_ISREG(st2.st_mode))
		return -SC_ECHANGED;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static int read_live(struct sc_root *r, const char *npath, size_t max, char **ret, size_t *ret_size)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t size = 0, alloc;
	int k;

	k = open_regular(r, npath, max, &fd);
	if (k < 0)
		return k;

	alloc = 4096;
	buf = sc_xmalloc(alloc + 1);
	for (;;) {
		ssize_t n;

		if (size == alloc) {
			if (alloc > max)
				return -EFBIG;
			alloc *= 2;
			buf = sc_xrealloc(buf, alloc + 1);
		}
		n = read(fd, buf + size, alloc - size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		size += (size_t)n;
		if (size > max)
			return -EFBIG;
	}
	buf[size] = 0;
	*ret_size = size;
	*ret = TAKE_PTR(buf);
	return 0;
}

static int read_snapshot(struct sc_root *r, const char *npath, size_t max, char **ret,
			 size_t *ret_size)
{
	json_t *v = map_entry(r->meta, "files", npath);
	_cleanup_free_ char *buf = NULL;
	size_t n;
	int k;

	if (!v) {
		json_t *st = map_entry(r->meta, "stat", npath);

		if (map_entry(r->meta, "dirs", npath) ||
		    (json_is_object(st) &&
		     !streq_ptr(json_string_value(json_object_get(st, "type")), "file")))
			return -SC_ENOTREG;
		return -SC_ENOFACT;
	}
	k = json_bytes(v, &buf, &n);
	if (k < 0)
		return k;
	if (n > max)
		return -EFBIG;
	*ret = TAKE_PTR(buf);
	*ret_size = n;
	return 0;
}

int sc_root_read(struct sc_root *r, const char *path, size_t max, char **ret, size_t *ret_size)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char *buf = NULL;
	size_t size = 0;
	int k;

	k = hook(r, "read", npath);
	if (k >= 0)
		k = meta_error(r, "read", npath);
	if (k >= 0)
		k = is_snapshot(r) ? read_snapshot(r, npath, max, &buf, &size)
				   : read_live(r, npath, max, &buf, &size);
	if (k < 0) {
		rec_error(r, "read", npath, k);
		return k;
	}
	rec_set(r, "files", npath, bytes_json(buf, size));
	if (ret_size)
		*ret_size = size;
	*ret = buf;
	return 0;
}

static bool printable(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t';
}

static void scan_run(const char *run, size_t len, const char *const *needles, size_t n,
		     char **found)
{
	if (len < 4)
		return;
	for (size_t i = 0; i < n; i++)
		if (!found[i] && memmem(run, len, needles[i], strlen(needles[i])))
			found[i] = sc_xstrndup(run, len);
}

static int search_live(struct sc_root *r, const char *npath, const char *const *needles, size_t n,
		       char **found)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = sc_xmalloc(65536), *run = NULL;
	size_t run_len = 0, run_alloc = 0, total = 0;
	int k;

	k = open_regular(r, npath, SC_SEARCH_MAX, &fd);
	if (k < 0)
		return k;
	for (;;) {
		ssize_t got = read(fd, buf, 65536);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (got == 0) {
			scan_run(run, run_len, needles, n, found);
			break;
		}
		total += (size_t)got;
		if (total > SC_SEARCH_MAX)
			return -EFBIG;
		for (ssize_t i = 0; i < got; i++) {
			if (!printable((unsigned char)buf[i])) {
				scan_run(run, run_len, needles, n, found);
				run_len = 0;
				continue;
			}
			/* Runs longer than 4 KiB are not strings we want. */
			if (run_len < 4096) {
				if (run_len + 1 >= run_alloc) {
					run_alloc = run_alloc ? run_alloc * 2 : 256;
					run = sc_xrealloc(run, run_alloc);
				}
				run[run_len++] = buf[i];
			}
		}
	}
	return 0;
}

int sc_root_search(struct sc_root *r, const char *path, const char *const *needles, size_t n,
		   char ***ret_matches)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char **found = sc_xcalloc(n + 1, sizeof(char *));
	int k;

	k = hook(r, "search", npath);
	if (k >= 0)
		k = meta_error(r, "search", npath);
	if (k >= 0) {
		if (is_snapshot(r)) {
			json_t *m = map_entry(r->meta, "search", npath);

			if (!json_is_object(m))
				k = m ? -EBADMSG : -SC_ENOFACT;
			for (size_t i = 0; k >= 0 && i < n; i++) {
				json_t *v = json_object_get(m, needles[i]);
				size_t len;

				if (!v)
					k = -SC_ENOFACT;
				else if (!json_is_null(v)) {
					k = json_bytes(v, &found[i], &len);
					/* What a live search returns: a run holding
					 * its needle. Callers rely on it (they skip
					 * to the needle with strstr()). */
					if (k >= 0 && (memchr(found[i], 0, len) ||
						       !strstr(found[i], needles[i])))
						k = -EBADMSG;
				}
			}
		} else
			k = search_live(r, npath, needles, n, found);
	}
	if (k < 0) {
		for (size_t i = 0; i < n; i++)
			free(found[i]);
		free(found);
		rec_error(r, "search", npath, k);
		return k;
	}
	if (r->rec) {
		json_t *m = json_object();
		for (size_t i = 0; i < n; i++)
			json_object_set_new(m, needles[i],
					    found[i] ? bytes_json(found[i], strlen(found[i]))
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
		_cleanup_free_ char *prev = NULL, *pk = path_key(npath);
		size_t pl = 0;
		_cleanup_free_ char *kept = value ? sc_xasprintf("%s=%s", key, value) : NULL;
		size_t kl2 = kept ? strlen(kept) + 1 : 0;
		_cleanup_free_ char *merged = NULL;

		if (json_bytes(json_object_get(rec_map(r->rec, "files"), pk), &prev, &pl) < 0)
			pl = 0;
		merged = sc_xmalloc(pl + kl2 + 1);
		if (pl)
			memcpy(merged, prev, pl);
		if (kept)
			memcpy(merged + pl, kept, kl2);
		rec_set(r, "files", npath, bytes_json(merged, pl + kl2));
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
	_cleanup_close_ int fd = -1;
	int k;

	k = hook(r, "exists", npath);
	if (k >= 0)
		k = meta_error(r, "exists", npath);
	if (k >= 0) {
		if (is_snapshot(r))
			k = snapshot_miss(r, npath);
		else
			k = root_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
	}
	if (k < 0) {
		rec_error(r, "exists", npath, k);
		return k;
	}
	rec_set(r, "exists", npath, json_true());
	return 0;
}

static const char *type_name(mode_t m)
{
	return S_ISDIR(m) ? "dir" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "link" : "other";
}

static mode_t type_from_name(const char *t)
{
	return streq_ptr(t, "dir")     ? S_IFDIR
	       : streq_ptr(t, "link")  ? S_IFLNK
	       : streq_ptr(t, "other") ? S_IFIFO
				       : S_IFREG;
}

int sc_root_stat(struct sc_root *r, const char *path, struct stat *ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	_cleanup_close_ int fd = -1;
	struct stat st = {};
	json_t *o, *v;
	int k;

	k = hook(r, "stat", npath);
	if (k >= 0)
		k = meta_error(r, "stat", npath);
	if (k < 0)
		goto fail;
	o = map_entry(r->meta, "stat", npath);
	if (is_snapshot(r)) {
		if (!o) {
			k = -SC_ENOFACT;
			goto fail;
		}
		st.st_mode = type_from_name(json_string_value(json_object_get(o, "type")));
	} else {
		k = root_open(r, npath, O_PATH, &fd);
		if (k < 0)
			goto fail;
		if (fstat(fd, &st) < 0) {
			k = -errno;
			goto fail;
		}
	}
	/* Fixture metadata may say who owns what: git cannot. */
	if (o) {
		if ((v = json_object_get(o, "uid")) && json_is_integer(v))
			st.st_uid = (uid_t)json_integer_value(v);
		if ((v = json_object_get(o, "gid")) && json_is_integer(v))
			st.st_gid = (gid_t)json_integer_value(v);
		if ((v = json_object_get(o, "mode")) && json_is_string(v))
			st.st_mode = (st.st_mode & S_IFMT) |
				     (mode_t)strtoul(json_string_value(v), NULL, 8);
	}
	if (r->rec) {
		char mode[8];
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
		rec_set(r, "stat", npath,
			json_pack("{s:I,s:I,s:s,s:s}", "uid", (json_int_t)st.st_uid, "gid",
				  (json_int_t)st.st_gid, "mode", mode, "type",
				  type_name(st.st_mode)));
	}
	*ret = st;
	return 0;
fail:
	rec_error(r, "stat", npath, k);
	return k;
}

int sc_root_readlink(struct sc_root *r, const char *path, char **ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	_cleanup_close_ int fd = -1;
	char target[PATH_MAX];
	ssize_t n;
	int k;

	k = hook(r, "readlink", npath);
	if (k >= 0)
		k = meta_error(r, "readlink", npath);
	if (k < 0)
		goto fail;
	if (is_snapshot(r)) {
		json_t *v = map_entry(r->meta, "links", npath);
		_cleanup_free_ char *t = NULL;
		size_t len;

		if (!v) {
			k = snapshot_miss(r, npath);
			if (k == 0)
				k = -EINVAL; /* recorded, but not as a link */
			goto fail;
		}
		k = json_bytes(v, &t, &len);
		if (k >= 0 && (len == 0 || memchr(t, 0, len)))
			k = -EBADMSG; /* no link target is empty or holds a NUL */
		if (k < 0)
			goto fail;
		rec_set(r, "links", npath, bytes_json(t, len));
		*ret = TAKE_PTR(t);
		return 0;
	}
	k = root_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
	if (k < 0)
		goto fail;
	n = readlinkat(fd, "", target, sizeof(target) - 1);
	if (n < 0) {
		k = errno == ENOENT ? -EINVAL : -errno;
		goto fail;
	}
	target[n] = 0;
	rec_set(r, "links", npath, bytes_json(target, (size_t)n));
	*ret = sc_xstrdup(target);
	return 0;
fail:
	rec_error(r, "readlink", npath, k);
	return k;
}

static int list_live(struct sc_root *r, const char *npath, char ***ret)
{
	_cleanup_strv_builder_ struct sc_strv_builder names = {};
	bool top;
	DIR *d;
	int fd, k = 0;

	k = root_open(r, npath, O_RDONLY | O_DIRECTORY, &fd);
	if (k < 0)
		return k;
	d = fdopendir(fd);
	if (!d) {
		k = -errno;
		close(fd);
		return k;
	}
	/* The metadata file is not part of the tree it describes, whatever
	 * path (or symlink) led to the top directory. */
	{
		struct stat a, b;
		top = fstat(dirfd(d), &a) == 0 && fstat(r->dfd, &b) == 0 && a.st_dev == b.st_dev &&
		      a.st_ino == b.st_ino;
	}
	for (struct dirent *de; (de = readdir(d));) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (top && streq(de->d_name, SC_ROOT_META))
			continue;
		/* Fixture trees keep empty directories in git with a .keep
		 * file; no kernel directory has one. */
		if (!r->live && streq(de->d_name, ".keep"))
			continue;
		if (names.n >= SC_LIST_MAX) {
			k = -E2BIG;
			break;
		}
		sc_strv_builder_push(&names, de->d_name);
	}
	closedir(d);
	if (k < 0)
		return k;
	*ret = sc_strv_builder_take(&names);
	sc_strv_sort(*ret);
	return 0;
}

/* A recorded listing: an array of names, each a real entry name (not
 * empty, no "/", no NUL, not "." or ".."), at most SC_LIST_MAX. */
static int list_snapshot(struct sc_root *r, const char *npath, char ***ret)
{
	_cleanup_strv_builder_ struct sc_strv_builder names = {};
	json_t *a = map_entry(r->meta, "dirs", npath), *e;
	size_t i;

	if (!a)
		return map_entry(r->meta, "files", npath) ? -ENOTDIR : -SC_ENOFACT;
	if (!json_is_array(a))
		return -EBADMSG;
	if (json_array_size(a) > SC_LIST_MAX)
		return -E2BIG;
	json_array_foreach(a, i, e)
	{
		char *name;
		size_t len;
		int k = json_bytes(e, &name, &len);

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

int sc_root_list(struct sc_root *r, const char *path, char ***ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	char **names = NULL;
	int k;

	k = hook(r, "list", npath);
	if (k >= 0)
		k = meta_error(r, "list", npath);
	if (k >= 0) {
		if (is_snapshot(r))
			k = list_snapshot(r, npath, &names);
		else
			k = list_live(r, npath, &names);
	}
	if (k < 0) {
		rec_error(r, "list", npath, k);
		return k;
	}
	if (r->rec) {
		json_t *a = json_array();
		for (char **n = names; *n; n++)
			json_array_append_new(a, bytes_json(*n, strlen(*n)));
		rec_set(r, "dirs", npath, a);
	}
	*ret = names;
	return 0;
}

int sc_root_statfs(struct sc_root *r, const char *path, uint64_t *ret_magic)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	int k;

	k = hook(r, "statfs", npath);
	if (k >= 0)
		k = meta_error(r, "statfs", npath);
	if (k < 0)
		goto fail;
	if (r->live) {
		_cleanup_close_ int fd = -1;
		struct statfs sfs;

		k = root_open(r, npath, O_PATH, &fd);
		if (k < 0)
			goto fail;
		if (fstatfs(fd, &sfs) < 0) {
			k = -errno;
			goto fail;
		}
		*ret_magic = (uint64_t)(unsigned long)sfs.f_type;
	} else {
		json_t *v = map_entry(r->meta, "statfs", npath);

		if (!v || !json_is_string(v)) {
			/* No fact recorded: absent paths say so, present
			 * ones say we do not know. */
			if (is_snapshot(r))
				k = -SC_ENOFACT;
			else {
				_cleanup_close_ int fd = -1;
				k = root_open(r, npath, O_PATH, &fd);
				if (k >= 0)
					k = -SC_ENOFACT;
			}
			goto fail;
		}
		if (sc_fs_magic_from_name(json_string_value(v), ret_magic) < 0) {
			k = -EBADMSG;
			goto fail;
		}
	}
	if (r->rec) {
		const char *name = sc_fs_magic_name(*ret_magic);
		char hex[32];

		snprintf(hex, sizeof(hex), "0x%" PRIx64, *ret_magic);
		rec_set(r, "statfs", npath, json_string(name ? name : hex));
	}
	return 0;
fail:
	rec_error(r, "statfs", npath, k);
	return k;
}

/* Live, only when the root is this process's "/" (the host, or the
 * chrooted setns child). The socket checked through the confined open
 * is the one connected to: connect(2) goes through /proc/self/fd/N of
 * the O_PATH fd (as systemd's connect_unix_path() does), not through the
 * path again, which the container could have replaced by a symlink in
 * between. That /proc must be a procfs whose "self" is this process: a
 * container may mount anything on its /proc. systemd only accepts a peer
 * that its pid namespace can see (SO_PEERCRED with a pid,
 * src/core/dbus.c), which the setns child is. */
static int manager_live(struct sc_root *r, const char *npath, unsigned timeout_ms,
			struct sc_manager_state *ret)
{
	_cleanup_close_ int fd = -1, sk = -1;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st, top, slash, again;
	struct statfs sfs;
	char self[32], want[32];
	ssize_t n;
	int k;

	if (fstat(r->dfd, &top) < 0)
		return -errno;
	if (stat("/", &slash) < 0)
		return -errno;
	if (top.st_dev != slash.st_dev || top.st_ino != slash.st_ino)
		return -SC_ENOFACT;
	k = root_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
	if (k < 0)
		return k;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	n = readlink("/proc/self", self, sizeof(self) - 1);
	snprintf(want, sizeof(want), "%d", (int)getpid());
	if (n <= 0 || (self[n] = 0, !streq(self, want)) || statfs("/proc/self/fd", &sfs) < 0 ||
	    (uint64_t)(unsigned long)sfs.f_type != SC_PROC_SUPER_MAGIC)
		return -SC_ENOFACT; /* no trustworthy /proc: no way to connect safely */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d", fd);
	/* The magic link must name the inode checked above. */
	if (stat(sa.sun_path, &again) < 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino)
		return -SC_ECHANGED;
	sk = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (sk < 0)
		return -errno;
	/* A listening socket accepts at once (or EAGAIN: its backlog is
	 * full, the manager is not accepting). */
	if (connect(sk, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	return sc_manager_query(sk, timeout_ms, ret);
}

int sc_root_manager(struct sc_root *r, const char *path, unsigned timeout_ms,
		    struct sc_manager_state *ret)
{
	_cleanup_free_ char *npath = sc_path_normalize(path);
	struct sc_manager_state s = {};
	int k;

	k = hook(r, "manager", npath);
	if (k >= 0)
		k = meta_error(r, "manager", npath);
	if (k < 0)
		goto fail;
	if (r->live) {
		k = manager_live(r, npath, timeout_ms, &s);
		if (k < 0)
			goto fail;
	} else {
		json_t *v = map_entry(r->meta, "manager", npath), *u;
		size_t i;

		if (!v || !json_is_object(v)) {
			k = -SC_ENOFACT;
			goto fail;
		}
		if (json_is_string(json_object_get(v, "version")))
			s.version = sc_xstrdup(json_string_value(json_object_get(v, "version")));
		if (json_is_string(json_object_get(v, "system_state")))
			s.system_state =
				sc_xstrdup(json_string_value(json_object_get(v, "system_state")));
		struct sc_strv_builder b = {};

		json_array_foreach(json_object_get(v, "failed_units"), i, u)
		{
			if (json_is_string(u))
				sc_strv_builder_push(&b, json_string_value(u));
		}
		s.failed_units = sc_strv_builder_take(&b);
	}
	if (r->rec) {
		json_t *units = json_array();

		for (char **u = s.failed_units; u && *u; u++)
			json_array_append_new(units, json_string(*u));
		rec_set(r, "manager", npath,
			json_pack("{s:o,s:o,s:o}", "version",
				  s.version ? json_string(s.version) : json_null(), "system_state",
				  s.system_state ? json_string(s.system_state) : json_null(),
				  "failed_units", units));
	}
	*ret = s;
	return 0;
fail:
	rec_error(r, "manager", npath, k);
	return k;
}

uid_t sc_root_euid(struct sc_root *r)
{
	json_t *v;

	if (r->live)
		return geteuid();
	v = json_object_get(r->meta, "euid");
	return v && json_is_integer(v) ? (uid_t)json_integer_value(v) : 0;
}
