/* SPDX-License-Identifier: MIT */
/* Escaping of untrusted bytes: the text escapes and the escaping FILE the
 * text renderer writes through, and JSON strings for any bytes. */
#include <stdarg.h>
#include <stdio.h>

#include "sanitize.h"
#include "util.h"

static _Noreturn void json_fail(const char *what)
{
	fprintf(stderr, "sysctr-check: building JSON: %s\n", what);
	abort();
}

int sc_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	int len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4) /* continuation, overlong C0/C1, > U+10FFFF */
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	/* The second byte's range excludes overlong forms (E0, F0), the
	 * surrogates (ED) and what lies above U+10FFFF (F4). */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
			return 0;
	}
	return len;
}

bool sc_utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		int k = sc_utf8_len(s + i, n - i);

		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

/* ---- text ------------------------------------------------------------------------ */

/* The escape of the sequence at s (k bytes as sc_utf8_len() said, <= 0
 * for an invalid byte), written by put; returns the bytes consumed. */
typedef void (*put_fn)(void *ctx, const char *s, size_t n);

static size_t escape_one(const char *s, int k, unsigned flags, put_fn put, void *ctx)
{
	unsigned char c = (unsigned char)s[0];
	char buf[16];

	if (flags & SC_ESCAPE_ASCII && c >= 0x80)
		k = 0; /* each byte on its own, below */

	if (k == 1 && c >= 0x20 && c != 0x7f) {
		put(ctx, s, 1);
		return 1;
	}
	if (k == 1 && (c == '\n' || c == '\t' || c == '\r')) {
		put(ctx, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r", 2);
		return 1;
	}
	/* A C1 control: U+0080-U+009F, c2 80 to c2 9f. */
	if (k == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0) {
		snprintf(buf, sizeof(buf), "\\x%02x\\x%02x", c, (unsigned char)s[1]);
		put(ctx, buf, 8);
		return 2;
	}
	if (k > 1) {
		put(ctx, s, (size_t)k);
		return (size_t)k;
	}
	/* Other C0 controls, DEL, and a byte that is not valid UTF-8. */
	snprintf(buf, sizeof(buf), "\\x%02x", c);
	put(ctx, buf, 4);
	return 1;
}

struct strbuf {
	char *p;
	size_t n, cap;
};

static void strbuf_put(void *ctx, const char *s, size_t n)
{
	struct strbuf *b = ctx;

	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = sc_xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

char *sc_text_escape(const char *s, unsigned flags)
{
	struct strbuf b = {};
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	strbuf_put(&b, "", 0);
	for (size_t i = 0; i < n;)
		i += escape_one(s + i, sc_utf8_len(s + i, n - i), flags, strbuf_put, &b);
	return b.p;
}

static void count_put(void *ctx, const char *s, size_t n)
{
	size_t *w = ctx;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			(*w)++;
}

size_t sc_text_width(const char *s, unsigned flags)
{
	size_t n = strlen(s), w = 0;

	for (size_t i = 0; i < n;)
		i += escape_one(s + i, sc_utf8_len(s + i, n - i), flags, count_put, &w);
	return w;
}

static void raw_put(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

/* The cookie's write: escape what is complete, keep the start of a
 * sequence the next write may finish (glibc flushes its buffer wherever it
 * is full, not at character boundaries). */
static ssize_t escaped_write(void *cookie, const char *buf, size_t size)
{
	struct sc_escaped_file *e = cookie;
	size_t i = 0;

	/* Finish a pending sequence with the first bytes of this write. */
	while (e->n_pend > 0 && i < size) {
		int k;

		e->pend[e->n_pend++] = buf[i++];
		k = sc_utf8_len(e->pend, e->n_pend);
		if (k < 0)
			continue;
		if (k > 0) {
			escape_one(e->pend, k, e->flags, raw_put, e->raw);
		} else {
			/* The last byte broke a valid start: the bytes before it
			 * (a lead and continuations) are invalid each on its own,
			 * as sc_text_escape() sees them; the last starts afresh. */
			for (size_t j = 0; j + 1 < e->n_pend; j++)
				escape_one(e->pend + j, 0, e->flags, raw_put, e->raw);
			i--;
		}
		e->n_pend = 0;
	}
	while (i < size) {
		int k = sc_utf8_len(buf + i, size - i);

		if (k < 0) {
			memcpy(e->pend, buf + i, size - i);
			e->n_pend = size - i;
			break;
		}
		i += escape_one(buf + i, k, e->flags, raw_put, e->raw);
	}
	return (ssize_t)size;
}

/* Escape what is still pending: nothing will complete it. */
static void escaped_drain(struct sc_escaped_file *e)
{
	for (size_t i = 0; i < e->n_pend; i++)
		escape_one(e->pend + i, 0, e->flags, raw_put, e->raw);
	e->n_pend = 0;
}

static int escaped_close_fn(void *cookie)
{
	escaped_drain(cookie);
	return 0;
}

int sc_escaped_open(struct sc_escaped_file *e, FILE *raw, unsigned flags)
{
	static const cookie_io_functions_t io = {
		.write = escaped_write,
		.close = escaped_close_fn,
	};

	*e = (struct sc_escaped_file){ .raw = raw, .flags = flags };
	e->f = fopencookie(e, "w", io);
	return e->f ? 0 : -ENOMEM;
}

void sc_escaped_trusted(struct sc_escaped_file *e, const char *s)
{
	fflush(e->f);
	escaped_drain(e);
	fputs(s, e->raw);
}

int sc_escaped_close(struct sc_escaped_file *e)
{
	int k = fclose(e->f);

	e->f = NULL;
	return k != 0 || ferror(e->raw) ? -EIO : 0;
}

/* ---- JSON ------------------------------------------------------------------------ */

json_t *sc_json_stringn(const char *s, size_t len)
{
	struct strbuf b = {};
	json_t *v;

	if (!s)
		return json_null();
	if (sc_utf8_valid(s, len))
		return sc_json_ok(json_stringn(s, len));
	strbuf_put(&b, "", 0);
	for (size_t i = 0; i < len;) {
		int k = sc_utf8_len(s + i, len - i);
		char hex[8];

		if (k > 0) {
			strbuf_put(&b, s + i, (size_t)k);
			i += (size_t)k;
			continue;
		}
		snprintf(hex, sizeof(hex), "\\x%02x", (unsigned char)s[i]);
		strbuf_put(&b, hex, 4);
		i++;
	}
	v = json_stringn(b.p, b.n);
	free(b.p);
	return sc_json_ok(v);
}

json_t *sc_json_string(const char *s)
{
	return s ? sc_json_stringn(s, strlen(s)) : json_null();
}

json_t *sc_json_ok(json_t *v)
{
	if (!v)
		json_fail("a value could not be built (out of memory)");
	return v;
}

json_t *sc_json_pack(const char *fmt, ...)
{
	json_error_t err;
	va_list ap;
	json_t *v;

	va_start(ap, fmt);
	v = json_vpack_ex(&err, 0, fmt, ap);
	va_end(ap);
	if (!v)
		json_fail(err.text);
	return v;
}

void sc_json_append(json_t *a, json_t *v)
{
	if (json_array_append_new(a, sc_json_ok(v)) < 0)
		json_fail("an array element was refused");
}

void sc_json_set(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, sc_json_ok(v)) < 0)
		json_fail(key);
}
