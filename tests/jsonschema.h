/* SPDX-License-Identifier: MIT */
/* The test suite's strict JSON Schema validator (a draft 2020-12 subset on
 * top of jansson): its two entry points and their error conventions. */
#pragma once

#include <jansson.h>

/*
 * Supported keywords: $schema, $id (root only), $comment, title,
 * description, examples, default, format (annotations), $defs, definitions,
 * $ref (local JSON pointers: "#", "#/$defs/name", ...), type, enum, const,
 * properties, required, additionalProperties, patternProperties,
 * propertyNames, minProperties, maxProperties, items, prefixItems, minItems,
 * maxItems, uniqueItems, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, minLength, maxLength, pattern, allOf, anyOf, oneOf, not,
 * if, then, else. Any other keyword makes the schema invalid, so a schema
 * can never promise a constraint that is silently not checked.
 *
 * "pattern" and "patternProperties" are POSIX extended regular expressions
 * (regex.h, evaluated in the C.UTF-8 locale), searched unanchored as JSON
 * Schema specifies; ECMA-262-only syntax such as \d or (?:) is rejected.
 *
 * Error messages are one line. Instance errors start with the JSON pointer
 * of the failing instance location ("(root)" for the document itself),
 * schema errors with "schema #<pointer>" of the offending schema location.
 */

/* Validates instance against schema (the root schema document, for $ref).
 * The schema is checked with sc_schema_check() first.
 * Returns 0 when valid; otherwise a negative number and, if ret_error is
 * non-NULL, a malloc'ed one-line message naming the JSON pointer of the
 * failing instance location and the keyword, e.g.
 * "/checks/3/status: \"maybe\" is not one of the enum values".
 * -EBADMSG: the instance does not conform; -EINVAL: the schema is invalid;
 * -ELOOP: the instance is nested too deeply to validate. */
int sc_schema_validate(json_t *schema, json_t *instance, char **ret_error);

/* Checks that a schema only uses supported keywords with well-formed
 * values, that every $ref resolves to a schema, and that no $ref cycle can
 * loop without descending into the instance. 0 or -EINVAL. */
int sc_schema_check(json_t *schema, char **ret_error);
