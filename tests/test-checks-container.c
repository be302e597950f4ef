/* SPDX-License-Identifier: MIT */
/* The container and delegation rules on hand-built facts: a rootless-style
 * container in a user namespace with a delegated cgroup2 subtree, then one
 * thing broken at a time. No container, no kernel. */
#include <criterion/criterion.h>

#include "checks.h"
#include "util.h"

struct world {
	struct sc_host_facts host;
	struct sc_container_facts c;
};

static void set_ns(struct sc_container_facts *c, bool cgroupns, bool userns)
{
	for (int t = 0; t < _SC_NS_MAX; t++) {
		c->proc.host_ns[t] = 1000 + (uint64_t)t;
		c->proc.ns[t] = 2000 + (uint64_t)t; /* private by default */
	}
	c->proc.ns[SC_NS_NET] = c->proc.host_ns[SC_NS_NET];
	c->proc.ns[SC_NS_TIME] = c->proc.host_ns[SC_NS_TIME];
	if (!cgroupns)
		c->proc.ns[SC_NS_CGROUP] = c->proc.host_ns[SC_NS_CGROUP];
	if (!userns)
		c->proc.ns[SC_NS_USER] = c->proc.host_ns[SC_NS_USER];
}

/* A unified host (cgroup2 with nsdelegate) and a container whose root is
 * host uid 100000, in /user.slice/ctr, owning it, controllers enabled. */
static void world_init(struct world *w)
{
	struct sc_cgroup_mount *m;
	struct sc_inside_hierarchy *h;

	*w = (struct world){};
	w->host.cgroup.mode = SC_CG_UNIFIED;
	w->host.cgroup.v2_path = sc_xstrdup("/sys/fs/cgroup");
	w->host.cgroup.v2_controllers = sc_strv_split("cpuset cpu io memory pids", " ");
	w->host.cgroup.delegate =
		sc_strv_split("cgroup.procs cgroup.threads cgroup.subtree_control", " ");
	m = SC_APPEND(w->host.cgroup.mounts, w->host.cgroup.n_mounts);
	m->mountpoint = sc_xstrdup("/sys/fs/cgroup");
	m->root = sc_xstrdup("/");
	m->source = sc_xstrdup("cgroup2");
	m->version = 2;
	m->nsdelegate = true;
	m->controllers = sc_xcalloc(1, sizeof(char *));
	m->options = sc_xstrdup("rw");
	m->super_options = sc_xstrdup("rw,nsdelegate");

	struct sc_container_facts *c = &w->c;
	c->ref.runtime = SC_RT_PODMAN;
	c->ref.id = sc_xstrdup("abc");
	c->proc.pid = 4242;
	c->proc.caps_known = true;
	c->proc.cap_eff = 0xa80425fbULL;
	set_ns(c, true, true);
	c->root_mapped = true;
	c->root_uid = 100000;
	c->userns = true;
	c->cg2_path = sc_xstrdup("/user.slice/ctr");
	c->cg2_host_dir = sc_xstrdup("/sys/fs/cgroup/user.slice/ctr");
	c->cg2_controllers = sc_strv_split("cpuset cpu io memory pids", " ");
	c->cg2_type = sc_xstrdup("domain");
	c->cg2_stat_known = true;
	c->cg2_uid = 100000;
	c->cg2_gid = 100000;
	c->cg2_delegate_not_owned = sc_xcalloc(1, sizeof(char *));
	struct sc_cgroup_ancestor *a = SC_APPEND(c->chain, c->n_chain);
	a->path = sc_xstrdup("/");
	a->subtree_control = sc_strv_split("cpuset cpu io memory pids", " ");
	a = SC_APPEND(c->chain, c->n_chain);
	a->path = sc_xstrdup("/user.slice");
	a->subtree_control = sc_strv_split("cpuset cpu io memory pids", " ");

	struct sc_cgroup_line *l = SC_APPEND(c->proc.cgroups, c->proc.n_cgroups);
	l->controllers = sc_xstrdup("");
	l->path = sc_xstrdup("/user.slice/ctr");

	c->inside_ok = true;
	c->inside.cgroup.mode = SC_CG_UNIFIED;
	h = SC_APPEND(c->inside.hier, c->inside.n_hier);
	h->controllers = sc_xstrdup("");
	h->cgroup = sc_xstrdup("/");
	h->mountpoint = sc_xstrdup("/sys/fs/cgroup");
	h->mount_root = sc_xstrdup("/");
	h->dir = sc_xstrdup("/sys/fs/cgroup");
	h->visible = true;
	h->own = false;
	l = SC_APPEND(c->inside.pid1_cgroups, c->inside.n_pid1_cgroups);
	l->controllers = sc_xstrdup("");
	l->path = sc_xstrdup("/");
}

static void world_done(struct world *w)
{
	sc_container_facts_done(&w->c);
	sc_host_facts_done(&w->host);
}

static enum sc_status status(struct world *w, const char *id, char **ret_summary)
{
	struct sc_container_check_input in = { &w->host, &w->c };
	struct sc_report r;
	enum sc_status s = _SC_STATUS_MAX;

	sc_report_init(&r, "container");
	sc_report_run(&r, sc_container_checks, &in);
	for (size_t i = 0; i < r.n_checks; i++)
		if (streq(r.checks[i].id, id)) {
			s = r.checks[i].status;
			if (ret_summary)
				*ret_summary = sc_xstrdup(r.checks[i].summary);
		}
	sc_report_done(&r);
	cr_assert_neq(s, _SC_STATUS_MAX, "no check %s", id);
	return s;
}

#define EXPECT(id, st)                                                        \
	do {                                                                  \
		_cleanup_free_ char *_s = NULL;                               \
		enum sc_status _got = status(&w, id, &_s);                    \
		cr_expect_eq(_got, st, "line %d: %s is %s: %s", __LINE__, id, \
			     sc_status_to_string(_got), _s);                  \
	} while (0)

Test(checks_container, delegated_rootless_container_passes)
{
	struct world w;

	world_init(&w);
	EXPECT("container.is-container", SC_PASS);
	EXPECT("container.probe", SC_PASS);
	EXPECT("container.cgroupns", SC_PASS);
	EXPECT("container.cgroup-visible", SC_PASS);
	EXPECT("delegation.controllers", SC_PASS);
	EXPECT("delegation.owner", SC_PASS);
	EXPECT("delegation.cgroup-type", SC_PASS);
	EXPECT("delegation.writable", SC_PASS);
	EXPECT("delegation.nsdelegate", SC_PASS);
	EXPECT("delegation.v1", SC_SKIP);
	world_done(&w);
}

Test(checks_container, missing_controllers_name_the_ancestor)
{
	struct world w;
	_cleanup_free_ char *s = NULL;

	world_init(&w);
	/* user.slice does not pass memory and io down. */
	sc_strv_free(w.c.chain[1].subtree_control);
	w.c.chain[1].subtree_control = sc_strv_split("cpu pids", " ");
	sc_strv_free(w.c.cg2_controllers);
	w.c.cg2_controllers = sc_strv_split("cpu pids", " ");
	EXPECT("delegation.controllers", SC_WARN);
	status(&w, "delegation.controllers", &s);
	cr_assert(strstr(s, "io") && strstr(s, "memory") && strstr(s, "cpuset"), "%s", s);
	world_done(&w);
}

/* A systemd that runs in the container made init.scope with memory and
 * pids: the container's cgroup is its namespace's root, given all five
 * (tests/vm/FINDINGS.md D1: this warned "cpu io cpuset not delegated"). */
Test(checks_container, booted_systemd_is_judged_at_its_root)
{
	struct world w;
	struct sc_cgroup_ancestor *a;
	_cleanup_free_ char *s = NULL;

	world_init(&w);
	free(w.c.cg2_path);
	w.c.cg2_path = sc_xstrdup("/user.slice/ctr/init.scope");
	sc_strv_free(w.c.cg2_controllers);
	w.c.cg2_controllers = sc_strv_split("memory pids", " ");
	a = SC_APPEND(w.c.chain, w.c.n_chain);
	a->path = sc_xstrdup("/user.slice/ctr");
	a->subtree_control = sc_strv_split("memory pids", " ");
	free(w.c.inside.pid1_cgroups[0].path);
	w.c.inside.pid1_cgroups[0].path = sc_xstrdup("/init.scope");
	EXPECT("delegation.controllers", SC_PASS);
	/* Without the namespace (PID 1's path the same inside), init.scope
	 * is all there is to judge. */
	free(w.c.inside.pid1_cgroups[0].path);
	w.c.inside.pid1_cgroups[0].path = sc_xstrdup("/user.slice/ctr/init.scope");
	EXPECT("delegation.controllers", SC_WARN);
	status(&w, "delegation.controllers", &s);
	cr_assert(strstr(s, "cpuset") && strstr(s, "io"), "%s", s);
	/* The root not given them: a warning at the root. */
	free(w.c.inside.pid1_cgroups[0].path);
	w.c.inside.pid1_cgroups[0].path = sc_xstrdup("/init.scope");
	sc_strv_free(w.c.chain[1].subtree_control);
	w.c.chain[1].subtree_control = sc_strv_split("cpu memory pids", " ");
	EXPECT("delegation.controllers", SC_WARN);
	world_done(&w);
}

Test(checks_container, owner_mismatch)
{
	struct world w;

	world_init(&w);
	/* The runtime left the cgroup owned by host root (docs/boot-rules.md#r8). */
	w.c.cg2_uid = 0;
	EXPECT("delegation.owner", SC_FAIL);
	EXPECT("delegation.writable", SC_WARN);
	/* Without a user namespace the same is only a warning. */
	w.c.userns = false;
	EXPECT("delegation.owner", SC_WARN);
	/* Owned, but a delegate file is not. */
	w.c.cg2_uid = 100000;
	w.c.userns = true;
	sc_strv_push(&w.c.cg2_delegate_not_owned, "cgroup.subtree_control");
	EXPECT("delegation.owner", SC_WARN);
	/* Unknown id map: cannot judge. */
	w.c.root_mapped = false;
	EXPECT("delegation.owner", SC_ERROR);
	world_done(&w);
}

Test(checks_container, threaded_and_readonly)
{
	struct world w;

	world_init(&w);
	free(w.c.cg2_type);
	w.c.cg2_type = sc_xstrdup("domain threaded");
	EXPECT("delegation.cgroup-type", SC_FAIL);
	free(w.c.cg2_type);
	w.c.cg2_type = NULL;
	EXPECT("delegation.cgroup-type", SC_SKIP);
	w.c.inside.hier[0].read_only = true;
	EXPECT("delegation.writable", SC_WARN);
	w.c.inside.hier[0].read_only = false;
	w.c.inside.hier[0].visible = false;
	EXPECT("delegation.writable", SC_WARN);
	EXPECT("container.cgroup-visible", SC_FAIL);
	free(w.c.inside.hier[0].mountpoint);
	w.c.inside.hier[0].mountpoint = NULL;
	EXPECT("container.cgroup-visible", SC_WARN);
	EXPECT("delegation.writable", SC_WARN);
	world_done(&w);
}

Test(checks_container, host_cgroupns)
{
	struct world w;

	world_init(&w);
	set_ns(&w.c, false, true);
	EXPECT("container.cgroupns", SC_WARN);
	EXPECT("delegation.nsdelegate", SC_INFO);
	w.host.cgroup.mode = SC_CG_HYBRID;
	EXPECT("container.cgroupns", SC_INFO);
	world_done(&w);
}

Test(checks_container, not_a_container_and_no_inside)
{
	struct world w;

	world_init(&w);
	w.c.proc.ns[SC_NS_PID] = w.c.proc.host_ns[SC_NS_PID];
	w.c.proc.ns[SC_NS_MNT] = w.c.proc.host_ns[SC_NS_MNT];
	EXPECT("container.is-container", SC_FAIL);
	EXPECT("delegation.owner", SC_SKIP);
	set_ns(&w.c, true, true);
	w.c.inside_ok = false;
	w.c.inside_error = sc_xstrdup("timed out");
	EXPECT("container.probe", SC_ERROR);
	EXPECT("delegation.writable", SC_ERROR);
	/* Checks that need only the outside still judge. */
	EXPECT("delegation.owner", SC_PASS);
	/* Keep sc_container_facts_done() from freeing the inside twice. */
	w.c.inside_ok = true;
	world_done(&w);
}

Test(checks_container, timed_out_reads_are_errors)
{
	struct world w;
	_cleanup_free_ char *s = NULL;

	world_init(&w);
	w.c.timed_out = sc_strv_split("/proc/meminfo /proc/stat", " ");
	EXPECT("container.probe", SC_ERROR);
	status(&w, "container.probe", &s);
	cr_assert(strstr(s, "/proc/meminfo, /proc/stat"), "%s", s);
	world_done(&w);
}

Test(checks_container, v1_hierarchies)
{
	struct world w;
	struct sc_inside_hierarchy *h;
	struct sc_cgroup_line *l;

	world_init(&w);
	w.host.cgroup.mode = SC_CG_LEGACY;
	w.c.inside.cgroup.mode = SC_CG_LEGACY;
	h = SC_APPEND(w.c.inside.hier, w.c.inside.n_hier);
	h->hierarchy = 4;
	h->controllers = sc_xstrdup("memory");
	h->cgroup = sc_xstrdup("/");
	h->mountpoint = sc_xstrdup("/sys/fs/cgroup/memory");
	h->mount_root = sc_xstrdup("/");
	h->dir = sc_xstrdup("/sys/fs/cgroup/memory");
	h->visible = true;
	h->read_only = true;
	l = SC_APPEND(w.c.proc.cgroups, w.c.proc.n_cgroups);
	l->hierarchy = 4;
	l->controllers = sc_xstrdup("memory");
	l->path = sc_xstrdup("/ctr");
	EXPECT("delegation.v1", SC_WARN);
	h->read_only = false;
	EXPECT("delegation.v1", SC_PASS);
	/* The host's root cgroup is nobody's own. */
	free(l->path);
	l->path = sc_xstrdup("/");
	EXPECT("delegation.v1", SC_WARN);
	/* Nothing mounted inside is nothing delegated, even in its own
	 * cgroup (FINDINGS D2: it passed). */
	free(l->path);
	l->path = sc_xstrdup("/ctr");
	free(h->mountpoint);
	h->mountpoint = NULL;
	EXPECT("delegation.v1", SC_WARN);
	/* With cgroup2 alone inside, the v1 hierarchies do not count. */
	w.c.inside.cgroup.mode = SC_CG_UNIFIED;
	EXPECT("delegation.v1", SC_SKIP);
	/* Mounted beside cgroup2 on /sys/fs/cgroup (OpenRC unified, the
	 * host's tree bound in, FINDINGS D4): systemd does not use them,
	 * the host's root cgroup or not; legacy inside, the same is a warn. */
	h->mountpoint = sc_xstrdup("/sys/fs/cgroup/memory");
	free(l->path);
	l->path = sc_xstrdup("/");
	{
		_cleanup_free_ char *s = NULL;

		EXPECT("delegation.v1", SC_INFO);
		status(&w, "delegation.v1", &s);
		cr_assert(strstr(s, "systemd uses none of the 1 v1 hierarchies") &&
				  strstr(s, "root cgroup of: memory"),
			  "%s", s);
	}
	free(l->path);
	l->path = sc_xstrdup("/ctr");
	EXPECT("delegation.v1", SC_INFO);
	w.c.inside.cgroup.mode = SC_CG_HYBRID;
	EXPECT("delegation.v1", SC_PASS);
	free(l->path);
	l->path = sc_xstrdup("/");
	EXPECT("delegation.v1", SC_WARN);
	world_done(&w);
}
