/* SPDX-License-Identifier: MIT */
/* The CPU bitmap: the kernel's cpulist syntax (lib/bitmap.c
 * bitmap_parselist()) parsed, compared, counted and printed. */
#include <ctype.h>
#include <stdio.h>

#include "cpuset.h"
#include "util.h"

static void cpuset_set(struct sc_cpuset *s, unsigned cpu)
{
	size_t w = cpu / 64;

	if (w >= s->n_words) {
		s->bits = sc_xrealloc(s->bits, (w + 1) * sizeof(uint64_t));
		memset(s->bits + s->n_words, 0, (w + 1 - s->n_words) * sizeof(uint64_t));
		s->n_words = w + 1;
	}
	s->bits[w] |= 1ULL << (cpu % 64);
}

/* CPUs a..b, a word at a time. */
static void cpuset_set_range(struct sc_cpuset *s, unsigned a, unsigned b)
{
	size_t wa = a / 64, wb = b / 64;

	cpuset_set(s, b); /* grows the bitmap once */
	for (size_t w = wa; w <= wb; w++) {
		uint64_t m = ~0ULL;

		if (w == wa)
			m &= ~0ULL << (a % 64);
		if (w == wb && b % 64 != 63)
			m &= (1ULL << (b % 64 + 1)) - 1;
		s->bits[w] |= m;
	}
}

static bool cpuset_has(const struct sc_cpuset *s, unsigned cpu)
{
	size_t w = cpu / 64;
	return w < s->n_words && (s->bits[w] & (1ULL << (cpu % 64)));
}

static int parse_cpu_number(const char *s, const char **end, unsigned *ret)
{
	unsigned long v;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || v >= SC_CPUSET_MAX)
		return -ERANGE;
	*end = e;
	*ret = (unsigned)v;
	return 0;
}

int sc_cpuset_parse(const char *s, struct sc_cpuset *ret)
{
	struct sc_cpuset set = {};
	const char *p = s;
	int k;

	/* lib/bitmap.c bitmap_parselist(): "0-3,8,10-11"; ranges may carry a
	 * stride ("0-7:2") in newer kernels, which is accepted too. The
	 * kernel prints each CPU once; a list that makes us set more than
	 * twice SC_CPUSET_MAX bits one by one (a strided range repeated,
	 * from a snapshot) is not its output, and the work it costs is
	 * bounded: -E2BIG. Plain ranges are set a word at a time. */
	size_t budget = 2 * (size_t)SC_CPUSET_MAX;

	while (p && *p && isspace((unsigned char)*p))
		p++;
	while (p && *p && *p != '\n') {
		unsigned a, b, stride = 1;

		if ((k = parse_cpu_number(p, &p, &a)) < 0)
			goto fail;
		b = a;
		if (*p == '-') {
			if ((k = parse_cpu_number(p + 1, &p, &b)) < 0)
				goto fail;
			if (b < a) {
				k = -EINVAL;
				goto fail;
			}
			if (*p == ':') {
				unsigned g;
				if ((k = parse_cpu_number(p + 1, &p, &g)) < 0 || g == 0) {
					k = k < 0 ? k : -EINVAL;
					goto fail;
				}
				stride = g;
			}
		}
		if (stride == 1) {
			cpuset_set_range(&set, a, b);
		} else {
			size_t steps = (b - a) / stride + 1;

			if (steps > budget) {
				k = -E2BIG;
				goto fail;
			}
			budget -= steps;
			for (unsigned c = a; c <= b; c += stride)
				cpuset_set(&set, c);
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n' && !isspace((unsigned char)*p)) {
			k = -EINVAL;
			goto fail;
		} else
			break;
	}
	while (p && *p) {
		if (!isspace((unsigned char)*p)) {
			k = -EINVAL;
			goto fail;
		}
		p++;
	}
	*ret = set;
	return 0;
fail:
	sc_cpuset_done(&set);
	return k;
}

void sc_cpuset_done(struct sc_cpuset *s)
{
	free(s->bits);
	*s = (struct sc_cpuset){};
}

unsigned sc_cpuset_count(const struct sc_cpuset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n_words; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

bool sc_cpuset_is_subset(const struct sc_cpuset *a, const struct sc_cpuset *b)
{
	for (size_t i = 0; i < a->n_words; i++) {
		uint64_t bw = i < b->n_words ? b->bits[i] : 0;
		if (a->bits[i] & ~bw)
			return false;
	}
	return true;
}

bool sc_cpuset_equal(const struct sc_cpuset *a, const struct sc_cpuset *b)
{
	return sc_cpuset_is_subset(a, b) && sc_cpuset_is_subset(b, a);
}

void sc_cpuset_copy(struct sc_cpuset *dst, const struct sc_cpuset *src)
{
	sc_cpuset_done(dst);
	if (!src->n_words)
		return;
	dst->bits = sc_xmalloc(src->n_words * sizeof(uint64_t));
	memcpy(dst->bits, src->bits, src->n_words * sizeof(uint64_t));
	dst->n_words = src->n_words;
}

/* Ranges "a-b" joined with commas; lscpu writes a range of two as "a,b"
 * (util-linux lib/cpuset.c cpulist_create). */
static char *format_ranges(const struct sc_cpuset *s, bool pairs_as_list)
{
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **parts = NULL;
	unsigned max = (unsigned)(s->n_words * 64);

	for (unsigned c = 0; c < max; c++) {
		unsigned e;

		if (!cpuset_has(s, c))
			continue;
		for (e = c; e + 1 < max && cpuset_has(s, e + 1); e++)
			;
		if (e == c)
			sc_strv_builder_consume(&b, sc_xasprintf("%u", c));
		else if (e == c + 1 && pairs_as_list)
			sc_strv_builder_consume(&b, sc_xasprintf("%u,%u", c, e));
		else
			sc_strv_builder_consume(&b, sc_xasprintf("%u-%u", c, e));
		c = e;
	}
	parts = sc_strv_builder_take(&b);
	return sc_strv_join(parts, ",");
}

char *sc_cpuset_format(const struct sc_cpuset *s)
{
	return format_ranges(s, false);
}

char *sc_cpuset_format_lscpu(const struct sc_cpuset *s)
{
	return format_ranges(s, true);
}

int sc_cpulist_count(const char *s)
{
	struct sc_cpuset set;
	int k = sc_cpuset_parse(s, &set);

	if (k < 0)
		return k;
	k = (int)sc_cpuset_count(&set);
	sc_cpuset_done(&set);
	return k;
}
