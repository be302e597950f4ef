/* SPDX-License-Identifier: MIT */
/* sc_root: bounded, confined reads relative to a root directory fd, the
 * facts a plain tree cannot carry, and recording of everything read.
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
 * Metadata of a tree (ROOT/.sysctr-root.json), format 1:
 *   {
 *     "format": 1,
 *     "description": "where this tree comes from",
 *     "euid": 0,                              the prober's effective uid
 *     "statfs": { "/sys/fs/cgroup": "tmpfs",  fs type name or "0x..." magic
 *                 "/sys/fs/cgroup/unified": "cgroup2" },
 *     "stat": { "/sys/fs/cgroup/x": { "uid": 0, "gid": 0, "mode": "0755" } },
 *     "errors": { "/proc/1/environ": "EACCES" }   replayed failures
 *   }
 * Git cannot keep empty directories, so fixture trees put a ".keep" file
 * in them; sc_root_list() hides ".keep" entries of non-live roots.
 * Every key but "format" is optional. A statfs of a path that exists but
 * has no entry is -SC_ENOFACT ("not recorded"), never a guess. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "root.h"
#include "util.h"

struct sc_root {
	int dfd;
	char *path;
	bool live;
	bool use_openat2;
	json_t *meta;

	/* recording */
	char *record_dir;
	char *record_tmp;
	int record_dfd;
	json_t *record_meta;
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

static int errno_from_name(const char *name)
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

/* "/a//b/" -> "/a/b"; "" -> "/". */
static char *norm_path(const char *p)
{
	char *n = sc_xmalloc(strlen(p) + 2), *o = n;

	*o++ = '/';
	for (; *p; p++) {
		if (*p == '/' && o[-1] == '/')
			continue;
		*o++ = *p;
	}
	if (o > n + 1 && o[-1] == '/')
		o--;
	*o = 0;
	return n;
}

static int meta_error(struct sc_root *r, const char *npath)
{
	json_t *errors, *e;

	if (!r->meta)
		return 0;
	errors = json_object_get(r->meta, "errors");
	e = errors ? json_object_get(errors, npath) : NULL;
	if (!e || !json_is_string(e))
		return 0;
	return -errno_from_name(json_string_value(e));
}

/* ---- recording ---------------------------------------------------------- */

static int mkdir_parents_at(int dfd, const char *rel)
{
	_cleanup_free_ char *p = sc_xstrdup(rel);

	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (*p && mkdirat(dfd, p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

static void record_json(struct sc_root *r, const char *key, const char *npath, json_t *v)
{
	json_t *o;

	if (!r->record_meta) {
		json_decref(v);
		return;
	}
	o = json_object_get(r->record_meta, key);
	if (!o) {
		o = json_object();
		json_object_set_new(r->record_meta, key, o);
	}
	json_object_set_new(o, npath, v);
}

static void record_error(struct sc_root *r, const char *npath, int err)
{
	/* ENOENT replays by itself (the file is simply absent). */
	if (r->record_dfd < 0 || err == -ENOENT)
		return;
	record_json(r, "errors", npath, json_string(sc_errname(err)));
}

static void record_file(struct sc_root *r, const char *npath, const char *data, size_t size)
{
	_cleanup_close_ int fd = -1;
	const char *rel = npath + 1;

	if (r->record_dfd < 0 || !*rel)
		return;
	if (mkdir_parents_at(r->record_dfd, rel) < 0)
		return;
	fd = openat(r->record_dfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0644);
	if (fd < 0)
		return;
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n <= 0)
			return;
		data += n;
		size -= (size_t)n;
	}
}

/* An existence check records an empty file, unless a read already
 * recorded the content. */
static void record_placeholder(struct sc_root *r, const char *npath)
{
	const char *rel = npath + 1;
	int fd;

	if (r->record_dfd < 0 || !*rel || mkdir_parents_at(r->record_dfd, rel) < 0)
		return;
	fd = openat(r->record_dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0)
		close(fd);
}

static void record_link(struct sc_root *r, const char *npath, const char *target)
{
	const char *rel = npath + 1;

	if (r->record_dfd < 0 || !*rel)
		return;
	if (mkdir_parents_at(r->record_dfd, rel) < 0)
		return;
	(void)symlinkat(target, r->record_dfd, rel);
}

static void record_dir(struct sc_root *r, const char *npath)
{
	_cleanup_free_ char *rel = NULL;

	if (r->record_dfd < 0 || !npath[1])
		return;
	rel = sc_xasprintf("%s/", npath + 1);
	(void)mkdir_parents_at(r->record_dfd, rel);
}

int sc_root_record_start(struct sc_root *r, const char *dir)
{
	_cleanup_free_ char *tmp = NULL;
	int fd;

	if (r->record_dfd >= 0)
		return -EBUSY;
	if (access(dir, F_OK) == 0)
		return -EEXIST;
	tmp = sc_xasprintf("%s.partial", dir);
	if (mkdir(tmp, 0755) < 0)
		return -errno;
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r->record_dfd = fd;
	r->record_dir = sc_xstrdup(dir);
	r->record_tmp = TAKE_PTR(tmp);
	r->record_meta =
		json_pack("{s:i,s:s,s:i}", "format", 1, "description",
			  "snapshot recorded by sysctr-check", "euid", (int)sc_root_euid(r));
	return 0;
}

int sc_root_record_finish(struct sc_root *r)
{
	_cleanup_free_ char *meta = NULL;
	int fd, ret = 0;

	if (r->record_dfd < 0)
		return -EBADF;
	meta = json_dumps(r->record_meta, JSON_INDENT(2) | JSON_SORT_KEYS);
	fd = openat(r->record_dfd, SC_ROOT_META, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		ret = -errno;
	else {
		size_t len = strlen(meta);
		if (write(fd, meta, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
			ret = -EIO;
		if (close(fd) < 0 && ret == 0)
			ret = -errno;
	}
	if (ret == 0 && rename(r->record_tmp, r->record_dir) < 0)
		ret = -errno;
	close(r->record_dfd);
	r->record_dfd = -1;
	json_decref(r->record_meta);
	r->record_meta = NULL;
	return ret;
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

	k = meta_error(r, npath);
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

/* ---- public API ------------------------------------------------------------ */

int sc_root_open(const char *path, unsigned flags, struct sc_root **ret)
{
	_cleanup_free_ char *data = NULL;
	struct sc_root *r;
	size_t size;
	int fd, k;

	if (!path)
		path = "/";
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	r = sc_xcalloc(1, sizeof(*r));
	r->dfd = fd;
	r->path = sc_xstrdup(path);
	r->record_dfd = -1;
	r->use_openat2 = !(flags & SC_ROOT_NO_OPENAT2);
	{
		struct stat a, b;
		r->live = (flags & SC_ROOT_FORCE_LIVE) ||
			  (fstat(fd, &a) == 0 && stat("/", &b) == 0 && a.st_dev == b.st_dev &&
			   a.st_ino == b.st_ino);
	}

	if (!r->live) {
		k = sc_root_read(r, "/" SC_ROOT_META, SC_READ_MAX, &data, &size);
		if (k >= 0) {
			json_error_t err;

			r->meta = json_loadb(data, size, 0, &err);
			if (!r->meta || !json_is_object(r->meta) ||
			    json_integer_value(json_object_get(r->meta, "format")) != 1) {
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
	if (r->record_dfd >= 0)
		close(r->record_dfd);
	json_decref(r->record_meta);
	free(r->record_dir);
	free(r->record_tmp);
	json_decref(r->meta);
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
	const char *d = r->meta ? json_string_value(json_object_get(r->meta, "description")) : NULL;
	return d ? d : "";
}

int sc_root_read(struct sc_root *r, const char *path, size_t max, char **ret, size_t *ret_size)
{
	_cleanup_free_ char *npath = norm_path(path);
	_cleanup_close_ int pfd = -1, fd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st, st2;
	size_t size = 0, alloc;
	int k;

	k = root_open(r, npath, O_PATH, &pfd);
	if (k < 0)
		goto fail;
	if (fstat(pfd, &st) < 0) {
		k = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		k = -SC_ENOTREG;
		goto fail;
	}
	/* procfs/sysfs report sizes of 0 or 4096 whatever the content; a
	 * regular file on a disk reports its true size. */
	if ((uint64_t)st.st_size > max) {
		k = -EFBIG;
		goto fail;
	}
	k = root_open(r, npath, O_RDONLY | O_NONBLOCK, &fd);
	if (k < 0)
		goto fail;
	if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino ||
	    !S_ISREG(st2.st_mode)) {
		k = -SC_ECHANGED;
		goto fail;
	}

	alloc = 4096;
	buf = sc_xmalloc(alloc + 1);
	for (;;) {
		ssize_t n;

		if (size == alloc) {
			if (alloc > max) {
				k = -EFBIG;
				goto fail;
			}
			alloc *= 2;
			buf = sc_xrealloc(buf, alloc + 1);
		}
		n = read(fd, buf + size, alloc - size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			k = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		size += (size_t)n;
		if (size > max) {
			k = -EFBIG;
			goto fail;
		}
	}
	buf[size] = 0;
	record_file(r, npath, buf, size);
	if (ret_size)
		*ret_size = size;
	*ret = TAKE_PTR(buf);
	return 0;
fail:
	record_error(r, npath, k);
	return k;
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
	_cleanup_free_ char *npath = norm_path(path);
	_cleanup_close_ int fd = -1;
	int k;

	k = root_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
	if (k < 0)
		record_error(r, npath, k);
	else if (r->record_dfd >= 0) {
		struct stat st;
		char target[PATH_MAX];
		ssize_t n;

		if (fstat(fd, &st) < 0)
			return 0;
		if (S_ISDIR(st.st_mode))
			record_dir(r, npath);
		else if (S_ISLNK(st.st_mode) &&
			 (n = readlinkat(fd, "", target, sizeof(target) - 1)) >= 0) {
			target[n] = 0;
			record_link(r, npath, target);
		} else
			record_placeholder(r, npath);
	}
	return k < 0 ? k : 0;
}

int sc_root_stat(struct sc_root *r, const char *path, struct stat *ret)
{
	_cleanup_free_ char *npath = norm_path(path);
	_cleanup_close_ int fd = -1;
	struct stat st;
	json_t *o, *v;
	int k;

	k = root_open(r, npath, O_PATH, &fd);
	if (k < 0) {
		record_error(r, npath, k);
		return k;
	}
	if (fstat(fd, &st) < 0)
		return -errno;

	o = r->meta ? json_object_get(json_object_get(r->meta, "stat"), npath) : NULL;
	if (o) {
		if ((v = json_object_get(o, "uid")) && json_is_integer(v))
			st.st_uid = (uid_t)json_integer_value(v);
		if ((v = json_object_get(o, "gid")) && json_is_integer(v))
			st.st_gid = (gid_t)json_integer_value(v);
		if ((v = json_object_get(o, "mode")) && json_is_string(v))
			st.st_mode = (st.st_mode & S_IFMT) |
				     (mode_t)strtoul(json_string_value(v), NULL, 8);
	}
	if (r->record_dfd >= 0) {
		char mode[8];
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
		record_json(r, "stat", npath,
			    json_pack("{s:I,s:I,s:s}", "uid", (json_int_t)st.st_uid, "gid",
				      (json_int_t)st.st_gid, "mode", mode));
		if (S_ISDIR(st.st_mode))
			record_dir(r, npath);
	}
	*ret = st;
	return 0;
}

int sc_root_readlink(struct sc_root *r, const char *path, char **ret)
{
	_cleanup_free_ char *npath = norm_path(path);
	_cleanup_close_ int fd = -1;
	char target[PATH_MAX];
	ssize_t n;
	int k;

	k = root_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
	if (k < 0)
		goto fail;
	n = readlinkat(fd, "", target, sizeof(target) - 1);
	if (n < 0) {
		k = errno == ENOENT ? -EINVAL : -errno;
		goto fail;
	}
	target[n] = 0;
	record_link(r, npath, target);
	*ret = sc_xstrdup(target);
	return 0;
fail:
	record_error(r, npath, k);
	return k;
}

int sc_root_list(struct sc_root *r, const char *path, char ***ret)
{
	_cleanup_free_ char *npath = norm_path(path);
	_cleanup_strv_free_ char **names = NULL;
	bool top;
	DIR *d;
	int fd, k;

	k = root_open(r, npath, O_RDONLY | O_DIRECTORY, &fd);
	if (k < 0) {
		record_error(r, npath, k);
		return k;
	}
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
	names = sc_xcalloc(1, sizeof(char *));
	for (struct dirent *de; (de = readdir(d));) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (top && streq(de->d_name, SC_ROOT_META))
			continue;
		/* Fixture trees keep empty directories in git with a .keep
		 * file; no kernel directory has one. */
		if (!r->live && streq(de->d_name, ".keep"))
			continue;
		sc_strv_push(&names, de->d_name);
	}
	closedir(d);
	sc_strv_sort(names);
	record_dir(r, npath);
	*ret = TAKE_PTR(names);
	return 0;
}

int sc_root_statfs(struct sc_root *r, const char *path, uint64_t *ret_magic)
{
	_cleanup_free_ char *npath = norm_path(path);
	int k;

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
		json_t *v =
			r->meta ? json_object_get(json_object_get(r->meta, "statfs"), npath) : NULL;

		k = meta_error(r, npath);
		if (k < 0)
			goto fail;
		if (!v || !json_is_string(v)) {
			/* No fact recorded: absent paths say so, present
			 * ones say we do not know. */
			k = sc_root_exists(r, npath);
			if (k >= 0)
				k = -SC_ENOFACT;
			goto fail;
		}
		if (sc_fs_magic_from_name(json_string_value(v), ret_magic) < 0) {
			k = -EBADMSG;
			goto fail;
		}
	}
	if (r->record_dfd >= 0) {
		const char *name = sc_fs_magic_name(*ret_magic);
		char hex[32];

		snprintf(hex, sizeof(hex), "0x%" PRIx64, *ret_magic);
		record_json(r, "statfs", npath, json_string(name ? name : hex));
	}
	return 0;
fail:
	record_error(r, npath, k);
	return k;
}

uid_t sc_root_euid(struct sc_root *r)
{
	json_t *v;

	if (r->live)
		return geteuid();
	v = r->meta ? json_object_get(r->meta, "euid") : NULL;
	return v && json_is_integer(v) ? (uid_t)json_integer_value(v) : 0;
}
