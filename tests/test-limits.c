/* SPDX-License-Identifier: MIT */
/* Limit visibility: every parser on strings, the ancestor walk on
 * hand-built cgroup trees (v1 and v2), the inside probe live vs replayed,
 * every verdict and the lxcfs rules on hand-built facts, and libblkid on
 * the root device and a loop device. */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "checks.h"
#include "inside.h"
#include "limits-model.h"
#include "testlib.h"
#include "util.h"

#define MIB (1024ULL * 1024ULL)

/* ---- parsers ------------------------------------------------------------------- */

Test(limits_parse, values)
{
	uint64_t v = 0;

	cr_assert_eq(sc_limit_parse_value("max\n", &v), 0);
	cr_assert_eq(v, SC_LIMIT_NONE);
	cr_assert_eq(sc_limit_parse_value("-1\n", &v), 0);
	cr_assert_eq(v, SC_LIMIT_NONE);
	cr_assert_eq(sc_limit_parse_value("104857600\n", &v), 0);
	cr_assert_eq(v, 100 * MIB);
	cr_assert_eq(sc_limit_parse_value("  42 \n", &v), 0);
	cr_assert_eq(v, 42);
	/* v1 "no limit": PAGE_COUNTER_MAX pages of 4 KiB and of 64 KiB. */
	cr_assert_eq(sc_limit_parse_value("9223372036854771712\n", &v), 0);
	cr_assert_eq(v, SC_LIMIT_NONE);
	cr_assert_eq(sc_limit_parse_value("9223372036854710272", &v), 0);
	cr_assert_eq(v, SC_LIMIT_NONE);
	/* Large, but a real limit. */
	cr_assert_eq(sc_limit_parse_value("4611686018427387904", &v), 0);
	cr_assert_eq(v, 4611686018427387904ULL);
	cr_assert_lt(sc_limit_parse_value("", &v), 0);
	cr_assert_lt(sc_limit_parse_value("12k", &v), 0);
	cr_assert_lt(sc_limit_parse_value("-2", &v), 0);
	cr_assert_lt(sc_limit_parse_value(NULL, &v), 0);
}

Test(limits_parse, cpu_max)
{
	uint64_t q = 0, p = 0;

	cr_assert_eq(sc_cpu_max_parse("max 100000\n", &q, &p), 0);
	cr_assert_eq(q, SC_LIMIT_NONE);
	cr_assert_eq(p, 100000);
	cr_assert_eq(sc_cpu_max_parse("50000 100000\n", &q, &p), 0);
	cr_assert_eq(q, 50000);
	cr_assert_eq(p, 100000);
	cr_assert_eq(sc_cpu_max_parse("250000 50000", &q, &p), 0);
	cr_assert_eq(q, 250000);
	cr_assert_eq(p, 50000);
	cr_assert_lt(sc_cpu_max_parse("1 0", &q, &p), 0);
	cr_assert_lt(sc_cpu_max_parse("x 100000", &q, &p), 0);
	cr_assert_lt(sc_cpu_max_parse("1 2 3", &q, &p), 0);
	cr_assert_lt(sc_cpu_max_parse("", &q, &p), 0);
}

Test(limits_parse, cpu_lists)
{
	struct sc_cpuset s = {}, t = {};
	char *f;

	cr_assert_eq(sc_cpuset_parse("0-3,8,10-11\n", &s), 0);
	cr_assert_eq(sc_cpuset_count(&s), 7);
	f = sc_cpuset_format(&s);
	cr_assert_str_eq(f, "0-3,8,10-11");
	free(f);
	cr_assert_eq(sc_cpuset_parse("11,10,8,3,2,1,0", &t), 0);
	cr_assert(sc_cpuset_equal(&s, &t));
	sc_cpuset_done(&t);
	cr_assert_eq(sc_cpuset_parse("0-1", &t), 0);
	cr_assert(sc_cpuset_is_subset(&t, &s));
	cr_assert_not(sc_cpuset_is_subset(&s, &t));
	sc_cpuset_done(&t);
	sc_cpuset_done(&s);

	cr_assert_eq(sc_cpuset_parse("\n", &s), 0);
	cr_assert_eq(sc_cpuset_count(&s), 0);
	f = sc_cpuset_format(&s);
	cr_assert_str_eq(f, "");
	free(f);
	sc_cpuset_done(&s);
	cr_assert_eq(sc_cpuset_parse("0-7:2", &s), 0);
	f = sc_cpuset_format(&s);
	cr_assert_str_eq(f, "0,2,4,6");
	free(f);
	sc_cpuset_done(&s);
	cr_assert_eq(sc_cpuset_parse("127", &s), 0);
	cr_assert_eq(sc_cpuset_count(&s), 1);
	f = sc_cpuset_format(&s);
	cr_assert_str_eq(f, "127");
	free(f);
	sc_cpuset_done(&s);

	/* lscpu's own list format: pairs are not ranges. */
	cr_assert_eq(sc_cpuset_parse("0-1,3-5,7,9-10", &s), 0);
	f = sc_cpuset_format_lscpu(&s);
	cr_assert_str_eq(f, "0,1,3-5,7,9,10");
	free(f);
	f = sc_cpuset_format(&s);
	cr_assert_str_eq(f, "0-1,3-5,7,9-10");
	free(f);
	sc_cpuset_done(&s);

	cr_assert_eq(sc_cpulist_count("0-1\n"), 2);
	cr_assert_eq(sc_cpulist_count("0"), 1);
	cr_assert_lt(sc_cpulist_count("3-1"), 0);
	cr_assert_lt(sc_cpulist_count("1,,2"), 0);
	cr_assert_lt(sc_cpulist_count("a"), 0);
	cr_assert_lt(sc_cpulist_count("65536"), 0);
}

Test(limits_parse, io_max)
{
	struct sc_io_limit *v = NULL;
	size_t n = 0;

	cr_assert_eq(sc_io_max_merge("8:0 rbps=1048576 wbps=max riops=max wiops=max\n"
				     "8:16 rbps=max wbps=max riops=100 wiops=max\n",
				     "/a", &v, &n),
		     0);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[0].major, 8);
	cr_assert_eq(v[0].minor, 0);
	cr_assert_eq(v[0].v[SC_IO_RBPS], 1048576);
	cr_assert_eq(v[0].v[SC_IO_WBPS], SC_LIMIT_NONE);
	cr_assert_eq(v[1].v[SC_IO_RIOPS], 100);
	cr_assert_str_eq(v[0].set_by, "/a");
	/* A deeper cgroup: only smaller values win. */
	cr_assert_eq(
		sc_io_max_merge("8:0 rbps=2097152 wbps=4096 riops=max wiops=max\n", "/a/b", &v, &n),
		0);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[0].v[SC_IO_RBPS], 1048576);
	cr_assert_eq(v[0].v[SC_IO_WBPS], 4096);
	cr_assert_str_eq(v[0].set_by, "/a/b");
	cr_assert_eq(sc_io_max_merge("", "/x", &v, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(sc_io_max_merge("8-0 rbps=1\n", "/x", &v, &n), -EBADMSG);
	cr_assert_eq(sc_io_max_merge("8:0 rbps\n", "/x", &v, &n), -EBADMSG);
	sc_io_limits_free(v, n);
}

Test(limits_parse, blkio_throttle)
{
	struct sc_io_limit *v = NULL;
	size_t n = 0;

	cr_assert_eq(sc_blkio_throttle_merge("8:0 1048576\n254:0 2048\n", SC_IO_RBPS, "/", &v, &n),
		     0);
	cr_assert_eq(sc_blkio_throttle_merge("254:0 10\n", SC_IO_WIOPS, "/c", &v, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(v[1].major, 254);
	cr_assert_eq(v[1].v[SC_IO_RBPS], 2048);
	cr_assert_eq(v[1].v[SC_IO_WIOPS], 10);
	cr_assert_eq(v[1].v[SC_IO_WBPS], SC_LIMIT_NONE);
	cr_assert_str_eq(v[1].set_by, "/c");
	cr_assert_eq(sc_blkio_throttle_merge("8:0\n", SC_IO_RBPS, "/", &v, &n), -EBADMSG);
	cr_assert_eq(sc_blkio_throttle_merge("8:0 1 2\n", SC_IO_RBPS, "/", &v, &n), -EBADMSG);
	sc_io_limits_free(v, n);
}

static const char meminfo[] = "MemTotal:       24683620 kB\n"
			      "MemFree:        23983824 kB\n"
			      "MemAvailable:   24304412 kB\n"
			      "SwapTotal:             0 kB\n"
			      "HugePages_Total:       0\n";

Test(limits_parse, meminfo_and_memory_stat)
{
	uint64_t v = 1;

	cr_assert_eq(sc_meminfo_get(meminfo, "MemTotal", &v), 0);
	cr_assert_eq(v, 24683620ULL * 1024);
	cr_assert_eq(sc_meminfo_get(meminfo, "SwapTotal", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(sc_meminfo_get(meminfo, "HugePages_Total", &v), 0, "a count, no unit");
	cr_assert_eq(sc_meminfo_get(meminfo, "Mem", &v), -ENOENT, "no prefix match");
	cr_assert_eq(sc_meminfo_get(meminfo, "Shmem", &v), -ENOENT);
	cr_assert_eq(sc_memory_stat_get("cache 0\nhierarchical_memory_limit 104857600\n"
					"hierarchical_memsw_limit 9223372036854771712\n",
					"hierarchical_memory_limit", &v),
		     0);
	cr_assert_eq(v, 100 * MIB);
}

Test(limits_parse, cpuinfo_stat_uptime)
{
	uint64_t cs = 0;

	cr_assert_eq(sc_cpuinfo_count("processor\t: 0\nvendor_id\t: AuthenticAMD\n\n"
				      "processor\t: 1\nvendor_id\t: AuthenticAMD\n"),
		     2);
	cr_assert_eq(sc_cpuinfo_count("Processor\t: ARMv7\n"), 0, "not a per-CPU line");
	cr_assert_eq(sc_proc_stat_cpus("cpu  159160 0 137731 142707\ncpu0 1 2 3 4\ncpu1 1 2 3 4\n"
				       "intr 5\nctxt 1\nbtime 1795971761\n"),
		     2);
	cr_assert_eq(sc_proc_stat_cpus("cpu  1 2 3\ncpu0 1 2 3\n"), 1);
	cr_assert_eq(sc_uptime_parse("2210.42 1427.07\n", &cs), 0);
	cr_assert_eq(cs, 221042);
	cr_assert_eq(sc_uptime_parse("5.4 1\n", &cs), 0);
	cr_assert_eq(cs, 540);
	cr_assert_eq(sc_uptime_parse("17\n", &cs), 0);
	cr_assert_eq(cs, 1700);
	cr_assert_lt(sc_uptime_parse("abc", &cs), 0);
	cr_assert_lt(sc_uptime_parse("1.5x", &cs), 0);
}

/* ---- the ancestor walk on hand-built trees ------------------------------------------ */

static char *tree;

static void tree_setup(void)
{
	tree = make_tempdir();
}

static void tree_teardown(void)
{
	rm_rf(tree);
	free(tree);
}

static struct sc_root *open_tree(void)
{
	struct sc_root *r = NULL;

	write_file(tree, SC_ROOT_META, "{\"format\":1,\"description\":\"limits test\"}");
	cr_assert_eq(sc_root_open(tree, 0, &r), 0);
	return r;
}

TestSuite(limits_walk, .init = tree_setup, .fini = tree_teardown, .timeout = 20);

Test(limits_walk, v1_memory_smallest_wins)
{
	struct sc_limit_effective e = {};
	struct sc_errlist errs = {};
	struct sc_root *r;

	write_file(tree, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/a/memory.limit_in_bytes", "209715200\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "314572800\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/c/memory.limit_in_bytes",
		   "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/c/memory.stat",
		   "cache 0\nhierarchical_memory_limit 209715200\n");
	r = open_tree();
	sc_limits_walk(r, SC_LIM_MEMORY, 1, "/sys/fs/cgroup/memory", "/a/b/c", &errs, &e);
	cr_assert(e.known, "%s", strna(e.error));
	cr_assert(e.limited);
	cr_assert_eq(e.value, 200 * MIB);
	cr_assert_str_eq(e.set_by, "/a");
	cr_assert_str_eq(e.set_by_file, "/sys/fs/cgroup/memory/a/memory.limit_in_bytes");
	cr_assert_str_eq(e.host_dir, "/sys/fs/cgroup/memory/a/b/c");
	cr_assert_eq(e.n_levels, 5, "4 levels and memory.stat");
	cr_assert_str_eq(e.levels[4].raw, "hierarchical_memory_limit 209715200");
	sc_limit_effective_done(&e);

	/* A tie: the one closest to the container names it. */
	write_file(tree, "sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "209715200\n");
	sc_limits_walk(r, SC_LIM_MEMORY, 1, "/sys/fs/cgroup/memory", "/a/b/c", &errs, &e);
	cr_assert_str_eq(e.set_by, "/a/b");
	sc_limit_effective_done(&e);

	/* Only hierarchical_memory_limit knows (a parent outside our view). */
	write_file(tree, "sys/fs/cgroup/memory/a/memory.limit_in_bytes", "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/c/memory.stat",
		   "hierarchical_memory_limit 104857600\n");
	sc_limits_walk(r, SC_LIM_MEMORY, 1, "/sys/fs/cgroup/memory", "/a/b/c", &errs, &e);
	cr_assert_eq(e.value, 100 * MIB);
	cr_assert_str_eq(e.set_by_file, "/sys/fs/cgroup/memory/a/b/c/memory.stat");
	sc_limit_effective_done(&e);

	/* No directory: not known, never "unlimited". */
	sc_limits_walk(r, SC_LIM_MEMORY, 1, "/sys/fs/cgroup/memory", "/nope", &errs, &e);
	cr_assert_not(e.known);
	cr_assert(strstr(e.error, "/sys/fs/cgroup/memory/nope"));
	sc_limit_effective_done(&e);
	sc_errlist_done(&errs);
	sc_root_free(r);
}

Test(limits_walk, v1_cpu_swap_pids_cpuset_blkio)
{
	struct sc_limit_effective e = {};
	struct sc_errlist errs = {};
	struct sc_root *r;
	char *s;

	write_file(tree, "sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
	write_file(tree, "sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
	write_file(tree, "sys/fs/cgroup/cpu/a/cpu.cfs_quota_us", "150000\n");
	write_file(tree, "sys/fs/cgroup/cpu/a/cpu.cfs_period_us", "100000\n");
	write_file(tree, "sys/fs/cgroup/cpu/a/b/cpu.cfs_quota_us", "100000\n");
	write_file(tree, "sys/fs/cgroup/cpu/a/b/cpu.cfs_period_us", "50000\n");
	write_file(tree, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
		   "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "104857600\n");
	write_file(tree, "sys/fs/cgroup/memory/a/b/memory.memsw.limit_in_bytes", "157286400\n");
	write_file(tree, "sys/fs/cgroup/memory/a/memory.limit_in_bytes", "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/memory/a/memory.memsw.limit_in_bytes",
		   "9223372036854771712\n");
	write_file(tree, "sys/fs/cgroup/pids/a/pids.max", "max\n");
	write_file(tree, "sys/fs/cgroup/pids/a/b/pids.max", "64\n");
	write_file(tree, "sys/fs/cgroup/cpuset/cpuset.effective_cpus", "0-3\n");
	write_file(tree, "sys/fs/cgroup/cpuset/a/cpuset.effective_cpus", "0-1\n");
	write_file(tree, "sys/fs/cgroup/cpuset/a/b/cpuset.effective_cpus", "0-1\n");
	write_file(tree, "sys/fs/cgroup/blkio/a/b/blkio.throttle.read_bps_device",
		   "254:0 1048576\n");
	write_file(tree, "sys/fs/cgroup/blkio/a/b/blkio.throttle.write_bps_device", "");
	write_file(tree, "sys/fs/cgroup/blkio/a/blkio.throttle.write_iops_device", "254:0 100\n");
	r = open_tree();

	sc_limits_walk(r, SC_LIM_CPU, 1, "/sys/fs/cgroup/cpu", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited, "%s", strna(e.error));
	cr_assert_eq(e.value, 150000, "1.5 CPUs at /a beat 2 CPUs at /a/b");
	cr_assert_eq(e.period, 100000);
	cr_assert_str_eq(e.set_by, "/a");
	s = sc_limit_effective_to_string(SC_LIM_CPU, &e);
	cr_assert_str_eq(s, "1.5 CPUs (150000/100000 us)");
	free(s);
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_SWAP, 1, "/sys/fs/cgroup/memory", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited, "%s", strna(e.error));
	cr_assert_eq(e.value, 50 * MIB, "memsw 150 MiB - memory 100 MiB");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_PIDS, 1, "/sys/fs/cgroup/pids", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited);
	cr_assert_eq(e.value, 64);
	cr_assert_str_eq(e.set_by, "/a/b");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_CPUSET, 1, "/sys/fs/cgroup/cpuset", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited, "%s", strna(e.error));
	cr_assert_eq(e.value, 2);
	cr_assert_eq(sc_cpuset_count(&e.all_cpus), 4);
	cr_assert_str_eq(e.set_by, "/a", "where it narrowed to 0-1");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_IO, 1, "/sys/fs/cgroup/blkio", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited, "%s", strna(e.error));
	cr_assert_eq(e.n_io, 1);
	cr_assert_eq(e.io[0].major, 254);
	cr_assert_eq(e.io[0].v[SC_IO_RBPS], 1048576);
	cr_assert_eq(e.io[0].v[SC_IO_WIOPS], 100);
	cr_assert_eq(e.io[0].v[SC_IO_WBPS], SC_LIMIT_NONE);
	cr_assert_str_eq(e.io[0].set_by, "/a/b");
	sc_limit_effective_done(&e);

	/* No swap accounting: not known. */
	s = sc_xasprintf("%s/sys/fs/cgroup/memory/a/b/memory.memsw.limit_in_bytes", tree);
	unlink(s);
	free(s);
	sc_limits_walk(r, SC_LIM_SWAP, 1, "/sys/fs/cgroup/memory", "/a/b", &errs, &e);
	cr_assert_not(e.known);
	cr_assert(strstr(e.error, "swap accounting"));
	sc_limit_effective_done(&e);
	sc_errlist_done(&errs);
	sc_root_free(r);
}

Test(limits_walk, v2)
{
	struct sc_limit_effective e = {};
	struct sc_errlist errs = {};
	struct sc_root *r;

	/* The v2 root has no memory.max, cpu.max, pids.max or io.max. */
	write_file(tree, "sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
	write_file(tree, "sys/fs/cgroup/cpuset.cpus.effective", "0-3\n");
	write_file(tree, "sys/fs/cgroup/a/memory.max", "max\n");
	write_file(tree, "sys/fs/cgroup/a/memory.swap.max", "0\n");
	write_file(tree, "sys/fs/cgroup/a/b/memory.max", "104857600\n");
	write_file(tree, "sys/fs/cgroup/a/b/memory.swap.max", "max\n");
	write_file(tree, "sys/fs/cgroup/a/cpu.max", "150000 100000\n");
	write_file(tree, "sys/fs/cgroup/a/b/cpu.max", "50000 100000\n");
	write_file(tree, "sys/fs/cgroup/a/cpuset.cpus.effective", "0-3\n");
	write_file(tree, "sys/fs/cgroup/a/b/cpuset.cpus.effective", "0-3\n");
	write_file(tree, "sys/fs/cgroup/a/pids.max", "max\n");
	write_file(tree, "sys/fs/cgroup/a/b/pids.max", "max\n");
	write_file(tree, "sys/fs/cgroup/a/io.max",
		   "8:0 rbps=1048576 wbps=max riops=max wiops=max\n");
	write_file(tree, "sys/fs/cgroup/a/b/io.max",
		   "8:0 rbps=2097152 wbps=1024 riops=max wiops=max\n"
		   "8:16 rbps=max wbps=max riops=max wiops=max\n");
	r = open_tree();

	sc_limits_walk(r, SC_LIM_MEMORY, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited, "%s", strna(e.error));
	cr_assert_eq(e.value, 100 * MIB);
	cr_assert_str_eq(e.set_by, "/a/b");
	cr_assert_eq(e.levels[0].err, ENOENT, "the root has no memory.max");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_SWAP, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited);
	cr_assert_eq(e.value, 0, "swap 0 at /a");
	cr_assert_str_eq(e.set_by, "/a");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_CPU, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert_eq(e.value, 50000);
	cr_assert_eq(e.period, 100000);
	cr_assert_str_eq(e.set_by, "/a/b");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_CPUSET, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert(e.known);
	cr_assert_not(e.limited, "0-3 everywhere: all CPUs");
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_PIDS, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert(e.known);
	cr_assert_not(e.limited);
	sc_limit_effective_done(&e);

	sc_limits_walk(r, SC_LIM_IO, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert(e.known && e.limited);
	cr_assert_eq(e.n_io, 1, "8:16 is all max: no limit");
	cr_assert_eq(e.io[0].v[SC_IO_RBPS], 1048576);
	cr_assert_eq(e.io[0].v[SC_IO_WBPS], 1024);
	cr_assert_str_eq(e.io[0].set_by, "/a/b");
	sc_limit_effective_done(&e);

	/* Unparsable content anywhere on the path: not known. */
	write_file(tree, "sys/fs/cgroup/a/memory.max", "lots\n");
	sc_limits_walk(r, SC_LIM_MEMORY, 2, "/sys/fs/cgroup", "/a/b", &errs, &e);
	cr_assert_not(e.known);
	sc_limit_effective_done(&e);
	sc_errlist_done(&errs);
	sc_root_free(r);
}

/* The inside probe reads the same through a recording live root and
 * through the snapshot it recorded: facts are computed by one function. */
Test(limits_walk, inside_probe_replays_identically)
{
	struct sc_inside_hierarchy hier[2] = {
		{ .hierarchy = 4,
		  .controllers = "memory",
		  .dir = "/sys/fs/cgroup/memory",
		  .visible = true },
		{ .hierarchy = 0,
		  .controllers = "",
		  .dir = "/sys/fs/cgroup/unified",
		  .visible = true },
	};
	struct sc_limits_inside a = {}, b = {};
	struct sc_errlist ea = {}, eb = {};
	struct sc_root *r, *s;
	json_t *snap;

	write_file(tree, "proc/meminfo", meminfo);
	write_file(tree, "proc/stat", "cpu  1 2\ncpu0 1 2\n");
	write_file(tree, "proc/uptime", "12.34 5.00\n");
	write_file(tree, "sys/devices/system/cpu/online", "0-1\n");
	write_file(tree, "sys/devices/system/cpu/present", "0-1\n");
	write_file(tree, "sys/fs/cgroup/memory/memory.limit_in_bytes", "104857600\n");
	write_file(tree, "sys/fs/cgroup/unified/cgroup.controllers", "\n");
	r = open_tree();
	cr_assert_eq(sc_root_record_start(r), 0);
	sc_limits_inside_probe(r, hier, 2, &ea, &a);
	snap = sc_root_record_take(r);
	cr_assert_eq(sc_root_open_snapshot(snap, "inside", &s), 0);
	sc_limits_inside_probe(s, hier, 2, &eb, &b);

	cr_assert_str_eq(a.meminfo.text, b.meminfo.text);
	cr_assert_str_eq(b.files[SC_LF_V1_MEMORY].path,
			 "/sys/fs/cgroup/memory/memory.limit_in_bytes");
	cr_assert_str_eq(b.files[SC_LF_V1_MEMORY].text, "104857600\n");
	cr_assert_eq(a.cpuinfo.err, ENOENT);
	cr_assert_eq(b.cpuinfo.err, ENOENT, "absence replays as absence, not ENOFACT");
	cr_assert_eq(b.files[SC_LF_V2_MEMORY].err, ENOENT);
	cr_assert_str_eq(b.files[SC_LF_V2_MEMORY].path, "/sys/fs/cgroup/unified/memory.max");
	cr_assert_null(b.files[SC_LF_V1_CPUSET].path, "no cpuset hierarchy: not read");
	for (int f = 0; f < _SC_LF_MAX; f++)
		cr_assert_eq(a.files[f].err, b.files[f].err, "%s", sc_limit_file_name(f));
	sc_limits_inside_done(&a);
	sc_limits_inside_done(&b);
	sc_errlist_done(&ea);
	sc_errlist_done(&eb);
	sc_root_free(s);
	sc_root_free(r);
	json_decref(snap);
}

/* ---- verdicts on hand-built facts ----------------------------------------------- */

static void set_read(struct sc_inside_read *r, const char *path, const char *text, int err)
{
	r->path = sc_xstrdup(path);
	r->text = text ? sc_xstrdup(text) : NULL;
	r->err = err;
}

/* A container's inside: the host's totals (2 CPUs, 23.5 GiB), unless
 * lxcfs is mounted in mounts. */
static void inside_plain(struct sc_limits_inside *in, const char *mem_total_kb)
{
	_cleanup_free_ char *mi = sc_xasprintf("MemTotal: %s kB\nSwapTotal: 0 kB\n", mem_total_kb);

	*in = (struct sc_limits_inside){ .probed = true };
	set_read(&in->meminfo, "/proc/meminfo", mi, 0);
	set_read(&in->cpuinfo, "/proc/cpuinfo", "processor\t: 0\nprocessor\t: 1\n", 0);
	set_read(&in->stat, "/proc/stat", "cpu  1\ncpu0 1\ncpu1 1\n", 0);
	set_read(&in->uptime, "/proc/uptime", "1000.00 1.00\n", 0);
	set_read(&in->online, "/sys/devices/system/cpu/online", "0-1\n", 0);
	set_read(&in->possible, "/sys/devices/system/cpu/possible", "0-1\n", 0);
	set_read(&in->present, "/sys/devices/system/cpu/present", "0-1\n", 0);
}

static void limited(struct sc_limits *l, enum sc_limit_resource res, uint64_t v, int version)
{
	struct sc_limit_effective *e = &l->rows[res].eff;

	e->known = true;
	e->limited = true;
	e->value = v;
	e->version = version;
	e->set_by = sc_xstrdup("/ctr");
}

static void unlimited_all(struct sc_limits *l)
{
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		l->rows[r].eff.known = true;
		l->rows[r].eff.version = 1;
		l->rows[r].eff.value = SC_LIMIT_NONE;
	}
	l->host_mem_total = 24683620ULL * 1024;
	l->host_cpus = 2;
	l->host_swap_total = 0;
	l->inside_ok = true;
}

static const char lxcfs_mountinfo[] =
	"100 99 0:50 / / rw,relatime - overlay overlay rw\n"
	"101 100 0:51 / /proc rw - proc proc rw\n"
	"102 101 0:41 /proc/meminfo /proc/meminfo rw - fuse.lxcfs lxcfs rw,user_id=0\n"
	"103 101 0:41 /proc/stat /proc/stat rw - fuse.lxcfs lxcfs rw,user_id=0\n"
	"104 101 0:41 /proc/cpuinfo /proc/cpuinfo rw - fuse.lxcfs lxcfs rw,user_id=0\n"
	"105 101 0:41 /proc/uptime /proc/uptime rw - fuse.lxcfs lxcfs rw,user_id=0\n"
	"106 100 0:52 / /sys ro - sysfs sysfs ro\n"
	"107 106 0:41 /sys/devices/system/cpu/online /sys/devices/system/cpu/online rw - "
	"fuse.lxcfs lxcfs rw,user_id=0\n";

static const char plain_mountinfo[] = "100 99 0:50 / / rw,relatime - overlay overlay rw\n"
				      "101 100 0:51 / /proc rw - proc proc rw\n"
				      "106 100 0:52 / /sys ro - sysfs sysfs ro\n";

Test(limits_verdict, memory_hidden_then_visible_with_lxcfs)
{
	struct sc_limits l = {};
	struct sc_limits_inside in;
	struct sc_mounts m = {};

	unlimited_all(&l);
	limited(&l, SC_LIM_MEMORY, 100 * MIB, 1);
	inside_plain(&in, "24683620");
	set_read(&in.files[SC_LF_V1_MEMORY], "/sys/fs/cgroup/memory/memory.limit_in_bytes",
		 "104857600\n", 0);
	sc_mountinfo_parse(plain_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_MEMORY].verdict, SC_LV_HIDDEN);
	cr_assert_eq(l.rows[SC_LIM_MEMORY].views[0].value, 24683620ULL * 1024);
	cr_assert_str_eq(l.rows[SC_LIM_MEMORY].views[0].tool, "free");
	cr_assert(strstr(l.rows[SC_LIM_MEMORY].summary,
			 "free will show 23.5 GiB but the memory limit is 100 MiB"),
		  "%s", l.rows[SC_LIM_MEMORY].summary);
	cr_assert(l.rows[SC_LIM_MEMORY].inside_finds);
	cr_assert(strstr(l.rows[SC_LIM_MEMORY].remedy, "lxcfs"));
	cr_assert(strstr(l.rows[SC_LIM_MEMORY].remedy, "UseContainerSupport"));
	cr_assert_eq(l.rows[SC_LIM_SWAP].verdict, SC_LV_UNLIMITED);
	cr_assert_eq(l.rows[SC_LIM_CPU].verdict, SC_LV_UNLIMITED);
	cr_assert_not(l.lxcfs_mounted);
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);

	/* lxcfs: MemTotal is the limit, in kB. */
	unlimited_all(&l);
	limited(&l, SC_LIM_MEMORY, 100 * MIB, 1);
	inside_plain(&in, "102400");
	sc_mountinfo_parse(lxcfs_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_MEMORY].verdict, SC_LV_VISIBLE);
	cr_assert(l.rows[SC_LIM_MEMORY].views[0].lxcfs);
	cr_assert_not(l.rows[SC_LIM_MEMORY].inside_finds, "no cgroup file inside");
	cr_assert_null(l.rows[SC_LIM_MEMORY].remedy);
	cr_assert(l.lxcfs_mounted);
	cr_assert_eq(l.lxcfs_alive, SC_YES);
	cr_assert(l.lxcfs[0].covered && streq(l.lxcfs[0].path, "/proc/meminfo"));
	cr_assert_not(l.lxcfs[4].covered, "/proc/swaps");
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);
}

Test(limits_verdict, above_the_machine_and_unknown)
{
	struct sc_limits l = {};
	struct sc_limits_inside in;
	struct sc_mounts m = {};

	unlimited_all(&l);
	limited(&l, SC_LIM_MEMORY, 64ULL * 1024 * MIB, 1);
	limited(&l, SC_LIM_CPU, 400000, 1);
	l.rows[SC_LIM_CPU].eff.period = 100000;
	l.rows[SC_LIM_PIDS].eff.known = false;
	l.rows[SC_LIM_PIDS].eff.error = sc_xstrdup("pids.max: Permission denied");
	inside_plain(&in, "24683620");
	sc_mountinfo_parse(plain_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_MEMORY].verdict, SC_LV_UNLIMITED, "64 GiB > 23.5 GiB");
	cr_assert_eq(l.rows[SC_LIM_CPU].verdict, SC_LV_UNLIMITED, "4 CPUs of quota > 2 CPUs");
	cr_assert_eq(l.rows[SC_LIM_PIDS].verdict, SC_LV_UNKNOWN);
	cr_assert(strstr(l.rows[SC_LIM_PIDS].summary, "Permission denied"));
	sc_limits_done(&l);

	/* No inside view at all. */
	unlimited_all(&l);
	limited(&l, SC_LIM_MEMORY, 100 * MIB, 1);
	l.inside_ok = false;
	l.inside_error = sc_xstrdup("timed out");
	sc_limits_derive(&l, NULL, NULL, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_MEMORY].verdict, SC_LV_UNKNOWN);
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);
}

Test(limits_verdict, cpuset_partial_and_cpu_hidden)
{
	struct sc_limits l = {};
	struct sc_limits_inside in;
	struct sc_mounts m = {};
	const struct sc_limit_row *row;

	unlimited_all(&l);
	limited(&l, SC_LIM_CPUSET, 1, 1);
	sc_cpuset_parse("0", &l.rows[SC_LIM_CPUSET].eff.cpus);
	sc_cpuset_parse("0-1", &l.rows[SC_LIM_CPUSET].eff.all_cpus);
	limited(&l, SC_LIM_CPU, 50000, 1);
	l.rows[SC_LIM_CPU].eff.period = 100000;
	l.cpus_allowed = sc_xstrdup("0");
	inside_plain(&in, "24683620");
	sc_mountinfo_parse(plain_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	row = &l.rows[SC_LIM_CPUSET];
	cr_assert_eq(row->verdict, SC_LV_PARTIAL);
	cr_assert_str_eq(row->views[0].tool, "nproc");
	cr_assert_eq(row->views[0].value, 1);
	cr_assert(row->views[0].shows_limit);
	cr_assert_str_eq(row->views[1].tool, "lscpu");
	cr_assert_eq(row->views[1].value, 2);
	cr_assert_not(row->views[1].shows_limit);
	cr_assert_str_eq(row->views[2].text, "0,1", "as lscpu prints it");
	cr_assert(strstr(row->remedy, "present"));
	/* 0.5 CPUs of quota: one CPU rounds up, so nproc 1 "shows" it. */
	cr_assert_eq(l.rows[SC_LIM_CPU].verdict, SC_LV_PARTIAL);
	sc_limits_done(&l);

	unlimited_all(&l);
	limited(&l, SC_LIM_CPU, 50000, 1);
	l.rows[SC_LIM_CPU].eff.period = 100000;
	l.cpus_allowed = sc_xstrdup("0-1");
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	row = &l.rows[SC_LIM_CPU];
	cr_assert_eq(row->verdict, SC_LV_HIDDEN);
	cr_assert_eq(row->n_views, 5);
	for (size_t i = 0; i < row->n_views; i++)
		cr_assert_eq(row->views[i].value, 2, "%s", row->views[i].tool);
	cr_assert(strstr(row->remedy, "--enable-cfs"));
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);
}

Test(limits_verdict, pids_and_io_cgroupfs_view)
{
	struct sc_limits l = {};
	struct sc_limits_inside in;
	struct sc_mounts m = {};
	struct sc_limit_effective *io;

	unlimited_all(&l);
	limited(&l, SC_LIM_PIDS, 64, 1);
	limited(&l, SC_LIM_IO, 1, 1);
	io = &l.rows[SC_LIM_IO].eff;
	cr_assert_eq(
		sc_blkio_throttle_merge("254:0 1048576\n", SC_IO_RBPS, "/ctr", &io->io, &io->n_io),
		0);
	inside_plain(&in, "24683620");
	set_read(&in.files[SC_LF_V1_PIDS], "/sys/fs/cgroup/pids/pids.max", "64\n", 0);
	set_read(&in.files[SC_LF_V1_BLKIO_RBPS],
		 "/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device", "254:0 1048576\n", 0);
	for (int f = SC_LF_V1_BLKIO_WBPS; f <= SC_LF_V1_BLKIO_WIOPS; f++)
		set_read(&in.files[f], "/sys/fs/cgroup/blkio/x", "", 0);
	sc_mountinfo_parse(plain_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_PIDS].verdict, SC_LV_VISIBLE);
	cr_assert_eq(l.rows[SC_LIM_IO].verdict, SC_LV_VISIBLE);
	sc_limits_done(&l);
	sc_limits_inside_done(&in);

	/* The cgroup is not mounted inside: hidden. */
	unlimited_all(&l);
	limited(&l, SC_LIM_PIDS, 64, 1);
	inside_plain(&in, "24683620");
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_PIDS].verdict, SC_LV_HIDDEN);
	cr_assert(strstr(l.rows[SC_LIM_PIDS].remedy, "cgroup namespace"));
	/* A different value inside (the namespace root's, say): hidden. */
	sc_limits_done(&l);
	unlimited_all(&l);
	limited(&l, SC_LIM_PIDS, 64, 1);
	set_read(&in.files[SC_LF_V1_PIDS], "/sys/fs/cgroup/pids/pids.max", "max\n", 0);
	sc_limits_derive(&l, &in, &m, 0);
	sc_limits_judge(&l);
	cr_assert_eq(l.rows[SC_LIM_PIDS].verdict, SC_LV_HIDDEN);
	cr_assert_str_eq(l.rows[SC_LIM_PIDS].inside_text, "max");
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);
}

static const struct sc_check *find_check(const struct sc_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_checks; i++)
		if (streq(r->checks[i].id, id))
			return &r->checks[i];
	cr_assert_fail("no check %s", id);
	return NULL;
}

Test(limits_verdict, lxcfs_stalled_and_checks)
{
	struct sc_limits l = {};
	struct sc_limits_inside in;
	struct sc_mounts m = {};
	struct sc_report r;
	const struct sc_check *c;

	unlimited_all(&l);
	limited(&l, SC_LIM_MEMORY, 100 * MIB, 1);
	inside_plain(&in, "102400");
	/* The setns child skipped the hung lxcfs: every file ETIMEDOUT. */
	in.meminfo.err = ETIMEDOUT;
	free(in.meminfo.text);
	in.meminfo.text = NULL;
	l.timed_out = sc_strv_split("/proc/meminfo /proc/stat /proc/cpuinfo /proc/uptime", " ");
	sc_mountinfo_parse(lxcfs_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 9000);
	sc_limits_judge(&l);
	cr_assert_eq(l.lxcfs_alive, SC_NO);
	cr_assert_eq(l.lxcfs[0].err, ETIMEDOUT);
	cr_assert_eq(l.lxcfs[2].err, ETIMEDOUT, "/proc/stat: from the timed-out list");
	cr_assert_eq(l.rows[SC_LIM_MEMORY].verdict, SC_LV_UNKNOWN);

	sc_report_init(&r, "limits");
	sc_report_run(&r, sc_limits_checks, &l);
	c = find_check(&r, "limits.lxcfs");
	cr_assert_eq(c->status, SC_ERROR);
	cr_assert(strstr(c->summary, "/proc/meminfo (ETIMEDOUT)"), "%s", c->summary);
	cr_assert(strstr(c->summary, "/proc/stat (ETIMEDOUT)"), "%s", c->summary);
	cr_assert_eq(find_check(&r, "limits.memory")->status, SC_ERROR);
	cr_assert_eq(find_check(&r, "limits.swap")->status, SC_INFO);
	cr_assert_eq(find_check(&r, "limits.uptime")->status, SC_ERROR);
	sc_report_done(&r);
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);
}

Test(limits_verdict, uptime)
{
	struct sc_limits l = {};
	struct sc_limits_inside in;
	struct sc_mounts m = {};
	struct sc_report r;

	/* The host has been up 1100 s, the init started at 100 s (10000
	 * ticks): the container is 1000 s old. */
	unlimited_all(&l);
	l.host_uptime_cs = 110000;
	inside_plain(&in, "24683620"); /* /proc/uptime 1000.00 */
	sc_mountinfo_parse(lxcfs_mountinfo, &m);
	sc_limits_derive(&l, &in, &m, 10000);
	sc_limits_judge(&l);
	cr_assert(l.uptime_known);
	cr_assert_eq(l.container_age_cs, 100000);
	cr_assert_eq(l.uptime_verdict, SC_LV_VISIBLE);
	cr_assert(l.uptime_lxcfs);
	sc_limits_done(&l);

	unlimited_all(&l);
	l.host_uptime_cs = 110000;
	sc_limits_derive(&l, &in, &m, 100000);
	sc_limits_judge(&l);
	cr_assert_eq(l.container_age_cs, 10000);
	cr_assert_eq(l.uptime_verdict, SC_LV_HIDDEN);
	sc_report_init(&r, "limits");
	sc_report_run(&r, sc_limits_checks, &l);
	cr_assert_eq(find_check(&r, "limits.uptime")->status, SC_INFO);
	cr_assert(strstr(find_check(&r, "limits.uptime")->summary, "host's 1000 s"));
	cr_assert_eq(find_check(&r, "limits.lxcfs")->status, SC_PASS);
	sc_report_done(&r);
	sc_limits_done(&l);
	sc_limits_inside_done(&in);
	sc_mounts_done(&m);
}

/* ---- libblkid ------------------------------------------------------------------- */

static char *sysfs_devname(unsigned major, unsigned minor)
{
	_cleanup_free_ char *p = sc_xasprintf("/sys/dev/block/%u:%u/uevent", major, minor);
	_cleanup_free_ char *t = read_whole_file(p, NULL);
	char *n = t ? sc_find_field(t, "DEVNAME", '=') : NULL;
	char *r = n ? sc_xasprintf("/dev/%s", n) : NULL;

	free(n);
	return r;
}

/* This test means to read the host: the device of "/". */
Test(blkdev, root_device)
{
	_cleanup_free_ char *mi = read_whole_file("/proc/self/mountinfo", NULL);
	_cleanup_free_ char *want = NULL;
	struct sc_mounts m = {};
	const struct sc_mount *root;
	struct sc_blkdev d;
	int k;

	cr_assert_not_null(mi);
	sc_mountinfo_parse(mi, &m);
	root = sc_mounts_at(&m, "/");
	cr_assert_not_null(root);
	want = sysfs_devname(root->major, root->minor);
	if (root->major == 0 || !want) {
		sc_mounts_done(&m);
		cr_skip_test("the root filesystem is on %u:%u, not a block device", root->major,
			     root->minor);
	}
	k = sc_blkdev_describe(root->major, root->minor, &d);
	cr_assert_str_eq(d.devname, want);
	if (k == -EPERM || k == -EACCES) {
		/* This sandbox refuses opening the raw disk: a fact. */
		cr_assert_eq(d.err, (unsigned)-k);
		cr_assert_null(d.fstype);
		printf("info: blkdev: %s: probing refused (%s); the name was still found\n",
		       d.devname, strerror(-k));
	} else {
		cr_assert_eq(k, 0, "%s", strerror(-k));
		cr_assert_str_eq(d.fstype, root->fstype);
	}
	sc_blkdev_done(&d);
	sc_mounts_done(&m);

	k = sc_blkdev_describe(0, 12345, &d);
	cr_assert_eq(k, -ENODEV);
	cr_assert_null(d.devname);
	sc_blkdev_done(&d);
}

static int sh(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(blkdev, loop_device_label_uuid, .timeout = 60)
{
	_cleanup_free_ char *dir = NULL, *img = NULL, *cmd = NULL, *out = NULL, *loop = NULL;
	_cleanup_free_ char *uuid = NULL;
	struct sc_blkdev d;
	struct stat st;

	if (!is_root())
		cr_skip_test("not root: cannot attach a loop device");
	if (sh("command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null") != 0)
		cr_skip_test("losetup or mkfs.ext4 missing");
	dir = make_tempdir();
	img = sc_xasprintf("%s/img", dir);
	cmd = sc_xasprintf("truncate -s 8M %s && mkfs.ext4 -q -F -L sclimits %s && "
			   "losetup -f --show %s > %s/loop 2>/dev/null",
			   img, img, img, dir);
	if (sh(cmd) != 0) {
		rm_rf(dir);
		cr_skip_test("cannot attach a loop device here");
	}
	free(cmd);
	cmd = sc_xasprintf("%s/loop", dir);
	out = read_whole_file(cmd, NULL);
	loop = sc_strstrip(sc_xstrdup(out ? out : ""));
	free(cmd);
	cmd = sc_xasprintf("blkid -p -o value -s UUID %s > %s/uuid", loop, dir);
	(void)sh(cmd);
	free(cmd);
	cmd = sc_xasprintf("%s/uuid", dir);
	free(out);
	out = read_whole_file(cmd, NULL);
	uuid = sc_strstrip(sc_xstrdup(out ? out : ""));

	cr_assert_eq(stat(loop, &st), 0);
	int k = sc_blkdev_describe(major(st.st_rdev), minor(st.st_rdev), &d);
	free(cmd);
	cmd = sc_xasprintf("losetup -d %s", loop);
	(void)sh(cmd);
	rm_rf(dir);
	cr_assert_eq(k, 0, "%s", strerror(-k));
	cr_assert_str_eq(d.devname, loop);
	cr_assert_str_eq(d.fstype, "ext4");
	cr_assert_str_eq(d.label, "sclimits");
	cr_assert_str_eq(d.uuid, uuid);
	{
		_cleanup_free_ char *s = sc_blkdev_to_string(&d);
		cr_assert(strstr(s, "ext4, LABEL=sclimits, UUID="), "%s", s);
	}
	sc_blkdev_done(&d);
}
