/* SPDX-License-Identifier: MIT */
/* Escaping of control characters and of bytes that are not UTF-8, for
 * the text renderers (a filtering stream) and the JSON renderer.
 *
 * Why a stream: the text renderers print facts with fprintf() in many
 * places, and a container controls many of those facts (PID 1's argv
 * and comm, os-release, file names, link targets, mount points). A
 * string that reaches the terminal raw can set its title, clear the
 * screen or draw "all checks passed" in red. Escaping at each call site
 * can be forgotten; a stream under every renderer cannot. The renderer's
 * own escape sequences (colours) are the only bytes that bypass it, and
 * they go through sc_safe_color(), which takes no string from the model.
 * The newline is the one control the stream lets through (the renderer
 * ends its lines with it); a value printed inside a line is escaped
 * with sc_escape(..., true) by the renderer's line helpers. */
#include <stdarg.h>
#include <stdint.h>

#include "sanitize.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when the byte at
 * p does not start one (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF). *ret_cp is the code point. */
static size_t utf8_seq(const unsigned char *p, size_t left, uint32_t *ret_cp)
{
	uint32_t cp;
	size_t n;

	if (p[0] < 0x80) {
		*ret_cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return n;
}

/* Whether the sequence at p could still become valid with more bytes. */
static bool utf8_incomplete(const unsigned char *p, size_t left)
{
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;

	if (n == 0 || left >= n || p[0] > 0xf4)
		return false;
	for (size_t i = 1; i < left; i++)
		if ((p[i] & 0xc0) != 0x80)
			return false;
	return true;
}

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = sc_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

/* Escape s[0..n) into b; returns how many bytes were consumed (less than
 * n only when stream is set and the input ends inside a sequence that
 * may still complete). */
static size_t escape_into(struct buf *b, const unsigned char *s, size_t n, bool keep_newline,
			  bool stream)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t l = utf8_seq(s + i, n - i, &cp);
		char e[8];

		if (l == 0 && stream && utf8_incomplete(s + i, n - i))
			break;
		if (l == 0) {
			snprintf(e, sizeof(e), "\\x%02x", s[i]);
			put(b, e, 4);
			i++;
		} else if (cp == '\n' && keep_newline) {
			put(b, "\n", 1);
			i++;
		} else if (cp == '\n' || cp == '\t') {
			put(b, cp == '\n' ? "\\n" : "\\t", 2);
			i++;
		} else if (cp < 0x20 || cp == 0x7f) {
			snprintf(e, sizeof(e), "\\x%02x", (unsigned)cp);
			put(b, e, 4);
			i++;
		} else if (cp >= 0x80 && cp <= 0x9f) {
			snprintf(e, sizeof(e), "\\u%04x", (unsigned)cp);
			put(b, e, 6);
			i += l;
		} else {
			put(b, (const char *)s + i, l);
			i += l;
		}
	}
	return i;
}

char *sc_escape(const char *s, size_t n, bool oneline)
{
	struct buf b = {};

	put(&b, "", 0);
	escape_into(&b, (const unsigned char *)s, n, !oneline, false);
	return b.p;
}

/* ---- the stream ---------------------------------------------------------------- */

struct safe {
	FILE *raw;
	FILE *self;
	unsigned char pending[4]; /* the start of a UTF-8 sequence cut by a write */
	size_t n_pending;
	struct safe *next;
};

static struct safe *streams; /* open safe streams, for sc_safe_color() */

static ssize_t safe_write(void *cookie, const char *data, size_t size)
{
	struct safe *s = cookie;
	_cleanup_free_ unsigned char *in = sc_xmalloc(s->n_pending + size);
	struct buf b = {};
	size_t n = s->n_pending + size, used;

	memcpy(in, s->pending, s->n_pending);
	memcpy(in + s->n_pending, data, size);
	put(&b, "", 0);
	used = escape_into(&b, in, n, true, true);
	s->n_pending = n - used; /* at most 3: an incomplete sequence */
	memcpy(s->pending, in + used, s->n_pending);
	if (b.n && fwrite(b.p, 1, b.n, s->raw) != b.n) {
		free(b.p);
		return -1;
	}
	free(b.p);
	return (ssize_t)size;
}

static int safe_close(void *cookie)
{
	struct safe *s = cookie, **p;
	struct buf b = {};
	int k = 0;

	/* A sequence still cut at the end was never completed. */
	put(&b, "", 0);
	escape_into(&b, s->pending, s->n_pending, true, false);
	if (b.n && fwrite(b.p, 1, b.n, s->raw) != b.n)
		k = -1;
	free(b.p);
	for (p = &streams; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	free(s);
	return k;
}

FILE *sc_safe_open(FILE *raw)
{
	struct safe *s = sc_xcalloc(1, sizeof(*s));
	cookie_io_functions_t io = { .write = safe_write, .close = safe_close };

	s->raw = raw;
	s->self = fopencookie(s, "w", io);
	if (!s->self) {
		free(s);
		return NULL;
	}
	s->next = streams;
	streams = s;
	return s->self;
}

void sc_safe_color(FILE *f, const char *code)
{
	for (struct safe *s = streams; s; s = s->next)
		if (s->self == f) {
			fflush(f);
			fputs(code, s->raw);
			return;
		}
	fputs(code, f);
}

/* ---- JSON ------------------------------------------------------------------------ */

json_t *sc_json_stringn(const char *s, size_t n)
{
	struct buf b = {};
	json_t *v;
	size_t i = 0;

	if (!s)
		return json_null();
	v = json_stringn(s, n);
	if (v)
		return v;
	put(&b, "", 0);
	while (i < n) {
		uint32_t cp;
		size_t l = utf8_seq((const unsigned char *)s + i, n - i, &cp);

		if (l == 0) {
			char e[8];

			snprintf(e, sizeof(e), "\\x%02x", (unsigned char)s[i]);
			put(&b, e, 4);
			i++;
		} else {
			put(&b, s + i, l);
			i += l;
		}
	}
	v = json_stringn(b.p, b.n);
	free(b.p);
	return v ? v : json_string("(unencodable)");
}

json_t *sc_json_string(const char *s)
{
	return s ? sc_json_stringn(s, strlen(s)) : json_null();
}

/* One value of the format at *fmt; *ok turns false on an error, but the
 * whole format is still walked so that every "o" reference is taken (and
 * dropped), as json_pack() does. */
static json_t *pack_value(const char **fmt, va_list *ap, bool *ok)
{
	json_t *v = NULL;
	char c;

	while (**fmt == ' ' || **fmt == ',' || **fmt == ':')
		(*fmt)++;
	c = *(*fmt)++;
	switch (c) {
	case '{':
		v = json_object();
		for (;;) {
			const char *key;
			json_t *x;

			while (**fmt == ' ' || **fmt == ',')
				(*fmt)++;
			if (**fmt == '}') {
				(*fmt)++;
				break;
			}
			if (**fmt != 's') {
				*ok = false;
				break;
			}
			(*fmt)++;
			key = va_arg(*ap, const char *);
			x = pack_value(fmt, ap, ok);
			if (!key || !x || json_object_set_new(v, key, x) < 0)
				*ok = false;
		}
		break;
	case '[':
		v = json_array();
		for (;;) {
			json_t *x;

			while (**fmt == ' ' || **fmt == ',')
				(*fmt)++;
			if (**fmt == ']') {
				(*fmt)++;
				break;
			}
			if (!**fmt) {
				*ok = false;
				break;
			}
			x = pack_value(fmt, ap, ok);
			if (!x || json_array_append_new(v, x) < 0)
				*ok = false;
		}
		break;
	case 's':
		v = sc_json_string(va_arg(*ap, const char *));
		break;
	case 'o':
		v = va_arg(*ap, json_t *);
		break;
	case 'b':
		v = json_boolean(va_arg(*ap, int));
		break;
	case 'i':
		v = json_integer(va_arg(*ap, int));
		break;
	case 'I':
		v = json_integer(va_arg(*ap, json_int_t));
		break;
	default:
		/* A format this packer does not know: a bug here. */
		if (!c)
			(*fmt)--;
		*ok = false;
		break;
	}
	if (!v)
		*ok = false;
	return v;
}

json_t *sc_json_pack(const char *fmt, ...)
{
	va_list ap;
	json_t *v;
	bool ok = true;

	va_start(ap, fmt);
	v = pack_value(&fmt, &ap, &ok);
	va_end(ap);
	if (!ok) {
		json_decref(v);
		return NULL;
	}
	return v;
}
