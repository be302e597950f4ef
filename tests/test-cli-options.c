/* SPDX-License-Identifier: MIT */
/* The option parser, per-verb help, the configuration file and JSON
 * errors, through the built binary: what a user's hands and a CI
 * pipeline do with the command line. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <sys/stat.h>

#include "testlib.h"
#include "testschema.h"
#include "util.h"
#include "verb.h"

#define RUN(r, ...) run_tool(r, (const char *const[]){ __VA_ARGS__, NULL })
#define MACHINE FIXTURE("this-machine")

TestSuite(cli_options, .timeout = 60);

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_printable(const char *s, const char *what)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cr_expect(*p >= 0x20 || *p == '\n', "%s: control byte 0x%02x in: %s", what, *p, s);
}

/* Every line of s fits in 79 columns (UTF-8 aware), but for a line that
 * is one unbreakable token (a path of the build tree, of any length). */
static void expect_narrow(const char *s, const char *what)
{
	while (*s) {
		size_t len = strcspn(s, "\n"), col = 0;
		const char *tok = s + strspn(s, " ");
		bool one_token = memchr(tok, ' ', len - (size_t)(tok - s)) == NULL;

		for (size_t i = 0; i < len; i++)
			if (((unsigned char)s[i] & 0xc0) != 0x80)
				col++;
		cr_expect(col <= 79 || one_token, "%s: a line wider than 79 columns: %.*s", what,
			  (int)len, s);
		s += len + (s[len] == '\n');
	}
}

Test(cli_options, help_per_verb)
{
	struct run_result a, b;

	for (const struct sc_verb *v = sc_verbs; v->name; v++) {
		_cleanup_free_ char *usage =
			sc_xasprintf("Usage: sysctr-check [OPTIONS] %s\n", v->usage);

		RUN(&a, v->name, "--help");
		RUN(&b, "help", v->name);
		cr_expect_eq(a.status, 0, "%s --help: exit %d", v->name, a.status);
		cr_expect(startswith(a.out, usage), "%s --help starts: %.80s", v->name, a.out);
		cr_expect_str_eq(a.out, b.out, "help %s differs from %s --help", v->name, v->name);
		cr_expect(strstr(a.out, "\nExamples:\n  sysctr-check "), "%s --help: no example",
			  v->name);
		expect_narrow(a.out, v->name);
		run_result_done(&a);
		run_result_done(&b);
	}
	/* Each verb lists the options it takes, and only those. */
	RUN(&a, "boot", "--help");
	cr_expect(strstr(a.out, "--bundle DIR"));
	cr_expect(strstr(a.out, "--timeout SECONDS"));
	cr_expect_null(strstr(a.out, "--image"), "boot --help lists --image");
	run_result_done(&a);
	RUN(&a, "checks", "--help");
	cr_expect_null(strstr(a.out, "--record"), "checks --help lists --record");
	cr_expect(strstr(a.out, "--output-file FILE"));
	run_result_done(&a);

	RUN(&a, "--help");
	expect_narrow(a.out, "--help");
	cr_expect(strstr(a.out, "\n  help [COMMAND] "));
	cr_expect(strstr(a.out, "\nJSON schema: /"), "--help names no schema");
	run_result_done(&a);

	RUN(&a, "help", "frobnicate");
	cr_expect_eq(a.status, 2);
	cr_expect(strstr(a.err, "help frobnicate: no such command"), "%s", a.err);
	run_result_done(&a);
}

/* Option errors name the option as typed, in printable text. */
Test(cli_options, errors_name_what_was_typed)
{
	static const struct {
		const char *args[4];
		const char *want;
	} cases[] = {
		{ { "--no-color=1", "host" },
		  "option --no-color takes no value (got --no-color=1)" },
		{ { "--json=pretty", "host" }, "option --json takes no value (got --json=pretty)" },
		{ { "--ver" }, "option --ver is ambiguous (--verbose, --version)" },
		{ { "--frob", "host" }, "unknown option --frob (see --help)" },
		{ { "-Z", "host" }, "unknown option -Z (see --help)" },
		{ { "-\x01", "host" }, "unknown option in -\\x01 (see --help)" },
		{ { "--color=sometimes", "host" },
		  "--color=sometimes: WHEN is auto, always or never" },
		{ { "--timeout", "0", "report" },
		  "--timeout 0: expected seconds, more than 0 and at most 3600" },
		{ { "-t0", "report" }, "-t 0: expected seconds" },
		{ { "-o", "out.txt", "host" },
		  "-o out.txt: unknown format (text, json, junit, prometheus); to write a file: "
		  "--output-file FILE" },
		{ { "host", "--root" }, "option --root needs a PATH" },
		{ { "--ignore", "a.b,,", "host" }, "--ignore a.b: no such check id" },
		{ { "--only", " , ", "host" }, "--only \" , \": expected check ids" },
	};
	struct run_result r;

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		run_tool(&r, cases[i].args);
		cr_expect_eq(r.status, 2, "%s: exit %d", cases[i].args[0], r.status);
		cr_expect_eq(count_lines(r.err), 1, "%s: %s", cases[i].args[0], r.err);
		cr_expect(strstr(r.err, cases[i].want), "%s: want \"%s\", got: %s",
			  cases[i].args[0], cases[i].want, r.err);
		expect_printable(r.err, cases[i].args[0]);
		run_result_done(&r);
	}
	/* An unambiguous abbreviation is the option. */
	RUN(&r, "--verb", "--root", MACHINE, "--strict", "--ign", "all", "host");
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_result_done(&r);
	RUN(&r, "--color=never", "--root", MACHINE, "host");
	cr_expect_neq(r.status, 2, "%s", r.err);
	cr_expect_null(strstr(r.out, "\033["), "--color=never printed colours");
	run_result_done(&r);
	RUN(&r, "--color", "--root", MACHINE, "host");
	cr_expect(strstr(r.out, "\033["), "--color printed no colours");
	run_result_done(&r);
}

/* An option the verb does not use is a usage error, never ignored. */
Test(cli_options, unused_options_are_usage_errors)
{
	static const char *const cases[][6] = {
		{ "checks", "--record", "/tmp/x" },
		{ "checks", "--root", "/" },
		{ "host", "--bundle", "/tmp" },
		{ "report", "--bundle", "/tmp" },
		{ "host", "--timeout", "1" },
		{ "host", "--state-root", "runc=/run/runc" },
		{ "list", "--strict" },
		{ "list", "--ignore", "cgroup.mode" },
		{ "runtimes", "--only", "cgroup.mode" },
		{ "container", "--all", "runc:x" },
		{ "boot", "--image", "/tmp", "--bundle", "/tmp" },
	};
	struct run_result r;

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		run_tool(&r, cases[i]);
		cr_expect_eq(r.status, 2, "%s %s: exit %d: %s", cases[i][0], cases[i][1], r.status,
			     r.err);
		cr_expect(strstr(r.err, "not an option of"), "%s %s: %s", cases[i][0], cases[i][1],
			  r.err);
		run_result_done(&r);
	}
	RUN(&r, "-o", "junit", "checks");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "`checks` has no junit output"), "%s", r.err);
	run_result_done(&r);
	RUN(&r, "-o", "prometheus", "runtimes");
	cr_expect_eq(r.status, 2);
	run_result_done(&r);
	RUN(&r, "-q", "-j", "--root", MACHINE, "host");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--quiet: only for text output"), "%s", r.err);
	run_result_done(&r);
	RUN(&r, "--state-root", "runc=/nonexistent/sysctr", "list");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--state-root runc=/nonexistent/sysctr: No such file or directory"),
		  "%s", r.err);
	run_result_done(&r);
}

static json_t *run_json(const char *const *args, int want_status)
{
	struct run_result r;
	json_error_t e;
	json_t *doc;

	run_tool(&r, args);
	cr_assert_eq(r.status, want_status, "%s: exit %d: %s", args[0], r.status, r.err);
	doc = json_loads(r.out, 0, &e);
	cr_assert_not_null(doc, "%s: not JSON (%s): %s", args[0], e.text, r.out);
	run_result_done(&r);
	return doc;
}

static size_t n_checks(json_t *doc)
{
	return json_array_size(json_object_get(doc, "checks"));
}

Test(cli_options, ignore_lists_all_and_only)
{
	json_t *all, *doc, *c;
	size_t i, n;

	all = run_json((const char *const[]){ "-j", "--root", MACHINE, "host", NULL }, 0);
	n = n_checks(all);
	cr_assert_gt(n, 10);

	/* A comma list is two patterns; "all" is every check. */
	doc = run_json((const char *const[]){ "-j", "--strict", "--ignore", "cgroup.*, boot.*",
					      "--root", MACHINE, "host", NULL },
		       0);
	json_array_foreach(json_object_get(doc, "checks"), i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));

		cr_expect_eq(json_is_true(json_object_get(c, "ignored")),
			     startswith(id, "cgroup.") || startswith(id, "boot."), "%s", id);
	}
	json_decref(doc);
	doc = run_json((const char *const[]){ "-j", "--strict", "-i", "all", "--root", MACHINE,
					      "host", NULL },
		       0);
	cr_expect_eq(
		json_integer_value(json_object_get(json_object_get(doc, "summary"), "ignored")),
		(json_int_t)n);
	json_decref(doc);

	/* --only drops the others from the report and the summary. */
	doc = run_json((const char *const[]){ "-j", "--only", "cgroup.mode,host.*", "--root",
					      MACHINE, "host", NULL },
		       0);
	cr_expect_gt(n_checks(doc), 1);
	cr_expect_lt(n_checks(doc), n);
	json_array_foreach(json_object_get(doc, "checks"), i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));

		cr_expect(streq(id, "cgroup.mode") || startswith(id, "host."), "%s kept", id);
	}
	json_decref(doc);
	json_decref(all);
}

static char *write_config(const char *dir, const char *text)
{
	char *path = sc_xasprintf("%s/sysctr-check.conf", dir);

	write_file(dir, "sysctr-check.conf", text);
	return path;
}

Test(cli_options, config_file)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *conf = NULL, *env = NULL, *want = NULL;
	struct run_result r;
	json_t *doc, *c;
	size_t i;

	/* This fixture warns: strict from the file makes it exit 1, and the
	 * file's ignores plus the command line's make it 0 again. */
	conf = write_config(dir, "# site defaults\n"
				 "strict = yes\n"
				 "\n"
				 "ignore = cgroup.*\n"
				 "timeout = 5\n");
	env = sc_xasprintf("SYSCTR_CHECK_CONFIG=%s", conf);
	run_tool_env(&r, (const char *const[]){ "--root", MACHINE, "host", NULL },
		     (const char *const[]){ env, NULL });
	cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	run_result_done(&r);
	run_tool_env(&r,
		     (const char *const[]){ "-j", "--root", MACHINE, "-i", "boot.*,host.*", "host",
					    NULL },
		     (const char *const[]){ env, NULL });
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	json_array_foreach(json_object_get(doc, "checks"), i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));

		if (startswith(id, "cgroup."))
			cr_expect(json_is_true(json_object_get(c, "ignored")), "%s not ignored",
				  id);
	}
	json_decref(doc);
	run_result_done(&r);
	/* --config takes precedence over the environment; the file's keys a
	 * verb does not use are no error there. */
	RUN(&r, "--config", conf, "checks");
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_done(&r);

	free(conf);
	conf = write_config(dir, "strict = yes\nfrobnicate = 1\n");
	RUN(&r, "--config", conf, "--root", MACHINE, "host");
	want = sc_xasprintf("%s:2: unknown key \"frobnicate\"", conf);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, want), "%s", r.err);
	run_result_done(&r);
	free(conf);
	conf = write_config(dir, "strict = maybe\n");
	RUN(&r, "--config", conf, "--root", MACHINE, "host");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, ":1: strict: expected yes or no"), "%s", r.err);
	run_result_done(&r);
	free(conf);
	conf = write_config(dir, "ignore = no.such-check\n");
	RUN(&r, "--config", conf, "--root", MACHINE, "host");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, ":1: ignore no.such-check: no such check id"), "%s", r.err);
	run_result_done(&r);

	RUN(&r, "--config", "/nonexistent/sysctr.conf", "--root", MACHINE, "host");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "config /nonexistent/sysctr.conf: No such file"), "%s", r.err);
	run_result_done(&r);
	rm_rf(dir);
}

/* In JSON mode an error is also a document on stdout, with the exit
 * code, valid against the published schema. */
Test(cli_options, json_errors_on_stdout)
{
	static const struct {
		const char *args[6];
		int status;
		const char *message;
	} cases[] = {
		{ { "-j", "frobnicate" }, 2, "unknown command \"frobnicate\"" },
		{ { "--bogus", "--json", "host" }, 2, "unknown option --bogus" },
		{ { "-o", "json", "--root", "/nonexistent/tree", "host" }, 3, "/nonexistent/tree" },
		{ { "-j", "report", "nope:1" }, 2, "invalid target" },
	};
	struct schema_doc docs[ELEMENTSOF(cases)];

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct run_result r;
		json_t *doc, *err;

		run_tool(&r, cases[i].args);
		cr_expect_eq(r.status, cases[i].status, "%s: exit %d", cases[i].args[1], r.status);
		cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
		doc = json_loads(r.out, 0, NULL);
		cr_assert_not_null(doc, "%s %s: stdout is not JSON: %s", cases[i].args[0],
				   cases[i].args[1], r.out);
		err = json_object_get(doc, "error");
		cr_expect_eq(json_integer_value(json_object_get(err, "exit_code")),
			     cases[i].status);
		cr_expect(strstr(json_string_value(json_object_get(err, "message")),
				 cases[i].message),
			  "%s", r.out);
		docs[i] = (struct schema_doc){ cases[i].args[1], doc };
		run_result_done(&r);
	}
	schema_assert_all_valid(docs, ELEMENTSOF(cases));
	for (size_t i = 0; i < ELEMENTSOF(cases); i++)
		json_decref(docs[i].doc);
}

Test(cli_options, version_json)
{
	json_t *doc = run_json((const char *const[]){ "-j", "--version", NULL }, 0);
	json_t *lib;

	cr_expect_str_eq(json_string_value(json_object_get(doc, "version")), SC_VERSION);
	lib = json_object_get(json_object_get(doc, "libraries"), "jansson");

	cr_expect_str_eq(json_string_value(json_object_get(lib, "built")), JANSSON_VERSION);
	cr_expect(json_is_string(json_object_get(doc, "path_confinement")));
	cr_expect(strstr(json_string_value(json_object_get(doc, "schema")),
			 "/sysctr-check.schema.json"));
	json_decref(doc);
}

/* `checks --json` names its own schema, and is valid against it. */
Test(cli_options, checks_json_has_a_schema)
{
	struct run_result r;
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *out = sc_xasprintf("%s/checks.json", dir);
	_cleanup_free_ char *cmd = NULL;
	char *content;

	RUN(&r, "-j", "checks");
	cr_assert_eq(r.status, 0);
	write_file(dir, "stdout.json", r.out);
	run_result_done(&r);
	/* Its "ok: FILE" line is not news in make check's output. */
	cmd = sc_xasprintf(
		"%s %s/tests/schema-validate.py %s/man/sysctr-check-checks.schema.json "
		"%s/stdout.json >%s/validate.out; rc=$?; grep -v '^ok: ' %s/validate.out; "
		"exit $rc",
		SCHEMA_PYTHON, SC_SRCDIR, SC_SRCDIR, dir, dir, dir);
	cr_expect_eq(system(cmd), 0, "checks --json is not valid against its schema");
	/* --output-file works for checks too (it was ignored). */
	RUN(&r, "-j", "--output-file", out, "checks");
	cr_expect_eq(r.status, 0);
	cr_expect_str_empty(r.out);
	content = read_whole_file(out, NULL);
	cr_expect_not_null(content);
	free(content);
	run_result_done(&r);
	rm_rf(dir);
}

/* --record writes the snapshot also when the look-up fails, and the
 * snapshot replays the same error. */
Test(cli_options, record_on_a_failed_lookup)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *snap = sc_xasprintf("%s/snap.json", dir);
	struct run_result r, replay;
	struct stat st;

	RUN(&r, "--record", snap, "container", "runc:sysctr-no-such-container");
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_expect(strstr(r.err, "no container \"runc:sysctr-no-such-container\""), "%s", r.err);
	cr_expect(strstr(r.err, "saved what was read before the error"), "%s", r.err);
	cr_assert_eq(stat(snap, &st), 0, "no snapshot written");
	RUN(&replay, "--root", snap, "container", "runc:sysctr-no-such-container");
	cr_expect_eq(replay.status, 3);
	cr_expect(strstr(replay.err, "no container \"runc:sysctr-no-such-container\""), "%s",
		  replay.err);
	run_result_done(&r);
	run_result_done(&replay);
	rm_rf(dir);
}
