/* SPDX-License-Identifier: MIT */
/* The boot rules: would systemd come up as PID 1 in this environment?
 * One table, evaluated in order, each rule a pure function of the
 * environment (boot.h) citing its evidence: systemd's source, and the
 * end-to-end matrix case that showed it (tests/e2e: IMAGE/CONFIG, with
 * bookworm = 252.39, trixie = 257.13, sid = 262.1 on this hybrid host). */
#include <stdarg.h>
#include <stdio.h>

#include "boot.h"
#include "report.h"
#include "proc.h"
#include "util.h"

/* What the rules derive once from the environment. */
struct ctx {
	const struct sc_boot_env *e;
	bool sd;   /* a systemd version is known */
	int major; /* -1 unknown */
	int minor;
	bool sysadmin; /* CAP_SYS_ADMIN: systemd can mount what is missing */
	/* ... and a cgroup filesystem too: in a user namespace only with a
	 * cgroup namespace of its own (docs/boot-rules.md#r35). */
	bool cg_mountable;
	const char *mode; /* the cgroup mode systemd ends up in */
	char *init_scope; /* "/init.scope" or "/PATH/init.scope" as systemd names it */
};

/* NULL for SC_BOOT_FAILURE_NONE: JSON null, no text. */
static const char *const failure_names[] = {
	[SC_BOOT_EXITS] = "exits",
	[SC_BOOT_FREEZES] = "freezes",
	[SC_BOOT_FAILURE_UNKNOWN] = "unknown",
};
SC_STRING_TABLE_TO_STRING(sc_boot_failure, enum sc_boot_failure, failure_names, NULL)

static const char *const verdict_names[] = {
	[SC_BOOT_UNKNOWN] = "unknown",
	[SC_BOOT_BOOTS] = "boots",
	[SC_BOOT_DEGRADED] = "degraded",
	[SC_BOOT_FAILS] = "fails",
};
SC_STRING_TABLE_TO_STRING(sc_boot_verdict, enum sc_boot_verdict, verdict_names, "unknown")

static bool has_cap(const struct ctx *x, unsigned cap)
{
	return x->e->caps & (1ULL << cap);
}

static bool at_least(const struct ctx *x, int major, int minor)
{
	return x->sd && sc_systemd_version_cmp(&x->e->systemd.v, major, minor) >= 0;
}

static bool below(const struct ctx *x, int major, int minor)
{
	return x->sd && sc_systemd_version_cmp(&x->e->systemd.v, major, minor) < 0;
}

/* A remedy: the generic phrasing, and how each runtime's users say it. */
struct phrasing {
	const char *generic;
	const char *in[_SC_DIALECT_MAX];
};

/* A remedy phrased for the runtime that runs the container. */
static char *remedy(const struct ctx *x, const struct phrasing *p)
{
	const char *rt = x->e->runtime;
	int k = rt ? sc_runtime_from_string(rt) : -EINVAL;
	const char *specific = k >= 0 ? p->in[sc_runtimes[k].dialect] : NULL;

	if (!specific)
		return sc_xstrdup(p->generic);
	return sc_xasprintf("%s (%s: %s)", p->generic, rt, specific);
}

static void evidence(struct sc_boot_hit *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void evidence(struct sc_boot_hit *h, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (!h->evidence)
		h->evidence = sc_xcalloc(1, sizeof(char *));
	sc_strv_consume(&h->evidence, s);
}

static void units_present(const struct ctx *x, struct sc_boot_hit *h, const char *const *units,
			  size_t n)
{
	if (!h->units)
		h->units = sc_xcalloc(1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		if (sc_systemd_has_unit(&x->e->systemd, units[i]))
			sc_strv_push(&h->units, units[i]);
}

/* ---- the rules ----------------------------------------------------------------- */

/* docs/boot-rules.md#r5b: cg_unified_cached() knows only cgroup2 and tmpfs on /sys/fs/cgroup. */
static bool r_cgroup_fs_unknown(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->cgfs != SC_BOOT_CGFS_OTHER)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup("Unknown filesystem type ... mounted on /sys/fs/cgroup.");
	h->remedy =
		sc_xstrdup("mount cgroup2 (or a tmpfs with the v1 hierarchies) on /sys/fs/cgroup");
	evidence(h, "/sys/fs/cgroup: neither cgroup2 nor tmpfs");
	return true;
}

/* docs/boot-rules.md#r5: systemd 258 removed cgroup v1 (NEWS v258); a tmpfs on
 * /sys/fs/cgroup is refused. Matrix: sid (262.1) with every tmpfs layout
 * (v1-ro, v1-rw, host-ro, host-rw): exit 255, with a message the source
 * reading had not predicted. */
static bool r_cgroup_v1_removed(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->cgfs != SC_BOOT_CGFS_TMPFS || !at_least(x, 258, -1))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message =
		sc_xstrdup("Found tmpfs on /sys/fs/cgroup/, assuming legacy hierarchy. / Detected "
			   "cgroup v1 hierarchy at /sys/fs/cgroup/, which is no longer supported "
			   "by current version of systemd. / Detected unsupported legacy cgroup "
			   "hierarchy, refusing execution. / Exiting PID 1...");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "give it cgroup2 on /sys/fs/cgroup (a cgroup v2 host, or a cgroup2 "
			   "mount with a private cgroup namespace), or use an image with systemd "
			   "<= 257",
			   { [SC_DIALECT_DOCKER] =
				     "boot the host with cgroup v2, then --cgroupns=private",
			     [SC_DIALECT_PODMAN] =
				     "boot the host with cgroup v2 (podman then mounts cgroup2)",
			     [SC_DIALECT_OCI] = "a mount of type \"cgroup2\" on /sys/fs/cgroup and "
						"a \"cgroup\" namespace",
			     [SC_DIALECT_LXC] =
				     "lxc.mount.auto = cgroup:rw:force on a cgroup v2 host" } });
	evidence(h, "/sys/fs/cgroup: tmpfs (cgroup v1 layout)");
	evidence(h, "systemd %s >= 258", x->e->systemd.version);
	return true;
}

/* Nothing on /sys/fs/cgroup: systemd mounts it (mount-setup.c) and needs
 * CAP_SYS_ADMIN for that. Matrix: docker-none-{p,h} fail on all three
 * images; dadm-none-p and all-none-* boot. */
static bool r_cgroup_not_mountable(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->cgfs != SC_BOOT_CGFS_NONE || x->cg_mountable)
		return false;
	h->effect = SC_BOOT_FAILS;
	if (at_least(x, 258, -1))
		h->message = sc_xstrdup(
			"Failed to mount cgroup2 (type cgroup2) on /sys/fs/cgroup "
			"(MS_NOSUID|MS_NODEV|MS_NOEXEC \"nsdelegate,memory_recursiveprot\"): "
			"Operation not permitted");
	else if (at_least(x, 254, -1))
		h->message = sc_xstrdup(
			"Failed to mount tmpfs (type tmpfs) on /sys/fs/cgroup (...): "
			"Operation not permitted / Failed to mount cgroup v1 hierarchy.");
	else
		h->message = sc_xstrdup("Failed to mount tmpfs at /sys/fs/cgroup: Operation not "
					"permitted");
	h->remedy = remedy(
		x,
		&(const struct phrasing){
			"mount the cgroup filesystem for it (cgroup2 with a private cgroup "
			"namespace), or grant CAP_SYS_ADMIN",
			{ [SC_DIALECT_DOCKER] = "--cgroupns=private on a cgroup v2 host, or -v "
						"/sys/fs/cgroup:/sys/fs/cgroup:rw",
			  [SC_DIALECT_PODMAN] = "--systemd=always",
			  [SC_DIALECT_OCI] = "a \"cgroup\" mount on /sys/fs/cgroup in config.json",
			  [SC_DIALECT_LXC] = "lxc.mount.auto = cgroup:rw" } });
	evidence(h, "/sys/fs/cgroup: nothing mounted");
	evidence(h, "CAP_SYS_ADMIN: absent");
	return true;
}

/* Nothing on /sys/fs/cgroup and systemd picks the v1 layout
 * (systemd_mode()): it mounts a tmpfs and the hierarchies itself, and
 * name=systemd is MNT_FATAL. A hierarchy the host does not have is
 * created only from the initial cgroup namespace (kernel
 * cgroup1_root_to_use(): -EPERM), so in a private one with no
 * name=systemd on the host the mount fails. VM lab, openrc-unified, LXC
 * with lxc.mount.auto cgroup:mixed, cgroup:ro and none (nothing
 * mounted): trixie's 257 exits with this message (FINDINGS B2). */
static bool r_cgroup_none_v1_unmountable(const struct ctx *x, struct sc_boot_hit *h)
{
	const struct sc_boot_env *e = x->e;

	if (e->cgfs != SC_BOOT_CGFS_NONE || !x->cg_mountable || streq(x->mode, "unified") ||
	    e->host_name_systemd || !e->cgroupns)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup(
		"Failed to mount cgroup (type cgroup) on /sys/fs/cgroup/systemd "
		"(MS_NOSUID|MS_NODEV|MS_NOEXEC \"none,name=systemd\"): Operation not permitted / "
		"Failed to mount cgroup v1 hierarchy.");
	h->remedy = sc_xstrdup(
		"mount cgroup2 on /sys/fs/cgroup for it, or boot the host with "
		"systemd.unified_cgroup_hierarchy=1 (the container reads the host's kernel "
		"command line, and systemd then mounts cgroup2 itself)");
	evidence(h, "/sys/fs/cgroup: nothing mounted; systemd %s picks %s", e->systemd.version,
		 x->mode);
	if (e->v1_in_use)
		evidence(h, "/proc/cgroups: %s on a v1 hierarchy", e->v1_in_use);
	evidence(h, "a private cgroup namespace; no name=systemd hierarchy on the host");
	return true;
}

/* docs/boot-rules.md#r5d: hybrid or legacy mode needs name=systemd on
 * /sys/fs/cgroup/systemd (mount-setup.c: that mount is MNT_FATAL whenever
 * cg_is_legacy_wanted()). A tmpfs is there, the hierarchy is not (an
 * OpenRC host's tree, which has none), and without CAP_SYS_ADMIN systemd
 * cannot mount it: PID 1 exits. VM lab openrc-hybrid, 2026-12-03: Docker's
 * recipe (host tree rw, --cgroupns host), bookworm 252 and trixie 257 exit
 * 255. */
static bool r_name_systemd_unmountable(const struct ctx *x, struct sc_boot_hit *h)
{
	const struct sc_boot_env *e = x->e;

	if (e->cgfs != SC_BOOT_CGFS_TMPFS || e->has_name_systemd || x->cg_mountable ||
	    streq(x->mode, "unified") || at_least(x, 258, -1))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup(
		"Failed to mount cgroup (type cgroup) on /sys/fs/cgroup/systemd "
		"(MS_NOSUID|MS_NODEV|MS_NOEXEC \"none,name=systemd\"): Operation not permitted");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "give the container a name=systemd hierarchy (mount one on the host: "
			   "mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd), "
			   "or cgroup2 on /sys/fs/cgroup",
			   { [SC_DIALECT_DOCKER] = "--privileged, or a host with cgroup2",
			     [SC_DIALECT_PODMAN] = "--systemd=always",
			     [SC_DIALECT_LXC] = "lxc.mount.auto = cgroup:rw" } });
	evidence(h, "/sys/fs/cgroup: a tmpfs without name=systemd; systemd %s picks %s",
		 e->systemd.version, x->mode);
	evidence(h, "no CAP_SYS_ADMIN to mount it");
	return true;
}

/* docs/boot-rules.md#r6: the cgroup systemd tracks its processes in must be writable:
 * "Failed to create /init.scope control group" is fatal
 * (src/core/cgroup.c manager_setup_cgroup). Matrix: *-v2ro-* fail on all
 * images. */
static bool r_cgroup2_read_only(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->cgfs != SC_BOOT_CGFS_CGROUP2 || !x->e->cgfs_ro)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xasprintf("Failed to create %s control group: Read-only file system / "
				  "Failed to allocate manager object: Read-only file system",
				  x->init_scope);
	h->remedy =
		remedy(x, &(const struct phrasing){
				  "mount cgroup2 read-write, with a private cgroup namespace",
				  { [SC_DIALECT_DOCKER] = "--privileged --cgroupns=private",
				    [SC_DIALECT_PODMAN] = "--systemd=always",
				    [SC_DIALECT_OCI] = "drop \"ro\" from the cgroup mount options",
				    [SC_DIALECT_LXC] = "lxc.mount.auto = cgroup:rw" } });
	evidence(h, "/sys/fs/cgroup: cgroup2, read-only");
	return true;
}

/* Hybrid with cgroup2 already at /sys/fs/cgroup/unified (the host's tree
 * bound in): systemd tracks its processes there; recursively read-only
 * is fatal. Matrix: *-hostrro-* fail on bookworm and trixie. */
static bool r_hybrid_unified_read_only(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!streq(x->mode, "hybrid") || !x->e->has_unified || !x->e->hier_ro)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xasprintf("Failed to create %s control group: Read-only file system / "
				  "Failed to allocate manager object: Read-only file system",
				  x->init_scope);
	h->remedy = remedy(x, &(const struct phrasing){
				      "bind the cgroup tree read-write (or mount cgroup2 for it)",
				      { [SC_DIALECT_DOCKER] = "-v /sys/fs/cgroup:/sys/fs/cgroup:rw",
					[SC_DIALECT_PODMAN] = "--systemd=always",
					[SC_DIALECT_OCI] = "\"rbind\" without \"rro\"",
					[SC_DIALECT_LXC] = "lxc.mount.auto = cgroup:rw" } });
	evidence(h, "/sys/fs/cgroup/unified: cgroup2, read-only");
	return true;
}

/* docs/boot-rules.md#r19: legacy mode needs the name=systemd hierarchy, mounted or
 * mountable (mount-setup.c, MNT_FATAL for name=systemd). */
static bool r_name_systemd_missing(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!streq(x->mode, "legacy") || x->e->has_name_systemd || x->cg_mountable ||
	    x->e->cgfs != SC_BOOT_CGFS_TMPFS || at_least(x, 258, -1))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup("Failed to mount cgroup at /sys/fs/cgroup/systemd: Operation not "
				"permitted");
	h->remedy = sc_xstrdup("pre-mount the name=systemd hierarchy for it, or use cgroup v2");
	evidence(h, "/sys/fs/cgroup/systemd: no name=systemd hierarchy");
	return true;
}

/* Legacy mode (tmpfs, no cgroup2 under it and no CAP_SYS_ADMIN to mount
 * one): the name=systemd hierarchy is where init.scope goes.
 * Matrix: docker-v1ro-*, runc-v1ro-h, preset-* fail on bookworm, trixie. */
static bool r_legacy_read_only(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!streq(x->mode, "legacy") || !x->e->has_name_systemd || !x->e->hier_ro ||
	    at_least(x, 258, -1))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xasprintf("Failed to create %s control group: Read-only file system / "
				  "Failed to allocate manager object: Read-only file system",
				  x->init_scope);
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "mount the cgroup hierarchies read-write, or grant CAP_SYS_ADMIN so "
			   "that systemd mounts cgroup2 itself (hybrid)",
			   { [SC_DIALECT_DOCKER] = "--privileged",
			     [SC_DIALECT_PODMAN] = "--systemd=always",
			     [SC_DIALECT_OCI] = "drop \"ro\" from the cgroup mount options",
			     [SC_DIALECT_LXC] = "lxc.mount.auto = cgroup:rw" } });
	evidence(h, "/sys/fs/cgroup/systemd: name=systemd, read-only");
	evidence(h, "no cgroup2 at /sys/fs/cgroup/unified, no CAP_SYS_ADMIN to mount it");
	return true;
}

/* Hybrid with a read-only name=systemd bind that does not contain the
 * path /proc/1/cgroup names (runc without a cgroup namespace binds the
 * container's own subtree): 252 cannot pin its compat cgroup and exits,
 * 257 logs "ignoring". Matrix: bookworm all-v1ro-h and dadm-v1ro-h fail,
 * bookworm all-v1ro-p boots, trixie all-v1ro-h and dadm-v1ro-h boot.
 * Versions 253..256 are not covered by the matrix: 257 is where we saw
 * it tolerated. */
static bool r_compat_cgroup_unpinnable(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!streq(x->mode, "hybrid") || !x->e->has_name_systemd || !x->e->hier_ro ||
	    x->e->name_systemd_visible || !below(x, 257, -1))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message =
		sc_xasprintf("Failed to create compat systemd cgroup %s: No such file or "
			     "directory / Failed to open pin file: No such file or directory / "
			     "Failed to allocate manager object",
			     x->init_scope);
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "give it a private cgroup namespace (the name=systemd mount then shows "
			   "its own cgroup), or mount the hierarchies read-write",
			   { [SC_DIALECT_DOCKER] = "--cgroupns=private",
			     [SC_DIALECT_PODMAN] = "--cgroupns=private",
			     [SC_DIALECT_OCI] = "add a \"cgroup\" namespace to linux.namespaces",
			     [SC_DIALECT_LXC] = "lxc.mount.auto = cgroup:rw" } });
	evidence(h, "/sys/fs/cgroup/systemd: read-only, PID 1's cgroup not under it");
	evidence(h, "systemd %s < 257", x->e->systemd.version);
	return true;
}

/* docs/boot-rules.md#r12: /run must be a tmpfs; without one systemd mounts it, which needs
 * CAP_SYS_ADMIN (mount-setup.c, MNT_FATAL). Matrix: *-norun with docker
 * caps fail; with CAP_SYS_ADMIN they boot. */
static bool r_run_not_tmpfs(const struct ctx *x, struct sc_boot_hit *h)
{
	if (streq_ptr(x->e->fs_run, "tmpfs") || x->sysadmin)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message =
		at_least(x, 254, -1)
			? sc_xstrdup("Failed to mount tmpfs (type tmpfs) on /run (...): Operation "
				     "not permitted / Failed to mount API filesystems.")
			: sc_xstrdup("Failed to mount tmpfs at /run: Operation not permitted");
	h->remedy = remedy(
		x,
		&(const struct phrasing){
			"mount tmpfs on /run and /run/lock",
			{ [SC_DIALECT_DOCKER] = "--tmpfs /run --tmpfs /run/lock",
			  [SC_DIALECT_PODMAN] = "--systemd=always (the default for systemd images)",
			  [SC_DIALECT_OCI] = "tmpfs mounts on /run and /run/lock in config.json",
			  [SC_DIALECT_LXC] = "lxc.mount.entry = tmpfs run tmpfs "
					     "rw,nosuid,nodev,mode=755 0 0" } });
	evidence(h, "/run: %s", x->e->fs_run ? x->e->fs_run : "not a mount point");
	evidence(h, "CAP_SYS_ADMIN: absent");
	return true;
}

/* docs/boot-rules.md#r27: Debian's 252 mounts /run/lock from PID 1's
 * mount table too, a fatal entry (the Debian patch; upstream has none):
 * without CAP_SYS_ADMIN a /run/lock that is not already a mount point is
 * fatal even when /run is a tmpfs. Matrix: docker bookworm/B-norunlock
 * (`--tmpfs /run -v /sys/fs/cgroup:/sys/fs/cgroup:ro`) exits 255, with
 * /run/lock too (R-cgro) it boots. */
static bool r_run_lock_not_tmpfs(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!x->e->systemd.run_lock_in_mount_table || x->e->fs_run_lock || x->sysadmin)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup("Failed to mount tmpfs at /run/lock: Operation not permitted / "
				"[!!!!!!] Failed to mount API filesystems.");
	h->remedy =
		remedy(x, &(const struct phrasing){
				  "mount a tmpfs on /run/lock too",
				  { [SC_DIALECT_DOCKER] = "--tmpfs /run/lock",
				    [SC_DIALECT_PODMAN] = "--tmpfs /run/lock",
				    [SC_DIALECT_OCI] = "a tmpfs mount on /run/lock in config.json",
				    [SC_DIALECT_LXC] = "lxc.mount.entry = tmpfs run/lock tmpfs "
						       "rw,nosuid,nodev 0 0" } });
	evidence(h, "/run/lock: not a mount point; CAP_SYS_ADMIN: absent");
	evidence(h, "the image's systemd mounts /run/lock itself (mode=1777,size=5242880)");
	return true;
}

/* docs/boot-rules.md#r2: systemd < 230 cannot run on a real cgroup2 mount (v226-229 had a
 * pre-release unified API, earlier none). */
static bool r_too_old_for_cgroup2(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!streq(x->mode, "unified") || !below(x, 230, -1))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup("Failed to mount cgroup at /sys/fs/cgroup/systemd: Operation not "
				"permitted ... Freezing execution.");
	h->remedy = sc_xstrdup("give it a v1 name=systemd hierarchy (a cgroup v1 or hybrid host)");
	evidence(h, "systemd %s < 230 on cgroup2", x->e->systemd.version);
	return true;
}

/* docs/boot-rules.md#r18: 253.0 could not fork without CAP_SYS_ADMIN (fixed in 253.1). */
static bool r_253_0_fork(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!x->sd || x->major != 253 || x->minor > 0 || x->sysadmin)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message = sc_xstrdup("Failed to fork: Operation not permitted");
	h->remedy = sc_xstrdup("use systemd 253.1 or later");
	evidence(h, "systemd %s, no CAP_SYS_ADMIN", x->e->systemd.version);
	return true;
}

/* docs/boot-rules.md#r4: 256.0-256.7 on cgroup v1 stall 30 s (NEWS v256, v256.8). */
static bool r_legacy_stall_256(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->cgfs != SC_BOOT_CGFS_TMPFS || !x->sd || x->major != 256 || x->minor >= 8)
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("Legacy cgroup v1 support selected. This is no longer supported. "
				"... (a 30 s stall)");
	h->remedy = sc_xstrdup("use cgroup v2, or systemd 256.8 or later");
	h->units = sc_xcalloc(1, sizeof(char *));
	evidence(h, "systemd %s on a tmpfs layout", x->e->systemd.version);
	return true;
}

/* docs/boot-rules.md#r20: without $container, systemd <= 242 behaves as on bare metal. */
static bool r_no_container_env(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->container_env || !below(x, 243, -1))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("(no message: units meant for real machines start and fail)");
	h->remedy =
		sc_xstrdup("set container=docker (or the runtime's name) in PID 1's environment");
	h->units = sc_xcalloc(1, sizeof(char *));
	evidence(h, "container=: unset; systemd %s <= 242", x->e->systemd.version);
	return true;
}

/* Services whose unit files set a user or a capability bounding set fail
 * with 218/CAPABILITIES ("Failed to drop capabilities: Operation not
 * permitted") when PID 1 lacks CAP_SETPCAP, CAP_SETUID or CAP_SETGID;
 * the journald sockets fail with their service. Matrix: runc-*rw-p
 * (runc spec's 3 caps) on every image; the set is what the image ships. */
static bool r_minimal_capabilities(const struct ctx *x, struct sc_boot_hit *h)
{
	static const char *const units[] = {
		"dbus.service",
		"dbus-broker.service",
		"systemd-journal-flush.service",
		"systemd-journald.service",
		"systemd-logind.service",
		"systemd-journalctl.socket",
		"systemd-journald-dev-log.socket",
		"systemd-journald.socket",
		"systemd-logind-varlink.socket",
	};

	/* docs/boot-rules.md#r33: an empty bounding set (docker --cap-drop ALL)
	 * leaves nothing to drop, and capability_bounding_set_drop() ignores
	 * a failed PR_CAPBSET_DROP of a capability that is not in the set
	 * (src/basic/capability-util.c): journald and logind start; dbus still
	 * fails (216/GROUP; 252's dbus-daemon 1/FAILURE), and dbus.socket with
	 * it (service-start-limit-hit). Matrix: docker trixie/B-capdrop
	 * degraded by dbus.service, dbus.socket (and tmp.mount) only. */
	static const char *const dbus_units[] = { "dbus.service", "dbus-broker.service",
						  "dbus.socket" };

	if (has_cap(x, SC_CAP_SETPCAP) && has_cap(x, SC_CAP_SETUID) && has_cap(x, SC_CAP_SETGID))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	if (x->e->caps == 0) {
		h->message =
			sc_xstrdup("dbus.service: Failed at step GROUP spawning "
				   "/usr/bin/dbus-daemon: Operation not permitted / Main process "
				   "exited, code=exited, status=216/GROUP");
		h->remedy = remedy(
			x, &(const struct phrasing){
				   "grant at least CAP_SETUID and CAP_SETGID (Docker's defaults)",
				   { [SC_DIALECT_DOCKER] = "drop --cap-drop ALL",
				     [SC_DIALECT_PODMAN] = "drop --cap-drop ALL",
				     [SC_DIALECT_OCI] = "add Docker's default set to "
							"process.capabilities",
				     [SC_DIALECT_LXC] = "drop lxc.cap.drop" } });
		units_present(x, h, dbus_units, ELEMENTSOF(dbus_units));
		evidence(h, "capabilities: none (an empty bounding set: nothing to drop)");
		return true;
	}
	h->message = sc_xstrdup("systemd-journald.service: Failed to drop capabilities: Operation "
				"not permitted / Main process exited, code=exited, "
				"status=218/CAPABILITIES");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "grant at least Docker's default capabilities (CAP_SETPCAP, "
			   "CAP_SETUID, CAP_SETGID...)",
			   { [SC_DIALECT_DOCKER] = "drop --cap-drop",
			     [SC_DIALECT_PODMAN] = "drop --cap-drop",
			     [SC_DIALECT_OCI] = "add Docker's default set to process.capabilities",
			     [SC_DIALECT_LXC] = "drop lxc.cap.drop" } });
	units_present(x, h, units, ELEMENTSOF(units));
	evidence(h, "capabilities: CAP_SETPCAP/CAP_SETUID/CAP_SETGID not all present");
	return true;
}

/* docs/boot-rules.md#r33: 252's logind (Type=notify) does not get ready
 * without a bus: with dbus failing for lack of CAP_SETUID/CAP_SETGID and
 * logind not failing itself (an empty bounding set: nothing to drop), its
 * start job times out after 90 s, it restarts (Restart=always) and the
 * boot never finishes: `systemctl is-system-running` says "starting"
 * forever. 257's logind (Type=notify-reload) starts without the bus.
 * Matrix: docker bookworm/B-capdrop (`--cap-drop ALL`) no answer in
 * 200 s; trixie/B-capdrop degraded by dbus. 253..256 are not covered:
 * 257 is where it was seen tolerated. */
static bool r_logind_waits_for_bus(const struct ctx *x, struct sc_boot_hit *h)
{
	if (x->e->caps != 0 || !below(x, 257, -1) ||
	    !sc_systemd_has_unit(&x->e->systemd, "systemd-logind.service") ||
	    !(sc_systemd_has_unit(&x->e->systemd, "dbus.service") ||
	      sc_systemd_has_unit(&x->e->systemd, "dbus-broker.service")))
		return false;
	h->effect = SC_BOOT_FAILS;
	h->hangs = true;
	h->message = sc_xstrdup("systemd-logind.service: start operation timed out. Terminating. "
				"/ Scheduled restart job (forever: the boot never finishes)");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "grant at least CAP_SETUID and CAP_SETGID so that dbus starts (Docker's "
			   "defaults), or mask systemd-logind.service in the image",
			   { [SC_DIALECT_DOCKER] = "drop --cap-drop ALL",
			     [SC_DIALECT_PODMAN] = "drop --cap-drop ALL",
			     [SC_DIALECT_OCI] = "add Docker's default set to process.capabilities",
			     [SC_DIALECT_LXC] = "drop lxc.cap.drop" } });
	evidence(h, "capabilities: none; dbus cannot start, logind can and waits for it");
	evidence(h, "systemd %s < 257", x->e->systemd.version);
	return true;
}

/* docs/boot-rules.md#r29: a read-only root (docker --read-only) and an
 * image without /var/lib/systemd/linger: logind's StateDirectory= cannot
 * be created and it exits 238/STATE_DIRECTORY. Matrix: docker
 * bookworm/B-ro degraded(systemd-logind), trixie/B-ro degraded(tmp.mount,
 * systemd-logind); g-ro-tmp fails earlier for another reason. */
static bool r_state_directory_read_only(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!x->e->state_dir_ro || x->e->systemd.linger_dir ||
	    !sc_systemd_has_unit(&x->e->systemd, "systemd-logind.service"))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("systemd-logind.service: Main process exited, code=exited, "
				"status=238/STATE_DIRECTORY");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "give it a writable /var (a volume or tmpfs), or create "
			   "/var/lib/systemd/linger in the image",
			   { [SC_DIALECT_DOCKER] = "-v VOLUME:/var (or --tmpfs /var/lib/systemd)",
			     [SC_DIALECT_PODMAN] = "-v VOLUME:/var (or --tmpfs /var/lib/systemd)",
			     [SC_DIALECT_OCI] = "a writable mount on /var, or root.readonly false",
			     [SC_DIALECT_LXC] = "a writable mount entry for var" } });
	h->units = sc_strv_split("systemd-logind.service", " ");
	evidence(h, "/var/lib/systemd: read-only; /var/lib/systemd/linger: absent in the image");
	return true;
}

/* tmp.mount, enabled by Debian >= 13 (local-fs.target.wants), mounts a
 * tmpfs on /tmp: without CAP_SYS_ADMIN it fails. Matrix: docker-*,
 * runc-* on trixie and sid; with CAP_SYS_ADMIN (dadm-*, all-*) it works. */
static bool r_tmp_mount(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!x->e->systemd.tmp_mount_enabled || x->sysadmin || x->e->fs_tmp)
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("tmp.mount: Mount process exited, code=exited, status=32/n/a / "
				"Failed to mount tmp.mount - Temporary Directory /tmp.");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "mount a tmpfs on /tmp for it (or mask tmp.mount in the image)",
			   { [SC_DIALECT_DOCKER] = "--tmpfs /tmp",
			     [SC_DIALECT_PODMAN] = "--tmpfs /tmp",
			     [SC_DIALECT_OCI] = "a tmpfs mount on /tmp in config.json",
			     [SC_DIALECT_LXC] =
				     "lxc.mount.entry = tmpfs tmp tmpfs rw,nosuid,nodev 0 0" } });
	h->units = sc_strv_split("tmp.mount", " ");
	evidence(h, "tmp.mount: enabled in the image; /tmp: not a mount point; no CAP_SYS_ADMIN");
	return true;
}

/* docs/boot-rules.md#r28: Debian 13 moved /run/lock into run-lock.mount
 * (local-fs.target.wants): without CAP_SYS_ADMIN the mount fails
 * ("mount: /run/lock: permission denied") and the boot is degraded.
 * Matrix: docker trixie/B-norunlock degraded(run-lock.mount, tmp.mount). */
static bool r_run_lock_mount(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!x->e->systemd.run_lock_mount_enabled || x->sysadmin || x->e->fs_run_lock)
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("run-lock.mount: Mount process exited, code=exited, "
				"status=32/n/a (mount: /run/lock: permission denied)");
	h->remedy =
		remedy(x, &(const struct phrasing){
				  "mount a tmpfs on /run/lock for it",
				  { [SC_DIALECT_DOCKER] = "--tmpfs /run/lock",
				    [SC_DIALECT_PODMAN] = "--tmpfs /run/lock",
				    [SC_DIALECT_OCI] = "a tmpfs mount on /run/lock in config.json",
				    [SC_DIALECT_LXC] = "lxc.mount.entry = tmpfs run/lock tmpfs "
						       "rw,nosuid,nodev 0 0" } });
	h->units = sc_strv_split("run-lock.mount", " ");
	evidence(h, "run-lock.mount: enabled in the image; /run/lock: not a mount point; no "
		    "CAP_SYS_ADMIN");
	return true;
}

/* With CAP_SYS_MODULE, systemd-modules-load runs (its
 * ConditionCapability=) when a modules-load.d directory is not empty; since
 * it dlopen()s libkmod (257 here), an image without libkmod.so.2 makes it
 * fail: "Failed to initialize kmod context: Operation not supported".
 * Matrix: all-* on trixie (257.13, minbase: no libkmod); bookworm's 252
 * links libkmod and succeeds; sid ships no such unit. */
static bool r_modules_load(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!has_cap(x, SC_CAP_SYS_MODULE) || x->e->systemd.libkmod || !at_least(x, 257, -1) ||
	    !x->e->systemd.modules_load_configured ||
	    !sc_systemd_has_unit(&x->e->systemd, "systemd-modules-load.service"))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("Failed to initialize kmod context: Operation not supported / "
				"[FAILED] Failed to start systemd-modules-load.service");
	h->remedy = remedy(
		x, &(const struct phrasing){
			   "drop CAP_SYS_MODULE from the container, or install libkmod2 in the "
			   "image",
			   { [SC_DIALECT_DOCKER] = "--cap-drop SYS_MODULE",
			     [SC_DIALECT_PODMAN] = "--cap-drop SYS_MODULE",
			     [SC_DIALECT_OCI] = "remove CAP_SYS_MODULE from process.capabilities",
			     [SC_DIALECT_LXC] = "lxc.cap.drop = sys_module" } });
	h->units = sc_strv_split("systemd-modules-load.service", " ");
	evidence(h,
		 "CAP_SYS_MODULE granted; modules-load.d not empty; no libkmod.so.2 in the image");
	return true;
}

/* The host's cgroup tree bound into a private cgroup namespace: PID 1
 * comes up, journald (257) cannot find its own cgroup ("Protocol driver
 * not attached", EUNATCH) and exits 1. Matrix: trixie {all,docker}-host{ro,rw}-p;
 * bookworm boots the same configurations cleanly. */
static bool r_host_tree_in_cgroupns(const struct ctx *x, struct sc_boot_hit *h)
{
	static const char *const units[] = {
		"systemd-journal-flush.service",
		"systemd-journald.service",
		"systemd-journald-dev-log.socket",
		"systemd-journald.socket",
	};

	if (!x->e->host_tree || !x->e->cgroupns || !at_least(x, 257, -1) || at_least(x, 258, -1))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("systemd-journald.service: Main process exited, code=exited, "
				"status=1/FAILURE (Protocol driver not attached)");
	h->remedy =
		sc_xstrdup("do not bind the host's cgroup tree into a private cgroup namespace: "
			   "mount the cgroup filesystem instead");
	units_present(x, h, units, ELEMENTSOF(units));
	evidence(h, "/sys/fs/cgroup: the host's tree, in a private cgroup namespace");
	return true;
}

/* docs/boot-rules.md#r26: mount-setup.c mounts /sys, /dev (devtmpfs) and
 * /dev/shm itself when they are not mount points (MNT_FATAL|
 * MNT_IN_CONTAINER, v252 l.67-80, v257 l.82-95): without CAP_SYS_ADMIN
 * that is EPERM, and in a user namespace sysfs and devtmpfs stay
 * unmountable even with it (the kernel lets a userns mount sysfs only
 * when one is already fully visible: fs/namespace.c mount_too_revealing();
 * devtmpfs is not FS_USERNS_MOUNT). Matrix: sid/pw-19, bookworm/pw-04
 * (sys=none in a userns, exit 255); ax-sys-none, ax-shm-none boot
 * (CAP_SYS_ADMIN); truth.sh boots with Docker's caps and /sys or /dev/shm
 * absent: exit 255 on 252, 257, 262. */
static bool r_api_fs_not_mountable(const struct ctx *x, struct sc_boot_hit *h)
{
	const char *what = NULL, *type = NULL;

	if (x->e->sys_absent && (!x->sysadmin || x->e->userns))
		what = "/sys", type = "sysfs";
	else if (x->e->dev_absent && (!x->sysadmin || x->e->userns))
		what = "/dev", type = "devtmpfs";
	else if (x->e->dev_shm_absent && !x->sysadmin)
		what = "/dev/shm", type = "tmpfs";
	if (!what)
		return false;
	h->effect = SC_BOOT_FAILS;
	h->message =
		at_least(x, 254, -1)
			? sc_xasprintf("Failed to mount %s (type %s) on %s (...): Operation not "
				       "permitted / [!!!!!!] Failed to mount API filesystems. / "
				       "Exiting PID 1...",
				       type, type, what)
			: sc_xasprintf("Failed to mount %s at %s: Operation not permitted / "
				       "[!!!!!!] Failed to mount API filesystems.",
				       type, what);
	h->remedy = sc_xasprintf("mount %s for it in the container (runc spec has it)", what);
	evidence(h, "%s: not a mount point", what);
	evidence(h,
		 x->sysadmin ? "user namespace: %s cannot be mounted there"
			     : "CAP_SYS_ADMIN: absent (%s cannot be mounted)",
		 type);
	return true;
}

/* docs/boot-rules.md#r29: a read-only root: systemd-logind's
 * StateDirectory=systemd/linger cannot be made, 238/STATE_DIRECTORY.
 * Matrix: ax-rootro-true on every image (logind; sid: logind-varlink.socket too). */
static bool r_root_read_only(const struct ctx *x, struct sc_boot_hit *h)
{
	static const char *const units[] = {
		"systemd-logind.service",
		"systemd-logind-varlink.socket",
	};

	if (!x->e->root_ro || !sc_systemd_has_unit(&x->e->systemd, "systemd-logind.service"))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("systemd-logind.service: Main process exited, code=exited, "
				"status=238/STATE_DIRECTORY");
	h->remedy = sc_xstrdup("make the root writable, or mount a writable /var/lib");
	units_present(x, h, units, ELEMENTSOF(units));
	evidence(h, "root: read-only");
	return true;
}

/* docs/boot-rules.md#r30: in a user namespace, CAP_SYS_RAWIO satisfies
 * sys-kernel-debug.mount's and sys-kernel-tracing.mount's
 * ConditionCapability=, but debugfs and tracefs cannot be mounted there.
 * Matrix: bookworm/pw-20 (caps=all, userns); truth.sh on trixie and sid
 * with the same knobs: both units fail. */
static bool r_userns_kernel_fs(const struct ctx *x, struct sc_boot_hit *h)
{
	static const char *const units[] = {
		"sys-kernel-debug.mount",
		"sys-kernel-tracing.mount",
	};

	if (!x->e->userns || !has_cap(x, SC_CAP_SYS_RAWIO) || x->e->sys_absent)
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("[FAILED] Failed to mount sys-kernel-debug.mount - Kernel Debug "
				"File System.");
	h->remedy = sc_xstrdup("drop CAP_SYS_RAWIO, or mask sys-kernel-debug.mount and "
			       "sys-kernel-tracing.mount");
	units_present(x, h, units, ELEMENTSOF(units));
	evidence(h, "user namespace with CAP_SYS_RAWIO: debugfs, tracefs not mountable");
	return true;
}

/* docs/boot-rules.md#r31: no /dev mount and CAP_SYS_ADMIN outside a
 * user namespace: systemd mounts a devtmpfs, which is the host's; it has
 * /dev/tty0, so getty@tty1 (ConditionPathExists=/dev/tty0) starts and
 * agetty, denied the host's tty1 by the device cgroup, exits 208/STDIN.
 * Matrix: ax-dev-none on every image, trixie/pw-10. */
static bool r_host_devtmpfs_getty(const struct ctx *x, struct sc_boot_hit *h)
{
	if (!x->e->dev_absent || !x->sysadmin || x->e->userns ||
	    !sc_systemd_has_unit(&x->e->systemd, "getty@.service"))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("getty@tty1.service: Main process exited, code=exited, "
				"status=208/STDIN");
	h->remedy = sc_xstrdup("mount a tmpfs on /dev (runc spec has one): systemd then does "
			       "not mount the host's devtmpfs");
	h->units = sc_strv_split("getty@tty1.service", " ");
	evidence(h, "/dev: not a mount point; CAP_SYS_ADMIN: systemd mounts the host's devtmpfs");
	return true;
}

/* docs/boot-rules.md#r34: systemd 262 (sid) with a console and a
 * writable /sys (mounted rw, or none and systemd mounts its own):
 * console-getty.service exits 208/STDIN until its start limit fails it.
 * Moved alone from the baseline: runc sid/ax-sys-rw and ax-sys-none
 * degraded, the baseline (/sys read-only) and ax-term-false (no console)
 * boot; 252 and 257 never. 258-261 not measured: taken as 262. */
static bool r_console_getty_sys_rw(const struct ctx *x, struct sc_boot_hit *h)
{
	const struct sc_boot_env *e = x->e;
	bool sys_rw = e->sys_absent ? x->sysadmin && !e->userns : !e->sys_ro;

	if (!sys_rw || e->dev_console != SC_YES || !at_least(x, 258, -1) ||
	    !sc_systemd_has_unit(&e->systemd, "console-getty.service"))
		return false;
	h->effect = SC_BOOT_DEGRADED;
	h->message = sc_xstrdup("console-getty.service: Main process exited, code=exited, "
				"status=208/STDIN / Start request repeated too quickly.");
	h->remedy = sc_xstrdup("mount /sys read-only (runtimes' default), or mask "
			       "console-getty.service in the image");
	h->units = sc_strv_split("console-getty.service", " ");
	evidence(h, "/sys: %s; /dev/console: present; systemd %s",
		 e->sys_absent ? "mounted by systemd, read-write" : "read-write",
		 e->systemd.version);
	return true;
}

static const struct sc_boot_rule {
	const char *id;
	const char *title;
	const char *reference;
	bool (*fires)(const struct ctx *x, struct sc_boot_hit *h);
} rules[] = {
	{ "cgroup-fs-unknown", "an unknown filesystem on /sys/fs/cgroup",
	  "docs/boot-rules.md#r5b; systemd src/basic/cgroup-util.c cg_unified_cached()",
	  r_cgroup_fs_unknown },
	{ "cgroup-v1-removed", "systemd >= 258 on a cgroup v1 layout",
	  "docs/boot-rules.md#r5; NEWS v258; matrix sid/*-v1*, sid/*-host*", r_cgroup_v1_removed },
	{ "cgroup-not-mountable", "nothing on /sys/fs/cgroup and no CAP_SYS_ADMIN to mount it",
	  "mount-setup.c; matrix */docker-none-*", r_cgroup_not_mountable },
	{ "name-systemd-unmountable", "hybrid or legacy mode, no name=systemd, no CAP_SYS_ADMIN",
	  "docs/boot-rules.md#r5d; VM lab openrc-hybrid docker-recipe",
	  r_name_systemd_unmountable },
	{ "cgroup-none-v1-unmountable",
	  "nothing on /sys/fs/cgroup, systemd picks v1, and cannot create name=systemd",
	  "docs/boot-rules.md#r5c; systemd src/shared/cgroup-setup.c cg_is_unified_wanted(); "
	  "VM lab openrc-unified/lxc-cgroup-*",
	  r_cgroup_none_v1_unmountable },
	{ "cgroup2-read-only", "cgroup2 mounted read-only",
	  "docs/boot-rules.md#r6; matrix */*-v2ro-*", r_cgroup2_read_only },
	{ "hybrid-unified-read-only", "the host's tree bound recursively read-only",
	  "matrix bookworm,trixie/*-hostrro-*", r_hybrid_unified_read_only },
	{ "name-systemd-missing", "legacy mode without a name=systemd hierarchy",
	  "docs/boot-rules.md#r19", r_name_systemd_missing },
	{ "legacy-read-only", "legacy mode with a read-only name=systemd hierarchy",
	  "matrix bookworm,trixie/docker-v1ro-*, runc-v1ro-h", r_legacy_read_only },
	{ "compat-cgroup-unpinnable", "hybrid, read-only name=systemd not showing PID 1's cgroup",
	  "matrix bookworm/all-v1ro-h, dadm-v1ro-h vs trixie", r_compat_cgroup_unpinnable },
	{ "run-not-tmpfs", "/run is not a tmpfs and cannot be mounted",
	  "docs/boot-rules.md#r12; matrix */*-norun", r_run_not_tmpfs },
	{ "run-lock-not-tmpfs", "/run/lock is not a tmpfs and the image's PID 1 mounts it",
	  "docs/boot-rules.md#r27; matrix docker bookworm/B-norunlock", r_run_lock_not_tmpfs },
	{ "cgroup2-systemd-too-old", "systemd < 230 on cgroup2", "docs/boot-rules.md#r2",
	  r_too_old_for_cgroup2 },
	{ "systemd-253.0-fork", "systemd 253.0 without CAP_SYS_ADMIN", "docs/boot-rules.md#r18",
	  r_253_0_fork },
	{ "legacy-stall-256", "systemd 256.0-256.7 on cgroup v1", "docs/boot-rules.md#r4",
	  r_legacy_stall_256 },
	{ "no-container-env", "no $container for systemd <= 242", "docs/boot-rules.md#r20",
	  r_no_container_env },
	{ "minimal-capabilities", "services that drop capabilities fail without CAP_SETPCAP",
	  "matrix */runc-*rw-p; docs/boot-rules.md#r33", r_minimal_capabilities },
	{ "logind-waits-for-bus", "systemd < 257, no capabilities: logind waits for dbus forever",
	  "docs/boot-rules.md#r33; matrix docker bookworm/B-capdrop", r_logind_waits_for_bus },
	{ "state-directory-read-only", "a read-only /var/lib/systemd without logind's linger dir",
	  "docs/boot-rules.md#r29; matrix docker bookworm,trixie/B-ro",
	  r_state_directory_read_only },
	{ "tmp-mount", "tmp.mount enabled, no CAP_SYS_ADMIN to mount it",
	  "matrix trixie,sid/docker-*, runc-*", r_tmp_mount },
	{ "run-lock-mount", "run-lock.mount enabled, no CAP_SYS_ADMIN to mount it",
	  "docs/boot-rules.md#r28; matrix docker trixie/B-norunlock, runc trixie/pw-07",
	  r_run_lock_mount },
	{ "modules-load-no-libkmod", "systemd-modules-load with CAP_SYS_MODULE and no libkmod",
	  "matrix trixie/all-*", r_modules_load },
	{ "host-tree-in-cgroupns", "the host's cgroup tree in a private cgroup namespace",
	  "matrix trixie/*-host{ro,rw}-p", r_host_tree_in_cgroupns },
	{ "api-fs-not-mountable", "/sys, /dev or /dev/shm absent and not mountable",
	  "docs/boot-rules.md#r26; matrix sid/pw-19, bookworm/pw-04", r_api_fs_not_mountable },
	{ "root-read-only", "a read-only root: logind's StateDirectory",
	  "docs/boot-rules.md#r29; matrix */ax-rootro-true", r_root_read_only },
	{ "userns-kernel-fs", "a user namespace with CAP_SYS_RAWIO: debugfs, tracefs",
	  "docs/boot-rules.md#r30; matrix bookworm/pw-20", r_userns_kernel_fs },
	{ "console-getty-sys-rw",
	  "systemd >= 258, a console and /sys writable: console-getty fails",
	  "docs/boot-rules.md#r34; matrix sid/ax-sys-rw, sid/ax-sys-none", r_console_getty_sys_rw },
	{ "host-devtmpfs-getty", "no /dev mount: systemd mounts the host's devtmpfs, getty fails",
	  "docs/boot-rules.md#r31; matrix */ax-dev-none", r_host_devtmpfs_getty },
};

size_t sc_boot_rules(const char *const **ret_ids, const char *const **ret_titles)
{
	static const char *ids[ELEMENTSOF(rules) + 1], *titles[ELEMENTSOF(rules) + 1];

	for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
		ids[i] = rules[i].id;
		titles[i] = rules[i].title;
	}
	if (ret_ids)
		*ret_ids = ids;
	if (ret_titles)
		*ret_titles = titles;
	return ELEMENTSOF(rules);
}

/* Every version a rule above (or systemd_mode() below) names is a
 * boundary (docs/boot-rules.md#versions-that-change-verdicts): 230
 * (cgroup2-systemd-too-old), 233 (hybrid by default), 243
 * (no-container-env), 253.0 and 253.1 (systemd-253.0-fork), 256.0 and
 * 256.8 (legacy-stall-256), 257 (compat-cgroup-unpinnable,
 * host-tree-in-cgroupns, modules-load-no-libkmod), 258 (cgroup-v1-removed). Between two of them every rule answers the same, so one
 * version per span stands for all of it. A rule naming a new version
 * adds a boundary here. */
static const struct sc_boot_version_span version_spans[] = {
	{ "229", NULL, "229" },	       { "230", "230", "232" },	      { "233", "233", "242" },
	{ "243", "243", "252" },       { "253.0", "253.0", "253.0" }, { "253.1", "253.1", "255" },
	{ "256.0", "256.0", "256.7" }, { "256.8", "256.8", "256.x" }, { "257", "257", "257" },
	{ "258", "258", NULL },
};

size_t sc_boot_version_spans(const struct sc_boot_version_span **ret)
{
	*ret = version_spans;
	return ELEMENTSOF(version_spans);
}

/* The mode systemd ends up in (cg_unified_cached() after mount_setup()):
 * on a tmpfs it uses cgroup2 at /unified when there is one or when it can
 * mount one (CAP_SYS_ADMIN: matrix all-v1* show "compat systemd cgroup"
 * errors, i.e. hybrid); on nothing it mounts what it wants: cgroup2 from
 * 258, otherwise the v1 layout when the host binds v1 controllers
 * (cg_is_legacy_force_enabled / v1 controllers in /proc/cgroups, v250+). */
/* cg_is_unified_wanted() (src/shared/cgroup-setup.c) with nothing on
 * /sys/fs/cgroup: the kernel command line first, then (v250+, systemd
 * PR #20712) no unified tree while the host binds a controller it knows
 * to a v1 hierarchy, then the build's default, for which the host's own
 * mode stands in. VM lab, openrc-unified (OpenRC binds cpuacct and
 * devices to v1 beside cgroup2): trixie's 257 in LXC with nothing
 * mounted took the v1 layout (FINDINGS B2). */
static bool unified_wanted(const struct ctx *x)
{
	const struct sc_boot_env *e = x->e;

	if (e->cmdline_unified)
		return e->cmdline_unified > 0;
	if (e->cmdline_no_v1_all)
		return true;
	if (e->v1_in_use && at_least(x, 250, -1))
		return false;
	return e->host_mode == SC_CG_UNIFIED;
}

static const char *systemd_mode(const struct ctx *x)
{
	const struct sc_boot_env *e = x->e;

	switch (e->cgfs) {
	case SC_BOOT_CGFS_CGROUP2:
		return "unified";
	case SC_BOOT_CGFS_TMPFS:
		if (at_least(x, 258, -1))
			return "legacy";
		if (e->has_unified || (x->cg_mountable && !below(x, 233, -1)))
			return "hybrid";
		return "legacy";
	case SC_BOOT_CGFS_NONE:
		if (!x->cg_mountable)
			return "none";
		if (at_least(x, 258, -1) || unified_wanted(x))
			return "unified";
		/* cg_is_hybrid_wanted(): the option's meaning is reversed. */
		if (e->cmdline_legacy_ctl && !below(x, 233, -1))
			return e->cmdline_legacy_ctl > 0 ? "legacy" : "hybrid";
		return below(x, 233, -1) ? "legacy" : "hybrid";
	default:
		return "unknown";
	}
}

/* What a fatal error looks like (docs/boot-rules.md#r32): systemd's
 * crash and fatal paths end in freeze_or_exit_or_reboot(), which exits
 * when detect_container() (src/basic/virt.c) finds a container and
 * freezes otherwise. As PID 1 that finds one in /run/host/container-manager,
 * a non-empty $container (an empty one says "none"), /run/.containerenv
 * or /.dockerenv, or a cgroup below the hierarchy's root in view
 * (running_in_cgroupns()). systemd 257 and 262 find one anyway in a PID
 * namespace: systemd-detect-virt as PID 1 with nothing on /sys/fs/cgroup
 * says container-other there and none with 252 (253-256 untested: taken
 * as 252). Matrix: bookworm/dv-none-p-noenv hangs, trixie exits 255. */
static int detects_container(const struct ctx *x, char **ret_why)
{
	const struct sc_boot_env *e = x->e;

	if (e->container_manager) {
		*ret_why =
			sc_xasprintf("/run/host/container-manager says %s", e->container_manager);
		return SC_YES;
	}
	if (e->container_env) {
		if (isempty(e->container_env_value)) {
			*ret_why = sc_xstrdup("container= is set empty: \"not a container\"");
			return SC_NO;
		}
		*ret_why = sc_xasprintf("systemd sees container=%s", e->container_env_value);
		return SC_YES;
	}
	if (e->containerenv == SC_YES || e->dockerenv == SC_YES) {
		*ret_why = sc_xasprintf("container= unset, %s exists",
					e->containerenv == SC_YES ? "/run/.containerenv"
								  : "/.dockerenv");
		return SC_YES;
	}
	if (e->cgroup_nested == SC_YES) {
		*ret_why = sc_xstrdup("container= unset; a nested cgroup on /sys/fs/cgroup");
		return SC_YES;
	}
	if (at_least(x, 257, -1)) {
		*ret_why = sc_xasprintf("container= unset; systemd %s knows its PID namespace",
					e->systemd.version);
		return SC_YES;
	}
	if (e->containerenv == SC_UNKNOWN || e->dockerenv == SC_UNKNOWN ||
	    e->cgroup_nested == SC_UNKNOWN) {
		*ret_why = sc_xstrdup("container= unset; the marker files were not read");
		return SC_UNKNOWN;
	}
	*ret_why = sc_xasprintf("systemd %s finds no container: container= unset, no "
				"/.dockerenv, the cgroup root (or nothing) on /sys/fs/cgroup",
				e->systemd.version);
	return SC_NO;
}

static void unknown_target(struct sc_boot_result *r, const char *id, const char *message,
			   const char *remedy)
{
	struct sc_boot_hit *h = SC_APPEND(r->hits, r->n_hits);

	h->id = id;
	h->effect = SC_BOOT_UNKNOWN;
	h->message = sc_xstrdup(message);
	h->remedy = remedy ? sc_xstrdup(remedy) : NULL;
	h->reference = "docs/boot-rules.md#image-version";
	r->verdict = SC_BOOT_UNKNOWN;
}

void sc_boot_evaluate(const struct sc_boot_env *e, struct sc_boot_result *ret)
{
	struct sc_boot_result r = { .verdict = SC_BOOT_BOOTS };
	struct ctx x = { .e = e, .major = -1, .minor = -1 };

	/* What runs there now is reported as data, whatever the rules say. */
	r.running = e->running;
	r.now_error = e->manager_error;
	if (e->manager_error == 0)
		sc_manager_state_copy(&e->manager, &r.now);

	x.sd = e->systemd_image_known && e->systemd.found;
	if (x.sd) {
		x.major = e->systemd.v.major;
		x.minor = e->systemd.v.minor;
		r.systemd_version = sc_xstrdup(e->systemd.version);
	}
	x.sysadmin = e->caps & (1ULL << SC_CAP_SYS_ADMIN);
	/* The kernel lets a user namespace mount cgroup filesystems only in a
	 * cgroup namespace it owns (cgroup_init_fs_context: ns_capable on
	 * the cgroupns's user namespace). */
	x.cg_mountable = x.sysadmin && (!e->userns || e->cgroupns);
	x.mode = systemd_mode(&x);
	x.init_scope = e->cgroupns || !e->pid1_cgroup || streq(e->pid1_cgroup, "/")
			       ? sc_xstrdup("/init.scope")
			       : sc_xasprintf("%s/init.scope", e->pid1_cgroup);
	r.cgroup_mode = sc_xstrdup(x.mode);
	r.failing_units = sc_xcalloc(1, sizeof(char *));

	/* Nothing to judge: say why, as `container` does for the target. */
	if (e->not_a_container || e->inside_error || !x.sd) {
		if (e->not_a_container)
			unknown_target(
				&r, "not-a-container",
				"the target shares the host's PID and mount namespaces: it "
				"is not a container's init",
				"pass the PID of a container's init (see `sysctr-check list`)");
		else if (e->inside_error)
			unknown_target(&r, "no-inside-view", e->inside_error, NULL);
		else
			unknown_target(&r, "no-systemd", "no systemd in the image",
				       "nothing to predict: PID 1 would not be systemd");
		free(x.init_scope);
		*ret = r;
		return;
	}

	for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
		struct sc_boot_hit h = {};

		if (!rules[i].fires(&x, &h))
			continue;
		h.id = rules[i].id;
		h.reference = rules[i].reference;
		*SC_APPEND(r.hits, r.n_hits) = h;
		if (h.effect > r.verdict)
			r.verdict = h.effect;
	}
	/* A rule that kills PID 1 decides how it ends (it comes first in the
	 * boot); only rules whose boot never finishes: it freezes. */
	bool crashes = false;
	for (size_t i = 0; i < r.n_hits; i++)
		crashes |= r.hits[i].effect == SC_BOOT_FAILS && !r.hits[i].hangs;
	if (r.verdict == SC_BOOT_FAILS && !crashes) {
		r.failure = SC_BOOT_FREEZES;
		r.failure_why = sc_xstrdup("PID 1 runs on, but a unit's start job never ends: the "
					   "boot never finishes");
	} else if (r.verdict == SC_BOOT_FAILS)
		switch (detects_container(&x, &r.failure_why)) {
		case SC_YES:
			r.failure = SC_BOOT_EXITS;
			break;
		case SC_NO:
			r.failure = SC_BOOT_FREEZES;
			break;
		default:
			r.failure = SC_BOOT_FAILURE_UNKNOWN;
			break;
		}
	if (r.verdict == SC_BOOT_DEGRADED)
		for (size_t i = 0; i < r.n_hits; i++)
			for (char **u = r.hits[i].units; u && *u; u++)
				if (!sc_strv_contains(r.failing_units, *u))
					sc_strv_push(&r.failing_units, *u);
	free(x.init_scope);
	*ret = r;
}

/* ---- the verdict as a check ------------------------------------------------------ */

static void check_verdict(const void *p, struct sc_check *c)
{
	const struct sc_boot_result *r = p;
	_cleanup_free_ char *units = sc_strv_join(r->failing_units, ", ");

	for (size_t i = 0; i < r->n_hits; i++)
		sc_check_evidence(c, r->hits[i].id, "%s", r->hits[i].message);
	switch (r->verdict) {
	case SC_BOOT_BOOTS:
		sc_check_set(c, SC_PASS, "systemd %s would boot (cgroup mode %s)",
			     strna(r->systemd_version), r->cgroup_mode);
		break;
	case SC_BOOT_DEGRADED:
		sc_check_set(c, SC_WARN, "systemd %s would come up degraded: %s fail",
			     strna(r->systemd_version), units);
		break;
	case SC_BOOT_FAILS:
		sc_check_set(c, SC_FAIL, "systemd %s would not boot (%s)%s",
			     strna(r->systemd_version), r->n_hits ? r->hits[0].id : "?",
			     r->failure == SC_BOOT_EXITS     ? ": PID 1 exits"
			     : r->failure == SC_BOOT_FREEZES ? ": PID 1 freezes"
							     : "");
		if (r->failure_why)
			sc_check_evidence(c, "failure", "%s: %s",
					  strna(sc_boot_failure_to_string(r->failure)),
					  r->failure_why);
		break;
	default:
		/* A target that is no container, or whose inside could not be
		 * read, is a failed probe: never a quiet "nothing to predict". */
		if (r->n_hits && streq(r->hits[0].id, "not-a-container"))
			sc_check_set(c, SC_FAIL, "nothing to predict: %s", r->hits[0].message);
		else if (r->n_hits && streq(r->hits[0].id, "no-inside-view"))
			sc_check_set(c, SC_ERROR, "could not look inside: %s", r->hits[0].message);
		else
			sc_check_set(c, SC_INFO, "nothing to predict: %s",
				     r->n_hits ? r->hits[0].message : "not enough facts");
		if (r->n_hits && r->hits[0].remedy && c->status != SC_INFO)
			sc_check_remedy(c, "%s", r->hits[0].remedy);
		return;
	}
	/* The first fatal (or degrading) rule's remedy is the one to apply. */
	for (size_t i = 0; i < r->n_hits; i++)
		if (r->hits[i].effect == r->verdict && r->hits[i].remedy) {
			sc_check_remedy(c, "%s", r->hits[i].remedy);
			break;
		}
}

/* When systemd is PID 1 there already: how it is doing, in the words of
 * `systemctl is-system-running` (the manager's SystemState property,
 * src/core/manager.c: manager_state()), next to what was predicted. */
static void check_now(const void *p, struct sc_check *c)
{
	const struct sc_boot_result *r = p;
	const struct sc_manager_state *s = &r->now;
	_cleanup_free_ char *units = NULL;
	const char *st;

	if (r->running != SC_YES) {
		sc_check_set(c, SC_SKIP, "systemd is not PID 1 there%s",
			     r->running == SC_UNKNOWN ? " (cannot tell)" : "");
		return;
	}
	if (r->now_error) {
		sc_check_set(c, SC_INFO,
			     "systemd is PID 1 there; its manager did not say how it is doing (%s)",
			     sc_strerror(r->now_error));
		sc_check_evidence(c, SC_MANAGER_SOCKET, "%s", sc_errname(r->now_error));
		return;
	}
	st = strna(s->system_state);
	units = sc_strv_join(s->failed_units, ", ");
	sc_check_evidence(c, "SystemState", "%s", st);
	sc_check_evidence(c, "failed units", "%s", *units ? units : "none");
	sc_check_evidence(c, "predicted", "%s", sc_boot_verdict_to_string(r->verdict));
	if (streq(st, "running"))
		sc_check_set(c, SC_PASS, "systemd %s is running", strna(s->version));
	else if (streq(st, "degraded")) {
		sc_check_set(c, SC_WARN, "systemd %s is up, degraded: %s failed", strna(s->version),
			     *units ? units : "no unit listed");
		sc_check_remedy(c, "see why inside the container: systemctl status %s",
				s->failed_units && s->failed_units[0] ? s->failed_units[0]
								      : "--failed");
	} else if (streq(st, "maintenance")) {
		sc_check_set(c, SC_FAIL, "systemd %s is in maintenance (emergency or rescue mode)",
			     strna(s->version));
		sc_check_remedy(c, "read the boot log: journalctl -b inside the container, or "
				   "the container's console");
	} else
		sc_check_set(c, SC_INFO, "systemd %s is %s", strna(s->version), st);
}

const struct sc_check_def sc_boot_checks[] = {
	{ "boot.verdict", "boot", "would systemd boot as PID 1 here (boots, degraded, fails)",
	  "docs/boot-rules.md; tests/e2e/TRUTH.md", check_verdict },
	{ "boot.now", "boot", "when systemd is PID 1 there already: the state its manager reports",
	  "systemctl is-system-running(1); org.freedesktop.systemd1(5) SystemState", check_now },
	{},
};
