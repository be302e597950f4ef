/* SPDX-License-Identifier: MIT */
/* Criterion tests of the test suite's JSON Schema validator: each keyword
 * accepting and rejecting, $ref resolution and cycles, schema lint, messages. */
/* The Makefile defines it; a standalone build needs it for uselocale(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <criterion/criterion.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema.h"

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	cr_assert_not_null(j, "test JSON does not parse: %s: %s", text, e.text);
	return j;
}

static int validate(const char *schema, const char *instance, char **err)
{
	json_t *s = parse(schema), *i = parse(instance);
	int r = sc_schema_validate(s, i, err);

	json_decref(s);
	json_decref(i);
	return r;
}

static void expect_valid(const char *schema, const char *instance)
{
	char *err = (char *)"garbage";
	int r = validate(schema, instance, &err);

	cr_expect_eq(r, 0, "schema %s, instance %s: %d %s", schema, instance, r,
		     err ? err : "(no message)");
	cr_expect_null(err, "no message on success");
	free(err);
}

/* needle: a substring the message must contain; messages are checked in
 * full where the wording matters. */
static void expect_invalid(const char *schema, const char *instance, const char *needle)
{
	char *err = NULL;
	int r = validate(schema, instance, &err);

	cr_expect_eq(r, -EBADMSG, "schema %s, instance %s: expected a mismatch, got %d %s", schema,
		     instance, r, err ? err : "(no message)");
	cr_expect(err && strstr(err, needle), "schema %s, instance %s: message \"%s\" lacks \"%s\"",
		  schema, instance, err ? err : "(none)", needle);
	cr_expect(err && !strchr(err, '\n'), "message is one line");
	free(err);
}

/* Both entry points must refuse an invalid schema. */
static void expect_bad_schema(const char *schema, const char *needle)
{
	json_t *s = parse(schema), *i = json_null();
	char *err = NULL;
	int r = sc_schema_check(s, &err);

	cr_expect_eq(r, -EINVAL, "schema %s: expected rejection, got %d", schema, r);
	cr_expect(err && strstr(err, needle), "schema %s: message \"%s\" lacks \"%s\"", schema,
		  err ? err : "(none)", needle);
	free(err);
	err = NULL;
	r = sc_schema_validate(s, i, &err);
	cr_expect_eq(r, -EINVAL, "schema %s: validate gave %d", schema, r);
	cr_expect(err && strstr(err, needle), "schema %s: message \"%s\" lacks \"%s\"", schema,
		  err ? err : "(none)", needle);
	free(err);
	json_decref(s);
}

static void expect_message(const char *schema, const char *instance, const char *message)
{
	char *err = NULL;
	int r = validate(schema, instance, &err);

	cr_expect_lt(r, 0);
	cr_expect_str_eq(err ? err : "(none)", message);
	free(err);
}

/* Annotations */

Test(jsonschema_annotations, ignored_for_validation)
{
	const char *s = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
			" \"$id\": \"https://example.org/sysctr-check.json\","
			" \"$comment\": \"c\", \"title\": \"t\", \"description\": \"d\","
			" \"examples\": [1, \"x\"], \"default\": 42, \"format\": \"date-time\"}";

	expect_valid(s, "\"not a date\"");
	expect_valid(s, "{}");
	expect_valid("{\"default\": \"x\", \"type\": \"string\"}", "\"y\"");
	/* default supplies nothing: a missing value is still missing. */
	expect_invalid("{\"default\": 1, \"type\": \"integer\"}", "null", "is not of type");
	expect_invalid("{\"format\": \"ipv4\", \"type\": \"string\"}", "4", "is not of type");
}

Test(jsonschema_annotations, malformed)
{
	expect_bad_schema("{\"title\": 3}", "schema #/title: must be a string");
	expect_bad_schema("{\"description\": null}", "schema #/description: must be a string");
	expect_bad_schema("{\"$comment\": []}", "must be a string");
	expect_bad_schema("{\"format\": 1}", "schema #/format: must be a string");
	expect_bad_schema("{\"examples\": {}}", "schema #/examples: must be an array");
	expect_bad_schema("{\"$id\": 1}", "must be a string");
}

Test(jsonschema_annotations, dialect_and_id)
{
	expect_valid("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema#\"}", "1");
	expect_valid("{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}", "1");
	expect_bad_schema("{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}",
			  "unsupported dialect");
	expect_bad_schema("{\"$schema\": 7}", "unsupported dialect");
	expect_bad_schema(
		"{\"properties\": {\"a\": {\"$schema\": "
		"\"https://json-schema.org/draft/2020-12/schema\"}}}",
		"schema #/properties/a/$schema: $schema is only supported in the root schema");
	expect_bad_schema("{\"$defs\": {\"a\": {\"$id\": \"a.json\"}}}",
			  "schema #/$defs/a/$id: $id is only supported in the root schema");
}

/* type */

Test(jsonschema_type, each_type)
{
	expect_valid("{\"type\": \"null\"}", "null");
	expect_invalid("{\"type\": \"null\"}", "0", "0 is not of type \"null\"");
	expect_valid("{\"type\": \"boolean\"}", "false");
	expect_invalid("{\"type\": \"boolean\"}", "\"true\"", "is not of type \"boolean\"");
	expect_valid("{\"type\": \"object\"}", "{}");
	expect_invalid("{\"type\": \"object\"}", "[]", "[] is not of type \"object\"");
	expect_valid("{\"type\": \"array\"}", "[]");
	expect_invalid("{\"type\": \"array\"}", "{}", "is not of type \"array\"");
	expect_valid("{\"type\": \"string\"}", "\"\"");
	expect_invalid("{\"type\": \"string\"}", "1", "1 is not of type \"string\"");
	expect_valid("{\"type\": \"number\"}", "1");
	expect_valid("{\"type\": \"number\"}", "1.5");
	expect_invalid("{\"type\": \"number\"}", "\"1\"", "is not of type \"number\"");
}

Test(jsonschema_type, integer)
{
	expect_valid("{\"type\": \"integer\"}", "-7");
	/* JSON Schema integers are values without a fraction. */
	expect_valid("{\"type\": \"integer\"}", "1.0");
	expect_valid("{\"type\": \"integer\"}", "1e3");
	expect_invalid("{\"type\": \"integer\"}", "1.5", "1.5 is not of type \"integer\"");
	expect_invalid("{\"type\": \"integer\"}", "\"1\"", "is not of type \"integer\"");
}

Test(jsonschema_type, list)
{
	expect_valid("{\"type\": [\"string\", \"null\"]}", "null");
	expect_valid("{\"type\": [\"string\", \"null\"]}", "\"x\"");
	expect_invalid("{\"type\": [\"string\", \"null\"]}", "1",
		       "1 is not of type [\"string\",\"null\"]");
}

Test(jsonschema_type, malformed)
{
	expect_bad_schema("{\"type\": \"float\"}", "schema #/type: unknown type \"float\"");
	expect_bad_schema("{\"type\": []}", "non-empty array");
	expect_bad_schema("{\"type\": [\"string\", \"string\"]}", "lists \"string\" twice");
	expect_bad_schema("{\"type\": [1]}", "must be a type name");
}

/* enum and const */

Test(jsonschema_enum, values)
{
	const char *s = "{\"enum\": [\"pass\", \"fail\", 1, null, {\"a\": [1, 2]}]}";

	expect_valid(s, "\"pass\"");
	expect_valid(s, "null");
	/* Numbers compare by value. */
	expect_valid(s, "1.0");
	/* Objects compare by members, whatever their order. */
	expect_valid(s, "{\"a\": [1.0, 2]}");
	expect_invalid(s, "\"maybe\"", "(root): \"maybe\" is not one of the enum values");
	expect_invalid(s, "{\"a\": [2, 1]}", "is not one of the enum values");
	expect_invalid(s, "{\"a\": [1, 2], \"b\": 1}", "is not one of the enum values");
	expect_invalid(s, "true", "is not one of the enum values");
	expect_invalid(s, "\"Pass\"", "is not one of the enum values");
}

Test(jsonschema_enum, malformed)
{
	expect_bad_schema("{\"enum\": []}", "schema #/enum: must be a non-empty array");
	expect_bad_schema("{\"enum\": \"a\"}", "must be a non-empty array");
}

Test(jsonschema_const, values)
{
	expect_valid("{\"const\": 2}", "2");
	expect_valid("{\"const\": 2}", "2.0");
	expect_valid("{\"const\": null}", "null");
	expect_valid("{\"const\": {\"x\": [true]}}", "{\"x\": [true]}");
	expect_invalid("{\"const\": 2}", "3", "3 is not equal to the const value 2");
	expect_invalid("{\"const\": null}", "false", "is not equal to the const value null");
	expect_invalid("{\"const\": \"a\"}", "\"a \"", "is not equal to the const value");
	expect_invalid("{\"const\": {\"x\": [true]}}", "{\"x\": [false]}", "const");
}

/* Objects */

Test(jsonschema_object, properties)
{
	const char *s = "{\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"properties\": "
			"{\"c\": {\"type\": \"integer\"}}}}}";

	expect_valid(s, "{}");
	expect_valid(s, "{\"a\": \"x\", \"b\": {\"c\": 1}, \"other\": 1}");
	/* Object keywords do not constrain other types. */
	expect_valid(s, "[1]");
	expect_invalid(s, "{\"a\": 1}", "/a: 1 is not of type \"string\"");
	expect_invalid(s, "{\"b\": {\"c\": \"1\"}}", "/b/c: \"1\" is not of type \"integer\"");
	expect_bad_schema("{\"properties\": []}",
			  "schema #/properties: must be an object of schemas");
	expect_bad_schema("{\"properties\": {\"a\": 1}}",
			  "schema #/properties/a: a schema must be an object or a boolean");
}

Test(jsonschema_object, required)
{
	const char *s = "{\"properties\": {\"inner\": {\"required\": [\"x\"]}}, \"required\": "
			"[\"a\", \"b\"]}";

	expect_valid(s, "{\"a\": null, \"b\": 0}");
	expect_valid(s, "{\"a\": null, \"b\": 0, \"inner\": {\"x\": 1}}");
	expect_valid(s, "\"not an object\"");
	expect_invalid(s, "{\"a\": 1}", "(root): required property \"b\" is missing");
	expect_invalid(s, "{\"a\": 1, \"b\": 1, \"inner\": {}}",
		       "/inner: required property \"x\" is missing");
	expect_bad_schema("{\"required\": [1]}", "schema #/required: must be an array of strings");
	expect_bad_schema("{\"required\": [\"a\", \"a\"]}", "lists \"a\" twice");
	expect_bad_schema("{\"required\": \"a\"}", "must be an array of strings");
}

Test(jsonschema_object, additional_properties_false)
{
	const char *s = "{\"properties\": {\"a\": {}}, \"patternProperties\": {\"^x-\": {}},"
			" \"additionalProperties\": false}";

	expect_valid(s, "{\"a\": 1, \"x-foo\": 2}");
	expect_invalid(s, "{\"a\": 1, \"extra\": 2}",
		       "/extra: property \"extra\" is not allowed by additionalProperties");
}

Test(jsonschema_object, additional_properties_schema)
{
	const char *s =
		"{\"properties\": {\"a\": {}}, \"additionalProperties\": {\"type\": \"integer\"}}";

	expect_valid(s, "{\"a\": \"s\", \"n\": 3}");
	expect_invalid(s, "{\"a\": \"s\", \"n\": \"3\"}", "/n: \"3\" is not of type \"integer\"");
	expect_bad_schema("{\"additionalProperties\": 0}",
			  "a schema must be an object or a boolean");
}

Test(jsonschema_object, pattern_properties)
{
	const char *s = "{\"patternProperties\": {\"^x-\": {\"type\": \"string\"}, \"id\": "
			"{\"type\": \"integer\"}}}";

	expect_valid(s, "{\"x-a\": \"s\", \"other\": 1}");
	/* Unanchored search: "id" matches anywhere in the name. */
	expect_valid(s, "{\"uuid\": 1, \"id\": 2}");
	expect_invalid(s, "{\"x-a\": 1}", "/x-a: 1 is not of type \"string\"");
	expect_invalid(s, "{\"pid\": 1.5}", "/pid: 1.5 is not of type \"integer\"");
	/* A key matching several patterns must satisfy all of them. */
	expect_invalid(s, "{\"x-id\": \"s\"}", "/x-id: \"s\" is not of type \"integer\"");
	expect_bad_schema("{\"patternProperties\": {\"(\": {}}}",
			  "schema #/patternProperties/(: invalid regular expression");
}

Test(jsonschema_object, property_names)
{
	const char *s = "{\"propertyNames\": {\"pattern\": \"^[a-z_]+$\", \"maxLength\": 5}}";

	expect_valid(s, "{\"abc\": 1, \"a_b\": 2}");
	expect_valid(s, "{}");
	expect_invalid(s, "{\"abc\": 1, \"aBc\": 2}",
		       "/aBc: property name \"aBc\" does not match propertyNames: \"aBc\" does not "
		       "match pattern");
	expect_invalid(s, "{\"abcdef\": 1}",
		       "/abcdef: property name \"abcdef\" does not match propertyNames");
	expect_bad_schema("{\"propertyNames\": []}", "a schema must be an object or a boolean");
}

Test(jsonschema_object, min_max_properties)
{
	expect_valid("{\"minProperties\": 1}", "{\"a\": 1}");
	expect_invalid("{\"minProperties\": 1}", "{}",
		       "object has 0 properties, fewer than minProperties 1");
	expect_valid("{\"maxProperties\": 1}", "{\"a\": 1}");
	expect_invalid("{\"maxProperties\": 1}", "{\"a\": 1, \"b\": 2}",
		       "object has 2 properties, more than maxProperties 1");
	expect_bad_schema("{\"maxProperties\": -1}",
			  "schema #/maxProperties: must be a non-negative integer");
}

/* Arrays */

Test(jsonschema_array, items)
{
	const char *s = "{\"items\": {\"type\": \"integer\"}}";

	expect_valid(s, "[]");
	expect_valid(s, "[1, 2, 3]");
	expect_valid(s, "\"not an array\"");
	expect_invalid(s, "[1, 2, \"3\"]", "/2: \"3\" is not of type \"integer\"");
	expect_valid("{\"items\": false}", "[]");
	expect_invalid("{\"items\": false}", "[0]",
		       "/0: 0 is not allowed here (the schema is false)");
	expect_bad_schema("{\"items\": [{}]}",
			  "schema #/items: must be a schema; tuples use prefixItems");
}

Test(jsonschema_array, prefix_items)
{
	const char *s = "{\"prefixItems\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}";
	const char *closed = "{\"prefixItems\": [{\"type\": \"string\"}], \"items\": false}";
	const char *rest =
		"{\"prefixItems\": [{\"type\": \"string\"}], \"items\": {\"type\": \"integer\"}}";

	expect_valid(s, "[\"a\", 1]");
	expect_valid(s, "[\"a\"]");
	expect_valid(s, "[\"a\", 1, {}]");
	expect_invalid(s, "[1, 1]", "/0: 1 is not of type \"string\"");
	expect_invalid(s, "[\"a\", \"b\"]", "/1: \"b\" is not of type \"integer\"");
	expect_valid(closed, "[\"a\"]");
	expect_invalid(closed, "[\"a\", 1]", "/1: 1 is not allowed here");
	/* items applies only after the prefix. */
	expect_valid(rest, "[\"a\", 1, 2]");
	expect_invalid(rest, "[\"a\", 1, \"b\"]", "/2: \"b\" is not of type \"integer\"");
	expect_bad_schema("{\"prefixItems\": []}",
			  "schema #/prefixItems: must be a non-empty array of schemas");
	expect_bad_schema("{\"prefixItems\": [{}, 3]}", "schema #/prefixItems/1: a schema must be");
}

Test(jsonschema_array, min_max_items)
{
	expect_valid("{\"minItems\": 2}", "[1, 2]");
	expect_invalid("{\"minItems\": 2}", "[1]", "array has 1 items, fewer than minItems 2");
	expect_valid("{\"maxItems\": 2}", "[1, 2]");
	expect_invalid("{\"maxItems\": 2}", "[1, 2, 3]", "array has 3 items, more than maxItems 2");
	/* An integer-valued real is an integer. */
	expect_valid("{\"maxItems\": 1.0}", "[1]");
	expect_bad_schema("{\"minItems\": 1.5}", "must be a non-negative integer");
	expect_bad_schema("{\"minItems\": \"1\"}", "must be a non-negative integer");
}

Test(jsonschema_array, unique_items)
{
	const char *s = "{\"uniqueItems\": true}";

	expect_valid(s, "[1, 2, \"1\", [1, 2], [2, 1], {\"a\": 1}, {\"a\": 2}]");
	expect_invalid(s, "[1, 2, 1]", "(root): items 0 and 2 are equal, but uniqueItems is true");
	expect_invalid(s, "[1, 1.0]", "items 0 and 1 are equal");
	expect_invalid(s, "[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}]",
		       "items 0 and 1 are equal");
	expect_invalid(s, "[null, null]", "items 0 and 1 are equal");
	expect_valid("{\"uniqueItems\": false}", "[1, 1]");
	expect_bad_schema("{\"uniqueItems\": \"yes\"}", "schema #/uniqueItems: must be a boolean");
}

/* Numbers */

Test(jsonschema_number, minimum_maximum)
{
	expect_valid("{\"minimum\": 1}", "1");
	expect_valid("{\"minimum\": 1}", "1.0");
	expect_invalid("{\"minimum\": 1}", "0", "0 is less than minimum 1");
	expect_invalid("{\"minimum\": 1.5}", "1", "1 is less than minimum 1.5");
	expect_valid("{\"minimum\": 1.5}", "2");
	expect_valid("{\"maximum\": 10}", "10");
	expect_invalid("{\"maximum\": 10}", "10.5", "10.5 is greater than maximum 10");
	expect_invalid("{\"maximum\": -1}", "0", "greater than maximum");
	/* Non-numbers are not constrained. */
	expect_valid("{\"minimum\": 5}", "\"1\"");
	expect_bad_schema("{\"minimum\": \"5\"}", "schema #/minimum: must be a number");
}

Test(jsonschema_number, exclusive)
{
	expect_valid("{\"exclusiveMinimum\": 0}", "0.5");
	expect_invalid("{\"exclusiveMinimum\": 0}", "0",
		       "0 is not greater than exclusiveMinimum 0");
	expect_invalid("{\"exclusiveMinimum\": 0}", "0.0", "is not greater than exclusiveMinimum");
	expect_valid("{\"exclusiveMaximum\": 1}", "0.999");
	expect_invalid("{\"exclusiveMaximum\": 1}", "1", "1 is not less than exclusiveMaximum 1");
	expect_invalid("{\"exclusiveMaximum\": 1}", "2", "is not less than exclusiveMaximum");
	/* Draft-04 boolean exclusives mean something else: refused. */
	expect_bad_schema("{\"exclusiveMaximum\": true}", "must be a number");
}

Test(jsonschema_number, large_integers)
{
	/* 2^53 + 1 is not representable as a double; comparing via double
	 * would call it equal to 2^53. */
	expect_invalid("{\"maximum\": 9007199254740992}", "9007199254740993",
		       "greater than maximum");
	expect_invalid("{\"maximum\": 9007199254740992.0}", "9007199254740993",
		       "greater than maximum");
	expect_valid("{\"maximum\": 9007199254740992.0}", "9007199254740992");
	expect_invalid("{\"minimum\": 9223372036854775807}", "9223372036854775806",
		       "less than minimum");
	expect_valid("{\"maximum\": 1e300}", "9223372036854775807");
	expect_invalid("{\"minimum\": 1e300}", "9223372036854775807", "less than minimum");
	expect_valid("{\"minimum\": -1e300}", "-9223372036854775807");
	expect_invalid("{\"enum\": [9007199254740992.0]}", "9007199254740993", "enum");
}

/* Strings */

Test(jsonschema_string, min_max_length)
{
	expect_valid("{\"minLength\": 2}", "\"ab\"");
	expect_invalid("{\"minLength\": 2}", "\"a\"",
		       "\"a\" is 1 characters long, shorter than minLength 2");
	expect_valid("{\"maxLength\": 2}", "\"ab\"");
	expect_invalid("{\"maxLength\": 2}", "\"abc\"",
		       "is 3 characters long, longer than maxLength 2");
	/* Code points, not bytes: "é" is two bytes, "日本語" nine. */
	expect_valid("{\"maxLength\": 1}", "\"\\u00e9\"");
	expect_valid("{\"minLength\": 3, \"maxLength\": 3}", "\"日本語\"");
	expect_invalid("{\"maxLength\": 2}", "\"日本語\"", "is 3 characters long");
	/* A surrogate pair is one code point. */
	expect_valid("{\"maxLength\": 1}", "\"\\ud83d\\ude00\"");
	expect_valid("{\"maxLength\": 0}", "3");
	expect_bad_schema("{\"minLength\": -1}",
			  "schema #/minLength: must be a non-negative integer");
	expect_bad_schema("{\"maxLength\": \"3\"}", "must be a non-negative integer");
}

Test(jsonschema_string, pattern)
{
	expect_valid("{\"pattern\": \"b\"}", "\"abc\"");
	expect_invalid("{\"pattern\": \"^b\"}", "\"abc\"", "\"abc\" does not match pattern \"^b\"");
	expect_valid("{\"pattern\": \"^[a-z0-9-]+$\"}", "\"sysctr-check\"");
	expect_invalid("{\"pattern\": \"^[a-z0-9-]+$\"}", "\"Sysctr\"", "does not match pattern");
	expect_valid("{\"pattern\": \"^[[:digit:]]{2,3}$\"}", "\"123\"");
	expect_invalid("{\"pattern\": \"^[[:digit:]]{2,3}$\"}", "\"1234\"",
		       "does not match pattern");
	expect_valid("{\"pattern\": \"^a\\\\.b$\"}", "\"a.b\"");
	expect_invalid("{\"pattern\": \"^a\\\\.b$\"}", "\"axb\"", "does not match pattern");
	expect_valid("{\"pattern\": \"^(yes|no)$\"}", "\"no\"");
	expect_valid("{\"pattern\": \"^x\"}", "5");
}

Test(jsonschema_string, pattern_utf8)
{
	/* Matching runs on code points even in the C locale. */
	cr_assert_str_eq(setlocale(LC_ALL, NULL), "C");
	expect_valid("{\"pattern\": \"^.$\"}", "\"\\u00e9\"");
	expect_valid("{\"pattern\": \"^[äö]$\"}", "\"ö\"");
	expect_invalid("{\"pattern\": \"^.$\"}", "\"ab\"", "does not match pattern");
	/* An embedded NUL does not end the subject early. */
	expect_invalid("{\"pattern\": \"^a$\"}", "\"a\\u0000b\"", "does not match pattern");
	/* The process locale is left alone. */
	cr_expect_str_eq(setlocale(LC_ALL, NULL), "C");
	cr_expect_eq(uselocale((locale_t)0), LC_GLOBAL_LOCALE);
}

Test(jsonschema_string, pattern_dialect)
{
	expect_bad_schema("{\"pattern\": \"^\\\\d+$\"}",
			  "schema #/pattern: pattern \"^\\d+$\": \\d is not POSIX ERE");
	expect_bad_schema("{\"pattern\": \"[\\\\w-]\"}", "a backslash in a bracket expression");
	expect_bad_schema("{\"pattern\": \"(?:a|b)\"}", "ECMA-262 syntax");
	expect_bad_schema("{\"pattern\": \"a\\\\u0041\"}", "\\u is not POSIX ERE");
	expect_bad_schema("{\"pattern\": \"(\"}",
			  "schema #/pattern: invalid regular expression \"(\"");
	expect_bad_schema("{\"pattern\": 1}", "must be a string");
	/* What looks like an escape inside a class name is fine. */
	expect_valid("{\"pattern\": \"^[]a-]$\"}", "\"]\"");
	expect_valid("{\"pattern\": \"^[^]a]$\"}", "\"b\"");
}

/* Combinators */

Test(jsonschema_combinators, all_of)
{
	const char *s = "{\"allOf\": [{\"type\": \"string\"}, {\"minLength\": 2}]}";

	expect_valid(s, "\"ab\"");
	expect_invalid(s, "\"a\"", "(root): \"a\" is 1 characters long, shorter than minLength 2");
	expect_invalid(s, "7", "7 is not of type \"string\"");
	expect_bad_schema("{\"allOf\": []}",
			  "schema #/allOf: must be a non-empty array of schemas");
	expect_bad_schema("{\"allOf\": {}}", "must be a non-empty array of schemas");
}

Test(jsonschema_combinators, any_of)
{
	const char *s = "{\"anyOf\": [{\"type\": \"string\"},"
			" {\"properties\": {\"a\": {\"properties\": {\"b\": {\"type\": "
			"\"null\"}}}}, \"required\": [\"a\"]}]}";

	expect_valid(s, "\"x\"");
	expect_valid(s, "{\"a\": {}}");
	expect_invalid(s, "{}", "(root): {} does not match any schema in anyOf (closest: ");
	/* The branch that got deepest is the one reported. */
	expect_invalid(
		s, "{\"a\": {\"b\": 1}}",
		"does not match any schema in anyOf (closest: /a/b: 1 is not of type \"null\")");
}

Test(jsonschema_combinators, one_of)
{
	const char *s = "{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 10}]}";

	expect_valid(s, "3");
	expect_valid(s, "10.5");
	expect_invalid(s, "12", "(root): 12 matches more than one schema in oneOf (0 and 1)");
	expect_invalid(s, "9.5", "9.5 does not match any schema in oneOf (closest: (root): ");
	expect_bad_schema("{\"oneOf\": [{}, {\"bogus\": 1}]}",
			  "schema #/oneOf/1: unsupported keyword bogus");
}

Test(jsonschema_combinators, not_)
{
	expect_valid("{\"not\": {\"type\": \"null\"}}", "0");
	expect_invalid("{\"not\": {\"type\": \"null\"}}", "null",
		       "(root): null must not match the schema in not");
	expect_invalid("{\"properties\": {\"a\": {\"not\": {}}}}", "{\"a\": 1}",
		       "/a: 1 must not match");
	expect_bad_schema("{\"not\": 1}", "schema #/not: a schema must be an object or a boolean");
}

Test(jsonschema_combinators, if_then_else)
{
	const char *s = "{\"if\": {\"type\": \"string\"}, \"then\": {\"minLength\": 2}, \"else\": "
			"{\"minimum\": 0}}";

	expect_valid(s, "\"ab\"");
	expect_valid(s, "5");
	expect_invalid(s, "\"a\"", "shorter than minLength 2");
	expect_invalid(s, "-1", "-1 is less than minimum 0");
	/* if alone constrains nothing. */
	expect_valid("{\"if\": {\"type\": \"string\"}}", "1");
	expect_valid("{\"if\": {\"type\": \"string\"}, \"then\": false}", "1");
	expect_invalid("{\"if\": {\"type\": \"string\"}, \"then\": false}", "\"s\"",
		       "the schema is false");
	expect_valid("{\"if\": {\"type\": \"string\"}, \"else\": false}", "\"s\"");
	expect_invalid("{\"if\": {\"type\": \"string\"}, \"else\": false}", "1",
		       "the schema is false");
	expect_bad_schema("{\"then\": {}}", "schema #/then: then without if has no effect");
	expect_bad_schema("{\"else\": {}}", "else without if");
}

Test(jsonschema_combinators, boolean_schemas)
{
	expect_valid("true", "{\"anything\": [1]}");
	expect_valid("{}", "null");
	expect_invalid("false", "1", "(root): 1 is not allowed here (the schema is false)");
	expect_invalid("{\"properties\": {\"gone\": false}}", "{\"gone\": 0}",
		       "/gone: 0 is not allowed here");
	expect_bad_schema("3", "schema #: a schema must be an object or a boolean, not a number");
	expect_bad_schema("[]", "not an array");
}

/* $ref */

Test(jsonschema_ref, defs_and_definitions)
{
	const char *s = "{\"$defs\": {\"name\": {\"type\": \"string\"}},"
			" \"definitions\": {\"count\": {\"type\": \"integer\"}},"
			" \"properties\": {\"n\": {\"$ref\": \"#/$defs/name\"}, \"c\": {\"$ref\": "
			"\"#/definitions/count\"}}}";

	expect_valid(s, "{\"n\": \"x\", \"c\": 2}");
	expect_invalid(s, "{\"n\": 1}", "/n: 1 is not of type \"string\"");
	expect_invalid(s, "{\"c\": \"2\"}", "/c: \"2\" is not of type \"integer\"");
	/* Unreferenced definitions are still checked. */
	expect_bad_schema("{\"$defs\": {\"unused\": {\"contains\": {}}}}",
			  "schema #/$defs/unused: unsupported keyword contains");
}

Test(jsonschema_ref, chain)
{
	const char *s =
		"{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/c\"},"
		" \"c\": {\"enum\": [\"pass\", \"fail\"]}}, \"items\": {\"$ref\": \"#/$defs/a\"}}";

	expect_valid(s, "[\"pass\", \"fail\"]");
	expect_invalid(s, "[\"pass\", \"maybe\"]", "/1: \"maybe\" is not one of the enum values");
}

Test(jsonschema_ref, escaped_names)
{
	const char *s =
		"{\"$defs\": {\"a/b\": {\"type\": \"string\"}, \"c~d\": {\"type\": \"integer\"}},"
		" \"prefixItems\": [{\"$ref\": \"#/$defs/a~1b\"}, {\"$ref\": \"#/$defs/c~0d\"}]}";

	expect_valid(s, "[\"s\", 1]");
	expect_invalid(s, "[1]", "/0: 1 is not of type \"string\"");
	expect_invalid(s, "[\"s\", \"t\"]", "/1: \"t\" is not of type \"integer\"");
	/* The unescaped spelling names no schema. */
	expect_bad_schema("{\"$defs\": {\"a/b\": {}}, \"$ref\": \"#/$defs/a/b\"}",
			  "schema #/$ref: $ref \"#/$defs/a/b\" does not resolve to a schema");
}

Test(jsonschema_ref, root_recursion)
{
	/* Recursion through the instance is fine: it ends with the data. */
	const char *s = "{\"type\": \"object\", \"required\": [\"name\"],"
			" \"properties\": {\"name\": {\"type\": \"string\"},"
			" \"children\": {\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}}}";

	expect_valid(s, "{\"name\": \"r\", \"children\": [{\"name\": \"a\"}, {\"name\": \"b\", "
			"\"children\": [{\"name\": \"c\"}]}]}");
	expect_invalid(s,
		       "{\"name\": \"r\", \"children\": [{\"name\": \"a\", \"children\": "
		       "[{\"name\": \"x\"}, {\"name\": 2}]}]}",
		       "/children/0/children/1/name: 2 is not of type \"string\"");
	expect_invalid(s, "{\"name\": \"r\", \"children\": [{}]}",
		       "/children/0: required property \"name\" is missing");
}

Test(jsonschema_ref, siblings_apply)
{
	/* In 2020-12 keywords next to $ref apply too. */
	const char *s = "{\"$defs\": {\"s\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/s\", "
			"\"maxLength\": 2}";

	expect_valid(s, "\"ab\"");
	expect_invalid(s, "\"abc\"", "longer than maxLength 2");
	expect_invalid(s, "1", "is not of type \"string\"");
}

Test(jsonschema_ref, other_schema_positions)
{
	expect_valid("{\"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"$ref\": "
		     "\"#/properties/a\"}}}",
		     "{\"b\": 1}");
	expect_invalid("{\"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"$ref\": "
		       "\"#/properties/a\"}}}",
		       "{\"b\": true}", "/b: true is not of type \"integer\"");
	expect_invalid("{\"prefixItems\": [{\"const\": 1}, {\"$ref\": \"#/prefixItems/0\"}]}",
		       "[1, 2]", "/1: 2 is not equal to the const value 1");
	expect_valid(
		"{\"$defs\": {\"no\": false}, \"properties\": {\"x\": {\"$ref\": \"#/$defs/no\"}}}",
		"{}");
	expect_invalid(
		"{\"$defs\": {\"no\": false}, \"properties\": {\"x\": {\"$ref\": \"#/$defs/no\"}}}",
		"{\"x\": 1}", "/x: 1 is not allowed here");
}

Test(jsonschema_ref, unresolvable)
{
	expect_bad_schema("{\"$ref\": \"#/$defs/missing\"}",
			  "schema #/$ref: $ref \"#/$defs/missing\" does not resolve to a schema");
	expect_bad_schema("{\"properties\": {\"a\": {\"$ref\": \"#/definitions/x\"}}}",
			  "schema #/properties/a/$ref: $ref \"#/definitions/x\" does not resolve");
	/* Pointers into non-schema values are not schemas. */
	expect_bad_schema("{\"properties\": {\"a\": {}}, \"$ref\": \"#/properties\"}",
			  "does not resolve to a schema");
	expect_bad_schema("{\"enum\": [{}], \"$ref\": \"#/enum/0\"}",
			  "does not resolve to a schema");
	expect_bad_schema("{\"prefixItems\": [{}], \"$ref\": \"#/prefixItems/00\"}",
			  "does not resolve");
	expect_bad_schema("{\"$ref\": \"other.json#/$defs/a\"}",
			  "only local JSON pointer references");
	expect_bad_schema("{\"$ref\": \"#anchor\"}", "only local JSON pointer references");
	expect_bad_schema("{\"$ref\": 1}", "schema #/$ref: must be a string");
}

Test(jsonschema_ref, cycles)
{
	expect_bad_schema("{\"$ref\": \"#\"}",
			  "schema #: $ref cycle that never descends into the instance: # -> #");
	expect_bad_schema(
		"{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/a\"}}}",
		"$ref cycle that never descends into the instance: #/$defs/a -> #/$defs/b -> "
		"#/$defs/a");
	expect_bad_schema("{\"$defs\": {\"a\": {\"allOf\": [{\"type\": \"object\"}, {\"$ref\": "
			  "\"#/$defs/a\"}]}},"
			  " \"$ref\": \"#/$defs/a\"}",
			  "$ref cycle");
	expect_bad_schema("{\"anyOf\": [{\"type\": \"null\"}, {\"not\": {\"$ref\": \"#\"}}]}",
			  "$ref cycle");
	expect_bad_schema("{\"if\": {\"$ref\": \"#/$defs/x\"}, \"$defs\": {\"x\": {\"then\": {}, "
			  "\"if\": {\"$ref\": \"#\"}}}}",
			  "$ref cycle");
	expect_bad_schema("{\"oneOf\": [{\"$ref\": \"#/oneOf/1\"}, {\"$ref\": \"#/oneOf/0\"}]}",
			  "$ref cycle");
}

/* Builds {"$defs": {"d0": {"$ref": "#/$defs/d1"}, ..., "dN": {}}}. */
static json_t *ref_chain(int n)
{
	json_t *defs = json_object();
	json_t *s = json_pack("{s:o, s:s}", "$defs", defs, "$ref", "#/$defs/d0");

	for (int i = 0; i < n; i++) {
		char name[32], target[48];

		snprintf(name, sizeof(name), "d%d", i);
		snprintf(target, sizeof(target), "#/$defs/d%d", i + 1);
		json_object_set_new(defs, name, json_pack("{s:s}", "$ref", target));
	}
	json_object_set_new(defs, "last", json_object());
	{
		char name[32];

		snprintf(name, sizeof(name), "d%d", n);
		json_object_set_new(defs, name, json_pack("{s:i}", "maximum", 5));
	}
	return s;
}

Test(jsonschema_ref, long_chains)
{
	json_t *s = ref_chain(100), *i = json_integer(7);
	char *err = NULL;

	cr_expect_eq(sc_schema_validate(s, i, &err), -EBADMSG);
	cr_expect_str_eq(err, "(root): 7 is greater than maximum 5");
	free(err);
	json_decref(s);

	s = ref_chain(2000);
	err = NULL;
	cr_expect_eq(sc_schema_check(s, &err), -EINVAL);
	cr_expect(err && strstr(err, "chain of $ref and in-place applicators longer than"), "%s",
		  err ? err : "(none)");
	free(err);
	json_decref(s);
	json_decref(i);
}

Test(jsonschema_ref, deep_instance)
{
	const char *s = "{\"items\": {\"$ref\": \"#\"}, \"maxItems\": 1}";
	json_t *schema = parse(s), *inst = json_array(), *cur = inst;
	char *err = NULL;

	for (int i = 0; i < 100; i++) {
		json_t *next = json_array();

		json_array_append_new(cur, next);
		cur = next;
	}
	cr_expect_eq(sc_schema_validate(schema, inst, &err), 0, "%s", err ? err : "");
	free(err);
	/* Deeper than the validator recurses: an error, not a crash. */
	for (int i = 0; i < 2000; i++) {
		json_t *next = json_array();

		json_array_append_new(cur, next);
		cur = next;
	}
	err = NULL;
	cr_expect_eq(sc_schema_validate(schema, inst, &err), -ELOOP);
	cr_expect(err && strstr(err, "nested more than 512 levels deep"), "%s",
		  err ? err : "(none)");
	free(err);
	json_decref(schema);
	json_decref(inst);
}

Test(jsonschema_ref, deep_schema)
{
	json_t *s = json_object(), *cur = s;
	char *err = NULL;

	for (int i = 0; i < 3000; i++) {
		json_t *next = json_object();

		json_object_set_new(cur, "items", next);
		cur = next;
	}
	cr_expect_eq(sc_schema_check(s, &err), -EINVAL);
	cr_expect(err && strstr(err, "schema nested more than 512 levels deep"), "%s",
		  err ? err : "(none)");
	free(err);
	json_decref(s);
}

/* Unsupported keywords */

Test(jsonschema_unsupported, keywords)
{
	static const char *const names[] = {
		"contains",
		"minContains",
		"maxContains",
		"dependentRequired",
		"dependentSchemas",
		"dependencies",
		"unevaluatedProperties",
		"unevaluatedItems",
		"additionalItems",
		"$anchor",
		"$dynamicRef",
		"$dynamicAnchor",
		"$recursiveRef",
		"$vocabulary",
		"multipleOf",
		"contentMediaType",
		"contentEncoding",
		"readOnly",
		"deprecated",
		"requried",
		"Type",
		"",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char schema[128], needle[128];

		snprintf(schema, sizeof(schema), "{\"type\": \"object\", \"%s\": {}}", names[i]);
		snprintf(needle, sizeof(needle), "schema #: unsupported keyword %s", names[i]);
		expect_bad_schema(schema, needle);
	}
}

Test(jsonschema_unsupported, nested_locations)
{
	expect_bad_schema("{\"properties\": {\"a\": {\"maxlength\": 3}}}",
			  "schema #/properties/a: unsupported keyword maxlength");
	expect_bad_schema("{\"items\": {\"anyOf\": [{}, {\"not\": {\"contains\": {}}}]}}",
			  "schema #/items/anyOf/1/not: unsupported keyword contains");
	expect_bad_schema("{\"patternProperties\": {\"^a/b\": {\"x\": 1}}}",
			  "schema #/patternProperties/^a~1b: unsupported keyword x");
	/* The message stays on one line whatever the keyword is. */
	expect_bad_schema("{\"a\\nb\": 1}", "unsupported keyword a\\x0ab");
}

/* Messages */

Test(jsonschema_messages, example_from_the_header)
{
	const char *s = "{\"type\": \"object\", \"properties\": {\"checks\": {\"type\": \"array\","
			" \"items\": {\"type\": \"object\", \"properties\": {\"status\": "
			"{\"enum\": [\"pass\", \"fail\"]}}}}}}";

	expect_message(
		s, "{\"checks\": [{}, {}, {}, {\"status\": \"maybe\"}]}",
		"/checks/3/status: \"maybe\" is not one of the enum values [\"pass\",\"fail\"]");
}

Test(jsonschema_messages, pointer_escaping)
{
	const char *s =
		"{\"additionalProperties\": {\"additionalProperties\": {\"type\": \"string\"}}}";

	expect_message(s, "{\"a/b\": {\"c~d\": 1}}", "/a~1b/c~0d: 1 is not of type \"string\"");
	expect_message(s, "{\"\": {\"\": 1}}", "//: 1 is not of type \"string\"");
	/* Control characters in keys must not break the line. */
	expect_message(s, "{\"x\\ny\": {\"z\": null}}",
		       "/x\\x0ay/z: null is not of type \"string\"");
	expect_message("{\"additionalProperties\": false}", "{\"x\\ty\": 1}",
		       "/x\\x09y: property \"x\\x09y\" is not allowed by additionalProperties");
}

Test(jsonschema_messages, root_and_truncation)
{
	char *err = NULL;
	int r = validate("{\"type\": \"string\"}",
			 "[\"aaaaaaaaaaaaaaaaaaaa\", \"bbbbbbbbbbbbbbbbbbbbbbbbb\", "
			 "\"cccccccccccccccccccccccccccccccc\"]",
			 &err);

	cr_expect_eq(r, -EBADMSG);
	cr_expect(err && !strncmp(err, "(root): [\"aaaa", 14), "%s", err ? err : "(none)");
	cr_expect(err && strstr(err, "...") && strlen(err) < 140, "%s", err ? err : "(none)");
	free(err);
}

Test(jsonschema_messages, reals)
{
	expect_message("{\"maximum\": 0.1}", "0.30000000000000004",
		       "(root): 0.3 is greater than maximum 0.1");
	expect_message("{\"type\": \"integer\"}", "2.5", "(root): 2.5 is not of type \"integer\"");
}

/* API edges */

Test(jsonschema_api, null_error_pointer_and_arguments)
{
	json_t *s = parse("{\"type\": \"string\"}"), *i = json_integer(1);
	char *err = NULL;

	cr_expect_eq(sc_schema_validate(s, i, NULL), -EBADMSG);
	cr_expect_eq(sc_schema_check(s, NULL), 0);
	cr_expect_eq(sc_schema_check(NULL, &err), -EINVAL);
	cr_expect_not_null(err);
	free(err);
	err = NULL;
	cr_expect_eq(sc_schema_validate(s, NULL, &err), -EINVAL);
	cr_expect_not_null(err);
	free(err);
	cr_expect_eq(sc_schema_validate(NULL, i, NULL), -EINVAL);
	json_decref(s);
	json_decref(i);
}

Test(jsonschema_api, realistic_report)
{
	const char *s = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
			" \"$id\": \"https://example.org/sysctr-check/report.schema.json\","
			" \"title\": \"sysctr-check report\","
			" \"type\": \"object\", \"additionalProperties\": false,"
			" \"required\": [\"version\", \"summary\", \"checks\"],"
			" \"properties\": {"
			"  \"version\": {\"const\": 1},"
			"  \"summary\": {\"type\": \"object\", \"required\": [\"pass\", \"fail\"],"
			"   \"additionalProperties\": {\"type\": \"integer\", \"minimum\": 0}},"
			"  \"checks\": {\"type\": \"array\", \"items\": {\"$ref\": "
			"\"#/$defs/check\"}, \"uniqueItems\": true}"
			" },"
			" \"$defs\": {"
			"  \"check\": {\"type\": \"object\", \"additionalProperties\": false,"
			"   \"required\": [\"id\", \"status\"],"
			"   \"properties\": {"
			"    \"id\": {\"type\": \"string\", \"pattern\": \"^[a-z][a-z0-9-]*$\"},"
			"    \"status\": {\"enum\": [\"pass\", \"fail\", \"warn\", \"skip\"]},"
			"    \"detail\": {\"type\": [\"string\", \"null\"]},"
			"    \"hint\": {\"type\": \"string\", \"minLength\": 1}"
			"   },"
			"   \"if\": {\"properties\": {\"status\": {\"const\": \"fail\"}}},"
			"   \"then\": {\"required\": [\"hint\"]}}"
			" }}";
	const char *good =
		"{\"version\": 1, \"summary\": {\"pass\": 1, \"fail\": 1},"
		" \"checks\": [{\"id\": \"cgroup-v2\", \"status\": \"pass\", \"detail\": null},"
		"  {\"id\": \"pid1\", \"status\": \"fail\", \"hint\": \"boot with systemd\"}]}";

	expect_valid(s, good);
	expect_invalid(s,
		       "{\"version\": 2, \"summary\": {\"pass\": 0, \"fail\": 0}, \"checks\": []}",
		       "/version: 2 is not equal to the const value 1");
	expect_invalid(s,
		       "{\"version\": 1, \"summary\": {\"pass\": 0, \"fail\": -1}, \"checks\": []}",
		       "/summary/fail: -1 is less than minimum 0");
	expect_invalid(s,
		       "{\"version\": 1, \"summary\": {\"pass\": 0, \"fail\": 0}, \"checks\": "
		       "[{\"id\": \"x\", \"status\": \"fail\"}]}",
		       "/checks/0: required property \"hint\" is missing");
	expect_invalid(s,
		       "{\"version\": 1, \"summary\": {\"pass\": 0, \"fail\": 0}, \"checks\": "
		       "[{\"id\": \"X\", \"status\": \"pass\"}]}",
		       "/checks/0/id: \"X\" does not match pattern");
	expect_invalid(s,
		       "{\"version\": 1, \"summary\": {\"pass\": 0, \"fail\": 0}, \"checks\": [], "
		       "\"extra\": 1}",
		       "/extra: property \"extra\" is not allowed by additionalProperties");
}
