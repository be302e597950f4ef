/* SPDX-License-Identifier: MIT */
/* The host rules: pure functions from host facts to check results, one
 * table so that every rule, its id and its evidence are read in one place. */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>

#include "report.h"
#include "util.h"

#define FACTS(p) ((const struct sc_host_facts *)(p))

static void evidence_statfs(struct sc_check *c, const struct sc_statfs_fact *s)
{
	const char *name;

	if (s->err) {
		sc_check_evidence(c, s->path, "statfs: %s", sc_strerror(s->err));
		return;
	}
	name = sc_fs_magic_name(s->magic);
	if (name)
		sc_check_evidence(c, s->path, "statfs: %s (0x%" PRIx64 ")", name, s->magic);
	else
		sc_check_evidence(c, s->path, "statfs: 0x%" PRIx64, s->magic);
}

static const char *v2_remedy(const struct sc_host_facts *f)
{
	if (f->systemd_running == SC_YES)
		return "boot the host with cgroup v2 only: add "
		       "systemd.unified_cgroup_hierarchy=1 to the kernel command line "
		       "(and drop cgroup_no_v1= / systemd.legacy_systemd_cgroup_controller)";
	if (streq_ptr(f->init_system, "openrc"))
		return "switch OpenRC to cgroup v2: rc_cgroup_mode=\"unified\" in /etc/rc.conf, "
		       "then reboot";
	return "mount cgroup2 on /sys/fs/cgroup at boot instead of the tmpfs and v1 "
	       "hierarchies (the init system's job on this non-systemd host)";
}

/* systemd src/basic/cgroup-util.c cg_unified_cached() (v233..v257) decides the
 * mode; NEWS for v256 (cgroup v1 deprecated) and v258 (cgroup v1 removed:
 * "Detected unsupported legacy cgroup hierarchy, refusing execution."). */
static void check_mode(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);
	const struct sc_cgroup_facts *cg = &f->cgroup;

	evidence_statfs(c, &cg->fs_root);
	if (cg->fs_root.err == 0 && cg->fs_root.magic == SC_TMPFS_MAGIC) {
		evidence_statfs(c, &cg->fs_unified);
		if (cg->mode != SC_CG_HYBRID || cg->fs_unified.err)
			evidence_statfs(c, &cg->fs_systemd);
	}

	switch (cg->mode) {
	case SC_CG_UNIFIED:
		sc_check_set(c, SC_PASS,
			     "unified: cgroup v2 on /sys/fs/cgroup, what systemd >= 230 and "
			     "every current runtime expect");
		break;
	case SC_CG_HYBRID:
		sc_check_set(c, SC_WARN,
			     "hybrid: cgroup v1 hierarchies with cgroup2 on %s; containers with "
			     "systemd >= 258 cannot boot here and cgroup v1 is deprecated",
			     cg->v2_path ? cg->v2_path : "?");
		sc_check_remedy(c, "%s", v2_remedy(f));
		break;
	case SC_CG_LEGACY:
		sc_check_set(c, SC_WARN,
			     "legacy: cgroup v1 only; containers with systemd >= 258 cannot boot "
			     "here and cgroup v1 is deprecated");
		sc_check_remedy(c, "%s", v2_remedy(f));
		break;
	case SC_CG_NONE:
		sc_check_set(c, SC_FAIL,
			     "nothing is mounted on /sys/fs/cgroup: runtimes cannot create "
			     "cgroups; systemd says \"No filesystem is currently mounted on "
			     "/sys/fs/cgroup.\"");
		sc_check_remedy(c, "mount -t cgroup2 cgroup2 /sys/fs/cgroup (and make the init "
				   "system do it at boot)");
		break;
	case SC_CG_V1_ON_ROOT:
		sc_check_set(c, SC_FAIL,
			     "a cgroup v1 hierarchy is mounted directly on /sys/fs/cgroup: "
			     "systemd says \"Unknown filesystem type 27e0eb mounted on "
			     "/sys/fs/cgroup.\"");
		sc_check_remedy(c, "mount cgroup2 on /sys/fs/cgroup, or a tmpfs with each v1 "
				   "hierarchy in its own subdirectory");
		break;
	case SC_CG_UNSUPPORTED_V1:
		sc_check_set(c, SC_FAIL,
			     "a tmpfs is on /sys/fs/cgroup with neither cgroup2 on "
			     "/sys/fs/cgroup/unified nor name=systemd on /sys/fs/cgroup/systemd: "
			     "systemd >= 249 says \"Unsupported cgroupsv1 setup detected: "
			     "name=systemd hierarchy not found.\"");
		sc_check_remedy(c, "%s", v2_remedy(f));
		break;
	case SC_CG_OTHER_FS:
		sc_check_set(c, SC_FAIL,
			     "an unexpected filesystem is mounted on /sys/fs/cgroup: systemd says "
			     "\"Unknown filesystem type %" PRIx64 " mounted on /sys/fs/cgroup.\"",
			     cg->fs_root.magic);
		sc_check_remedy(c, "mount cgroup2 on /sys/fs/cgroup");
		break;
	case SC_CG_UNKNOWN:
	default:
		sc_check_set(c, SC_ERROR,
			     "could not determine the cgroup mode: statfs of %s "
			     "failed",
			     cg->fs_root.err ? cg->fs_root.path : cg->fs_unified.path);
		break;
	}
}

/* The cgroup hierarchies must be writable for a runtime to create
 * cgroups; the tmpfs under v1 hierarchies may well be read-only. */
static void check_writable(const void *p, struct sc_check *c)
{
	const struct sc_cgroup_facts *cg = &FACTS(p)->cgroup;
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **ro = NULL;
	unsigned n = 0;

	/* One entry per read-only cgroup mount: mountinfo decides. */
	for (size_t i = 0; i < cg->n_mounts; i++) {
		const struct sc_cgroup_mount *m = &cg->mounts[i];

		n++;
		if (m->read_only)
			sc_strv_builder_push(&b, m->mountpoint);
	}
	ro = sc_strv_builder_take(&b);
	if (n == 0) {
		sc_check_set(c, SC_SKIP, "no cgroup hierarchy is mounted");
		return;
	}
	if (sc_strv_length(ro) == 0) {
		sc_check_set(c, SC_PASS, "all %u cgroup hierarchies are mounted read-write", n);
		return;
	}
	_cleanup_free_ char *list = sc_strv_join(ro, ", ");
	sc_check_evidence(c, "/proc/self/mountinfo", "read-only: %s", list);
	sc_check_set(c, SC_FAIL,
		     "%zu of %u cgroup hierarchies are mounted read-only: cgroups "
		     "cannot be created under them",
		     sc_strv_length(ro), n);
	sc_check_remedy(c, "remount them read-write (mount -o remount,rw MOUNTPOINT)");
}

/* systemd >= 233 in hybrid and legacy mode keeps its process tree in the
 * name=systemd v1 hierarchy (src/shared/mount-setup.c); a container's
 * systemd <= 257 on such a host finds it there or must mount it
 * (docs/boot-rules.md#r19). */
static void check_name_systemd(const void *p, struct sc_check *c)
{
	const struct sc_cgroup_facts *cg = &FACTS(p)->cgroup;
	const struct sc_cgroup_mount *m;

	if (cg->fs_root.err || cg->fs_root.magic != SC_TMPFS_MAGIC) {
		sc_check_set(c, SC_SKIP, "no tmpfs layout on /sys/fs/cgroup (mode %s)",
			     sc_cgroup_mode_to_string(cg->mode));
		return;
	}
	for (size_t i = 0; i < cg->n_mounts; i++) {
		m = &cg->mounts[i];
		if (m->version == 1 && streq_ptr(m->name, "systemd")) {
			sc_check_evidence(c, "/proc/self/mountinfo", "%s cgroup %s", m->mountpoint,
					  m->super_options);
			sc_check_set(c, SC_PASS,
				     "name=systemd hierarchy mounted on %s (systemd <= 257 in "
				     "containers uses it)",
				     m->mountpoint);
			return;
		}
	}
	m = NULL;
	for (size_t i = 0; i < cg->n_mounts; i++)
		if (cg->mounts[i].version == 1 && streq_ptr(cg->mounts[i].name, "openrc"))
			m = &cg->mounts[i];
	if (m)
		sc_check_evidence(c, "/proc/self/mountinfo", "%s cgroup %s (OpenRC)", m->mountpoint,
				  m->super_options);
	sc_check_evidence(c, "/proc/self/mountinfo", "no cgroup mount with name=systemd");
	sc_check_set(c, SC_WARN,
		     "no name=systemd hierarchy on this tmpfs layout: containers with systemd "
		     "<= 257 fail with \"Failed to mount cgroup at /sys/fs/cgroup/systemd: "
		     "Operation not permitted\" unless they may mount it themselves");
	sc_check_remedy(c, "mkdir /sys/fs/cgroup/systemd && mount -t cgroup -o "
			   "none,name=systemd cgroup /sys/fs/cgroup/systemd (at boot)");
}

/* crun src/libcrun/cgroup.c refuses a hybrid host when the cgroup2
 * hierarchy has controllers: "cgroups in hybrid mode not supported, drop
 * all controllers from cgroupv2". runc and Docker on hybrid hosts use only
 * the v1 controllers for limits. */
static void check_hybrid_v2(const void *p, struct sc_check *c)
{
	const struct sc_cgroup_facts *cg = &FACTS(p)->cgroup;
	_cleanup_free_ char *list = NULL;

	if (cg->mode != SC_CG_HYBRID) {
		sc_check_set(c, SC_SKIP, "not a hybrid host (mode %s)",
			     sc_cgroup_mode_to_string(cg->mode));
		return;
	}
	if (!cg->v2_controllers) {
		sc_check_set(c, SC_ERROR, "could not read %s/cgroup.controllers", cg->v2_path);
		return;
	}
	list = sc_strv_join(cg->v2_controllers, " ");
	sc_check_evidence(c, "cgroup.controllers", "%s/cgroup.controllers: \"%s\"", cg->v2_path,
			  list);
	if (sc_strv_length(cg->v2_controllers) == 0) {
		sc_check_set(c, SC_PASS, "no controller is on the hybrid cgroup2 hierarchy");
		return;
	}
	sc_check_set(c, SC_WARN,
		     "controllers on the hybrid cgroup2 hierarchy (%s): crun refuses this host "
		     "(\"cgroups in hybrid mode not supported, drop all controllers from "
		     "cgroupv2\"); runc and Docker cannot use them for limits",
		     list);
	sc_check_remedy(c,
			"bind them to v1 hierarchies (e.g. mount -t cgroup -o %s cgroup "
			"/sys/fs/cgroup/%s) or move the host to cgroup v2",
			cg->v2_controllers[0], cg->v2_controllers[0]);
}

/* What a container host needs: Kubernetes (kubelet cgroup validation),
 * Docker (`docker info` warnings) and runc all use these controllers for
 * the limits they promise. */
static void check_controller(const struct sc_host_facts *f, struct sc_check *c, const char *name,
			     enum sc_status missing, const char *why)
{
	const struct sc_cgroup_facts *cg = &f->cgroup;
	const struct sc_controller *ctl = sc_cgroup_find_controller(cg, name);
	const struct sc_kernel_param *kp;

	if (!ctl) {
		if (cg->proc_cgroups_err && !cg->v2_controllers) {
			sc_check_set(c, SC_ERROR, "%s: /proc/cgroups unreadable (%s)", name,
				     sc_strerror(cg->proc_cgroups_err));
			return;
		}
		sc_check_evidence(c, "/proc/cgroups", "no %s row", name);
		sc_check_set(c, missing, "%s controller: not in this kernel; %s", name, why);
		sc_check_remedy(c, "use a kernel built with the %s controller", name);
		return;
	}
	if (ctl->hierarchy >= 0)
		sc_check_evidence(c, "/proc/cgroups", "%s hierarchy=%d enabled=%d", ctl->name,
				  ctl->hierarchy, ctl->enabled);
	if (cg->v2_controllers) {
		_cleanup_free_ char *l = sc_strv_join(cg->v2_controllers, " ");
		sc_check_evidence(c, "cgroup.controllers", "%s/cgroup.controllers: \"%s\"",
				  cg->v2_path, l);
	}

	switch (ctl->where) {
	case SC_CTRL_V1: {
		_cleanup_free_ char *co = sc_strv_join(ctl->co_mounted, ",");
		if (cg->mode == SC_CG_UNIFIED) {
			sc_check_set(c, SC_WARN,
				     "%s: bound to a v1 hierarchy on %s, so the cgroup2 "
				     "hierarchy cannot use it",
				     name, ctl->v1_mountpoint);
			sc_check_remedy(c, "unmount the v1 hierarchy of %s", name);
		} else
			sc_check_set(c, SC_PASS, "%s: cgroup v1, hierarchy %d on %s%s%s%s", name,
				     ctl->hierarchy, ctl->v1_mountpoint, *co ? " (with " : "", co,
				     *co ? ")" : "");
		break;
	}
	case SC_CTRL_V2:
		if (cg->mode == SC_CG_HYBRID) {
			sc_check_set(
				c, SC_WARN,
				"%s: on the hybrid cgroup2 hierarchy %s, where runc and Docker "
				"do not use it; %s",
				name, cg->v2_path, why);
			sc_check_remedy(c,
					"bind %s to a v1 hierarchy, or move the host to cgroup v2",
					name);
		} else
			sc_check_set(c, SC_PASS, "%s: cgroup v2 on %s%s", name, cg->v2_path,
				     ctl->v2_enabled
					     ? ", enabled for children"
					     : " (not yet in the root's cgroup.subtree_control)");
		break;
	case SC_CTRL_V1_UNMOUNTED:
		sc_check_set(c, missing,
			     "%s: bound to v1 hierarchy %d, which is not mounted here; %s", name,
			     ctl->hierarchy, why);
		sc_check_remedy(c,
				"mount it: mkdir /sys/fs/cgroup/%s && mount -t cgroup -o %s cgroup "
				"/sys/fs/cgroup/%s",
				name, ctl->name, name);
		break;
	case SC_CTRL_DISABLED:
		kp = sc_host_param(f, "cgroup_disable");
		if (kp)
			sc_check_evidence(c, "/proc/cmdline", "cgroup_disable=%s",
					  strna(kp->value));
		sc_check_set(c, missing, "%s: disabled on the kernel command line; %s", name, why);
		sc_check_remedy(c, "remove cgroup_disable=%s from the kernel command line", name);
		break;
	case SC_CTRL_UNBOUND:
	case SC_CTRL_ABSENT:
	default:
		kp = sc_host_param(f, "cgroup_no_v1");
		if (kp)
			sc_check_evidence(c, "/proc/cmdline", "cgroup_no_v1=%s", strna(kp->value));
		sc_check_set(c, missing, "%s: not available (%s); %s", name,
			     sc_ctrl_where_to_string(ctl->where), why);
		sc_check_remedy(c,
				cg->v2_path ? "enable it in %s/cgroup.subtree_control or mount "
					      "its v1 hierarchy"
					    : "mount its v1 hierarchy%s",
				cg->v2_path ? cg->v2_path : "");
		break;
	}
}

static void check_cpu(const void *p, struct sc_check *c)
{
	check_controller(FACTS(p), c, "cpu", SC_FAIL,
			 "CPU shares and quotas (--cpus) cannot apply");
}

static void check_memory(const void *p, struct sc_check *c)
{
	check_controller(FACTS(p), c, "memory", SC_FAIL, "memory limits (--memory) cannot apply");
}

static void check_pids(const void *p, struct sc_check *c)
{
	check_controller(FACTS(p), c, "pids", SC_FAIL, "PID limits (--pids-limit) cannot apply");
}

static void check_io(const void *p, struct sc_check *c)
{
	check_controller(FACTS(p), c, "io", SC_WARN,
			 "block I/O limits (--device-read-bps, io.max) cannot apply");
}

static void check_cpuset(const void *p, struct sc_check *c)
{
	check_controller(FACTS(p), c, "cpuset", SC_WARN,
			 "CPU pinning (--cpuset-cpus) cannot apply");
}

/* Cgroup namespaces: Linux 4.6, cgroup_namespaces(7). On cgroup v2 a
 * container's systemd needs a private one to see its own subtree as the
 * root (docs/boot-rules.md#r9). */
static void check_ns_cgroup(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);

	if (f->ns[SC_NS_CGROUP].supported) {
		sc_check_evidence(c, "/proc/self/ns/cgroup", "cgroup:[%" PRIu64 "]",
				  f->ns[SC_NS_CGROUP].inode);
		sc_check_set(c, SC_PASS, "cgroup namespaces are supported");
		return;
	}
	sc_check_evidence(c, "/proc/self/ns/cgroup", "absent");
	/* On cgroup v2 a container's systemd needs its own cgroup namespace;
	 * v1 containers get by with bind mounts of the host's hierarchies. */
	sc_check_set(c, f->cgroup.mode == SC_CG_UNIFIED ? SC_FAIL : SC_WARN,
		     "no cgroup namespaces (Linux < 4.6 or CONFIG_CGROUPS without "
		     "namespaces): containers see the host's cgroup paths");
	sc_check_remedy(c, "use Linux >= 4.6");
}

/* user_namespaces(7); /proc/sys/user/max_user_namespaces (Linux 4.9) set
 * to 0 disables them (RHEL 7 default). Rootless and userns-remapped
 * containers need them. */
static void check_ns_user(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);

	if (!f->ns[SC_NS_USER].supported) {
		sc_check_evidence(c, "/proc/self/ns/user", "absent");
		sc_check_set(c, SC_WARN,
			     "no user namespaces: rootless and userns-remapped "
			     "containers cannot run");
		sc_check_remedy(c, "use a kernel with CONFIG_USER_NS=y");
		return;
	}
	if (f->max_user_namespaces >= 0)
		sc_check_evidence(c, "/proc/sys/user/max_user_namespaces", "%" PRId64,
				  f->max_user_namespaces);
	if (f->max_user_namespaces == 0) {
		sc_check_set(c, SC_WARN,
			     "user namespaces are disabled "
			     "(user.max_user_namespaces = 0)");
		sc_check_remedy(c, "sysctl -w user.max_user_namespaces=15000 (and persist it in "
				   "/etc/sysctl.d/)");
		return;
	}
	if (f->max_user_namespaces < 0)
		sc_check_set(c, SC_PASS, "user namespaces are supported (limit unknown)");
	else
		sc_check_set(c, SC_PASS, "user namespaces are supported (up to %" PRId64 ")",
			     f->max_user_namespaces);
}

/* cgroup-v2.rst "Delegation Containment": with nsdelegate, cgroup
 * namespaces are delegation boundaries (the mount option is global for
 * the cgroup2 superblock). */
static void check_nsdelegate(const void *p, struct sc_check *c)
{
	const struct sc_cgroup_facts *cg = &FACTS(p)->cgroup;
	const struct sc_cgroup_mount *m =
		cg->v2_path ? sc_cgroup_find_mount(cg, cg->v2_path) : NULL;
	bool supported = sc_strv_contains(cg->features, "nsdelegate");

	if (!m) {
		sc_check_set(c, SC_SKIP, "no cgroup2 hierarchy in use (mode %s)",
			     sc_cgroup_mode_to_string(cg->mode));
		return;
	}
	sc_check_evidence(c, "/proc/self/mountinfo", "%s cgroup2 %s", m->mountpoint,
			  m->super_options);
	if (cg->features)
		sc_check_evidence(c, "/sys/kernel/cgroup/features", "%s",
				  supported ? "lists nsdelegate" : "does not list nsdelegate");
	if (m->nsdelegate) {
		sc_check_set(c, SC_PASS, "cgroup2 on %s is mounted with nsdelegate", m->mountpoint);
		return;
	}
	sc_check_set(c, cg->mode == SC_CG_UNIFIED ? SC_WARN : SC_INFO,
		     "cgroup2 on %s is mounted without nsdelegate: cgroup namespaces are not "
		     "delegation boundaries",
		     m->mountpoint);
	sc_check_remedy(c, "mount -o remount,nsdelegate %s", m->mountpoint);
}

/* Docker: "WARNING: No swap limit support"; the memsw/swap files exist
 * only with swap accounting (swapaccount=1 on v1 kernels < 6.1 built
 * without CONFIG_MEMCG_SWAP_ENABLED). */
static void check_swap(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);
	const struct sc_kernel_param *kp = sc_host_param(f, "swapaccount");

	if (f->cgroup.swap_evidence)
		sc_check_evidence(c, "swap accounting", "%s", f->cgroup.swap_evidence);
	if (kp)
		sc_check_evidence(c, "/proc/cmdline", "swapaccount=%s", strna(kp->value));
	switch (f->cgroup.swap_accounting) {
	case SC_YES:
		sc_check_set(c, SC_PASS, "swap accounting is on: swap limits apply");
		break;
	case SC_NO:
		sc_check_set(c, SC_WARN,
			     "swap accounting is off: swap limits (--memory-swap) "
			     "are ignored");
		sc_check_remedy(c, "add swapaccount=1 to the kernel command line");
		break;
	default:
		sc_check_set(c, SC_INFO, "swap accounting could not be determined");
		break;
	}
}

/* lxcfs (https://linuxcontainers.org/lxcfs/) virtualizes /proc/meminfo,
 * cpuinfo, stat, uptime... per container; without it free and top show
 * the host's totals. */
static void check_lxcfs(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);

	if (sc_strv_length(f->lxcfs_mountpoints) > 0) {
		_cleanup_free_ char *l = sc_strv_join(f->lxcfs_mountpoints, ", ");
		sc_check_evidence(c, "/proc/self/mountinfo", "fuse.lxcfs on %s", l);
		sc_check_set(c, SC_INFO,
			     "lxcfs is mounted (%s): containers that bind its files "
			     "see their own limits in free and top",
			     l);
		return;
	}
	sc_check_evidence(c, "/proc/self/mountinfo", "no fuse.lxcfs mount");
	sc_check_set(c, SC_INFO,
		     "lxcfs is not running: free, top and uptime inside containers "
		     "show the host's totals (see `sysctr-check limits`)");
}

/* sd_booted() (src/libsystemd/sd-daemon): /run/systemd/system exists when
 * systemd is PID 1. Without it there is no Delegate=, no systemd cgroup
 * driver, and nobody but the runtime manages cgroups. */
static void check_init(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);

	sc_check_evidence(c, "/proc/1/comm", "%s", strna(f->pid1_name));
	sc_check_evidence(c, "/run/systemd/system", "%s",
			  f->systemd_running == SC_YES	? "exists"
			  : f->systemd_running == SC_NO ? "absent"
							: "unknown");
	if (f->systemd_running == SC_YES) {
		sc_check_set(c, SC_PASS,
			     "systemd is PID 1: runtimes can use the systemd cgroup "
			     "driver and Delegate=");
		return;
	}
	if (streq_ptr(f->init_system, "openrc"))
		sc_check_set(c, SC_INFO,
			     "OpenRC host (PID 1 %s): no systemd cgroup driver; "
			     "OpenRC mounts the cgroup hierarchies",
			     strna(f->pid1_name));
	else
		sc_check_set(c, SC_INFO,
			     "PID 1 is %s, not systemd: runtimes must use the cgroupfs driver, and "
			     "nothing but them creates or delegates cgroups",
			     strna(f->pid1_name));
}

/* systemd-detect-virt --container, src/basic/virt.c detect_container(),
 * cross-checked with the namespace inodes (include/linux/proc_ns.h): a
 * /.dockerenv left in a VM image makes systemd say "docker" on a machine
 * whose namespaces are all the initial ones (this lab machine). */
static void check_in_container(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);
	bool systemd_says = !streq_ptr(f->container, "none");

	sc_check_evidence(c, "systemd-detect-virt --container", "%s (%s)", strna(f->container),
			  strna(f->container_evidence));
	sc_check_evidence(c, "/proc/self/ns", "pid, user, cgroup, ipc, uts: %s",
			  f->ns_says_container == SC_YES  ? "at least one is not the initial one"
			  : f->ns_says_container == SC_NO ? "all are the initial ones"
							  : "not all known");
	if (f->ns_says_container == SC_YES) {
		sc_check_set(c, SC_INFO,
			     "running inside a container (%s): these facts describe "
			     "the container's view, not the real host",
			     systemd_says ? f->container : "namespaces differ from the host's");
		return;
	}
	if (systemd_says && f->ns_says_container == SC_NO) {
		sc_check_set(c, SC_INFO,
			     "systemd-detect-virt would say \"%s\" (%s), but every namespace is "
			     "the initial one: not a container (an image built from a container "
			     "image, or a container sharing all host namespaces)",
			     f->container, strna(f->container_evidence));
		return;
	}
	if (systemd_says) {
		sc_check_set(c, SC_INFO, "probably inside a container (%s)", f->container);
		return;
	}
	sc_check_set(c, SC_PASS, "not running inside a container");
}

/* runc README: Linux >= 4.15 (cgroup v2 needs >= 5.2 for the freezer);
 * systemd README: 258 needs >= 5.4 (docs/boot-rules.md#r23: "Reported kernel version ... is
 * older than systemd's required baseline"). */
static void check_kernel(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);

	if (!f->kernel_release) {
		sc_check_set(c, SC_ERROR, "kernel release unreadable");
		return;
	}
	sc_check_evidence(c, "/proc/sys/kernel/osrelease", "%s", f->kernel_release);
	if (f->kernel_major < 0) {
		sc_check_set(c, SC_WARN, "kernel release %s does not parse", f->kernel_release);
		return;
	}
	if (sc_host_kernel_cmp(f, 4, 15) < 0) {
		sc_check_set(c, SC_WARN,
			     "Linux %s is older than runc's minimum (4.15) and "
			     "systemd's baselines; only vendor backports make it work",
			     f->kernel_release);
		sc_check_remedy(c, "upgrade to Linux >= 5.4");
	} else if (sc_host_kernel_cmp(f, 5, 4) < 0) {
		sc_check_set(c, SC_WARN,
			     "Linux %s: systemd >= 258 in containers warns below 5.4, "
			     "and cgroup v2 freezing needs 5.2",
			     f->kernel_release);
		sc_check_remedy(c, "upgrade to Linux >= 5.4");
	} else
		sc_check_set(c, SC_PASS, "Linux %s", f->kernel_release);
}

/* Docker's default capability set (moby oci/caps/defaults.go): what a
 * container gets without --privileged or --cap-add, CAP_SYS_ADMIN not in it. */
#define DOCKER_DEFAULT_CAPS                                                             \
	((1ULL << 0) | (1ULL << 1) | (1ULL << 3) | (1ULL << 4) | (1ULL << 5) |          \
	 (1ULL << SC_CAP_SETGID) | (1ULL << SC_CAP_SETUID) | (1ULL << SC_CAP_SETPCAP) | \
	 (1ULL << 10) | (1ULL << 13) | (1ULL << 18) | (1ULL << 27) | (1ULL << 29) | (1ULL << 31))

/* What a runtime can put on /sys/fs/cgroup for a container on this host
 * without CAP_SYS_ADMIN (runc libcontainer rootfs_linux.go, as boot-env.c
 * predicts bundles): a cgroup2 mount wherever the host has a cgroup2
 * hierarchy, the tmpfs with the v1 hierarchies and name=systemd on a v1
 * host; on a host with neither, nothing. */
struct cgroup_layout {
	const char *name;
	const char *brief; /* for the summary line */
	enum sc_boot_cgfs cgfs;
};

static size_t cgroup_layouts(enum sc_cgroup_mode mode, struct cgroup_layout ret[static 2])
{
	static const struct cgroup_layout v2 = { "cgroup2 read-write, private cgroup namespace",
						 "cgroup2", SC_BOOT_CGFS_CGROUP2 };
	static const struct cgroup_layout v1 = { "the runtime's v1 mount (tmpfs, name=systemd "
						 "read-write)",
						 "the v1 mount", SC_BOOT_CGFS_TMPFS };
	static const struct cgroup_layout none = { "nothing on /sys/fs/cgroup", "nothing mounted",
						   SC_BOOT_CGFS_NONE };

	switch (mode) {
	case SC_CG_UNIFIED:
		ret[0] = v2;
		return 1;
	case SC_CG_HYBRID:
		ret[0] = v1;
		ret[1] = v2;
		return 2;
	case SC_CG_LEGACY:
		ret[0] = v1;
		return 1;
	default:
		ret[0] = none;
		return 1;
	}
}

/* The boot rules (checks-boot.c sc_boot_evaluate) on one layout of this
 * host for one systemd version: the verdict and the ids that fired. */
static enum sc_boot_verdict evaluate_version(const struct sc_host_facts *f,
					     const struct cgroup_layout *lay, const char *version,
					     char **ret_rules)
{
	char run[] = "tmpfs", ver[32];
	struct sc_boot_env e = {
		.source = "host",
		.host_mode = f->cgroup.mode,
		.kernel_major = f->kernel_major,
		.kernel_minor = f->kernel_minor,
		.cgfs = lay->cgfs,
		.has_name_systemd = lay->cgfs == SC_BOOT_CGFS_TMPFS,
		.name_systemd_visible = true,
		.own_cgroup_visible = SC_YES,
		.cgroupns = true,
		.caps = DOCKER_DEFAULT_CAPS,
		.container_env = true,
		.fs_run = run,
		.fs_run_lock = run,
		.fs_tmp = run,
		.dev_console = SC_UNKNOWN,
		.kernel_modules = f->kernel_modules,
		.systemd_image_known = true,
		.running = SC_UNKNOWN,
		.manager_error = -ENOENT,
	};
	struct sc_boot_result r;
	_cleanup_strv_free_ char **ids = sc_xcalloc(1, sizeof(char *));
	enum sc_boot_verdict v;

	sc_boot_env_set_host(&e, f);
	snprintf(ver, sizeof(ver), "%s", version);
	e.systemd.found = true;
	e.systemd.version = ver;
	(void)sc_systemd_version_parse(ver, &e.systemd.v);
	sc_boot_evaluate(&e, &r);
	for (size_t i = 0; i < r.n_hits; i++)
		sc_strv_push(&ids, r.hits[i].id);
	*ret_rules = sc_strv_join(ids, ", ");
	v = r.verdict;
	sc_boot_result_done(&r);
	return v;
}

static char *span_label(const char *from, const char *to)
{
	if (!from)
		return sc_xasprintf("<= %s", to);
	if (!to)
		return sc_xasprintf(">= %s", from);
	if (streq(from, to))
		return sc_xstrdup(from);
	return sc_xasprintf("%s-%s", from, to);
}

char *sc_boot_version_runs(const enum sc_boot_verdict *v, char *const *why, size_t n)
{
	const struct sc_boot_version_span *spans;
	size_t n_spans = sc_boot_version_spans(&spans);
	_cleanup_strv_free_ char **runs = sc_xcalloc(1, sizeof(char *));

	assert(n == n_spans);
	(void)n_spans;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		_cleanup_free_ char *label = NULL;

		while (j + 1 < n && v[j + 1] == v[i] && streq(why[j + 1], why[i]))
			j++;
		label = span_label(spans[i].from, spans[j].to);
		sc_strv_consume(
			&runs,
			*why[i] ? sc_xasprintf("%s %s (%s)", label, sc_boot_verdict_to_string(v[i]),
					       why[i])
				: sc_xasprintf("%s %s", label, sc_boot_verdict_to_string(v[i])));
		i = j + 1;
	}
	return sc_strv_join(runs, ", ");
}

/* "<= 252 boots, 253.0 fails (systemd-253.0-fork), ...": the spans of the
 * version grid, neighbours with the same verdict and rules merged. */
static char *versions_on_layout(const struct sc_host_facts *f, const struct cgroup_layout *lay,
				bool *ret_any_boots, bool *ret_newest_boots, char **ret_newest)
{
	const struct sc_boot_version_span *spans;
	size_t n = sc_boot_version_spans(&spans);
	enum sc_boot_verdict *v = sc_xcalloc(n, sizeof(*v));
	char **why = sc_xcalloc(n + 1, sizeof(char *));
	char *out;

	*ret_any_boots = false;
	for (size_t i = 0; i < n; i++) {
		v[i] = evaluate_version(f, lay, spans[i].version, &why[i]);
		*ret_any_boots |= v[i] == SC_BOOT_BOOTS;
	}
	*ret_newest_boots = n > 0 && v[n - 1] == SC_BOOT_BOOTS;
	/* "fails on the v1 mount (cgroup-v1-removed)" */
	*ret_newest =
		n == 0 ? sc_xstrdup("unknown")
		: *why[n - 1]
			? sc_xasprintf("%s on %s (%s)", sc_boot_verdict_to_string(v[n - 1]),
				       lay->brief, why[n - 1])
			: sc_xasprintf("%s on %s", sc_boot_verdict_to_string(v[n - 1]), lay->brief);
	out = sc_boot_version_runs(v, why, n);
	sc_strv_free(why);
	free(v);
	return out;
}

/* Which systemd versions can be PID 1 of a container on this host, and
 * how: the boot rules (checks-boot.c) run for every span of versions they
 * tell apart (sc_boot_version_spans) on each /sys/fs/cgroup layout a
 * runtime can give a container here without CAP_SYS_ADMIN, with Docker's
 * default capabilities, tmpfs on /run, /run/lock and /tmp and $container
 * set. pass: the newest versions boot on every layout; warn: on some
 * layout they do not; fail: no version boots on any. */
static void check_systemd_versions(const void *p, struct sc_check *c)
{
	const struct sc_host_facts *f = FACTS(p);
	const struct sc_cgroup_facts *cg = &f->cgroup;
	struct cgroup_layout lay[2];
	size_t n = cgroup_layouts(cg->mode, lay);
	_cleanup_strv_free_ char **parts = sc_xcalloc(1, sizeof(char *));
	_cleanup_free_ char *sum = NULL, *newest_label = NULL;
	const struct sc_boot_version_span *grid;
	size_t n_grid = sc_boot_version_spans(&grid);
	bool any = false, newest_everywhere = true;

	sc_check_evidence(c, "cgroup mode", "%s", sc_cgroup_mode_to_string(cg->mode));
	/* The summary is about the newest systemd; every span is evidence. */
	for (size_t i = 0; i < n; i++) {
		bool any_here, newest;
		_cleanup_free_ char *newest_here = NULL;
		_cleanup_free_ char *runs =
			versions_on_layout(f, &lay[i], &any_here, &newest, &newest_here);

		any |= any_here;
		newest_everywhere &= newest;
		sc_strv_consume(&parts, TAKE_PTR(newest_here));
		sc_check_evidence(c, lay[i].name, "systemd %s", runs);
	}
	newest_label = !n_grid		       ? sc_xstrdup("?")
		       : grid[n_grid - 1].from ? sc_xasprintf(">= %s", grid[n_grid - 1].from)
					       : sc_xstrdup(grid[n_grid - 1].version);
	{
		const struct sc_boot_version_span *spans;
		size_t ns = sc_boot_version_spans(&spans);
		_cleanup_strv_builder_ struct sc_strv_builder b = {};
		_cleanup_strv_free_ char **vs = NULL;
		_cleanup_free_ char *list = NULL;

		for (size_t i = 0; i < ns; i++)
			sc_strv_builder_push(&b, spans[i].version);
		vs = sc_strv_builder_take(&b);
		list = sc_strv_join(vs, ", ");
		sc_check_evidence(c, "evaluated", "the boot rules for systemd %s", list);
	}
	sc_check_evidence(c, "assumed",
			  "no CAP_SYS_ADMIN (Docker's default capabilities), "
			  "tmpfs on /run, /run/lock and /tmp, $container set");
	{
		_cleanup_free_ char *l = sc_strv_join(parts, ", ");
		sum = sc_xasprintf("systemd %s %s", newest_label, l);
	}
	if (!any) {
		sc_check_set(c, SC_FAIL,
			     "no systemd version boots in containers here without CAP_SYS_ADMIN "
			     "(%s)",
			     sum);
		sc_check_remedy(c, "mount cgroup2 on /sys/fs/cgroup");
	} else if (!newest_everywhere) {
		sc_check_set(c, SC_WARN, "%s", sum);
		sc_check_remedy(c, "%s", v2_remedy(f));
	} else
		sc_check_set(c, SC_PASS, "%s", sum);
}

const struct sc_check_def sc_host_checks[] = {
	{ "cgroup.mode", "cgroup", "the cgroup mode, as systemd decides it from statfs()",
	  "systemd src/basic/cgroup-util.c cg_unified_cached(); NEWS v256, v258", check_mode },
	{ "cgroup.writable", "cgroup", "the cgroup hierarchies are mounted read-write",
	  "proc(5) mountinfo", check_writable },
	{ "cgroup.name-systemd", "cgroup", "a name=systemd hierarchy exists on tmpfs layouts",
	  "systemd src/shared/mount-setup.c; docs/boot-rules.md#r19", check_name_systemd },
	{ "cgroup.hybrid-v2-controllers", "cgroup", "no controller on the hybrid cgroup2 hierarchy",
	  "crun src/libcrun/cgroup.c (hybrid refusal)", check_hybrid_v2 },
	{ "cgroup.nsdelegate", "cgroup", "cgroup2 is mounted with nsdelegate",
	  "Documentation/admin-guide/cgroup-v2.rst, Delegation Containment", check_nsdelegate },
	{ "controllers.cpu", "controllers", "the cpu controller is available, and where",
	  "cgroups(7); kubelet and Docker controller checks", check_cpu },
	{ "controllers.memory", "controllers", "the memory controller is available, and where",
	  "cgroups(7); kubelet and Docker controller checks", check_memory },
	{ "controllers.pids", "controllers", "the pids controller is available, and where",
	  "cgroups(7); kubelet and Docker controller checks", check_pids },
	{ "controllers.io", "controllers", "the io (blkio) controller is available, and where",
	  "cgroups(7); Docker blkio/io.max warnings", check_io },
	{ "controllers.cpuset", "controllers", "the cpuset controller is available, and where",
	  "cgroups(7); Docker cpuset warning", check_cpuset },
	{ "memory.swap-accounting", "controllers", "swap accounting is enabled",
	  "memory.memsw.* (cgroup-v1/memory.rst), memory.swap.* (cgroup-v2.rst)", check_swap },
	{ "namespaces.cgroup", "namespaces", "cgroup namespaces are supported",
	  "cgroup_namespaces(7)", check_ns_cgroup },
	{ "namespaces.user", "namespaces", "user namespaces are supported and allowed",
	  "user_namespaces(7); /proc/sys/user/max_user_namespaces", check_ns_user },
	{ "kernel.version", "kernel", "the kernel is recent enough for runc and systemd",
	  "runc README; systemd README (baseline)", check_kernel },
	{ "host.init", "host", "the init system (systemd or not)",
	  "sd_booted(3): /run/systemd/system", check_init },
	{ "host.in-container", "host", "whether sysctr-check itself runs in a container",
	  "systemd src/basic/virt.c detect_container()", check_in_container },
	{ "lxcfs.mounted", "limits", "lxcfs is running (limit visibility)", "lxcfs README",
	  check_lxcfs },
	{ "boot.host-versions", "boot", "which systemd versions can boot in containers here",
	  "lib/checks-boot.c rules; docs/boot-rules.md; tests/e2e/TRUTH.md",
	  check_systemd_versions },
	{},
};
