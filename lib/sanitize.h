/* SPDX-License-Identifier: MIT */
/* Strings from a container or a snapshot on their way out: text that
 * cannot drive the admin's terminal, and JSON that never loses an object
 * to bytes that are not UTF-8. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* How a byte or code point that may not be shown is written, in text and
 * in JSON alike: "\x1b" for a C0 control or DEL, a byte that is not part
 * of valid UTF-8 ("\xff"), and "\u009b" for a C1 control (valid UTF-8,
 * but terminals act on it). A backslash itself is left alone. */

/* A copy of s with every such byte escaped, and also "\n" and "\t" when
 * oneline (for a value printed inside a line). */
char *sc_escape(const char *s, size_t n, bool oneline);

/* A stream that writes to raw what it is given with every control
 * character but the newline escaped (the rules above, tab included): the
 * text renderers write through one, so that no string of the model can
 * reach the terminal raw, however it was formatted. The renderer's own
 * colour codes go around it, through sc_safe_color(). Closing it flushes
 * it and leaves raw open. NULL only when out of memory. */
FILE *sc_safe_open(FILE *raw);
/* Write an escape sequence of the renderer's own (a colour) to the raw
 * stream under f, in order with what f holds; on any other stream, to f
 * itself. */
void sc_safe_color(FILE *f, const char *code);

/* A JSON string for any bytes: valid UTF-8 as it is, each byte that is
 * not as the text "\xNN" (C1 controls and the others are valid JSON and
 * stay). NULL gives JSON null. Never NULL. */
json_t *sc_json_string(const char *s);
json_t *sc_json_stringn(const char *s, size_t n);
/* json_pack() for the renderers, with the subset of its format they use
 * ("{}", "[]", "s", "o", "b", "i", "I"), where every "s" goes through
 * sc_json_string(): a string that is not UTF-8 can no longer make the
 * whole object NULL (jansson refuses it, and json_pack() then fails). */
json_t *sc_json_pack(const char *fmt, ...);
