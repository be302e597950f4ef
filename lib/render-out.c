/* SPDX-License-Identifier: MIT */
/* What the renderers share, so that none depends on another but through
 * its section entry points: the text primitives that write to the
 * escaping FILE (render-text.h), and JSON pieces several sections print
 * (the manager's state, capability masks). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "manager.h"
#include "proc.h"
#include "render-text.h"
#include "text-wrap.h"
#include "util.h"

typedef struct sc_text_out out_t;

static const char *const format_names[] = {
	[SC_FORMAT_TEXT] = "text",
	[SC_FORMAT_JSON] = "json",
	[SC_FORMAT_JUNIT] = "junit",
	[SC_FORMAT_PROMETHEUS] = "prometheus",
};

SC_STRING_TABLE(sc_format, enum sc_format, format_names, "text")

/* ---- JUnit and Prometheus ----------------------------------------------------- */

int64_t sc_render_timestamp(void)
{
	/* https://reproducible-builds.org/specs/source-date-epoch/: an
	 * integer of seconds; anything else is ignored. */
	const char *env = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (!isempty(env)) {
		errno = 0;
		t = strtoll(env, &end, 10);
		if (!errno && !*end && t >= 0)
			return t;
	}
	return (int64_t)time(NULL);
}

char *sc_render_target_name(const struct sc_container_ref *ref)
{
	return sc_xasprintf("%s:%s", sc_runtime_to_string(ref->runtime),
			    ref->name ? ref->name : strna(ref->id));
}

/* ---- text ---------------------------------------------------------------------- */

void sc_text_nl(const out_t *o)
{
	sc_escaped_trusted(o->esc, "\n");
}

void sc_text_sgr(const out_t *o, const char *code)
{
	if (o->o->color)
		sc_escaped_trusted(o->esc, code);
}

void sc_text_line(const out_t *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	sc_text_nl(o);
}

void sc_text_heading(const out_t *o, const char *title)
{
	sc_text_nl(o);
	sc_text_sgr(o, SC_ANSI_BOLD);
	sc_text_wrap(o, 0, 4, title);
	sc_text_sgr(o, SC_ANSI_RESET);
	sc_text_nl(o);
}

/* Display width of the escaped text, as sc_text_width() counts it: "—"
 * pads like "-", "\x1b" like four characters, "日" like two. */
size_t sc_text_cell_width(const out_t *o, const char *s)
{
	return sc_text_width(s, o->esc->flags);
}

void sc_text_cell(const out_t *o, const char *s, size_t w)
{
	fputs(s, o->f);
	for (size_t i = sc_text_cell_width(o, s); i < w; i++)
		fputc(' ', o->f);
}

size_t sc_text_columns(const out_t *o)
{
	return o->o->width ? o->o->width : 80;
}

size_t sc_text_wrap(const out_t *o, size_t col, size_t indent, const char *s)
{
	size_t width = sc_text_columns(o);
	bool fresh;

	if (indent > width / 2)
		indent = width / 2;
	fresh = col <= indent;
	while (*s) {
		const char *next;
		size_t n = sc_wrap_line(s, width > col ? width - col : 0, fresh, 0, o->esc->flags,
					&next);

		fwrite(s, 1, n, o->f);
		col += sc_text_nwidth(s, n, o->esc->flags);
		s = next;
		if (!*s)
			break;
		sc_text_nl(o);
		fprintf(o->f, "%*s", (int)indent, "");
		col = indent;
		fresh = true;
	}
	return col;
}

void sc_text_hang(const out_t *o, size_t col, size_t indent, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort(); /* out of memory, as every allocation of the tool */
	va_end(ap);
	sc_text_wrap(o, col, indent, s);
	sc_text_nl(o);
}

void sc_text_kv(const out_t *o, const char *key, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	size_t col;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	fprintf(o->f, "  %-18s ", key);
	col = 3 + sc_text_cell_width(o, key);
	sc_text_wrap(o, col > SC_TEXT_KV_COL ? col : SC_TEXT_KV_COL, SC_TEXT_KV_COL, s);
	sc_text_nl(o);
}

int sc_text_open(out_t *t, struct sc_escaped_file *esc, const struct sc_text_opts *o, FILE *out)
{
	/* Where the tool's own output is ASCII (a terminal that is not
	 * UTF-8, or --ascii), the model's is too. */
	int k = sc_escaped_open(esc, out, o->unicode ? 0 : SC_ESCAPE_ASCII);

	if (k < 0)
		return k;
	*t = (out_t){ esc->f, esc, o };
	return 0;
}

int sc_text_close(out_t *t)
{
	return sc_escaped_close(t->esc);
}

/* ---- JSON ---------------------------------------------------------------------- */

json_t *sc_manager_to_json(int running, const struct sc_manager_state *s, int err)
{
	json_t *units = json_null();

	if (running != SC_YES)
		return json_null();
	if (err == 0) {
		units = sc_json_ok(json_array());
		for (char **u = s->failed_units; u && *u; u++)
			sc_json_append(units, sc_json_string(*u));
	}
	return sc_json_pack("{s:o,s:o,s:o,s:o,s:o}", "version",
			    sc_json_string(err ? NULL : s->version), "system_state",
			    sc_json_string(err ? NULL : s->system_state), "failed_units", units,
			    "errno", err ? json_string(sc_errname(err)) : json_null(), "message",
			    err ? sc_json_string(sc_strerror(err)) : json_null());
}

json_t *sc_caps_to_json(uint64_t mask)
{
	json_t *a = sc_json_ok(json_array());

	for (unsigned i = 0; i < 64; i++)
		if (mask & (1ULL << i)) {
			const char *n = sc_cap_name(i);
			sc_json_append(a, n ? json_sprintf("CAP_%s", n) : json_sprintf("%u", i));
		}
	/* Upper case, as runtimes spell them in OCI configs. */
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *v = json_string_value(json_array_get(a, i));
		char *u = sc_xstrdup(v);
		for (char *q = u; *q; q++)
			*q = (char)toupper((unsigned char)*q);
		if (json_array_set_new(a, i, sc_json_string(u)) < 0)
			abort(); /* i < size: cannot fail */
		free(u);
	}
	return a;
}
