/* SPDX-License-Identifier: MIT */
/* JSON Patch (RFC 6902) over JSON Pointers (RFC 6901), on jansson values:
 * the form `boot --fix` gives an OCI bundle's change in, and the applier
 * `--apply-to` and the tests use. Pure functions, no I/O. */
#pragma once

#include <jansson.h>

/* A JSON Pointer token escaped (~ -> ~0, / -> ~1). */
char *sc_json_pointer_escape(const char *token);

/* Applies patch (an array of operations: add, remove, replace, move,
 * copy, test) to a deep copy of doc. Returns 0 with *ret the patched
 * copy, or -EINVAL (a malformed operation or pointer), -ENOENT (a path
 * that does not exist), -ECANCELED (a failed test) with *ret_error a
 * one-line message naming the operation; doc is never changed. */
int sc_json_patch_apply(const json_t *doc, const json_t *patch, json_t **ret, char **ret_error);
/* The same on *doc itself (which an operation on "" replaces): an error
 * part-way leaves the operations before it applied. */
int sc_json_patch_apply_in_place(json_t **doc, const json_t *patch, char **ret_error);
