/* SPDX-License-Identifier: MIT */
/* Cgroup facts of one root (the host, or a container from inside): the
 * mode as systemd decides it, every cgroup mount, and where each
 * controller lives. Facts only; checks-host.c judges them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "mountinfo.h"

/* The mode, named as systemd's cg_unified_cached() (src/basic/cgroup-util.c,
 * v233..v257) decides it from statfs(), plus the layouts it refuses. */
enum sc_cgroup_mode {
	SC_CG_UNKNOWN,	      /* statfs failed: could not observe */
	SC_CG_UNIFIED,	      /* cgroup2 on /sys/fs/cgroup */
	SC_CG_HYBRID,	      /* tmpfs, cgroup2 on .../unified (or .../systemd, v232) */
	SC_CG_LEGACY,	      /* tmpfs, v1 name=systemd on .../systemd */
	SC_CG_NONE,	      /* nothing mounted on /sys/fs/cgroup (sysfs magic) */
	SC_CG_V1_ON_ROOT,     /* a v1 hierarchy mounted directly on /sys/fs/cgroup */
	SC_CG_UNSUPPORTED_V1, /* tmpfs without name=systemd nor cgroup2 under it */
	SC_CG_OTHER_FS,	      /* some other filesystem on /sys/fs/cgroup */
};
const char *sc_cgroup_mode_to_string(enum sc_cgroup_mode m);
int sc_cgroup_mode_from_string(const char *s);

/* Where a controller is usable. */
enum sc_ctrl_where {
	SC_CTRL_V1,	      /* bound to a mounted v1 hierarchy */
	SC_CTRL_V1_UNMOUNTED, /* bound to a v1 hierarchy not mounted here */
	SC_CTRL_V2,	      /* listed in the cgroup2 root's cgroup.controllers */
	SC_CTRL_UNBOUND,      /* in no v1 hierarchy and not listed on cgroup2 */
	SC_CTRL_DISABLED,     /* "enabled" 0 in /proc/cgroups (cgroup_disable=) */
	SC_CTRL_ABSENT,	      /* this kernel does not have it */
};
const char *sc_ctrl_where_to_string(enum sc_ctrl_where w);
int sc_ctrl_where_from_string(const char *s);

struct sc_cgroup_mount {
	char *mountpoint;
	char *root; /* mountinfo field 4: "/" or a subtree, "/.." outside the ns */
	char *source;
	int version;	    /* 1 or 2 */
	char **controllers; /* v1: the controllers of this hierarchy */
	char *name;	    /* v1 "name=" (systemd, openrc, ...), or NULL */
	bool read_only;
	bool nsdelegate;
	bool memory_recursiveprot;
	char *options;	     /* raw per-mount options */
	char *super_options; /* raw per-superblock options */
};

struct sc_controller {
	char *name;    /* as /proc/cgroups lists it ("blkio"), or the v2 name */
	char *v2_name; /* its cgroup2 name ("io" for blkio), NULL if none */
	enum sc_ctrl_where where;
	int hierarchy;	 /* /proc/cgroups hierarchy id, -1 if not listed */
	int num_cgroups; /* -1 if not listed */
	int enabled;	 /* 1/0, -1 if not listed */
	char *v1_mountpoint;
	char **co_mounted; /* other controllers sharing its v1 hierarchy */
	bool v2_available; /* in the cgroup2 root's cgroup.controllers */
	bool v2_enabled;   /* in the cgroup2 root's cgroup.subtree_control */
	const char *note;  /* static: what cgroup2 offers instead, etc. */
};

struct sc_statfs_fact {
	const char *path; /* static */
	uint64_t magic;
	int err; /* 0, or positive errno / SC_E* */
};

struct sc_oddity {
	char *id;
	char *detail;
};

enum sc_tristate { SC_UNKNOWN = -1, SC_NO = 0, SC_YES = 1 };
const char *sc_tristate_to_string(int t);

/* One cgroup2 cgroup and what it enables for its children. */
struct sc_cgroup_ancestor {
	char *path;		/* cgroup path from the v2 root: "/", "/a", "/a/b" */
	char **subtree_control; /* NULL when unreadable */
};

/* At most this many cgroups of v2_tree. */
#define SC_CGROUP_TREE_MAX 64

struct sc_cgroup_facts {
	struct sc_statfs_fact fs_root, fs_unified, fs_systemd;
	enum sc_cgroup_mode mode;
	/* The cgroup2 hierarchy systemd would use: /sys/fs/cgroup (unified),
	 * /sys/fs/cgroup/unified (hybrid), NULL otherwise. */
	char *v2_path;

	struct sc_cgroup_mount *mounts;
	size_t n_mounts;
	struct sc_controller *controllers;
	size_t n_controllers;
	int proc_cgroups_err;

	char **v2_controllers;	   /* NULL when not read */
	char **v2_subtree_control; /* NULL when not read */
	/* Below the root, where delegation happens: each child cgroup of the
	 * cgroup2 root and, under /user.slice, each user-UID.slice and its
	 * user@UID.service, sorted by path. */
	struct sc_cgroup_ancestor *v2_tree;
	size_t n_v2_tree;
	char **features; /* /sys/kernel/cgroup/features, NULL when absent */
	char **delegate; /* /sys/kernel/cgroup/delegate, NULL when absent */

	/* Swap accounting: memory.memsw.* (v1) or memory.swap.* (v2) files. */
	int swap_accounting; /* enum sc_tristate */
	char *swap_evidence;

	/* Whether this root looks like it is inside a cgroup namespace or a
	 * subtree mount, the way systemd's running_in_cgroupns() tells. */
	int in_cgroupns; /* enum sc_tristate */

	struct sc_oddity *oddities;
	size_t n_oddities;
};

/* Probe the cgroup facts of a root. mounts is that root's parsed
 * mountinfo. Never fails: what cannot be read is recorded in errs. */
void sc_cgroup_probe(struct sc_root *root, const struct sc_mounts *mounts, struct sc_errlist *errs,
		     struct sc_cgroup_facts *ret);
/* f->v2_tree, once f is probed: one listing of the cgroup2 root and a
 * read per child, so only for a report of the host itself (a busy node's
 * root holds a cgroup per container: `report TARGET` must not pay for
 * them). */
void sc_cgroup_probe_tree(struct sc_root *root, struct sc_cgroup_facts *f);
void sc_cgroup_facts_done(struct sc_cgroup_facts *f);

/* Pure helpers, exposed for tests. */
enum sc_cgroup_mode sc_cgroup_mode_from_statfs(const struct sc_statfs_fact *root,
					       const struct sc_statfs_fact *unified,
					       const struct sc_statfs_fact *systemd);
/* /proc/cgroups: fills controllers (name, hierarchy, num_cgroups,
 * enabled). Returns the number of rows or -EBADMSG. */
int sc_proc_cgroups_parse(const char *text, struct sc_controller **ret, size_t *ret_n);
const struct sc_controller *sc_cgroup_find_controller(const struct sc_cgroup_facts *f,
						      const char *name);
bool sc_cgroup_has_oddity(const struct sc_cgroup_facts *f, const char *id);
const struct sc_cgroup_mount *sc_cgroup_find_mount(const struct sc_cgroup_facts *f,
						   const char *mountpoint);
