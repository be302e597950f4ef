/* SPDX-License-Identifier: MIT */
/* The text renderers' shared output (render-text.c, render-limits.c,
 * render-boot.c): every byte goes through an escaping FILE, only line ends
 * and colour codes do not. */
#pragma once

#include <stdio.h>

#include "macro.h"
#include "render.h"
#include "sanitize.h"

#define SC_ANSI_RESET "\033[0m"
#define SC_ANSI_BOLD "\033[1m"
#define SC_ANSI_DIM "\033[2m"

/* Why a FILE layer, rather than escaping each string at its call site:
 * nearly every string of the model came from a container or a snapshot
 * (names, paths, link targets, os-release, PID 1's argv, and the check
 * summaries and evidence that quote them), and the renderers pass them
 * through printf formats, joins and table cells in some hundred places. A
 * helper called at each would be forgotten at the next one. Here the
 * renderers are only ever given the escaping FILE (f), so whatever they
 * print is escaped, forgotten or not; the bytes that must reach the
 * terminal as they are, the renderer's own newlines and SGR colour codes,
 * are string literals written through sc_text_nl() and sc_text_sgr(). A
 * renderer that printed "\n" into f would show "\n" literally: visible in
 * the golden files, never a hole. */
struct sc_text_out {
	FILE *f; /* escaping: the renderers write everything here */
	struct sc_escaped_file *esc;
	const struct sc_text_opts *o;
};

/* The renderer's own line end. */
void sc_text_nl(const struct sc_text_out *t);
/* An SGR colour code (a literal), written only with colour on. */
void sc_text_sgr(const struct sc_text_out *t, const char *code);
/* One line: the format's output (escaped), then a line end. */
void sc_text_line(const struct sc_text_out *t, const char *fmt, ...) _printf_(2, 3);
/* An empty line, then the title in bold. */
void sc_text_heading(const struct sc_text_out *t, const char *title);
/* The columns s takes once escaped (sc_text_width()). */
size_t sc_text_cell_width(const struct sc_text_out *t, const char *s);
/* s, padded with spaces to w columns (as escaped). */
void sc_text_cell(const struct sc_text_out *t, const char *s, size_t w);

/* ---- width (render-out.c) ---- */

/* The value column of a key/value block ("  %-18s "). */
#define SC_TEXT_KV_COL 21

/* The columns the text must fit (sc_text_opts.width; 80 when 0). */
size_t sc_text_columns(const struct sc_text_out *t);
/* s, written from column col (what the line holds already), wrapped at
 * spaces to the width; each further line starts after indent spaces.
 * The indent is at most half the width, so that a word that overflows (a
 * long path, a container ID: never cut) could not have fitted any line.
 * No line end; returns the column after the text. */
size_t sc_text_wrap(const struct sc_text_out *t, size_t col, size_t indent, const char *s);
/* The format's output wrapped as by sc_text_wrap(), then a line end. */
void sc_text_hang(const struct sc_text_out *t, size_t col, size_t indent, const char *fmt, ...)
	_printf_(4, 5);
/* "  KEY                VALUE": the value wrapped under its column. */
void sc_text_kv(const struct sc_text_out *t, const char *key, const char *fmt, ...) _printf_(3, 4);
/* The escaping output on out, for text that is not a report (`checks`,
 * `runtimes`); sc_text_close() flushes it: 0, or -EIO. */
int sc_text_open(struct sc_text_out *t, struct sc_escaped_file *esc, const struct sc_text_opts *o,
		 FILE *out);
int sc_text_close(struct sc_text_out *t);

/* ---- tables (render-table.c, libsmartcols) ---- */

/* A table whose cells are model strings (escaped here). The columns get
 * their widest cell's width, and when the table does not fit, the
 * columns marked with sc_table_wrap() give up columns (the widest first)
 * and their cells wrap: at spaces, then inside words. libsmartcols lays
 * the lines out; the header is a row of its own, so that it wraps too. */
struct sc_table;
/* n columns; heads: n header cells, or NULL for no header. */
struct sc_table *sc_table_new(const struct sc_text_out *t, size_t n, const char *const *heads);
void sc_table_wrap(struct sc_table *tb, size_t column);
/* The same between words only: a word wider than the column overflows
 * it (for the last column: an ID that must stay whole). */
void sc_table_wrap_words(struct sc_table *tb, size_t column);
/* One row: n cells (NULL is an empty cell). */
void sc_table_add(struct sc_table *tb, const char *const *cells);
/* A line of its own under the last row (the header, right after
 * sc_table_new()), indented by 2 more: a cell that must stay whole and
 * would not leave the others room beside it. */
void sc_table_note(struct sc_table *tb, const char *note);
/* Whether every cell fits unwrapped after indent spaces. */
bool sc_table_fits(const struct sc_table *tb, size_t indent);
/* Whether it fits there once its wrapping columns are wrapped. */
bool sc_table_fits_wrapped(const struct sc_table *tb, size_t indent);
/* Every line after indent spaces. */
void sc_table_print(struct sc_table *tb, size_t indent);
/* In a key/value block: "  KEY" and the table at the value column when
 * it fits there whole, else the key on a line of its own and the table
 * under it, indented by 4. */
void sc_table_print_kv(struct sc_table *tb, const char *key);
void sc_table_free(struct sc_table *tb);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct sc_table *, sc_table_free);
#define _cleanup_table_ _cleanup_(sc_table_freep)
