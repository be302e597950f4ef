/* SPDX-License-Identifier: MIT */
/* Golden replays of real runc containers: every line of
 * tests/goldens/replays.tsv, replayed from its snapshot as text and with
 * --json, must print exactly tests/expected/snap-SNAPSHOT.VERB.{txt,json}
 * and exit with the status in .exit (tests/goldens/README.md). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <jansson.h>

#include "testlib.h"
#include "testschema.h"
#include "util.h"

#define REPLAYS SC_SRCDIR "/tests/goldens/replays.tsv"
#define MAX_ARGS 16

/* Fixed-size fields: Criterion copies parameters between processes, so
 * they hold no pointers. */
struct replay {
	char snapshot[64];
	char verb[32];
	char args[512];
	bool json;
};

/* The lines of replays.tsv ("snapshot TAB verb TAB arguments"), each
 * twice (text, --json), into ret (n_max entries at most). */
static size_t load_replays(struct replay *ret, size_t n_max)
{
	_cleanup_free_ char *table = read_whole_file(REPLAYS, NULL);
	size_t n = 0;

	cr_assert_not_null(table, "cannot read %s", REPLAYS);
	for (char *save = NULL, *line = strtok_r(table, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *verb, *args;

		if (line[0] == '#' || !line[0])
			continue;
		verb = strchr(line, '\t');
		args = verb ? strchr(verb + 1, '\t') : NULL;
		cr_assert_not_null(args, "%s: not three fields: %s", REPLAYS, line);
		*verb++ = 0;
		*args++ = 0;
		for (int json = 0; json < 2; json++) {
			cr_assert_lt(n, n_max, "%s: too many lines", REPLAYS);
			cr_assert(strlen(line) < sizeof ret[n].snapshot &&
				  strlen(verb) < sizeof ret[n].verb &&
				  strlen(args) < sizeof ret[n].args);
			strcpy(ret[n].snapshot, line);
			strcpy(ret[n].verb, verb);
			strcpy(ret[n].args, args);
			ret[n].json = json;
			n++;
		}
	}
	return n;
}

/* The first line where got differs from the expected file, and the
 * command that shows the whole difference. */
static void expect_same(const char *expected, size_t exp_size, const char *got,
			const char *exp_path, const char *cmdline)
{
	size_t line = 1, i = 0, got_size = strlen(got);
	const char *la, *lb;

	if (got_size == exp_size && memcmp(expected, got, exp_size) == 0)
		return;
	for (; i < exp_size && i < got_size && expected[i] == got[i]; i++)
		if (expected[i] == '\n')
			line++;
	la = expected + i;
	lb = got + i;
	while (la > expected && la[-1] != '\n')
		la--;
	while (lb > got && lb[-1] != '\n')
		lb--;
	cr_expect_fail("%s differs at line %zu (expected %zu bytes, got %zu):\n"
		       "  expected: %.*s\n  got:      %.*s\n"
		       "  diff -u %s <(COLUMNS=80 LC_ALL=C.UTF-8 ./sysctr-check %s)\n"
		       "  (make update-expected regenerates; review the diff)",
		       exp_path, line, exp_size, got_size, (int)strcspn(la, "\n"), la,
		       (int)strcspn(lb, "\n"), lb, exp_path + strlen(SC_SRCDIR "/"), cmdline);
}

ParameterizedTestParameters(goldens, replay)
{
	const size_t n_max = 256;
	struct replay *p = cr_malloc(n_max * sizeof *p);
	size_t n = load_replays(p, n_max);

	return cr_make_param_array(struct replay, p, n);
}

ParameterizedTest(struct replay *t, goldens, replay)
{
	_cleanup_free_ char *snap = sc_xasprintf("tests/fixtures/snapshots/%s.json", t->snapshot);
	_cleanup_free_ char *base =
		sc_xasprintf("%s/tests/expected/snap-%s.%s", SC_SRCDIR, t->snapshot, t->verb);
	_cleanup_free_ char *exp_path = sc_xasprintf("%s.%s", base, t->json ? "json" : "txt");
	_cleanup_free_ char *exit_path = sc_xasprintf("%s.exit", base);
	_cleanup_free_ char *cmdline = NULL, *args = sc_xstrdup(t->args);
	_cleanup_free_ char *expected = NULL, *exit_text = NULL;
	const char *argv[MAX_ARGS + 4];
	size_t n = 0, exp_size = 0;
	struct run_result r;
	char *end;
	long want;

	if (t->json)
		argv[n++] = "--json";
	argv[n++] = "--root";
	argv[n++] = snap;
	for (char *save = NULL, *a = strtok_r(args, " ", &save); a;
	     a = strtok_r(NULL, " ", &save)) {
		cr_assert_lt(n, MAX_ARGS, "%s: too many arguments", t->args);
		argv[n++] = a;
	}
	argv[n] = NULL;
	cmdline = sc_xasprintf("%s--root %s %s", t->json ? "--json " : "", snap, t->args);

	expected = read_whole_file(exp_path, &exp_size);
	cr_assert_not_null(expected, "missing %s (make update-expected)", exp_path);
	exit_text = read_whole_file(exit_path, NULL);
	cr_assert_not_null(exit_text, "missing %s (make update-expected)", exit_path);
	errno = 0;
	want = strtol(exit_text, &end, 10);
	cr_assert(errno == 0 && end != exit_text && (*end == '\n' || !*end), "%s: not a number",
		  exit_path);

	run_tool(&r, argv);
	cr_expect_eq(r.status, want, "sysctr-check %s: exit status %d, expected %ld (%s): %s",
		     cmdline, r.status, want, exit_path, r.err);
	cr_expect_str_empty(r.err, "sysctr-check %s: stderr: %s", cmdline, r.err);
	expect_same(expected, exp_size, r.out, exp_path, cmdline);

	if (t->json) {
		json_error_t err;
		json_t *doc = json_loads(r.out, 0, &err);

		cr_assert_not_null(doc, "sysctr-check %s: invalid JSON: %s", cmdline, err.text);
		schema_assert_valid(cmdline, doc);
		json_decref(doc);
	}
	run_result_done(&r);
}

static bool has_snapshot(const struct replay *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (streq(p[i].snapshot, name))
			return true;
	return false;
}

static bool has_expected(const struct replay *p, size_t n, const char *file)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *b = sc_xasprintf("snap-%s.%s.", p[i].snapshot, p[i].verb);
		const char *ext = startswith(file, b);

		if (ext && (streq(ext, "txt") || streq(ext, "json") || streq(ext, "exit")))
			return true;
	}
	return false;
}

/* Every snapshot is replayed, every snap-* golden is one a replay
 * compares with (nothing stale that no test reads), and the table covers
 * every verb that reads a container. */
Test(goldens, table_is_complete)
{
	static struct replay p[256];
	size_t n = load_replays(p, ELEMENTSOF(p)), n_snap = 0;
	static const char *const verbs[] = { "report", "container", "limits", "boot", "list" };
	DIR *d;

	cr_assert_geq(n, 2 * 20, "only %zu replays", n);
	for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
		bool found = false;
		for (size_t j = 0; j < n; j++)
			found = found || streq(p[j].verb, verbs[i]);
		cr_expect(found, "no replay of %s in %s", verbs[i], REPLAYS);
	}

	d = opendir(SC_SRCDIR "/tests/fixtures/snapshots");
	cr_assert_not_null(d);
	for (struct dirent *de; (de = readdir(d));) {
		const char *dot = strrchr(de->d_name, '.');
		_cleanup_free_ char *name = NULL;

		if (de->d_name[0] == '.' || !dot || !streq(dot, ".json"))
			continue;
		name = sc_xstrndup(de->d_name, (size_t)(dot - de->d_name));
		cr_expect(has_snapshot(p, n, name), "snapshot %s is in no line of %s", name,
			  REPLAYS);
		n_snap++;
	}
	closedir(d);
	cr_expect_geq(n_snap, 6, "only %zu snapshots", n_snap);

	d = opendir(SC_SRCDIR "/tests/expected");
	cr_assert_not_null(d);
	for (struct dirent *de; (de = readdir(d));)
		if (startswith(de->d_name, "snap-"))
			cr_expect(has_expected(p, n, de->d_name),
				  "tests/expected/%s: no line of %s writes it (stale?)", de->d_name,
				  REPLAYS);
	closedir(d);
}
