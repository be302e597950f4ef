/* SPDX-License-Identifier: MIT */
/* The snapshot backend of sc_root: replay of a recording (--record, or
 * what the setns child sent), untrusted input (format in root-format.c). */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "manager.h"
#include "root-internal.h"
#include "util.h"

/* ---- reading what --root names ------------------------------------------------ */

/* One read of at most this much: a 10 MB snapshot is one read() and the
 * one that sees the end; a slow filesystem still shows progress. */
#define INPUT_CHUNK (16u * 1024u * 1024u)

struct input_job {
	const char *path;
	size_t max;
	int prog_fd; /* one byte per system call that returned, or -1 */
	struct sc_root_input in;
};

/* What the child sends last, after its progress bytes. */
struct input_result {
	uint32_t magic;
	int err;
	struct stat st;
	size_t size;
};
#define INPUT_MAGIC 0x73637472u

static void job_step(struct input_job *j)
{
	if (j->prog_fd >= 0)
		(void)!write(j->prog_fd, ".", 1);
}

/* The whole file: st_size (what a disk filesystem reports) sizes the
 * buffer, so a snapshot takes two read() calls; 0 (procfs, some FUSE
 * files) starts at 64 KiB and doubles, up to max. */
static int read_whole(struct input_job *j, int fd)
{
	size_t alloc, size = 0;
	char *buf;

	/* st_size <= max: input_open() checked. */
	alloc = j->in.st.st_size > 0 ? (size_t)j->in.st.st_size + 1 : 65536;
	if (alloc > j->max + 1)
		alloc = j->max + 1;
	buf = sc_xmalloc(alloc + 1);
	for (;;) {
		size_t want;
		ssize_t n;

		if (size == alloc) {
			if (alloc > j->max) {
				free(buf);
				return -EFBIG;
			}
			alloc = alloc > j->max / 2 ? j->max + 1 : alloc * 2;
			buf = sc_xrealloc(buf, alloc + 1);
		}
		want = alloc - size < INPUT_CHUNK ? alloc - size : INPUT_CHUNK;
		n = read(fd, buf + size, want);
		job_step(j);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int k = -errno;

			free(buf);
			return k;
		}
		if (n == 0)
			break;
		size += (size_t)n;
		if (size > j->max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[size] = 0;
	j->in.data = buf;
	j->in.size = size;
	return 0;
}

/* O_PATH and fstat() first, so that a FIFO or a device is never opened;
 * then O_RDONLY (O_NONBLOCK for a file), which must be the same inode
 * (the way root-live.c opens every file). */
static int input_open(struct input_job *j)
{
	_cleanup_close_ int pfd = -1, fd = -1;
	struct stat st;
	int k;

	pfd = open(j->path, O_PATH | O_CLOEXEC);
	job_step(j);
	if (pfd < 0)
		return -errno;
	k = fstat(pfd, &j->in.st);
	job_step(j);
	if (k < 0)
		return -errno;
	if (!S_ISREG(j->in.st.st_mode) && !S_ISDIR(j->in.st.st_mode))
		return -SC_ENOTREG;
	if (S_ISREG(j->in.st.st_mode) && (uint64_t)j->in.st.st_size > j->max)
		return -EFBIG;
	fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
				   (S_ISDIR(j->in.st.st_mode) ? O_DIRECTORY : O_NONBLOCK));
	job_step(j);
	if (fd < 0)
		return -errno;
	k = fstat(fd, &st);
	job_step(j);
	if (k < 0)
		return -errno;
	if (st.st_dev != j->in.st.st_dev || st.st_ino != j->in.st.st_ino ||
	    (st.st_mode & S_IFMT) != (j->in.st.st_mode & S_IFMT))
		return -SC_ECHANGED;
	if (S_ISDIR(st.st_mode)) {
		j->in.fd = TAKE_FD(fd);
		return 0;
	}
	return read_whole(j, fd);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(1);
		p += k;
		n -= (size_t)k;
	}
}

/* The child: opens and reads, puts the bytes in the memfd, then sends its
 * result. A child stuck in a FUSE request the daemon has taken cannot be
 * killed until the daemon answers; the parent need not wait for it. */
static _Noreturn void input_child(struct input_job *j, int data_fd)
{
	struct input_result res = { .magic = INPUT_MAGIC };

	res.err = input_open(j);
	res.st = j->in.st;
	if (res.err >= 0 && j->in.data) {
		write_all(data_fd, j->in.data, j->in.size);
		res.size = j->in.size;
	}
	write_all(j->prog_fd, (const char *)&res, sizeof(res));
	_exit(0);
}

/* Everything the child wrote to the pipe until it closed it, as long as
 * something arrives every idle_ms; only the tail (the result) is kept. */
static int collect(int fd, unsigned idle_ms, struct input_result *ret)
{
	char tail[sizeof(struct input_result)];
	size_t have = 0;
	long long deadline = sc_now_ms() + idle_ms;

	for (;;) {
		char buf[4096];
		ssize_t n = sc_read_by(fd, buf, sizeof(buf), deadline);

		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		deadline = sc_now_ms() + idle_ms;
		if ((size_t)n >= sizeof(tail)) {
			memcpy(tail, buf + n - sizeof(tail), sizeof(tail));
			have = sizeof(tail);
		} else {
			size_t keep =
				have + (size_t)n > sizeof(tail) ? sizeof(tail) - (size_t)n : have;

			memmove(tail, tail + have - keep, keep);
			memcpy(tail + keep, buf, (size_t)n);
			have = keep + (size_t)n;
		}
	}
	if (have < sizeof(tail))
		return -EIO;
	memcpy(ret, tail, sizeof(tail));
	return ret->magic == INPUT_MAGIC ? 0 : -EIO;
}

static int input_in_child(struct input_job *j, unsigned idle_ms)
{
	_cleanup_close_ int data_fd = -1, rfd = -1, wfd = -1;
	struct input_result res;
	int p[2], k;
	pid_t pid;

	data_fd = memfd_create("sysctr-root", MFD_CLOEXEC);
	if (data_fd < 0)
		return -errno;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	rfd = p[0];
	wfd = p[1];
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(rfd);
		j->prog_fd = wfd;
		input_child(j, data_fd);
	}
	close(TAKE_FD(wfd));
	k = collect(rfd, idle_ms, &res);
	if (k < 0) {
		/* Killed, and reaped if it goes; if the kernel keeps it
		 * (a request the FUSE daemon took), it outlives us. */
		kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, WNOHANG);
		return k;
	}
	(void)waitpid(pid, NULL, 0);
	if (res.err < 0)
		return res.err;
	j->in.st = res.st;
	if (S_ISDIR(res.st.st_mode)) {
		struct stat st;
		int fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_DIRECTORY);

		if (fd < 0)
			return -errno;
		if (fstat(fd, &st) < 0 || st.st_dev != res.st.st_dev ||
		    st.st_ino != res.st.st_ino) {
			close(fd);
			return -SC_ECHANGED;
		}
		j->in.fd = fd;
		return 0;
	}
	j->in.data = sc_xmalloc(res.size + 1);
	for (size_t got = 0; got < res.size;) {
		ssize_t n = pread(data_fd, j->in.data + got, res.size - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			k = n < 0 ? -errno : -EIO;
			free(TAKE_PTR(j->in.data));
			return k;
		}
		got += (size_t)n;
	}
	j->in.data[res.size] = 0;
	j->in.size = res.size;
	return 0;
}

int sc_root_input_open(const char *path, size_t max, unsigned idle_ms, struct sc_root_input *ret)
{
	struct input_job j = { .path = path, .max = max, .prog_fd = -1, .in = { .fd = -1 } };
	int k;

	/* The live root itself cannot hang: no child for it. */
	k = streq(path, "/") ? input_open(&j) : input_in_child(&j, idle_ms);
	if (k < 0) {
		free(j.in.data);
		if (j.in.fd >= 0)
			close(j.in.fd);
		return k;
	}
	*ret = j.in;
	return 0;
}

/* ---- the backend ------------------------------------------------------------- */

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
