/* SPDX-License-Identifier: MIT */
/* Output files: a temporary file beside the target, then an atomic
 * exchange that is undone when what it displaced was not a regular file.
 *
 * Why an exchange: rename(2) replaces whatever the name holds, so as
 * root `-o /dev/full` turned the device node into a regular file, and a
 * symlink planted at the name was replaced too. lstat() first and then
 * rename() leaves a window; renameat2(RENAME_EXCHANGE) (Linux 3.15)
 * swaps the two names atomically, so the displaced inode can be checked
 * afterwards, and swapped back if it was not a regular file. A new name
 * is linked with RENAME_NOREPLACE, which fails if anything appeared. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "output.h"
#include "root.h"
#include "util.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* 1 (and its permission bits) when path is a regular file, 0 when it
 * does not exist, -SC_ENOTREG or -errno otherwise. */
static int check_existing(const char *path, mode_t *ret_mode)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISREG(st.st_mode))
		return -SC_ENOTREG;
	if (ret_mode)
		*ret_mode = st.st_mode & 0777;
	return 1;
}

static int move_into_place(const char *tmp, const char *path, unsigned flags)
{
	struct stat st;
	int k;

	k = check_existing(path, NULL);
	if (k < 0)
		return k;
	if (k == 0 || (flags & SC_OUTPUT_NO_REPLACE)) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
		if (flags & SC_OUTPUT_NO_REPLACE)
			return -EEXIST;
		/* Something appeared since: judge it as below. */
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) < 0) {
		/* A filesystem without the exchange (EINVAL: some FUSE and
		 * network ones): the plain rename, over a regular file just
		 * checked; the window is lstat() to rename(). */
		if (errno == EINVAL && check_existing(path, NULL) == 1)
			return rename(tmp, path) < 0 ? -errno : 0;
		return errno == ENOENT ? -EAGAIN : -errno;
	}
	/* tmp now names what was at path. */
	if (lstat(tmp, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) < 0)
			return -errno;
		return -SC_ENOTREG;
	}
	return 0;
}

int sc_output_write(const char *path, unsigned flags, sc_output_writer_t writer, void *data)
{
	_cleanup_free_ char *tmp = sc_xasprintf("%s.XXXXXX", path);
	mode_t mode = 0600;
	FILE *f;
	int fd, k;

	/* Refuse early, before anything is written: the usual case. */
	k = check_existing(path, &mode);
	if (k < 0)
		return k;
	if (k > 0 && (flags & SC_OUTPUT_NO_REPLACE))
		return -EEXIST;
	/* mkostemp() creates 0600 whatever the umask: a new file stays
	 * private (a snapshot copies root-only files such as
	 * /run/runc/ID/state.json and /proc/cmdline). A regular file we
	 * replace keeps its permission bits (never set-id ones): the user
	 * chose them. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (mode != 0600 && fchmod(fd, mode) < 0) {
		k = -errno;
		close(fd);
		unlink(tmp);
		return k;
	}
	f = fdopen(fd, "w");
	if (!f) {
		k = -errno;
		close(fd);
		unlink(tmp);
		return k;
	}
	k = writer(f, data);
	if (fflush(f) == EOF || fsync(fileno(f)) < 0)
		k = k < 0 ? k : -errno;
	if (fclose(f) == EOF && k >= 0)
		k = -errno;
	if (k >= 0)
		k = move_into_place(tmp, path, flags);
	/* On success tmp names the replaced file (or nothing). */
	unlink(tmp);
	return k < 0 ? k : 0;
}
