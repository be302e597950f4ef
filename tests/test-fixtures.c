/* SPDX-License-Identifier: MIT */
/* The host probe against fixture trees modelled on real machines
 * (tests/fixtures/README.md says where each layout comes from): the facts
 * it derives must be the ones documented there. */
#include <criterion/criterion.h>

#include "host.h"
#include "report.h"
#include "testlib.h"
#include "util.h"

static void probe(const char *dir, struct sc_host_facts *f)
{
	_cleanup_root_ struct sc_root *r = NULL;

	cr_assert_eq(sc_root_open(dir, 0, &r), 0, "%s", dir);
	cr_assert_eq(sc_host_probe(r, f), 0, "%s", dir);
}

static void expect_where(const struct sc_host_facts *f, const char *name, enum sc_ctrl_where w)
{
	const struct sc_controller *c = sc_cgroup_find_controller(&f->cgroup, name);

	cr_assert_not_null(c, "no controller %s", name);
	cr_expect_eq(c->where, w, "%s: %s, expected %s", name, sc_ctrl_where_to_string(c->where),
		     sc_ctrl_where_to_string(w));
}

static enum sc_status status_of(const struct sc_host_facts *f, const char *id)
{
	struct sc_report r;
	enum sc_status s = _SC_STATUS_MAX;

	sc_report_init(&r, "host");
	sc_report_run(&r, sc_host_checks, f);
	for (size_t i = 0; i < r.n_checks; i++)
		if (streq(r.checks[i].id, id))
			s = r.checks[i].status;
	/* sc_report_done() frees r.host; it is NULL here. */
	sc_report_done(&r);
	return s;
}

Test(fixtures, this_machine)
{
	struct sc_host_facts f;

	probe(FIXTURE("this-machine"), &f);
	cr_assert_eq(f.cgroup.mode, SC_CG_HYBRID);
	cr_assert_str_eq(f.cgroup.v2_path, "/sys/fs/cgroup/unified");
	/* docs/design.md#the-test-host: hugetlb on cgroup2; net_cls, perf_event, net_prio
	 * bound to no v1 hierarchy (podman info calls them all v1). */
	expect_where(&f, "hugetlb", SC_CTRL_V2);
	expect_where(&f, "net_cls", SC_CTRL_UNBOUND);
	expect_where(&f, "perf_event", SC_CTRL_UNBOUND);
	expect_where(&f, "net_prio", SC_CTRL_UNBOUND);
	static const char *const v1[] = { "cpu",     "cpuacct", "cpuset", "memory",
					  "devices", "freezer", "blkio",  "pids" };
	for (size_t i = 0; i < ELEMENTSOF(v1); i++)
		expect_where(&f, v1[i], SC_CTRL_V1);
	cr_assert_str_eq(sc_cgroup_find_controller(&f.cgroup, "memory")->v1_mountpoint,
			 "/sys/fs/cgroup/memory");
	cr_assert_eq(f.cgroup.n_mounts, 10);
	cr_assert_eq(f.systemd_running, SC_NO);
	cr_assert_str_eq(f.pid1_name, "process_api");
	cr_assert_str_eq(f.init_system, "other");
	cr_assert_eq(f.cgroup.swap_accounting, SC_YES);
	/* /.dockerenv fools systemd-detect-virt; the namespaces do not. */
	cr_assert_str_eq(f.container, "docker");
	cr_assert_eq(f.ns_says_container, SC_NO);
	cr_assert_eq(status_of(&f, "cgroup.mode"), SC_WARN);
	cr_assert_eq(status_of(&f, "cgroup.hybrid-v2-controllers"), SC_WARN);
	cr_assert_eq(status_of(&f, "cgroup.name-systemd"), SC_PASS);
	sc_host_facts_done(&f);
}

Test(fixtures, debian12_v2)
{
	struct sc_host_facts f;
	const struct sc_cgroup_mount *m;

	probe(FIXTURE("debian12-v2"), &f);
	cr_assert_eq(f.cgroup.mode, SC_CG_UNIFIED);
	cr_assert_eq(f.cgroup.n_mounts, 1);
	m = &f.cgroup.mounts[0];
	cr_assert_str_eq(m->mountpoint, "/sys/fs/cgroup");
	cr_assert_eq(m->version, 2);
	cr_assert(m->nsdelegate);
	cr_assert(m->memory_recursiveprot);
	cr_assert_not(m->read_only);
	static const char *const v2[] = { "cpuset", "cpu", "io", "memory", "hugetlb", "pids" };
	for (size_t i = 0; i < ELEMENTSOF(v2); i++)
		expect_where(&f, v2[i], SC_CTRL_V2);
	cr_assert(sc_cgroup_find_controller(&f.cgroup, "memory")->v2_enabled);
	cr_assert_not(sc_cgroup_find_controller(&f.cgroup, "hugetlb")->v2_enabled);
	cr_assert(sc_strv_contains(f.cgroup.features, "memory_recursiveprot"));
	cr_assert(sc_strv_contains(f.cgroup.delegate, "memory.reclaim"));
	cr_assert_eq(f.cgroup.swap_accounting, SC_YES);
	cr_assert_eq(f.cgroup.in_cgroupns, SC_NO);
	cr_assert_eq(f.systemd_running, SC_YES);
	cr_assert_str_eq(f.init_system, "systemd");
	cr_assert_eq(f.ns[SC_NS_CGROUP].initial, SC_YES);
	cr_assert_eq(f.ns[SC_NS_TIME].supported, true);
	cr_assert_eq(f.max_user_namespaces, 31503);
	cr_assert_str_eq(f.container, "none");
	cr_assert_eq(f.cgroup.n_oddities, 0);
	cr_assert_eq(status_of(&f, "cgroup.mode"), SC_PASS);
	cr_assert_eq(status_of(&f, "cgroup.nsdelegate"), SC_PASS);
	cr_assert_eq(status_of(&f, "cgroup.hybrid-v2-controllers"), SC_SKIP);
	sc_host_facts_done(&f);
}

Test(fixtures, ubuntu2004_hybrid)
{
	struct sc_host_facts f;
	const struct sc_controller *cpu, *cls;

	probe(FIXTURE("ubuntu2004-hybrid"), &f);
	cr_assert_eq(f.cgroup.mode, SC_CG_HYBRID);
	cr_assert_eq(f.kernel_major, 5);
	cr_assert_eq(f.kernel_minor, 4);
	/* Co-mounted hierarchies keep their partner. */
	cpu = sc_cgroup_find_controller(&f.cgroup, "cpu");
	cr_assert_eq(cpu->where, SC_CTRL_V1);
	cr_assert_str_eq(cpu->v1_mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
	cr_assert(sc_strv_contains(cpu->co_mounted, "cpuacct"));
	cls = sc_cgroup_find_controller(&f.cgroup, "net_cls");
	cr_assert(sc_strv_contains(cls->co_mounted, "net_prio"));
	cr_assert_eq(sc_strv_length(f.cgroup.v2_controllers), 0);
	cr_assert_eq(f.cgroup.swap_accounting, SC_NO);
	cr_assert_eq(f.ns[SC_NS_TIME].supported, false, "no time namespaces on 5.4");
	/* The tmpfs is read-only on Ubuntu, the hierarchies are not. */
	cr_assert_eq(status_of(&f, "cgroup.writable"), SC_PASS);
	cr_assert_eq(status_of(&f, "cgroup.hybrid-v2-controllers"), SC_PASS);
	cr_assert_eq(status_of(&f, "memory.swap-accounting"), SC_WARN);
	cr_assert_eq(status_of(&f, "cgroup.name-systemd"), SC_PASS);
	cr_assert_eq(f.systemd_running, SC_YES);
	sc_host_facts_done(&f);
}

Test(fixtures, centos7_legacy)
{
	struct sc_host_facts f;

	probe(FIXTURE("centos7-legacy"), &f);
	cr_assert_eq(f.cgroup.mode, SC_CG_LEGACY);
	cr_assert_null(f.cgroup.v2_path);
	cr_assert_null(f.cgroup.features, "no /sys/kernel/cgroup on 3.10");
	/* The kernel prints co-mounts in its own order: cpuacct,cpu. */
	cr_assert_str_eq(sc_cgroup_find_controller(&f.cgroup, "cpu")->v1_mountpoint,
			 "/sys/fs/cgroup/cpu,cpuacct");
	expect_where(&f, "memory", SC_CTRL_V1);
	cr_assert_eq(f.ns[SC_NS_CGROUP].supported, false);
	cr_assert_eq(f.max_user_namespaces, 0);
	cr_assert_eq(f.cgroup.swap_accounting, SC_YES);
	cr_assert_eq(f.cgroup.in_cgroupns, SC_NO);
	cr_assert_eq(status_of(&f, "namespaces.cgroup"), SC_WARN);
	cr_assert_eq(status_of(&f, "namespaces.user"), SC_WARN);
	cr_assert_eq(status_of(&f, "kernel.version"), SC_WARN);
	cr_assert_eq(status_of(&f, "cgroup.nsdelegate"), SC_SKIP);
	sc_host_facts_done(&f);
}

Test(fixtures, alpine_openrc_hybrid)
{
	struct sc_host_facts f;

	probe(FIXTURE("alpine-openrc-hybrid"), &f);
	cr_assert_eq(f.cgroup.mode, SC_CG_HYBRID);
	cr_assert(sc_cgroup_has_oddity(&f.cgroup, "name_openrc_present"));
	cr_assert(sc_cgroup_has_oddity(&f.cgroup, "name_systemd_missing"));
	cr_assert_str_eq(f.init_system, "openrc");
	cr_assert_eq(f.systemd_running, SC_NO);
	expect_where(&f, "memory", SC_CTRL_V1);
	cr_assert_eq(status_of(&f, "cgroup.name-systemd"), SC_WARN);
	cr_assert_eq(status_of(&f, "host.init"), SC_INFO);
	sc_host_facts_done(&f);
}

Test(fixtures, no_cgroupfs)
{
	struct sc_host_facts f;

	probe(FIXTURE("no-cgroupfs"), &f);
	cr_assert_eq(f.cgroup.mode, SC_CG_NONE);
	cr_assert(sc_cgroup_has_oddity(&f.cgroup, "nothing_mounted"));
	cr_assert_eq(f.cgroup.n_mounts, 0);
	expect_where(&f, "memory", SC_CTRL_UNBOUND);
	cr_assert_eq(status_of(&f, "cgroup.mode"), SC_FAIL);
	cr_assert_eq(status_of(&f, "controllers.memory"), SC_FAIL);
	cr_assert_eq(status_of(&f, "cgroup.writable"), SC_SKIP);
	sc_host_facts_done(&f);
}

/* boot.host-versions runs the boot rules (checks-boot.c) over every span
 * of systemd versions they tell apart, on the /sys/fs/cgroup layouts a
 * runtime can give a container on the fixture host: its summary names
 * the verdict of each span and the rule ids that decided it. */
static void expect_host_versions(const char *fixture, enum sc_status st, const char *const *needles,
				 size_t n)
{
	_cleanup_free_ char *text = NULL;
	struct sc_host_facts f;
	struct sc_report r;
	const struct sc_check *c = NULL;

	probe(fixture, &f);
	sc_report_init(&r, "host");
	sc_report_run(&r, sc_host_checks, &f);
	for (size_t i = 0; i < r.n_checks; i++)
		if (streq(r.checks[i].id, "boot.host-versions"))
			c = &r.checks[i];
	cr_assert_not_null(c, "%s: no boot.host-versions", fixture);
	cr_expect_eq(c->status, st, "%s: boot.host-versions is %s: %s", fixture,
		     sc_status_to_string(c->status), c->summary);
	/* The summary line, then each piece of evidence as "what: value". */
	text = sc_xstrdup(c->summary);
	for (size_t i = 0; i < c->n_evidence; i++) {
		char *t =
			sc_xasprintf("%s\n%s: %s", text, c->evidence[i].what, c->evidence[i].value);
		free(text);
		text = t;
	}
	for (size_t i = 0; i < n; i++)
		cr_expect(strstr(text, needles[i]), "%s: boot.host-versions \"%s\" lacks \"%s\"",
			  fixture, text, needles[i]);
	sc_report_done(&r);
	sc_host_facts_done(&f);
}

Test(fixtures, boot_host_versions_unified)
{
	static const char *const v2[] = {
		"systemd >= 258 boots on cgroup2\n",
		"\ncgroup2 read-write, private cgroup namespace: systemd "
		"<= 229 fails (cgroup2-systemd-too-old), 230-252 boots, "
		"253.0 fails (systemd-253.0-fork), >= 253.1 boots",
	};

	expect_host_versions(FIXTURE("debian12-v2"), SC_PASS, v2, ELEMENTSOF(v2));
}

Test(fixtures, boot_host_versions_hybrid)
{
	static const char *const hybrid[] = {
		"systemd >= 258 fails on the v1 mount (cgroup-v1-removed), boots on cgroup2\n",
		"\nthe runtime's v1 mount (tmpfs, name=systemd read-write): systemd <= 252 boots, "
		"253.0 fails (systemd-253.0-fork), 253.1-255 boots, "
		"256.0-256.7 degraded (legacy-stall-256), 256.8-257 boots, "
		">= 258 fails (cgroup-v1-removed)",
		"\ncgroup2 read-write, private cgroup namespace: systemd <= 229 fails "
		"(cgroup2-systemd-too-old), 230-252 boots, 253.0 fails (systemd-253.0-fork), "
		">= 253.1 boots",
	};

	expect_host_versions(FIXTURE("ubuntu2004-hybrid"), SC_WARN, hybrid, ELEMENTSOF(hybrid));
}

Test(fixtures, boot_host_versions_legacy)
{
	static const char *const legacy[] = {
		"systemd >= 258 fails on the v1 mount (cgroup-v1-removed)\n",
		"\nthe runtime's v1 mount (tmpfs, name=systemd read-write): systemd <= 252 boots",
		"256.0-256.7 degraded (legacy-stall-256)",
		">= 258 fails (cgroup-v1-removed)",
	};
	struct sc_host_facts f;
	struct sc_report r;

	expect_host_versions(FIXTURE("centos7-legacy"), SC_WARN, legacy, ELEMENTSOF(legacy));
	/* No cgroup2 layout on a v1-only host. */
	probe(FIXTURE("centos7-legacy"), &f);
	sc_report_init(&r, "host");
	sc_report_run(&r, sc_host_checks, &f);
	for (size_t i = 0; i < r.n_checks; i++)
		if (streq(r.checks[i].id, "boot.host-versions")) {
			cr_expect_null(strstr(r.checks[i].summary, "cgroup2"), "%s",
				       r.checks[i].summary);
			for (size_t j = 0; j < r.checks[i].n_evidence; j++)
				cr_expect_null(strstr(r.checks[i].evidence[j].what, "cgroup2"),
					       "%s", r.checks[i].evidence[j].what);
		}
	sc_report_done(&r);
	sc_host_facts_done(&f);
}

Test(fixtures, boot_host_versions_no_cgroupfs)
{
	static const char *const none[] = {
		"no systemd version boots in containers here without CAP_SYS_ADMIN",
		"\nnothing on /sys/fs/cgroup: systemd <= 252 fails (cgroup-not-mountable)",
	};

	expect_host_versions(FIXTURE("no-cgroupfs"), SC_FAIL, none, ELEMENTSOF(none));
}
