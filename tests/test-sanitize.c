/* SPDX-License-Identifier: MIT */
/* Escaping for the terminal and for JSON: no control character from the
 * model reaches the terminal, valid UTF-8 passes, and no JSON object is
 * lost to bytes that are not UTF-8. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "sanitize.h"
#include "testlib.h"
#include "util.h"

static char *esc(const char *s, bool oneline)
{
	return sc_escape(s, strlen(s), oneline);
}

Test(sanitize, escape_rules)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "\x1b]0;title\x07", "\\x1b]0;title\\x07" },
		{ "\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred" },
		{ "c1 \xc2\x9b x", "c1 \\u009b x" },
		{ "raw \x9b", "raw \\x9b" },
		{ "latin \xe9t\xe9", "latin \\xe9t\\xe9" },
		{ "\xff\xfeinit", "\\xff\\xfeinit" },
		{ "del \x7f", "del \\x7f" },
		{ "utf8 é ✓ 中 \xf0\x9f\x90\xa7", "utf8 é ✓ 中 \xf0\x9f\x90\xa7" },
		{ "overlong \xc0\xaf", "overlong \\xc0\\xaf" },
		{ "surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80" },
		{ "cut \xe2\x9c", "cut \\xe2\\x9c" },
		{ "back\\slash", "back\\slash" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *e = esc(cases[i].in, false);
		cr_expect_str_eq(e, cases[i].out, "case %zu", i);
	}
	_cleanup_free_ char *a = esc("a\nb\tc", false), *b = esc("a\nb\tc", true);
	cr_assert_str_eq(a, "a\nb\\tc", "the stream keeps newlines, never tabs");
	cr_assert_str_eq(b, "a\\nb\\tc", "inside a line, neither");
}

/* The stream escapes whatever it is given, also a UTF-8 sequence or an
 * escape that arrives cut in two writes; colours go around it. */
Test(sanitize, stream)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *raw = open_memstream(&buf, &size), *f;

	cr_assert_not_null(raw);
	f = sc_safe_open(raw);
	cr_assert_not_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	fputs("ok ", f);
	sc_safe_color(f, "\033[31m");
	fputs("\xe2", f); /* ✓ cut after one byte */
	fputs("\x9c\x93", f);
	sc_safe_color(f, "\033[0m");
	fprintf(f, " %s\n", "\x1b]0;pwned\x07 \xff");
	fputs("end \xc3", f); /* cut for good */
	cr_assert_eq(fclose(f), 0);
	fclose(raw);
	cr_assert_str_eq(buf, "ok \033[31m✓\033[0m \\x1b]0;pwned\\x07 \\xff\nend \\xc3");
	free(buf);
}

Test(sanitize, json_strings_keep_their_object)
{
	json_t *o = sc_json_pack(
		"{s:s,s:[s,s],s:{s:i,s:I,s:b,s:o}}", "comm", "\xff\xfeinit", "list", "ok",
		"D\xe9"
		"bian",
		"n", "i", 7, "big", (json_int_t)1 << 40, "t", 1, "null", sc_json_string(NULL));
	_cleanup_free_ char *text = NULL;

	cr_assert_not_null(o, "a non-UTF-8 value no longer fails the pack");
	cr_assert_str_eq(json_string_value(json_object_get(o, "comm")), "\\xff\\xfeinit");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "list"), 1)),
			 "D\\xe9bian");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(o, "n"), "big")),
		     (json_int_t)1 << 40);
	cr_assert(json_is_null(json_object_get(json_object_get(o, "n"), "null")));
	text = json_dumps(o, 0);
	cr_assert_not_null(text);
	json_decref(o);
	/* Valid UTF-8, C1 controls included, is kept as it is. */
	o = sc_json_string("é \xc2\x9b");
	cr_assert_str_eq(json_string_value(o), "é \xc2\x9b");
	json_decref(o);
	/* As json_pack(): a NULL "o" fails the whole pack. */
	cr_assert_null(sc_json_pack("{s:o}", "x", NULL));
}

/* The text output of a snapshot whose files carry escapes and Latin-1:
 * none reaches the terminal, and the JSON still has everything. */
Test(sanitize, cli_on_a_hostile_snapshot)
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
Test(sanitize, json_without_an_inside_view_does_not_leak)
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
