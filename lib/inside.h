/* SPDX-License-Identifier: MIT */
/* What a container sees from inside: its mounts, the cgroup mode systemd
 * would pick there, its own cgroup as mounted, the API filesystems, the
 * image's systemd. Probed through an sc_root on the container's "/" (in
 * the setns child), then replayed from the snapshot in the parent. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "facts.h"
#include "limits-model.h"
#include "manager.h"
#include "mountinfo.h"
#include "proc.h"
#include "systemd.h"

/* The container's cgroup in one hierarchy, as mounted inside. */
struct sc_inside_hierarchy {
	int hierarchy;	      /* 0 for cgroup2 */
	char *controllers;    /* as /proc/1/cgroup lists them */
	char *cgroup;	      /* PID 1's cgroup path, seen through its cgroup namespace */
	char *mountpoint;     /* where that hierarchy is mounted inside, or NULL */
	char *mount_root;     /* the mounted subtree */
	char *dir;	      /* the directory of PID 1's cgroup inside, or NULL */
	bool visible;	      /* dir exists */
	bool literal_visible; /* mountpoint + cgroup exists, as systemd joins them */
	bool read_only;	      /* the mount is read-only */
	bool own;	      /* PID 1's cgroup is not the (namespace) root: "/" */
};

/* Files of the container's own cgroup (cgroup2), read inside. */
struct sc_inside_cgroup2 {
	bool known;
	char *type;		/* cgroup.type, NULL when absent */
	char **controllers;	/* cgroup.controllers */
	char **subtree_control; /* cgroup.subtree_control */
	bool stat_known;
	uid_t uid; /* owner of the directory, as the prober sees it */
	gid_t gid;
	char **delegate_not_owned; /* delegate files owned by someone else */
};

struct sc_inside_facts {
	struct sc_mounts mounts;
	struct sc_cgroup_facts cgroup; /* mode, mounts and controllers seen inside */

	struct sc_cgroup_line *pid1_cgroups; /* /proc/1/cgroup read inside */
	size_t n_pid1_cgroups;
	struct sc_inside_hierarchy *hier;
	size_t n_hier;
	struct sc_inside_cgroup2 own2;

	/* API filesystems, from the inside mount table. */
	char *fs_run; /* fstype on /run, NULL when not a mount point */
	char *fs_run_lock;
	char *fs_tmp;
	char *fs_dev_shm;
	bool proc_mounted, sys_mounted, dev_mounted;
	int sys_read_only;	/* enum sc_tristate */
	int proc_sys_read_only; /* enum sc_tristate */
	int dev_console;	/* enum sc_tristate: /dev/console exists */
	char **lxcfs_mountpoints;

	/* The files systemd's detect_container() looks at when $container is
	 * unset (src/basic/virt.c): enum sc_tristate each, and what
	 * /run/host/container-manager says (NULL: absent or empty). */
	int dockerenv;	  /* /.dockerenv */
	int containerenv; /* /run/.containerenv */
	char *container_manager;

	char *os_pretty_name;
	char *os_id;
	char *os_version_id;
	struct sc_systemd_image systemd;

	/* Whether systemd runs as PID 1 here already (/run/systemd/system),
	 * and then how it is doing, as its manager tells over its private
	 * socket (manager.c): manager_error is 0 when known, else -errno. */
	int systemd_running; /* enum sc_tristate */
	char *pid1_comm;
	struct sc_manager_state manager;
	int manager_error;

	/* What free/lscpu/top/uptime read, and the own cgroup's limit files
	 * (limits.c). */
	struct sc_limits_inside limits;

	struct sc_errlist errors;
};

/* Run the inside probe on a root (live in the child, snapshot in the
 * parent). -errno only when nothing could be read (no mountinfo). */
int sc_inside_probe(struct sc_root *root, struct sc_inside_facts *ret);
void sc_inside_facts_done(struct sc_inside_facts *f);

/* Where a cgroup (path as the reader's cgroup namespace shows it) appears
 * under a mount of its hierarchy whose root is mount_root: the directory
 * inside, or NULL when the mount does not contain it ("/.." roots, or a
 * sibling subtree). Pure, for tests. */
char *sc_cgroup_dir_in_mount(const char *mountpoint, const char *mount_root, const char *cgroup);
