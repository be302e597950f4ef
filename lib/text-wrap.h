/* SPDX-License-Identifier: MIT */
/* Line breaking for the text output: where a line of prose, a list or a
 * table cell ends when it must fit a number of columns. String work only;
 * columns are counted as the escaped text shows (sc_text_width()). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* A word longer than a whole line is cut (table cells, whose column must
 * hold); without it such a word goes whole on its line and overflows (a
 * long path or container ID stays one piece to copy). */
#define SC_WRAP_HARD 1u

/* The bytes of s that go on a line with room columns left: words are
 * separated by spaces; a word that does not fit a fresh line either is
 * broken after a comma, or, with SC_WRAP_HARD, after a '/', ',', ':' or
 * '-' that fits, else between two characters. fresh: nothing but the
 * indentation is on the line yet; when it is not and the first word does
 * not fit, 0 is returned: end the line and call again. ret_next is where
 * the next line starts (the spaces of the break skipped). esc_flags: the
 * SC_ESCAPE_* flags the text will be written with. */
size_t sc_wrap_line(const char *s, size_t room, bool fresh, unsigned wrap_flags, unsigned esc_flags,
		    const char **ret_next);

/* s, which holds no newline of its own (escaped cells, help texts),
 * wrapped to width columns: the first line starts at column col, the
 * others after indent spaces; lines end with '\n' but the last. */
char *sc_wrap_string(const char *s, size_t width, size_t col, size_t indent, unsigned wrap_flags,
		     unsigned esc_flags);
