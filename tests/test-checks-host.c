/* SPDX-License-Identifier: MIT */
/* The host rules on hand-built facts: each rule fires when it should and
 * stays quiet when it should not. No kernel, no files. */
#include <criterion/criterion.h>

#include "report.h"
#include "util.h"

/* A minimal, consistent host: pure cgroup v2 with nsdelegate, systemd. */
static void base_facts(struct sc_host_facts *f)
{
	*f = (struct sc_host_facts){};
	f->root_path = sc_xstrdup("/");
	f->kernel_release = sc_xstrdup("6.1.0-18-amd64");
	f->kernel_major = 6;
	f->kernel_minor = 1;
	f->cgroup.fs_root = (struct sc_statfs_fact){ "/sys/fs/cgroup", SC_CGROUP2_SUPER_MAGIC, 0 };
	f->cgroup.fs_unified = (struct sc_statfs_fact){ "/sys/fs/cgroup/unified", 0, ENOENT };
	f->cgroup.fs_systemd = (struct sc_statfs_fact){ "/sys/fs/cgroup/systemd", 0, ENOENT };
	f->cgroup.mode = SC_CG_UNIFIED;
	f->cgroup.v2_path = sc_xstrdup("/sys/fs/cgroup");
	f->cgroup.v2_controllers =
		sc_strv_split("cpuset cpu io memory hugetlb pids rdma misc", " ");
	f->cgroup.v2_subtree_control = sc_strv_split("cpu memory pids", " ");
	f->cgroup.features = sc_strv_split("nsdelegate memory_recursiveprot", " ");
	f->cgroup.swap_accounting = SC_YES;
	f->cgroup.in_cgroupns = SC_NO;

	struct sc_cgroup_mount *m = SC_APPEND(f->cgroup.mounts, f->cgroup.n_mounts);
	m->mountpoint = sc_xstrdup("/sys/fs/cgroup");
	m->root = sc_xstrdup("/");
	m->source = sc_xstrdup("cgroup2");
	m->version = 2;
	m->nsdelegate = true;
	m->controllers = sc_xcalloc(1, sizeof(char *));
	m->options = sc_xstrdup("rw");
	m->super_options = sc_xstrdup("rw,nsdelegate");

	static const char *const v2[] = { "cpuset", "cpu", "io", "memory", "pids" };
	for (size_t i = 0; i < ELEMENTSOF(v2); i++) {
		struct sc_controller *c = SC_APPEND(f->cgroup.controllers, f->cgroup.n_controllers);
		c->name = sc_xstrdup(streq(v2[i], "io") ? "blkio" : v2[i]);
		c->v2_name = sc_xstrdup(v2[i]);
		c->where = SC_CTRL_V2;
		c->hierarchy = 0;
		c->enabled = 1;
		c->num_cgroups = 1;
		c->v2_available = true;
		c->co_mounted = sc_xcalloc(1, sizeof(char *));
	}
	for (int t = 0; t < _SC_NS_MAX; t++) {
		f->ns[t].supported = true;
		f->ns[t].initial = sc_ns_initial_inode(t) ? SC_YES : SC_UNKNOWN;
		f->ns[t].inode = sc_ns_initial_inode(t);
	}
	f->max_user_namespaces = 63000;
	f->pid1_name = sc_xstrdup("systemd");
	f->systemd_running = SC_YES;
	f->init_system = sc_xstrdup("systemd");
	f->lxcfs_mountpoints = sc_xcalloc(1, sizeof(char *));
	f->container = sc_xstrdup("none");
	f->container_evidence = sc_xstrdup("test");
	f->ns_says_container = SC_NO;
}

static void make_hybrid(struct sc_host_facts *f)
{
	f->cgroup.fs_root.magic = SC_TMPFS_MAGIC;
	f->cgroup.fs_unified =
		(struct sc_statfs_fact){ "/sys/fs/cgroup/unified", SC_CGROUP2_SUPER_MAGIC, 0 };
	f->cgroup.mode = SC_CG_HYBRID;
	free(f->cgroup.v2_path);
	f->cgroup.v2_path = sc_xstrdup("/sys/fs/cgroup/unified");
	free(f->cgroup.mounts[0].mountpoint);
	f->cgroup.mounts[0].mountpoint = sc_xstrdup("/sys/fs/cgroup/unified");
	f->cgroup.mounts[0].nsdelegate = false;
	sc_strv_free(f->cgroup.v2_controllers);
	f->cgroup.v2_controllers = sc_strv_split("hugetlb", " ");
	for (size_t i = 0; i < f->cgroup.n_controllers; i++) {
		struct sc_controller *c = &f->cgroup.controllers[i];
		c->where = SC_CTRL_V1;
		c->hierarchy = (int)i + 1;
		c->v2_available = false;
		c->v1_mountpoint = sc_xasprintf("/sys/fs/cgroup/%s", c->name);
	}
}

static struct sc_controller *ctl(struct sc_host_facts *f, const char *name)
{
	return (struct sc_controller *)sc_cgroup_find_controller(&f->cgroup, name);
}

/* Runs the whole host table and returns the result of one id. */
static const struct sc_check *run(struct sc_report *r, struct sc_host_facts *f, const char *id)
{
	sc_report_init(r, "host");
	sc_report_run(r, sc_host_checks, f);
	for (size_t i = 0; i < r->n_checks; i++)
		if (streq(r->checks[i].id, id))
			return &r->checks[i];
	cr_assert_fail("no check %s", id);
	return NULL;
}

static void expect_check(struct sc_host_facts *f, const char *id, enum sc_status st,
			 const char *needle, int line)
{
	struct sc_report r;
	const struct sc_check *c = run(&r, f, id);

	cr_expect_eq(c->status, st, "line %d: %s: got %s: %s", line, id,
		     sc_status_to_string(c->status), c->summary);
	if (needle)
		cr_expect(strstr(c->summary, needle), "line %d: %s summary \"%s\" lacks \"%s\"",
			  line, id, c->summary, needle);
	sc_report_done(&r);
}

#define EXPECT(id, st, needle) expect_check(&f, id, st, needle, __LINE__)

Test(checks_host, unified_host_all_pass)
{
	struct sc_host_facts f;
	struct sc_report r;
	struct sc_summary s;

	base_facts(&f);
	sc_report_init(&r, "host");
	sc_report_run(&r, sc_host_checks, &f);
	sc_report_summary(&r, &s);
	for (size_t i = 0; i < r.n_checks; i++)
		cr_expect(r.checks[i].status == SC_PASS || r.checks[i].status == SC_INFO ||
				  r.checks[i].status == SC_SKIP,
			  "%s: %s", r.checks[i].id, r.checks[i].summary);
	cr_assert_eq(sc_report_exit_code(&r, true), 0);
	sc_report_done(&r);
	sc_host_facts_done(&f);
}

Test(checks_host, mode_verdicts)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("cgroup.mode", SC_PASS, "unified");
	make_hybrid(&f);
	EXPECT("cgroup.mode", SC_WARN, "systemd >= 258");
	f.cgroup.mode = SC_CG_LEGACY;
	EXPECT("cgroup.mode", SC_WARN, "legacy");
	f.cgroup.mode = SC_CG_NONE;
	EXPECT("cgroup.mode", SC_FAIL, "No filesystem is currently mounted on /sys/fs/cgroup.");
	f.cgroup.mode = SC_CG_UNSUPPORTED_V1;
	EXPECT("cgroup.mode", SC_FAIL, "name=systemd hierarchy not found");
	f.cgroup.mode = SC_CG_V1_ON_ROOT;
	EXPECT("cgroup.mode", SC_FAIL, "Unknown filesystem type 27e0eb");
	f.cgroup.mode = SC_CG_UNKNOWN;
	EXPECT("cgroup.mode", SC_ERROR, NULL);
	sc_host_facts_done(&f);
}

Test(checks_host, mode_remedy_follows_init_system)
{
	struct sc_host_facts f;
	struct sc_report r;
	const struct sc_check *c;

	base_facts(&f);
	make_hybrid(&f);
	c = run(&r, &f, "cgroup.mode");
	cr_assert(strstr(c->remedy, "systemd.unified_cgroup_hierarchy=1"));
	sc_report_done(&r);
	f.systemd_running = SC_NO;
	free(f.init_system);
	f.init_system = sc_xstrdup("openrc");
	c = run(&r, &f, "cgroup.mode");
	cr_assert(strstr(c->remedy, "rc_cgroup_mode"));
	sc_report_done(&r);
	sc_host_facts_done(&f);
}

Test(checks_host, hybrid_v2_controllers)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("cgroup.hybrid-v2-controllers", SC_SKIP, NULL);
	make_hybrid(&f);
	EXPECT("cgroup.hybrid-v2-controllers", SC_WARN, "hugetlb");
	sc_strv_free(f.cgroup.v2_controllers);
	f.cgroup.v2_controllers = sc_xcalloc(1, sizeof(char *));
	EXPECT("cgroup.hybrid-v2-controllers", SC_PASS, NULL);
	sc_strv_free(f.cgroup.v2_controllers);
	f.cgroup.v2_controllers = NULL;
	EXPECT("cgroup.hybrid-v2-controllers", SC_ERROR, NULL);
	sc_host_facts_done(&f);
}

Test(checks_host, name_systemd)
{
	struct sc_host_facts f;
	struct sc_cgroup_mount *m;

	base_facts(&f);
	EXPECT("cgroup.name-systemd", SC_SKIP, NULL);
	make_hybrid(&f);
	EXPECT("cgroup.name-systemd", SC_WARN, "Failed to mount cgroup at /sys/fs/cgroup/systemd");
	m = SC_APPEND(f.cgroup.mounts, f.cgroup.n_mounts);
	m->mountpoint = sc_xstrdup("/sys/fs/cgroup/systemd");
	m->root = sc_xstrdup("/");
	m->source = sc_xstrdup("cgroup");
	m->version = 1;
	m->name = sc_xstrdup("systemd");
	m->controllers = sc_xcalloc(1, sizeof(char *));
	m->options = sc_xstrdup("rw");
	m->super_options = sc_xstrdup("rw,xattr,name=systemd");
	EXPECT("cgroup.name-systemd", SC_PASS, "/sys/fs/cgroup/systemd");
	sc_host_facts_done(&f);
}

Test(checks_host, controllers)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("controllers.memory", SC_PASS, "cgroup v2");
	EXPECT("controllers.io", SC_PASS, "io: cgroup v2");
	ctl(&f, "memory")->where = SC_CTRL_UNBOUND;
	EXPECT("controllers.memory", SC_FAIL, "memory limits");
	ctl(&f, "cpuset")->where = SC_CTRL_UNBOUND;
	EXPECT("controllers.cpuset", SC_WARN, NULL);
	ctl(&f, "pids")->where = SC_CTRL_DISABLED;
	EXPECT("controllers.pids", SC_FAIL, "disabled");

	make_hybrid(&f);
	EXPECT("controllers.cpu", SC_PASS, "hierarchy");
	ctl(&f, "cpu")->where = SC_CTRL_V2;
	EXPECT("controllers.cpu", SC_WARN, "runc and Docker");
	ctl(&f, "cpu")->where = SC_CTRL_V1_UNMOUNTED;
	EXPECT("controllers.cpu", SC_FAIL, "not mounted");
	sc_host_facts_done(&f);
}

Test(checks_host, controller_absent_and_unreadable)
{
	struct sc_host_facts f;

	base_facts(&f);
	/* Drop the pids row: the kernel lacks the controller. */
	f.cgroup.n_controllers--;
	{
		struct sc_controller *c = &f.cgroup.controllers[f.cgroup.n_controllers];
		free(c->name);
		free(c->v2_name);
		sc_strv_free(c->co_mounted);
	}
	EXPECT("controllers.pids", SC_FAIL, "not in this kernel");
	f.cgroup.proc_cgroups_err = EACCES;
	sc_strv_free(f.cgroup.v2_controllers);
	f.cgroup.v2_controllers = NULL;
	EXPECT("controllers.pids", SC_ERROR, NULL);
	sc_host_facts_done(&f);
}

Test(checks_host, nsdelegate_and_swap)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("cgroup.nsdelegate", SC_PASS, NULL);
	f.cgroup.mounts[0].nsdelegate = false;
	EXPECT("cgroup.nsdelegate", SC_WARN, NULL);
	make_hybrid(&f);
	EXPECT("cgroup.nsdelegate", SC_INFO, NULL);
	f.cgroup.mode = SC_CG_LEGACY;
	free(f.cgroup.v2_path);
	f.cgroup.v2_path = NULL;
	EXPECT("cgroup.nsdelegate", SC_SKIP, NULL);

	EXPECT("memory.swap-accounting", SC_PASS, NULL);
	f.cgroup.swap_accounting = SC_NO;
	EXPECT("memory.swap-accounting", SC_WARN, "--memory-swap");
	f.cgroup.swap_accounting = SC_UNKNOWN;
	EXPECT("memory.swap-accounting", SC_INFO, NULL);
	sc_host_facts_done(&f);
}

Test(checks_host, namespaces)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("namespaces.cgroup", SC_PASS, NULL);
	EXPECT("namespaces.user", SC_PASS, "63000");
	f.max_user_namespaces = 0;
	EXPECT("namespaces.user", SC_WARN, "disabled");
	f.ns[SC_NS_USER].supported = false;
	EXPECT("namespaces.user", SC_WARN, "no user namespaces");
	f.ns[SC_NS_CGROUP].supported = false;
	EXPECT("namespaces.cgroup", SC_FAIL, NULL);
	make_hybrid(&f);
	EXPECT("namespaces.cgroup", SC_WARN, NULL);
	sc_host_facts_done(&f);
}

Test(checks_host, in_container)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("host.in-container", SC_PASS, NULL);
	free(f.container);
	f.container = sc_xstrdup("docker");
	EXPECT("host.in-container", SC_INFO, "not a container");
	f.ns_says_container = SC_YES;
	EXPECT("host.in-container", SC_INFO, "inside a container (docker)");
	sc_host_facts_done(&f);
}

Test(checks_host, init_and_kernel_and_writable)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("host.init", SC_PASS, NULL);
	f.systemd_running = SC_NO;
	free(f.init_system);
	f.init_system = sc_xstrdup("other");
	EXPECT("host.init", SC_INFO, "cgroupfs driver");

	EXPECT("kernel.version", SC_PASS, NULL);
	f.kernel_major = 4;
	f.kernel_minor = 19;
	EXPECT("kernel.version", SC_WARN, "5.4");
	f.kernel_major = 3;
	f.kernel_minor = 10;
	EXPECT("kernel.version", SC_WARN, "4.15");

	EXPECT("cgroup.writable", SC_PASS, NULL);
	f.cgroup.mounts[0].read_only = true;
	EXPECT("cgroup.writable", SC_FAIL, "read-only");
	sc_host_facts_done(&f);
}

Test(checks_host, lxcfs)
{
	struct sc_host_facts f;

	base_facts(&f);
	EXPECT("lxcfs.mounted", SC_INFO, "not running");
	sc_strv_push(&f.lxcfs_mountpoints, "/var/lib/lxcfs");
	EXPECT("lxcfs.mounted", SC_INFO, "/var/lib/lxcfs");
	sc_host_facts_done(&f);
}

static void silent_rule(const void *p, struct sc_check *c)
{
	(void)p;
	(void)c;
}

Test(report, rule_without_result_is_an_error)
{
	static const struct sc_check_def table[] = {
		{ "test.silent", "test", "a rule that forgets", "none", silent_rule },
		{},
	};
	struct sc_report r;

	sc_report_init(&r, "test");
	sc_report_run(&r, table, NULL);
	cr_assert_eq(r.n_checks, 1);
	cr_assert_eq(r.checks[0].status, SC_ERROR);
	cr_assert_eq(sc_report_exit_code(&r, false), 1);
	sc_report_done(&r);
}

Test(report, exit_codes_strict_and_ignore)
{
	struct sc_host_facts f;
	struct sc_report r;
	char *ign[] = { "cgroup.*", "controllers.io", "boot.*", NULL };
	struct sc_summary s;

	base_facts(&f);
	make_hybrid(&f); /* warns: mode, hybrid-v2-controllers, name-systemd */
	sc_report_init(&r, "host");
	sc_report_run(&r, sc_host_checks, &f);
	cr_assert_eq(sc_report_exit_code(&r, false), 0);
	cr_assert_eq(sc_report_exit_code(&r, true), 1);
	sc_report_ignore(&r, ign);
	cr_assert_eq(sc_report_exit_code(&r, true), 0);
	sc_report_summary(&r, &s);
	cr_assert_eq(s.ignored, 7);
	sc_report_done(&r);
	sc_host_facts_done(&f);

	cr_assert(sc_check_pattern_known("cgroup.mode"));
	cr_assert(sc_check_pattern_known("controllers.*"));
	cr_assert_not(sc_check_pattern_known("cgroup.nope"));
}
