/* SPDX-License-Identifier: MIT */
/* The command line, end to end through the built binary: usage errors,
 * exit codes, output options, and `--root FIXTURE` reports. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "testschema.h"
#include "util.h"

#define RUN(r, ...) run_tool(r, (const char *const[]){ __VA_ARGS__, NULL })

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

TestSuite(cli, .timeout = 60);

Test(cli, no_command)
{
	struct run_result r;

	run_tool(&r, (const char *const[]){ NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_str_empty(r.out);
	cr_assert_eq(count_lines(r.err), 1, "one-line error, got: %s", r.err);
	cr_assert(strstr(r.err, "no command"));
	run_result_done(&r);
}

Test(cli, unknown_command_and_option)
{
	struct run_result r;

	RUN(&r, "frobnicate");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown command \"frobnicate\""));
	cr_assert_eq(count_lines(r.err), 1);
	run_result_done(&r);

	RUN(&r, "--frobnicate", "host");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "unknown option --frobnicate"), "%s", r.err);
	run_result_done(&r);

	RUN(&r, "host", "--root");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "option --root needs a PATH"), "%s", r.err);
	run_result_done(&r);

	RUN(&r, "host", "extra");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "usage:"), "%s", r.err);
	run_result_done(&r);
}

/* --all replaces the TARGET of report and boot, nothing else. */
Test(cli, all_is_for_report_and_boot)
{
	static const char *const bad[][4] = {
		{ "host", "--all", NULL },
		{ "list", "--all", NULL },
		{ "report", "--all", "runc:x", NULL },
		{ "boot", "--all", "--bundle", "/nonexistent" },
	};
	struct run_result r;

	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		const char *argv[7] = { "--root", SC_SRCDIR "/tests/fixtures/this-machine" };

		for (size_t j = 0; j < 4 && bad[i][j]; j++)
			argv[2 + j] = bad[i][j];
		run_tool(&r, argv);
		cr_expect_eq(r.status, 2, "%s %s: exit %d: %s", bad[i][0], bad[i][1], r.status,
			     r.err);
		cr_expect(strstr(r.err, "--all") || strstr(r.err, "usage"), "%s", r.err);
		run_result_done(&r);
	}
}

Test(cli, help_and_version)
{
	struct run_result r;

	RUN(&r, "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "Usage: sysctr-check"));
	cr_assert(strstr(r.out, "Exit status"));
	cr_assert_str_empty(r.err);
	run_result_done(&r);

	RUN(&r, "-V");
	cr_assert_eq(r.status, 0);
	cr_assert(startswith(r.out, "sysctr-check " SC_VERSION), "%s", r.out);
	cr_assert(strstr(r.out, "\njansson "), "%s", r.out);
	cr_assert(strstr(r.out, "\npath confinement: "), "%s", r.out);
	run_result_done(&r);
}

Test(cli, ignore_unknown_id)
{
	struct run_result r;

	RUN(&r, "--ignore", "cgroup.nope", "host");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "no such check id"));
	run_result_done(&r);
}

Test(cli, bad_root)
{
	struct run_result r;
	char *dir = make_tempdir();

	RUN(&r, "--root", "/nonexistent/tree", "host");
	cr_assert_eq(r.status, 3);
	cr_assert_eq(count_lines(r.err), 1);
	cr_assert(strstr(r.err, "No such file or directory"), "%s", r.err);
	run_result_done(&r);

	/* A tree without mountinfo cannot be probed at all. */
	RUN(&r, "--root", dir, "host");
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "mountinfo"), "%s", r.err);
	cr_assert_str_empty(r.out);
	run_result_done(&r);

	write_file(dir, ".sysctr-root.json", "[1,2");
	RUN(&r, "--root", dir, "host");
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "invalid .sysctr-root.json"), "%s", r.err);
	run_result_done(&r);
	rm_rf(dir);
	free(dir);
}

Test(cli, fixture_json_and_exit_codes)
{
	struct run_result r;
	json_error_t err;
	json_t *doc;

	RUN(&r, "--json", "--root", FIXTURE("this-machine"), "host");
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = json_loads(r.out, 0, &err);
	cr_assert_not_null(doc, "invalid JSON: %s", err.text);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(doc, "host"), "cgroup"), "mode")),
			 "hybrid");
	cr_assert_eq(json_integer_value(json_object_get(doc, "schema_version")), 1);
	cr_assert_eq(
		json_integer_value(json_object_get(json_object_get(doc, "summary"), "exit_code")),
		0);
	json_decref(doc);
	run_result_done(&r);

	/* This host warns: --strict turns the warnings into exit 1. */
	RUN(&r, "--strict", "--root", FIXTURE("this-machine"), "host");
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.out, "exit 1 (strict)"));
	run_result_done(&r);

	RUN(&r, "--strict", "--ignore", "cgroup.*", "--ignore", "boot.*", "--root",
	    FIXTURE("this-machine"), "host");
	cr_assert_eq(r.status, 0, "%s", r.out);
	cr_assert(strstr(r.out, "(ignored)"));
	run_result_done(&r);
}

Test(cli, output_file_is_atomic)
{
	struct run_result r;
	char *dir = make_tempdir();
	char *out = sc_xasprintf("%s/report.json", dir);
	char *bad = sc_xasprintf("%s/no/such/dir/report.json", dir);
	char *content;
	json_t *doc;

	RUN(&r, "--json", "--output-file", out, "--root", FIXTURE("this-machine"), "host");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.out);
	content = read_whole_file(out, NULL);
	cr_assert_not_null(content);
	doc = json_loads(content, 0, NULL);
	cr_assert_not_null(doc);
	json_decref(doc);
	free(content);
	run_result_done(&r);

	RUN(&r, "--json", "--output-file", bad, "--root", FIXTURE("this-machine"), "host");
	cr_assert_eq(r.status, 3);
	cr_assert_eq(count_lines(r.err), 1, "%s", r.err);
	run_result_done(&r);

	/* Only the final file is left behind: no temporary. */
	RUN(&r, "--output-file", out, "--root", FIXTURE("this-machine"), "host");
	char *cmd = sc_xasprintf("ls -A %s | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = 0;
	cr_assert_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	cr_assert_eq(n, 1, "files in the output dir: %d", n);
	free(cmd);
	run_result_done(&r);
	rm_rf(dir);
	free(dir);
	free(out);
	free(bad);
}

Test(cli, record_then_replay_is_identical)
{
	struct run_result a, b;
	char *dir = make_tempdir();
	char *snap = sc_xasprintf("%s/snap.json", dir);
	json_t *da, *db;

	RUN(&a, "--json", "--record", snap, "--root", FIXTURE("this-machine"), "host");
	cr_assert_eq(a.status, 0, "%s", a.err);
	RUN(&b, "--json", "--root", snap, "host");
	cr_assert_eq(b.status, 0, "%s", b.err);
	da = json_loads(a.out, 0, NULL);
	db = json_loads(b.out, 0, NULL);
	json_object_del(da, "root");
	json_object_del(db, "root");
	cr_assert(json_equal(json_object_get(da, "host"), json_object_get(db, "host")));
	cr_assert(json_equal(json_object_get(da, "checks"), json_object_get(db, "checks")));
	json_decref(da);
	json_decref(db);
	run_result_done(&a);
	run_result_done(&b);

	/* An existing snapshot is never overwritten. */
	RUN(&a, "--record", snap, "--root", FIXTURE("this-machine"), "host");
	cr_assert_eq(a.status, 3);
	cr_assert(strstr(a.err, "already exists"), "%s", a.err);
	run_result_done(&a);
	rm_rf(dir);
	free(dir);
	free(snap);
}

Test(cli, color_and_ascii)
{
	struct run_result r;

	RUN(&r, "--root", FIXTURE("this-machine"), "host");
	cr_assert_null(strstr(r.out, "\033["), "no colour when not a terminal");
	cr_assert(strstr(r.out, "✔"));
	run_result_done(&r);

	RUN(&r, "--color", "--root", FIXTURE("this-machine"), "host");
	cr_assert(strstr(r.out, "\033["));
	run_result_done(&r);

	RUN(&r, "--ascii", "--root", FIXTURE("this-machine"), "host");
	cr_assert(strstr(r.out, "[ ok ]"));
	cr_assert_null(strstr(r.out, "✔"));
	run_result_done(&r);

	run_tool_env(&r, (const char *const[]){ "--root", FIXTURE("this-machine"), "host", NULL },
		     (const char *const[]){ "LC_ALL=C", NULL });
	cr_assert_null(strstr(r.out, "✔"), "ASCII fallback outside UTF-8 locales");
	run_result_done(&r);
}

Test(cli, checks_listing)
{
	struct run_result r;
	json_t *doc;

	RUN(&r, "checks");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "cgroup.mode"));
	run_result_done(&r);
	RUN(&r, "--json", "checks");
	doc = json_loads(r.out, 0, NULL);
	cr_assert(json_is_array(json_object_get(doc, "checks")));
	cr_assert_gt(json_array_size(json_object_get(doc, "checks")), 10);
	cr_assert(strstr(json_string_value(json_object_get(doc, "$schema")),
			 "/sysctr-check-checks.schema.json"));
	json_decref(doc);
	run_result_done(&r);
}

/* A rootless user's Podman container in a host tree (issue 9): `list`
 * names it with its user in text and JSON, and the JSON conforms. The
 * tree is the debian12-v2 fixture plus the lab user's state as the trixie
 * VM of tests/vm had it. */
Test(cli, rootless_podman_in_a_tree)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *cmd = sc_xasprintf("cp -a %s/. %s", FIXTURE("debian12-v2"), dir);
	struct run_result r;
	json_error_t err;
	json_t *doc, *t;

	cr_assert_eq(system(cmd), 0);
	write_file(dir, "etc/passwd",
		   "root:x:0:0:root:/root:/bin/sh\nlab:x:1000:1000::/home/lab:/bin/sh\n");
	write_file(dir, "run/user/1000/crun/c42b384480e9/status",
		   "{\"pid\":7303,\"process-start-time\":7}");
	write_file(dir,
		   "home/lab/.local/share/containers/storage/overlay-containers/containers.json",
		   "[{\"id\":\"c42b384480e9\",\"names\":[\"sysctr-rootless\"]}]");

	RUN(&r, "--root", dir, "list");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "podman (uid 1000)"), "%s", r.out);
	cr_assert(strstr(r.out, "sysctr-rootless (c42b384480e9)"), "%s", r.out);
	run_result_done(&r);

	RUN(&r, "--json", "--root", dir, "list");
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = json_loads(r.out, 0, &err);
	cr_assert_not_null(doc, "invalid JSON: %s", err.text);
	t = json_object_get(json_array_get(json_object_get(doc, "containers"), 0), "target");
	cr_assert_str_eq(json_string_value(json_object_get(t, "runtime")), "podman");
	cr_assert_eq(json_integer_value(json_object_get(t, "rootless_uid")), 1000);
	cr_assert_str_eq(
		json_string_value(json_object_get(t, "state_file")),
		"/home/lab/.local/share/containers/storage/overlay-containers/containers.json");
	schema_assert_valid("--json list (rootless)", doc);
	json_decref(doc);
	run_result_done(&r);
	rm_rf(dir);
}

/* A user probing a process in their own user namespace that shares the
 * host's cgroup, IPC and UTS namespaces (rootless Podman on cgroup v1 makes
 * no cgroup namespace): joining those again needs CAP_SYS_ADMIN over the
 * host's user namespace, and the probe failed with "not allowed to enter
 * the container's namespaces" (bookworm-legacy VM, the lab user's own run
 * of the tool). Namespaces the target shares with the caller are not
 * joined now. */
Test(cli, user_probes_own_userns_process, .timeout = 60)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *pidf = sc_xasprintf("%s/pid", dir);
	_cleanup_free_ char *cmd = NULL, *pid = NULL;
	const uid_t nobody = 65534;
	struct run_result r;
	json_t *doc;

	if (geteuid() != 0 || access("/usr/bin/setpriv", X_OK) < 0 ||
	    access("/usr/bin/unshare", X_OK) < 0) {
		fprintf(stderr, "[SKIP] cli::user_probes_own_userns_process: needs root, setpriv "
				"and unshare\n");
		cr_skip_test("needs root, setpriv and unshare");
	}
	cr_assert_eq(chmod(dir, 0777), 0);
	cmd = sc_xasprintf("setpriv --reuid=%u --regid=%u --clear-groups unshare --user "
			   "--map-root-user --mount sh -c 'echo $$ >%s; exec sleep 30' "
			   "</dev/null >/dev/null 2>&1 &",
			   (unsigned)nobody, (unsigned)nobody, pidf);
	cr_assert_eq(system(cmd), 0);
	for (int i = 0; i < 100 && !(pid = read_whole_file(pidf, NULL)); i++)
		usleep(20000);
	if (!pid || !*pid) {
		fprintf(stderr, "[SKIP] cli::user_probes_own_userns_process: no unprivileged user "
				"namespace here\n");
		rm_rf(dir);
		cr_skip_test("no unprivileged user namespace");
	}
	pid[strcspn(pid, "\n")] = 0;
	usleep(100000); /* the exec of sleep */
	run_tool_as(&r, nobody, (const char *const[]){ "--json", "container", pid, NULL });
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc, "exit %d: %s", r.status, r.err);
	cr_expect(json_is_true(json_object_get(
			  json_object_get(json_object_get(doc, "container"), "inside"), "ok")),
		  "inside not ok: %s", r.err);
	cr_expect(!strstr(r.err, "not allowed to enter"), "%s", r.err);
	json_decref(doc);
	run_result_done(&r);
	kill((pid_t)atoi(pid), SIGKILL);
	rm_rf(dir);
}
