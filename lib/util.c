/* SPDX-License-Identifier: MIT */
/* String lists, number parsing, errno names and size formatting: the
 * small pure helpers the rest of the library shares. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static _Noreturn void oom(void)
{
	fputs("sysctr-check: out of memory\n", stderr);
	abort();
}

void *sc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *sc_xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		oom();
	return p;
}

void *sc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *sc_grow(void *p, size_t n, size_t size)
{
	size_t want, cap;

	if (n >= SIZE_MAX / size - 1)
		oom();
	want = (n + 1) * size;
	if (p && malloc_usable_size(p) >= want)
		return p;
	cap = n < 4 ? 4 : n * 2;
	if (cap > SIZE_MAX / size)
		cap = n + 1;
	return sc_xrealloc(p, cap * size);
}

char *sc_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

char *sc_xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		oom();
	return p;
}

char *sc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return p;
}

void sc_strv_free(char **l)
{
	if (!l)
		return;
	for (char **i = l; *i; i++)
		free(*i);
	free(l);
}

size_t sc_strv_length(char *const *l)
{
	size_t n = 0;
	if (l)
		while (l[n])
			n++;
	return n;
}

bool sc_strv_contains(char *const *l, const char *s)
{
	if (!l)
		return false;
	for (char *const *i = l; *i; i++)
		if (streq(*i, s))
			return true;
	return false;
}

void sc_strv_consume(char ***l, char *s)
{
	size_t n = sc_strv_length(*l);
	*l = sc_xrealloc(*l, sizeof(char *) * (n + 2));
	(*l)[n] = s;
	(*l)[n + 1] = NULL;
}

void sc_strv_push(char ***l, const char *s)
{
	sc_strv_consume(l, sc_xstrdup(s));
}

void sc_strv_builder_consume(struct sc_strv_builder *b, char *s)
{
	if (b->n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;

		if (cap < b->cap || cap > SIZE_MAX / sizeof(char *))
			abort();
		b->v = sc_xrealloc(b->v, sizeof(char *) * cap);
		b->cap = cap;
	}
	b->v[b->n++] = s;
	b->v[b->n] = NULL;
}

void sc_strv_builder_push(struct sc_strv_builder *b, const char *s)
{
	sc_strv_builder_consume(b, sc_xstrdup(s));
}

char **sc_strv_builder_take(struct sc_strv_builder *b)
{
	char **v = b->v ? b->v : sc_xcalloc(1, sizeof(char *));

	*b = (struct sc_strv_builder){};
	return v;
}

void sc_strv_builder_done(struct sc_strv_builder *b)
{
	sc_strv_free(b->v);
	*b = (struct sc_strv_builder){};
}

char **sc_strv_split(const char *s, const char *separators)
{
	struct sc_strv_builder b = {};

	while (s && *s) {
		size_t n;

		s += strspn(s, separators);
		n = strcspn(s, separators);
		if (n == 0)
			break;
		sc_strv_builder_consume(&b, sc_xstrndup(s, n));
		s += n;
	}
	return sc_strv_builder_take(&b);
}

char *sc_strv_join(char *const *l, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	char *r, *p;

	for (char *const *i = l; i && *i; i++)
		len += strlen(*i) + seplen;
	p = r = sc_xmalloc(len);
	for (char *const *i = l; i && *i; i++) {
		if (i != l)
			p = stpcpy(p, sep);
		p = stpcpy(p, *i);
	}
	*p = 0;
	return r;
}

char **sc_strv_copy(char *const *l)
{
	/* One allocation of the known length: pushing would re-count the
	 * copy on every element (failed units, timed-out paths). */
	size_t n = sc_strv_length(l);
	char **c;

	if (n >= SIZE_MAX / sizeof(char *))
		oom();
	c = sc_xmalloc((n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++)
		c[i] = sc_xstrdup(l[i]);
	c[n] = NULL;
	return c;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sc_strv_sort(char **l)
{
	qsort(l, sc_strv_length(l), sizeof(char *), cmp_str);
}

char *sc_strstrip(char *s)
{
	size_t lead = 0;
	char *e;

	while (isspace((unsigned char)s[lead]))
		lead++;
	if (lead)
		memmove(s, s + lead, strlen(s + lead) + 1);
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

int sc_parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int sc_parse_int(const char *s, int *ret)
{
	char *end;
	long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE || v > INT32_MAX || v < INT32_MIN)
		return -ERANGE;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || end == s)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

const char *sc_errno_name(int err)
{
	const char *n;

	if (err < 0)
		err = -err;
	n = strerrorname_np(err);
	return n ? n : "EUNKNOWN";
}

char *sc_format_bytes(uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024.0 && u + 1 < ELEMENTSOF(units)) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		return sc_xasprintf("%" PRIu64 " B", bytes);
	/* Whole numbers print without a decimal: "100 MiB", not "100.0 MiB". */
	if (v == (double)(uint64_t)v)
		return sc_xasprintf("%" PRIu64 " %s", (uint64_t)v, units[u]);
	return sc_xasprintf("%.1f %s", v, units[u]);
}

char *sc_find_field(const char *text, const char *key, char sep)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');

		if ((size_t)(eol - l) > kl && strncmp(l, key, kl) == 0 && l[kl] == sep) {
			char *v = sc_xstrndup(l + kl + 1, eol - (l + kl + 1));
			return sc_strstrip(v);
		}
		l = *eol ? eol + 1 : eol;
	}
	return NULL;
}

long long sc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ssize_t sc_read_by(int fd, void *buf, size_t n, long long deadline)
{
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long long left = deadline - sc_now_ms();
		ssize_t k;

		if (left <= 0)
			return -ETIMEDOUT;
		k = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			return -ETIMEDOUT;
		k = read(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		return k < 0 ? -errno : k;
	}
}
