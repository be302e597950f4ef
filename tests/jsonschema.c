/* SPDX-License-Identifier: MIT */
/* Strict JSON Schema (draft 2020-12 subset) checking and validation for the
 * tests: keyword table, schema lint, $ref resolution and the instance walk. */
/* The Makefile defines it; a standalone build needs it for vasprintf(),
 * reallocarray() and uselocale(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema.h"

/* Bounds every recursion here (schema nesting, in-place $ref chains and
 * instance depth), so hostile or broken input yields an error, never a
 * stack overflow. The tool's output is a few levels deep. */
#define MAX_DEPTH 512
/* Values quoted in messages are cut here to keep messages readable. */
#define DUMP_MAX 80

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

/* Grows a (pointer, count, capacity) array so one more element fits. */
#define GROW(arr, n, cap)                                                    \
	do {                                                                 \
		if ((n) >= (cap)) {                                          \
			(cap) = (cap) ? (cap)*2 : 16;                        \
			(arr) = xreallocarray((arr), (cap), sizeof(*(arr))); \
		}                                                            \
	} while (0)

static _Noreturn void oom(void)
{
	fputs("jsonschema: out of memory\n", stderr);
	abort();
}

static void *xreallocarray(void *p, size_t n, size_t m)
{
	p = reallocarray(p, n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

static char *xstrdup(const char *s)
{
	char *r = strdup(s);

	if (!r)
		oom();
	return r;
}

static _printf_(1, 0) char *xvasprintf(const char *fmt, va_list ap)
{
	char *r;

	if (vasprintf(&r, fmt, ap) < 0)
		oom();
	return r;
}

static _printf_(1, 2) char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r;

	va_start(ap, fmt);
	r = xvasprintf(fmt, ap);
	va_end(ap);
	return r;
}

static void freep(void *p)
{
	free(*(void **)p);
}

static bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* A growable string; used for JSON pointers, which are pushed and popped
 * as the walks descend, and for assembling messages. */
struct strbuf {
	char *buf;
	size_t len, cap;
};

static void sb_append(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		sb->cap = (sb->len + n + 1) * 2;
		sb->buf = xreallocarray(sb->buf, sb->cap, 1);
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static void sb_puts(struct strbuf *sb, const char *s)
{
	sb_append(sb, s, strlen(s));
}

static const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

/* Appends one reference token, escaped as RFC 6901 requires. Returns the
 * previous length for ptr_pop(). */
static size_t ptr_push_key(struct strbuf *sb, const char *key)
{
	size_t old = sb->len;

	sb_append(sb, "/", 1);
	for (const char *k = key; *k; k++) {
		if (*k == '~')
			sb_append(sb, "~0", 2);
		else if (*k == '/')
			sb_append(sb, "~1", 2);
		else
			sb_append(sb, k, 1);
	}
	return old;
}

static size_t ptr_push_index(struct strbuf *sb, size_t i)
{
	size_t old = sb->len;
	char b[32];
	int n = snprintf(b, sizeof(b), "/%zu", i);

	sb_append(sb, b, (size_t)n);
	return old;
}

static void ptr_pop(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->buf)
		sb->buf[len] = '\0';
}

/* Instance keys and schema keywords may contain control characters; the
 * promise is a one-line message, so they are escaped at the very end. */
static char *one_line(const char *s)
{
	struct strbuf sb = {};

	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch == 0x7f) {
			char b[8];

			snprintf(b, sizeof(b), "\\x%02x", ch);
			sb_puts(&sb, b);
		} else {
			sb_append(&sb, p, 1);
		}
	}
	return sb.buf ? sb.buf : xstrdup("");
}

static const char *instance_ptr(const char *ptr)
{
	/* The empty pointer would read as a missing location. */
	return ptr && *ptr ? ptr : "(root)";
}

/* Compact JSON of a value for messages, cut at a character boundary. */
static char *dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
	size_t cut;

	if (!s)
		oom();
	if (strlen(s) <= DUMP_MAX)
		return s;
	cut = DUMP_MAX - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	memcpy(s + cut, "...", 4);
	return s;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
	default:
		return "null";
	}
}

/* floor() without libm, so the file links with just jansson: every double
 * of magnitude 2^52 or more is integral already. */
static double floor_(double d)
{
	double t;

	if (d >= 0x1p52 || d <= -0x1p52)
		return d;
	t = (double)(long long)d;
	return t > d ? t - 1 : t;
}

/* JSON Schema counts 1.0 as an integer: numbers are compared by value,
 * not by their spelling. */
static bool is_integer(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		return true;
	if (!json_is_real(v))
		return false;
	d = json_real_value(v);
	return d == floor_(d);
}

/* Exact comparison of an integer with a real: converting integers beyond
 * 2^53 to double would round them and make e.g. maximum off by one. */
static int int_real_cmp(json_int_t i, double d)
{
	double f = floor_(d);
	json_int_t fi;

	if (f >= 0x1p63)
		return -1;
	if (f < -0x1p63)
		return 1;
	fi = (json_int_t)f;
	if (i != fi)
		return i < fi ? -1 : 1;
	return d > f ? -1 : 0;
}

static int num_cmp(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);

		return (x > y) - (x < y);
	}
	if (json_is_integer(a))
		return int_real_cmp(json_integer_value(a), json_real_value(b));
	if (json_is_integer(b))
		return -int_real_cmp(json_integer_value(b), json_real_value(a));
	return (json_real_value(a) > json_real_value(b)) -
	       (json_real_value(a) < json_real_value(b));
}

/* Equality as enum, const and uniqueItems define it; json_equal() would
 * tell 1 and 1.0 apart. Recursion is bounded by the depth of the values,
 * which jansson's parser limits. */
static bool value_equal(json_t *a, json_t *b)
{
	const char *key;
	json_t *va;
	size_t i;

	if (json_is_number(a) && json_is_number(b))
		return num_cmp(a, b) == 0;
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) ==
			       0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		json_array_foreach(a, i,
				   va) if (!value_equal(va, json_array_get(b, i))) return false;
		return true;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach(a, key, va)
		{
			json_t *vb = json_object_get(b, key);

			if (!vb || !value_equal(va, vb))
				return false;
		}
		return true;
	default:
		return true;
	}
}

/* Schema counts such as minLength: checking guarantees a non-negative
 * integer, perhaps spelt 2.0; absurdly large reals saturate. */
static uint64_t count_value(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		return json_integer_value(v) < 0 ? 0 : (uint64_t)json_integer_value(v);
	d = json_number_value(v);
	if (d >= 0x1p64)
		return UINT64_MAX;
	return d <= 0 ? 0 : (uint64_t)d;
}

/* maxLength and minLength count code points; jansson guarantees valid
 * UTF-8, so counting non-continuation bytes is enough. */
static size_t utf8_length(const json_t *s)
{
	const char *p = json_string_value(s);
	size_t n = json_string_length(s), cps = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			cps++;
	return cps;
}

static const char *const type_names[] = {
	"null", "boolean", "object", "array", "number", "string", "integer",
};

static bool type_matches(const char *t, const json_t *v)
{
	if (streq(t, "null"))
		return json_is_null(v);
	if (streq(t, "boolean"))
		return json_is_boolean(v);
	if (streq(t, "object"))
		return json_is_object(v);
	if (streq(t, "array"))
		return json_is_array(v);
	if (streq(t, "number"))
		return json_is_number(v);
	if (streq(t, "string"))
		return json_is_string(v);
	if (streq(t, "integer"))
		return is_integer(v);
	return false;
}

/* Regular expressions run in C.UTF-8 so that "." and bracket expressions
 * match code points, as in JSON Schema, whatever the process locale is;
 * uselocale() keeps the switch private to this thread. Without C.UTF-8
 * (loc == 0) the current locale is used. */
static locale_t utf8_locale(void)
{
	return newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
}

static int regex_compile(locale_t loc, regex_t *re, const char *pattern, char **ret_msg)
{
	locale_t old = loc ? uselocale(loc) : (locale_t)0;
	int r = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

	if (loc)
		uselocale(old);
	if (r != 0) {
		char buf[256];

		regerror(r, re, buf, sizeof(buf));
		*ret_msg = xstrdup(buf);
		return -EINVAL;
	}
	return 0;
}

/* Unanchored search, as "pattern" is defined; REG_STARTEND lets strings
 * with embedded NULs be searched in full. */
static bool regex_search(locale_t loc, const regex_t *re, const char *s, size_t n)
{
	regmatch_t m = { .rm_so = 0, .rm_eo = (regoff_t)n };
	locale_t old = loc ? uselocale(loc) : (locale_t)0;
	int r = regexec(re, s, 1, &m, REG_STARTEND);

	if (loc)
		uselocale(old);
	return r == 0;
}

/* POSIX ERE and ECMA-262 (JSON Schema's dialect) share anchors, classes,
 * bounds and alternation but not escapes: glibc reads \d as a plain "d"
 * and a backslash in brackets as itself. Such a pattern would check
 * something its author did not mean, so it is refused. Returns NULL or an
 * allocated explanation. */
static char *regex_lint(const char *p)
{
	bool in_bracket = false;

	for (size_t i = 0; p[i]; i++) {
		if (in_bracket) {
			if (p[i] == '\\')
				return xstrdup("a backslash in a bracket expression is a literal "
					       "backslash in POSIX ERE");
			if (p[i] == '[' && p[i + 1] && strchr(":.=", p[i + 1])) {
				char close[3] = { p[i + 1], ']', '\0' };
				const char *end = strstr(p + i + 2, close);

				if (!end)
					return NULL; /* regcomp() reports it */
				i = (size_t)(end - p) + 1;
				continue;
			}
			if (p[i] == ']')
				in_bracket = false;
			continue;
		}
		if (p[i] == '[') {
			in_bracket = true;
			/* A leading "]" (after an optional "^") is literal. */
			if (p[i + 1] == '^')
				i++;
			if (p[i + 1] == ']')
				i++;
			continue;
		}
		if (p[i] == '(' && p[i + 1] == '?')
			return xstrdup("\"(?\" groups are ECMA-262 syntax, not POSIX ERE");
		if (p[i] == '\\' && p[i + 1]) {
			if (strchr("dDpPuxcfnrtvk0123456789", p[i + 1]))
				return xasprintf("\\%c is not POSIX ERE (use a bracket expression "
						 "such as [0-9] or a literal character)",
						 p[i + 1]);
			i++;
		}
	}
	return NULL;
}

/*
 * Keyword table: what sc_schema_check() accepts and how each value must
 * look. Anything else is an error, so a schema can never promise a
 * constraint that is silently not checked.
 */
enum kw_kind {
	KW_STRING, /* annotation whose value must be a string */
	KW_ANY,	   /* default, const */
	KW_ARRAY,  /* examples */
	KW_ENUM,   /* non-empty array */
	KW_SCHEMA,
	KW_SCHEMA_ARRAY, /* non-empty array of schemas */
	KW_SCHEMA_MAP,	 /* object of schemas */
	KW_PATTERN_MAP,	 /* object of schemas keyed by regular expressions */
	KW_COUNT,	 /* non-negative integer */
	KW_NUMBER,
	KW_BOOL,
	KW_NAMES, /* array of unique strings */
	KW_TYPE,
	KW_PATTERN,
	KW_REF,
	KW_DIALECT, /* $schema */
	KW_ID,
};

struct keyword {
	const char *name;
	enum kw_kind kind;
	/* Applies its subschemas to the same instance location: a cycle
	 * through such keywords and $ref never terminates. */
	bool in_place;
};

static const struct keyword keywords[] = {
	{ "$schema", KW_DIALECT, false },
	{ "$id", KW_ID, false },
	{ "$comment", KW_STRING, false },
	{ "title", KW_STRING, false },
	{ "description", KW_STRING, false },
	{ "format", KW_STRING, false },
	{ "examples", KW_ARRAY, false },
	{ "default", KW_ANY, false },
	{ "$defs", KW_SCHEMA_MAP, false },
	{ "definitions", KW_SCHEMA_MAP, false },
	{ "$ref", KW_REF, true },
	{ "type", KW_TYPE, false },
	{ "enum", KW_ENUM, false },
	{ "const", KW_ANY, false },
	{ "properties", KW_SCHEMA_MAP, false },
	{ "required", KW_NAMES, false },
	{ "additionalProperties", KW_SCHEMA, false },
	{ "patternProperties", KW_PATTERN_MAP, false },
	{ "propertyNames", KW_SCHEMA, false },
	{ "minProperties", KW_COUNT, false },
	{ "maxProperties", KW_COUNT, false },
	{ "items", KW_SCHEMA, false },
	{ "prefixItems", KW_SCHEMA_ARRAY, false },
	{ "minItems", KW_COUNT, false },
	{ "maxItems", KW_COUNT, false },
	{ "uniqueItems", KW_BOOL, false },
	{ "minimum", KW_NUMBER, false },
	{ "maximum", KW_NUMBER, false },
	{ "exclusiveMinimum", KW_NUMBER, false },
	{ "exclusiveMaximum", KW_NUMBER, false },
	{ "minLength", KW_COUNT, false },
	{ "maxLength", KW_COUNT, false },
	{ "pattern", KW_PATTERN, false },
	{ "allOf", KW_SCHEMA_ARRAY, true },
	{ "anyOf", KW_SCHEMA_ARRAY, true },
	{ "oneOf", KW_SCHEMA_ARRAY, true },
	{ "not", KW_SCHEMA, true },
	{ "if", KW_SCHEMA, true },
	{ "then", KW_SCHEMA, true },
	{ "else", KW_SCHEMA, true },
};

/* Dialects whose meaning of the supported keywords matches what is
 * implemented here. (Draft-07 ignores siblings of $ref; applying them
 * only makes validation stricter, never looser.) */
static const char *const dialects[] = {
	"json-schema.org/draft/2020-12/schema",
	"json-schema.org/draft/2019-09/schema",
	"json-schema.org/draft-07/schema",
};

static const struct keyword *find_keyword(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(keywords); i++)
		if (streq(keywords[i].name, name))
			return &keywords[i];
	return NULL;
}

static bool dialect_supported(const char *uri)
{
	size_t n;

	if (!strncmp(uri, "https://", 8))
		uri += 8;
	else if (!strncmp(uri, "http://", 7))
		uri += 7;
	else
		return false;
	n = strlen(uri);
	if (n > 0 && uri[n - 1] == '#')
		n--;
	for (size_t i = 0; i < ELEMENTSOF(dialects); i++)
		if (strlen(dialects[i]) == n && !strncmp(dialects[i], uri, n))
			return true;
	return false;
}

/*
 * Schema checking. The walk records every schema position by its JSON
 * pointer, so a $ref is valid exactly when its fragment names one of them
 * (a pointer into "enum" or "properties" itself is not a schema), and the
 * in-place edges between positions, to find $ref cycles that would loop
 * without ever descending into the instance.
 */
struct node {
	char *path;
	json_t *schema;
};

struct edge {
	size_t from, to;
};

struct ref {
	size_t from;
	const char *target;
	char *where;
};

struct check_ctx {
	locale_t loc;
	struct strbuf path;
	struct node *nodes;
	size_t n_nodes, cap_nodes;
	struct edge *edges;
	size_t n_edges, cap_edges;
	struct ref *refs;
	size_t n_refs, cap_refs;
	char *error;
};

static _printf_(3, 0) int check_vfail_at(struct check_ctx *c, const char *where, const char *fmt,
					 va_list ap)
{
	_cleanup_free_ char *msg = NULL;

	if (c->error)
		return -EINVAL;
	msg = xvasprintf(fmt, ap);
	c->error = xasprintf("schema #%s: %s", where, msg);
	return -EINVAL;
}

static _printf_(3, 4) int check_fail_at(struct check_ctx *c, const char *where, const char *fmt,
					...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = check_vfail_at(c, where, fmt, ap);
	va_end(ap);
	return r;
}

static _printf_(2, 3) int check_fail(struct check_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = check_vfail_at(c, sb_str(&c->path), fmt, ap);
	va_end(ap);
	return r;
}

static void add_edge(struct check_ctx *c, size_t from, size_t to)
{
	GROW(c->edges, c->n_edges, c->cap_edges);
	c->edges[c->n_edges++] = (struct edge){ from, to };
}

static int check_regex(struct check_ctx *c, const char *pattern)
{
	_cleanup_free_ char *msg = regex_lint(pattern);
	regex_t re;

	if (msg)
		return check_fail(c, "pattern \"%s\": %s", pattern, msg);
	if (regex_compile(c->loc, &re, pattern, &msg) < 0)
		return check_fail(c, "invalid regular expression \"%s\": %s", pattern, msg);
	regfree(&re);
	return 0;
}

static int check_schema(struct check_ctx *c, json_t *s, unsigned depth, size_t *ret_idx);

/* Checks the subschema that is the value of the current keyword and
 * records an in-place edge to it if the keyword is an applicator. */
static int check_child(struct check_ctx *c, json_t *child, size_t parent, bool in_place,
		       unsigned depth)
{
	size_t idx;
	int r;

	r = check_schema(c, child, depth + 1, &idx);
	if (r < 0)
		return r;
	if (in_place)
		add_edge(c, parent, idx);
	return 0;
}

static int check_type(struct check_ctx *c, json_t *v)
{
	json_t *e;
	size_t i, j;

	if (json_is_string(v)) {
		for (i = 0; i < ELEMENTSOF(type_names); i++)
			if (streq(type_names[i], json_string_value(v)))
				return 0;
		return check_fail(c, "unknown type \"%s\"", json_string_value(v));
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		return check_fail(c, "must be a type name or a non-empty array of them");
	json_array_foreach(v, i, e)
	{
		int r;

		if (!json_is_string(e))
			return check_fail(c, "must be a type name or a non-empty array of them");
		r = check_type(c, e);
		if (r < 0)
			return r;
		for (j = 0; j < i; j++)
			if (value_equal(e, json_array_get(v, j)))
				return check_fail(c, "lists \"%s\" twice", json_string_value(e));
	}
	return 0;
}

static int check_keyword(struct check_ctx *c, json_t *s, const struct keyword *kw, json_t *v,
			 size_t idx, unsigned depth)
{
	const char *key;
	json_t *e;
	size_t i, j;
	int r;

	switch (kw->kind) {
	case KW_STRING:
		if (!json_is_string(v))
			return check_fail(c, "must be a string, not %s", json_kind(v));
		return 0;
	case KW_DIALECT:
		/* A nested $schema would switch dialects mid-document. */
		if (depth > 0)
			return check_fail(c, "$schema is only supported in the root schema");
		if (!json_is_string(v) || !dialect_supported(json_string_value(v))) {
			_cleanup_free_ char *d = dump(v);

			return check_fail(c, "unsupported dialect %s (draft 2020-12 is)", d);
		}
		return 0;
	case KW_ID:
		/* A nested $id would change what "#/..." refers to below it,
		 * which the local-only resolver does not model. */
		if (depth > 0)
			return check_fail(c, "$id is only supported in the root schema");
		if (!json_is_string(v))
			return check_fail(c, "must be a string, not %s", json_kind(v));
		return 0;
	case KW_ANY:
		return 0;
	case KW_ARRAY:
		if (!json_is_array(v))
			return check_fail(c, "must be an array, not %s", json_kind(v));
		return 0;
	case KW_ENUM:
		/* An empty enum rejects everything: surely a mistake. */
		if (!json_is_array(v) || json_array_size(v) == 0)
			return check_fail(c, "must be a non-empty array");
		return 0;
	case KW_SCHEMA:
		/* then/else without if never apply: a silent no-op. */
		if ((streq(kw->name, "then") || streq(kw->name, "else")) &&
		    !json_object_get(s, "if"))
			return check_fail(c, "%s without if has no effect", kw->name);
		/* The array form of items is the pre-2020 tuple syntax. */
		if (streq(kw->name, "items") && json_is_array(v))
			return check_fail(c, "must be a schema; tuples use prefixItems");
		return check_child(c, v, idx, kw->in_place, depth);
	case KW_SCHEMA_ARRAY:
		if (!json_is_array(v) || json_array_size(v) == 0)
			return check_fail(c, "must be a non-empty array of schemas");
		json_array_foreach(v, i, e)
		{
			size_t saved = ptr_push_index(&c->path, i);

			r = check_schema(c, e, depth + 1, &j);
			ptr_pop(&c->path, saved);
			if (r < 0)
				return r;
			if (kw->in_place)
				add_edge(c, idx, j);
		}
		return 0;
	case KW_SCHEMA_MAP:
	case KW_PATTERN_MAP:
		if (!json_is_object(v))
			return check_fail(c, "must be an object of schemas, not %s", json_kind(v));
		json_object_foreach(v, key, e)
		{
			size_t saved = ptr_push_key(&c->path, key);

			r = kw->kind == KW_PATTERN_MAP ? check_regex(c, key) : 0;
			if (r >= 0)
				r = check_schema(c, e, depth + 1, &j);
			ptr_pop(&c->path, saved);
			if (r < 0)
				return r;
		}
		return 0;
	case KW_COUNT:
		if (!is_integer(v) || json_number_value(v) < 0)
			return check_fail(c, "must be a non-negative integer");
		return 0;
	case KW_NUMBER:
		if (!json_is_number(v))
			return check_fail(c, "must be a number, not %s", json_kind(v));
		return 0;
	case KW_BOOL:
		if (!json_is_boolean(v))
			return check_fail(c, "must be a boolean, not %s", json_kind(v));
		return 0;
	case KW_NAMES:
		if (!json_is_array(v))
			return check_fail(c, "must be an array of strings");
		json_array_foreach(v, i, e)
		{
			if (!json_is_string(e))
				return check_fail(c, "must be an array of strings");
			for (j = 0; j < i; j++)
				if (value_equal(e, json_array_get(v, j)))
					return check_fail(c, "lists \"%s\" twice",
							  json_string_value(e));
		}
		return 0;
	case KW_TYPE:
		return check_type(c, v);
	case KW_PATTERN:
		if (!json_is_string(v))
			return check_fail(c, "must be a string, not %s", json_kind(v));
		return check_regex(c, json_string_value(v));
	case KW_REF:
		if (!json_is_string(v))
			return check_fail(c, "must be a string, not %s", json_kind(v));
		if (json_string_value(v)[0] != '#' ||
		    (json_string_value(v)[1] && json_string_value(v)[1] != '/'))
			return check_fail(c,
					  "only local JSON pointer references (\"#\" or \"#/...\") "
					  "are supported, not \"%s\"",
					  json_string_value(v));
		GROW(c->refs, c->n_refs, c->cap_refs);
		c->refs[c->n_refs++] = (struct ref){
			.from = idx,
			.target = json_string_value(v),
			.where = xstrdup(sb_str(&c->path)),
		};
		return 0;
	}
	return check_fail(c, "internal error: unhandled keyword");
}

static int check_schema(struct check_ctx *c, json_t *s, unsigned depth, size_t *ret_idx)
{
	const char *key;
	json_t *v;
	size_t idx;

	if (depth > MAX_DEPTH)
		return check_fail(c, "schema nested more than %d levels deep", MAX_DEPTH);
	if (!json_is_object(s) && !json_is_boolean(s))
		return check_fail(c, "a schema must be an object or a boolean, not %s",
				  json_kind(s));
	GROW(c->nodes, c->n_nodes, c->cap_nodes);
	idx = c->n_nodes++;
	c->nodes[idx] = (struct node){ xstrdup(sb_str(&c->path)), s };
	*ret_idx = idx;

	json_object_foreach(s, key, v)
	{
		const struct keyword *kw = find_keyword(key);
		size_t saved;
		int r;

		if (!kw)
			return check_fail(c, "unsupported keyword %s", key);
		saved = ptr_push_key(&c->path, key);
		r = check_keyword(c, s, kw, v, idx, depth);
		ptr_pop(&c->path, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

enum { WHITE, GREY, BLACK };

struct graph {
	size_t *off; /* edges of node v: adj[off[v]] .. adj[off[v + 1] - 1] */
	size_t *adj;
	unsigned char *color;
	size_t *stack;
};

static int cycle_report(struct check_ctx *c, const struct graph *g, size_t depth, size_t w)
{
	struct strbuf sb = {};
	size_t start = depth;
	int r;

	while (g->stack[start] != w)
		start--;
	for (size_t k = start; k <= depth; k++) {
		sb_puts(&sb, "#");
		sb_puts(&sb, c->nodes[g->stack[k]].path);
		sb_puts(&sb, " -> ");
	}
	sb_puts(&sb, "#");
	sb_puts(&sb, c->nodes[w].path);
	r = check_fail_at(c, c->nodes[w].path,
			  "$ref cycle that never descends into the instance: %s", sb.buf);
	free(sb.buf);
	return r;
}

static int find_cycle(struct check_ctx *c, struct graph *g, size_t v, size_t depth)
{
	if (depth >= MAX_DEPTH)
		return check_fail_at(
			c, c->nodes[v].path,
			"chain of $ref and in-place applicators longer than %d schemas", MAX_DEPTH);
	g->color[v] = GREY;
	g->stack[depth] = v;
	for (size_t e = g->off[v]; e < g->off[v + 1]; e++) {
		size_t w = g->adj[e];
		int r;

		if (g->color[w] == GREY)
			return cycle_report(c, g, depth, w);
		if (g->color[w] == WHITE) {
			r = find_cycle(c, g, w, depth + 1);
			if (r < 0)
				return r;
		}
	}
	g->color[v] = BLACK;
	return 0;
}

static int check_cycles(struct check_ctx *c)
{
	size_t n = c->n_nodes;
	struct graph g = {
		.off = xreallocarray(NULL, n + 1, sizeof(size_t)),
		.adj = xreallocarray(NULL, c->n_edges, sizeof(size_t)),
		.color = xreallocarray(NULL, n, 1),
		.stack = xreallocarray(NULL, MAX_DEPTH, sizeof(size_t)),
	};
	int r = 0;

	/* Adjacency lists by counting sort on the source node. */
	memset(g.off, 0, (n + 1) * sizeof(size_t));
	for (size_t e = 0; e < c->n_edges; e++)
		g.off[c->edges[e].from + 1]++;
	for (size_t v = 0; v < n; v++)
		g.off[v + 1] += g.off[v];
	for (size_t e = 0; e < c->n_edges; e++)
		g.adj[g.off[c->edges[e].from]++] = c->edges[e].to;
	/* The fill advanced each start to the next one's; shift back. */
	for (size_t v = n; v > 0; v--)
		g.off[v] = g.off[v - 1];
	g.off[0] = 0;

	memset(g.color, WHITE, n);
	for (size_t v = 0; v < n && r >= 0; v++)
		if (g.color[v] == WHITE)
			r = find_cycle(c, &g, v, 0);

	free(g.off);
	free(g.adj);
	free(g.color);
	free(g.stack);
	return r;
}

static int check_refs(struct check_ctx *c)
{
	for (size_t i = 0; i < c->n_refs; i++) {
		const struct ref *ref = &c->refs[i];
		size_t t;

		/* Recorded paths are canonical pointers, so the fragment
		 * must match one literally. */
		for (t = 0; t < c->n_nodes; t++)
			if (streq(c->nodes[t].path, ref->target + 1))
				break;
		if (t == c->n_nodes)
			return check_fail_at(c, ref->where,
					     "$ref \"%s\" does not resolve to a schema",
					     ref->target);
		add_edge(c, ref->from, t);
	}
	return check_cycles(c);
}

static void check_ctx_done(struct check_ctx *c)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		free(c->nodes[i].path);
	for (size_t i = 0; i < c->n_refs; i++)
		free(c->refs[i].where);
	free(c->nodes);
	free(c->edges);
	free(c->refs);
	free(c->path.buf);
	free(c->error);
	if (c->loc)
		freelocale(c->loc);
}

int sc_schema_check(json_t *schema, char **ret_error)
{
	struct check_ctx c = { .loc = utf8_locale() };
	size_t root;
	int r;

	if (ret_error)
		*ret_error = NULL;
	if (!schema) {
		if (ret_error)
			*ret_error = xstrdup("schema #: no schema");
		check_ctx_done(&c);
		return -EINVAL;
	}
	r = check_schema(&c, schema, 0, &root);
	if (r >= 0)
		r = check_refs(&c);
	if (r < 0 && ret_error)
		*ret_error = one_line(c.error ? c.error : "schema #: invalid");
	check_ctx_done(&c);
	return r < 0 ? r : 0;
}

/*
 * Validation. The schema has been checked, so keyword values have the
 * right shapes and every $ref resolves. Validation stops at the first
 * failure, which is kept as (instance pointer, message).
 */
struct cached_regex {
	const char *pattern; /* owned by the schema, stable during a call */
	regex_t re;
};

struct failure {
	char *ptr;
	char *msg;
};

struct validate_ctx {
	json_t *root;
	locale_t loc;
	struct strbuf path;
	unsigned depth;
	struct cached_regex *regexes;
	size_t n_regexes, cap_regexes;
	struct failure failure; /* all NULL until something fails */
};

static void failure_done(struct failure *f)
{
	free(f->ptr);
	free(f->msg);
	*f = (struct failure){};
}

static _printf_(3, 4) int vfail(struct validate_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	if (c->failure.msg)
		return code;
	va_start(ap, fmt);
	c->failure.msg = xvasprintf(fmt, ap);
	va_end(ap);
	c->failure.ptr = xstrdup(sb_str(&c->path));
	return code;
}

static const regex_t *get_regex(struct validate_ctx *c, const char *pattern)
{
	_cleanup_free_ char *msg = NULL;
	struct cached_regex *cr;

	for (size_t i = 0; i < c->n_regexes; i++)
		if (c->regexes[i].pattern == pattern)
			return &c->regexes[i].re;
	GROW(c->regexes, c->n_regexes, c->cap_regexes);
	cr = &c->regexes[c->n_regexes];
	if (regex_compile(c->loc, &cr->re, pattern, &msg) < 0)
		return NULL;
	cr->pattern = pattern;
	c->n_regexes++;
	return &cr->re;
}

static json_t *resolve_ref(json_t *root, const char *ref)
{
	const char *p = ref + 1;
	json_t *cur = root;

	if (ref[0] != '#')
		return NULL;
	while (*p) {
		struct strbuf tok = {};
		size_t n;

		if (*p != '/')
			return NULL;
		p++;
		n = strcspn(p, "/");
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
				sb_append(&tok, p[i + 1] == '0' ? "~" : "/", 1);
				i++;
			} else {
				sb_append(&tok, p + i, 1);
			}
		}
		if (json_is_object(cur)) {
			cur = json_object_get(cur, sb_str(&tok));
		} else if (json_is_array(cur)) {
			const char *t = sb_str(&tok);
			char *end;
			unsigned long long i;

			errno = 0;
			i = strtoull(t, &end, 10);
			if (!*t || *end || errno || (t[0] == '0' && t[1]))
				cur = NULL;
			else
				cur = json_array_get(cur, (size_t)i);
		} else {
			cur = NULL;
		}
		free(tok.buf);
		if (!cur)
			return NULL;
		p += n;
	}
	return cur;
}

static int validate_schema(struct validate_ctx *c, json_t *s, json_t *inst);

/* Runs a subschema whose failure does not (yet) fail the whole
 * validation, such as an anyOf branch. Returns 1 if valid, 0 if not (the
 * failure moved to *f, if given), or a negative hard error (schema
 * problem, depth limit), which must not be mistaken for a mismatch. */
static int try_schema(struct validate_ctx *c, json_t *s, json_t *inst, struct failure *f)
{
	int r = validate_schema(c, s, inst);

	if (r == 0)
		return 1;
	if (r != -EBADMSG)
		return r;
	if (f)
		*f = c->failure;
	else
		failure_done(&c->failure);
	c->failure = (struct failure){};
	return 0;
}

static int validate_at_key(struct validate_ctx *c, json_t *s, json_t *inst, const char *key)
{
	size_t saved = ptr_push_key(&c->path, key);
	int r = validate_schema(c, s, inst);

	ptr_pop(&c->path, saved);
	return r;
}

static int validate_at_index(struct validate_ctx *c, json_t *s, json_t *inst, size_t i)
{
	size_t saved = ptr_push_index(&c->path, i);
	int r = validate_schema(c, s, inst);

	ptr_pop(&c->path, saved);
	return r;
}

static int v_type(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *t = json_object_get(s, "type"), *e;
	_cleanup_free_ char *di = NULL, *dt = NULL;
	size_t i;

	if (!t)
		return 0;
	if (json_is_string(t) && type_matches(json_string_value(t), inst))
		return 0;
	json_array_foreach(t, i, e) if (type_matches(json_string_value(e), inst)) return 0;
	di = dump(inst);
	dt = dump(t);
	return vfail(c, -EBADMSG, "%s is not of type %s", di, dt);
}

static int v_enum(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *en = json_object_get(s, "enum"), *e;
	_cleanup_free_ char *di = NULL, *de = NULL;
	size_t i;

	if (!en)
		return 0;
	json_array_foreach(en, i, e) if (value_equal(inst, e)) return 0;
	di = dump(inst);
	de = dump(en);
	return vfail(c, -EBADMSG, "%s is not one of the enum values %s", di, de);
}

static int v_const(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *k = json_object_get(s, "const");
	_cleanup_free_ char *di = NULL, *dk = NULL;

	if (!k || value_equal(inst, k))
		return 0;
	di = dump(inst);
	dk = dump(k);
	return vfail(c, -EBADMSG, "%s is not equal to the const value %s", di, dk);
}

static int v_property_names(struct validate_ctx *c, json_t *pn, json_t *inst)
{
	const char *key;
	json_t *v;

	json_object_foreach(inst, key, v)
	{
		json_t *name = json_stringn(key, strlen(key));
		struct failure f = {};
		size_t saved;
		int r;

		if (!name)
			oom();
		saved = ptr_push_key(&c->path, key);
		r = try_schema(c, pn, name, &f);
		if (r == 0) {
			_cleanup_free_ char *d = dump(name);

			r = vfail(c, -EBADMSG, "property name %s does not match propertyNames: %s",
				  d, f.msg);
		}
		ptr_pop(&c->path, saved);
		failure_done(&f);
		json_decref(name);
		if (r < 0)
			return r;
	}
	return 0;
}

static int v_object(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *req = json_object_get(s, "required");
	json_t *props = json_object_get(s, "properties");
	json_t *pprops = json_object_get(s, "patternProperties");
	json_t *addl = json_object_get(s, "additionalProperties");
	json_t *pn = json_object_get(s, "propertyNames");
	json_t *lim, *sub, *v;
	const char *key;
	size_t i;
	int r;

	if (!json_is_object(inst))
		return 0;

	json_array_foreach(req, i, v) if (!json_object_get(inst, json_string_value(v)))
	{
		_cleanup_free_ char *d = dump(v);

		return vfail(c, -EBADMSG, "required property %s is missing", d);
	}
	lim = json_object_get(s, "minProperties");
	if (lim && json_object_size(inst) < count_value(lim))
		return vfail(c, -EBADMSG,
			     "object has %zu properties, fewer than minProperties %" PRIu64,
			     json_object_size(inst), count_value(lim));
	lim = json_object_get(s, "maxProperties");
	if (lim && json_object_size(inst) > count_value(lim))
		return vfail(c, -EBADMSG,
			     "object has %zu properties, more than maxProperties %" PRIu64,
			     json_object_size(inst), count_value(lim));

	json_object_foreach(props, key, sub)
	{
		v = json_object_get(inst, key);
		if (!v)
			continue;
		r = validate_at_key(c, sub, v, key);
		if (r < 0)
			return r;
	}

	if (pprops || addl) {
		json_object_foreach(inst, key, v)
		{
			bool matched = json_object_get(props, key);
			const char *pattern;

			json_object_foreach(pprops, pattern, sub)
			{
				const regex_t *re = get_regex(c, pattern);

				if (!re)
					return vfail(c, -EINVAL, "invalid pattern \"%s\"", pattern);
				if (!regex_search(c->loc, re, key, strlen(key)))
					continue;
				matched = true;
				r = validate_at_key(c, sub, v, key);
				if (r < 0)
					return r;
			}
			if (matched || !addl)
				continue;
			if (json_is_false(addl)) {
				size_t saved = ptr_push_key(&c->path, key);

				r = vfail(c, -EBADMSG,
					  "property \"%s\" is not allowed by additionalProperties",
					  key);
				ptr_pop(&c->path, saved);
				return r;
			}
			r = validate_at_key(c, addl, v, key);
			if (r < 0)
				return r;
		}
	}

	return pn ? v_property_names(c, pn, inst) : 0;
}

static int v_array(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *prefix = json_object_get(s, "prefixItems");
	json_t *items = json_object_get(s, "items");
	json_t *lim, *v;
	size_t i, n, start = 0;
	int r;

	if (!json_is_array(inst))
		return 0;
	n = json_array_size(inst);

	lim = json_object_get(s, "minItems");
	if (lim && n < count_value(lim))
		return vfail(c, -EBADMSG, "array has %zu items, fewer than minItems %" PRIu64, n,
			     count_value(lim));
	lim = json_object_get(s, "maxItems");
	if (lim && n > count_value(lim))
		return vfail(c, -EBADMSG, "array has %zu items, more than maxItems %" PRIu64, n,
			     count_value(lim));

	if (prefix) {
		start = json_array_size(prefix);
		for (i = 0; i < start && i < n; i++) {
			r = validate_at_index(c, json_array_get(prefix, i), json_array_get(inst, i),
					      i);
			if (r < 0)
				return r;
		}
	}
	/* items covers only what prefixItems leaves over. */
	if (items)
		for (i = start; i < n; i++) {
			r = validate_at_index(c, items, json_array_get(inst, i), i);
			if (r < 0)
				return r;
		}

	if (json_is_true(json_object_get(s, "uniqueItems")))
		json_array_foreach(inst, i, v) for (size_t j = 0; j < i; j++) if (
			value_equal(json_array_get(inst, j),
				    v)) return vfail(c, -EBADMSG,
						     "items %zu and %zu are equal, but uniqueItems "
						     "is true",
						     j, i);
	return 0;
}

static int v_number(struct validate_ctx *c, json_t *s, json_t *inst)
{
	static const struct {
		const char *keyword;
		int bad1, bad2; /* num_cmp(inst, limit) results that fail */
		const char *fmt;
	} limits[] = {
		{ "minimum", -1, -1, "%s is less than minimum %s" },
		{ "maximum", 1, 1, "%s is greater than maximum %s" },
		{ "exclusiveMinimum", -1, 0, "%s is not greater than exclusiveMinimum %s" },
		{ "exclusiveMaximum", 1, 0, "%s is not less than exclusiveMaximum %s" },
	};

	if (!json_is_number(inst))
		return 0;
	for (size_t i = 0; i < ELEMENTSOF(limits); i++) {
		json_t *lim = json_object_get(s, limits[i].keyword);
		_cleanup_free_ char *di = NULL, *dl = NULL;
		int cmp;

		if (!lim)
			continue;
		cmp = num_cmp(inst, lim);
		if (cmp != limits[i].bad1 && cmp != limits[i].bad2)
			continue;
		di = dump(inst);
		dl = dump(lim);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		return vfail(c, -EBADMSG, limits[i].fmt, di, dl);
#pragma GCC diagnostic pop
	}
	return 0;
}

static int v_string(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *lim, *pat;
	size_t len;

	if (!json_is_string(inst))
		return 0;
	len = utf8_length(inst);

	lim = json_object_get(s, "minLength");
	if (lim && len < count_value(lim)) {
		_cleanup_free_ char *d = dump(inst);

		return vfail(c, -EBADMSG,
			     "%s is %zu characters long, shorter than minLength %" PRIu64, d, len,
			     count_value(lim));
	}
	lim = json_object_get(s, "maxLength");
	if (lim && len > count_value(lim)) {
		_cleanup_free_ char *d = dump(inst);

		return vfail(c, -EBADMSG,
			     "%s is %zu characters long, longer than maxLength %" PRIu64, d, len,
			     count_value(lim));
	}
	pat = json_object_get(s, "pattern");
	if (pat) {
		const regex_t *re = get_regex(c, json_string_value(pat));
		_cleanup_free_ char *d = NULL, *dp = NULL;

		if (!re)
			return vfail(c, -EINVAL, "invalid pattern");
		if (regex_search(c->loc, re, json_string_value(inst), json_string_length(inst)))
			return 0;
		d = dump(inst);
		dp = dump(pat);
		return vfail(c, -EBADMSG, "%s does not match pattern %s", d, dp);
	}
	return 0;
}

static int v_ref(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *ref = json_object_get(s, "$ref"), *target;

	if (!ref)
		return 0;
	target = resolve_ref(c->root, json_string_value(ref));
	if (!target)
		return vfail(c, -EINVAL, "$ref \"%s\" does not resolve", json_string_value(ref));
	return validate_schema(c, target, inst);
}

static int v_all_of(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *sub;
	size_t i;

	json_array_foreach(json_object_get(s, "allOf"), i, sub)
	{
		int r = validate_schema(c, sub, inst);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Of the failures of several branches, the one that got deepest into the
 * instance is usually the branch the author meant. */
static void keep_closest(struct failure *best, struct failure *f)
{
	if (!best->msg || strlen(f->ptr) > strlen(best->ptr)) {
		failure_done(best);
		*best = *f;
	} else {
		failure_done(f);
	}
	*f = (struct failure){};
}

static int no_branch_matched(struct validate_ctx *c, const char *keyword, json_t *inst,
			     struct failure *best)
{
	_cleanup_free_ char *d = dump(inst);
	int r = vfail(c, -EBADMSG, "%s does not match any schema in %s (closest: %s: %s)", d,
		      keyword, instance_ptr(best->ptr), best->msg);

	failure_done(best);
	return r;
}

static int v_any_of(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *any = json_object_get(s, "anyOf"), *sub;
	struct failure best = {};
	size_t i;

	if (!any)
		return 0;
	json_array_foreach(any, i, sub)
	{
		struct failure f = {};
		int r = try_schema(c, sub, inst, &f);

		if (r != 0) {
			failure_done(&best);
			return r < 0 ? r : 0;
		}
		keep_closest(&best, &f);
	}
	return no_branch_matched(c, "anyOf", inst, &best);
}

static int v_one_of(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *one = json_object_get(s, "oneOf"), *sub;
	struct failure best = {};
	size_t i, first = 0;
	bool matched = false;

	if (!one)
		return 0;
	json_array_foreach(one, i, sub)
	{
		struct failure f = {};
		int r = try_schema(c, sub, inst, &f);

		if (r < 0) {
			failure_done(&best);
			return r;
		}
		if (r == 0) {
			keep_closest(&best, &f);
			continue;
		}
		if (matched) {
			_cleanup_free_ char *d = dump(inst);

			failure_done(&best);
			return vfail(c, -EBADMSG,
				     "%s matches more than one schema in oneOf (%zu and %zu)", d,
				     first, i);
		}
		matched = true;
		first = i;
	}
	if (matched) {
		failure_done(&best);
		return 0;
	}
	return no_branch_matched(c, "oneOf", inst, &best);
}

static int v_not(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *not = json_object_get(s, "not");
	_cleanup_free_ char *d = NULL;
	int r;

	if (!not )
		return 0;
	r = try_schema(c, not, inst, NULL);
	if (r <= 0)
		return r;
	d = dump(inst);
	return vfail(c, -EBADMSG, "%s must not match the schema in not", d);
}

static int v_if(struct validate_ctx *c, json_t *s, json_t *inst)
{
	json_t *cond = json_object_get(s, "if"), *branch;
	int r;

	if (!cond)
		return 0;
	r = try_schema(c, cond, inst, NULL);
	if (r < 0)
		return r;
	branch = json_object_get(s, r ? "then" : "else");
	return branch ? validate_schema(c, branch, inst) : 0;
}

static int validate_schema(struct validate_ctx *c, json_t *s, json_t *inst)
{
	/* Type-level keywords first: their messages say the most when an
	 * instance is completely off. */
	static int (*const validators[])(struct validate_ctx *, json_t *, json_t *) = {
		v_type, v_enum,	  v_const,  v_object, v_array, v_number, v_string,
		v_ref,	v_all_of, v_any_of, v_one_of, v_not,   v_if,
	};
	int r = 0;

	if (json_is_true(s))
		return 0;
	if (json_is_false(s)) {
		_cleanup_free_ char *d = dump(inst);

		return vfail(c, -EBADMSG, "%s is not allowed here (the schema is false)", d);
	}
	if (c->depth >= MAX_DEPTH)
		return vfail(c, -ELOOP, "instance and schema nested more than %d levels deep",
			     MAX_DEPTH);
	c->depth++;
	for (size_t i = 0; i < ELEMENTSOF(validators) && r >= 0; i++)
		r = validators[i](c, s, inst);
	c->depth--;
	return r;
}

int sc_schema_validate(json_t *schema, json_t *instance, char **ret_error)
{
	struct validate_ctx c = { .root = schema };
	int r;

	r = sc_schema_check(schema, ret_error);
	if (r < 0)
		return r;
	if (!instance) {
		if (ret_error)
			*ret_error = xstrdup("(root): no instance");
		return -EINVAL;
	}

	c.loc = utf8_locale();
	r = validate_schema(&c, schema, instance);
	if (r < 0 && ret_error) {
		_cleanup_free_ char *msg = xasprintf("%s: %s", instance_ptr(c.failure.ptr),
						     c.failure.msg ? c.failure.msg : "invalid");

		*ret_error = one_line(msg);
	}

	for (size_t i = 0; i < c.n_regexes; i++)
		regfree(&c.regexes[i].re);
	free(c.regexes);
	free(c.path.buf);
	failure_done(&c.failure);
	if (c.loc)
		freelocale(c.loc);
	return r < 0 ? r : 0;
}
