/* SPDX-License-Identifier: MIT */
/* Would systemd boot as PID 1 here? The container environment systemd
 * would find (from a running container's facts, or predicted from an OCI
 * bundle and this host), and the verdict the rule table (checks-boot.c)
 * reaches on it. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "container.h"
#include "host.h"
#include "manager.h"
#include "systemd.h"

/* What is mounted on /sys/fs/cgroup inside. */
enum sc_boot_cgfs {
	SC_BOOT_CGFS_NONE,    /* nothing: the directory of a sysfs, or absent */
	SC_BOOT_CGFS_TMPFS,   /* a tmpfs with v1 hierarchies (and maybe cgroup2 at unified) */
	SC_BOOT_CGFS_CGROUP2, /* cgroup2 directly */
	SC_BOOT_CGFS_OTHER,
};
const char *sc_boot_cgfs_to_string(enum sc_boot_cgfs f);

/* The container's cgroup setup, as systemd would find it at boot. */
struct sc_boot_env {
	/* Where the facts come from: "container" (a running container's
	 * inside view) or "bundle" (predicted from config.json). */
	const char *source;
	const char *runtime; /* "runc", "docker", ... for remedies; NULL unknown */

	enum sc_cgroup_mode host_mode;
	int kernel_major, kernel_minor; /* -1 unknown */

	enum sc_boot_cgfs cgfs;
	bool cgfs_ro;		/* the mount on /sys/fs/cgroup itself */
	bool hier_ro;		/* the hierarchies under a tmpfs */
	bool has_name_systemd;	/* a v1 name=systemd hierarchy at /sys/fs/cgroup/systemd */
	bool has_unified;	/* cgroup2 at /sys/fs/cgroup/unified */
	bool host_tree;		/* the host's own /sys/fs/cgroup tree bound in */
	int own_cgroup_visible; /* enum sc_tristate: PID 1's cgroup under the mount */
	/* systemd joins the mount point and /proc/1/cgroup's path as they
	 * are (no mountinfo root mapping): does that directory exist in the
	 * name=systemd hierarchy? (runc without a cgroup namespace binds the
	 * container's own subtree, where the host path is absent.) */
	bool name_systemd_visible;
	char *pid1_cgroup; /* PID 1's cgroup as it reads /proc/self/cgroup */

	bool cgroupns;	    /* a private cgroup namespace */
	bool userns;	    /* a private user namespace */
	uint64_t caps;	    /* PID 1's effective (= bounding for a fresh exec) set */
	bool nnp;	    /* no_new_privs */
	bool container_env; /* container= in PID 1's environment */
	char *container_env_value;
	/* What else tells systemd it runs in a container (detect_container()
	 * in src/basic/virt.c) when $container is unset: enum sc_tristate. */
	int dockerenv, containerenv;
	char *container_manager; /* /run/host/container-manager, NULL none */
	/* The cgroup hierarchy on /sys/fs/cgroup (cgroup2, or name=systemd)
	 * shows a cgroup that is not its root: what running_in_cgroupns()
	 * tests (cgroup.type / no release_agent at the mount). */
	int cgroup_nested;

	/* Why there is nothing to judge: the target shares the host's PID
	 * and mount namespaces, or its inside could not be read. */
	bool not_a_container;
	char *inside_error; /* NULL when the inside view is there */

	char *fs_run; /* what is mounted on /run, NULL: not a mount point */
	char *fs_run_lock;
	char *fs_tmp;
	bool sys_ro;
	/* /var/lib/systemd is on a read-only filesystem (docker --read-only
	 * without a writable /var): StateDirectory= cannot be created. */
	bool state_dir_ro;
	int dev_console;     /* enum sc_tristate */
	bool kernel_modules; /* the host kernel has loadable modules (/proc/modules) */

	struct sc_systemd_image systemd; /* the image's systemd */
	bool systemd_image_known;

	/* systemd already PID 1 there (a running container only). */
	int running; /* enum sc_tristate */
	struct sc_manager_state manager;
	int manager_error; /* 0 when manager is known */

	/* What mount-setup.c mounts itself when it is not a mount point
	 * (MNT_FATAL|MNT_IN_CONTAINER: /sys, /dev, /dev/shm; matrix
	 * ax-sys-none, ax-shm-none), and a read-only root (ax-rootro-true). */
	/* What systemd <= 257 consults when nothing is on /sys/fs/cgroup
	 * (cg_is_unified_wanted(), cg_is_hybrid_wanted() in
	 * src/shared/cgroup-setup.c): the kernel command line, which a
	 * container shares with the host, and, from v250, a controller it
	 * knows that the host binds to a v1 hierarchy (/proc/cgroups). Then
	 * whether the v1 layout it mounts can have its name=systemd
	 * hierarchy: a new one is created only from the initial cgroup
	 * namespace (cgroup1_root_to_use(): -EPERM otherwise). */
	/* 1: =true, -1: =false, 0: not given (so that a zeroed env has none) */
	int cmdline_unified;	/* systemd.unified_cgroup_hierarchy= */
	int cmdline_legacy_ctl; /* systemd.legacy_systemd_cgroup_controller= */
	bool cmdline_no_v1_all; /* cgroup_no_v1=all */
	const char *v1_in_use;	/* such a controller ("cpuacct", static), NULL none */
	bool host_name_systemd; /* the host has a name=systemd hierarchy mounted */

	bool sys_absent;     /* /sys is not a mount point */
	bool dev_absent;     /* /dev is not a mount point */
	bool dev_shm_absent; /* /dev/shm is not a mount point */
	bool root_ro;
};
void sc_boot_env_done(struct sc_boot_env *e);
/* What e takes from the host: its cgroup mode, kernel, command line
 * and v1 controllers. */
void sc_boot_env_set_host(struct sc_boot_env *e, const struct sc_host_facts *h);
/* The command line part of it, from params (an image's boot loader's). */
void sc_boot_env_set_cmdline(struct sc_boot_env *e, const struct sc_kernel_param *params,
			     size_t n_params);

enum sc_boot_verdict {
	SC_BOOT_UNKNOWN, /* no systemd in the image, or not enough facts */
	SC_BOOT_BOOTS,
	SC_BOOT_DEGRADED, /* PID 1 comes up, named units fail */
	SC_BOOT_FAILS,	  /* PID 1 exits or freezes */
};
const char *sc_boot_verdict_to_string(enum sc_boot_verdict v);

/* What "fails" looks like: PID 1 exits (the container stops, status 255)
 * or freezes (the container runs on and never comes up). */
enum sc_boot_failure {
	SC_BOOT_FAILURE_NONE, /* the verdict is not "fails" */
	SC_BOOT_EXITS,
	SC_BOOT_FREEZES,
	SC_BOOT_FAILURE_UNKNOWN,
};
const char *sc_boot_failure_to_string(enum sc_boot_failure f); /* NULL for NONE */

/* One rule that fired. */
struct sc_boot_hit {
	const char *id; /* static: "cgroup-v1-removed" */
	enum sc_boot_verdict effect;
	/* effect fails without PID 1 dying: the boot never finishes (a job
	 * that waits forever), whatever systemd knows of its container. */
	bool hangs;
	char *message; /* what systemd prints */
	char *remedy;
	char **evidence;       /* "fact: value" lines */
	char **units;	       /* units that fail (effect degraded) */
	const char *reference; /* static: source file, version, matrix case */
};

struct sc_boot_result {
	enum sc_boot_verdict verdict;
	enum sc_boot_failure failure;
	char *failure_why; /* one line: why it exits or freezes */
	char *cgroup_mode; /* the mode systemd would pick: legacy, hybrid, unified, or none */
	char *systemd_version;
	struct sc_boot_hit *hits;
	size_t n_hits;
	char **failing_units; /* union of the degraded rules' units */
	/* When systemd already runs as PID 1 there: its real state, as the
	 * manager tells it; now_error is 0 when known, else -errno. */
	int running; /* enum sc_tristate */
	struct sc_manager_state now;
	int now_error;
};
void sc_boot_result_done(struct sc_boot_result *r);

/* The environment of a running container. */
void sc_boot_env_from_container(const struct sc_host_facts *h, const struct sc_container_facts *c,
				struct sc_boot_env *ret);
/* The environment an OCI bundle would get on this host: config.json
 * (read through bundle_root) and the systemd of its rootfs. Returns 0 or
 * -errno with a one-line *ret_error (missing config.json, invalid JSON,
 * missing rootfs). */
int sc_boot_env_from_bundle(const struct sc_host_facts *h, const char *bundle_dir,
			    struct sc_boot_env *ret, char **ret_error);

/* An OCI bundle's config.json (an object) and its rootfs, opened: 0 or
 * -errno with a one-line *ret_error. */
struct sc_root;
int sc_boot_bundle_open(const char *bundle_dir, json_t **ret_config, struct sc_root **ret_rootfs,
			char **ret_error);
/* The environment of a config.json (sc_boot_env_from_bundle() without
 * the reading): sd is the rootfs's systemd when already probed, NULL to
 * probe rootfs. */
void sc_boot_env_from_config(const struct sc_host_facts *h, const json_t *config,
			     struct sc_root *rootfs, const struct sc_systemd_image *sd,
			     struct sc_boot_env *ret);

/* Run the rules. */
void sc_boot_evaluate(const struct sc_boot_env *e, struct sc_boot_result *ret);
/* The rule table: ids and titles (for `checks` and the man page). */
size_t sc_boot_rules(const char *const **ret_ids, const char *const **ret_titles);

/* The systemd versions the rules tell apart: intervals (from..to, NULL:
 * open-ended) inside which every rule gives the same answer, each with a
 * version in it to evaluate. Ascending. */
struct sc_boot_version_span {
	const char *version; /* evaluated: "253.1" */
	const char *from;    /* "253.1"; NULL: every older version */
	const char *to;	     /* "255"; NULL: every newer version */
};
size_t sc_boot_version_spans(const struct sc_boot_version_span **ret);

/* ---- boot --fix (checks-fix.c) ------------------------------------------------ */

/* One set of changes that makes the verdict expected_verdict, in the
 * words of one runtime. */
struct sc_fix_change {
	const char *runtime; /* static: "docker", "podman", "oci", "lxc", "nspawn" */
	char **ids;	     /* the changes of the set (candidate ids, fix order) */
	char **add;	     /* flags, options or config keys to add */
	char **remove;	     /* ... to remove, when present */
	json_t *patch;	     /* oci: RFC 6902 operations on config.json; else NULL */
	char **grants;	     /* what the set gives away, one item per change */
	char **host;	     /* host changes needed too (a host-side cause) */
	enum sc_boot_verdict expected_verdict;
	unsigned rank; /* the most the set grants the container: lower grants less */
};

struct sc_fix {
	enum sc_boot_verdict from;     /* the verdict being fixed */
	bool host_side;		       /* no container change suffices: the host must change */
	char *why;		       /* one line on what was found */
	struct sc_fix_change *changes; /* best first */
	size_t n_changes;
	/* A bundle: config.json with the first change's patch applied (what
	 * --apply-to writes), NULL when there is none. */
	json_t *patched;
	unsigned tried; /* the sets evaluated */
};
void sc_fix_done(struct sc_fix *f);
