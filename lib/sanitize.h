/* SPDX-License-Identifier: MIT */
/* What untrusted bytes (from a container, an image or a snapshot) become
 * on a terminal and in JSON: escapes, never raw control bytes, never a
 * JSON value silently lost to a byte that is not UTF-8. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s, of which n bytes
 * are available; 0 when s[0] does not start one; -1 when the n bytes are
 * the valid start of a longer sequence. Valid is RFC 3629 as jansson
 * checks it: no overlong forms, no surrogates, nothing above U+10FFFF. */
int sc_utf8_len(const char *s, size_t n);
bool sc_utf8_valid(const char *s, size_t n);

/* ---- text ------------------------------------------------------------------------ */

/* The text escapes: newline, tab and carriage return as \n \t \r; every
 * other C0 control, DEL, each byte of a C1 control (U+0080-U+009F, bytes
 * c2 80 to c2 9f) and each byte that is not part of valid UTF-8 as \xNN
 * (two lower-case hex digits). Valid printable UTF-8 is unchanged, and so
 * is a backslash: escaping is idempotent, and an escape is only ever
 * ambiguous with the same text written literally, which cannot move the
 * cursor.
 * With SC_ESCAPE_ASCII (a terminal whose character set is not UTF-8, or
 * --ascii) every byte from 0x80 up is \xNN too: a Latin-1 terminal reads
 * the 0x9b inside U+201B's UTF-8 (e2 80 9b) as a CSI. */
#define SC_ESCAPE_ASCII 1u
char *sc_text_escape(const char *s, unsigned flags); /* allocated; NULL for NULL */
/* Display columns of sc_text_escape(s, flags), as a terminal draws it:
 * one per ASCII character (an escape's four included), two for an East
 * Asian wide or fullwidth code point (CJK, Hangul, emoji), none for a
 * combining mark, one for any other. */
size_t sc_text_width(const char *s, unsigned flags);
/* The same for the first n bytes of s. */
size_t sc_text_nwidth(const char *s, size_t n, unsigned flags);

/* A FILE that escapes every byte written to it onto raw. The text
 * renderer writes everything through it; only its own line ends and
 * colour codes go to raw, through sc_escaped_trusted(). A UTF-8 sequence
 * split between two writes is reassembled; one still incomplete when
 * trusted bytes follow (or at close) is escaped. */
struct sc_escaped_file {
	FILE *f;   /* write here */
	FILE *raw; /* not yours: only sc_escaped_trusted() writes to it */
	unsigned flags;
	char pend[4];
	size_t n_pend;
};
/* 0, or -ENOMEM; e must stay where it is until sc_escaped_close(). */
int sc_escaped_open(struct sc_escaped_file *e, FILE *raw, unsigned flags);
/* Bytes of the caller's own (a string literal: "\n", an SGR code), not
 * escaped. */
void sc_escaped_trusted(struct sc_escaped_file *e, const char *s);
/* Flushes and closes f (raw stays open): 0, or -EIO when raw failed. */
int sc_escaped_close(struct sc_escaped_file *e);

/* ---- JSON ------------------------------------------------------------------------ */

/* A JSON string for any bytes (json_null() for NULL): valid UTF-8 is
 * unchanged (JSON escapes its controls), each byte that is not part of
 * valid UTF-8 becomes the four characters \xNN (lower-case hex), as in the
 * text output, so the byte stays visible (U+FFFD would hide which byte).
 * Never NULL: out of memory aborts, as every allocation of the tool. */
json_t *sc_json_string(const char *s);
json_t *sc_json_stringn(const char *s, size_t len);
/* A strv as an array of sc_json_string()s: [] for NULL, or null for NULL
 * with the _or_null variant (a list that could not be read). */
json_t *sc_json_strv(char *const *l);
json_t *sc_json_strv_or_null(char *const *l);
/* v, or abort when v is NULL: a value a renderer built must never be
 * silently dropped by json_object_set_new() / json_array_append_new(),
 * which fail on NULL. NULL happens only on out of memory, or with a pack
 * format that does not match its arguments (a bug: the tests catch it). */
json_t *sc_json_ok(json_t *v);
/* json_pack() that never returns NULL: on failure it names the error in
 * the format (a bug) on stderr and aborts. */
json_t *sc_json_pack(const char *fmt, ...);
/* json_array_append_new / json_object_set_new that cannot fail silently
 * (they abort like sc_json_ok on a NULL value or out of memory). */
void sc_json_append(json_t *a, json_t *v);
void sc_json_set(json_t *o, const char *key, json_t *v);
