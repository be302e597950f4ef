/* SPDX-License-Identifier: MIT */
/* The text renderers' tables (render-text.h): how wide each column may be
 * to fit the width, the cells wrapped to it, and libsmartcols laying out
 * the lines. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "render-text.h"
#include "text-wrap.h"
#include "util.h"

#define SEP 2 /* columns between two cells */

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

struct sc_table {
	const struct sc_text_out *t;
	size_t n;
	bool *wrap;
	bool *words;  /* wraps between words only (a last column) */
	char **notes; /* per row: a line of its own under it, or NULL */
	char ***rows; /* escaped cells; rows[0] is the header, when there is one */
	size_t n_rows;
	bool has_head;
	unsigned flags; /* SC_ESCAPE_* of the cells */
	/* libsmartcols counts columns with the C library's multibyte
	 * functions, that is by LC_CTYPE: in the C locale a UTF-8 "—" is
	 * three bytes of no width, and cells are misaligned. It is given
	 * a UTF-8 locale of its own (this thread's, while it prints), and
	 * where there is none, cells in ASCII. */
	locale_t utf8;
};

struct sc_table *sc_table_new(const struct sc_text_out *t, size_t n, const char *const *heads)
{
	struct sc_table *tb = sc_xcalloc(1, sizeof(*tb));

	tb->t = t;
	tb->n = n;
	tb->wrap = sc_xcalloc(n, sizeof(bool));
	tb->words = sc_xcalloc(n, sizeof(bool));
	tb->flags = t->esc->flags;
	if (!(tb->flags & SC_ESCAPE_ASCII)) {
		tb->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (!tb->utf8)
			tb->flags |= SC_ESCAPE_ASCII;
	}
	if (heads) {
		sc_table_add(tb, heads);
		tb->has_head = true;
	}
	return tb;
}

void sc_table_wrap(struct sc_table *tb, size_t column)
{
	tb->wrap[column] = true;
}

void sc_table_wrap_words(struct sc_table *tb, size_t column)
{
	tb->wrap[column] = tb->words[column] = true;
}

void sc_table_add(struct sc_table *tb, const char *const *cells)
{
	char **row = sc_xcalloc(tb->n, sizeof(char *));

	for (size_t c = 0; c < tb->n; c++)
		row[c] = sc_text_escape(cells[c] ? cells[c] : "", tb->flags);
	tb->rows = sc_xrealloc(tb->rows, (tb->n_rows + 1) * sizeof(*tb->rows));
	tb->notes = sc_xrealloc(tb->notes, (tb->n_rows + 1) * sizeof(*tb->notes));
	tb->notes[tb->n_rows] = NULL;
	tb->rows[tb->n_rows++] = row;
}

void sc_table_note(struct sc_table *tb, const char *note)
{
	if (!tb->n_rows)
		return;
	free(tb->notes[tb->n_rows - 1]);
	tb->notes[tb->n_rows - 1] = sc_text_escape(note, tb->flags);
}

void sc_table_free(struct sc_table *tb)
{
	if (!tb)
		return;
	for (size_t r = 0; r < tb->n_rows; r++) {
		for (size_t c = 0; c < tb->n; c++)
			free(tb->rows[r][c]);
		free(tb->rows[r]);
		free(tb->notes[r]);
	}
	free(tb->rows);
	free(tb->notes);
	free(tb->wrap);
	free(tb->words);
	if (tb->utf8)
		freelocale(tb->utf8);
	free(tb);
}

static size_t width_of(const struct sc_table *tb, const char *s)
{
	return sc_text_width(s, tb->flags);
}

/* The widest piece of s that wrapping at spaces and after commas leaves
 * whole. */
static size_t widest_word(const struct sc_table *tb, const char *s)
{
	size_t w = 0;

	while (*s) {
		size_t n = strcspn(s, " ,");

		n += s[n] == ',';
		w = max_size(w, sc_text_nwidth(s, n, tb->flags));
		s += n + strspn(s + n, " ");
	}
	return w;
}

/* The table's natural width (every column as wide as its widest cell),
 * and each column's in ret_w. */
static size_t natural(const struct sc_table *tb, size_t *ret_w)
{
	size_t total = tb->n ? SEP * (tb->n - 1) : 0;

	for (size_t c = 0; c < tb->n; c++) {
		ret_w[c] = 0;
		for (size_t r = 0; r < tb->n_rows; r++)
			ret_w[c] = max_size(ret_w[c], width_of(tb, tb->rows[r][c]));
		total += ret_w[c];
	}
	return total;
}

/* Takes columns from the widest wrapping column above its floor, one at a
 * time, until total fits avail; returns the new total. */
static size_t shrink(const struct sc_table *tb, size_t avail, size_t total, const size_t *floor,
		     size_t *w)
{
	while (total > avail) {
		size_t best = tb->n;

		for (size_t c = 0; c < tb->n; c++)
			if (tb->wrap[c] && w[c] > floor[c] && (best == tb->n || w[c] >= w[best]))
				best = c;
		if (best == tb->n)
			break;
		w[best]--;
		total--;
	}
	return total;
}

/* The widths that fit avail columns. The wrapping columns give up
 * columns, the widest first: down to their widest word (prose and lists
 * wrap between words), then down to the widest word of their header (or
 * 8 columns, if their cells are not narrower: paths and names break
 * inside), then down to 8. The other columns keep their width; what
 * still does not fit overflows. */
static void fit(const struct sc_table *tb, size_t avail, size_t *w)
{
	_cleanup_free_ size_t *floor = sc_xcalloc(tb->n, sizeof(size_t));
	size_t total = natural(tb, w);

	for (size_t c = 0; c < tb->n; c++) {
		floor[c] = 0;
		for (size_t r = 0; r < tb->n_rows; r++)
			floor[c] = max_size(floor[c], widest_word(tb, tb->rows[r][c]));
		floor[c] = max_size(floor[c], w[c] < 8 ? w[c] : 8);
	}
	total = shrink(tb, avail, total, floor, w);
	for (size_t c = 0; c < tb->n; c++)
		if (!tb->words[c])
			floor[c] = max_size(w[c] < 8 ? w[c] : 8,
					    tb->has_head ? widest_word(tb, tb->rows[0][c]) : 0);
	total = shrink(tb, avail, total, floor, w);
	for (size_t c = 0; c < tb->n; c++)
		if (!tb->words[c])
			floor[c] = w[c] < 8 ? w[c] : 8;
	shrink(tb, avail, total, floor, w);
}

/* The lines of text after prefix (the first) or indent spaces, without
 * the padding that ends a line. */
static void put_lines(const struct sc_table *tb, const char *text, const char *prefix,
		      size_t indent, bool *first)
{
	const struct sc_text_out *t = tb->t;

	for (const char *line = text, *end; *line; line = end + (*end == '\n')) {
		size_t n;

		end = line + strcspn(line, "\n");
		n = (size_t)(end - line);
		while (n && line[n - 1] == ' ')
			n--;
		if (*first && prefix)
			fputs(prefix, t->f);
		else if (n)
			fprintf(t->f, "%*s", (int)indent, "");
		fwrite(line, 1, n, t->f);
		sc_text_nl(t);
		*first = false;
	}
}

/* libsmartcols prints the lines, every cell already wrapped to its
 * column with '\n' (its wrapnl functions): it never has to shrink a
 * column itself, so its version's reduction algorithm (rewritten in
 * 2.39) cannot change the output, and no cell is ever truncated. When a
 * row has a note, each row is printed on its own (a range of the same
 * table: the same column widths), then its note. */
static void emit(struct sc_table *tb, size_t avail, const char *prefix, size_t indent)
{
	_cleanup_free_ size_t *w = sc_xcalloc(tb->n ? tb->n : 1, sizeof(size_t));
	struct libscols_table *st = NULL;
	locale_t old = (locale_t)0;
	bool first = true, notes = false;

	if (!tb->n_rows)
		return;
	fit(tb, avail, w);
	st = scols_new_table();
	if (!st)
		abort(); /* out of memory, as every allocation of the tool */
	scols_table_enable_noheadings(st, 1);
	/* The cells are escaped already (sc_text_escape()). */
	scols_table_enable_noencoding(st, 1);
	scols_table_set_column_separator(st, "  ");
	scols_table_set_termforce(st, SCOLS_TERMFORCE_ALWAYS);
	scols_table_set_termwidth(st, avail);
	for (size_t c = 0; c < tb->n; c++) {
		/* No name: a header would be its minimum width. */
		struct libscols_column *cl =
			scols_table_new_column(st, NULL, 0, tb->wrap[c] ? SCOLS_FL_WRAP : 0);

		if (!cl)
			abort();
		if (tb->wrap[c])
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
	}
	for (size_t r = 0; r < tb->n_rows; r++) {
		struct libscols_line *ln = scols_table_new_line(st, NULL);

		if (!ln)
			abort();
		notes |= tb->notes[r] != NULL;
		for (size_t c = 0; c < tb->n; c++) {
			const char *cell = tb->rows[r][c];
			_cleanup_free_ char *wrapped = NULL;

			if (tb->wrap[c] && width_of(tb, cell) > w[c])
				cell = wrapped =
					sc_wrap_string(cell, w[c], 0, 0,
						       tb->words[c] ? 0 : SC_WRAP_HARD, tb->flags);
			if (scols_line_set_data(ln, c, cell) < 0)
				abort();
		}
	}
	if (tb->utf8)
		old = uselocale(tb->utf8);
	for (size_t r = 0; r < (notes ? tb->n_rows : 1); r++) {
		_cleanup_free_ char *text = NULL;
		int k;

		if (notes) {
			struct libscols_line *ln = scols_table_get_line(st, r);

			k = scols_table_print_range_to_string(st, ln, ln, &text);
		} else
			k = scols_print_table_to_string(st, &text);
		if (k < 0 || !text)
			abort();
		put_lines(tb, text, prefix, indent, &first);
		if (notes && tb->notes[r]) {
			/* Between words, if it has some ("web (cdbbd073a93a)"). */
			_cleanup_free_ char *note = sc_wrap_string(
				tb->notes[r], avail > 2 ? avail - 2 : 1, 0, 0, 0, tb->flags);

			put_lines(tb, note, NULL, indent + 2, &first);
		}
	}
	if (tb->utf8)
		uselocale(old);
	scols_unref_table(st);
}

static size_t avail_at(const struct sc_table *tb, size_t indent)
{
	size_t width = sc_text_columns(tb->t);

	return width > indent ? width - indent : 1;
}

bool sc_table_fits(const struct sc_table *tb, size_t indent)
{
	_cleanup_free_ size_t *w = sc_xcalloc(tb->n ? tb->n : 1, sizeof(size_t));

	return natural(tb, w) <= avail_at(tb, indent);
}

bool sc_table_fits_wrapped(const struct sc_table *tb, size_t indent)
{
	_cleanup_free_ size_t *w = sc_xcalloc(tb->n ? tb->n : 1, sizeof(size_t));
	size_t total = tb->n ? SEP * (tb->n - 1) : 0;

	fit(tb, avail_at(tb, indent), w);
	for (size_t c = 0; c < tb->n; c++)
		total += w[c];
	return total <= avail_at(tb, indent);
}

void sc_table_print(struct sc_table *tb, size_t indent)
{
	emit(tb, avail_at(tb, indent), NULL, indent);
}

void sc_table_print_kv(struct sc_table *tb, const char *key)
{
	_cleanup_free_ size_t *w = sc_xcalloc(tb->n ? tb->n : 1, sizeof(size_t));
	_cleanup_free_ char *prefix = NULL;

	if (natural(tb, w) <= avail_at(tb, SC_TEXT_KV_COL)) {
		prefix = sc_xasprintf("  %-18s ", key);
		emit(tb, avail_at(tb, SC_TEXT_KV_COL), prefix, SC_TEXT_KV_COL);
		return;
	}
	sc_text_line(tb->t, "  %s", key);
	emit(tb, avail_at(tb, 4), NULL, 4);
}
