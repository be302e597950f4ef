/* SPDX-License-Identifier: MIT */
/* The shell completions, driven for real: tests/completion-bash.sh runs
 * the bash function as readline would and checks its candidates; zsh
 * and fish are checked for the values bash completes. (test-docs.c checks
 * that every verb and option of --help is in all three.) */
#include <criterion/criterion.h>
#include <sys/wait.h>

#include "testlib.h"
#include "util.h"

TestSuite(completions, .timeout = 120);

Test(completions, bash_driven_like_readline)
{
	_cleanup_free_ char *cmd =
		sc_xasprintf("bash '%s/tests/completion-bash.sh' '%s'", SC_SRCDIR, SC_SRCDIR);
	int rc;

	fflush(stdout);
	rc = system(cmd);
	cr_assert(WIFEXITED(rc), "completion-bash.sh: status %d", rc);
	if (WEXITSTATUS(rc) == 77) {
		fprintf(stderr, "[SKIP] completions: bash-completion is not installed\n");
		cr_skip_test("bash-completion is not installed");
	}
	cr_assert_eq(WEXITSTATUS(rc), 0, "tests/completion-bash.sh failed (exit %d): see above",
		     WEXITSTATUS(rc));
}

/* The values bash completes, in the other two. */
Test(completions, zsh_and_fish_complete_the_same_values)
{
	static const char *const files[] = { "completions/_sysctr-check",
					     "completions/sysctr-check.fish" };
	static const char *const values[] = { "text json junit prometheus",
					      "auto always never",
					      "--output-file",
					      "--only",
					      "--config",
					      "--image" };

	for (size_t f = 0; f < ELEMENTSOF(files); f++) {
		_cleanup_free_ char *p = sc_xasprintf("%s/%s", SC_SRCDIR, files[f]);
		_cleanup_free_ char *text = read_whole_file(p, NULL);

		cr_assert_not_null(text, "%s", p);
		for (size_t v = 0; v < ELEMENTSOF(values); v++)
			cr_expect(strstr(text, values[v]), "%s does not complete '%s'", files[f],
				  values[v]);
	}
}
