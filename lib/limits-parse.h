/* SPDX-License-Identifier: MIT */
/* The kernel files limits are read from, their names, and pure parsers of
 * them: limit values, cpu.max, io.max and blkio throttles, meminfo,
 * cpuinfo, /proc/stat, uptime. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blkdev.h"

/* "max", "-1" and the v1 "no limit" values. */
#define SC_LIMIT_NONE UINT64_MAX
/* mm/page_counter.c: PAGE_COUNTER_MAX is LONG_MAX / PAGE_SIZE pages, so
 * v1 prints LONG_MAX rounded down to the page size for "no limit". Any
 * value at or above the 64 KiB-page rounding is that, whatever the page
 * size (4 KiB: 9223372036854771712; 64 KiB: 9223372036854710272). */
#define SC_LIMIT_V1_NO_LIMIT_MIN 0x7FFFFFFFFFFF0000ULL

/* The limit files the probe reads in the container's own cgroup (inside
 * and, for every ancestor, on the host). */
enum sc_limit_file {
	SC_LF_V1_MEMORY, /* memory.limit_in_bytes */
	SC_LF_V1_MEMSTAT,
	SC_LF_V1_MEMSW,
	SC_LF_V1_CFS_QUOTA,
	SC_LF_V1_CFS_PERIOD,
	SC_LF_V1_CPUSET,
	SC_LF_V1_PIDS,
	SC_LF_V1_BLKIO_RBPS,
	SC_LF_V1_BLKIO_WBPS,
	SC_LF_V1_BLKIO_RIOPS,
	SC_LF_V1_BLKIO_WIOPS,
	SC_LF_V2_MEMORY,
	SC_LF_V2_SWAP,
	SC_LF_V2_CPU,
	SC_LF_V2_CPUSET,
	SC_LF_V2_PIDS,
	SC_LF_V2_IO,
	_SC_LF_MAX,
};
/* "memory.limit_in_bytes"; its v1 controller ("memory", NULL for v2). */
const char *sc_limit_file_name(enum sc_limit_file f);
const char *sc_limit_file_controller(enum sc_limit_file f);

/* A limit value: "max" (v2), "-1" (v1 cpu/pids), a number, and the v1
 * memory "no limit" (PAGE_COUNTER_MAX pages: LONG_MAX rounded down to the
 * page size, 9223372036854771712 with 4 KiB pages) -> SC_LIMIT_NONE. */
int sc_limit_parse_value(const char *s, uint64_t *ret);
/* cgroup v2 cpu.max "QUOTA PERIOD" ("max 100000": quota SC_LIMIT_NONE). */
int sc_cpu_max_parse(const char *s, uint64_t *ret_quota, uint64_t *ret_period);
/* a/b < c/d, without overflow: two quota/period pairs compared. */
static inline bool sc_ratio_less(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return (unsigned __int128)a * d < (unsigned __int128)c * b;
}

enum sc_io_field { SC_IO_RBPS, SC_IO_WBPS, SC_IO_RIOPS, SC_IO_WIOPS, _SC_IO_MAX };
const char *sc_io_field_to_string(enum sc_io_field f); /* the io.max keys */
struct sc_io_limit {
	unsigned major, minor;
	uint64_t v[_SC_IO_MAX]; /* SC_LIMIT_NONE: no limit */
	char *set_by;		/* the cgroup whose setting is the smallest */
	struct sc_blkdev dev;	/* filled by the host probe */
};
void sc_io_limits_free(struct sc_io_limit *v, size_t n);
/* Merge io.max text ("8:0 rbps=1048576 wbps=max riops=max wiops=max")
 * into v: per device and key, the smaller value wins (set_by = cgroup
 * when this text lowers it). -EBADMSG on a malformed line (the lines
 * before it are kept). */
int sc_io_max_merge(const char *text, const char *cgroup, struct sc_io_limit **v, size_t *n);
/* The same for one v1 blkio.throttle.*_device file ("8:0 1048576"). */
int sc_blkio_throttle_merge(const char *text, enum sc_io_field field, const char *cgroup,
			    struct sc_io_limit **v, size_t *n);

/* "MemTotal:       24683620 kB" -> bytes. -ENOENT when absent. */
int sc_meminfo_get(const char *text, const char *key, uint64_t *ret_bytes);
/* memory.stat "hierarchical_memory_limit 9223372036854771712". */
int sc_memory_stat_get(const char *text, const char *key, uint64_t *ret);
/* Lines "processor : N" of /proc/cpuinfo (x86, arm64, ppc...). */
int sc_cpuinfo_count(const char *text);
/* Lines "cpuN ..." of /proc/stat (not the "cpu " total): what top and
 * htop draw one row/bar for. */
int sc_proc_stat_cpus(const char *text);
/* /proc/uptime "2210.42 1427.07" -> centiseconds. */
int sc_uptime_parse(const char *text, uint64_t *ret_cs);
