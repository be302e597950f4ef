/* SPDX-License-Identifier: MIT */
/* The escaping of untrusted bytes end to end, through the binary: a
 * snapshot's escapes never reach the terminal, and the JSON of a failed
 * inside view neither loses objects nor leaks (the renderers' own cases
 * on hand-built facts are in test-render-hostile.c). */
#include <criterion/criterion.h>
#include <jansson.h>

#include "testlib.h"
#include "util.h"

/* The text output of a snapshot whose files carry escapes and Latin-1:
 * none reaches the terminal, and the JSON still has everything. */
Test(hostile_cli, cli_on_a_hostile_snapshot)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *file = sc_xasprintf("%s/s.json", dir);
	struct run_result r = {};
	json_t *doc;

	write_file(dir, "s.json",
		   "{\"format\":1,\"files\":{\"/proc/self/mountinfo\":\"1 1 0:1 / / rw - ext4 "
		   "/dev/x rw\\n\",\"/proc/1/comm\":\"\\u001b]0;pwned\\u0007\\u001b[2J\\n\","
		   "\"/proc/sys/kernel/osrelease\":{\"base64\":\"NS4x6QoK\"}}}");
	run_tool(&r, (const char *const[]){ "--root", file, "--color", "host", NULL });
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "\\x1b]0;pwned\\x07\\x1b[2J"), "%s", r.out);
	cr_assert_null(strstr(r.out, "\033]"), "a raw OSC reached the terminal");
	cr_assert_null(strstr(r.out, "\033[2J"), "a raw clear-screen reached the terminal");
	cr_assert(strstr(r.out, "\033[1m"), "the renderer's own colours remain");
	cr_assert(strstr(r.out, "5.1\\xe9"), "the Latin-1 release is shown escaped");
	run_result_done(&r);
	run_tool(&r, (const char *const[]){ "--root", file, "--json", "host", NULL });
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert_not_null(json_object_get(doc, "host"), "%s", r.out);
	json_decref(doc);
	run_result_done(&r);
	rm_rf(dir);
}

/* A report whose inside view failed (PID 1 of the host is no container)
 * leaked the array inside_json() made before its early return; under
 * `make check SANITIZE=1` LeakSanitizer reports it on stderr. */
Test(hostile_cli, json_without_an_inside_view_does_not_leak)
{
	struct run_result r = {};
	json_t *doc;

	if (!is_root())
		cr_skip_test("needs root to read PID 1's namespaces");
	run_tool(&r, (const char *const[]){ "--json", "container", "1", NULL });
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	cr_assert_null(strstr(r.err, "LeakSanitizer"), "%s", r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert(json_is_false(json_object_get(
		json_object_get(json_object_get(doc, "container"), "inside"), "ok")));
	json_decref(doc);
	run_result_done(&r);
}

/* Error messages carry what a bundle's config.json or a runtime's state
 * says (root.path, container ids): they were printed raw on stderr. */
Test(hostile_cli, error_messages_are_escaped_and_one_line)
{
	_cleanup_free_ char *dir = make_tempdir();
	struct run_result r = {};

	write_file(dir, "config.json",
		   "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/sbin/init\"]},"
		   "\"root\":{\"path\":\"\\u001b[2J\\u001b]0;pwned\\u0007nowhere\\nfake line\"}}");
	run_tool(&r, (const char *const[]){ "boot", "--bundle", dir, NULL });
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "\\x1b[2J\\x1b]0;pwned\\x07nowhere\\nfake line"), "%s", r.err);
	cr_assert_null(strchr(r.err, '\033'), "a raw escape on stderr");
	cr_assert_eq(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err), "one line: %s", r.err);
	run_result_done(&r);
	rm_rf(dir);
}
