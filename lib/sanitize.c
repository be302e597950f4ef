/* SPDX-License-Identifier: MIT */
/* Escaping of untrusted bytes: the text escapes and the escaping FILE the
 * text renderer writes through, and JSON strings for any bytes. */
#include <stdarg.h>
#include <stdint.h>
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

/* Code points a terminal shows in no column (combining marks, joiners,
 * variation selectors) or in two (East Asian Wide and Fullwidth: CJK,
 * Hangul, kana, fullwidth forms, emoji), after Markus Kuhn's wcwidth().
 * A fixed table, not wcwidth(): that answers by the caller's locale (and
 * -1 for everything in the C locale), and the columns must not depend on
 * who runs the tool. Sorted, for the binary search. */
struct cp_range {
	uint32_t lo, hi;
};
static const struct cp_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 },	  { 0x0591, 0x05bd }, { 0x05bf, 0x05bf },
	{ 0x05c1, 0x05c2 }, { 0x05c4, 0x05c5 },	  { 0x05c7, 0x05c7 }, { 0x0610, 0x061a },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 },	  { 0x06d6, 0x06dc }, { 0x06df, 0x06e4 },
	{ 0x06e7, 0x06e8 }, { 0x06ea, 0x06ed },	  { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a },
	{ 0x0e47, 0x0e4e }, { 0x1ab0, 0x1aff },	  { 0x1dc0, 0x1dff }, { 0x200b, 0x200f },
	{ 0x2060, 0x2064 }, { 0x20d0, 0x20ff },	  { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	{ 0xfeff, 0xfeff }, { 0xe0100, 0xe01ef },
};
static const struct cp_range wide[] = {
	{ 0x1100, 0x115f },   { 0x231a, 0x231b },   { 0x2329, 0x232a },	  { 0x23e9, 0x23ec },
	{ 0x23f0, 0x23f0 },   { 0x23f3, 0x23f3 },   { 0x25fd, 0x25fe },	  { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 },   { 0x267f, 0x267f },   { 0x2693, 0x2693 },	  { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab },   { 0x26bd, 0x26be },   { 0x26c4, 0x26c5 },	  { 0x26ce, 0x26ce },
	{ 0x26d4, 0x26d4 },   { 0x26ea, 0x26ea },   { 0x26f2, 0x26f3 },	  { 0x26f5, 0x26f5 },
	{ 0x26fa, 0x26fa },   { 0x26fd, 0x26fd },   { 0x2705, 0x2705 },	  { 0x270a, 0x270b },
	{ 0x2728, 0x2728 },   { 0x274c, 0x274c },   { 0x274e, 0x274e },	  { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 },   { 0x2795, 0x2797 },   { 0x27b0, 0x27b0 },	  { 0x27bf, 0x27bf },
	{ 0x2b1b, 0x2b1c },   { 0x2b50, 0x2b50 },   { 0x2b55, 0x2b55 },	  { 0x2e80, 0x303e },
	{ 0x3041, 0x33ff },   { 0x3400, 0x4dbf },   { 0x4e00, 0x9fff },	  { 0xa000, 0xa4cf },
	{ 0xa960, 0xa97f },   { 0xac00, 0xd7a3 },   { 0xf900, 0xfaff },	  { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f },   { 0xff00, 0xff60 },   { 0xffe0, 0xffe6 },	  { 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18aff }, { 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf },
	{ 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a }, { 0x1f200, 0x1f251 }, { 0x1f300, 0x1f64f },
	{ 0x1f680, 0x1f6ff }, { 0x1f900, 0x1f9ff }, { 0x1fa70, 0x1faff }, { 0x20000, 0x2fffd },
	{ 0x30000, 0x3fffd },
};

static bool in_ranges(uint32_t cp, const struct cp_range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp > r[mid].hi)
			lo = mid + 1;
		else if (cp < r[mid].lo)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* put() of sc_text_width(): escape_one() hands it either ASCII (a
 * printable byte or an escape's text) or one whole valid UTF-8 sequence. */
static void count_put(void *ctx, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t *w = ctx;
	uint32_t cp;

	if (n < 2 || s[0] < 0xc0) {
		*w += n;
		return;
	}
	cp = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	if (in_ranges(cp, zero_width, ELEMENTSOF(zero_width)))
		return;
	*w += in_ranges(cp, wide, ELEMENTSOF(wide)) ? 2 : 1;
}

size_t sc_text_nwidth(const char *s, size_t n, unsigned flags)
{
	size_t w = 0;

	for (size_t i = 0; i < n;)
		i += escape_one(s + i, sc_utf8_len(s + i, n - i), flags, count_put, &w);
	return w;
}

size_t sc_text_width(const char *s, unsigned flags)
{
	return sc_text_nwidth(s, strlen(s), flags);
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
		size_t run = i;
		int k;

		/* Printable ASCII passes as it is: in one write, not one a byte. */
		while (run < size && (unsigned char)buf[run] >= 0x20 &&
		       (unsigned char)buf[run] < 0x7f)
			run++;
		if (run > i) {
			fwrite(buf + i, 1, run - i, e->raw);
			i = run;
			continue;
		}
		k = sc_utf8_len(buf + i, size - i);
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

json_t *sc_json_strv(char *const *l)
{
	json_t *a = sc_json_ok(json_array());

	for (char *const *i = l; i && *i; i++)
		sc_json_append(a, sc_json_string(*i));
	return a;
}

json_t *sc_json_strv_or_null(char *const *l)
{
	return l ? sc_json_strv(l) : json_null();
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
