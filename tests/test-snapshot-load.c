/* SPDX-License-Identifier: MIT */
/* Opening what --root names (sc_root_input_open): a snapshot file read
 * whole in a few read() calls, a FIFO refused without blocking, a hung
 * FUSE file given up on (its reader is a child) instead of hanging the
 * tool. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "root-internal.h"
#include "testlib.h"
#include "util.h"

static char *dir;

static void setup(void)
{
	dir = make_tempdir();
}

static void teardown(void)
{
	rm_rf(dir);
	free(dir);
}

TestSuite(snapshot_load, .init = setup, .fini = teardown, .timeout = 60);

static bool have(const char *prog)
{
	_cleanup_free_ char *c = sc_xasprintf("command -v %s >/dev/null 2>&1", prog);
	return system(c) == 0;
}

Test(snapshot_load, regular_file_whole_fifo_and_big_refused)
{
	_cleanup_free_ char *f = sc_xasprintf("%s/snap.json", dir);
	_cleanup_free_ char *fifo = sc_xasprintf("%s/fifo", dir);
	struct sc_root_input in = { .fd = -1 };

	write_file(dir, "snap.json", "{\"format\": 1}\n");
	cr_assert_eq(sc_root_input_open(f, 1024, 1000, &in), 0);
	cr_assert_eq(in.fd, -1);
	cr_assert_eq(in.size, 14);
	cr_assert_str_eq(in.data, "{\"format\": 1}\n");
	free(in.data);
	in = (struct sc_root_input){ .fd = -1 };
	cr_assert_eq(sc_root_input_open(f, 13, 1000, &in), -EFBIG);
	cr_assert_eq(sc_root_input_open(f, 14, 1000, &in), 0);
	free(in.data);
	in = (struct sc_root_input){ .fd = -1 };

	/* A FIFO with no writer would block an open(O_RDONLY) forever. */
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(sc_root_input_open(fifo, 1024, 1000, &in), -SC_ENOTREG);
	cr_assert_eq(sc_root_input_open("/dev/null", 1024, 1000, &in), -SC_ENOTREG);

	cr_assert_eq(sc_root_input_open(dir, 1024, 1000, &in), 0);
	cr_assert_geq(in.fd, 0);
	cr_assert(S_ISDIR(in.st.st_mode));
	cr_assert_null(in.data);
	close(in.fd);
	cr_assert_eq(sc_root_input_open("/nonexistent/x", 1024, 1000, &in), -ENOENT);
}

/* The CLI on a FIFO as --root: one line, exit 3, no hang. */
Test(snapshot_load, cli_fifo_root_refused)
{
	_cleanup_free_ char *fifo = sc_xasprintf("%s/snap.json", dir);
	struct run_result r = {};

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	run_tool(&r, (const char *const[]){ "--root", fifo, "host", NULL });
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "not a regular file"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	run_result_done(&r);
}

/* The golden replay of a booted runc container, from its snapshot padded
 * with files no probe reads: ~4 MB. */
static char *padded_snapshot(size_t *ret_size)
{
	json_error_t err;
	json_t *snap = json_load_file(FIXTURE("snapshots/booted.json"), JSON_ALLOW_NUL, &err);
	json_t *files = json_object_get(snap, "files");
	char pad[501];
	char *p = sc_xasprintf("%s/big.json", dir);
	struct stat st;

	cr_assert_not_null(files, "%s", err.text);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = 0;
	for (int i = 0; i < 8000; i++) {
		char key[32];

		snprintf(key, sizeof(key), "/pad/f%05d", i);
		json_object_set_new(files, key, json_string(pad));
	}
	cr_assert_eq(json_dump_file(snap, p, JSON_INDENT(1) | JSON_SORT_KEYS), 0);
	json_decref(snap);
	cr_assert_eq(stat(p, &st), 0);
	*ret_size = (size_t)st.st_size;
	return p;
}

#define REPLAY_ARGS "--state-root", "runc=/run/sc-e2e-gold", "report", "runc:sc-e2e-gold-booted"

/* The count, not the time: the old loader (json_loadfd) made one read()
 * per byte, 10,504,783 of them for a 10 MB snapshot. Every read() of the
 * process and its threads is counted (strace -f); the run with the
 * padded snapshot must print what the original prints. */
Test(snapshot_load, few_reads_for_a_big_snapshot)
{
	size_t size;
	_cleanup_free_ char *big = padded_snapshot(&size);
	_cleanup_free_ char *log = sc_xasprintf("%s/strace.log", dir);
	_cleanup_free_ char *cmd = NULL, *text = NULL;
	struct run_result a = {}, b = {};
	unsigned reads = 0;
	int rc, status;

	if (!have("strace")) {
		fprintf(stderr, "[SKIP] snapshot_load: strace is not installed (apt-get install "
				"strace)\n");
		cr_skip_test("strace is not installed");
	}
	cr_assert_gt(size, 4000000, "the padded snapshot is %zu bytes", size);
	run_tool(&a, (const char *const[]){ "--root", FIXTURE("snapshots/booted.json"), REPLAY_ARGS,
					    NULL });
	run_tool(&b, (const char *const[]){ "--root", big, REPLAY_ARGS, NULL });
	status = a.status;
	cr_assert_leq(a.status, 1, "exit %d: %s", a.status, a.err);
	cr_assert_eq(b.status, a.status, "exit %d: %s", b.status, b.err);
	/* The header names the snapshot file (wrapped when the path is
	 * long): everything after it, from the first blank line, is the same. */
	cr_assert_not_null(strstr(a.out, "\n\n"));
	cr_assert_not_null(strstr(b.out, "\n\n"));
	cr_assert_str_eq(strstr(b.out, "\n\n"), strstr(a.out, "\n\n"));
	run_result_done(&a);
	run_result_done(&b);

	/* LeakSanitizer (SANITIZE=1) cannot run under ptrace. */
	cmd = sc_xasprintf("ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=read -o '%s' '%s' "
			   "--root '%s' --state-root "
			   "runc=/run/sc-e2e-gold report runc:sc-e2e-gold-booted >/dev/null 2>&1",
			   log, SC_BINARY, big);
	rc = system(cmd);
	text = read_whole_file(log, NULL);
	if (!text || !strstr(text, "read(")) {
		fprintf(stderr,
			"[SKIP] snapshot_load: strace could not trace (exit %d): "
			"ptrace not permitted here?\n",
			rc);
		cr_skip_test("strace could not trace");
	}
	cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == status, "strace run: status %d, want exit %d",
		  rc, status);
	for (const char *s = text; (s = strstr(s, "read(")); s++)
		reads++;
	printf("info: snapshot_load: %zu-byte snapshot: %u read() calls\n", size, reads);
	cr_assert_lt(reads, 64, "%u read() calls for a %zu-byte snapshot", reads, size);
}

/* A snapshot file on a FUSE filesystem whose daemon is stopped: open()
 * and read() never return. lxcfs stands in for it (its files look
 * regular). The tool must give up after its idle deadline, in one line,
 * exit 3. */
Test(snapshot_load, hung_fuse_file_is_given_up_on, .timeout = 60)
{
	_cleanup_free_ char *mnt = sc_xasprintf("%s/lxcfs", dir);
	_cleanup_free_ char *probe = sc_xasprintf("%s/proc/meminfo", mnt);
	_cleanup_free_ char *pidf = sc_xasprintf("%s/lxcfs.pid", dir);
	_cleanup_free_ char *want = sc_xasprintf("sysctr-check: cannot open root %s: no answer for "
						 "%u s (a hung FUSE filesystem?)\n",
						 probe, SC_ROOT_OPEN_IDLE_MS / 1000);
	struct run_result r = {};
	pid_t pid;

	if (!is_root() || !have("lxcfs")) {
		fprintf(stderr, "[SKIP] snapshot_load: a hung FUSE file needs root and lxcfs\n");
		cr_skip_test("needs root and lxcfs");
	}
	cr_assert_eq(mkdir(mnt, 0755), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		dup2(null, 1);
		dup2(null, 2);
		/* Its own pidfile: another lxcfs (a test's) may run. */
		execlp("lxcfs", "lxcfs", "-f", "-p", pidf, mnt, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 400 && access(probe, F_OK) < 0; i++)
		usleep(50000);
	cr_assert_eq(access(probe, F_OK), 0, "lxcfs did not come up");
	cr_assert_eq(kill(pid, SIGSTOP), 0);
	run_tool(&r, (const char *const[]){ "--root", probe, "host", NULL });
	kill(pid, SIGCONT);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	(void)umount2(mnt, MNT_DETACH);
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.err, want);
	run_result_done(&r);
}
