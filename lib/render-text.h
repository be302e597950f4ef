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
