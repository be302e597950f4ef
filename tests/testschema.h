/* SPDX-License-Identifier: MIT */
/* The tests' access to man/sysctr-check.schema.json: documents validated
 * by python3-jsonschema (tests/schema-validate.py), many in one start. */
#pragma once

#include <jansson.h>
#include <stddef.h>

/* The validator's interpreter (the Makefile's SCHEMA_PYTHON): Debian's,
 * never the first python3 on PATH (a pyenv or venv python may lack
 * python3-jsonschema or have another version of it). */
#ifndef SCHEMA_PYTHON
#define SCHEMA_PYTHON "/usr/bin/python3"
#endif
#define SCHEMA_FILE SC_SRCDIR "/man/sysctr-check.schema.json"

/* A document to validate and the name a failure message gives it. */
struct schema_doc {
	const char *name;
	json_t *doc;
};

/* Checks the schema (2020-12 meta-schema, no unknown keyword) and
 * validates the n documents in one run of tests/schema-validate.py. For
 * each document, ret_errors[i] is NULL when it conforms, or a malloc'ed
 * "NAME: /json/path: message (schema #/...)" list of its failures.
 * ret_errors may be NULL when n is 0 (a check of the schema alone).
 * Fails the calling test, loudly, when the validator cannot run (no
 * /usr/bin/python3 or python3-jsonschema) or the schema is invalid. */
void schema_validate(const struct schema_doc *docs, size_t n, char **ret_errors);

/* Asserts that every document conforms, naming each failure. */
void schema_assert_all_valid(const struct schema_doc *docs, size_t n);
void schema_assert_valid(const char *name, json_t *doc);
