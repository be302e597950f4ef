/* SPDX-License-Identifier: MIT */
/* The JSON skimmer: it must refuse what jansson refuses (but duplicate
 * keys below the top level) and find the members jansson would. */
#include <criterion/criterion.h>
#include <string.h>

#include "json-skim.h"
#include "util.h"

static int skim(const char *text)
{
	_cleanup_free_ struct sc_json_member *m = NULL;

	return sc_json_skim_object(text, strlen(text), &m);
}

Test(json_skim, members)
{
	static const char doc[] = " {\"id\":\"a\\\"b\",\"n\":-1.5e+3,\"o\":{\"x\":[1,{},[]]},"
				  "\"t\":true,\"f\":false,\"z\":null,\"u\":\"\\u00e9\xc3\xa9\"}\n";
	_cleanup_free_ struct sc_json_member *m = NULL;
	const struct sc_json_member *o;
	json_t *v;
	int n;

	n = sc_json_skim_object(doc, strlen(doc), &m);
	cr_assert_eq(n, 7);
	cr_assert_eq(m[0].key_len, 2);
	cr_assert_eq(strncmp(m[1].value, "-1.5e+3", m[1].value_len), 0);
	o = sc_json_member_find(m, (size_t)n, "o");
	cr_assert_not_null(o);
	cr_assert_eq(strncmp(o->value, "{\"x\":[1,{},[]]}", o->value_len), 0);
	cr_assert_null(sc_json_member_find(m, (size_t)n, "x"), "only the top level");
	v = sc_json_member_load(sc_json_member_find(m, (size_t)n, "id"));
	cr_assert_str_eq(json_string_value(v), "a\"b");
	json_decref(v);
	v = sc_json_member_load(sc_json_member_find(m, (size_t)n, "u"));
	cr_assert_str_eq(json_string_value(v), "\xc3\xa9\xc3\xa9");
	json_decref(v);
	cr_assert_eq(skim("{}"), 0);
}

Test(json_skim, refused)
{
	static const char *const bad[] = {
		"",
		"[]",
		"1",
		"{",
		"{\"a\":1,}",
		"{\"a\":1 \"b\":2}",
		"{\"a\"}",
		"{\"a\":}",
		"{a:1}",
		"{\"a\":01}",
		"{\"a\":1.}",
		"{\"a\":-}",
		"{\"a\":1e}",
		"{\"a\":tru}",
		"{\"a\":[1,]}",
		"{\"a\":\"\\x\"}",
		"{\"a\":\"\\u12g4\"}",
		"{\"a\":\"\\u0000\"}",
		"{\"a\":\"\x01\"}",
		"{\"a\":\"\xff\"}",
		"{\"a\":\"\xc3\"}",
		"{\"a\":\"unterminated}",
		"{\"a\":1}x",
		"{\"a\":1}{}",
		"{\"id\":\"x\",\"id\":\"y\"}",
	};

	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		json_t *j = json_loads(bad[i], JSON_REJECT_DUPLICATES, NULL);

		cr_expect(skim(bad[i]) < 0, "accepted: %s", bad[i]);
		/* jansson agrees (the empty text aside, and non-objects). */
		cr_expect(!json_is_object(j), "jansson takes: %s", bad[i]);
		json_decref(j);
	}
}

Test(json_skim, bounds)
{
	/* As deep as jansson's limit, then one more; too many members. */
	size_t depth = 2047;
	char *deep = sc_xcalloc(2 * depth + 16, 1), *p = deep;

	p = stpcpy(p, "{\"a\":");
	for (size_t i = 0; i < depth - 1; i++)
		*p++ = '[';
	for (size_t i = 0; i < depth - 1; i++)
		*p++ = ']';
	strcpy(p, "}");
	cr_expect_eq(skim(deep), 1);
	p = deep;
	p = stpcpy(p, "{\"a\":");
	for (size_t i = 0; i < depth + 1; i++)
		*p++ = '[';
	for (size_t i = 0; i < depth + 1; i++)
		*p++ = ']';
	strcpy(p, "}");
	cr_expect_lt(skim(deep), 0);
	free(deep);

	{
		struct sc_strv_builder b = {};
		_cleanup_strv_free_ char **l = NULL;
		_cleanup_free_ char *body = NULL, *doc = NULL;

		for (int i = 0; i < 1025; i++)
			sc_strv_builder_consume(&b, sc_xasprintf("\"k%d\":%d", i, i));
		l = sc_strv_builder_take(&b);
		body = sc_strv_join(l, ",");
		doc = sc_xasprintf("{%s}", body);
		cr_expect_lt(skim(doc), 0, "1025 members");
	}
}
