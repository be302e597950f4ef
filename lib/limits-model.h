/* SPDX-License-Identifier: MIT */
/* Limit visibility: a container's effective limits from the host (every
 * ancestor cgroup, the smallest wins), what it finds of them inside, and
 * what free, lscpu, nproc, top and uptime would show there. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blkdev.h"
#include "cpuset.h"
#include "facts.h"
#include "limits-parse.h"
#include "mountinfo.h"

struct sc_host_facts;
struct sc_container_facts;

/* USER_HZ: the unit of /proc/PID/stat start times on every architecture
 * (include/asm-generic/param.h); sysconf(_SC_CLK_TCK) would also answer
 * 100, but a snapshot may be replayed elsewhere. */
#define SC_USER_HZ 100

enum sc_limit_resource {
	SC_LIM_MEMORY,
	SC_LIM_SWAP,
	SC_LIM_CPU,
	SC_LIM_CPUSET,
	SC_LIM_PIDS,
	SC_LIM_IO,
	_SC_LIM_MAX,
};
const char *sc_limit_resource_to_string(enum sc_limit_resource r);

enum sc_limit_verdict {
	SC_LV_UNKNOWN,	 /* could not observe */
	SC_LV_VISIBLE,	 /* every view inside shows the limit */
	SC_LV_PARTIAL,	 /* some views show it, others do not */
	SC_LV_HIDDEN,	 /* no everyday view shows it */
	SC_LV_UNLIMITED, /* no limit: nothing to hide */
	_SC_LV_MAX,
};
const char *sc_limit_verdict_to_string(enum sc_limit_verdict v);

/* The parsers (limits-parse.h) and the CPU bitmap (cpuset.h) are the
 * pure, string-level part. */

/* ---- the inside view ------------------------------------------------------ */

struct sc_inside_read {
	char *path; /* where it was read inside, NULL when not attempted */
	char *text; /* the content, NULL when unreadable */
	int err;    /* positive errno (ENOENT: absent), 0 when read */
};

/* What the inside probe reads for limits (struct sc_inside_facts.limits). */
struct sc_limits_inside {
	bool probed;
	struct sc_inside_read meminfo, cpuinfo, stat, uptime;
	struct sc_inside_read online, possible, present; /* /sys/devices/system/cpu */
	struct sc_inside_read files[_SC_LF_MAX];	 /* in the own cgroup dirs */
};

struct sc_inside_hierarchy;
struct sc_root;
/* Reads through root (live in the setns child, the snapshot in the
 * parent: the same paths, in the same order, from the same facts).
 * hier are the container's own cgroup directories as mounted inside. */
void sc_limits_inside_probe(struct sc_root *root, const struct sc_inside_hierarchy *hier,
			    size_t n_hier, struct sc_errlist *errs, struct sc_limits_inside *ret);
void sc_limits_inside_done(struct sc_limits_inside *l);

/* ---- the host view and the verdicts ----------------------------------------- */

/* One ancestor's own setting, as the host reads it. */
struct sc_limit_level {
	char *cgroup; /* "/", "/a", "/a/b" */
	char *file;   /* the host path read */
	char *raw;    /* the content, trimmed; NULL when unreadable or absent */
	int err;      /* positive errno, ENOENT when absent */
};

struct sc_limit_effective {
	bool known;	  /* the limit could be observed */
	int version;	  /* 1 or 2; 0 when the controller is nowhere */
	char *controller; /* "memory", "blkio", "io" */
	char *cgroup;	  /* the container's cgroup in that hierarchy */
	char *host_dir;	  /* its directory on the host */
	bool limited;
	uint64_t value;		   /* bytes (memory, swap), count (pids), quota us (cpu) */
	uint64_t period;	   /* cpu: period us */
	struct sc_cpuset cpus;	   /* cpuset: the container's effective CPUs */
	struct sc_cpuset all_cpus; /* cpuset: the root cgroup's (the machine's) */
	char *set_by;		   /* the cgroup that sets it */
	char *set_by_file;
	char *note;
	struct sc_limit_level *levels;
	size_t n_levels;
	struct sc_io_limit *io;
	size_t n_io;
	char *error; /* why not known */
};

/* What one everyday tool (or the cgroup file) shows inside. */
struct sc_limit_view {
	const char *tool;  /* static: "free", "lscpu", "nproc", "top", "cgroupfs" */
	const char *reads; /* static: what it reads ("/proc/meminfo MemTotal") */
	bool known;
	uint64_t value;	  /* bytes or a CPU count; SC_LIMIT_NONE for "max" */
	char *text;	  /* "23.5 GiB", "2 (0-1)" */
	bool shows_limit; /* judged for a tool, inside_finds for cgroupfs */
	bool lxcfs;	  /* the file it reads is an lxcfs mount inside */
	int err;	  /* positive errno when unreadable */
};
#define SC_LIMIT_VIEWS_MAX 6

struct sc_limit_row {
	enum sc_limit_resource res;
	struct sc_limit_effective eff;
	/* The container's own limit file inside: what a cgroup-aware runtime
	 * (JVM, Go >= 1.25, .NET) finds. */
	char *inside_file;
	bool inside_known;
	bool inside_finds; /* it shows the effective limit */
	char *inside_text;
	int inside_err;
	struct sc_limit_view views[SC_LIMIT_VIEWS_MAX];
	size_t n_views;
	/* The judgement (sc_limits_judge, checks-limits.c). */
	enum sc_limit_verdict verdict;
	char *summary;
	char *remedy;
};

/* The files lxcfs virtualizes (lxcfs/src/proc_fuse.c, sys_fuse.c). */
struct sc_lxcfs_file {
	const char *path; /* static */
	bool covered;	  /* an lxcfs mount is on it inside */
	char *mountpoint;
	int err; /* what reading it inside gave: 0, ENOTCONN, ETIMEDOUT... */
	bool read;
};

struct sc_limits {
	char *target; /* "runc:ID" */
	int pid;      /* the container's init on the host */
	bool inside_ok;
	char *inside_error;
	/* sc_limits_derive() had the inside reads: the views, the inside
	 * files and lxcfs coverage are facts (false: none were taken). */
	bool inside_viewed;
	struct sc_limit_row rows[_SC_LIM_MAX];

	/* The host's own view, to tell "limited" from "larger than the machine". */
	uint64_t host_mem_total, host_swap_total; /* 0 when unknown */
	unsigned host_cpus;			  /* online CPUs; 0 when unknown */

	/* Affinity of the container's init (Cpus_allowed_list from the host):
	 * what sched_getaffinity() returns for processes in the container. */
	char *cpus_allowed;

	bool lxcfs_mounted;
	int lxcfs_alive; /* enum sc_tristate, judged from the read errors */
	struct sc_lxcfs_file *lxcfs;
	size_t n_lxcfs;
	char **timed_out; /* reads inside that hung */

	/* uptime: /proc/uptime inside vs the container's age from the host
	 * (host uptime - init's start time). */
	bool uptime_known;
	uint64_t inside_uptime_cs, container_age_cs, host_uptime_cs;
	enum sc_limit_verdict uptime_verdict; /* judged */
	bool uptime_lxcfs;

	/* The device of the container's root filesystem ("/" in the inside
	 * mountinfo). */
	bool root_known;
	char *root_fstype;
	char *root_source;
	struct sc_blkdev root_dev;

	struct sc_errlist errors; /* host reads that failed */
};

/* Probe: walk every ancestor of the container's cgroups through the host
 * root, take the inside view from the container facts, name io devices
 * (live roots only), then derive what each tool shows (sc_limits_derive).
 * It does not judge: the verdicts, summaries and remedies are
 * sc_limits_judge()'s (checks.h), which the caller runs next. Never fails:
 * what cannot be observed is a fact in the result. */
void sc_limits_probe(struct sc_root *host, const struct sc_host_facts *hf,
		     const struct sc_container_facts *cf, struct sc_limits *ret);
void sc_limits_done(struct sc_limits *l);
void sc_limits_free(struct sc_limits *l);

/* The derived facts (limits-views.c), pure, for tests: from the effective
 * limits in l->rows[].eff, the inside facts (NULL: no inside view), the
 * inside mount table and the init's start time, fill what each tool
 * shows (the views), what the own cgroup file inside says, lxcfs
 * coverage and the uptime figures. */
void sc_limits_derive(struct sc_limits *l, const struct sc_limits_inside *in,
		      const struct sc_mounts *inside_mounts, uint64_t start_time_ticks);

/* The ancestor walk on one hierarchy, exposed for tests: reads through
 * root under mount (a v1 mount point or the cgroup2 root) for the
 * container's cgroup path and fills eff for resource res. */
void sc_limits_walk(struct sc_root *root, enum sc_limit_resource res, int version,
		    const char *mount, const char *cgroup, struct sc_errlist *errs,
		    struct sc_limit_effective *eff);
void sc_limit_effective_done(struct sc_limit_effective *e);
/* The limit in words: "100 MiB", "0.5 CPUs (50000/100000 us)", "0 (1 CPU)". */
char *sc_limit_effective_to_string(enum sc_limit_resource res, const struct sc_limit_effective *e);
