/* SPDX-License-Identifier: MIT */
/* An unpacked host image (`host --image DIR`): what its files say the
 * host will be when it boots (kernels and their config, the command line
 * the boot loader passes, the init system and the cgroup layout it
 * mounts, the engines and their configuration, rootless delegation), each
 * fact with the file and line it comes from. Read only through sc_root,
 * nothing executed; checks-image.c judges it. */
#pragma once

#include <stdbool.h>

#include "cgroup.h"
#include "facts.h"
#include "host.h"
#include "root.h"
#include "systemd.h"

/* A value read from the image and where: source is "FILE:LINE", "FILE"
 * (the file's existence or whole content) or NULL with value NULL when
 * nothing in the image says (unknown, or the default applies: see
 * dflt). */
struct sc_image_val {
	char *value;
	char *source;
	bool dflt; /* value is the program's built-in default, not configured */
};

/* One kernel option of /boot/config-RELEASE: 'y', 'm', 'n' ("is not
 * set"), 0 when the file does not mention it. */
struct sc_kconfig {
	const char *name; /* static, without CONFIG_ */
	char value;
	unsigned line;
};

/* Options the tool looks up: moby contrib/check-config.sh and
 * lxc-checkconfig check these (cgroups, namespaces, the rest). */
enum {
	SC_KC_NAMESPACES,
	SC_KC_UTS_NS,
	SC_KC_IPC_NS,
	SC_KC_PID_NS,
	SC_KC_NET_NS,
	SC_KC_USER_NS,
	SC_KC_CGROUPS,
	SC_KC_CGROUP_CPUACCT,
	SC_KC_CGROUP_DEVICE,
	SC_KC_CGROUP_FREEZER,
	SC_KC_CGROUP_SCHED,
	SC_KC_CPUSETS,
	SC_KC_MEMCG,
	SC_KC_CGROUP_PIDS,
	SC_KC_BLK_CGROUP,
	SC_KC_CGROUP_HUGETLB,
	SC_KC_CGROUP_PERF,
	SC_KC_NET_CLS_CGROUP,
	SC_KC_CGROUP_NET_PRIO,
	SC_KC_CGROUP_RDMA,
	SC_KC_CGROUP_MISC,
	SC_KC_CGROUP_BPF,
	SC_KC_CFS_BANDWIDTH,
	SC_KC_FAIR_GROUP_SCHED,
	SC_KC_MEMCG_SWAP,
	SC_KC_SWAP,
	SC_KC_SECCOMP,
	SC_KC_SECCOMP_FILTER,
	SC_KC_KEYS,
	SC_KC_VETH,
	SC_KC_BRIDGE,
	SC_KC_OVERLAY_FS,
	SC_KC_POSIX_MQUEUE,
	SC_KC_MODULES,
	/* Linux 6.11+: the v1 memory and cpuset controllers are optional. */
	SC_KC_MEMCG_V1,
	SC_KC_CPUSETS_V1,
	_SC_KC_MAX,
};
const char *sc_kconfig_name(unsigned i);

struct sc_image_kernel {
	char *release;	/* "6.1.0-50-amd64" */
	char *image;	/* /boot/vmlinuz-RELEASE, NULL: only modules */
	char *config;	/* the config file read, NULL: none found */
	int config_err; /* 0, or why config could not be read (-errno) */
	struct sc_kconfig opts[_SC_KC_MAX];
};

/* A controller on the predicted host, in the vocabulary of the live
 * host's facts (cgroup.h): where it will be, and why. */
struct sc_image_ctrl {
	const char *name;    /* static: the /proc/cgroups name */
	const char *v2_name; /* static, NULL: v1 only */
	enum sc_ctrl_where where;
	char *mountpoint; /* its v1 hierarchy's, or the cgroup2 path */
	char *source;	  /* the kernel config line */
	bool unknown;	  /* no kernel config: cannot tell */
};

/* An engine installed in the image. */
enum sc_engine {
	SC_ENGINE_DOCKER,
	SC_ENGINE_PODMAN,
	SC_ENGINE_CONTAINERD,
	SC_ENGINE_LXC,
	_SC_ENGINE_MAX,
};
const char *sc_engine_to_string(enum sc_engine e);

struct sc_image_engine {
	bool installed;
	char *binary;			   /* the file that says it is installed */
	struct sc_image_val enabled;	   /* "yes" / "no": started at boot */
	struct sc_image_val cgroup_driver; /* "systemd" / "cgroupfs" */
	struct sc_image_val cgroupns;	   /* "private" / "host" */
	struct sc_image_val runtime;	   /* default OCI runtime */
	char **runtimes;		   /* configured extra runtimes (docker) */
	struct sc_image_val userns_remap;  /* docker */
	struct sc_image_val config;	   /* the configuration file read, or why not */
};

struct sc_image_facts {
	char *path;

	/* Kernels, newest first (the one GRUB and the -kernel of a VM
	 * boot); the prediction is for kernels[0]. */
	struct sc_image_kernel *kernels;
	size_t n_kernels;

	/* The command line the boot loader passes. */
	struct sc_image_val cmdline;
	char *loader; /* "grub", "systemd-boot", "kernel-cmdline", NULL: none found */
	struct sc_kernel_param *params;
	size_t n_params;
	/* Where else a command line was found (grub.cfg vs /etc/default/grub),
	 * one "FILE:LINE: TEXT" each. */
	char **cmdline_also;

	/* The init system. */
	struct sc_image_val init; /* "systemd", "openrc", "other", NULL: unknown */
	struct sc_systemd_image systemd;
	struct sc_image_val systemd_version;
	struct sc_image_val default_hierarchy; /* the build's: legacy/hybrid/unified */
	struct sc_image_val rc_cgroup_mode;    /* OpenRC: hybrid/legacy/unified */

	/* The predicted cgroup layout. */
	enum sc_cgroup_mode mode;
	char *mode_why;	   /* which rule decided, in one line */
	char *mode_source; /* the fact it rests on (FILE:LINE) */
	char *v2_path;	   /* where cgroup2 will be, NULL: nowhere */
	struct sc_image_ctrl *controllers;
	size_t n_controllers;

	struct sc_image_engine engines[_SC_ENGINE_MAX];
	bool lxcfs_installed;
	struct sc_image_val lxcfs_enabled;

	/* Rootless delegation. */
	struct sc_image_val delegate; /* user@.service Delegate= */
	struct sc_image_val subuid;   /* "N entries" */
	struct sc_image_val subgid;
	struct sc_image_val max_user_ns;     /* user.max_user_namespaces */
	struct sc_image_val userns_clone;    /* kernel.unprivileged_userns_clone */
	struct sc_image_val apparmor_userns; /* kernel.apparmor_restrict_unprivileged_userns */

	struct sc_errlist errors; /* files that exist and could not be read */
};

/* Probe an image root (sc_root_open(DIR, SC_ROOT_IMAGE)). Never fails:
 * what cannot be read is in errors, what is not there is unknown.
 * Returns -ENOTDIR when the root has no /etc (not a root file system). */
int sc_image_probe(struct sc_root *root, struct sc_image_facts *ret);
void sc_image_facts_done(struct sc_image_facts *f);

/* The host facts the checks of `host` run on: what the image predicts,
 * and unknown for what only the running kernel knows. */
void sc_image_predict_host(const struct sc_image_facts *img, struct sc_host_facts *ret);

/* Pure helpers, exposed for tests. */
/* The cgroup mode systemd of that version and build default picks on
 * that command line (src/shared/cgroup-setup.c cg_is_unified_wanted(),
 * cg_is_hybrid_wanted(); v258 removed v1). why: one line. */
enum sc_cgroup_mode sc_image_systemd_mode(const struct sc_systemd_version *v,
					  const char *default_hierarchy,
					  const struct sc_kernel_param *params, size_t n_params,
					  char **ret_why);
/* The value of a shell assignment line (KEY="a b", KEY='x', KEY=x), as
 * /etc/default/grub and /etc/rc.conf hold them, without running them;
 * NULL when the line does not assign key. */
char *sc_image_shell_value(const char *line, const char *key);
