/* SPDX-License-Identifier: MIT */
/* Host facts: everything `sysctr-check host` reports about the machine
 * (cgroups, kernel, namespaces, init system, lxcfs, container detection).
 * Facts only; checks-host.c judges them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "facts.h"
#include "mountinfo.h"

/* Namespace types in the order of /proc/self/ns, with the inode number
 * the kernel gives the initial namespace (include/linux/proc_ns.h). */
enum sc_ns_type {
	SC_NS_CGROUP,
	SC_NS_IPC,
	SC_NS_MNT,
	SC_NS_NET,
	SC_NS_PID,
	SC_NS_TIME,
	SC_NS_USER,
	SC_NS_UTS,
	_SC_NS_MAX,
};
const char *sc_ns_type_to_string(enum sc_ns_type t);
/* Inode of the initial namespace of that type, 0 when not fixed (mnt and
 * net get dynamic inode numbers). */
uint64_t sc_ns_initial_inode(enum sc_ns_type t);
/* "cgroup:[4026531835]" -> 4026531835; 0 on parse failure. */
uint64_t sc_ns_parse_link(const char *link);

struct sc_ns_fact {
	bool supported; /* /proc/self/ns/TYPE exists */
	uint64_t inode; /* 0 when unknown */
	int initial;	/* enum sc_tristate: the initial namespace? */
};

/* Kernel command line parameters that explain cgroup layouts. */
struct sc_kernel_param {
	char *key;
	char *value; /* NULL for a bare flag */
};

struct sc_host_facts {
	char *root_path; /* what was probed: "/" or a fixture tree */
	bool live;

	char *kernel_release;
	int kernel_major, kernel_minor; /* -1 when unknown */
	/* /proc/sys/kernel/hostname (the UTS namespace's), NULL unread:
	 * where a report came from, for JUnit's hostname. */
	char *hostname;

	struct sc_cgroup_facts cgroup;

	char *cmdline;
	struct sc_kernel_param *params; /* only the cgroup-relevant ones */
	size_t n_params;

	struct sc_ns_fact ns[_SC_NS_MAX];
	int64_t max_user_namespaces; /* -1 when unknown */
	/* What a process's namespaces count as private against
	 * (sc_host_pid1_ns()): read once here, not for every container. */
	uint64_t pid1_ns[_SC_NS_MAX];

	/* Init system. */
	char *pid1_name;     /* /proc/1/comm */
	int systemd_running; /* /run/systemd/system exists (sd_booted()) */
	char *init_system;   /* "systemd", "openrc", "other", "unknown" */

	/* Loadable modules (/proc/modules exists, CONFIG_MODULES=y): without
	 * them systemd-modules-load fails ("kmod context: not supported"). */
	bool kernel_modules;

	/* lxcfs mounts (fstype fuse.lxcfs). */
	char **lxcfs_mountpoints;

	/* Is this root itself a container? systemd-detect-virt --container's
	 * answer, and what the namespaces say: /.dockerenv left in a VM image
	 * fools systemd, initial namespace inodes do not lie. */
	char *container;	  /* "none", "docker", "lxc", "container-other"... */
	char *container_evidence; /* which file or test decided it */
	int ns_says_container;	  /* enum sc_tristate: a non-initial pid/user/cgroup/ipc/uts ns */

	int euid;
	struct sc_errlist errors;
	struct sc_mounts mounts; /* the whole table, kept for later probes */
};

/* The namespaces a process counts as private against: PID 1's, ours when
 * PID 1's are not readable (0: unknown). */
void sc_host_pid1_ns(struct sc_root *host, uint64_t ret[_SC_NS_MAX]);

/* Probe a host root. Returns 0, or -errno when nothing at all could be
 * read (no mountinfo), so the caller can exit "could not probe". */
int sc_host_probe(struct sc_root *root, struct sc_host_facts *ret);
void sc_host_facts_done(struct sc_host_facts *f);

/* Pure helpers, exposed for tests. */
void sc_cmdline_parse(const char *cmdline, struct sc_kernel_param **ret, size_t *ret_n);
const struct sc_kernel_param *sc_host_param(const struct sc_host_facts *f, const char *key);
int sc_kernel_version_parse(const char *release, int *ret_major, int *ret_minor);
/* Compare the host's kernel with major.minor: <0, 0, >0; 0 if unknown. */
int sc_host_kernel_cmp(const struct sc_host_facts *f, int major, int minor);
