/* SPDX-License-Identifier: MIT */
/* Work bounded by the input: lists built from untrusted bytes grow in
 * O(1) amortised appends, the cpuset parser is bounded, and a repeated
 * mount option does not leak. The .timeout is a hang guard (the
 * quadratic versions took minutes here), not a measure of speed. */
#include <criterion/criterion.h>

#include "cgroup.h"
#include "facts.h"
#include "limits-model.h"
#include "mountinfo.h"
#include "root.h"
#include "util.h"

TestSuite(bounded, .timeout = 30);

Test(bounded, builder)
{
	struct sc_strv_builder b = {};
	char **l;

	l = sc_strv_builder_take(&b);
	cr_assert_not_null(l);
	cr_assert_null(l[0], "an empty take is { NULL }");
	sc_strv_free(l);
	for (int i = 0; i < 100000; i++)
		sc_strv_builder_consume(&b, sc_xasprintf("%d", i));
	cr_assert_eq(b.n, 100000);
	cr_assert_null(b.v[b.n]);
	l = sc_strv_builder_take(&b);
	cr_assert_eq(b.n, 0);
	cr_assert_null(b.v);
	cr_assert_eq(sc_strv_length(l), 100000);
	cr_assert_str_eq(l[99999], "99999");
	sc_strv_free(l);
	sc_strv_builder_push(&b, "x");
	sc_strv_builder_done(&b);
	cr_assert_null(b.v);
}

Test(bounded, grow)
{
	int *v = NULL;
	size_t n = 0;

	for (int i = 0; i < 1000000; i++)
		*SC_APPEND(v, n) = i;
	cr_assert_eq(n, 1000000);
	cr_assert_eq(v[0], 0);
	cr_assert_eq(v[999999], 999999);
	free(v);
}

/* 4 MiB of 500,000 fields: ~2.5 * 10^11 pointer reads when every append
 * counted the list. */
Test(bounded, split_four_mebibytes)
{
	size_t n = 500000;
	char *s = sc_xmalloc(n * 8 + 1), *p = s;
	_cleanup_strv_free_ char **l = NULL;

	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%07zu,", i);
	l = sc_strv_split(s, ",");
	cr_assert_eq(sc_strv_length(l), n);
	cr_assert_str_eq(l[n - 1], "0499999");
	free(s);
}

/* One mount with a 4 MiB list of optional fields (a snapshot's). */
Test(bounded, mountinfo_line_of_four_mebibytes)
{
	size_t n = 400000;
	char *s = sc_xmalloc(n * 11 + 200), *p = s;
	struct sc_mounts t = {};

	p += sprintf(p, "36 35 98:0 / /mnt rw");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, " shared:%zu", i % 100);
	sprintf(p, " - ext4 /dev/x rw\n");
	sc_mountinfo_parse(s, &t);
	cr_assert_eq(t.n, 1);
	cr_assert_str_eq(t.v[0].fstype, "ext4");
	cr_assert(startswith(t.v[0].optional, "shared:0 shared:1 "));
	sc_mounts_done(&t);
	free(s);
}

static int cpuset(const char *s, char **ret_fmt)
{
	struct sc_cpuset c = {};
	int k = sc_cpuset_parse(s, &c);

	if (k >= 0 && ret_fmt)
		*ret_fmt = sc_cpuset_format(&c);
	sc_cpuset_done(&c);
	return k;
}

Test(bounded, cpuset_edges)
{
	static const struct {
		const char *in, *out;
		int k;
	} cases[] = {
		{ "", "", 0 },
		{ "0", "0", 0 },
		{ "0-0", "0", 0 },
		{ "3-1", NULL, -EINVAL },
		{ "0-8191", "0-8191", 0 },
		{ "63-64", "63-64", 0 },
		{ "1-62", "1-62", 0 },
		{ "64-127", "64-127", 0 },
		{ "0-65535", "0-65535", 0 },
		{ "65536", NULL, -ERANGE },
		{ "1,1,1", "1", 0 },
		{ "0-7:2", "0,2,4,6", 0 },
		{ "0-3\n", "0-3", 0 },
		{ "0-3 \n", "0-3", 0 },
		{ "0-3,", "0-3", 0 },
		{ "x", NULL, -EINVAL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *f = NULL;

		cr_expect_eq(cpuset(cases[i].in, &f), cases[i].k, "'%s'", cases[i].in);
		if (cases[i].out)
			cr_expect_str_eq(f, cases[i].out, "'%s'", cases[i].in);
	}
}

/* "0-65535," repeated to 1 MiB: ~10^10 bit sets one by one; now a word
 * at a time. The strided form has a budget. */
Test(bounded, cpuset_repeated_ranges)
{
	size_t n = (1u << 20) / 8;
	char *s = sc_xmalloc(n * 10 + 1), *p = s;
	_cleanup_free_ char *f = NULL;

	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, "0-65535,");
	cr_assert_eq(cpuset(s, &f), 0);
	cr_assert_str_eq(f, "0-65535");
	p = s;
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, "0-65535:2,");
	cr_assert_eq(cpuset(s, NULL), -E2BIG);
	free(s);
}

/* Two name= options on one v1 mount: the last one wins (as the kernel's
 * option parser has it) and the first is freed (LSan, make check
 * SANITIZE=1, found it). */
Test(bounded, repeated_name_option)
{
	_cleanup_root_ struct sc_root *r = NULL;
	json_t *snap = json_pack("{s:i,s:{}}", "format", 1, "files");
	struct sc_mounts t = {};
	struct sc_errlist errs = {};
	struct sc_cgroup_facts f = {};
	bool found = false;

	cr_assert_eq(sc_root_open_snapshot(snap, "t", &r), 0);
	json_decref(snap);
	sc_mountinfo_parse("1 0 0:1 / /sys/fs/cgroup/x rw - cgroup cgroup rw,name=a,name=b\n", &t);
	sc_cgroup_probe(r, &t, &errs, &f);
	for (size_t i = 0; i < f.n_mounts; i++)
		if (streq(f.mounts[i].mountpoint, "/sys/fs/cgroup/x"))
			found = streq_ptr(f.mounts[i].name, "b");
	cr_assert(found, "the mount is named by its last name=");
	sc_cgroup_facts_done(&f);
	sc_errlist_done(&errs);
	sc_mounts_done(&t);
}

/* One v1 mount with 2,000,000 super options (a 4 MiB line, a snapshot's)
 * took minutes: every option was pushed on a list that re-counted itself
 * and then searched for each controller. At most 64 are kept; a
 * /proc/cgroups with more than 64 rows is not the kernel's. */
Test(bounded, cgroup_mount_with_millions_of_options)
{
	size_t n = 2000000;
	char *s = sc_xmalloc(n * 2 + 200), *p = s, *rows = NULL;
	_cleanup_root_ struct sc_root *r = NULL;
	json_t *snap = json_pack("{s:i,s:{}}", "format", 1, "files");
	struct sc_controller *ctl = NULL;
	struct sc_mounts t = {};
	struct sc_errlist errs = {};
	struct sc_cgroup_facts f = {};
	size_t n_ctl = 0;

	p += sprintf(p, "1 0 0:1 / /sys/fs/cgroup/x rw - cgroup cgroup rw");
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, ",o");
	strcpy(p, "\n");
	cr_assert_eq(sc_root_open_snapshot(snap, "t", &r), 0);
	json_decref(snap);
	sc_mountinfo_parse(s, &t);
	cr_assert_eq(t.n, 1);
	sc_cgroup_probe(r, &t, &errs, &f);
	cr_assert_eq(f.n_mounts, 1);
	cr_assert_eq(sc_strv_length(f.mounts[0].controllers), 64);
	sc_cgroup_facts_done(&f);
	sc_errlist_done(&errs);
	sc_mounts_done(&t);
	free(s);

	rows = sc_xstrdup("#subsys_name\thierarchy\tnum_cgroups\tenabled\n");
	for (int i = 0; i < 65; i++) {
		char *x = sc_xasprintf("%sc%d\t%d\t1\t1\n", rows, i, i + 1);
		free(rows);
		rows = x;
	}
	cr_assert_eq(sc_proc_cgroups_parse(rows, &ctl, &n_ctl), -E2BIG);
	free(rows);
}
