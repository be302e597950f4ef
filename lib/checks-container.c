/* SPDX-License-Identifier: MIT */
/* The container rules: is it a container at all, what it sees of its
 * cgroups, and is its cgroup subtree delegated (cgroup-v2.rst
 * "Delegation"; systemd docs/CGROUP_DELEGATION.md). Pure functions from
 * container facts to check results. */
#include <inttypes.h>
#include <stdio.h>

#include "checks.h"
#include "util.h"

#define CF(p) (((const struct sc_container_check_input *)(p))->c)
#define HF(p) (((const struct sc_container_check_input *)(p))->host)

static bool skip_if_not_container(const void *p, struct sc_check *c)
{
	if (sc_container_is_container(CF(p)))
		return false;
	sc_check_set(c, SC_SKIP, "not a container");
	return true;
}

static bool skip_if_no_inside(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);

	if (f->inside_ok)
		return false;
	sc_check_set(c, SC_ERROR, "no inside view: %s", strna(f->inside_error));
	return true;
}

static void check_is_container(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	_cleanup_strv_free_ char **priv = sc_xcalloc(1, sizeof(char *));

	for (int t = 0; t < _SC_NS_MAX; t++)
		if (sc_proc_ns_private(&f->proc, t) == 1)
			sc_strv_push(&priv, sc_ns_type_to_string(t));
	_cleanup_free_ char *l = sc_strv_join(priv, " ");
	sc_check_evidence(c, "/proc/PID/ns", "private: %s", *l ? l : "none");
	/* Unreadable namespace links (not root, not the owner) prove nothing. */
	if (f->proc.pid != 1 && (sc_proc_ns_private(&f->proc, SC_NS_PID) < 0 ||
				 sc_proc_ns_private(&f->proc, SC_NS_MNT) < 0)) {
		sc_check_set(c, SC_ERROR, "the namespaces of PID %d are unreadable (run as root)",
			     (int)f->proc.pid);
		return;
	}
	if (sc_container_is_container(f)) {
		sc_check_set(c, SC_PASS, "PID %d is a container's init (private namespaces: %s)",
			     (int)f->proc.pid, l);
		return;
	}
	sc_check_set(c, SC_FAIL,
		     "PID %d is not a container: it shares its PID and mount namespaces with the "
		     "host's PID 1",
		     (int)f->proc.pid);
	sc_check_remedy(c, "pass the PID of a container's init (see `sysctr-check list`)");
}

static void check_probe(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);

	if (!f->inside_ok) {
		sc_check_set(c, SC_ERROR, "could not look inside: %s", strna(f->inside_error));
		return;
	}
	if (sc_strv_length(f->timed_out) > 0) {
		_cleanup_free_ char *l = sc_strv_join(f->timed_out, ", ");
		for (char **t = f->timed_out; *t; t++)
			sc_check_evidence(c, *t, "ETIMEDOUT");
		sc_check_set(c, SC_ERROR,
			     "timed out reading %s inside (a hung filesystem: a stopped or dead "
			     "lxcfs?); those facts are missing",
			     l);
		sc_check_remedy(c,
				"restart the FUSE daemon (lxcfs) behind the mount, or unmount it");
		return;
	}
	sc_check_set(c, SC_PASS, "inside view collected (%zu mounts)", f->inside.mounts.n);
}

/* cgroup_namespaces(7): inside a private one, /proc/self/cgroup shows the
 * container's cgroup as "/". systemd on cgroup v2 expects that. */
static void check_cgroupns(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	int priv = sc_proc_ns_private(&f->proc, SC_NS_CGROUP);
	const struct sc_cgroup_line *l;

	if (skip_if_not_container(p, c))
		return;
	if (f->inside_ok &&
	    (l = sc_cgroup_line_find(f->inside.pid1_cgroups, f->inside.n_pid1_cgroups, NULL)))
		sc_check_evidence(c, "/proc/1/cgroup (inside)", "0::%s", l->path);
	if (f->cg2_path)
		sc_check_evidence(c, "/proc/PID/cgroup (host)", "0::%s", f->cg2_path);
	if (priv == 1) {
		sc_check_set(c, SC_PASS,
			     "private cgroup namespace: the container sees its own "
			     "cgroup as the root");
		return;
	}
	if (priv < 0) {
		sc_check_set(c, SC_INFO, "cgroup namespaces are not available");
		return;
	}
	sc_check_set(c, HF(p)->cgroup.mode == SC_CG_UNIFIED ? SC_WARN : SC_INFO,
		     "the host's cgroup namespace: the container sees host cgroup paths");
	sc_check_remedy(c, "run it with a private cgroup namespace (OCI: a \"cgroup\" entry in "
			   "linux.namespaces; docker --cgroupns=private)");
}

/* docs/boot-rules.md#r9: the cgroup PID 1 is in must exist
 * under the cgroup tree mounted inside. */
static void check_cgroup_visible(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	_cleanup_strv_free_ char **missing = sc_xcalloc(1, sizeof(char *));
	unsigned mounted = 0;

	if (skip_if_not_container(p, c) || skip_if_no_inside(p, c))
		return;
	for (size_t i = 0; i < f->inside.n_hier; i++) {
		const struct sc_inside_hierarchy *h = &f->inside.hier[i];
		const char *name = *h->controllers ? h->controllers : "cgroup2";

		if (!h->mountpoint)
			continue;
		mounted++;
		sc_check_evidence(c, name, "cgroup %s, mounted on %s (root %s): %s", h->cgroup,
				  h->mountpoint, h->mount_root,
				  h->visible ? h->dir : "not visible");
		if (!h->visible)
			sc_strv_push(&missing, name);
	}
	if (mounted == 0) {
		sc_check_set(c, SC_WARN, "no cgroup hierarchy is mounted inside");
		sc_check_remedy(c,
				"mount the container's cgroup (OCI: a mount of type \"cgroup\" on "
				"/sys/fs/cgroup)");
		return;
	}
	if (sc_strv_length(missing) == 0) {
		sc_check_set(c, SC_PASS,
			     "the container's own cgroup is visible in all %u mounted "
			     "hierarchies",
			     mounted);
		return;
	}
	_cleanup_free_ char *l = sc_strv_join(missing, ", ");
	sc_check_set(c, SC_FAIL,
		     "the container's own cgroup is not under the mounted tree (%s): anything "
		     "managing cgroups inside (systemd) looks in the wrong place",
		     l);
	sc_check_remedy(c, "pair a private cgroup namespace with its own cgroup mount, or bind "
			   "the container's cgroup directory itself");
}

/* cgroup-v2.rst: a controller is usable in a cgroup when its parent lists
 * it in cgroup.subtree_control; walk the chain to say who does not. */
/* In a private cgroup namespace the container's cgroup is its
 * namespace's root: PID 1's host path without the path PID 1 has inside
 * ("/init.scope" of a systemd that runs). Its index in the chain, or
 * n_chain when PID 1's own cgroup is the container's (inside path "/",
 * no namespace, or a path that does not end so). */
static size_t container_root_in_chain(const struct sc_container_facts *f)
{
	const char *in = NULL;
	size_t lp, li;

	if (!f->inside_ok || !f->cg2_path)
		return f->n_chain;
	for (size_t i = 0; i < f->inside.n_pid1_cgroups; i++)
		if (f->inside.pid1_cgroups[i].hierarchy == 0)
			in = f->inside.pid1_cgroups[i].path;
	if (!in || streq(in, "/") || streq(in, f->cg2_path))
		return f->n_chain;
	lp = strlen(f->cg2_path);
	li = strlen(in);
	if (li >= lp || !streq(f->cg2_path + lp - li, in))
		return f->n_chain;
	for (size_t i = 1; i < f->n_chain; i++) {
		const char *a = f->chain[i].path;

		if (strlen(a) == lp - li && strncmp(a, f->cg2_path, lp - li) == 0)
			return i;
	}
	return f->n_chain;
}

static void check_delegation_controllers(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	const struct sc_host_facts *h = HF(p);
	static const char *const wanted[] = { "cpu", "memory", "pids", "io", "cpuset" };
	_cleanup_strv_free_ char **missing = sc_xcalloc(1, sizeof(char *));
	char *const *offered;
	const char *where;
	size_t root;

	if (skip_if_not_container(p, c))
		return;
	if (!f->cg2_path) {
		sc_check_set(c, SC_SKIP, "no cgroup2 hierarchy on this host");
		return;
	}
	for (size_t i = 0; i < f->n_chain; i++) {
		_cleanup_free_ char *l = f->chain[i].subtree_control
						 ? sc_strv_join(f->chain[i].subtree_control, " ")
						 : sc_xstrdup("(unreadable)");
		sc_check_evidence(c, f->chain[i].path, "subtree_control: %s", *l ? l : "(none)");
	}
	if (!f->cg2_controllers) {
		sc_check_set(c, SC_ERROR, "%s/cgroup.controllers unreadable", f->cg2_host_dir);
		return;
	}
	/* Below the container's own cgroup, what is enabled is its own
	 * choice (a booted systemd gives its init.scope memory and pids):
	 * judge what its root is given, its parent's subtree_control
	 * (tests/vm/FINDINGS.md D1). */
	root = container_root_in_chain(f);
	offered = root < f->n_chain && f->chain[root - 1].subtree_control
			  ? f->chain[root - 1].subtree_control
			  : f->cg2_controllers;
	where = offered == f->cg2_controllers ? f->cg2_path : f->chain[root].path;
	_cleanup_free_ char *have = sc_strv_join(offered, " ");
	if (offered != f->cg2_controllers)
		sc_check_evidence(c, "container root", "%s (its cgroup namespace's root)", where);
	sc_check_evidence(c, where, "cgroup.controllers: %s", *have ? have : "(none)");
	for (size_t i = 0; i < ELEMENTSOF(wanted); i++)
		if (sc_strv_contains(h->cgroup.v2_controllers, wanted[i]) &&
		    !sc_strv_contains(offered, wanted[i]))
			sc_strv_push(&missing, wanted[i]);
	if (h->cgroup.mode == SC_CG_HYBRID && sc_strv_length(missing) == 0) {
		sc_check_set(c, SC_INFO,
			     "hybrid host: the cgroup2 hierarchy carries %s here; limits come from "
			     "the v1 hierarchies",
			     *have ? have : "no controller");
		return;
	}
	if (sc_strv_length(missing) == 0) {
		sc_check_set(c, SC_PASS, "controllers delegated down to the container: %s",
			     *have ? have : "(none offered by the root)");
		return;
	}
	/* Name the first ancestor that stops each missing controller. */
	for (char **m = missing; *m; m++)
		for (size_t i = 0; i < f->n_chain && i < root; i++)
			if (!sc_strv_contains(f->chain[i].subtree_control, *m)) {
				sc_check_evidence(c, *m, "not enabled in %s/cgroup.subtree_control",
						  f->chain[i].path);
				break;
			}
	_cleanup_free_ char *l = sc_strv_join(missing, " ");
	sc_check_set(c, SC_WARN, "controllers not delegated to the container: %s", l);
	sc_check_remedy(c,
			"enable them along the path (echo +%s > PARENT/cgroup.subtree_control), "
			"or use Delegate=yes on the unit that owns the subtree",
			missing[0]);
}

/* cgroup-v2.rst "Delegation": the delegatee owns the directory and the
 * files in /sys/kernel/cgroup/delegate; docs/boot-rules.md#r8 (Permission denied). */
static void check_delegation_owner(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);

	if (skip_if_not_container(p, c))
		return;
	if (!f->cg2_path) {
		sc_check_set(c, SC_SKIP, "no cgroup2 hierarchy on this host");
		return;
	}
	if (!f->cg2_stat_known || !f->root_mapped) {
		sc_check_set(c, SC_ERROR, "owner of %s or the container's uid_map unknown",
			     strna(f->cg2_host_dir));
		return;
	}
	sc_check_evidence(c, f->cg2_host_dir, "owner uid %u gid %u", (unsigned)f->cg2_uid,
			  (unsigned)f->cg2_gid);
	sc_check_evidence(c, "/proc/PID/uid_map", "container uid 0 is host uid %" PRIu32 "%s",
			  f->root_uid, f->userns ? "" : " (no user namespace)");
	if (f->cg2_uid == f->root_uid && sc_strv_length(f->cg2_delegate_not_owned) == 0) {
		sc_check_set(c, SC_PASS,
			     "the container's root (host uid %" PRIu32 ") owns its cgroup",
			     f->root_uid);
		return;
	}
	if (f->cg2_uid == f->root_uid) {
		_cleanup_free_ char *l = sc_strv_join(f->cg2_delegate_not_owned, " ");
		sc_check_set(c, SC_WARN, "the container's root owns its cgroup but not %s", l);
		sc_check_remedy(c, "chown those files to host uid %" PRIu32, f->root_uid);
		return;
	}
	sc_check_set(c, f->userns ? SC_FAIL : SC_WARN,
		     "the container's root (host uid %" PRIu32
		     ") does not own its cgroup (uid %u): "
		     "creating cgroups inside fails with Permission denied",
		     f->root_uid, (unsigned)f->cg2_uid);
	sc_check_remedy(c, "chown -R %" PRIu32 " %s (or let the runtime/Delegate=yes do it)",
			f->root_uid, f->cg2_host_dir);
}

/* cgroup-v2.rst "Threads": a "threaded" or "domain invalid" cgroup
 * cannot hold a domain subtree; systemd >= 251 fails creating
 * init.scope with EUCLEAN ("Structure needs cleaning"): docs/boot-rules.md#r10. */
static void check_delegation_type(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);

	if (skip_if_not_container(p, c))
		return;
	if (!f->cg2_type) {
		sc_check_set(c, SC_SKIP, "no cgroup.type (not a cgroup2 child cgroup)");
		return;
	}
	sc_check_evidence(c, f->cg2_host_dir, "cgroup.type: %s", f->cg2_type);
	if (streq(f->cg2_type, "domain")) {
		sc_check_set(c, SC_PASS, "cgroup.type is domain");
		return;
	}
	sc_check_set(c, SC_FAIL,
		     "cgroup.type is \"%s\": no domain cgroup can be created below it (systemd: "
		     "\"Structure needs cleaning\")",
		     f->cg2_type);
	sc_check_remedy(c, "give the container a domain cgroup (the runtime's cgroup parent must "
			   "not be threaded)");
}

/* Whether the container can create cgroups below its own: the mount is
 * read-write, its cgroup visible, and owned by its root. */
static void check_delegation_writable(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	const struct sc_inside_hierarchy *h = NULL;

	if (skip_if_not_container(p, c) || skip_if_no_inside(p, c))
		return;
	for (size_t i = 0; i < f->inside.n_hier; i++)
		if (f->inside.hier[i].hierarchy == 0 && !*f->inside.hier[i].controllers)
			h = &f->inside.hier[i];
	if (!h) {
		sc_check_set(c, SC_SKIP, "the container is in no cgroup2 cgroup");
		return;
	}
	if (!h->mountpoint) {
		sc_check_set(c, SC_WARN,
			     "cgroup2 is not mounted inside: the container cannot "
			     "manage its cgroup");
		sc_check_remedy(c, "mount cgroup2 read-write with a private cgroup namespace");
		return;
	}
	sc_check_evidence(c, h->mountpoint, "cgroup2 %s, root %s", h->read_only ? "ro" : "rw",
			  h->mount_root);
	if (h->read_only) {
		sc_check_set(c, SC_WARN,
			     "cgroup2 is mounted read-only inside (%s): nothing inside "
			     "can create cgroups (\"Read-only file system\")",
			     h->mountpoint);
		sc_check_remedy(c, "mount it read-write: OCI mount options without \"ro\"; docker "
				   "--privileged --cgroupns=private; podman --systemd=always");
		return;
	}
	if (!h->visible) {
		sc_check_set(c, SC_WARN,
			     "cgroup2 is writable but the container's own cgroup is "
			     "not under it");
		return;
	}
	if (f->cg2_stat_known && f->root_mapped && f->cg2_uid != f->root_uid) {
		sc_check_set(c, SC_WARN,
			     "cgroup2 is mounted read-write but the container's root "
			     "does not own its cgroup");
		return;
	}
	sc_check_set(c, SC_PASS, "the container's cgroup (%s) is writable from inside", h->dir);
}

/* cgroup-v2.rst "Delegation Containment": nsdelegate makes cgroup
 * namespaces delegation boundaries. */
static void check_delegation_nsdelegate(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	const struct sc_cgroup_facts *hc = &HF(p)->cgroup;
	const struct sc_cgroup_mount *m =
		hc->v2_path ? sc_cgroup_find_mount(hc, hc->v2_path) : NULL;

	if (skip_if_not_container(p, c))
		return;
	if (!m) {
		sc_check_set(c, SC_SKIP, "no cgroup2 hierarchy on this host");
		return;
	}
	sc_check_evidence(c, m->mountpoint, "cgroup2 %s", m->super_options);
	if (m->nsdelegate && sc_proc_ns_private(&f->proc, SC_NS_CGROUP) == 1)
		sc_check_set(c, SC_PASS,
			     "nsdelegate and a private cgroup namespace: the namespace "
			     "is a delegation boundary");
	else
		sc_check_set(c, SC_INFO, "the cgroup namespace is no delegation boundary (%s)",
			     m->nsdelegate ? "host cgroup namespace" : "no nsdelegate on the host");
}

/* v1 hierarchies: mounted read-write inside, and a cgroup of its own. */
static void check_delegation_v1(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	/* One entry per v1 hierarchy the container's mountinfo shows. */
	_cleanup_strv_builder_ struct sc_strv_builder b_ro = {}, b_shared = {};
	_cleanup_strv_free_ char **ro = NULL;
	_cleanup_strv_free_ char **shared = NULL;
	unsigned n = 0, mounted = 0;

	if (skip_if_not_container(p, c) || skip_if_no_inside(p, c))
		return;
	for (size_t i = 0; i < f->inside.n_hier; i++) {
		const struct sc_inside_hierarchy *h = &f->inside.hier[i];
		const struct sc_cgroup_line *host_line = NULL;
		bool own;

		if (h->hierarchy == 0)
			continue;
		n++;
		mounted += !!h->mountpoint;
		/* "Its own" is judged from the host: inside a private cgroup
		 * namespace every path reads "/". */
		for (size_t k = 0; k < f->proc.n_cgroups; k++)
			if (f->proc.cgroups[k].hierarchy == h->hierarchy)
				host_line = &f->proc.cgroups[k];
		own = host_line ? !streq(host_line->path, "/") : h->own;
		sc_check_evidence(c, h->controllers, "%s, cgroup %s%s",
				  !h->mountpoint ? "not mounted"
				  : h->read_only ? "mounted ro"
						 : "mounted rw",
				  host_line ? host_line->path : h->cgroup,
				  own ? "" : " (the host's root cgroup: not its own)");
		if (h->mountpoint && h->read_only)
			sc_strv_builder_push(&b_ro, h->controllers);
		if (!own)
			sc_strv_builder_push(&b_shared, h->controllers);
	}
	ro = sc_strv_builder_take(&b_ro);
	shared = sc_strv_builder_take(&b_shared);
	if (n == 0) {
		sc_check_set(c, SC_SKIP, "no v1 hierarchy");
		return;
	}
	/* Nothing mounted is nothing delegated: it passed as "all read-write"
	 * (LXC 5.0 on a hybrid host, tests/vm/FINDINGS.md D2). With cgroup2
	 * on /sys/fs/cgroup inside, the v1 hierarchies do not matter. */
	if (mounted == 0 && f->inside.cgroup.mode == SC_CG_UNIFIED) {
		sc_check_set(c, SC_SKIP,
			     "cgroup2 only inside: none of the %u v1 hierarchies is mounted", n);
		return;
	}
	/* systemd picks unified when /sys/fs/cgroup is cgroup2 (statfs):
	 * v1 hierarchies mounted beside it (OpenRC's unified mode mounts the
	 * v1-only controllers in the cgroup2 root; a bind of the host's
	 * tree brings them in) are not what it manages, whoever owns them
	 * (tests/vm/FINDINGS.md D4). */
	if (f->inside.cgroup.mode == SC_CG_UNIFIED) {
		_cleanup_free_ char *l = sc_strv_join(shared, ", ");

		sc_check_set(c, SC_INFO,
			     "cgroup2 on /sys/fs/cgroup inside: systemd uses none of the %u v1 "
			     "hierarchies mounted beside it%s%s%s",
			     mounted, *l ? " (the host's root cgroup of: " : "", l, *l ? ")" : "");
		return;
	}
	if (mounted == 0) {
		sc_check_set(c, SC_WARN,
			     "none of the %u v1 hierarchies is mounted inside: no cgroup to "
			     "manage there",
			     n);
		sc_check_remedy(c, "mount the cgroup hierarchies in the container (LXC: "
				   "lxc.mount.auto = cgroup:rw, or cgroup:mixed)");
		return;
	}
	if (sc_strv_length(shared) > 0) {
		_cleanup_free_ char *l = sc_strv_join(shared, ", ");
		sc_check_set(c, SC_WARN, "the container shares the root cgroup of: %s", l);
		return;
	}
	if (sc_strv_length(ro) > 0) {
		_cleanup_free_ char *l = sc_strv_join(ro, ", ");
		sc_check_set(c, SC_WARN,
			     "%zu of %u v1 hierarchies are mounted read-only inside (%s): not "
			     "delegated",
			     sc_strv_length(ro), n, l);
		sc_check_remedy(c, "mount the cgroup hierarchies read-write (OCI \"cgroup\" mount "
				   "without \"ro\")");
		return;
	}
	sc_check_set(c, SC_PASS,
		     "all %u v1 hierarchies have the container's own cgroup, "
		     "read-write",
		     n);
}

static void check_capabilities(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	_cleanup_free_ char *eff = NULL;

	if (!f->proc.caps_known) {
		sc_check_set(c, SC_ERROR, "capabilities unreadable");
		return;
	}
	eff = sc_caps_to_string(f->proc.cap_eff);
	sc_check_evidence(c, "/proc/PID/status", "CapEff: %s", *eff ? eff : "(none)");
	sc_check_evidence(c, "/proc/PID/status", "Seccomp: %d, NoNewPrivs: %d", f->proc.seccomp,
			  f->proc.no_new_privs);
	sc_check_set(c, SC_INFO, "%d effective capabilities%s; seccomp %s; no_new_privs %s",
		     __builtin_popcountll(f->proc.cap_eff),
		     f->proc.cap_eff & (1ULL << SC_CAP_SYS_ADMIN) ? " including CAP_SYS_ADMIN" : "",
		     f->proc.seccomp == 2   ? "filtering"
		     : f->proc.seccomp == 1 ? "strict"
		     : f->proc.seccomp == 0 ? "off"
					    : "unknown",
		     f->proc.no_new_privs == 1 ? "set" : "unset");
}

static void check_image(const void *p, struct sc_check *c)
{
	const struct sc_container_facts *f = CF(p);
	const struct sc_systemd_image *s = &f->inside.systemd;

	if (skip_if_not_container(p, c) || skip_if_no_inside(p, c))
		return;
	if (s->init_path)
		sc_check_evidence(c, "/sbin/init", "resolves to %s", s->init_path);
	else
		sc_check_evidence(c, "/sbin/init", "%s", sc_strerror(s->init_error));
	if (s->found) {
		sc_check_evidence(c, s->source, "%s: %s", s->method, s->version);
		sc_check_set(c, SC_INFO, "systemd %s in the image (%s)%s", s->version, s->method,
			     s->init_is_systemd == SC_YES ? ", and /sbin/init is systemd" : "");
	} else
		sc_check_set(c, SC_INFO, "no systemd in the image%s",
			     s->init_path ? "" : ", and no /sbin/init");
}

const struct sc_check_def sc_container_checks[] = {
	{ "container.is-container", "container", "the target has its own PID and mount namespaces",
	  "namespaces(7)", check_is_container },
	{ "container.probe", "container", "the inside view could be collected, nothing hung",
	  "docs/design.md#the-setns-child-and-its-deadline", check_probe },
	{ "container.cgroupns", "container", "the container has a private cgroup namespace",
	  "cgroup_namespaces(7)", check_cgroupns },
	{ "container.cgroup-visible", "container",
	  "its own cgroup is visible under the mounts inside",
	  "docs/boot-rules.md#r9; cgroup_namespaces(7)", check_cgroup_visible },
	{ "container.capabilities", "container", "capabilities, seccomp and no_new_privs of PID 1",
	  "capabilities(7), proc(5) status", check_capabilities },
	{ "container.image", "container", "systemd version in the image and /sbin/init",
	  "docs/boot-rules.md#image-version", check_image },
	{ "delegation.controllers", "delegation", "controllers enabled down to the container",
	  "cgroup-v2.rst: Controlling Controllers", check_delegation_controllers },
	{ "delegation.owner", "delegation",
	  "the container's root owns its cgroup and delegate files",
	  "cgroup-v2.rst: Delegation; /sys/kernel/cgroup/delegate", check_delegation_owner },
	{ "delegation.cgroup-type", "delegation", "the container's cgroup is a domain cgroup",
	  "cgroup-v2.rst: Threads; docs/boot-rules.md#r10", check_delegation_type },
	{ "delegation.writable", "delegation", "the container's cgroup is writable from inside",
	  "docs/boot-rules.md#r6, docs/boot-rules.md#r7; cgroup-v2.rst: Delegation",
	  check_delegation_writable },
	{ "delegation.nsdelegate", "delegation", "nsdelegate with a private cgroup namespace",
	  "cgroup-v2.rst: Delegation Containment", check_delegation_nsdelegate },
	{ "delegation.v1", "delegation", "v1 hierarchies mounted read-write with its own cgroup",
	  "cgroups(7)", check_delegation_v1 },
	{},
};
