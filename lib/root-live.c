/* SPDX-License-Identifier: MIT */
/* The live backend of sc_root: bounded, confined reads relative to a
 * directory fd (shared with fixture trees), and the kernel's own facts.
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
 * at a cap: a bigger file is refused with EFBIG. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "blkdev.h"
#include "manager.h"
#include "root-internal.h"
#include "util.h"

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

int sc_fs_open(struct sc_root *r, const char *npath, int flags, int *ret)
{
	const char *rel = npath + 1;
	int k;

	/* A tree's "errors" hold for every open of the path (the front end
	 * has checked them per operation already; this is what a tree
	 * whose op_errors entry is no string falls back to). */
	k = sc_meta_error(r->meta, NULL, npath);
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

/* ---- a directory fd: live roots and trees ----------------------------------- */

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

	k = sc_fs_open(r, npath, O_PATH, &pfd);
	if (k < 0)
		return k;
	if (fstat(pfd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -SC_ENOTREG;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	k = sc_fs_open(r, npath, O_RDONLY | O_NONBLOCK, &fd);
	if (k < 0)
		return k;
	if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino ||
	    !S_ISREG(st2.st_mode))
		return -SC_ECHANGED;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int sc_fs_read(struct sc_root *r, const char *npath, size_t max, char **ret, size_t *ret_size)
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

int sc_fs_search(struct sc_root *r, const char *npath, const char *const *needles, size_t n,
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

int sc_fs_exists(struct sc_root *r, const char *npath)
{
	_cleanup_close_ int fd = -1;

	return sc_fs_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
}

int sc_fs_stat(struct sc_root *r, const char *npath, struct stat *ret)
{
	_cleanup_close_ int fd = -1;
	struct stat st = {};
	int k;

	k = sc_fs_open(r, npath, O_PATH, &fd);
	if (k < 0)
		return k;
	if (fstat(fd, &st) < 0)
		return -errno;
	*ret = st;
	return 0;
}

int sc_fs_readlink(struct sc_root *r, const char *npath, char **ret)
{
	_cleanup_close_ int fd = -1;
	char target[PATH_MAX];
	ssize_t n;
	int k;

	k = sc_fs_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
	if (k < 0)
		return k;
	n = readlinkat(fd, "", target, sizeof(target) - 1);
	if (n < 0)
		return errno == ENOENT ? -EINVAL : -errno;
	target[n] = 0;
	*ret = sc_xstrdup(target);
	return 0;
}

int sc_fs_list(struct sc_root *r, const char *npath, bool hide_keep, char ***ret)
{
	_cleanup_strv_builder_ struct sc_strv_builder names = {};
	bool top;
	DIR *d;
	int fd, k = 0;

	k = sc_fs_open(r, npath, O_RDONLY | O_DIRECTORY, &fd);
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
		if (hide_keep && streq(de->d_name, ".keep"))
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

/* ---- the kernel's facts: live only ------------------------------------------- */

static int live_list(struct sc_root *r, const char *npath, char ***ret)
{
	return sc_fs_list(r, npath, false, ret);
}

static int live_statfs(struct sc_root *r, const char *npath, uint64_t *ret_magic)
{
	_cleanup_close_ int fd = -1;
	struct statfs sfs;
	int k;

	k = sc_fs_open(r, npath, O_PATH, &fd);
	if (k < 0)
		return k;
	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	*ret_magic = (uint64_t)(unsigned long)sfs.f_type;
	return 0;
}

/* 0 when the root is this process's "/" (the host, or the setns child
 * in the container's mount namespace), -SC_ENOFACT when it is another
 * directory: what the process itself reaches (a socket to connect to,
 * libblkid's /sys and /dev) would not be that root's. */
static int process_root(struct sc_root *r)
{
	struct stat top, slash;

	if (fstat(r->dfd, &top) < 0)
		return -errno;
	if (stat("/", &slash) < 0)
		return -errno;
	if (top.st_dev != slash.st_dev || top.st_ino != slash.st_ino)
		return -SC_ENOFACT;
	return 0;
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
static int live_manager(struct sc_root *r, const char *npath, unsigned timeout_ms,
			struct sc_manager_state *ret)
{
	_cleanup_close_ int fd = -1, sk = -1;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st, again;
	struct statfs sfs;
	char self[32], want[32];
	ssize_t n;
	int k;

	k = process_root(r);
	if (k < 0)
		return k;
	k = sc_fs_open(r, npath, O_PATH | O_NOFOLLOW, &fd);
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

/* libblkid (blkdev.c): the name from /sys/dev/block, the superblock from
 * the device opened read-only; a failed lookup is a fact in ret->err. */
static int live_blkdev(struct sc_root *r, const char *npath, unsigned major, unsigned minor,
		       struct sc_blkdev *ret)
{
	int k = process_root(r);

	if (k < 0)
		return k;
	(void)sc_blkdev_describe(major, minor, ret);
	return 0;
}

static uid_t live_euid(struct sc_root *r)
{
	return geteuid();
}

const struct sc_root_ops sc_root_live_ops = {
	.kind = "live",
	.read = sc_fs_read,
	.search = sc_fs_search,
	.exists = sc_fs_exists,
	.stat = sc_fs_stat,
	.readlink = sc_fs_readlink,
	.list = live_list,
	.statfs = live_statfs,
	.manager = live_manager,
	.blkdev = live_blkdev,
	.euid = live_euid,
};
