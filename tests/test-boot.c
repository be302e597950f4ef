/* SPDX-License-Identifier: MIT */
/* The boot rules on hand-built environments (each rule fires when it
 * should and stays quiet when it should not, across the version
 * boundaries systemd's history sets), and `boot --bundle` on real and
 * hand-written OCI bundles. The end-to-end matrix (tests/e2e) checks the
 * same rules against real boots. */
#include <criterion/criterion.h>
#include <jansson.h>

#include "boot.h"
#include "proc.h"
#include "report.h"
#include "root.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

#define CAP(n) (1ULL << (n))
/* Docker's default set, and runc spec's three. */
static const uint64_t docker_caps = CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) |
				    CAP(8) | CAP(10) | CAP(13) | CAP(18) | CAP(27) | CAP(29) |
				    CAP(31);
static const uint64_t runc_caps = CAP(5) | CAP(10) | CAP(29);

/* A container that boots anything: cgroup2 read-write in a private
 * cgroup namespace, /run a tmpfs, Docker's caps plus CAP_SYS_ADMIN. */
static void env_init(struct sc_boot_env *e, const char *version)
{
	*e = (struct sc_boot_env){ .source = "bundle", .runtime = "runc" };
	e->host_mode = SC_CG_HYBRID;
	/* This machine: v1 controllers, a name=systemd hierarchy. */
	e->v1_in_use = "cpu";
	e->host_name_systemd = true;
	e->kernel_major = 6;
	e->kernel_minor = 1;
	e->cgfs = SC_BOOT_CGFS_CGROUP2;
	e->cgroupns = true;
	e->caps = docker_caps | CAP(SC_CAP_SYS_ADMIN);
	e->container_env = true;
	e->fs_run = sc_xstrdup("tmpfs");
	e->fs_run_lock = sc_xstrdup("tmpfs");
	e->pid1_cgroup = sc_xstrdup("/");
	e->systemd_image_known = true;
	e->systemd.found = true;
	e->systemd.version = sc_xstrdup(version);
	cr_assert_eq(sc_systemd_version_parse(version, &e->systemd.v), 0);
	e->systemd.units = sc_strv_split("dbus.service systemd-journald.service "
					 "systemd-journal-flush.service systemd-logind.service "
					 "systemd-journald.socket systemd-journald-dev-log.socket "
					 "systemd-modules-load.service tmp.mount",
					 " ");
}

/* The v1 layout runc's "cgroup" mount gives on this hybrid host. */
static void runc_v1(struct sc_boot_env *e, bool ro)
{
	e->cgfs = SC_BOOT_CGFS_TMPFS;
	e->cgfs_ro = e->hier_ro = ro;
	e->has_name_systemd = true;
	e->has_unified = false;
	e->name_systemd_visible = e->cgroupns;
}

struct verdict {
	enum sc_boot_verdict v;
	char *rules; /* comma-joined ids */
	char *units;
	char *mode;
};

static struct verdict judge(struct sc_boot_env *e)
{
	struct sc_boot_result r;
	struct verdict out;
	_cleanup_strv_free_ char **ids = sc_xcalloc(1, sizeof(char *));

	sc_boot_evaluate(e, &r);
	for (size_t i = 0; i < r.n_hits; i++)
		sc_strv_push(&ids, r.hits[i].id);
	out.v = r.verdict;
	out.rules = sc_strv_join(ids, ",");
	out.units = sc_strv_join(r.failing_units, ",");
	out.mode = sc_xstrdup(r.cgroup_mode);
	sc_boot_result_done(&r);
	return out;
}

static void expect(struct sc_boot_env *e, enum sc_boot_verdict v, const char *rule, int line)
{
	struct verdict got = judge(e);

	cr_expect_eq(got.v, v, "line %d: %s, expected %s (rules: %s)", line,
		     sc_boot_verdict_to_string(got.v), sc_boot_verdict_to_string(v), got.rules);
	if (rule && *rule)
		cr_expect(strstr(got.rules, rule), "line %d: rule %s did not fire (rules: %s)",
			  line, rule, got.rules);
	if (rule && !*rule)
		cr_expect_str_empty(got.rules, "line %d: rules fired: %s", line, got.rules);
	free(got.rules);
	free(got.units);
	free(got.mode);
}
#define EXPECT(e, v, rule) expect(e, v, rule, __LINE__)

static void set_version(struct sc_boot_env *e, const char *v)
{
	free(e->systemd.version);
	e->systemd.version = sc_xstrdup(v);
	cr_assert_eq(sc_systemd_version_parse(v, &e->systemd.v), 0);
}

Test(boot_rules, the_clean_container_boots)
{
	static const char *const versions[] = { "230", "245", "252.39", "257.13", "262.1" };

	for (size_t i = 0; i < ELEMENTSOF(versions); i++) {
		struct sc_boot_env e;
		env_init(&e, versions[i]);
		EXPECT(&e, SC_BOOT_BOOTS, "");
		sc_boot_env_done(&e);
	}
}

Test(boot_rules, cgroup_v1_removed_257_258)
{
	struct sc_boot_env e;

	env_init(&e, "257.13");
	runc_v1(&e, false);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	set_version(&e, "258");
	EXPECT(&e, SC_BOOT_FAILS, "cgroup-v1-removed");
	/* cgroup2 is fine for 258. */
	e.cgfs = SC_BOOT_CGFS_CGROUP2;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, cgroup2_229_230)
{
	struct sc_boot_env e;

	env_init(&e, "229");
	EXPECT(&e, SC_BOOT_FAILS, "cgroup2-systemd-too-old");
	set_version(&e, "230");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	set_version(&e, "219");
	runc_v1(&e, false);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, legacy_stall_256_7_256_8)
{
	struct sc_boot_env e;

	env_init(&e, "255.4");
	runc_v1(&e, false);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	set_version(&e, "256.7");
	EXPECT(&e, SC_BOOT_DEGRADED, "legacy-stall-256");
	set_version(&e, "256");
	EXPECT(&e, SC_BOOT_DEGRADED, "legacy-stall-256");
	set_version(&e, "256.8");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, systemd_253_0)
{
	struct sc_boot_env e;

	env_init(&e, "253");
	e.caps = docker_caps;
	EXPECT(&e, SC_BOOT_FAILS, "systemd-253.0-fork");
	set_version(&e, "253.1");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	set_version(&e, "253");
	e.caps |= CAP(SC_CAP_SYS_ADMIN);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, read_only_cgroups)
{
	struct sc_boot_env e;

	env_init(&e, "252.39");
	e.cgfs_ro = true;
	EXPECT(&e, SC_BOOT_FAILS, "cgroup2-read-only");
	/* v1 read-only without CAP_SYS_ADMIN: legacy mode, fails. */
	e.cgfs_ro = false;
	e.caps = docker_caps;
	runc_v1(&e, true);
	EXPECT(&e, SC_BOOT_FAILS, "legacy-read-only");
	/* With CAP_SYS_ADMIN systemd mounts cgroup2 (hybrid); in a cgroup
	 * namespace the compat hierarchy shows its cgroup: boots. */
	e.caps |= CAP(SC_CAP_SYS_ADMIN);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	/* Without one, 252 cannot pin the compat cgroup; 257 ignores it. */
	e.cgroupns = false;
	runc_v1(&e, true);
	EXPECT(&e, SC_BOOT_FAILS, "compat-cgroup-unpinnable");
	set_version(&e, "257.13");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, nothing_mounted)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "252.39");
	e.cgfs = SC_BOOT_CGFS_NONE;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_BOOTS, "systemd mounts its own with CAP_SYS_ADMIN");
	cr_assert_str_eq(v.mode, "hybrid", "the host binds v1 controllers: 252 wants hybrid");
	free(v.rules), free(v.units), free(v.mode);
	set_version(&e, "262.1");
	v = judge(&e);
	cr_assert_str_eq(v.mode, "unified");
	free(v.rules), free(v.units), free(v.mode);
	e.caps = docker_caps;
	EXPECT(&e, SC_BOOT_FAILS, "cgroup-not-mountable");
	sc_boot_env_done(&e);
}

/* The host's tree of an OpenRC hybrid host bound in (Docker's recipe:
 * -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroupns host): a tmpfs, cgroup2
 * at unified, no name=systemd; Docker's capabilities. 252 and 257 exited
 * 255 (VM lab openrc-hybrid, FINDINGS B6). Each knob moved alone. */
static void openrc_hybrid_tree(struct sc_boot_env *e, const char *version)
{
	env_init(e, version);
	e->runtime = "docker";
	e->cgfs = SC_BOOT_CGFS_TMPFS;
	e->host_tree = true;
	e->cgroupns = false;
	e->has_unified = true;
	e->has_name_systemd = e->host_name_systemd = false;
	e->caps = docker_caps;
}

Test(boot_rules, openrc_hybrid_host_tree)
{
	struct sc_boot_env e;
	struct verdict v;

	openrc_hybrid_tree(&e, "257.13");
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_FAILS, "%s", v.rules);
	cr_assert(strstr(v.rules, "name-systemd-unmountable"), "%s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	/* The same tree with name=systemd (a systemd host's): not this rule. */
	e.has_name_systemd = true;
	v = judge(&e);
	cr_assert(!strstr(v.rules, "name-systemd-unmountable"), "%s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	e.has_name_systemd = false;
	/* CAP_SYS_ADMIN: systemd mounts it itself. */
	e.caps = docker_caps | CAP(SC_CAP_SYS_ADMIN);
	v = judge(&e);
	cr_assert(!strstr(v.rules, "name-systemd-unmountable"), "%s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	e.caps = docker_caps;
	sc_boot_env_done(&e);
	/* 252 too; 262 has no v1 at all (cgroup-v1-removed instead). */
	openrc_hybrid_tree(&e, "252.39");
	v = judge(&e);
	cr_assert(strstr(v.rules, "name-systemd-unmountable"), "%s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	sc_boot_env_done(&e);
	openrc_hybrid_tree(&e, "262.1");
	v = judge(&e);
	cr_assert(!strstr(v.rules, "name-systemd-unmountable"), "%s", v.rules);
	cr_assert_eq(v.v, SC_BOOT_FAILS, "%s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	sc_boot_env_done(&e);
}

/* Nothing mounted, CAP_SYS_ADMIN: which layout systemd <= 257 mounts
 * (cg_is_unified_wanted()) and whether it can. The VM lab's
 * openrc-unified host: cgroup2 on /sys/fs/cgroup with OpenRC's cpuacct
 * and devices on v1 hierarchies, no name=systemd; LXC with nothing
 * mounted, private cgroupns: trixie's 257 exits (FINDINGS B2). Each
 * knob moved alone from there. */
Test(boot_rules, nothing_mounted_v1_in_use)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	e.runtime = "lxc";
	e.cgfs = SC_BOOT_CGFS_NONE;
	e.host_mode = SC_CG_UNIFIED;
	e.v1_in_use = "cpuacct";
	e.host_name_systemd = false;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_FAILS);
	cr_assert_str_eq(v.rules, "cgroup-none-v1-unmountable");
	cr_assert_str_eq(v.mode, "hybrid", "a v1 controller in use: 257 does not pick unified");
	free(v.rules), free(v.units), free(v.mode);
	/* No v1 controller in use: unified, mounted by systemd: boots. */
	e.v1_in_use = NULL;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_BOOTS, "%s", v.rules);
	cr_assert_str_eq(v.mode, "unified");
	free(v.rules), free(v.units), free(v.mode);
	e.v1_in_use = "cpuacct";
	/* The kernel command line comes first. */
	e.cmdline_unified = 1;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.cmdline_unified = 0;
	e.cmdline_no_v1_all = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.cmdline_no_v1_all = false;
	/* Before v250 no such test: the default (the host's mode here). */
	set_version(&e, "247.3");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	set_version(&e, "257.13");
	/* The host has name=systemd: the container's mount reuses it. */
	e.host_name_systemd = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.host_name_systemd = false;
	/* The host's cgroup namespace may create a hierarchy. */
	e.cgroupns = false;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.cgroupns = true;
	/* From 258: cgroup2 whatever the host binds to v1. */
	set_version(&e, "258.1");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	/* systemd.unified_cgroup_hierarchy=0 on a v2 host, legacy asked:
	 * the v1 layout, which fails the same way. */
	set_version(&e, "257.13");
	e.v1_in_use = NULL;
	e.cmdline_unified = -1;
	e.cmdline_legacy_ctl = 1;
	v = judge(&e);
	cr_assert_str_eq(v.mode, "legacy");
	cr_assert_str_eq(v.rules, "cgroup-none-v1-unmountable");
	free(v.rules), free(v.units), free(v.mode);
	sc_boot_env_done(&e);
}

Test(boot_rules, run_and_tmp)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	free(e.fs_run);
	e.fs_run = NULL;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.caps = docker_caps;
	EXPECT(&e, SC_BOOT_FAILS, "run-not-tmpfs");
	e.fs_run = sc_xstrdup("tmpfs");
	/* Debian 13 enables tmp.mount: without CAP_SYS_ADMIN it fails. */
	e.systemd.tmp_mount_enabled = true;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED);
	cr_assert_str_eq(v.units, "tmp.mount");
	free(v.rules), free(v.units), free(v.mode);
	/* A /tmp the runtime mounts is left alone. */
	e.fs_tmp = sc_xstrdup("tmpfs");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r26, docker-matrix B-norunlock: `--tmpfs /run` without
 * `--tmpfs /run/lock`. Debian's 252 mounts /run/lock from PID 1's mount
 * table (fatal), Debian 13's run-lock.mount fails (degraded), sid has
 * neither. CAP_SYS_ADMIN, or a /run/lock the runtime mounts, avoids both. */
Test(boot_rules, run_lock)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "252.39");
	e.caps = docker_caps;
	free(e.fs_run_lock);
	e.fs_run_lock = NULL;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.systemd.run_lock_in_mount_table = true;
	EXPECT(&e, SC_BOOT_FAILS, "run-lock-not-tmpfs");
	e.caps |= CAP(SC_CAP_SYS_ADMIN);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.caps = docker_caps;
	e.fs_run_lock = sc_xstrdup("tmpfs");
	EXPECT(&e, SC_BOOT_BOOTS, "");

	set_version(&e, "257.13");
	e.systemd.run_lock_in_mount_table = false;
	e.systemd.run_lock_mount_enabled = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	free(e.fs_run_lock);
	e.fs_run_lock = NULL;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED);
	cr_assert_str_eq(v.rules, "run-lock-mount");
	cr_assert_str_eq(v.units, "run-lock.mount");
	free(v.rules), free(v.units), free(v.mode);
	e.caps |= CAP(SC_CAP_SYS_ADMIN);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, minimal_capabilities_name_the_image_units)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "252.39");
	e.caps = runc_caps;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED);
	cr_assert_str_eq(v.units, "dbus.service,systemd-journal-flush.service,"
				  "systemd-journald.service,systemd-logind.service,"
				  "systemd-journald-dev-log.socket,systemd-journald.socket");
	free(v.rules), free(v.units), free(v.mode);
	/* Units the image does not ship are not predicted. */
	sc_strv_free(e.systemd.units);
	e.systemd.units = sc_strv_split("systemd-journald.service", " ");
	v = judge(&e);
	cr_assert_str_eq(v.units, "systemd-journald.service");
	free(v.rules), free(v.units), free(v.mode);
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r27, docker-matrix B-capdrop (`--cap-drop ALL`): an
 * empty bounding set leaves journald and logind nothing to drop; dbus
 * fails; 252's logind then waits for the bus forever (fails), 257 is
 * degraded by dbus alone. */
Test(boot_rules, no_capabilities_at_all)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	e.caps = 0;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED);
	cr_assert_str_eq(v.units, "dbus.service");
	free(v.rules), free(v.units), free(v.mode);
	/* The socket fails with its service (start limit hit). */
	sc_strv_push(&e.systemd.units, "dbus.socket");
	v = judge(&e);
	cr_assert_str_eq(v.units, "dbus.service,dbus.socket");
	free(v.rules), free(v.units), free(v.mode);
	set_version(&e, "252.39");
	EXPECT(&e, SC_BOOT_FAILS, "logind-waits-for-bus");
	/* Without logind in the image nothing waits. */
	sc_strv_free(e.systemd.units);
	e.systemd.units = sc_strv_split("dbus.service systemd-journald.service", " ");
	EXPECT(&e, SC_BOOT_DEGRADED, "minimal-capabilities");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r28, docker-matrix B-ro (`--read-only`): logind's
 * StateDirectory= on a read-only /var/lib/systemd. */
Test(boot_rules, read_only_state_directory)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "252.39");
	e.state_dir_ro = true;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED);
	cr_assert_str_eq(v.rules, "state-directory-read-only");
	cr_assert_str_eq(v.units, "systemd-logind.service");
	free(v.rules), free(v.units), free(v.mode);
	/* The image has the directory: nothing to create. */
	e.systemd.linger_dir = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.systemd.linger_dir = false;
	e.state_dir_ro = false;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

Test(boot_rules, modules_load_and_host_tree)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	e.caps |= CAP(SC_CAP_SYS_MODULE);
	e.systemd.modules_load_configured = true;
	EXPECT(&e, SC_BOOT_DEGRADED, "modules-load-no-libkmod");
	e.systemd.libkmod = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	set_version(&e, "252.39");
	e.systemd.libkmod = false;
	EXPECT(&e, SC_BOOT_BOOTS, "");

	/* The host's tree in a private cgroup namespace: 257's journald. */
	set_version(&e, "257.13");
	e.systemd.libkmod = true;
	e.cgfs = SC_BOOT_CGFS_TMPFS;
	e.host_tree = e.has_unified = e.has_name_systemd = e.name_systemd_visible = true;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED);
	cr_assert(strstr(v.units, "systemd-journald.service"), "%s", v.units);
	cr_assert_str_eq(v.mode, "hybrid");
	free(v.rules), free(v.units), free(v.mode);
	e.cgroupns = false;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.hier_ro = true;
	EXPECT(&e, SC_BOOT_FAILS, "hybrid-unified-read-only");
	sc_boot_env_done(&e);
}

Test(boot_rules, old_systemd_without_container_env)
{
	struct sc_boot_env e;

	env_init(&e, "242");
	e.container_env = false;
	EXPECT(&e, SC_BOOT_DEGRADED, "no-container-env");
	set_version(&e, "243");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

/* boot.now: what the running systemd's manager says, as a check, on
 * hand-built results (the live path is in test-manager.c, test-containers.c
 * and the e2e matrix). */
static enum sc_status now_status(int running, const char *state, int err, char **ret_summary)
{
	struct sc_boot_env e;
	struct sc_boot_result *b = sc_xcalloc(1, sizeof(*b));
	struct sc_report rep;
	enum sc_status st = _SC_STATUS_MAX;

	env_init(&e, "257.13");
	e.running = running;
	e.manager_error = err;
	if (!err) {
		e.manager.version = sc_xstrdup("257.13-1");
		e.manager.system_state = sc_xstrdup(state);
		e.manager.failed_units =
			sc_strv_split(streq(state, "degraded") ? "tmp.mount" : "", " ");
	}
	sc_boot_evaluate(&e, b);
	cr_assert_eq(b->running, running);
	sc_report_init(&rep, "boot");
	sc_report_run(&rep, sc_boot_checks, b);
	for (size_t i = 0; i < rep.n_checks; i++)
		if (streq(rep.checks[i].id, "boot.now")) {
			st = rep.checks[i].status;
			*ret_summary = sc_xstrdup(rep.checks[i].summary);
		}
	sc_report_done(&rep);
	sc_boot_result_done(b);
	free(b);
	sc_boot_env_done(&e);
	cr_assert_neq(st, _SC_STATUS_MAX, "boot.now did not run");
	return st;
}

Test(boot_rules, boot_now_reports_the_manager)
{
	static const struct {
		int running;
		const char *state;
		int err;
		enum sc_status want;
		const char *summary;
	} cases[] = {
		{ SC_YES, "running", 0, SC_PASS, "systemd 257.13-1 is running" },
		{ SC_YES, "degraded", 0, SC_WARN,
		  "systemd 257.13-1 is up, degraded: tmp.mount failed" },
		{ SC_YES, "maintenance", 0, SC_FAIL, "maintenance" },
		{ SC_YES, "starting", 0, SC_INFO, "systemd 257.13-1 is starting" },
		{ SC_YES, NULL, -ETIMEDOUT, SC_INFO, "did not say" },
		{ SC_NO, NULL, -ENOENT, SC_SKIP, "not PID 1" },
		{ SC_UNKNOWN, NULL, -SC_ENOFACT, SC_SKIP, "cannot tell" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *summary = NULL;
		enum sc_status st =
			now_status(cases[i].running, cases[i].state ? cases[i].state : "",
				   cases[i].err, &summary);

		cr_expect_eq(st, cases[i].want, "case %zu: %s", i, sc_status_to_string(st));
		cr_expect(strstr(summary, cases[i].summary), "case %zu: %s", i, summary);
	}
}

Test(boot_rules, no_systemd)
{
	struct sc_boot_env e;

	env_init(&e, "252");
	e.systemd.found = false;
	EXPECT(&e, SC_BOOT_UNKNOWN, "no-systemd");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r32: a fatal error exits where systemd finds a
 * container and freezes where it does not. Measured: 252 with nothing on
 * /sys/fs/cgroup and no $container hangs (bookworm/dv-none-p-noenv), 257
 * exits 255; every marker moved on its own. */
static enum sc_boot_failure failure_of(struct sc_boot_env *e, char **ret_why)
{
	struct sc_boot_result r;
	enum sc_boot_failure f;

	sc_boot_evaluate(e, &r);
	cr_assert_eq(r.verdict, SC_BOOT_FAILS, "not a failing case: %s",
		     sc_boot_verdict_to_string(r.verdict));
	f = r.failure;
	if (ret_why)
		*ret_why = r.failure_why ? sc_xstrdup(r.failure_why) : NULL;
	sc_boot_result_done(&r);
	return f;
}

Test(boot_rules, failure_exits_or_freezes)
{
	struct sc_boot_env e;
	char *why = NULL;

	/* The measured case: 252, nothing mounted, no container=, no marker. */
	env_init(&e, "252.39");
	e.cgfs = SC_BOOT_CGFS_NONE;
	e.caps = docker_caps;
	e.cgroupns = true;
	e.container_env = false;
	e.dockerenv = e.containerenv = e.cgroup_nested = SC_NO;
	cr_expect_eq(failure_of(&e, &why), SC_BOOT_FREEZES);
	cr_expect(why && strstr(why, "finds no container"), "%s", why);
	free(why);
	/* Each marker alone makes it exit. */
	set_version(&e, "257.9");
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_EXITS, "257: a PID namespace is enough");
	set_version(&e, "252.39");
	e.dockerenv = SC_YES;
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_EXITS, "/.dockerenv");
	e.dockerenv = SC_NO;
	e.containerenv = SC_YES;
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_EXITS, "/run/.containerenv");
	e.containerenv = SC_NO;
	e.container_manager = sc_xstrdup("podman");
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_EXITS, "/run/host/container-manager");
	free(e.container_manager);
	e.container_manager = NULL;
	e.container_env = true;
	e.container_env_value = sc_xstrdup("docker");
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_EXITS, "container=docker");
	/* An empty container= is authoritative: "not a container", even
	 * with /.dockerenv and in 262. */
	free(e.container_env_value);
	e.container_env_value = sc_xstrdup("");
	e.dockerenv = SC_YES;
	set_version(&e, "262.1");
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_FREEZES, "container= empty");
	/* Markers not read (an older snapshot): cannot tell for 252. */
	e.container_env = false;
	e.dockerenv = SC_UNKNOWN;
	set_version(&e, "252.39");
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_FAILURE_UNKNOWN);
	/* A boot that never finishes freezes whatever systemd detects
	 * (docs/boot-rules.md#r33: 252, --cap-drop ALL, logind waits for the
	 * bus forever; docker bookworm/B-capdrop). */
	{
		struct sc_boot_env z;
		char *zwhy = NULL;

		env_init(&z, "252.39");
		z.caps = 0;
		z.dockerenv = SC_YES;
		cr_expect_eq(failure_of(&z, &zwhy), SC_BOOT_FREEZES, "logind-waits-for-bus");
		cr_expect(zwhy && strstr(zwhy, "never"), "%s", zwhy);
		free(zwhy);
		sc_boot_env_done(&z);
	}
	/* A nested cgroup in view (runc's v1 bind without a cgroupns). */
	e.dockerenv = SC_NO;
	e.cgroup_nested = SC_YES;
	e.cgfs = SC_BOOT_CGFS_CGROUP2;
	e.cgfs_ro = true;
	cr_expect_eq(failure_of(&e, NULL), SC_BOOT_EXITS, "nested cgroup");
	sc_boot_env_done(&e);
}

/* `boot PID` on a process that is no container's init judges nothing and
 * says so: a failed check (exit 1, as `container`), not "no systemd". */
Test(boot_rules, not_a_container_is_not_a_quiet_unknown)
{
	struct sc_boot_env e;
	struct sc_boot_result r;
	struct sc_report rep;

	env_init(&e, "252.39");
	e.not_a_container = true;
	EXPECT(&e, SC_BOOT_UNKNOWN, "not-a-container");
	sc_boot_evaluate(&e, &r);
	sc_report_init(&rep, "boot");
	sc_report_run(&rep, sc_boot_checks, &r);
	cr_assert_str_eq(rep.checks[0].id, "boot.verdict");
	cr_expect_eq(rep.checks[0].status, SC_FAIL);
	cr_expect_eq(sc_report_exit_code(&rep, false), 1);
	sc_report_done(&rep);
	sc_boot_result_done(&r);
	e.not_a_container = false;
	e.inside_error = sc_xstrdup("Permission denied");
	sc_boot_evaluate(&e, &r);
	sc_report_init(&rep, "boot");
	sc_report_run(&rep, sc_boot_checks, &r);
	cr_expect_eq(rep.checks[0].status, SC_ERROR, "an unreadable inside is an error");
	sc_report_done(&rep);
	sc_boot_result_done(&r);
	sc_boot_env_done(&e);
}

/* ---- bundles ---------------------------------------------------------------------- */

#define RUN(r, ...) run_tool(r, (const char *const[]){ __VA_ARGS__, NULL })

static json_t *boot_bundle(const char *dir, int want_status)
{
	struct run_result r;
	_cleanup_free_ char *name = sc_xasprintf("boot --bundle %s", dir);
	json_t *doc;

	RUN(&r, "--json", "boot", "--bundle", dir);
	cr_assert_eq(r.status, want_status, "%s: exit %d: %s", dir, r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	schema_assert_valid(name, doc);
	run_result_done(&r);
	return doc;
}

static const char *jstr(json_t *doc, const char *a, const char *b)
{
	return json_string_value(json_object_get(json_object_get(doc, a), b));
}

/* The id of the first boot rule that fired, or NULL. */
static const char *first_rule(json_t *doc)
{
	return json_string_value(json_object_get(
		json_array_get(json_object_get(json_object_get(doc, "boot"), "rules"), 0), "id"));
}

/* A copy of the runc spec bundle whose config.json a test edits. */
static char *bundle_copy(void)
{
	char *dir = make_tempdir();
	char *cmd = sc_xasprintf("cp %s/tests/fixtures/bundles/runc-spec/config.json %s/ && ln -s "
				 "%s/tests/fixtures/images/debian12 %s/rootfs",
				 SC_SRCDIR, dir, SC_SRCDIR, dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	return dir;
}

static void edit(const char *dir, const char *jq)
{
	char *cmd = sc_xasprintf("jq '%s' %s/config.json > %s/c && mv %s/c %s/config.json", jq, dir,
				 dir, dir, dir);
	cr_assert_eq(system(cmd), 0, "jq %s", jq);
	free(cmd);
}

Test(boot_bundle, runc_spec_unchanged)
{
	json_t *doc = boot_bundle("tests/fixtures/bundles/runc-spec", 1);

	/* runc spec: read-only v1 cgroup mount, no /run tmpfs, three caps. */
	cr_assert_str_eq(jstr(doc, "boot", "verdict"), "fails");
	cr_assert_str_eq(jstr(doc, "boot", "systemd_version"), "252.22-1~deb12u1");
	cr_assert_str_eq(
		json_string_value(json_object_get(
			json_object_get(json_object_get(doc, "boot"), "environment"), "cgroup_fs")),
		"tmpfs");
	json_decref(doc);
}

Test(boot_bundle, each_field_varied, .timeout = 60)
{
	char *dir = bundle_copy();
	json_t *doc;

	if (access("/usr/bin/jq", X_OK) < 0)
		cr_skip_test("jq is not installed");
	/* Docker-like: tmpfs /run, Docker's caps, rw cgroup. */
	edit(dir, ".mounts += [{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
		  "{\"destination\":\"/run/lock\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]"
		  " | (.mounts[] | select(.destination == \"/sys/fs/cgroup\") | .options) |= "
		  "map(select(. != \"ro\"))"
		  " | .process.capabilities.effective = "
		  "[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_FSETID\","
		  "\"CAP_FOWNER\",\"CAP_MKNOD\",\"CAP_NET_RAW\",\"CAP_SETGID\",\"CAP_SETUID\","
		  "\"CAP_SETFCAP\","
		  "\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_CHROOT\",\"CAP_KILL\",\"CAP_"
		  "AUDIT_WRITE\"]");
	doc = boot_bundle(dir, 0);
	cr_assert_str_eq(jstr(doc, "boot", "verdict"), "boots");
	cr_assert_str_eq(jstr(doc, "boot", "cgroup_mode"), "legacy");
	json_decref(doc);

	/* Read-only cgroup again: legacy-read-only. */
	edit(dir,
	     "(.mounts[] | select(.destination == \"/sys/fs/cgroup\") | .options) += [\"ro\"]");
	doc = boot_bundle(dir, 1);
	cr_assert_str_eq(first_rule(doc), "legacy-read-only");
	json_decref(doc);

	/* cgroup2 read-write in a cgroup namespace: hybrid host, cgroup2 mount. */
	edit(dir,
	     "(.mounts[] | select(.destination == \"/sys/fs/cgroup\")) |= (.type = \"cgroup2\" | "
	     ".source = \"cgroup2\" | .options = [\"nosuid\",\"noexec\",\"nodev\"]) | "
	     ".linux.namespaces += [{\"type\":\"cgroup\"}]");
	doc = boot_bundle(dir, 0);
	cr_assert_str_eq(jstr(doc, "boot", "cgroup_mode"), "unified");
	cr_assert(json_is_true(json_object_get(
		json_object_get(json_object_get(doc, "boot"), "environment"), "cgroupns")));
	json_decref(doc);

	/* Minimal caps: degraded, the image's units named. */
	edit(dir, ".process.capabilities.effective = [\"CAP_KILL\"]");
	doc = boot_bundle(dir, 0);
	cr_assert_str_eq(jstr(doc, "boot", "verdict"), "degraded");
	json_decref(doc);
	rm_rf(dir);
	free(dir);
}

/* Podman's systemd mode on cgroup v1 (libpod setupSystemd): the runtime's
 * read-only cgroup mount, then a bind of the host's whole name=systemd
 * hierarchy over /sys/fs/cgroup/systemd, read-write. The bundle reader
 * judged the cgroup mount alone and predicted legacy-read-only where
 * systemd 252 boots (bookworm-hybrid VM, 2026-12-03: podman
 * --systemd=always, live prediction and truth "boots", the bundle's
 * "fails"; FINDINGS B4). What the live probe saw there: name=systemd
 * visible, not nested, read-write. */
Test(boot_bundle, podman_systemd_mode_on_v1, .timeout = 60)
{
	char *dir = bundle_copy();
	json_t *doc, *env;

	if (access("/usr/bin/jq", X_OK) < 0)
		cr_skip_test("jq is not installed");
	if (access("/sys/fs/cgroup/systemd/cgroup.procs", F_OK) < 0) {
		fprintf(stderr, "[SKIP] boot_bundle::podman_systemd_mode_on_v1: this host has no "
				"name=systemd hierarchy\n");
		cr_skip_test("no name=systemd on this host");
	}
	edit(dir, ".mounts += [{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
		  "{\"destination\":\"/run/lock\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
		  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
		  "{\"destination\":\"/sys/fs/cgroup/systemd\",\"type\":\"bind\","
		  "\"source\":\"/sys/fs/cgroup/systemd\","
		  "\"options\":[\"bind\",\"rprivate\",\"nodev\",\"noexec\",\"nosuid\"]}]"
		  " | .process.env += [\"container=podman\"]"
		  " | .process.capabilities.effective = [\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\","
		  "\"CAP_FOWNER\",\"CAP_FSETID\",\"CAP_KILL\",\"CAP_SETGID\",\"CAP_SETUID\","
		  "\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_SYS_CHROOT\",\"CAP_SETFCAP\"]");
	doc = boot_bundle(dir, 0);
	env = json_object_get(json_object_get(doc, "boot"), "environment");
	cr_expect(json_is_true(json_object_get(env, "name_systemd_visible")));
	cr_expect(json_is_false(json_object_get(env, "hierarchies_read_only")));
	cr_expect_str_eq(json_string_value(json_object_get(env, "cgroup_fs")), "tmpfs");
	cr_expect_str_neq(jstr(doc, "boot", "verdict"), "fails");
	json_decref(doc);

	/* The same bind read-only: legacy-read-only again. */
	edit(dir, "(.mounts[] | select(.destination == \"/sys/fs/cgroup/systemd\") | .options) "
		  "+= [\"ro\"]");
	doc = boot_bundle(dir, 1);
	cr_assert_str_eq(first_rule(doc), "legacy-read-only");
	json_decref(doc);
	rm_rf(dir);
	free(dir);
}

/* A bundle whose root is empty here: rootless Podman's userdata names its
 * overlay "merged", mounted in the user's mount namespace only (trixie VM,
 * 2026-12-03: "no systemd in the image" said of a root that boots). */
Test(boot_bundle, empty_root_is_not_an_image_without_systemd)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_free_ char *cmd = sc_xasprintf(
		"cp %s/tests/fixtures/bundles/runc-spec/config.json %s/ && mkdir %s/rootfs",
		SC_SRCDIR, dir, dir);
	json_t *doc, *c;
	size_t i;
	bool said = false;

	cr_assert_eq(system(cmd), 0);
	doc = boot_bundle(dir, 1);
	cr_assert_str_eq(jstr(doc, "boot", "verdict"), "unknown");
	json_array_foreach(json_object_get(doc, "checks"), i, c)
	{
		const char *m = json_string_value(json_object_get(c, "summary"));
		said |= m && strstr(m, "is empty here") && !strstr(m, "no systemd in the image");
	}
	cr_assert(said, "no check says the root is empty");
	json_decref(doc);
	rm_rf(dir);
}

Test(boot_bundle, bad_bundles_exit_3)
{
	char *dir = make_tempdir();
	struct run_result r;

	RUN(&r, "boot", "--bundle", dir);
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "config.json") && strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		  "%s", r.err);
	run_result_done(&r);

	write_file(dir, "config.json", "{ \"ociVersion\": ");
	RUN(&r, "boot", "--bundle", dir);
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "invalid JSON"), "%s", r.err);
	run_result_done(&r);

	write_file(dir, "config.json", "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"}}");
	RUN(&r, "boot", "--bundle", dir);
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "rootfs"), "%s", r.err);
	run_result_done(&r);

	write_file(dir, "config.json", "{\"ociVersion\":\"1.0.2\"}");
	RUN(&r, "boot", "--bundle", dir);
	cr_assert_eq(r.status, 3);
	cr_assert(strstr(r.err, "root.path"), "%s", r.err);
	run_result_done(&r);

	RUN(&r, "boot", "--bundle", "/nonexistent/bundle");
	cr_assert_eq(r.status, 3);
	run_result_done(&r);

	/* Neither or both of TARGET and --bundle: usage. */
	RUN(&r, "boot");
	cr_assert_eq(r.status, 2);
	run_result_done(&r);
	RUN(&r, "boot", "--bundle", dir, "runc:x");
	cr_assert_eq(r.status, 2);
	run_result_done(&r);
	rm_rf(dir);
	free(dir);
}

/* docs/boot-rules.md#r26: /sys, /dev, /dev/shm absent: systemd mounts
 * them, which needs CAP_SYS_ADMIN, and sysfs/devtmpfs not in a userns.
 * Matrix: sid/pw-19, bookworm/pw-04; ax-sys-none, ax-shm-none boot. */
Test(boot_rules, api_filesystems_absent)
{
	struct sc_boot_env e;

	env_init(&e, "262.1");
	e.sys_absent = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.userns = true;
	EXPECT(&e, SC_BOOT_FAILS, "api-fs-not-mountable");
	e.userns = false;
	e.caps = docker_caps;
	EXPECT(&e, SC_BOOT_FAILS, "api-fs-not-mountable");
	e.sys_absent = false;
	e.dev_shm_absent = true;
	EXPECT(&e, SC_BOOT_FAILS, "api-fs-not-mountable");
	e.caps |= CAP(SC_CAP_SYS_ADMIN);
	e.userns = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r27, #r28: Debian's 252 makes /run/lock an API
 * filesystem (fatal); from 256 run-lock.mount fails instead. Matrix:
 * bookworm with lock=none exits 255; trixie/pw-07 degraded. */
Test(boot_rules, run_lock_absent)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "252.39-1~deb12u2");
	free(e.fs_run_lock);
	e.fs_run_lock = NULL;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.caps = docker_caps;
	EXPECT(&e, SC_BOOT_BOOTS, ""); /* upstream has no such mount-table entry */
	/* Debian 12's patch: the entry is in the image's libsystemd-shared. */
	e.systemd.run_lock_in_mount_table = true;
	EXPECT(&e, SC_BOOT_FAILS, "run-lock-not-tmpfs");
	e.systemd.run_lock_in_mount_table = false;
	set_version(&e, "257.13-1~deb13u1");
	sc_strv_push(&e.systemd.units, "run-lock.mount");
	e.systemd.run_lock_mount_enabled = true;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED, "%s", v.rules);
	cr_assert_str_eq(v.units, "run-lock.mount");
	free(v.rules), free(v.units), free(v.mode);
	e.caps |= CAP(SC_CAP_SYS_ADMIN);
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r29: matrix ax-rootro-true on every image. */
Test(boot_rules, read_only_root_fails_logind)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	e.root_ro = true;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED, "%s", v.rules);
	cr_assert_str_eq(v.units, "systemd-logind.service");
	free(v.rules), free(v.units), free(v.mode);
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r30: matrix bookworm/pw-20. */
Test(boot_rules, userns_with_rawio_fails_debugfs)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "252.39");
	sc_strv_push(&e.systemd.units, "sys-kernel-debug.mount");
	sc_strv_push(&e.systemd.units, "sys-kernel-tracing.mount");
	e.userns = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.caps |= CAP(SC_CAP_SYS_RAWIO);
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED, "%s", v.rules);
	cr_assert_str_eq(v.units, "sys-kernel-debug.mount,sys-kernel-tracing.mount");
	free(v.rules), free(v.units), free(v.mode);
	e.userns = false;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r31: matrix ax-dev-none on every image. */
Test(boot_rules, host_devtmpfs_fails_getty)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	sc_strv_push(&e.systemd.units, "getty@.service");
	e.dev_absent = true;
	v = judge(&e);
	cr_assert_eq(v.v, SC_BOOT_DEGRADED, "%s", v.rules);
	cr_assert_str_eq(v.units, "getty@tty1.service");
	free(v.rules), free(v.units), free(v.mode);
	e.caps = docker_caps;
	EXPECT(&e, SC_BOOT_FAILS, "api-fs-not-mountable");
	sc_boot_env_done(&e);
}

/* No sysfs on /sys and CAP_SYS_ADMIN: systemd's own sysfs mount hides the
 * runtime's read-only cgroup2, and it mounts its own (e2e probe
 * chk-sysnone-v2ro boots on bookworm and trixie; without CAP_SYS_ADMIN it
 * fails; runc trixie/pw-11). Each knob moved alone. */
Test(boot_bundle, sysfs_absent_hides_the_cgroup_mount, .timeout = 60)
{
	char *dir = bundle_copy();
	json_t *doc;

	if (access("/usr/bin/jq", X_OK) < 0)
		cr_skip_test("jq is not installed");
	/* runc spec's cgroup mount is read-only: with CAP_SYS_ADMIN and /run
	 * tmpfs, only the read-only cgroup fails it. */
	edit(dir, ".mounts += [{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"},"
		  "{\"destination\":\"/run/lock\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]"
		  " | .process.capabilities.effective += [\"CAP_SYS_ADMIN\",\"CAP_SETUID\","
		  "\"CAP_SETGID\",\"CAP_SETPCAP\"]"
		  " | .linux.namespaces += [{\"type\":\"cgroup\"}]"
		  " | (.mounts[] | select(.destination == \"/sys/fs/cgroup\")) |= "
		  "(.type = \"cgroup2\" | .source = \"cgroup2\")");
	doc = boot_bundle(dir, 1);
	cr_expect_str_eq(jstr(doc, "boot", "verdict"), "fails", "cgroup2 read-only, /sys mounted");
	json_decref(doc);
	edit(dir, ".mounts |= map(select(.destination != \"/sys\"))");
	doc = boot_bundle(dir, 0);
	cr_expect_str_eq(jstr(doc, "boot", "verdict"), "boots", "no /sys: systemd mounts its own");
	json_decref(doc);
	edit(dir, ".process.capabilities.effective -= [\"CAP_SYS_ADMIN\"]");
	doc = boot_bundle(dir, 1);
	cr_expect_str_eq(jstr(doc, "boot", "verdict"), "fails", "no /sys and no CAP_SYS_ADMIN");
	json_decref(doc);
	rm_rf(dir);
	free(dir);
}

/* docs/boot-rules.md#r34: sid/ax-sys-rw and ax-sys-none degraded by
 * console-getty; the baseline (/sys ro) and ax-term-false boot. */
Test(boot_rules, console_getty_with_sys_writable)
{
	struct sc_boot_env e;

	env_init(&e, "262.1");
	sc_strv_push(&e.systemd.units, "console-getty.service");
	e.dev_console = SC_YES;
	e.sys_ro = true;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.sys_ro = false;
	EXPECT(&e, SC_BOOT_DEGRADED, "console-getty-sys-rw");
	e.sys_absent = true; /* CAP_SYS_ADMIN: systemd mounts it read-write */
	EXPECT(&e, SC_BOOT_DEGRADED, "console-getty-sys-rw");
	e.sys_absent = false;
	e.dev_console = SC_NO;
	EXPECT(&e, SC_BOOT_BOOTS, "");
	e.dev_console = SC_YES;
	set_version(&e, "257.13");
	EXPECT(&e, SC_BOOT_BOOTS, "");
	sc_boot_env_done(&e);
}

/* docs/boot-rules.md#r35: runc trixie/pw-09 exits 255 (legacy, read-only
 * v1) where all-v1ro-h, the same without a user namespace, boots hybrid:
 * the user namespace cannot mount cgroup2 in the host's cgroupns. */
Test(boot_rules, userns_without_cgroupns_mounts_no_cgroup)
{
	struct sc_boot_env e;
	struct verdict v;

	env_init(&e, "257.13");
	runc_v1(&e, true);
	e.cgroupns = false;
	e.name_systemd_visible = true;
	v = judge(&e);
	cr_expect_str_eq(v.mode, "hybrid", "CAP_SYS_ADMIN, no user namespace: %s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	e.userns = true;
	v = judge(&e);
	cr_expect_str_eq(v.mode, "legacy");
	cr_expect_eq(v.v, SC_BOOT_FAILS, "%s", v.rules);
	cr_expect(strstr(v.rules, "legacy-read-only"), "%s", v.rules);
	free(v.rules), free(v.units), free(v.mode);
	e.cgroupns = true; /* its own cgroupns: it may mount again */
	v = judge(&e);
	cr_expect_str_eq(v.mode, "hybrid");
	free(v.rules), free(v.units), free(v.mode);
	sc_boot_env_done(&e);
}
