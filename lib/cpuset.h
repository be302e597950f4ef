/* SPDX-License-Identifier: MIT */
/* A CPU set as a bitmap: the kernel's list syntax ("0-3,8") parsed,
 * compared, counted and printed as the kernel and as lscpu print it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A CPU set as a bitmap (CPU numbers < SC_CPUSET_MAX). */
#define SC_CPUSET_MAX 65536u
struct sc_cpuset {
	uint64_t *bits;
	size_t n_words;
};
/* The kernel's list syntax ("0-3,8,10-11", "" or "\n" = empty). */
int sc_cpuset_parse(const char *s, struct sc_cpuset *ret);
void sc_cpuset_done(struct sc_cpuset *s);
/* dst becomes a copy of src (dst's old bits are freed). */
void sc_cpuset_copy(struct sc_cpuset *dst, const struct sc_cpuset *src);
unsigned sc_cpuset_count(const struct sc_cpuset *s);
bool sc_cpuset_equal(const struct sc_cpuset *a, const struct sc_cpuset *b);
bool sc_cpuset_is_subset(const struct sc_cpuset *a, const struct sc_cpuset *b);
/* Canonical list ("0-3,8"); "" when empty. Allocated. */
char *sc_cpuset_format(const struct sc_cpuset *s);
/* As util-linux prints one (lib/cpuset.c cpulist_create(), used by lscpu's
 * "On-line CPU(s) list:"): a run of two is "0,1", of three or more "0-2". */
char *sc_cpuset_format_lscpu(const struct sc_cpuset *s);
/* Number of CPUs in a list, or -EINVAL. */
int sc_cpulist_count(const char *s);
