/* SPDX-License-Identifier: MIT */
/* Snapshots are untrusted input: a replayed operation never succeeds
 * without its data, bytes that are not UTF-8 survive a recording, and a
 * listing is bounded. Each case failed (a crash or a silent loss) before
 * the read layer learnt it. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "root.h"
#include "testlib.h"
#include "util.h"

TestSuite(snapshot_hostile, .timeout = 30);

static struct sc_root *open_json(const char *text)
{
	json_error_t err;
	json_t *snap = json_loads(text, JSON_ALLOW_NUL, &err);
	struct sc_root *r = NULL;

	cr_assert_not_null(snap, "test snapshot does not parse: %s", err.text);
	cr_assert_eq(sc_root_open_snapshot(snap, "test", &r), 0);
	json_decref(snap);
	return r;
}

/* The audit's 133-byte snapshot: the path is only in "exists", so the
 * read used to succeed with no data and the caller dereferenced NULL. */
Test(snapshot_hostile, read_known_only_elsewhere_is_not_a_fact)
{
	_cleanup_root_ struct sc_root *r = open_json(
		"{\"format\":1,\"files\":{},\"exists\":{\"/proc/sys/kernel/osrelease\":true},"
		"\"links\":{\"/l\":\"x\"},\"stat\":{\"/s\":{\"type\":\"file\"}}}");
	char *line = (char *)0x1, **names = (char **)0x1, **found = (char **)0x1;
	const char *needle = "x";

	cr_assert_eq(sc_root_read_line(r, "/proc/sys/kernel/osrelease", &line), -SC_ENOFACT);
	cr_assert_eq(line, (char *)0x1, "the output parameter is untouched on failure");
	cr_assert_eq(sc_root_read_line(r, "/s", &line), -SC_ENOFACT);
	cr_assert_eq(sc_root_list(r, "/proc/sys/kernel/osrelease", &names), -SC_ENOFACT);
	cr_assert_eq(sc_root_list(r, "/l", &names), -SC_ENOFACT);
	cr_assert_eq(names, (char **)0x1);
	cr_assert_eq(sc_root_search(r, "/l", &needle, 1, &found), -SC_ENOFACT);
	cr_assert_eq(found, (char **)0x1);
	/* exists returns no data: known anywhere is enough. */
	cr_assert_eq(sc_root_exists(r, "/l"), 0);
	cr_assert_eq(sc_root_exists(r, "/nowhere"), -SC_ENOFACT);
}

Test(snapshot_hostile, values_of_the_wrong_type_are_refused)
{
	_cleanup_root_ struct sc_root *r = open_json(
		"{\"format\":1,\"files\":{\"/n\":42,\"/o\":{\"x\":1},\"/b\":{\"base64\":\"!!\"}},"
		"\"dirs\":{\"/d\":\"notalist\",\"/e\":[\"ok\",7],\"/f\":[\"a/b\"],\"/g\":[\"..\"]},"
		"\"links\":{\"/k\":[],\"/z\":\"\"},\"search\":{\"/x\":[1]},"
		"\"op_errors\":[],\"stat\":7}");
	char *buf = NULL, **names = NULL, **found = NULL;
	const char *needle = "n";
	size_t n;

	cr_assert_eq(sc_root_read(r, "/n", 100, &buf, &n), -EBADMSG);
	cr_assert_eq(sc_root_read(r, "/o", 100, &buf, &n), -EBADMSG);
	cr_assert_eq(sc_root_read(r, "/b", 100, &buf, &n), -EBADMSG);
	cr_assert_eq(sc_root_list(r, "/d", &names), -EBADMSG);
	cr_assert_eq(sc_root_list(r, "/e", &names), -EBADMSG);
	cr_assert_eq(sc_root_list(r, "/f", &names), -EBADMSG, "a name with a slash");
	cr_assert_eq(sc_root_list(r, "/g", &names), -EBADMSG, "a name that is ..");
	cr_assert_eq(sc_root_readlink(r, "/k", &buf), -EBADMSG);
	cr_assert_eq(sc_root_readlink(r, "/z", &buf), -EBADMSG);
	cr_assert_eq(sc_root_search(r, "/x", &needle, 1, &found), -EBADMSG);
	cr_assert_null(buf);
	cr_assert_null(names);
	cr_assert_null(found);
}

/* Record bytes that are not UTF-8 (a Latin-1 os-release, a file name
 * and a link target in ISO 8859-1, cgroup.type "threaded\377"), replay
 * them: every byte comes back. */
Test(snapshot_hostile, non_utf8_bytes_survive_a_recording)
{
	_cleanup_free_ char *tree = make_tempdir();
	_cleanup_root_ struct sc_root *live = NULL, *replay = NULL;
	_cleanup_free_ char *buf = NULL, *line = NULL, *link = NULL, *text = NULL;
	_cleanup_strv_free_ char **names = NULL;
	json_t *snap;
	size_t n;

	write_file(tree, "etc/os-release",
		   "NAME=\"D\xe9"
		   "bian\"\nVERSION_ID=12\n");
	write_file(tree, "sys/fs/cgroup/cgroup.type", "threaded\377\n");
	write_file(tree, "etc/caf\xe9/x", "y");
	make_symlink(tree, "etc/link", "/t\xe9st");
	cr_assert_eq(sc_root_open(tree, 0, &live), 0);
	cr_assert_eq(sc_root_record_start(live), 0);
	cr_assert_eq(sc_root_read(live, "/etc/os-release", 4096, &buf, &n), 0);
	cr_assert_eq(sc_root_read_line(live, "/sys/fs/cgroup/cgroup.type", &line), 0);
	cr_assert_eq(sc_root_list(live, "/etc", &names), 0);
	cr_assert_eq(sc_root_readlink(live, "/etc/link", &link), 0);
	cr_assert_eq(sc_root_exists(live, "/etc/caf\xe9/x"), 0);
	snap = sc_root_record_take(live);

	/* Through text and back, as the pipe and --record carry it. */
	text = json_dumps(snap, JSON_SORT_KEYS);
	json_decref(snap);
	cr_assert_not_null(text);
	snap = json_loads(text, JSON_ALLOW_NUL, NULL);
	cr_assert_not_null(snap);
	cr_assert_eq(sc_root_open_snapshot(snap, "replay", &replay), 0);
	json_decref(snap);

	free(buf);
	buf = NULL;
	cr_assert_eq(sc_root_read(replay, "/etc/os-release", 4096, &buf, &n), 0);
	cr_assert_str_eq(buf, "NAME=\"D\xe9"
			      "bian\"\nVERSION_ID=12\n");
	free(line);
	line = NULL;
	cr_assert_eq(sc_root_read_line(replay, "/sys/fs/cgroup/cgroup.type", &line), 0);
	cr_assert_str_eq(line, "threaded\377");
	sc_strv_free(names);
	names = NULL;
	cr_assert_eq(sc_root_list(replay, "/etc", &names), 0);
	cr_assert(sc_strv_contains(names, "caf\xe9"));
	free(link);
	link = NULL;
	cr_assert_eq(sc_root_readlink(replay, "/etc/link", &link), 0);
	cr_assert_str_eq(link, "/t\xe9st");
	cr_assert_eq(sc_root_exists(replay, "/etc/caf\xe9/x"), 0);
	rm_rf(tree);
}

Test(snapshot_hostile, listing_is_bounded)
{
	json_t *snap =
		json_pack("{s:i,s:{},s:{s:o}}", "format", 1, "files", "dirs", "/big", json_array());
	json_t *a = json_object_get(json_object_get(snap, "dirs"), "/big");
	_cleanup_root_ struct sc_root *r = NULL;
	char **names = NULL;

	for (unsigned i = 0; i <= SC_LIST_MAX; i++)
		json_array_append_new(a, json_integer(i));
	cr_assert_eq(sc_root_open_snapshot(snap, "big", &r), 0);
	json_decref(snap);
	cr_assert_eq(sc_root_list(r, "/big", &names), -E2BIG);
	cr_assert_null(names);
}

/* The CLI end to end on the audit's snapshot: no crash, a report. */
Test(snapshot_hostile, cli_on_the_133_byte_snapshot)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *file = sc_xasprintf("%s/s.json", dir);
	struct run_result res = {};

	write_file(dir, "s.json",
		   "{\"format\":1,\"files\":{\"/proc/self/mountinfo\":\"1 1 0:1 / / rw - ext4 "
		   "/dev/x rw\\n\"},\"exists\":{\"/proc/sys/kernel/osrelease\":true}}");
	const char *text[] = { "--root", file, "host", NULL };
	const char *json[] = { "--root", file, "--json", "host", NULL };

	run_tool(&res, text);
	cr_assert_eq(res.status, 1, "exit %d: %s", res.status, res.err);
	cr_assert(strstr(res.out, "could not determine the cgroup mode"));
	run_result_done(&res);
	run_tool(&res, json);
	cr_assert_eq(res.status, 1, "exit %d: %s", res.status, res.err);
	cr_assert(strstr(res.out, "\"cgroup.mode\""));
	run_result_done(&res);
	rm_rf(dir);
}

/* A recorded search match must hold its needle, as a live search's
 * does: the systemd finder skips to the needle with strstr(), and a
 * snapshot's match without it was NULL + 18 (UBSan, found by fuzzing). */
Test(snapshot_hostile, search_match_must_hold_its_needle)
{
	_cleanup_root_ struct sc_root *r = open_json(
		"{\"format\":1,\"files\":{},\"search\":{\"/b\":{\"default-hierarchy=\":\"other\"},"
		"\"/c\":{\"default-hierarchy=\":\"x default-hierarchy=unified y\"}}}");
	const char *needle = "default-hierarchy=";
	char **found = NULL;

	cr_assert_eq(sc_root_search(r, "/b", &needle, 1, &found), -EBADMSG);
	cr_assert_null(found);
	cr_assert_eq(sc_root_search(r, "/c", &needle, 1, &found), 0);
	cr_assert_str_eq(found[0], "x default-hierarchy=unified y");
	sc_strv_free(found);
}
