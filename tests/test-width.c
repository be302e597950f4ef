/* SPDX-License-Identifier: MIT */
/* Text output fits the width: every verb, help and --version, the fixture
 * trees, every golden replay and (root, runc) a live container, rendered
 * at COLUMNS=60, 80 and 120 with standard output not a terminal (and
 * host --image of the host image fixtures). A line
 * may be wider only when it ends in one word that no line could hold (a
 * long path, a container ID). Also --quiet, and the tables in a locale
 * that is not UTF-8. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <locale.h>

#include "render-text.h"
#include "sanitize.h"
#include "testctr.h"
#include "testlib.h"
#include "text-wrap.h"
#include "util.h"
#include "verb.h"

#define REPLAYS SC_SRCDIR "/tests/goldens/replays.tsv"
#define MAX_ARGS 16

static const unsigned widths[] = { 60, 80, 120 };

/* The first line of out wider than width that is not "a label, then one
 * word wider than half the width" (no hanging indent is deeper than
 * half the width: such a word fits no line), or NULL. */
static char *bad_line(const char *out, unsigned width)
{
	for (const char *line = out, *end; *line; line = end + (*end == '\n')) {
		_cleanup_free_ char *l = NULL;
		size_t n, sp;

		end = line + strcspn(line, "\n");
		l = sc_xstrndup(line, (size_t)(end - line));
		if (sc_text_width(l, 0) <= width)
			continue;
		n = strlen(l);
		while (n && l[n - 1] == ' ')
			l[--n] = 0;
		for (sp = n; sp && l[sp - 1] != ' ';)
			sp--;
		if (sc_text_width(l + sp, 0) > width / 2 && sc_text_nwidth(l, sp, 0) <= width)
			continue;
		return sc_xstrndup(line, (size_t)(end - line));
	}
	return NULL;
}

/* Runs args at COLUMNS=width; the output must fit; returns it. */
static char *run_fits(const char *const *args, unsigned width, int want_max_status)
{
	_cleanup_free_ char *cols = sc_xasprintf("COLUMNS=%u", width);
	const char *env[] = { cols, NULL };
	_cleanup_free_ char *cmd = NULL, *bad = NULL;
	struct run_result r;
	char *out;

	cmd = sc_strv_join((char *const *)args, " ");
	run_tool_env(&r, args, env);
	cr_assert_leq(r.status, want_max_status, "sysctr-check %s: exit status %d: %s", cmd,
		      r.status, r.err);
	cr_assert(r.status > 1 || r.out[0], "sysctr-check %s: no output", cmd);
	bad = bad_line(r.out, width);
	cr_expect_null(bad, "COLUMNS=%u sysctr-check %s: a line of %zu columns:\n%s", width, cmd,
		       bad ? sc_text_width(bad, 0) : 0, bad ? bad : "");
	out = TAKE_PTR(r.out);
	run_result_done(&r);
	return out;
}

/* ---- the checker itself ------------------------------------------------------------ */

Test(width, checker_accepts_only_one_long_word)
{
	_cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

	a = bad_line("short\n  key   /a/very/long/path/that/is/wider/than/half/of/the/width\n", 40);
	cr_assert_null(a, "%s", a);
	b = bad_line("  key   two words that are wider than forty columns here\n", 40);
	cr_assert_not_null(b);
	/* A word that a fresh line could have held is a missed break. */
	c = bad_line("  key                               wordwordwordword\n", 40);
	cr_assert_not_null(c);
	d = bad_line("  key   /a/very/long/path/that/is/wider/than/half/of/the/width more\n", 40);
	cr_assert_not_null(d);
}

/* ---- the wrapper ---------------------------------------------------------------------- */

Test(width, wrap_string_breaks_at_spaces_then_inside_words)
{
	_cleanup_free_ char *a = sc_wrap_string("one two three four", 9, 0, 2, 0, 0);
	_cleanup_free_ char *b =
		sc_wrap_string("/sys/fs/cgroup/unified", 10, 0, 0, SC_WRAP_HARD, 0);
	_cleanup_free_ char *c = sc_wrap_string("/sys/fs/cgroup/unified", 10, 0, 0, 0, 0);
	_cleanup_free_ char *d = sc_wrap_string("a,b,c,dddd", 5, 0, 0, 0, 0);
	_cleanup_free_ char *e = sc_wrap_string("0123456789abc", 5, 0, 0, SC_WRAP_HARD, 0);
	_cleanup_free_ char *f = sc_wrap_string("日本語日本語", 5, 0, 0, SC_WRAP_HARD, 0);

	cr_assert_str_eq(a, "one two\n  three\n  four");
	cr_assert_str_eq(b, "/sys/fs/\ncgroup/\nunified");
	/* Without SC_WRAP_HARD a path stays whole, on one line. */
	cr_assert_str_eq(c, "/sys/fs/cgroup/unified");
	cr_assert_str_eq(d, "a,b,\nc,\ndddd");
	cr_assert_str_eq(e, "01234\n56789\nabc");
	/* Two columns a character: never half of one. */
	cr_assert_str_eq(f, "日本\n語日\n本語");
}

Test(width, wrap_line_moves_a_word_that_does_not_fit)
{
	const char *next;

	/* Something on the line already: the word goes to the next one. */
	cr_assert_eq(sc_wrap_line("longword", 4, false, 0, 0, &next), 0);
	cr_assert_str_eq(next, "longword");
	/* A fresh line: it has to go here, whole. */
	cr_assert_eq(sc_wrap_line("longword rest", 4, true, 0, 0, &next), 8);
	cr_assert_str_eq(next, "rest");
}

/* ---- every verb of the live host ------------------------------------------------------- */

struct run_case {
	char args[MAX_ARGS][128];
	size_t n;
	int max_status;
	unsigned width;
};

static void add_case(struct run_case *p, size_t *n, size_t n_max, int max_status,
		     const char *const *args)
{
	for (size_t w = 0; w < ELEMENTSOF(widths); w++) {
		struct run_case *c = &p[*n];

		cr_assert_lt(*n, n_max);
		memset(c, 0, sizeof(*c));
		for (c->n = 0; args[c->n]; c->n++) {
			cr_assert_lt(c->n, MAX_ARGS - 1);
			cr_assert_lt(strlen(args[c->n]), sizeof(c->args[0]));
			strcpy(c->args[c->n], args[c->n]);
		}
		c->max_status = max_status;
		c->width = widths[w];
		(*n)++;
	}
}

/* Fixed-size fields: Criterion copies parameters between processes. */
ParameterizedTestParameters(width, verb)
{
	static const char *const fixtures[] = { "alpine-openrc-hybrid", "centos7-legacy",
						"debian12-v2", "no-cgroupfs", "ubuntu2004-hybrid" };
	static const char *const images[] = { "host-bookworm-legacy", "host-trixie-unified",
					      "host-openrc-hybrid", "host-hostile" };
	const size_t n_max = 512;
	struct run_case *p = cr_malloc(n_max * sizeof(*p));
	size_t n = 0;

	add_case(p, &n, n_max, 1, (const char *const[]){ "host", NULL });
	add_case(p, &n, n_max, 1, (const char *const[]){ "-v", "host", NULL });
	add_case(p, &n, n_max, 1, (const char *const[]){ "--ascii", "-v", "host", NULL });
	add_case(p, &n, n_max, 1, (const char *const[]){ "-q", "host", NULL });
	add_case(p, &n, n_max, 1, (const char *const[]){ "report", NULL });
	add_case(p, &n, n_max, 1,
		 (const char *const[]){ "boot", "--bundle", "tests/fixtures/bundles/runc-spec",
					NULL });
	add_case(p, &n, n_max, 1,
		 (const char *const[]){ "--ascii", "boot", "--bundle",
					"tests/fixtures/bundles/runc-spec", NULL });
	/* Without root, list says it could read no runtime state (exit 3). */
	add_case(p, &n, n_max, 3, (const char *const[]){ "list", NULL });
	add_case(p, &n, n_max, 0, (const char *const[]){ "checks", NULL });
	add_case(p, &n, n_max, 0, (const char *const[]){ "runtimes", NULL });
	add_case(p, &n, n_max, 0, (const char *const[]){ "--help", NULL });
	add_case(p, &n, n_max, 0, (const char *const[]){ "help", NULL });
	add_case(p, &n, n_max, 0, (const char *const[]){ "--version", NULL });
	for (const struct sc_verb *v = sc_verbs; v->name; v++) {
		add_case(p, &n, n_max, 0, (const char *const[]){ v->name, "--help", NULL });
		add_case(p, &n, n_max, 0, (const char *const[]){ "help", v->name, NULL });
	}
	for (size_t i = 0; i < ELEMENTSOF(images); i++) {
		char dir[128];

		snprintf(dir, sizeof(dir), "tests/fixtures/images/%s", images[i]);
		add_case(p, &n, n_max, 1, (const char *const[]){ "host", "--image", dir, NULL });
		add_case(p, &n, n_max, 1,
			 (const char *const[]){ "-v", "host", "--image", dir, NULL });
	}
	for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
		char root[128];

		snprintf(root, sizeof(root), "tests/fixtures/%s", fixtures[i]);
		add_case(p, &n, n_max, 1, (const char *const[]){ "--root", root, "host", NULL });
		add_case(p, &n, n_max, 1,
			 (const char *const[]){ "--root", root, "-v", "host", NULL });
	}
	return cr_make_param_array(struct run_case, p, n);
}

ParameterizedTest(struct run_case *c, width, verb, .timeout = 60)
{
	const char *argv[MAX_ARGS];
	_cleanup_free_ char *out = NULL;

	for (size_t i = 0; i < c->n; i++)
		argv[i] = c->args[i];
	argv[c->n] = NULL;
	out = run_fits(argv, c->width, c->max_status);
}

/* ---- every golden replay (tests/goldens/replays.tsv) ---------------------------------- */

struct replay {
	char snapshot[64];
	char args[512];
	unsigned width;
};

ParameterizedTestParameters(width, replay)
{
	const size_t n_max = 512;
	struct replay *p = cr_malloc(n_max * sizeof(*p));
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
		*verb = 0;
		args++;
		for (size_t w = 0; w < ELEMENTSOF(widths); w++) {
			cr_assert_lt(n, n_max);
			cr_assert(strlen(line) < sizeof(p[n].snapshot) &&
				  strlen(args) < sizeof(p[n].args));
			strcpy(p[n].snapshot, line);
			strcpy(p[n].args, args);
			p[n].width = widths[w];
			n++;
		}
	}
	return cr_make_param_array(struct replay, p, n);
}

ParameterizedTest(struct replay *t, width, replay, .timeout = 60)
{
	_cleanup_free_ char *snap = sc_xasprintf("tests/fixtures/snapshots/%s.json", t->snapshot);
	_cleanup_free_ char *args = sc_xstrdup(t->args), *out = NULL, *vout = NULL;
	const char *argv[MAX_ARGS + 4];
	size_t n = 0;

	argv[n++] = "--root";
	argv[n++] = snap;
	for (char *save = NULL, *a = strtok_r(args, " ", &save); a;
	     a = strtok_r(NULL, " ", &save)) {
		cr_assert_lt(n, MAX_ARGS + 2);
		argv[n++] = a;
	}
	argv[n] = NULL;
	out = run_fits(argv, t->width, 1);
	/* Verbose: the evidence of every check. */
	memmove(argv + 1, argv, (n + 1) * sizeof(*argv));
	argv[0] = "-v";
	if (strstr(t->args, " list") || startswith(t->args, "list"))
		return; /* list takes no -v */
	vout = run_fits(argv, t->width, 1);
}

/* ---- a live runc container (root) ------------------------------------------------------ */

static struct testctr live;

static void live_fini(void)
{
	testctr_destroy(&live);
}

Test(width, live_runc_container, .fini = live_fini, .timeout = 180)
{
	static const char *const verbs[] = { "report", "container", "limits", "boot" };
	const char *why = testctr_unavailable();
	_cleanup_free_ char *target = NULL;

	if (why) {
		fprintf(stderr, "[SKIP] width, live runc container: %s\n", why);
		cr_skip_test("%s", why);
	}
	testctr_prepare(&live, "sc-width");
	cr_assert_eq(testctr_start(&live), 0);
	target = sc_xasprintf("runc:%s", live.id);
	for (size_t w = 0; w < ELEMENTSOF(widths); w++)
		for (size_t v = 0; v < ELEMENTSOF(verbs); v++) {
			_cleanup_free_ char *out = run_fits(
				(const char *const[]){ verbs[v], target, NULL }, widths[w], 1);

			cr_assert(strstr(out, live.id), "%s %s: the target is not shown", verbs[v],
				  target);
		}
	{
		_cleanup_free_ char *out = run_fits((const char *const[]){ "list", NULL }, 80, 1);

		cr_assert(strstr(out, live.id), "list: %s is not listed", live.id);
	}
}

/* ---- locales ---------------------------------------------------------------------------- */

/* In the C locale the output is ASCII (no symbol, no "—"), in C.UTF-8
 * it is not; both fit, and the tables hold the same cells. */
Test(width, c_locale_and_utf8, .timeout = 60)
{
	/* LANG=C alone: LC_ALL (which the tests set to C.UTF-8) empty. */
	static const char *const envs[][4] = { { "LANG=C", "LC_ALL=", "COLUMNS=80", NULL },
					       { "LC_ALL=C", "COLUMNS=80", NULL },
					       { "LC_ALL=C.UTF-8", "COLUMNS=80", NULL } };

	for (size_t i = 0; i < ELEMENTSOF(envs); i++) {
		const char *const *env = envs[i];
		const char *lang = env[0];
		const char *argv[] = { "--root", "tests/fixtures/ubuntu2004-hybrid", "-v", "host",
				       NULL };
		_cleanup_free_ char *bad = NULL;
		struct run_result r;
		bool ascii = true;

		run_tool_env(&r, argv, env);
		cr_assert_leq(r.status, 1, "%s: exit %d: %s", lang, r.status, r.err);
		bad = bad_line(r.out, 80);
		cr_expect_null(bad, "%s: %s", lang, bad);
		for (const char *p = r.out; *p; p++)
			ascii = ascii && (unsigned char)*p < 0x80;
		cr_expect_eq(ascii, !strstr(lang, "UTF-8"), "%s: ASCII %d", lang, ascii);
		cr_expect(strstr(r.out, "/sys/fs/cgroup/systemd"), "%s: %s", lang, r.out);
		run_result_done(&r);
	}
}

/* The renderer in a process whose locale is C, asked for UTF-8 output:
 * libsmartcols counts columns by LC_CTYPE, and is given C.UTF-8 for the
 * table, so the cells line up as in a UTF-8 locale (and nothing hangs). */
Test(width, table_in_c_locale_lines_up, .timeout = 30)
{
	struct sc_text_opts o = { .unicode = true, .width = 40 };
	struct sc_escaped_file esc;
	struct sc_text_out t;
	char *buf[2] = { NULL, NULL };
	size_t size[2];

	for (int i = 0; i < 2; i++) {
		FILE *f = open_memstream(&buf[i], &size[i]);

		cr_assert_not_null(setlocale(LC_ALL, i ? "C.UTF-8" : "C"));
		cr_assert_eq(sc_text_open(&t, &esc, &o, f), 0);
		{
			_cleanup_table_ struct sc_table *tb =
				sc_table_new(&t, 3, (const char *const[]){ "NAME", "—", "NOTE" });

			sc_table_add(tb, (const char *const[]){ "日本語", "—",
								"é ✓ wrapped text "
								"of the last column" });
			sc_table_add(tb, (const char *const[]){ "x", "y", "z" });
			sc_table_wrap(tb, 2);
			sc_table_print(tb, 2);
		}
		cr_assert_eq(sc_text_close(&t), 0);
		cr_assert_eq(fclose(f), 0);
	}
	setlocale(LC_ALL, "C");
	cr_assert_str_eq(buf[0], buf[1]);
	cr_assert_str_eq(buf[0],
			 "  NAME    —  NOTE\n"
			 "  日本語  —  é ✓ wrapped text of the\n"
			 "             last column\n"
			 "  x       y  z\n",
			 "%s", buf[0]);
	free(buf[0]);
	free(buf[1]);
}

/* ---- --quiet ------------------------------------------------------------------------------- */

/* Only the checks that did not pass (warn, fail, error), with their
 * evidence and remedy, and the summary line. */
Test(width, quiet_shows_problems_and_the_summary)
{
	struct run_result r, full;
	const char *last;

	run_tool(&r, (const char *const[]){ "-q", "--root", "tests/fixtures/ubuntu2004-hybrid",
					    "host", NULL });
	run_tool(&full, (const char *const[]){ "--root", "tests/fixtures/ubuntu2004-hybrid", "host",
					       NULL });
	cr_assert_eq(r.status, full.status, "%s", r.err);
	cr_assert_null(strstr(r.out, "Cgroups"), "%s", r.out);
	cr_assert_null(strstr(r.out, SC_TOOL_NAME " " SC_VERSION), "%s", r.out);
	cr_assert_null(strstr(r.out, "✔"), "%s", r.out);
	cr_assert_null(strstr(r.out, "ℹ"), "%s", r.out);
	cr_assert(strstr(r.out, "⚠ ") || strstr(r.out, "✖ "), "%s", r.out);
	for (const char *p = r.out, *end; *p; p = end + 1) {
		end = p + strcspn(p, "\n");
		cr_assert(*end, "no line end");
		/* A check line, or its continuation, or the summary. */
		cr_assert(startswith(p, "  ⚠ ") || startswith(p, "  ✖ ") || startswith(p, "  ‼ ") ||
				  startswith(p, "     ") || startswith(p, "Summary: ") || p == end,
			  "%.*s", (int)(end - p), p);
	}
	last = strrchr(full.out, '\n');
	while (last > full.out && last[-1] != '\n')
		last--;
	/* The same summary as without --quiet. */
	cr_assert(strstr(r.out, last), "%s\n---\n%s", r.out, last);
	cr_assert(startswith(strstr(r.out, "Summary: "), last));
	run_result_done(&r);
	run_result_done(&full);

	/* An ignored check is not shown, but counted in the summary. */
	run_tool(&r, (const char *const[]){ "-q", "--ignore", "cgroup.mode", "--root",
					    "tests/fixtures/ubuntu2004-hybrid", "host", NULL });
	cr_assert_null(strstr(r.out, "cgroup.mode "), "%s", r.out);
	cr_assert(strstr(r.out, " ignored"), "%s", r.out);
	run_result_done(&r);
}

/* A note is a line of its own under its row, wrapped between words,
 * and the rows keep the widths of the whole table. */
Test(width, table_note_under_its_row, .timeout = 30)
{
	struct sc_text_opts o = { .unicode = true, .width = 30 };
	struct sc_escaped_file esc;
	struct sc_text_out t;
	char *buf = NULL;
	size_t size;
	FILE *f = open_memstream(&buf, &size);

	cr_assert_eq(sc_text_open(&t, &esc, &o, f), 0);
	{
		_cleanup_table_ struct sc_table *tb =
			sc_table_new(&t, 2, (const char *const[]){ "PID", "COMMAND" });

		sc_table_note(tb, "NAME / ID");
		sc_table_add(tb, (const char *const[]){ "1", "sleep 10" });
		sc_table_note(tb, "a-name-that-is-long-enough (0123456789ab)");
		sc_table_add(tb, (const char *const[]){ "12345", "sh" });
		sc_table_print(tb, 2);
	}
	cr_assert_eq(sc_text_close(&t), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert_str_eq(buf,
			 "  PID    COMMAND\n"
			 "    NAME / ID\n"
			 "  1      sleep 10\n"
			 "    a-name-that-is-long-enough\n"
			 "    (0123456789ab)\n"
			 "  12345  sh\n",
			 "%s", buf);
	free(buf);
}
