/* SPDX-License-Identifier: MIT */
/* The setns child and its pipe. Safety, in order of appearance:
 * - the target is pinned with a pidfd (pidfd_open(2), Linux 5.3) and its
 *   start time checked before and after /proc/PID/root is opened, so a
 *   recycled PID is refused;
 * - the child joins cgroup, ipc, uts, pid and mount namespaces in one
 *   setns(pidfd, flags) call (Linux 5.8), or one /proc/PID/ns/TYPE fd at a time
 *   before that, and the user namespace only when not root;
 * - it chroots to the target's own root (fchdir to /proc/PID/root, as
 *   nsenter --root does), closes every other fd, becomes non-dumpable so
 *   that nothing in the container can ptrace it, and the grandchild drops
 *   every capability but reading files (CAP_DAC_OVERRIDE,
 *   CAP_DAC_READ_SEARCH) and sets no_new_privs: it never executes anything;
 * - the grandchild reads through sc_root (openat2 RESOLVE_IN_ROOT), and
 *   writes one JSON document to the pipe;
 * - the parent kills it when no progress is reported for timeout_ms: the
 *   path in flight is recorded as hung and a new child skips every mount
 *   of that filesystem (a dead lxcfs hangs all its files at once); and
 *   when the whole probe, retries included, exceeds total_ms;
 * - a target that exits at any point is reported as exited (-ESRCH), as
 *   its pidfd says, not as whatever its vanished /proc files make of it.
 * The few open()s here are the plumbing sc_root rests on, never facts:
 * the host's /proc/PID/stat for the start time (the live kernel, in the
 * parent), /proc/PID/root and /proc/PID/ns/TYPE (the anchor and the
 * namespaces to join: magic links, followed on purpose) and /dev/null
 * for stdio. Everything read inside goes through sc_root. */
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "json-skim.h"
#include "mountinfo.h"
#include "proc.h"
#include "target.h"
#include "util.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

void sc_enter_result_done(struct sc_enter_result *r)
{
	json_decref(r->snapshot);
	sc_strv_free(r->timed_out);
	*r = (struct sc_enter_result){};
}

static int xpidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int start_time_of(pid_t pid, unsigned long long *ret)
{
	char p[64], buf[4096];
	struct sc_proc_stat st;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = 0;
	if (sc_proc_stat_parse(buf, &st) < 0)
		return -EBADMSG;
	*ret = st.start_time;
	return 0;
}

static bool pidfd_exited_within(int pidfd, int ms)
{
	struct pollfd p = { pidfd, POLLIN, 0 };
	return poll(&p, 1, ms) > 0;
}

static bool pidfd_exited(int pidfd)
{
	return pidfd_exited_within(pidfd, 0);
}

bool sc_target_exited(pid_t pid, unsigned long long start_time, int wait_ms)
{
	unsigned long long st;
	bool gone;
	int fd;

	fd = xpidfd_open(pid);
	if (fd < 0)
		return errno == ESRCH;
	gone = pidfd_exited_within(fd, wait_ms) || start_time_of(pid, &st) < 0 ||
	       (start_time && st != start_time);
	close(fd);
	return gone;
}

/* ---- the child and the grandchild ---------------------------------------------- */

struct child_ctx {
	int pidfd, rootfd;
	int nsfd[5];  /* cgroup ipc uts pid mnt, for kernels without setns(pidfd) */
	int userfd;   /* -1 unless joining the user namespace */
	int ns_flags; /* CLONE_NEW* of the namespaces to join: not those we are in */
	int data_fd, prog_fd;
	char **hung;
	char **skip;	       /* hung paths and mount points of hung FUSE filesystems */
	char **skip_exact;     /* entries of skip that match only themselves */
	const char *test_hang; /* $SYSCTR_TEST_HANG: a path whose read never ends */
	unsigned test_slow_ms; /* $SYSCTR_TEST_SLOW_MS: every operation this slow */
	sc_enter_fn fn;
	void *data;
};

static void write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

static _Noreturn void child_fail(struct child_ctx *c, int err, const char *what)
{
	json_t *doc = json_pack("{s:s,s:i}", "error", what, "errno", err < 0 ? -err : err);
	char *s = json_dumps(doc, JSON_COMPACT);

	if (s)
		write_all(c->data_fd, s, strlen(s));
	_exit(1);
}

static int grandchild_hook(void *data, const char *op, const char *path)
{
	struct child_ctx *c = data;
	char line[4200];
	int n;

	/* One line per operation: the parent's idle deadline restarts, and
	 * the last line names the read in flight if it hangs. */
	n = snprintf(line, sizeof(line), "%s %s\n", op, path);
	if (n > 0 && (size_t)n < sizeof(line))
		write_all(c->prog_fd, line, (size_t)n);
	/* Test hook: a read that never returns, like a stopped FUSE
	 * daemon's, at a path of the test's choosing. */
	if (c->test_hang && streq(path, c->test_hang) && !sc_strv_contains(c->skip, path))
		for (;;)
			pause();
	if (c->test_slow_ms)
		usleep(c->test_slow_ms * 1000);
	for (char **s = c->skip; s && *s; s++) {
		if (sc_strv_contains(c->skip_exact, *s) && !streq(path, *s))
			continue;
		size_t l = strlen(*s);
		if (streq(*s, "/") ||
		    (strncmp(path, *s, l) == 0 && (path[l] == 0 || path[l] == '/')))
			return -ETIMEDOUT;
	}
	return 0;
}

/* Every mount point of each filesystem that hung before: a hung FUSE
 * daemon (lxcfs) blocks all its files, bind mounts included. The mount
 * table is the container's, read through its sc_root (bounded, a FIFO
 * in its place refused) before recording starts, with the hook already
 * in place: the paths that hung are skipped from the first read on, and
 * the parent's deadline sees this read too. */
static void compute_skip(struct child_ctx *c, struct sc_root *root)
{
	_cleanup_free_ char *text = NULL;
	struct sc_strv_builder skip = {};
	struct sc_mounts t = {};

	c->skip = sc_strv_copy(c->hung);
	c->skip_exact = sc_strv_copy(c->hung);
	if (!c->hung || !*c->hung)
		return;
	if (sc_root_read(root, "/proc/self/mountinfo", SC_READ_MAX, &text, NULL) >= 0)
		sc_mountinfo_parse(text, &t);
	for (char **h = c->hung; *h; h++) {
		const struct sc_mount *m = sc_mounts_containing(&t, *h);

		sc_strv_builder_push(&skip, *h);
		/* A FUSE daemon that hangs hangs all its files: skip every
		 * mount of that filesystem. Anything else (the root, /proc)
		 * loses only the file that hung. */
		if (!m || !startswith(m->fstype, "fuse"))
			continue;
		for (size_t i = 0; i < t.n; i++)
			if (t.v[i].major == m->major && t.v[i].minor == m->minor)
				sc_strv_builder_push(&skip, t.v[i].mountpoint);
	}
	sc_strv_free(c->skip);
	c->skip = sc_strv_builder_take(&skip);
	sc_mounts_done(&t);
}

static int drop_capabilities(void)
{
	const uint64_t keep = (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_DAC_READ_SEARCH);
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {};

	for (unsigned cap = 0; cap <= 63; cap++)
		if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 &&
		    errno != EINVAL)
			return -errno;
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

static _Noreturn void grandchild_main(struct child_ctx *c)
{
	_cleanup_root_ struct sc_root *root = NULL;
	json_t *snap, *doc;
	char *s;
	int k;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		child_fail(c, -errno, "prctl(PR_SET_PDEATHSIG) failed");
	k = drop_capabilities();
	if (k < 0 && geteuid() == 0)
		child_fail(c, k, "cannot drop capabilities");
	/* Test hooks (documented in the man page, ENVIRONMENT): a delay
	 * before probing, to kill the target meanwhile; a hanging read. */
	{
		const char *d = getenv("SYSCTR_TEST_DELAY_MS");
		const char *slow = getenv("SYSCTR_TEST_SLOW_MS");

		c->test_hang = getenv("SYSCTR_TEST_HANG");
		if (slow)
			c->test_slow_ms = (unsigned)strtoul(slow, NULL, 10) % 100000;
		if (d)
			usleep((useconds_t)strtoul(d, NULL, 10) * 1000);
	}
	k = sc_root_open("/", SC_ROOT_FORCE_LIVE, &root);
	if (k < 0)
		child_fail(c, k, "cannot open the container's root");
	sc_root_set_hook(root, grandchild_hook, c);
	compute_skip(c, root);
	(void)sc_root_record_start(root);
	k = c->fn(root, c->data);
	snap = sc_root_record_take(root);
	doc = json_pack("{s:o,s:i}", "snapshot", snap, "result", k);
	s = json_dumps(doc, JSON_COMPACT);
	if (s)
		write_all(c->data_fd, s, strlen(s));
	else
		child_fail(c, -ENOMEM, "cannot serialize the snapshot");
	_exit(0);
}

static int join_namespaces(struct child_ctx *c)
{
	/* The user namespace first: it gives the capabilities the other
	 * joins need (user_namespaces(7)). Only when not root. */
	if (c->userfd >= 0 && setns(c->userfd, CLONE_NEWUSER) < 0)
		return -errno;
	if (c->ns_flags == 0 || setns(c->pidfd, c->ns_flags) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* Linux < 5.8: one namespace fd at a time, mount last. */
	for (size_t i = 0; i < ELEMENTSOF(c->nsfd); i++)
		if (c->nsfd[i] >= 0 && setns(c->nsfd[i], 0) < 0)
			return -errno;
	return 0;
}

static _Noreturn void child_main(struct child_ctx *c)
{
	pid_t gc;
	int status, k;
	char line[64];

	(void)setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		child_fail(c, -errno, "prctl(PR_SET_PDEATHSIG) failed");
	signal(SIGPIPE, SIG_IGN);
	/* No terminal or host file on stdio inside the container: the
	 * host's /dev/null, opened before the chroot. */
	k = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (k >= 0) {
		dup2(k, 0);
		dup2(k, 1);
		dup2(k, 2);
		if (k > 2)
			close(k);
	}

	k = join_namespaces(c);
	if (k < 0)
		child_fail(c, k,
			   k == -EPERM ? "not allowed to enter the container's namespaces"
				       : "setns() into the container failed");
	if (fchdir(c->rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		child_fail(c, -errno, "cannot change root to the container's root");
	/* Nothing in the container may ptrace us or read our memory. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		child_fail(c, -errno, "prctl(PR_SET_DUMPABLE) failed");

	/* setns(CLONE_NEWPID) moves only our children into the namespace;
	 * /proc/self inside must be a process of the container. */
	gc = fork();
	if (gc < 0)
		child_fail(c, -errno, "fork failed");
	if (gc == 0)
		grandchild_main(c);
	/* Tell the parent whom to kill if a read hangs: killing us first
	 * would leave a zombie for the container's init to reap. */
	snprintf(line, sizeof(line), "pid %d\n", (int)gc);
	write_all(c->prog_fd, line, strlen(line));
	close(c->data_fd);
	close(c->prog_fd);
	while (waitpid(gc, &status, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* ---- the parent ---------------------------------------------------------------- */

struct attempt {
	char *data;
	size_t len;
	char *last_op; /* "read /proc/meminfo" */
	pid_t grandchild;
	bool timed_out;
	bool over_total; /* the whole probe's deadline, not one read's */
	bool too_big;	 /* the child sent more than SC_ENTER_DATA_MAX */
};

static void close_all_but(const int *keep, size_t n)
{
	/* Sorted walk over the gaps between the fds we keep. */
	int prev = 2;

	for (;;) {
		int next = -1;
		for (size_t i = 0; i < n; i++)
			if (keep[i] > prev && (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0) {
			syscall(SYS_close_range, (unsigned)prev + 1, ~0U, 0);
			return;
		}
		if (next > prev + 1)
			syscall(SYS_close_range, (unsigned)prev + 1, (unsigned)next - 1, 0);
		prev = next;
	}
}

static int run_attempt(struct child_ctx *base, unsigned timeout_ms, long long total_deadline,
		       struct attempt *a)
{
	int data[2], prog[2], status;
	char pbuf[8192];
	size_t plen = 0;
	pid_t child;
	long long deadline;
	bool data_open = true, prog_open = true;

	if (pipe2(data, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(prog, O_CLOEXEC) < 0) {
		close(data[0]);
		close(data[1]);
		return -errno;
	}
	child = fork();
	if (child < 0) {
		int k = -errno;
		close(data[0]);
		close(data[1]);
		close(prog[0]);
		close(prog[1]);
		return k;
	}
	if (child == 0) {
		struct child_ctx c = *base;
		int keep[10];
		size_t nk = 0;

		close(data[0]);
		close(prog[0]);
		c.data_fd = data[1];
		c.prog_fd = prog[1];
		keep[nk++] = c.data_fd;
		keep[nk++] = c.prog_fd;
		keep[nk++] = c.pidfd;
		keep[nk++] = c.rootfd;
		if (c.userfd >= 0)
			keep[nk++] = c.userfd;
		for (size_t i = 0; i < ELEMENTSOF(c.nsfd); i++)
			if (c.nsfd[i] >= 0)
				keep[nk++] = c.nsfd[i];
		close_all_but(keep, nk);
		child_main(&c);
	}
	close(data[1]);
	close(prog[1]);

	deadline = sc_now_ms() + timeout_ms;
	while (data_open) {
		struct pollfd p[2] = { { data[0], POLLIN, 0 },
				       { prog_open ? prog[0] : -1, POLLIN, 0 } };
		long long now = sc_now_ms();
		long long left = (deadline < total_deadline ? deadline : total_deadline) - now;
		char buf[65536];
		ssize_t k;

		if (left <= 0) {
			a->timed_out = true;
			a->over_total = now >= total_deadline;
			break;
		}
		if (poll(p, 2, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (prog_open && (p[1].revents & (POLLIN | POLLHUP))) {
			k = read(prog[0], pbuf + plen, sizeof(pbuf) - 1 - plen);
			if (k <= 0)
				prog_open = false;
			else {
				char *nl;
				plen += (size_t)k;
				pbuf[plen] = 0;
				while ((nl = strchr(pbuf, '\n'))) {
					*nl = 0;
					const char *v = startswith(pbuf, "pid ");
					if (v)
						a->grandchild = (pid_t)atoi(v);
					else {
						free(a->last_op);
						a->last_op = sc_xstrdup(pbuf);
					}
					plen -= (size_t)(nl + 1 - pbuf);
					memmove(pbuf, nl + 1, plen + 1);
				}
				if (plen == sizeof(pbuf) - 1)
					plen = 0; /* an absurd line: drop it */
				deadline = sc_now_ms() + timeout_ms;
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			k = read(data[0], buf, sizeof(buf));
			if (k <= 0)
				data_open = false;
			else if (a->len + (size_t)k > SC_ENTER_DATA_MAX) {
				/* More than any snapshot --root would open. */
				a->too_big = true;
				a->timed_out = true;
				break;
			} else {
				a->data = sc_grow(a->data, a->len + (size_t)k, 1);
				memcpy(a->data + a->len, buf, (size_t)k);
				a->len += (size_t)k;
				a->data[a->len] = 0;
				deadline = sc_now_ms() + timeout_ms;
			}
		}
	}
	if (a->timed_out) {
		/* The grandchild first, so that its parent reaps it; then the
		 * whole group for good measure. */
		if (a->grandchild > 0)
			kill(a->grandchild, SIGKILL);
		kill(-child, SIGKILL);
		kill(child, SIGKILL);
	}
	close(data[0]);
	close(prog[0]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

static int pool_enter(struct sc_enter_pool *p, pid_t pid, unsigned long long start_time,
		      struct sc_enter_result *ret, char **ret_error);
static bool pool_serves(const struct sc_enter_pool *p, sc_enter_fn fn, void *data);

/* The child's answer {"snapshot": ..., "result": N} as the snapshot's own
 * text, for a worker that only passes it on (parsing and printing it again
 * was most of a worker's time); NULL for anything else, which the caller
 * then parses as usual (an error, a \u0000 the skimmer refuses). */
static char *raw_snapshot(const char *data, size_t len)
{
	_cleanup_free_ struct sc_json_member *m = NULL;
	const struct sc_json_member *snap;
	int n = sc_json_skim_object(data, len, &m);

	if (n < 0 || sc_json_member_find(m, (size_t)n, "error"))
		return NULL;
	snap = sc_json_member_find(m, (size_t)n, "snapshot");
	if (!snap || snap->value[0] != '{')
		return NULL;
	return sc_xstrndup(snap->value, snap->value_len);
}

/* ret_raw, when not NULL, may get the snapshot as text instead of
 * ret->snapshot (a worker's: it sends it on as it is). */
static int enter_direct(pid_t pid, unsigned long long start_time, const struct sc_enter_opts *o,
			sc_enter_fn fn, void *data, struct sc_enter_result *ret, char **ret_raw,
			char **ret_error)
{
	_cleanup_free_ char *raw = NULL;
	static const char *const ns_names[5] = { "cgroup", "ipc", "uts", "pid", "mnt" };
	static const int ns_flags[5] = { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWPID,
					 CLONE_NEWNS };
	struct child_ctx c = { .pidfd = -1, .rootfd = -1, .userfd = -1, .fn = fn, .data = data };
	struct sc_enter_result res = {};
	unsigned long long st1 = 0, st2 = 0;
	unsigned timeout = o && o->timeout_ms ? o->timeout_ms : SC_ENTER_TIMEOUT_MS_DEFAULT;
	unsigned retries = o ? o->retries : 2;
	unsigned total = o && o->total_ms ? o->total_ms : (retries + 2) * timeout;
	long long total_deadline = sc_now_ms() + total;
	char path[64];
	int k = 0;

	for (size_t i = 0; i < ELEMENTSOF(c.nsfd); i++)
		c.nsfd[i] = -1;
	*ret_error = NULL;

	c.pidfd = xpidfd_open(pid);
	if (c.pidfd < 0) {
		k = -errno;
		*ret_error = sc_xasprintf(k == -ESRCH ? "no process %d" : "pidfd_open(%d): %s",
					  (int)pid, strerror(-k));
		goto out;
	}
	if (start_time_of(pid, &st1) < 0 || (start_time && st1 != start_time)) {
		k = -ESRCH;
		*ret_error =
			pidfd_exited_within(c.pidfd, 100)
				? sc_xasprintf("process %d exited while being probed", (int)pid)
				: sc_xasprintf("process %d is not the container's init any more "
					       "(its PID was reused)",
					       (int)pid);
		goto out;
	}
	/* /proc/PID/root is a magic link, followed on purpose: it is the
	 * container's root, the anchor of the chroot. */
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	c.rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c.rootfd < 0) {
		int e = errno;

		/* A process on its way out loses its root and namespaces
		 * before it becomes a zombie (do_exit(): exit_fs() and
		 * exit_namespaces() before exit_notify()), and its pidfd
		 * turns readable only then: give it a moment. */
		if (pidfd_exited_within(c.pidfd, 200)) {
			k = -ESRCH;
			*ret_error = sc_xasprintf("process %d exited while being probed", (int)pid);
			goto out;
		}
		k = e == EACCES ? -EPERM : -e;
		*ret_error = sc_xasprintf("cannot open %s: %s%s", path, strerror(e),
					  e == EACCES ? " (run as root)" : "");
		goto out;
	}
	/* A namespace the target shares with us is not joined: joining it
	 * again needs CAP_SYS_ADMIN over its owner all the same, which a user
	 * probing their rootless container lacks for the host's cgroup
	 * namespace (Podman on cgroup v1 makes none; bookworm-legacy VM: "not
	 * allowed to enter the container's namespaces"). */
	for (size_t i = 0; i < ELEMENTSOF(c.nsfd); i++) {
		char self[64];
		struct stat so, st;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_names[i]);
		snprintf(self, sizeof(self), "/proc/self/ns/%s", ns_names[i]);
		if (stat(path, &st) == 0 && stat(self, &so) == 0 && st.st_ino == so.st_ino &&
		    st.st_dev == so.st_dev)
			continue;
		c.nsfd[i] = open(path, O_RDONLY | O_CLOEXEC);
		c.ns_flags |= ns_flags[i];
	}
	if (geteuid() != 0) {
		char a[64], b[64];
		struct stat sa, sb;
		snprintf(a, sizeof(a), "/proc/%d/ns/user", (int)pid);
		snprintf(b, sizeof(b), "/proc/self/ns/user");
		if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino != sb.st_ino)
			c.userfd = open(a, O_RDONLY | O_CLOEXEC);
	}
	/* The fds above belong to the pinned process only if it is still
	 * alive and its start time has not changed. */
	if (pidfd_exited(c.pidfd) || start_time_of(pid, &st2) < 0 || st1 != st2) {
		k = -ESRCH;
		*ret_error = sc_xasprintf("process %d exited", (int)pid);
		goto out;
	}

	for (unsigned attempt = 0; attempt <= retries; attempt++) {
		struct attempt a = {};
		json_t *doc;

		c.hung = res.timed_out;
		res.attempts++;
		k = run_attempt(&c, timeout, total_deadline, &a);
		if (k < 0) {
			*ret_error = sc_xasprintf("cannot start the probe child: %s", strerror(-k));
			free(a.data);
			free(a.last_op);
			goto out;
		}
		if (a.too_big) {
			k = -EFBIG;
			*ret_error = sc_xasprintf("the inside view of process %d is larger than %u "
						  "MiB: refused",
						  (int)pid, SC_ENTER_DATA_MAX >> 20);
			free(a.data);
			free(a.last_op);
			goto out;
		}
		if (a.over_total) {
			k = pidfd_exited(c.pidfd) ? -ESRCH : -ETIMEDOUT;
			*ret_error = k == -ESRCH
					     ? sc_xasprintf("process %d exited while being probed",
							    (int)pid)
					     : sc_xasprintf("the probe took longer than %u ms in "
							    "all%s%s (reads each just under "
							    "the %u ms timeout?)",
							    total, a.last_op ? ", at " : "",
							    a.last_op ? a.last_op : "", timeout);
			free(a.data);
			free(a.last_op);
			goto out;
		}
		if (a.timed_out) {
			const char *p = a.last_op ? strchr(a.last_op, ' ') : NULL;
			if (!res.timed_out)
				res.timed_out = sc_xcalloc(1, sizeof(char *));
			if (p && !sc_strv_contains(res.timed_out, p + 1)) {
				sc_strv_push(&res.timed_out, p + 1);
			} else {
				/* No new path: it hung outside any read. */
				k = -ETIMEDOUT;
				*ret_error = sc_xasprintf("timed out after %u ms%s%s", timeout,
							  a.last_op ? " after " : "",
							  a.last_op ? a.last_op : "");
				free(a.data);
				free(a.last_op);
				goto out;
			}
			free(a.data);
			free(a.last_op);
			if (pidfd_exited(c.pidfd))
				break;
			continue;
		}
		if (ret_raw && a.data && (raw = raw_snapshot(a.data, a.len))) {
			free(a.data);
			free(a.last_op);
			break;
		}
		doc = a.data ? json_loadb(a.data, a.len, JSON_ALLOW_NUL, NULL) : NULL;
		free(a.data);
		free(a.last_op);
		if (!doc) {
			/* When the target's init dies, the kernel kills our
			 * grandchild in its PID namespace before the init is
			 * reported exited: give the pidfd a moment. */
			k = pidfd_exited_within(c.pidfd, 500) ? -ESRCH : -ECHILD;
			*ret_error =
				sc_xasprintf(k == -ESRCH ? "process %d exited while being probed"
							 : "the probe child of process %d died",
					     (int)pid);
			goto out;
		}
		if (json_object_get(doc, "error")) {
			int e = (int)json_integer_value(json_object_get(doc, "errno"));
			k = e ? -e : -EIO;
			if (k == -ESRCH || pidfd_exited(c.pidfd)) {
				k = -ESRCH;
				*ret_error = sc_xasprintf("process %d exited while being probed",
							  (int)pid);
			} else
				*ret_error = sc_xasprintf(
					"%s: %s", json_string_value(json_object_get(doc, "error")),
					strerror(-k));
			json_decref(doc);
			goto out;
		}
		res.snapshot = json_incref(json_object_get(doc, "snapshot"));
		json_decref(doc);
		break;
	}
	if (!res.snapshot && !raw) {
		k = pidfd_exited(c.pidfd) ? -ESRCH : -ETIMEDOUT;
		*ret_error =
			k == -ESRCH ? sc_xasprintf("process %d exited while being probed", (int)pid)
				    : sc_xasprintf("every attempt timed out (%u ms each)", timeout);
		goto out;
	}
	/* The facts must all come from one living process. */
	if (pidfd_exited(c.pidfd)) {
		k = -ESRCH;
		*ret_error = sc_xasprintf("process %d exited while being probed", (int)pid);
		goto out;
	}
	*ret = res;
	res = (struct sc_enter_result){};
	if (ret_raw)
		*ret_raw = TAKE_PTR(raw);
	k = 0;
out:
	sc_enter_result_done(&res);
	if (c.pidfd >= 0)
		close(c.pidfd);
	if (c.rootfd >= 0)
		close(c.rootfd);
	if (c.userfd >= 0)
		close(c.userfd);
	for (size_t i = 0; i < ELEMENTSOF(c.nsfd); i++)
		if (c.nsfd[i] >= 0)
			close(c.nsfd[i]);
	return k;
}

int sc_target_enter(pid_t pid, unsigned long long start_time, const struct sc_enter_opts *o,
		    sc_enter_fn fn, void *data, struct sc_enter_result *ret, char **ret_error)
{
	if (o && o->pool && pool_serves(o->pool, fn, data))
		return pool_enter(o->pool, pid, start_time, ret, ret_error);
	return enter_direct(pid, start_time, o, fn, data, ret, NULL, ret_error);
}

/* ---- the pool of workers -------------------------------------------------------- */

/* The worker's answer, after a fixed header: the error text, each hung
 * path (length, bytes), the snapshot as compact JSON. Bytes, not JSON
 * strings: paths from a container need not be UTF-8. */
struct pool_req {
	int32_t pid;
	uint64_t start_time;
};
struct pool_reply {
	int32_t k;
	uint32_t attempts, err_len, n_timed_out, snap_len;
};

struct pool_worker {
	pid_t pid; /* 0: dead */
	int fd;
	bool busy, done; /* probing; or holding the result of (t_pid, t_start) */
	pid_t t_pid;
	unsigned long long t_start;
	long long deadline;
	int k;
	char *error;
	struct sc_enter_result res;
};

struct sc_enter_pool {
	struct pool_worker *w;
	size_t n;
	struct sc_enter_opts opts;
	sc_enter_fn fn;
	void *data;
	unsigned answer_ms; /* a worker silent for this long is killed */
};

static bool pool_serves(const struct sc_enter_pool *p, sc_enter_fn fn, void *data)
{
	return p->fn == fn && p->data == data;
}

static int read_full(int fd, void *buf, size_t n, long long deadline)
{
	char *b = buf;

	while (n > 0) {
		ssize_t k = sc_read_by(fd, b, n, deadline);

		if (k <= 0)
			return k < 0 ? (int)k : -EPIPE;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static void write_u32_bytes(int fd, const char *s, size_t n)
{
	uint32_t l = (uint32_t)n;

	write_all(fd, (const char *)&l, sizeof(l));
	write_all(fd, s, n);
}

static _Noreturn void worker_main(struct sc_enter_pool *p, int fd, pid_t parent)
{
	struct sc_enter_opts o = p->opts;

	o.pool = NULL;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(1);
	signal(SIGPIPE, SIG_IGN);
	/* The caller's files (its output, other workers' sockets) are not
	 * ours to hold open. */
	close_all_but(&fd, 1);
	for (;;) {
		struct sc_enter_result res = {};
		struct pool_req rq;
		struct pool_reply h = {};
		_cleanup_free_ char *snap = NULL;
		char *err = NULL;

		if (read_full(fd, &rq, sizeof(rq), LLONG_MAX) < 0)
			_exit(0);
		h.k = enter_direct((pid_t)rq.pid, rq.start_time, &o, p->fn, p->data, &res, &snap,
				   &err);
		if (h.k >= 0 && !snap && res.snapshot) {
			snap = json_dumps(res.snapshot, JSON_COMPACT);
			if (!snap) {
				h.k = -ENOMEM;
				free(err);
				err = sc_xstrdup("cannot serialize the snapshot");
			}
		}
		h.attempts = res.attempts;
		h.err_len = err ? (uint32_t)strlen(err) : 0;
		h.n_timed_out = h.k >= 0 ? (uint32_t)sc_strv_length(res.timed_out) : 0;
		h.snap_len = h.k >= 0 && snap ? (uint32_t)strlen(snap) : 0;
		write_all(fd, (const char *)&h, sizeof(h));
		if (err)
			write_all(fd, err, h.err_len);
		for (uint32_t i = 0; i < h.n_timed_out; i++)
			write_u32_bytes(fd, res.timed_out[i], strlen(res.timed_out[i]));
		if (h.snap_len)
			write_all(fd, snap, h.snap_len);
		free(err);
		sc_enter_result_done(&res);
	}
}

static void worker_drop(struct pool_worker *w)
{
	free(w->error);
	w->error = NULL;
	sc_enter_result_done(&w->res);
	w->done = false;
}

static void worker_kill(struct pool_worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	w->pid = 0;
	w->busy = false;
}

int sc_enter_pool_new(unsigned n_workers, const struct sc_enter_opts *o, sc_enter_fn fn, void *data,
		      struct sc_enter_pool **ret)
{
	struct sc_enter_pool *p = sc_xcalloc(1, sizeof(*p));
	unsigned timeout, retries;

	p->opts = o ? *o : (struct sc_enter_opts){};
	p->opts.pool = NULL;
	p->fn = fn;
	p->data = data;
	timeout = p->opts.timeout_ms ? p->opts.timeout_ms : SC_ENTER_TIMEOUT_MS_DEFAULT;
	retries = o ? p->opts.retries : 2;
	/* The worker's own deadline, and the waits for a pidfd around it. */
	p->answer_ms = (p->opts.total_ms ? p->opts.total_ms : (retries + 2) * timeout) + 5000;
	p->w = sc_xcalloc(n_workers ? n_workers : 1, sizeof(*p->w));
	for (unsigned i = 0; i < n_workers; i++) {
		struct pool_worker *w = &p->w[p->n];
		pid_t parent = getpid();
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			break;
		w->pid = fork();
		if (w->pid < 0) {
			close(sv[0]);
			close(sv[1]);
			break;
		}
		if (w->pid == 0) {
			close(sv[0]);
			worker_main(p, sv[1], parent);
		}
		close(sv[1]);
		w->fd = sv[0];
		p->n++;
	}
	if (p->n == 0) {
		int k = -errno;
		sc_enter_pool_free(p);
		return k < 0 ? k : -EAGAIN;
	}
	*ret = p;
	return 0;
}

void sc_enter_pool_free(struct sc_enter_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		worker_drop(&p->w[i]);
		worker_kill(&p->w[i]);
	}
	free(p->w);
	free(p);
}

static bool worker_submit(struct sc_enter_pool *p, struct pool_worker *w, pid_t pid,
			  unsigned long long start_time)
{
	struct pool_req rq = { .pid = pid, .start_time = start_time };
	const char *b = (const char *)&rq;
	size_t n = sizeof(rq);

	while (n > 0) {
		ssize_t k = send(w->fd, b, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			worker_kill(w);
			return false;
		}
		b += k;
		n -= (size_t)k;
	}
	w->busy = true;
	w->t_pid = pid;
	w->t_start = start_time;
	w->deadline = sc_now_ms() + p->answer_ms;
	return true;
}

static int read_bytes(int fd, size_t n, long long deadline, char **ret)
{
	char *b = sc_xcalloc(n + 1, 1);
	int k = read_full(fd, b, n, deadline);

	if (k < 0) {
		free(b);
		return k;
	}
	*ret = b;
	return 0;
}

/* The answer of a busy worker: its result is then held (done). */
static void worker_collect(struct pool_worker *w)
{
	struct pool_reply h;
	_cleanup_free_ char *snap = NULL;
	int k;

	w->busy = false;
	w->done = true;
	k = read_full(w->fd, &h, sizeof(h), w->deadline);
	if (k >= 0 && h.err_len)
		k = h.err_len > SC_ENTER_DATA_MAX
			    ? -EBADMSG
			    : read_bytes(w->fd, h.err_len, w->deadline, &w->error);
	for (uint32_t i = 0; k >= 0 && i < h.n_timed_out; i++) {
		uint32_t l;
		char *t = NULL;

		k = read_full(w->fd, &l, sizeof(l), w->deadline);
		if (k >= 0)
			k = l > SC_ENTER_DATA_MAX ? -EBADMSG
						  : read_bytes(w->fd, l, w->deadline, &t);
		if (k >= 0) {
			if (!w->res.timed_out)
				w->res.timed_out = sc_xcalloc(1, sizeof(char *));
			sc_strv_consume(&w->res.timed_out, t);
		}
	}
	if (k >= 0 && h.snap_len)
		k = h.snap_len > SC_ENTER_DATA_MAX
			    ? -EBADMSG
			    : read_bytes(w->fd, h.snap_len, w->deadline, &snap);
	if (k < 0) {
		worker_drop(w);
		w->done = true;
		w->k = k == -ETIMEDOUT ? -ETIMEDOUT : -ECHILD;
		w->error = k == -ETIMEDOUT ? sc_xasprintf("the probe worker did not answer for "
							  "process %d",
							  (int)w->t_pid)
					   : sc_xasprintf("the probe worker of process %d died",
							  (int)w->t_pid);
		worker_kill(w);
		return;
	}
	w->k = h.k;
	w->res.attempts = h.attempts;
	if (h.k >= 0 && snap) {
		w->res.snapshot = json_loadb(snap, h.snap_len, JSON_ALLOW_NUL, NULL);
		if (!w->res.snapshot) {
			worker_drop(w);
			w->done = true;
			w->k = -EBADMSG;
			w->error = sc_xasprintf("the probe worker of process %d sent no snapshot",
						(int)w->t_pid);
		}
	}
}

/* Waits for any busy worker; false when none is. */
static bool pool_wait_any(struct sc_enter_pool *p)
{
	struct pollfd pf[16];
	size_t idx[16], n = 0;
	long long first = LLONG_MAX;

	for (size_t i = 0; i < p->n && n < ELEMENTSOF(pf); i++)
		if (p->w[i].busy) {
			pf[n] = (struct pollfd){ p->w[i].fd, POLLIN, 0 };
			idx[n++] = i;
			if (p->w[i].deadline < first)
				first = p->w[i].deadline;
		}
	if (n == 0)
		return false;
	for (;;) {
		long long left = first - sc_now_ms();
		int k = poll(pf, n, left > 0 ? (int)left : 0);

		if (k < 0 && errno == EINTR)
			continue;
		for (size_t j = 0; j < n; j++)
			if (k <= 0 ? p->w[idx[j]].deadline == first : pf[j].revents != 0) {
				/* A worker past its deadline: collecting it says so. */
				worker_collect(&p->w[idx[j]]);
				return true;
			}
		return true;
	}
}

static struct pool_worker *pool_holding(struct sc_enter_pool *p, pid_t pid,
					unsigned long long start_time)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pool_worker *w = &p->w[i];
		if ((w->busy || w->done) && w->t_pid == pid && w->t_start == start_time)
			return w;
	}
	return NULL;
}

static struct pool_worker *pool_idle(struct sc_enter_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->w[i].pid > 0 && !p->w[i].busy && !p->w[i].done)
			return &p->w[i];
	return NULL;
}

void sc_enter_pool_prefetch(struct sc_enter_pool *p, const pid_t *pids,
			    const unsigned long long *start_times, size_t n)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pool_worker *w = &p->w[i];
		bool wanted = false;

		for (size_t j = 0; j < n; j++)
			wanted |= w->t_pid == pids[j] && w->t_start == start_times[j];
		if (w->done && !wanted)
			worker_drop(w);
	}
	for (size_t j = 0; j < n; j++) {
		struct pool_worker *w;

		if (pool_holding(p, pids[j], start_times[j]))
			continue;
		w = pool_idle(p);
		if (!w)
			return;
		(void)worker_submit(p, w, pids[j], start_times[j]);
	}
}

static int pool_enter(struct sc_enter_pool *p, pid_t pid, unsigned long long start_time,
		      struct sc_enter_result *ret, char **ret_error)
{
	for (;;) {
		struct pool_worker *w = pool_holding(p, pid, start_time);
		bool alive = false;
		int k;

		if (w && w->busy)
			worker_collect(w);
		if (w) {
			k = w->k;
			*ret_error = TAKE_PTR(w->error);
			if (k >= 0) {
				*ret = w->res;
				w->res = (struct sc_enter_result){};
			}
			worker_drop(w);
			return k;
		}
		w = pool_idle(p);
		if (!w)
			/* Results nobody asked for any more make room. */
			for (size_t i = 0; i < p->n && !w; i++)
				if (p->w[i].pid > 0 && p->w[i].done) {
					worker_drop(&p->w[i]);
					w = &p->w[i];
				}
		if (w) {
			(void)worker_submit(p, w, pid, start_time);
			continue;
		}
		for (size_t i = 0; i < p->n; i++)
			alive |= p->w[i].pid > 0;
		if (!alive)
			return enter_direct(pid, start_time, &p->opts, p->fn, p->data, ret, NULL,
					    ret_error);
		(void)pool_wait_any(p);
	}
}
