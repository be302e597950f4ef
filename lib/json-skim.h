/* SPDX-License-Identifier: MIT */
/* A JSON object's members found without building the document: one pass
 * that checks the whole text's syntax (as strictly as jansson, but for
 * duplicate keys below the top level) and hands back where each
 * top-level value lies. For runtime state files of a few KiB of which a
 * scan of hundreds reads four fields: jansson's tree of every node was
 * most of the cost of `list`. */
#pragma once

#include <jansson.h>
#include <stddef.h>

struct sc_json_member {
	const char *key; /* raw, between the quotes, escapes as written */
	size_t key_len;
	const char *value; /* the value's text */
	size_t value_len;
};

/* text[0..len) must be one JSON object (surrounding whitespace allowed)
 * whose top-level keys are distinct (1024 at most). Returns its number of members with
 * *ret the array (free()), or -EBADMSG. */
int sc_json_skim_object(const char *text, size_t len, struct sc_json_member **ret);
/* The member named key (a plain key: no escapes in it), or NULL. */
const struct sc_json_member *sc_json_member_find(const struct sc_json_member *m, size_t n,
						 const char *key);
/* One member's value as jansson's (small) tree, or NULL. */
json_t *sc_json_member_load(const struct sc_json_member *m);
