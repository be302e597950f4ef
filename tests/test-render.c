/* SPDX-License-Identifier: MIT */
/* Renderers against expected files: `host` of every fixture tree, as text
 * and as JSON, must print exactly tests/expected/FIXTURE.host.{txt,json}
 * (regenerate with `make update-expected`, and review the diff). */
#include <criterion/criterion.h>
#include <dirent.h>

#include "testlib.h"
#include "util.h"

static void first_difference(const char *a, const char *b, const char *what)
{
	size_t line = 1, i = 0;

	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line++;
	if (a[i] || b[i]) {
		const char *la = a + i, *lb = b + i;
		while (la > a && la[-1] != '\n')
			la--;
		while (lb > b && lb[-1] != '\n')
			lb--;
		cr_expect_fail("%s differs at line %zu:\n  expected: %.*s\n  got:      %.*s", what,
			       line, (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
	}
}

static void compare(const char *fixture, bool json)
{
	_cleanup_free_ char *root = sc_xasprintf("tests/fixtures/%s", fixture);
	_cleanup_free_ char *exp_path = sc_xasprintf("%s/tests/expected/%s.host.%s", SC_SRCDIR,
						     fixture, json ? "json" : "txt");
	_cleanup_free_ char *expected = read_whole_file(exp_path, NULL);
	struct run_result r;

	cr_assert_not_null(expected, "missing %s (make update-expected)", exp_path);
	if (json)
		run_tool(&r, (const char *const[]){ "--json", "--root", root, "host", NULL });
	else
		run_tool(&r, (const char *const[]){ "--root", root, "host", NULL });
	cr_assert(r.status == 0 || r.status == 1, "%s: exit %d: %s", fixture, r.status, r.err);
	first_difference(expected, r.out, exp_path);
	run_result_done(&r);
}

Test(render, golden_files)
{
	DIR *d = opendir(SC_SRCDIR "/tests/fixtures");
	unsigned n = 0;

	cr_assert_not_null(d);
	for (struct dirent *de; (de = readdir(d));) {
		_cleanup_free_ char *meta = NULL;

		if (de->d_name[0] == '.' || streq(de->d_name, "hostile"))
			continue;
		meta = sc_xasprintf("%s/tests/fixtures/%s/.sysctr-root.json", SC_SRCDIR,
				    de->d_name);
		if (access(meta, F_OK) < 0)
			continue;
		compare(de->d_name, false);
		compare(de->d_name, true);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 6, "only %u fixtures", n);
}
