/* SPDX-License-Identifier: MIT */
/* A process seen from the host through /proc/PID: capabilities, seccomp,
 * id maps, namespaces, cgroups, affinity, environment's container=. The
 * outside view of a container is its init process's facts. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "facts.h"
#include "host.h"

/* Capability names, capability(7) order; NULL past the last known one. */
const char *sc_cap_name(unsigned cap);
int sc_cap_from_name(const char *name); /* "CAP_SYS_ADMIN" or "sys_admin" */
/* "cap_chown,cap_sys_admin" style list of a mask (allocated). */
char *sc_caps_to_string(uint64_t mask);
#define SC_CAP_SETGID 6
#define SC_CAP_SETUID 7
#define SC_CAP_SETPCAP 8
#define SC_CAP_SYS_MODULE 16
#define SC_CAP_SYS_RAWIO 17
#define SC_CAP_SYS_ADMIN 21
#define SC_CAP_SYS_RESOURCE 24
#define SC_CAP_LAST_KNOWN 40

/* One line of /proc/PID/uid_map or gid_map. */
struct sc_id_range {
	uint32_t inside, outside, count;
};
int sc_id_map_parse(const char *text, struct sc_id_range **ret, size_t *ret_n);
/* The host id that an id inside maps to: 0 and the id, or -ERANGE. */
int sc_id_map_to_outside(const struct sc_id_range *m, size_t n, uint32_t inside, uint32_t *ret);
/* Whether the map is the identity of the initial user namespace. */
bool sc_id_map_is_identity(const struct sc_id_range *m, size_t n);

/* One line of /proc/PID/cgroup: "hierarchy:controllers:path". */
struct sc_cgroup_line {
	int hierarchy;	   /* 0 for the v2 line */
	char *controllers; /* "cpu,cpuacct", "name=systemd", "" for v2 */
	char *path;
};
int sc_cgroup_lines_parse(const char *text, struct sc_cgroup_line **ret, size_t *ret_n);
void sc_cgroup_lines_free(struct sc_cgroup_line *v, size_t n);
/* The line for a v1 controller ("memory", "name=systemd") or, with NULL,
 * the v2 line. */
const struct sc_cgroup_line *sc_cgroup_line_find(const struct sc_cgroup_line *v, size_t n,
						 const char *controller);

/* Fields of /proc/PID/stat that matter here. */
struct sc_proc_stat {
	char state;
	pid_t ppid;
	unsigned long long start_time; /* clock ticks since boot */
};
int sc_proc_stat_parse(const char *text, struct sc_proc_stat *ret);

struct sc_proc_facts {
	pid_t pid;
	char *comm;
	char *cmdline; /* argv joined by spaces, NULL when empty (kernel thread) */
	struct sc_proc_stat stat;

	bool caps_known;
	uint64_t cap_eff, cap_prm, cap_bnd, cap_inh, cap_amb;
	int seccomp;	     /* -1 unknown, 0 off, 1 strict, 2 filter */
	int seccomp_filters; /* -1 unknown */
	int no_new_privs;    /* -1 unknown */
	uid_t uid;	     /* real uid on the host */
	pid_t nspid_inner;   /* its PID in its own namespace (last of NSpid) */
	char *cpus_allowed;  /* Cpus_allowed_list */
	char *mems_allowed;

	struct sc_id_range *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;

	bool environ_readable;
	char *container_env; /* value of container=, NULL when unset */

	uint64_t ns[_SC_NS_MAX];      /* 0 when unknown */
	uint64_t host_ns[_SC_NS_MAX]; /* the prober's own, to compare */

	struct sc_cgroup_line *cgroups;
	size_t n_cgroups;

	struct sc_errlist errors;
};

/* Probe /proc/PID through the host root. -ESRCH when the process does not
 * exist (its /proc/PID/status is absent). */
int sc_proc_probe(struct sc_root *host, pid_t pid, struct sc_proc_facts *ret);
/* The same, for a caller probing many processes (list): SC_PROC_BRIEF
 * skips what only a container's report reads (environ, uid_map,
 * gid_map), and host_ns, when not NULL, holds what sc_host_pid1_ns()
 * gave, read once instead of for every process. */
#define SC_PROC_BRIEF (1u << 0)
int sc_proc_probe_flags(struct sc_root *host, pid_t pid, unsigned flags,
			const uint64_t host_ns[_SC_NS_MAX], struct sc_proc_facts *ret);
/* /proc/PID/stat alone: -ESRCH when the process is gone. */
int sc_proc_read_stat(struct sc_root *host, pid_t pid, struct sc_proc_stat *ret);
void sc_proc_facts_done(struct sc_proc_facts *f);
/* The namespace differs from the prober's: 1, same: 0, unknown: -1. */
int sc_proc_ns_private(const struct sc_proc_facts *f, enum sc_ns_type t);
