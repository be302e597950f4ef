/* SPDX-License-Identifier: MIT */
/* Root-only integration tests: real runc containers and hand-made ones
 * (unshare), probed by the built binary; the facts it reports must be
 * what the test set up. Every container, cgroup and mount is removed in
 * the fini, also when an assertion fails. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "manager.h"
#include "testctr.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

static struct testctr ctr[3];
static pid_t hand_pid = -1, hand_init = -1;
static char *hand_dir, *hand_cgroup;

static void peer_stop(void);

static void fini(void)
{
	peer_stop();
	for (size_t i = 0; i < ELEMENTSOF(ctr); i++)
		testctr_destroy(&ctr[i]);
	/* The namespace's init first: killing unshare does not kill it. */
	if (hand_init > 0) {
		kill(hand_init, SIGKILL);
		hand_init = -1;
	}
	if (hand_pid > 0) {
		kill(hand_pid, SIGKILL);
		waitpid(hand_pid, NULL, 0);
		hand_pid = -1;
	}
	if (hand_cgroup) {
		/* The cgroup empties once its process is reaped. */
		for (int i = 0; i < 100 && rmdir(hand_cgroup) < 0 && errno == EBUSY; i++)
			usleep(10000);
		free(hand_cgroup);
		hand_cgroup = NULL;
	}
	rm_rf(hand_dir);
	free(hand_dir);
	hand_dir = NULL;
}

static void init(void)
{
	const char *why = testctr_unavailable();

	if (why) {
		/* Printed once, to stderr: Criterion 2.4 turns any
		 * cr_log_warn() into a failing exit status, so a machine
		 * without runc would fail `make check` on a skip. */
		static bool said;

		if (!said)
			fprintf(stderr, "[SKIP] containers: %s\n", why);
		said = true;
		cr_skip_test("%s", why);
	}
}

TestSuite(containers, .init = init, .fini = fini, .timeout = 120);

#define RUN(r, ...) run_tool(r, (const char *const[]){ __VA_ARGS__, NULL })

/* Every document the tool prints must match the published schema. */
#define assert_schema_valid(doc, ...)                                   \
	do {                                                            \
		_cleanup_free_ char *_name = sc_xasprintf(__VA_ARGS__); \
		schema_assert_valid(_name, doc);                        \
	} while (0)

static json_t *tool_json(int want_status, const char *verb, const char *target)
{
	struct run_result r;
	json_t *doc;

	RUN(&r, "--json", verb, target);
	cr_assert_eq(r.status, want_status, "%s %s: exit %d: %s", verb, target, r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc, "invalid JSON: %.200s", r.out);
	assert_schema_valid(doc, "--json %s %s", verb, target);
	run_result_done(&r);
	return doc;
}

static json_t *jget(json_t *o, const char *path)
{
	_cleanup_strv_free_ char **parts = sc_strv_split(path, ".");

	for (char **p = parts; *p && o; p++) {
		char *end;
		long idx = strtol(*p, &end, 10);
		o = (*end == 0 && json_is_array(o)) ? json_array_get(o, (size_t)idx)
						    : json_object_get(o, *p);
	}
	return o;
}

static const char *jstr(json_t *o, const char *path)
{
	const char *s = json_string_value(jget(o, path));
	return s ? s : "(null)";
}

static const char *check_status(json_t *doc, const char *id)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "checks"), i,
			   c) if (streq(json_string_value(json_object_get(c, "id")),
					id)) return json_string_value(json_object_get(c, "status"));
	return "(absent)";
}

/* A check's summary and evidence, for a failure message. */
static char *check_said(json_t *doc, const char *id)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "checks"), i, c)
	{
		if (streq(json_string_value(json_object_get(c, "id")), id))
			return json_dumps(c, JSON_COMPACT);
	}
	return sc_xstrdup("(absent)");
}

static bool ns_private(json_t *doc, const char *type)
{
	json_t *n;
	size_t i;

	json_array_foreach(jget(doc, "container.outside.namespaces"), i,
			   n) if (streq(json_string_value(json_object_get(n, "type")),
					type)) return json_is_true(json_object_get(n, "private"));
	cr_assert_fail("no namespace %s", type);
	return false;
}

static bool all_cgroup_mounts(json_t *doc, bool read_only)
{
	json_t *m;
	size_t i, n = 0;

	json_array_foreach(jget(doc, "container.inside.cgroup.mounts"), i, m)
	{
		n++;
		if (json_is_true(json_object_get(m, "read_only")) != read_only)
			return false;
	}
	return n > 0;
}

/* runc spec's defaults: the cgroup mount read-only, no cgroup namespace. */
Test(containers, runc_default_readonly_no_cgroupns)
{
	json_t *doc;

	testctr_prepare(&ctr[0], "sc-it-ro");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	_cleanup_free_ char *target = sc_xasprintf("runc:%s", ctr[0].id);
	doc = tool_json(0, "container", target);

	cr_assert_str_eq(jstr(doc, "container.target.runtime"), "runc");
	cr_assert_str_eq(jstr(doc, "container.target.id"), ctr[0].id);
	cr_assert_eq(json_integer_value(jget(doc, "container.target.pid")), ctr[0].pid);
	cr_assert_str_eq(jstr(doc, "container.target.bundle"), ctr[0].bundle);
	cr_assert(ns_private(doc, "pid"));
	cr_assert(ns_private(doc, "mnt"));
	cr_assert_not(ns_private(doc, "cgroup"));
	cr_assert(json_is_true(jget(doc, "container.inside.ok")));
	cr_assert(all_cgroup_mounts(doc, true), "every cgroup mount inside is read-only");
	cr_assert_str_eq(jstr(doc, "container.inside.os_release.pretty_name"),
			 "sysctr-check test rootfs");
	/* Through the host's cgroup namespace, PID 1's cgroup is named as on
	 * the host: /ID. */
	{
		_cleanup_free_ char *want = sc_xasprintf("/%s", ctr[0].id);
		json_t *l;
		size_t i;
		bool seen = false;
		json_array_foreach(jget(doc, "container.inside.pid1_cgroups"), i,
				   l) if (json_integer_value(json_object_get(l, "hierarchy")) == 0)
		{
			cr_assert_str_eq(json_string_value(json_object_get(l, "path")), want);
			seen = true;
		}
		cr_assert(seen);
	}
	cr_assert_str_eq(check_status(doc, "container.is-container"), "pass");
	cr_assert_str_eq(check_status(doc, "container.cgroupns"), "info");
	cr_assert_str_eq(check_status(doc, "delegation.v1"), "warn");
	cr_assert_str_eq(jstr(doc, "container.outside.capabilities.effective.0"), "CAP_KILL");
	cr_assert(json_is_true(jget(doc, "container.outside.no_new_privs")));
	json_decref(doc);
}

Test(containers, runc_cgroupns_readwrite)
{
	json_t *cfg, *doc;

	testctr_prepare(&ctr[0], "sc-it-rw");
	cfg = testctr_config(&ctr[0]);
	testctr_add_namespace(cfg, "cgroup");
	testctr_cgroup_mount(cfg, "cgroup", false);
	testctr_config_save(&ctr[0], json_incref(cfg));
	cr_assert_eq(testctr_start(&ctr[0]), 0);

	/* By bare ID this time. */
	doc = tool_json(0, "container", ctr[0].id);
	cr_assert(ns_private(doc, "cgroup"));
	cr_assert(all_cgroup_mounts(doc, false), "every cgroup mount inside is read-write");
	/* Inside a private cgroup namespace PID 1 is at the root. */
	cr_assert_str_eq(jstr(doc, "container.inside.pid1_cgroups.0.path"), "/");
	cr_assert_str_eq(check_status(doc, "container.cgroupns"), "pass");
	cr_assert_str_eq(check_status(doc, "container.cgroup-visible"), "pass");
	{
		_cleanup_free_ char *said = check_said(doc, "delegation.v1");

		cr_assert_str_eq(check_status(doc, "delegation.v1"), "pass", "%s", said);
	}
	/* What systemd would pick: runc mounts only v1 hierarchies and
	 * name=systemd here (no cgroup2 under the tmpfs): legacy. */
	cr_assert_str_eq(jstr(doc, "container.inside.cgroup.mode"), "legacy");
	json_decref(doc);
}

/* What moves with the clock and the host's activity (the uptime, the
 * host-wide cgroup counts of /proc/cgroups), anywhere in v. */
static void strip_volatile(json_t *v)
{
	const char *key;
	json_t *e;
	size_t i;

	json_object_del(v, "uptime");
	json_object_del(v, "num_cgroups");
	json_object_foreach(v, key, e) strip_volatile(e);
	json_array_foreach(v, i, e) strip_volatile(e);
}

/* A copy without the volatile facts, nor the checks whose id is in drop
 * (nor limits.uptime). */
static json_t *stable(json_t *v, json_t *drop)
{
	json_t *c = json_deep_copy(v), *e;
	size_t i, j;

	strip_volatile(c);
	if (json_is_array(c))
		for (i = json_array_size(c); i-- > 0;) {
			const char *id = jstr(json_array_get(c, i), "id");
			bool host = false;

			json_array_foreach(drop, j, e) host |= streq(jstr(e, "id"), id);
			if (streq(id, "limits.uptime") || host)
				json_array_remove(c, i);
		}
	return c;
}

/* One entry of report --all against report TARGET: the same facts, the
 * same checks (report TARGET's also has the host's, all_host). */
static void assert_same_report(json_t *one, json_t *entry, json_t *all_host)
{
	static const char *const keys[] = { "container", "limits", "boot", "checks" };

	for (size_t k = 0; k < ELEMENTSOF(keys); k++) {
		json_t *drop = streq(keys[k], "checks") ? all_host : NULL;
		json_t *a = stable(json_object_get(one, keys[k]), drop);
		json_t *b = stable(json_object_get(entry, keys[k]), NULL);
		_cleanup_free_ char *sa = json_dumps(a, JSON_SORT_KEYS | JSON_COMPACT);
		_cleanup_free_ char *sb = json_dumps(b, JSON_SORT_KEYS | JSON_COMPACT);

		cr_expect(json_equal(a, b), "%s of %s: report TARGET %.300s, --all %.300s", keys[k],
			  jstr(entry, "target.id"), sa, sb);
		json_decref(a);
		json_decref(b);
	}
}

Test(containers, list_and_resolution)
{
	struct run_result r;
	json_t *doc, *e;
	size_t i;
	bool found[2] = { false, false };

	testctr_prepare(&ctr[0], "sc-it-amb");
	testctr_prepare(&ctr[1], "sc-it-amb");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	cr_assert_eq(testctr_start(&ctr[1]), 0);

	RUN(&r, "--json", "list");
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	assert_schema_valid(doc, "--json list");
	json_array_foreach(json_object_get(doc, "containers"), i,
			   e) for (size_t k = 0; k < 2;
				   k++) if (streq(jstr(e, "target.id"), ctr[k].id))
	{
		found[k] = true;
		cr_assert_str_eq(jstr(e, "target.runtime"), "runc");
		cr_assert_eq(json_integer_value(jget(e, "target.pid")), ctr[k].pid);
		cr_assert(json_is_true(jget(e, "running")));
		cr_assert(json_is_true(jget(e, "private_namespaces.pid")));
		cr_assert_str_eq(jstr(e, "cmdline"), "sleep 3600");
	}
	cr_assert(found[0] && found[1], "list shows both containers");
	json_decref(doc);
	run_result_done(&r);

	/* A prefix of both IDs is ambiguous: exit 3 naming both. */
	_cleanup_free_ char *prefix = sc_xasprintf("sc-it-amb-%d", (int)getpid());
	RUN(&r, "container", prefix);
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "ambiguous") && strstr(r.err, ctr[0].id) &&
			  strstr(r.err, ctr[1].id),
		  "%s", r.err);
	run_result_done(&r);

	/* By PID: the runtime is still known. */
	_cleanup_free_ char *pid = sc_xasprintf("%d", (int)ctr[1].pid);
	doc = tool_json(0, "container", pid);
	cr_assert_str_eq(jstr(doc, "container.target.id"), ctr[1].id);
	json_decref(doc);

	/* report --all: both, each as report TARGET gives it, one summary;
	 * boot --all likewise with the boot section only. */
	for (int b = 0; b < 2; b++) {
		json_t *a, *x;
		size_t j;
		bool seen[2] = { false, false };

		RUN(&r, "--json", b ? "boot" : "report", "--all");
		doc = json_loads(r.out, 0, NULL);
		cr_assert_not_null(doc, "%s", r.err);
		assert_schema_valid(doc, "--json %s --all", b ? "boot" : "report");
		a = json_object_get(doc, "containers");
		json_array_foreach(a, j, x)
		{
			const char *id = json_string_value(
				json_object_get(json_object_get(x, "target"), "id"));
			for (int c = 0; c < 2; c++)
				if (streq_ptr(id, ctr[c].id)) {
					seen[c] = true;
					cr_expect_not_null(json_object_get(x, "boot"), "%s", id);
					cr_expect_eq(json_object_get(x, "limits") != NULL, !b, "%s",
						     id);
					cr_expect(json_array_size(json_object_get(x, "checks")) >
						  0);
				}
		}
		cr_expect(seen[0] && seen[1], "--all holds both containers");
		/* Probed through the --all workers, each is what report
		 * TARGET gives for it (but the clock: its uptime). */
		for (int c = 0; c < 2 && !b; c++) {
			_cleanup_free_ char *t = sc_xasprintf("runc:%s", ctr[c].id);
			json_t *one = tool_json(0, "report", t);

			json_array_foreach(a, j, x) if (streq(jstr(x, "target.id"), ctr[c].id))
				assert_same_report(one, x, json_object_get(doc, "checks"));
			json_decref(one);
		}
		/* The exit status is over every container's checks. */
		cr_expect_eq(r.status, json_integer_value(json_object_get(
					       json_object_get(doc, "summary"), "exit_code")));
		json_decref(doc);
		run_result_done(&r);
	}

	/* Stopped: known to runc, not running: exit 3. */
	testctr_kill(&ctr[1]);
	_cleanup_free_ char *t1 = sc_xasprintf("runc:%s", ctr[1].id);
	RUN(&r, "container", t1);
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "not running"), "%s", r.err);
	run_result_done(&r);

	RUN(&r, "container", "runc:sc-no-such-container");
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "no container"), "%s", r.err);
	run_result_done(&r);
}

/* Not root: what could not be read is said, never "0 containers" or "no
 * container" (issue 11). As nobody, with a real runc container running. */
Test(containers, non_root_says_why)
{
	const uid_t nobody = 65534;
	struct run_result r;
	json_t *doc, *n;
	size_t i;
	bool noted = false;

	testctr_prepare(&ctr[0], "sc-it-nonroot");
	cr_assert_eq(testctr_start(&ctr[0]), 0);

	run_tool_as(&r, nobody, (const char *const[]){ "list", NULL });
	cr_assert_eq(r.status, 3, "list as nobody: exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "note: cannot read /run/runc: Permission denied (run as root)"),
		  "%s", r.out);
	run_result_done(&r);

	run_tool_as(&r, nobody, (const char *const[]){ "--json", "list", NULL });
	cr_assert_eq(r.status, 3, "%s", r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc, "%s", r.out);
	assert_schema_valid(doc, "--json list (not root)");
	json_array_foreach(json_object_get(doc, "notes"), i, n) noted |= streq_ptr(
		json_string_value(n), "cannot read /run/runc: Permission denied (run as root)");
	cr_assert(noted, "%s", r.out);
	cr_assert_eq(json_integer_value(jget(doc, "summary.exit_code")), 3);
	json_decref(doc);
	run_result_done(&r);

	/* A named target: the cause, exit 3, not "no container". */
	_cleanup_free_ char *t = sc_xasprintf("runc:%s", ctr[0].id);
	run_tool_as(&r, nobody, (const char *const[]){ "report", t, NULL });
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "cannot read /run/runc: Permission denied (run as root)"), "%s",
		  r.err);
	cr_assert(!strstr(r.err, "no container"), "%s", r.err);
	cr_assert(!strchr(r.err, '\n') || strchr(r.err, '\n')[1] == 0, "one line: %s", r.err);
	run_result_done(&r);

	/* By PID: its /proc/PID/ns links are the root's to read. */
	_cleanup_free_ char *pid = sc_xasprintf("%d", (int)ctr[0].pid);
	_cleanup_free_ char *why = sc_xasprintf(
		"cannot read /proc/%d/ns/pid: Permission denied (run as root)", (int)ctr[0].pid);
	run_tool_as(&r, nobody, (const char *const[]){ "report", pid, NULL });
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, why), "%s", r.err);
	run_result_done(&r);

	/* As root, the same container, and no note about /run/runc. */
	RUN(&r, "list");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, ctr[0].id), "%s", r.out);
	cr_assert(!strstr(r.out, "cannot read /run/runc"), "%s", r.out);
	run_result_done(&r);
}

Test(containers, pid_that_is_not_a_container)
{
	json_t *doc = tool_json(1, "container", "1");

	cr_assert_str_eq(check_status(doc, "container.is-container"), "fail");
	json_decref(doc);
	/* boot says what the target is, and exits as container does: the
	 * host's PID 1 and this test process (issue: "no systemd in the
	 * image", exit 0 even with --strict). */
	for (int i = 0; i < 2; i++) {
		_cleanup_free_ char *pid = sc_xasprintf("%d", i == 0 ? 1 : (int)getpid());

		doc = tool_json(1, "boot", pid);
		cr_expect_str_eq(check_status(doc, "boot.verdict"), "fail", "boot %s", pid);
		cr_expect_str_eq(
			json_string_value(json_object_get(
				json_array_get(
					json_object_get(json_object_get(doc, "boot"), "rules"), 0),
				"id")),
			"not-a-container", "boot %s", pid);
		json_decref(doc);
	}
}

/* A hand-made container: unshare with new mount, pid, uts, ipc and cgroup
 * namespaces, busybox as PID 1, in a cgroup of its own. */
Test(containers, hand_made_unshare)
{
	_cleanup_free_ char *cmd = NULL, *pidtxt = NULL;
	struct run_result r;
	json_t *doc, *e;
	size_t i;
	int p[2];
	pid_t init = 0;
	bool listed = false;

	if (access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) < 0 &&
	    access("/sys/fs/cgroup/cgroup.procs", F_OK) < 0)
		cr_skip_test("no cgroup2 hierarchy to create a cgroup in");
	hand_dir = make_tempdir();
	cmd = sc_xasprintf("mkdir -p %1$s/bin %1$s/proc %1$s/sys %1$s/dev %1$s/etc && cp "
			   "/bin/busybox %1$s/bin/",
			   hand_dir);
	cr_assert_eq(testctr_sh(cmd, NULL), 0);
	write_file(hand_dir, "etc/os-release", "PRETTY_NAME=\"hand-made\"\n");
	hand_cgroup = sc_xasprintf("%s/sc-it-hand-%d",
				   access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0
					   ? "/sys/fs/cgroup/unified"
					   : "/sys/fs/cgroup",
				   (int)getpid());
	cr_assert_eq(mkdir(hand_cgroup, 0755), 0, "%s: %m", hand_cgroup);

	cr_assert_eq(pipe(p), 0);
	hand_pid = fork();
	if (hand_pid == 0) {
		_cleanup_free_ char *procs = sc_xasprintf("%s/cgroup.procs", hand_cgroup);
		FILE *f = fopen(procs, "we");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
			_exit(90);
		close(p[0]);
		dup2(p[1], 3);
		{
			sigset_t none;
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
		}
		execl("/usr/bin/unshare", "unshare", "-fpmiuC", "--mount-proc", "--root", hand_dir,
		      "/bin/busybox", "sleep", "3600", NULL);
		_exit(91);
	}
	close(p[1]);
	close(p[0]);
	/* unshare's child is the container's init. */
	for (int k = 0; k < 200 && init <= 0; k++) {
		_cleanup_free_ char *c =
			sc_xasprintf("/proc/%d/task/%d/children", (int)hand_pid, (int)hand_pid);
		free(pidtxt);
		pidtxt = read_whole_file(c, NULL);
		if (pidtxt && *pidtxt)
			init = atoi(pidtxt);
		else
			usleep(10000);
	}
	cr_assert_gt(init, 0, "the unshared init did not start");
	hand_init = init;

	RUN(&r, "--json", "list");
	doc = json_loads(r.out, 0, NULL);
	json_array_foreach(json_object_get(doc, "containers"), i,
			   e) if (json_integer_value(jget(e, "target.pid")) == init)
	{
		listed = true;
		cr_assert_str_eq(jstr(e, "target.runtime"), "pid");
		cr_assert(json_is_true(jget(e, "private_namespaces.cgroup")));
		cr_assert(json_is_false(jget(e, "private_namespaces.net")));
		cr_assert(strstr(jstr(e, "cgroup"), "sc-it-hand-"));
	}
	if (!listed)
		write_file("/tmp", "hand-list.json", r.out);
	cr_assert(listed, "list finds the hand-made container %d", (int)init);
	json_decref(doc);
	run_result_done(&r);

	_cleanup_free_ char *target = sc_xasprintf("%d", (int)init);
	doc = tool_json(0, "container", target);
	cr_assert(ns_private(doc, "cgroup"));
	cr_assert(ns_private(doc, "uts"));
	cr_assert_not(ns_private(doc, "net"));
	cr_assert_str_eq(jstr(doc, "container.inside.os_release.pretty_name"), "hand-made");
	/* Nothing mounted on /sys/fs/cgroup inside: systemd's "none". */
	cr_assert_str_eq(jstr(doc, "container.inside.cgroup.mode"), "none");
	cr_assert_str_eq(jstr(doc, "container.inside.pid1_cgroups.0.path"), "/");
	cr_assert(strstr(jstr(doc, "container.cgroup2.path"), "sc-it-hand-"));
	cr_assert_str_eq(check_status(doc, "container.cgroup-visible"), "warn");
	json_decref(doc);
}

/* A rootfs built to trick the reader: links out of the root, a FIFO and
 * huge files where the probe looks. Nothing of the host may come back,
 * and nothing may hang. */
Test(containers, hostile_rootfs)
{
	_cleanup_free_ char *secret = NULL, *secret_path = NULL, *p = NULL;
	struct run_result r;
	json_t *doc;
	int fd;

	testctr_prepare(&ctr[0], "sc-it-hostile");
	secret_path = sc_xasprintf("/tmp/sc-host-secret-%d", (int)getpid());
	secret = sc_xasprintf("HOST-SECRET-%d-%ld", (int)getpid(), (long)time(NULL));
	write_file("/", secret_path + 1, secret);

	p = sc_xasprintf("%s/etc/os-release", ctr[0].rootfs);
	unlink(p);
	cr_assert_eq(symlink(secret_path, p), 0);
	free(p);
	p = sc_xasprintf("%s/usr/lib/os-release", ctr[0].rootfs);
	make_symlink(ctr[0].rootfs, "usr/lib/.keep", "x");
	cr_assert_eq(mkfifo(p, 0644), 0);
	free(p);
	make_symlink(ctr[0].rootfs, "sbin/init", "/proc/1/root/../../../../etc/shadow");
	make_symlink(ctr[0].rootfs, "run/systemd/system", "/run/systemd/system");
	p = sc_xasprintf("%s/usr/lib/systemd/systemd", ctr[0].rootfs);
	write_file(ctr[0].rootfs, "usr/lib/systemd/.keep", "");
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 200LL << 20), 0);
	close(fd);
	free(p);
	p = sc_xasprintf("%s/var/lib/dpkg/status", ctr[0].rootfs);
	write_file(ctr[0].rootfs, "var/lib/dpkg/.keep", "");
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 100LL << 20), 0);
	close(fd);

	cr_assert_eq(testctr_start(&ctr[0]), 0);
	RUN(&r, "--json", "--timeout", "2", "container", ctr[0].id);
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	cr_assert_null(strstr(r.out, secret), "the host's file leaked into the report");
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert(json_is_null(jget(doc, "container.inside.os_release.pretty_name")));
	cr_assert(json_is_null(jget(doc, "container.inside.systemd.init.path")));
	cr_assert(json_is_false(jget(doc, "container.inside.systemd.found")));
	cr_assert_str_eq(jstr(doc, "container.inside.systemd_running"), "no");
	{
		/* The FIFO and the huge file are refused, as errors. */
		json_t *e;
		size_t i;
		bool fifo = false, big = false;
		json_array_foreach(jget(doc, "container.inside.read_errors"), i, e)
		{
			if (streq(jstr(e, "path"), "/usr/lib/os-release"))
				fifo = streq(jstr(e, "errno"), "ENOTREG");
		}
		(void)big;
		cr_assert(fifo || strstr(r.out, "/usr/lib/os-release") == NULL,
			  "the FIFO is reported refused");
	}
	json_decref(doc);
	run_result_done(&r);
	unlink(secret_path);
}

/* A peer on the container's /run/systemd/private, played by this test
 * from the host side of the same socket file: silent, talking nonsense,
 * or the path a symlink to a socket on the host. The tool reports each as
 * an errno next to "systemd is running", within its deadline, and never
 * connects through the symlink. */
static pid_t peer_pid = -1;

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	cr_assert_lt(strlen(path), sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	unlink(path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "bind %s: %m", path);
	cr_assert_eq(listen(fd, 8), 0);
	return fd;
}

/* Serve every connection with say (NULL: say nothing), forever. */
static void serve(int lfd, const char *say)
{
	peer_pid = fork();
	cr_assert_geq(peer_pid, 0);
	if (peer_pid == 0) {
		for (;;) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			if (say)
				(void)!write(c, say, strlen(say));
		}
	}
}

static void peer_stop(void)
{
	if (peer_pid > 0) {
		kill(peer_pid, SIGKILL);
		waitpid(peer_pid, NULL, 0);
		peer_pid = -1;
	}
}

static json_t *manager_of(const char *id, time_t *ret_seconds)
{
	struct run_result r;
	json_t *doc;
	time_t t0 = time(NULL);

	RUN(&r, "--json", "container", id);
	*ret_seconds = time(NULL) - t0;
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	assert_schema_valid(doc, "--json container %s", id);
	cr_assert_str_eq(jstr(doc, "container.inside.systemd_running"), "yes");
	run_result_done(&r);
	return doc;
}

Test(containers, manager_socket_hostile)
{
	_cleanup_free_ char *sock = NULL, *host_sock = NULL;
	json_t *doc;
	time_t took;
	int lfd, hfd;

	testctr_prepare(&ctr[0], "sc-it-mgr");
	write_file(ctr[0].rootfs, "run/systemd/system/.keep", "");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	sock = sc_xasprintf("%s/run/systemd/private", ctr[0].rootfs);

	/* Silent: accepted, never a word. */
	lfd = listen_at(sock);
	serve(lfd, NULL);
	doc = manager_of(ctr[0].id, &took);
	cr_assert_str_eq(jstr(doc, "container.inside.manager.errno"), "ETIMEDOUT");
	cr_assert(json_is_null(jget(doc, "container.inside.manager.system_state")));
	cr_assert_leq(took, 2 + SC_MANAGER_TIMEOUT_MS / 1000, "took %lld s", (long long)took);
	json_decref(doc);
	peer_stop();
	close(lfd);

	/* Not D-Bus. */
	lfd = listen_at(sock);
	serve(lfd, "HTTP/1.1 400 Bad Request\r\n\r\n");
	doc = manager_of(ctr[0].id, &took);
	cr_assert_str_eq(jstr(doc, "container.inside.manager.errno"), "EPROTO");
	json_decref(doc);
	peer_stop();
	close(lfd);

	/* A symlink to a socket of the host: refused as not a socket, and the
	 * host's socket never sees a connection. */
	unlink(sock);
	host_sock = sc_xasprintf("/tmp/sc-it-host-%d.sock", (int)getpid());
	hfd = listen_at(host_sock);
	cr_assert_eq(symlink(host_sock, sock), 0);
	doc = manager_of(ctr[0].id, &took);
	cr_assert_str_eq(jstr(doc, "container.inside.manager.errno"), "ENOTSOCK");
	json_decref(doc);
	cr_assert_eq(fcntl(hfd, F_SETFL, O_NONBLOCK), 0);
	cr_assert_lt(accept(hfd, NULL, NULL), 0, "the host's socket was connected to");
	cr_assert_eq(errno, EAGAIN);
	close(hfd);
	unlink(host_sock);

	/* No socket at all. */
	unlink(sock);
	doc = manager_of(ctr[0].id, &took);
	cr_assert_str_eq(jstr(doc, "container.inside.manager.errno"), "ENOENT");
	json_decref(doc);
}

/* A target that exits while being probed: a clear error, exit 3. */
Test(containers, target_killed_mid_probe)
{
	struct run_result r;
	pid_t tool;
	int p[2], status;

	testctr_prepare(&ctr[0], "sc-it-kill");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	cr_assert_eq(pipe(p), 0);
	tool = fork();
	if (tool == 0) {
		setenv("SYSCTR_TEST_DELAY_MS", "1500", 1);
		dup2(p[1], 2);
		close(p[0]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execl(SC_BINARY, SC_BINARY, "container", ctr[0].id, NULL);
		_exit(127);
	}
	close(p[1]);
	usleep(400000);
	testctr_kill(&ctr[0]);
	waitpid(tool, &status, 0);
	char err[512] = "";
	ssize_t n = read(p[0], err, sizeof(err) - 1);
	err[n > 0 ? n : 0] = 0;
	close(p[0]);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3, "status %d", status);
	cr_assert(strstr(err, "exited while being probed") || strstr(err, "no process"), "%s", err);
	cr_assert_eq(strchr(err, '\n') - err + 1, (long)strlen(err), "one line: %s", err);
	(void)r;
}

/* A read that hangs (as a stopped FUSE daemon's does) is killed at the
 * deadline and reported by name; the rest of the report stands. */
Test(containers, hung_read_hits_the_deadline)
{
	struct run_result r;
	json_t *doc;
	time_t t0;

	testctr_prepare(&ctr[0], "sc-it-hang");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	t0 = time(NULL);
	run_tool_env(
		&r,
		(const char *const[]){ "--json", "--timeout", "0.5", "container", ctr[0].id, NULL },
		(const char *const[]){ "SYSCTR_TEST_HANG=/etc/os-release", NULL });
	cr_assert_lt(time(NULL) - t0, 10, "the tool hung");
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_str_eq(check_status(doc, "container.probe"), "error");
	cr_assert_str_eq(jstr(doc, "container.inside.timed_out.0"), "/etc/os-release");
	/* Everything else was still collected. */
	cr_assert(json_is_true(jget(doc, "container.inside.ok")));
	cr_assert_str_eq(jstr(doc, "container.inside.cgroup.mode"), "legacy");
	json_decref(doc);
	run_result_done(&r);
}

/* The target killed at every point of the probe, not only where the
 * test hook waits: exiting between the /proc probe and the namespace
 * links was "namespaces unreadable (run as root)", exit 1 (5 of 470
 * kills). Every outcome is now a finished report (the kill came late)
 * or "exited", exit 3; never a permission error. */
Test(containers, target_killed_at_any_point, .timeout = 120)
{
	int exited = 0, finished = 0;

	for (int i = 0; i < 12; i++) {
		char out[8192] = "";
		int p[2], status;
		ssize_t n, got = 0;
		pid_t tool;

		testctr_prepare(&ctr[0], "sc-it-race");
		cr_assert_eq(testctr_start(&ctr[0]), 0);
		cr_assert_eq(pipe(p), 0);
		tool = fork();
		if (tool == 0) {
			dup2(p[1], 1);
			dup2(p[1], 2);
			close(p[0]);
			execl(SC_BINARY, SC_BINARY, "container", ctr[0].id, NULL);
			_exit(127);
		}
		close(p[1]);
		usleep((useconds_t)i * 1000);
		kill(ctr[0].pid, SIGKILL);
		while ((n = read(p[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
			got += n;
		out[got] = 0;
		close(p[0]);
		waitpid(tool, &status, 0);
		cr_assert(WIFEXITED(status), "the tool died: status %d", status);
		cr_assert_null(strstr(out, "run as root"), "kill after %d ms: %s", i, out);
		if (WEXITSTATUS(status) == 3) {
			cr_assert(strstr(out, "exited while being probed") ||
					  strstr(out, "no process") ||
					  strstr(out, "no container") ||
					  strstr(out, "is not running"),
				  "%s", out);
			exited++;
		} else {
			cr_assert(WEXITSTATUS(status) <= 1, "exit %d: %s", WEXITSTATUS(status),
				  out);
			cr_assert(strstr(out, "Summary:"), "%s", out);
			finished++;
		}
		testctr_destroy(&ctr[0]);
	}
	cr_log_info("killed mid-probe: %d exited, %d finished first", exited, finished);
	cr_assert_gt(exited, 0, "no kill landed during a probe");
}

/* Each read answers just before the deadline: the whole probe still
 * stops at (retries + 2) * timeout, 4 s here, and says so. Before, the
 * deadline restarted with every read and a report took minutes. */
Test(containers, slow_reads_hit_the_total_deadline)
{
	struct run_result r;
	json_t *doc;

	testctr_prepare(&ctr[0], "sc-it-slow");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	run_tool_env(
		&r,
		(const char *const[]){ "--json", "--timeout", "1", "container", ctr[0].id, NULL },
		(const char *const[]){ "SYSCTR_TEST_SLOW_MS=800", NULL });
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert_str_eq(check_status(doc, "container.probe"), "error");
	cr_assert(strstr(r.out, "the probe took longer than 4000 ms in all"), "%s", r.out);
	json_decref(doc);
	run_result_done(&r);
}

/* The tool writes nothing: no file created or opened for writing, no
 * cgroup made, nothing mounted (strace says what it asked the kernel). */
Test(containers, writes_nothing)
{
	_cleanup_free_ char *cmd = NULL, *trace = NULL, *out = NULL;

	if (access("/usr/bin/strace", X_OK) < 0)
		cr_skip_test("strace is not installed");
	testctr_prepare(&ctr[0], "sc-it-ro");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	trace = sc_xasprintf("%s/trace", ctr[0].dir);
	cmd = sc_xasprintf(
		"strace -f -qq -o %s -e trace=open,openat,openat2,creat,mkdir,mkdirat,"
		"unlink,unlinkat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,"
		"truncate,mount,umount2,chmod,fchmodat,chown,fchownat %s report %s",
		trace, SC_BINARY, ctr[0].id);
	cr_assert_lt(testctr_sh(cmd, NULL), 2);
	free(cmd);
	cmd = sc_xasprintf("grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|mkdir|unlink|rename|link\\(|"
			   "truncate|mount\\(|umount|chmod|chown' %s | grep -v '\"/dev/null\", "
			   "O_RDWR|O_CLOEXEC' || true",
			   trace);
	cr_assert_eq(testctr_sh(cmd, &out), 0);
	cr_assert_str_empty(out, "writes seen:\n%s", out);
}

/* A container whose root can mount hands the tool bytes that are not
 * text: cgroup.type "threaded\377" bound over a cgroup2 mount (the
 * recorder used to drop it and the replay crashed: SIGSEGV in report,
 * container and boot), a PID 1 comm in no encoding (the JSON report
 * dropped the whole "container" object), and terminal escapes in PID 1's
 * argv and the image's os-release (printed raw: a title set, the screen
 * cleared). */
Test(containers, hostile_bytes)
{
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	const char *verbs[] = { "report", "container", "boot" };
	struct schema_doc docs[ELEMENTSOF(verbs)];
	size_t n_docs = 0;
	json_t *cfg, *doc;
	struct run_result r;

	testctr_prepare(&ctr[0], "sc-it-bytes");
	cfg = testctr_config(&ctr[0]);
	/* runc cannot bind over a cgroupfs file (EACCES opening it): the
	 * container's own root does it, with CAP_SYS_ADMIN, in a cgroup
	 * namespace (where cgroup.type exists: not in a hierarchy's root). */
	testctr_add_namespace(cfg, "cgroup");
	testctr_cgroup_mount(cfg, "cgroup2", false);
	for (size_t i = 0; i < ELEMENTSOF(sets); i++)
		json_array_append_new(
			json_object_get(
				json_object_get(json_object_get(cfg, "process"), "capabilities"),
				sets[i]),
			json_string("CAP_SYS_ADMIN"));
	write_file(ctr[0].rootfs, "ctype", "threaded\377\n");
	json_object_set_new(
		json_object_get(cfg, "process"), "args",
		json_pack("[s,s,s,s]", "/bin/sh", "-c",
			  "/bin/busybox mount --bind /ctype /sys/fs/cgroup/cgroup.type "
			  "&& /bin/busybox mkdir \"$(printf '/dev/caf\\351')\" "
			  "&& /bin/busybox mount -t tmpfs none \"$(printf '/dev/caf\\351')\" "
			  "&& printf '\\377\\376init' > /proc/self/comm; "
			  "while :; do sleep 1; done",
			  "\033]0;pwned\007\033[2J\033[31mall checks passed"));
	testctr_config_save(&ctr[0], json_incref(cfg));
	write_file(ctr[0].rootfs, "etc/os-release",
		   "NAME=\"D\xe9"
		   "bian\"\nPRETTY_NAME=\"\033[2J\xe9t\xe9\"\nID=debian\n");
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	{
		/* The payload did its part (the mounts first) before the
		 * tool looks. */
		_cleanup_free_ char *p = sc_xasprintf("/proc/%d/comm", (int)ctr[0].pid);
		_cleanup_free_ char *comm = NULL;

		for (int i = 0; i < 200; i++) {
			free(comm);
			comm = read_whole_file(p, NULL);
			if (comm && streq(comm, "\377\376init\n"))
				break;
			usleep(10000);
		}
		cr_assert_str_eq(comm, "\377\376init\n");
	}

	for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
		RUN(&r, verbs[i], ctr[0].id);
		cr_assert(r.status == 0 || r.status == 1, "%s: exit %d: %s", verbs[i], r.status,
			  r.err);
		cr_assert_null(memchr(r.out, '\033', strlen(r.out)),
			       "%s: a raw escape reached the terminal", verbs[i]);
		cr_assert_null(memchr(r.out, '\007', strlen(r.out)));
		run_result_done(&r);

		RUN(&r, "--json", verbs[i], ctr[0].id);
		cr_assert(r.status == 0 || r.status == 1, "--json %s: exit %d: %s", verbs[i],
			  r.status, r.err);
		doc = json_loads(r.out, 0, NULL);
		cr_assert_not_null(doc, "--json %s does not parse", verbs[i]);
		if (!streq(verbs[i], "boot")) {
			cr_assert_not_null(jget(doc, "container"), "--json %s lost the container",
					   verbs[i]);
			cr_assert_not_null(jget(doc, "container.inside"));
			/* A mount point that is not UTF-8 blinded the whole
			 * inside view ("not recorded in this snapshot"). */
			cr_assert(json_is_true(jget(doc, "container.inside.ok")), "%s", r.out);
			cr_assert_str_eq(jstr(doc, "container.inside.pid1_comm"), "\\xff\\xfeinit");
			/* Validated together after the loop: one validator start. */
			docs[n_docs++] = (struct schema_doc){ verbs[i], json_incref(doc) };
		}
		json_decref(doc);
		run_result_done(&r);
	}
	schema_assert_all_valid(docs, n_docs);
	for (size_t i = 0; i < n_docs; i++)
		json_decref(docs[i].doc);
}

/* An image whose /usr/lib/systemd holds 100,000 files: listing it was
 * quadratic (every append re-counted the list), the setns child made no
 * progress for over a second, and the directory was reported as a hung
 * filesystem, its systemd not found. */
Test(containers, huge_directory_is_not_a_hung_filesystem)
{
	_cleanup_free_ char *src = sc_xasprintf("%s/tests/fixtures/images/debian12", SC_SRCDIR);
	_cleanup_free_ char *cmd = NULL;
	struct run_result r;
	json_t *doc;

	testctr_prepare(&ctr[0], "sc-it-many");
	cmd = sc_xasprintf("cp -a %s/. %s/ && cd %s/usr/lib/systemd && "
			   "seq -f 'unit-%%06g.service' 1 100000 | xargs touch",
			   src, ctr[0].rootfs, ctr[0].rootfs);
	cr_assert_eq(testctr_sh(cmd, NULL), 0);
	cr_assert_eq(testctr_start(&ctr[0]), 0);
	RUN(&r, "--json", "--timeout", "1", "container", ctr[0].id);
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert(json_is_true(jget(doc, "container.inside.systemd.found")), "%s", r.out);
	cr_assert_str_eq(jstr(doc, "container.inside.systemd.version"), "252.22-1~deb12u1");
	cr_assert_eq(json_array_size(jget(doc, "container.inside.timed_out")), 0, "%s", r.out);
	json_decref(doc);
	run_result_done(&r);
}
