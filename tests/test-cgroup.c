/* SPDX-License-Identifier: MIT */
/* Parsers and pure helpers of the cgroup and host probes: /proc/cgroups,
 * the kernel command line, namespace links, mode detection. */
#include <criterion/criterion.h>

#include "host.h"
#include "util.h"

Test(proc_cgroups, parse_this_machine)
{
	const char *text = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
			   "cpuset\t3\t1\t1\ncpu\t1\t1\t1\ncpuacct\t2\t1\t1\nblkio\t7\t1\t1\n"
			   "memory\t4\t51\t1\ndevices\t5\t1\t1\nfreezer\t6\t1\t1\n"
			   "net_cls\t0\t1\t1\nperf_event\t0\t1\t1\nnet_prio\t0\t1\t1\n"
			   "hugetlb\t0\t1\t1\npids\t8\t1\t1\n";
	struct sc_controller *v = NULL;
	size_t n = 0;

	cr_assert_eq(sc_proc_cgroups_parse(text, &v, &n), 12);
	cr_assert_str_eq(v[4].name, "memory");
	cr_assert_eq(v[4].hierarchy, 4);
	cr_assert_eq(v[4].num_cgroups, 51);
	cr_assert_eq(v[4].enabled, 1);
	cr_assert_str_eq(v[10].name, "hugetlb");
	cr_assert_eq(v[10].hierarchy, 0);
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

Test(proc_cgroups, malformed)
{
	struct sc_controller *v = NULL;
	size_t n = 0;

	cr_assert_eq(sc_proc_cgroups_parse("cpu 1 1\n", &v, &n), -EBADMSG);
	cr_assert_eq(sc_proc_cgroups_parse("cpu x 1 1\n", &v, &n), -EBADMSG);
	cr_assert_eq(sc_proc_cgroups_parse("#only a header\n", &v, &n), 0);
}

Test(cmdline, relevant_params)
{
	struct sc_kernel_param *p = NULL;
	size_t n = 0;

	sc_cmdline_parse("BOOT_IMAGE=/vmlinuz root=UUID=abc ro quiet cgroup_no_v1=all "
			 "systemd.unified_cgroup_hierarchy=1 swapaccount=1 "
			 "cgroup_disable=\"memory\" init=/sbin/openrc-init -- "
			 "swapaccount=0 container=docker",
			 &p, &n);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(p[0].key, "cgroup_no_v1");
	cr_assert_str_eq(p[0].value, "all");
	cr_assert_str_eq(p[1].key, "systemd.unified_cgroup_hierarchy");
	cr_assert_str_eq(p[1].value, "1");
	cr_assert_str_eq(p[3].value, "memory", "quotes are stripped");
	cr_assert_str_eq(p[4].value, "/sbin/openrc-init");
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

Test(cmdline, bare_flag_and_empty)
{
	struct sc_kernel_param *p = NULL;
	size_t n = 0;

	sc_cmdline_parse("", &p, &n);
	cr_assert_eq(n, 0);
	sc_cmdline_parse("  psi  ", &p, &n);
	cr_assert_eq(n, 1);
	cr_assert_null(p[0].value);
	free(p[0].key);
	free(p);
}

Test(ns, parse_link)
{
	cr_assert_eq(sc_ns_parse_link("cgroup:[4026531835]"), 4026531835ULL);
	cr_assert_eq(sc_ns_parse_link("garbage"), 0);
	cr_assert_eq(sc_ns_parse_link("pid:[]"), 0);
	cr_assert_eq(sc_ns_parse_link("pid:[12x]"), 0);
	cr_assert_eq(sc_ns_initial_inode(SC_NS_CGROUP), 0xEFFFFFFBULL);
	cr_assert_eq(sc_ns_initial_inode(SC_NS_MNT), 0);
}

Test(kernel, version)
{
	int a, b;

	cr_assert_eq(sc_kernel_version_parse("3.10.0-1160.el7.x86_64", &a, &b), 0);
	cr_assert_eq(a, 3);
	cr_assert_eq(b, 10);
	cr_assert_eq(sc_kernel_version_parse("6.18.44-fc-v782", &a, &b), 0);
	cr_assert_eq(b, 18);
	cr_assert_lt(sc_kernel_version_parse("Linux", &a, &b), 0);
}

#define FS(p, m, e) ((struct sc_statfs_fact){ p, m, e })

Test(mode, as_systemd_decides)
{
	const struct sc_statfs_fact none = FS("x", 0, ENOENT);
	const struct {
		struct sc_statfs_fact root, unified, systemd;
		enum sc_cgroup_mode want;
	} t[] = {
		{ FS("r", SC_CGROUP2_SUPER_MAGIC, 0), none, none, SC_CG_UNIFIED },
		{ FS("r", SC_TMPFS_MAGIC, 0), FS("u", SC_CGROUP2_SUPER_MAGIC, 0),
		  FS("s", SC_CGROUP_SUPER_MAGIC, 0), SC_CG_HYBRID },
		/* v232 layout: cgroup2 on /sys/fs/cgroup/systemd. */
		{ FS("r", SC_TMPFS_MAGIC, 0), none, FS("s", SC_CGROUP2_SUPER_MAGIC, 0),
		  SC_CG_HYBRID },
		{ FS("r", SC_TMPFS_MAGIC, 0), none, FS("s", SC_CGROUP_SUPER_MAGIC, 0),
		  SC_CG_LEGACY },
		/* Unified dir exists but is not cgroup2 (a plain dir on the tmpfs). */
		{ FS("r", SC_TMPFS_MAGIC, 0), FS("u", SC_TMPFS_MAGIC, 0),
		  FS("s", SC_CGROUP_SUPER_MAGIC, 0), SC_CG_LEGACY },
		{ FS("r", SC_TMPFS_MAGIC, 0), none, none, SC_CG_UNSUPPORTED_V1 },
		{ FS("r", SC_TMPFS_MAGIC, 0), none, FS("s", SC_TMPFS_MAGIC, 0),
		  SC_CG_UNSUPPORTED_V1 },
		{ FS("r", SC_SYSFS_MAGIC, 0), none, none, SC_CG_NONE },
		{ FS("r", 0, ENOENT), none, none, SC_CG_NONE },
		{ FS("r", SC_CGROUP_SUPER_MAGIC, 0), none, none, SC_CG_V1_ON_ROOT },
		{ FS("r", 0xef53, 0), none, none, SC_CG_OTHER_FS },
		{ FS("r", 0, EACCES), none, none, SC_CG_UNKNOWN },
		{ FS("r", SC_TMPFS_MAGIC, 0), FS("u", 0, EACCES), none, SC_CG_UNKNOWN },
	};

	for (size_t i = 0; i < ELEMENTSOF(t); i++)
		cr_expect_eq(sc_cgroup_mode_from_statfs(&t[i].root, &t[i].unified, &t[i].systemd),
			     t[i].want, "case %zu: got %s", i,
			     sc_cgroup_mode_to_string(sc_cgroup_mode_from_statfs(
				     &t[i].root, &t[i].unified, &t[i].systemd)));
}

Test(mode, names_round_trip)
{
	for (int m = SC_CG_UNKNOWN; m <= SC_CG_OTHER_FS; m++)
		cr_assert_eq(sc_cgroup_mode_from_string(sc_cgroup_mode_to_string(m)), m);
	cr_assert_lt(sc_cgroup_mode_from_string("v3"), 0);
}
