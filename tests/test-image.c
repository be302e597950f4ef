/* SPDX-License-Identifier: MIT */
/* host --image: the image probe on the host image trees of
 * tests/fixtures/images/host-* (README there), systemd's mode decision on
 * command lines, the shell-assignment parser, the hostile tree (links out
 * of the image, a FIFO, a huge file), and the command line's output and
 * exit codes. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "checks.h"
#include "image.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

static void probe_dir(const char *dir, struct sc_image_facts *f)
{
	_cleanup_root_ struct sc_root *r = NULL;

	cr_assert_eq(sc_root_open(dir, SC_ROOT_IMAGE, &r), 0, "%s", dir);
	cr_assert_eq(sc_image_probe(r, f), 0, "%s", dir);
}

static void probe(const char *name, struct sc_image_facts *f)
{
	_cleanup_free_ char *dir = sc_xasprintf("%s/tests/fixtures/images/%s", SC_SRCDIR, name);

	probe_dir(dir, f);
}

static const struct sc_image_ctrl *ctrl(const struct sc_image_facts *f, const char *name)
{
	for (size_t i = 0; i < f->n_controllers; i++)
		if (streq(f->controllers[i].name, name))
			return &f->controllers[i];
	cr_assert_fail("no controller %s", name);
	return NULL;
}

/* A report as `host --image` makes it, for the checks' statuses. */
static void judge(struct sc_image_facts *f, struct sc_report *r)
{
	sc_report_init(r, "host");
	r->image = sc_xcalloc(1, sizeof(*r->image));
	*r->image = *f;
	*f = (struct sc_image_facts){};
	r->host = sc_xcalloc(1, sizeof(*r->host));
	sc_image_predict_host(r->image, r->host);
	sc_image_judge(r);
}

static const struct sc_check *check(const struct sc_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_checks; i++)
		if (streq(r->checks[i].id, id))
			return &r->checks[i];
	cr_assert_fail("no check %s", id);
	return NULL;
}

Test(image, shell_value)
{
	char *v;

	v = sc_image_shell_value("GRUB_CMDLINE_LINUX=\"a b\"", "GRUB_CMDLINE_LINUX");
	cr_assert_str_eq(v, "a b");
	free(v);
	v = sc_image_shell_value("  export rc_cgroup_mode='hybrid' # x", "rc_cgroup_mode");
	cr_assert_str_eq(v, "hybrid");
	free(v);
	v = sc_image_shell_value("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"", "GRUB_CMDLINE_LINUX");
	cr_assert_null(v);
	v = sc_image_shell_value("#GRUB_CMDLINE_LINUX=\"x\"", "GRUB_CMDLINE_LINUX");
	cr_assert_null(v);
	/* Never run: a command substitution stays text. */
	v = sc_image_shell_value("rc_cgroup_mode=\"$(reboot)\"", "rc_cgroup_mode");
	cr_assert_str_eq(v, "$(reboot)");
	free(v);
}

static enum sc_cgroup_mode mode_of(int major, const char *dflt, const char *cmdline)
{
	struct sc_systemd_version v = { major, 0 };
	struct sc_kernel_param *p = NULL;
	size_t n = 0;
	_cleanup_free_ char *why = NULL;
	enum sc_cgroup_mode m;

	sc_cmdline_parse(cmdline, &p, &n);
	m = sc_image_systemd_mode(&v, dflt, p, n, &why);
	cr_assert_not_null(why);
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
	return m;
}

/* src/shared/cgroup-setup.c cg_is_unified_wanted() / cg_is_hybrid_wanted()
 * (v250..v255), and v258's removal of v1. */
Test(image, systemd_mode_rules)
{
	cr_expect_eq(mode_of(252, "unified", "quiet"), SC_CG_UNIFIED);
	cr_expect_eq(mode_of(252, "unified", "systemd.unified_cgroup_hierarchy=0"), SC_CG_HYBRID);
	cr_expect_eq(mode_of(252, "unified",
			     "systemd.unified_cgroup_hierarchy=0 "
			     "systemd.legacy_systemd_cgroup_controller=1"),
		     SC_CG_LEGACY);
	/* A bare flag is true, "no" false (proc_cmdline_get_bool). */
	cr_expect_eq(mode_of(252, "unified",
			     "systemd.unified_cgroup_hierarchy=no "
			     "systemd.legacy_systemd_cgroup_controller"),
		     SC_CG_LEGACY);
	cr_expect_eq(mode_of(252, "legacy", ""), SC_CG_LEGACY);
	cr_expect_eq(mode_of(239, "hybrid", ""), SC_CG_HYBRID);
	cr_expect_eq(mode_of(239, "legacy", "cgroup_no_v1=all"), SC_CG_UNIFIED);
	cr_expect_eq(mode_of(239, "legacy", "systemd.unified_cgroup_hierarchy"), SC_CG_UNIFIED);
	/* The last occurrence wins, as for the kernel. */
	cr_expect_eq(
		mode_of(252, "unified",
			"systemd.unified_cgroup_hierarchy=0 systemd.unified_cgroup_hierarchy=1"),
		SC_CG_UNIFIED);
	cr_expect_eq(mode_of(258, NULL,
			     "systemd.unified_cgroup_hierarchy=0 "
			     "systemd.legacy_systemd_cgroup_controller=1"),
		     SC_CG_UNIFIED);
	cr_expect_eq(mode_of(219, NULL, ""), SC_CG_LEGACY);
}

/* The image built to fail: GRUB puts bookworm in legacy mode. */
Test(image, bookworm_legacy)
{
	struct sc_image_facts f;
	struct sc_report r;

	probe("host-bookworm-legacy", &f);
	cr_assert_eq(f.n_kernels, 1);
	cr_expect_str_eq(f.kernels[0].release, "6.1.0-50-amd64");
	cr_expect_eq(f.kernels[0].config_err, 0);
	cr_expect_eq(f.kernels[0].opts[SC_KC_MEMCG].value, 'y');
	cr_expect_eq(f.kernels[0].opts[SC_KC_MEMCG].line, 17);
	cr_expect_str_eq(f.loader, "grub");
	cr_expect_str_eq(f.cmdline.value, "systemd.unified_cgroup_hierarchy=0 "
					  "systemd.legacy_systemd_cgroup_controller=1 quiet");
	cr_expect_str_eq(f.cmdline.source, "/etc/default/grub:6, /etc/default/grub:5");
	cr_expect_str_eq(f.init.value, "systemd");
	cr_expect_str_eq(f.systemd_version.value, "252.39-1~deb12u2");
	cr_expect_eq(f.mode, SC_CG_LEGACY);
	cr_expect_null(f.v2_path);
	cr_expect_eq(ctrl(&f, "memory")->where, SC_CTRL_V1);
	cr_expect_str_eq(ctrl(&f, "cpu")->mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
	cr_expect_str_eq(ctrl(&f, "net_prio")->mountpoint, "/sys/fs/cgroup/net_cls,net_prio");
	cr_expect_str_eq(ctrl(&f, "memory")->source,
			 "/boot/config-6.1.0-50-amd64:17 CONFIG_MEMCG=y");
	cr_expect(f.engines[SC_ENGINE_DOCKER].installed);
	cr_expect_str_eq(f.engines[SC_ENGINE_DOCKER].cgroup_driver.value, "cgroupfs");
	cr_expect_str_eq(f.engines[SC_ENGINE_DOCKER].cgroupns.value, "host");
	cr_expect_str_eq(f.engines[SC_ENGINE_DOCKER].enabled.value, "yes");
	cr_expect_not(f.engines[SC_ENGINE_LXC].installed);
	cr_expect_str_eq(f.lxcfs_enabled.value, "yes");
	cr_expect_str_eq(f.delegate.value, "pids memory cpu");
	cr_expect_str_eq(f.delegate.source, "/usr/lib/systemd/system/user@.service:6");
	cr_expect_eq(f.errors.n, 0);

	judge(&f, &r);
	cr_expect_eq(check(&r, "cgroup.mode")->status, SC_WARN);
	cr_expect_eq(check(&r, "boot.host-versions")->status, SC_WARN);
	cr_expect(strstr(check(&r, "boot.host-versions")->summary, ">= 258 fails"), "%s",
		  check(&r, "boot.host-versions")->summary);
	cr_expect_eq(check(&r, "cgroup.name-systemd")->status, SC_PASS);
	cr_expect_eq(check(&r, "image.engine-recipes")->status, SC_WARN);
	cr_expect_eq(sc_report_exit_code(&r, false), 0);
	cr_expect_eq(sc_report_exit_code(&r, true), 1);
	sc_report_done(&r);
}

Test(image, trixie_unified)
{
	struct sc_image_facts f;
	struct sc_report r;

	probe("host-trixie-unified", &f);
	/* Newest first: the boot loader's default. */
	cr_assert_eq(f.n_kernels, 2);
	cr_expect_str_eq(f.kernels[0].release, "6.12.117+deb13-amd64");
	cr_expect_str_eq(f.kernels[1].release, "6.1.0-40-amd64");
	cr_expect_eq(f.kernels[1].config_err, -ENOENT);
	/* $GRUB_CMDLINE_LINUX of a grub.d snippet expands. */
	cr_expect_str_eq(f.cmdline.value, "console=ttyS0 swapaccount=1 quiet");
	cr_expect_str_eq(f.cmdline.source,
			 "/etc/default/grub.d/50-cloud.cfg:2, /etc/default/grub:2");
	cr_assert_eq(sc_strv_length(f.cmdline_also), 1);
	cr_expect(strstr(f.cmdline_also[0], "/boot/grub/grub.cfg:5: root=UUID=0a1b ro"));
	cr_expect_eq(f.mode, SC_CG_UNIFIED);
	cr_expect_str_eq(f.v2_path, "/sys/fs/cgroup");
	cr_expect_eq(ctrl(&f, "memory")->where, SC_CTRL_V2);
	cr_expect_eq(ctrl(&f, "cpuacct")->where, SC_CTRL_UNBOUND);
	/* perf_event is implicit on cgroup2: never in cgroup.controllers. */
	cr_expect_eq(ctrl(&f, "perf_event")->where, SC_CTRL_UNBOUND);
	{
		const struct sc_image_engine *d = &f.engines[SC_ENGINE_DOCKER];

		cr_expect_str_eq(d->cgroup_driver.value, "cgroupfs");
		cr_expect_str_eq(d->cgroup_driver.source, "/etc/docker/daemon.json:2");
		cr_expect_not(d->cgroup_driver.dflt);
		cr_expect_str_eq(d->cgroupns.value, "host");
		cr_expect_str_eq(d->cgroupns.source, "/etc/docker/daemon.json:3");
		cr_expect_str_eq(d->userns_remap.value, "default");
		cr_assert_eq(sc_strv_length(d->runtimes), 1);
		cr_expect_str_eq(d->runtimes[0], "crun");
	}
	cr_expect_str_eq(f.delegate.value, "cpu cpuset io memory pids");
	cr_expect_str_eq(f.delegate.source, "/etc/systemd/system/user@.service.d/delegate.conf:2");
	cr_expect_str_eq(f.max_user_ns.value, "0");
	cr_expect_str_eq(f.max_user_ns.source, "/etc/sysctl.d/90-userns.conf:2");

	judge(&f, &r);
	cr_expect_eq(check(&r, "cgroup.mode")->status, SC_PASS);
	cr_expect_eq(check(&r, "boot.host-versions")->status, SC_PASS);
	cr_expect_eq(check(&r, "image.docker")->status, SC_WARN);
	cr_expect_eq(check(&r, "image.delegation")->status, SC_PASS);
	cr_expect_eq(check(&r, "image.userns")->status, SC_WARN);
	cr_expect(r.host->cgroup.v2_controllers &&
		  sc_strv_contains(r.host->cgroup.v2_controllers, "memory") &&
		  !sc_strv_contains(r.host->cgroup.v2_controllers, "perf_event"));
	sc_report_done(&r);
}

/* OpenRC hybrid on Linux 6.12 without CONFIG_MEMCG_V1 / CONFIG_CPUSETS_V1:
 * memory and cpuset stay on the hybrid cgroup2 (tests/vm FINDINGS H1). */
Test(image, openrc_hybrid)
{
	struct sc_image_facts f;
	struct sc_report r;

	probe("host-openrc-hybrid", &f);
	cr_expect_str_eq(f.init.value, "openrc");
	cr_expect_str_eq(f.rc_cgroup_mode.value, "hybrid");
	cr_expect_str_eq(f.rc_cgroup_mode.source, "/etc/rc.conf:3");
	cr_expect_eq(f.mode, SC_CG_HYBRID);
	cr_expect_str_eq(f.v2_path, "/sys/fs/cgroup/unified");
	cr_expect_eq(ctrl(&f, "memory")->where, SC_CTRL_V2);
	cr_expect_eq(ctrl(&f, "cpuset")->where, SC_CTRL_V2);
	cr_expect_eq(ctrl(&f, "pids")->where, SC_CTRL_V1);
	cr_expect_str_eq(ctrl(&f, "pids")->mountpoint, "/sys/fs/cgroup/pids");
	cr_expect_null(f.cmdline.value);
	cr_expect_str_eq(f.engines[SC_ENGINE_DOCKER].enabled.value, "yes");
	cr_expect_str_eq(f.engines[SC_ENGINE_DOCKER].enabled.source,
			 "/etc/runlevels/default/docker");

	judge(&f, &r);
	cr_expect_eq(check(&r, "cgroup.mode")->status, SC_WARN);
	cr_expect_eq(check(&r, "cgroup.name-systemd")->status, SC_WARN);
	cr_expect_eq(check(&r, "cgroup.hybrid-v2-controllers")->status, SC_WARN);
	cr_expect_eq(check(&r, "image.cmdline")->status, SC_WARN);
	sc_report_done(&r);
}

/* Links out of the image resolve inside it, a FIFO is never opened for
 * reading, a huge file is refused: each is a read error or absence, and
 * what the image cannot tell is unknown. */
Test(image, hostile)
{
	_cleanup_free_ char *tmp = make_tempdir();
	_cleanup_free_ char *cmd = NULL, *root = sc_xasprintf("%s/h", tmp);
	_cleanup_free_ char *fifo = NULL, *big = NULL;
	struct sc_image_facts f;
	struct sc_report r;
	int fd;

	cmd = sc_xasprintf("cp -a '%s/tests/fixtures/images/host-hostile' '%s'", SC_SRCDIR, root);
	cr_assert_eq(system(cmd), 0);
	fifo = sc_xasprintf("%s/etc/docker", root);
	cr_assert_eq(mkdir(fifo, 0755), 0);
	free(fifo);
	fifo = sc_xasprintf("%s/etc/docker/daemon.json", root);
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	big = sc_xasprintf("%s/boot/config-6.1.0-50-amd64", root);
	fd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 3LL << 30), 0);
	close(fd);

	probe_dir(root, &f);
	/* /etc/default/grub -> /etc/shadow and /etc/kernel/cmdline ->
	 * ../../../proc/cmdline: inside the image, where neither exists. */
	cr_expect_null(f.cmdline.value);
	cr_expect_null(f.loader);
	/* /sbin/init -> /proc/1/root/sbin/init: not the host's init. */
	cr_expect_null(f.init.value);
	cr_expect_eq(f.mode, SC_CG_UNKNOWN);
	cr_expect_eq(f.kernels[0].config_err, -EFBIG);
	cr_expect_eq(sc_errlist_find(&f.errors, "/etc/docker/daemon.json"), SC_ENOTREG);
	cr_expect_eq(sc_errlist_find(&f.errors, "/boot/config-6.1.0-50-amd64"), EFBIG);
	cr_expect(ctrl(&f, "memory")->unknown);

	judge(&f, &r);
	cr_expect_eq(check(&r, "image.docker")->status, SC_FAIL);
	cr_expect_eq(check(&r, "image.kernel")->status, SC_WARN);
	cr_expect_eq(check(&r, "image.init")->status, SC_ERROR);
	cr_expect_eq(check(&r, "cgroup.mode")->status, SC_ERROR);
	sc_report_done(&r);
	rm_rf(tmp);
}

/* cgroup_disable= and cgroup_no_v1= on the command line move controllers. */
Test(image, cmdline_moves_controllers)
{
	_cleanup_free_ char *tmp = make_tempdir();
	_cleanup_free_ char *cmd = NULL, *root = sc_xasprintf("%s/h", tmp);
	struct sc_image_facts f;

	cmd = sc_xasprintf("cp -a '%s/tests/fixtures/images/host-bookworm-legacy' '%s'", SC_SRCDIR,
			   root);
	cr_assert_eq(system(cmd), 0);
	write_file(root, "etc/default/grub.d/60-test.cfg",
		   "GRUB_CMDLINE_LINUX=\"systemd.unified_cgroup_hierarchy=0 cgroup_no_v1=memory "
		   "cgroup_disable=pids\"\n");
	probe_dir(root, &f);
	cr_expect_eq(f.mode, SC_CG_HYBRID);
	cr_expect_eq(ctrl(&f, "memory")->where, SC_CTRL_V2);
	cr_expect_str_eq(ctrl(&f, "memory")->mountpoint, "/sys/fs/cgroup/unified");
	cr_expect_eq(ctrl(&f, "pids")->where, SC_CTRL_DISABLED);
	cr_expect_eq(ctrl(&f, "cpu")->where, SC_CTRL_V1);
	sc_image_facts_done(&f);
	rm_rf(tmp);
}

/* A stock image is not refused for its stock defaults: systemd's own
 * Delegate=pids memory cpu and containerd's CRI cgroupfs driver are info
 * (rootless containers lack cpuset and io limits; a kubelet must match
 * the driver), not warnings that fail a --strict gate. */
Test(image, stock_defaults_are_info)
{
	_cleanup_free_ char *tmp = make_tempdir();
	_cleanup_free_ char *cmd = NULL, *root = sc_xasprintf("%s/h", tmp);
	struct sc_image_facts f;
	struct sc_report r;

	cmd = sc_xasprintf("cp -a '%s/tests/fixtures/images/host-trixie-unified' '%s' && "
			   "rm '%s/etc/systemd/system/user@.service.d/delegate.conf'",
			   SC_SRCDIR, root, root);
	cr_assert_eq(system(cmd), 0);
	write_file(root, "etc/containerd/config.toml",
		   "version = 2\n"
		   "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n"
		   "  SystemdCgroup = false\n");
	write_file(root, "usr/bin/containerd", "");
	probe_dir(root, &f);
	cr_expect_str_eq(f.delegate.value, "pids memory cpu");
	judge(&f, &r);
	cr_expect_eq(check(&r, "image.delegation")->status, SC_INFO, "%s",
		     check(&r, "image.delegation")->summary);
	cr_expect(strstr(check(&r, "image.delegation")->summary, "cpuset io"), "%s",
		  check(&r, "image.delegation")->summary);
	if (f.engines[SC_ENGINE_CONTAINERD].installed)
		cr_expect_eq(check(&r, "image.containerd")->status, SC_INFO, "%s",
			     check(&r, "image.containerd")->summary);
	sc_report_done(&r);
	rm_rf(tmp);
}

/* /etc masks a same-named drop-in or sysctl.d file of /usr/lib, and the
 * files apply in the order of their names. */
Test(image, etc_masks_usr_lib)
{
	_cleanup_free_ char *tmp = make_tempdir();
	_cleanup_free_ char *cmd = NULL, *root = sc_xasprintf("%s/h", tmp);
	struct sc_image_facts f;

	cmd = sc_xasprintf("cp -a '%s/tests/fixtures/images/host-trixie-unified' '%s'", SC_SRCDIR,
			   root);
	cr_assert_eq(system(cmd), 0);
	write_file(root, "usr/lib/systemd/system/user@.service.d/delegate.conf",
		   "[Service]\nDelegate=pids\n");
	write_file(root, "usr/lib/systemd/system/user@.service.d/zz-late.conf",
		   "[Service]\nDelegate=memory pids\n");
	write_file(root, "usr/lib/sysctl.d/90-userns.conf", "user.max_user_namespaces=7\n");
	write_file(root, "usr/lib/sysctl.d/95-later.conf", "user/max_user_namespaces = 9\n");
	probe_dir(root, &f);
	/* /etc's delegate.conf masks /usr/lib's; zz-late.conf sorts last. */
	cr_expect_str_eq(f.delegate.value, "memory pids");
	cr_expect_str_eq(f.delegate.source,
			 "/usr/lib/systemd/system/user@.service.d/zz-late.conf:2");
	/* /etc/sysctl.d/90-userns.conf (0) masks /usr/lib's (7); 95 sets 9. */
	cr_expect_str_eq(f.max_user_ns.value, "9");
	cr_expect_str_eq(f.max_user_ns.source, "/usr/lib/sysctl.d/95-later.conf:1");
	sc_image_facts_done(&f);
	rm_rf(tmp);
}

/* Without GRUB: systemd-boot's loader entries, then /etc/kernel/cmdline. */
Test(image, systemd_boot_and_kernel_cmdline)
{
	_cleanup_free_ char *tmp = make_tempdir();
	_cleanup_free_ char *cmd = NULL, *root = sc_xasprintf("%s/h", tmp);
	struct sc_image_facts f;
	struct sc_report r;

	cmd = sc_xasprintf("cp -a '%s/tests/fixtures/images/host-trixie-unified' '%s' && rm -r "
			   "'%s/etc/default' '%s/boot/grub'",
			   SC_SRCDIR, root, root, root);
	cr_assert_eq(system(cmd), 0);
	write_file(root, "etc/kernel/cmdline", "root=/dev/vda1 cgroup_no_v1=all\n");
	probe_dir(root, &f);
	cr_expect_str_eq(f.loader, "kernel-cmdline");
	cr_expect_str_eq(f.cmdline.source, "/etc/kernel/cmdline:1");
	cr_expect_eq(f.mode, SC_CG_UNIFIED);
	sc_image_facts_done(&f);

	write_file(root, "boot/loader/entries/debian-6.1.conf",
		   "title Debian\nversion 6.1\noptions root=/dev/vda1 rw\n");
	write_file(root, "boot/loader/entries/debian-6.12.conf",
		   "title Debian\nversion 6.12\nlinux /vmlinuz\noptions root=/dev/vda1 rw\n"
		   "options systemd.unified_cgroup_hierarchy=0\n");
	probe_dir(root, &f);
	cr_expect_str_eq(f.loader, "systemd-boot");
	cr_expect_str_eq(f.cmdline.value, "root=/dev/vda1 rw systemd.unified_cgroup_hierarchy=0");
	cr_expect_str_eq(f.cmdline.source, "/boot/loader/entries/debian-6.12.conf:4");
	/* systemd 257 still honours the request, with a 30 s delay. */
	cr_expect_eq(f.mode, SC_CG_HYBRID);
	judge(&f, &r);
	cr_expect_eq(check(&r, "image.cgroup-v1-request")->status, SC_WARN);
	cr_expect_eq(check(&r, "cgroup.mode")->status, SC_WARN);
	sc_report_done(&r);
	rm_rf(tmp);
}

Test(image, cli_text_json_and_exit_codes)
{
	const char *dir = FIXTURE("images/host-bookworm-legacy");
	struct run_result t, j, s, bad, both;
	json_error_t err;
	json_t *doc;

	run_tool(&t, (const char *const[]){ "host", "--image", dir, NULL });
	cr_expect_eq(t.status, 0, "%s", t.err);
	cr_expect(strstr(t.out, "(image)"), "%s", t.out);
	cr_expect_null(strstr(t.out, "(snapshot)"));
	cr_expect(strstr(t.out, "legacy: systemd.unified_cgroup_hierarchy=0 and"), "%s", t.out);

	run_tool(&j, (const char *const[]){ "--json", "host", "--image", dir, NULL });
	cr_assert_eq(j.status, 0, "%s", j.err);
	doc = json_loads(j.out, 0, &err);
	cr_assert_not_null(doc, "%s", err.text);
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(doc, "image"), "cgroup"), "mode")),
			 "legacy");
	cr_expect_null(json_object_get(doc, "host"));
	json_decref(doc);

	/* Every fixture image's document against the published schema. */
	{
		static const char *const trees[] = { "host-bookworm-legacy", "host-trixie-unified",
						     "host-openrc-hybrid", "host-hostile" };
		struct schema_doc docs[ELEMENTSOF(trees)];

		for (size_t i = 0; i < ELEMENTSOF(trees); i++) {
			_cleanup_free_ char *d =
				sc_xasprintf("%s/tests/fixtures/images/%s", SC_SRCDIR, trees[i]);
			struct run_result x;

			run_tool(&x, (const char *const[]){ "--json", "host", "--image", d, NULL });
			docs[i] = (struct schema_doc){ trees[i], json_loads(x.out, 0, NULL) };
			cr_assert_not_null(docs[i].doc, "%s: %s", trees[i], x.err);
			run_result_done(&x);
		}
		schema_assert_all_valid(docs, ELEMENTSOF(docs));
		for (size_t i = 0; i < ELEMENTSOF(docs); i++)
			json_decref(docs[i].doc);
	}

	/* The CI gate: warnings fail with --strict. */
	run_tool(&s, (const char *const[]){ "--strict", "host", "--image", dir, NULL });
	cr_expect_eq(s.status, 1, "%s", s.err);

	run_tool(&bad, (const char *const[]){ "host", "--image", "/nonexistent-image", NULL });
	cr_expect_eq(bad.status, 3);
	cr_expect(strstr(bad.err, "--image /nonexistent-image"), "%s", bad.err);

	run_tool(&both, (const char *const[]){ "host", "--image", dir, "--root", dir, NULL });
	cr_expect_eq(both.status, 2);
	/* A file (a snapshot, say) is not an image. */
	run_result_done(&bad);
	run_tool(&bad,
		 (const char *const[]){ "host", "--image",
					SC_SRCDIR "/tests/fixtures/snapshots/booted.json", NULL });
	cr_expect_eq(bad.status, 3);
	cr_expect(strstr(bad.err, "Not a directory"), "%s", bad.err);
	cr_expect_eq(strchr(bad.err, '\n') - bad.err + 1, (long)strlen(bad.err), "one line: %s",
		     bad.err);
	run_result_done(&t);
	run_result_done(&j);
	run_result_done(&s);
	run_result_done(&bad);
	run_result_done(&both);
}

/* Every image check that warns or fails says what to do, on every fixture
 * image, the hostile one too. */
Test(image, every_warning_has_a_remedy)
{
	static const char *const images[] = { "host-bookworm-legacy", "host-trixie-unified",
					      "host-openrc-hybrid", "host-hostile" };

	for (size_t i = 0; i < ELEMENTSOF(images); i++) {
		struct sc_image_facts f;
		struct sc_report r;
		unsigned n = 0;

		probe(images[i], &f);
		judge(&f, &r);
		for (size_t k = 0; k < r.n_checks; k++) {
			const struct sc_check *c = &r.checks[k];

			if (c->status != SC_WARN && c->status != SC_FAIL)
				continue;
			n++;
			cr_expect(c->remedy && *c->remedy, "%s: %s (%s) has no remedy", images[i],
				  c->id, c->summary);
		}
		fprintf(stderr, "info: image: %s: %u warnings or failures\n", images[i], n);
		sc_report_done(&r);
	}
	/* An init the tool does not model, and AppArmor's userns restriction. */
	{
		_cleanup_free_ char *tmp = make_tempdir();
		_cleanup_free_ char *root = sc_xasprintf("%s/h", tmp), *cmd = NULL;
		struct sc_image_facts f;
		struct sc_report r;

		cmd = sc_xasprintf(
			"cp -a '%s/tests/fixtures/images/host-openrc-hybrid' '%s' && "
			"rm -f '%s/sbin/openrc' && ln -sf /usr/bin/runit-init '%s/sbin/init'",
			SC_SRCDIR, root, root, root);
		cr_assert_eq(system(cmd), 0);
		write_file(root, "usr/bin/runit-init", "");
		write_file(root, "etc/sysctl.d/99-aa.conf",
			   "kernel.apparmor_restrict_unprivileged_userns = 1\n");
		probe_dir(root, &f);
		judge(&f, &r);
		cr_expect_eq(check(&r, "image.init")->status, SC_WARN);
		cr_expect_eq(check(&r, "image.userns")->status, SC_WARN);
		for (size_t k = 0; k < r.n_checks; k++)
			if (r.checks[k].status == SC_WARN || r.checks[k].status == SC_FAIL)
				cr_expect(r.checks[k].remedy && *r.checks[k].remedy,
					  "%s (%s) has no remedy", r.checks[k].id,
					  r.checks[k].summary);
		sc_report_done(&r);
		rm_rf(tmp);
	}
}
