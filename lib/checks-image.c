/* SPDX-License-Identifier: MIT */
/* The image rules (`host --image`): the host rules that judge a cgroup
 * layout, run on the host the image predicts, and the rules of what only
 * an image tells (kernel config, boot loader, engines' configuration,
 * rootless delegation). Pure functions from image facts to results. */
#include <stdio.h>

#include "boot.h"
#include "checks.h"
#include "image.h"
#include "proc.h"
#include "util.h"

#define IMG(p) (((const struct sc_image_check_input *)(p))->img)
#define HOSTF(p) (((const struct sc_image_check_input *)(p))->host)

static void evidence_val(struct sc_check *c, const char *what, const struct sc_image_val *v)
{
	if (v->value || v->source)
		sc_check_evidence(c, v->source ? v->source : what, "%s: %s%s", what,
				  v->value ? v->value : "unknown", v->dflt ? " (default)" : "");
	else
		sc_check_evidence(c, what, "unknown: nothing in the image says");
}

/* ---- kernel ------------------------------------------------------------------ */

static void check_kernel(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);
	const struct sc_image_kernel *k = f->n_kernels ? &f->kernels[0] : NULL;

	if (!k) {
		sc_check_evidence(c, "/boot", "no vmlinuz-*, no /usr/lib/modules/*");
		sc_check_set(c, SC_FAIL,
			     "no kernel in the image: what boots it (and so the cgroup and "
			     "namespace support) is unknown");
		sc_check_remedy(c, "install a kernel package in the image (linux-image-amd64)");
		return;
	}
	for (size_t i = 0; i < f->n_kernels; i++)
		sc_check_evidence(c, f->kernels[i].image ? f->kernels[i].image : "/usr/lib/modules",
				  "%s%s", f->kernels[i].release,
				  i == 0 ? " (newest: the boot loader's default)" : "");
	if (k->config_err) {
		sc_check_evidence(c, k->config ? k->config : "/boot/config-*", "%s",
				  sc_strerror(k->config_err));
		sc_check_set(c, SC_WARN,
			     "kernel %s has no readable config: its cgroup and namespace options "
			     "are unknown",
			     k->release);
		sc_check_remedy(c, "ship /boot/config-%s (Debian's kernel packages do)",
				k->release);
		return;
	}
	sc_check_evidence(c, k->config, "read");
	sc_check_set(c, SC_PASS, "kernel %s, config %s", k->release, k->config);
}

/* What moby contrib/check-config.sh calls "Generally Necessary" and
 * lxc-checkconfig requires; on a cgroup v2 host CGROUP_BPF replaces the v1
 * devices controller, and the v1-only controllers are not needed. */
static void check_kernel_config(const void *p, struct sc_check *c)
{
	static const unsigned required[] = {
		SC_KC_NAMESPACES, SC_KC_UTS_NS,	      SC_KC_IPC_NS,	  SC_KC_PID_NS,
		SC_KC_NET_NS,	  SC_KC_CGROUPS,      SC_KC_CGROUP_SCHED, SC_KC_CPUSETS,
		SC_KC_MEMCG,	  SC_KC_CGROUP_PIDS,  SC_KC_KEYS,	  SC_KC_VETH,
		SC_KC_BRIDGE,	  SC_KC_POSIX_MQUEUE,
	};
	static const unsigned v1_only[] = { SC_KC_CGROUP_CPUACCT, SC_KC_CGROUP_DEVICE,
					    SC_KC_CGROUP_FREEZER };
	static const unsigned optional[] = {
		SC_KC_USER_NS,		SC_KC_BLK_CGROUP,     SC_KC_CFS_BANDWIDTH,
		SC_KC_FAIR_GROUP_SCHED, SC_KC_CGROUP_HUGETLB, SC_KC_SECCOMP,
		SC_KC_SECCOMP_FILTER,	SC_KC_OVERLAY_FS,
	};
	const struct sc_image_facts *f = IMG(p);
	const struct sc_image_kernel *k = f->n_kernels ? &f->kernels[0] : NULL;
	_cleanup_strv_builder_ struct sc_strv_builder miss = {}, opt = {};
	_cleanup_strv_free_ char **m = NULL, **o = NULL;
	_cleanup_free_ char *ml = NULL, *ol = NULL;
	unsigned n = 0;

	if (!k || k->config_err) {
		sc_check_set(c, SC_SKIP, "no kernel config to read (see image.kernel)");
		return;
	}
#define LOOK(list, builder)                                                                      \
	for (size_t i = 0; i < ELEMENTSOF(list); i++) {                                          \
		const struct sc_kconfig *x = &k->opts[list[i]];                                  \
		n++;                                                                             \
		if (x->value != 'y' && x->value != 'm') {                                        \
			sc_strv_builder_push(&builder, x->name);                                 \
			if (x->line)                                                             \
				sc_check_evidence(c, k->config, "line %u: CONFIG_%s is not set", \
						  x->line, x->name);                             \
			else                                                                     \
				sc_check_evidence(c, k->config, "no CONFIG_%s", x->name);        \
		}                                                                                \
	}
	LOOK(required, miss);
	if (f->mode != SC_CG_UNIFIED) {
		LOOK(v1_only, miss);
	} else if (k->opts[SC_KC_CGROUP_BPF].value != 'y') {
		n++;
		sc_strv_builder_push(&miss, "CGROUP_BPF");
		sc_check_evidence(c, k->config,
				  "CGROUP_BPF not set: no device control on cgroup v2");
	}
	LOOK(optional, opt);
#undef LOOK
	m = sc_strv_builder_take(&miss);
	o = sc_strv_builder_take(&opt);
	ml = sc_strv_join(m, " ");
	ol = sc_strv_join(o, " ");
	if (*ml) {
		sc_check_set(c, SC_FAIL, "kernel %s lacks what container engines need: %s%s%s",
			     k->release, ml, *ol ? "; optional missing: " : "", ol);
		sc_check_remedy(c, "boot a kernel built with CONFIG_%s", m[0]);
	} else if (*ol) {
		sc_check_set(c, SC_WARN, "kernel %s: every required option; optional missing: %s",
			     k->release, ol);
		sc_check_remedy(c, "a kernel with CONFIG_%s for what it gives (rootless, limits)",
				o[0]);
	} else
		sc_check_set(c, SC_PASS,
			     "kernel %s has the %u cgroup, namespace and network options that "
			     "moby's check-config.sh and lxc-checkconfig look for",
			     k->release, n);
}

/* Where each controller will be (cgroup.h vocabulary), from the kernel's
 * config and the predicted mode. */
static void check_controllers(const void *p, struct sc_check *c)
{
	static const char *const needed[] = { "cpu", "memory", "pids" };
	const struct sc_image_facts *f = IMG(p);
	_cleanup_strv_builder_ struct sc_strv_builder b = {}, miss = {};
	_cleanup_strv_free_ char **l = NULL, **m = NULL;
	_cleanup_free_ char *list = NULL, *ml = NULL;
	bool unknown = false;

	for (size_t i = 0; i < f->n_controllers; i++) {
		const struct sc_image_ctrl *x = &f->controllers[i];

		if (x->unknown) {
			unknown = true;
			continue;
		}
		sc_check_evidence(c, x->name, "%s%s%s (%s)", sc_ctrl_where_to_string(x->where),
				  x->mountpoint ? " " : "", x->mountpoint ? x->mountpoint : "",
				  strna(x->source));
		if (x->where != SC_CTRL_ABSENT && x->where != SC_CTRL_UNBOUND)
			sc_strv_builder_consume(
				&b,
				sc_xasprintf("%s %s", x->name, sc_ctrl_where_to_string(x->where)));
		for (size_t j = 0; j < ELEMENTSOF(needed); j++)
			if (streq(x->name, needed[j]) && x->where == SC_CTRL_ABSENT)
				sc_strv_builder_push(&miss, x->name);
	}
	if (unknown) {
		sc_check_set(c, SC_ERROR,
			     "where the controllers will be is unknown (no kernel config, or no "
			     "cgroup mode predicted)");
		return;
	}
	l = sc_strv_builder_take(&b);
	m = sc_strv_builder_take(&miss);
	list = sc_strv_join(l, ", ");
	ml = sc_strv_join(m, " ");
	if (*ml) {
		sc_check_set(c, SC_FAIL, "the kernel has no %s controller: limits cannot apply",
			     ml);
		sc_check_remedy(c, "boot a kernel with the %s controller", m[0]);
		return;
	}
	sc_check_set(c, SC_PASS, "%s", list);
}

/* ---- boot loader and init ------------------------------------------------------ */

static void check_cmdline(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);

	for (char **a = f->cmdline_also; a && *a; a++)
		sc_check_evidence(c, "also", "%s", *a);
	for (size_t i = 0; i < f->n_params; i++)
		sc_check_evidence(c, "cgroup parameter", "%s%s%s", f->params[i].key,
				  f->params[i].value ? "=" : "",
				  f->params[i].value ? f->params[i].value : "");
	if (!f->cmdline.value) {
		sc_check_set(c, SC_WARN,
			     "no boot loader configuration in the image (/etc/default/grub, "
			     "grub.cfg, loader entries, /etc/kernel/cmdline): the kernel command "
			     "line is whatever boots it, unknown here");
		sc_check_remedy(c, "ship the boot loader's configuration in the image");
		return;
	}
	sc_check_evidence(c, f->cmdline.source, "%s", f->cmdline.value);
	/* grub.cfg left by an older update-grub says otherwise. */
	for (char **a = f->cmdline_also; a && *a; a++)
		if (strncmp(*a, "/boot/grub", 10) == 0 && streq_ptr(f->loader, "grub") &&
		    !strstr(*a, f->cmdline.value)) {
			sc_check_set(c, SC_WARN,
				     "%s (%s) and the grub.cfg GRUB boots now disagree: the next "
				     "update-grub changes the command line",
				     f->cmdline.source, f->cmdline.value);
			sc_check_remedy(c, "run update-grub in the image build");
			return;
		}
	sc_check_set(c, SC_INFO, "%s passes \"%s\" (%s)", f->loader, f->cmdline.value,
		     f->cmdline.source);
}

static void check_init(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);

	evidence_val(c, "init", &f->init);
	if (f->systemd.found)
		evidence_val(c, "systemd version", &f->systemd_version);
	if (f->default_hierarchy.value)
		evidence_val(c, "default hierarchy", &f->default_hierarchy);
	if (f->rc_cgroup_mode.value)
		evidence_val(c, "rc_cgroup_mode", &f->rc_cgroup_mode);
	if (!f->init.value) {
		sc_check_set(c, SC_ERROR, "no init system found (/sbin/init does not resolve)");
		return;
	}
	if (streq(f->init.value, "systemd"))
		sc_check_set(c, SC_PASS, "systemd %s is PID 1 (%s)",
			     strna(f->systemd_version.value), f->init.source);
	else if (streq(f->init.value, "openrc"))
		sc_check_set(c, SC_INFO, "OpenRC (%s), rc_cgroup_mode=%s", f->init.source,
			     strna(f->rc_cgroup_mode.value));
	else
		sc_check_set(c, SC_WARN,
			     "PID 1 will be %s: an init the tool does not model, the cgroup "
			     "layout is unknown",
			     f->init.source);
	if (c->status == SC_WARN)
		sc_check_remedy(c, "boot the image and run sysctr-check host there");
}

/* systemd 256.0-256.7 refuses to boot a host on cgroup v1 without
 * SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1; 256.8 and 257 warn and wait 30 s;
 * 258 removed v1 and ignores the request (docs/boot-rules.md#versions-that-change-verdicts). */
static void check_legacy_request(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);
	const struct sc_systemd_version *v = &f->systemd.v;
	bool v1 = false;

	for (size_t i = 0; i < f->n_params; i++)
		if (streq(f->params[i].key, "systemd.unified_cgroup_hierarchy") &&
		    f->params[i].value &&
		    (streq(f->params[i].value, "0") || streq(f->params[i].value, "false") ||
		     streq(f->params[i].value, "no")))
			v1 = true;
	if (!streq_ptr(f->init.value, "systemd") || !f->systemd.found || !v1) {
		sc_check_set(c, SC_SKIP, "no cgroup v1 request for systemd on the command line");
		return;
	}
	sc_check_evidence(c, f->cmdline.source, "%s", f->cmdline.value);
	evidence_val(c, "systemd version", &f->systemd_version);
	if (v->major >= 258)
		sc_check_set(c, SC_WARN,
			     "systemd %s ignores systemd.unified_cgroup_hierarchy=0: it has no "
			     "cgroup v1 support, the host boots unified",
			     f->systemd_version.value);
	else if (v->major == 256 && v->minor < 8) {
		bool force = false;
		for (size_t i = 0; i < f->n_params; i++)
			force |= streq(f->params[i].key, "SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE") ||
				 streq(f->params[i].key, "systemd.cgroup_enable_legacy_force");
		if (force)
			sc_check_set(c, SC_WARN,
				     "systemd %s boots on cgroup v1 only because the legacy force "
				     "switch is on the command line",
				     f->systemd_version.value);
		else {
			sc_check_set(c, SC_FAIL,
				     "systemd %s refuses cgroup v1 without "
				     "SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE=1: the host does not boot",
				     f->systemd_version.value);
			sc_check_remedy(c, "drop systemd.unified_cgroup_hierarchy=0");
		}
	} else if (v->major >= 256) {
		sc_check_set(c, SC_WARN,
			     "systemd %s on cgroup v1: deprecated, a 30 s delay at every boot",
			     f->systemd_version.value);
		sc_check_remedy(c, "drop systemd.unified_cgroup_hierarchy=0 from the kernel "
				   "command line (cgroup v2)");
	} else
		sc_check_set(c, SC_INFO, "systemd %s honours the cgroup v1 request (%s)",
			     f->systemd_version.value, strna(f->mode_why));
}

/* ---- engines ----------------------------------------------------------------- */

static void engine_evidence(struct sc_check *c, const struct sc_image_engine *e)
{
	sc_check_evidence(c, e->binary, "installed");
	if (e->enabled.value)
		evidence_val(c, "enabled at boot", &e->enabled);
	if (e->config.value)
		evidence_val(c, "configuration", &e->config);
	if (e->cgroup_driver.value || e->cgroup_driver.source)
		evidence_val(c, "cgroup driver", &e->cgroup_driver);
	if (e->cgroupns.value || e->cgroupns.source)
		evidence_val(c, "cgroupns", &e->cgroupns);
	if (e->runtime.value)
		evidence_val(c, "runtime", &e->runtime);
	if (e->runtimes && *e->runtimes) {
		_cleanup_free_ char *l = sc_strv_join(e->runtimes, ", ");
		sc_check_evidence(c, "runtimes", "%s", l);
	}
	if (e->userns_remap.value)
		evidence_val(c, "userns-remap", &e->userns_remap);
}

static void check_engine(const struct sc_image_facts *f, enum sc_engine which, struct sc_check *c)
{
	const struct sc_image_engine *e = &f->engines[which];
	const char *name = sc_engine_to_string(which);
	bool systemd = streq_ptr(f->init.value, "systemd");

	if (!e->installed) {
		sc_check_set(c, SC_SKIP, "%s is not installed", name);
		return;
	}
	engine_evidence(c, e);
	if (streq_ptr(e->config.value, "unreadable") ||
	    (e->config.value && strncmp(e->config.value, "invalid", 7) == 0)) {
		sc_check_set(c, SC_FAIL, "%s: %s is %s: the daemon does not start", name,
			     e->config.source, e->config.value);
		sc_check_remedy(c, "fix %s", e->config.source);
		return;
	}
	if (streq_ptr(e->cgroup_driver.value, "systemd") && !systemd) {
		sc_check_set(c, SC_FAIL,
			     "%s: cgroup driver systemd (%s) but PID 1 will not be systemd: "
			     "containers do not start",
			     name, strna(e->cgroup_driver.source));
		sc_check_remedy(c, "use the cgroupfs driver on this host");
		return;
	}
	/* containerd's driver is its CRI plugin's (SystemdCgroup): what a
	 * kubelet uses, not Docker, which runs containers through its own
	 * setting. Its default is worth knowing, not a reason to refuse a
	 * stock image. */
	if (f->mode == SC_CG_UNIFIED && systemd && streq_ptr(e->cgroup_driver.value, "cgroupfs") &&
	    which == SC_ENGINE_CONTAINERD) {
		sc_check_set(c, SC_INFO,
			     "%s: CRI cgroup driver cgroupfs (%s): a kubelet on this host must use "
			     "cgroupfs too, or set SystemdCgroup = true",
			     name, strna(e->cgroup_driver.source));
		return;
	}
	if (f->mode == SC_CG_UNIFIED && systemd && streq_ptr(e->cgroup_driver.value, "cgroupfs") &&
	    which != SC_ENGINE_LXC) {
		sc_check_set(c, SC_WARN,
			     "%s: cgroupfs driver (%s) on a cgroup v2 host run by systemd: two "
			     "managers of one tree (kubelet and runc recommend the systemd driver)",
			     name, strna(e->cgroup_driver.source));
		sc_check_remedy(c, "set the systemd cgroup driver");
		return;
	}
	if (f->mode == SC_CG_UNIFIED && streq_ptr(e->cgroupns.value, "host")) {
		sc_check_set(c, SC_WARN,
			     "%s: host cgroup namespace (%s) on cgroup v2: a systemd container "
			     "sees the host's tree (docs/boot-rules.md#r9)",
			     name, strna(e->cgroupns.source));
		sc_check_remedy(c, "cgroupns private (the default on cgroup v2)");
		return;
	}
	sc_check_set(c, SC_INFO, "%s: cgroup driver %s, cgroupns %s, runtime %s%s", name,
		     e->cgroup_driver.value ? e->cgroup_driver.value : "unknown",
		     e->cgroupns.value ? e->cgroupns.value : "unknown", strna(e->runtime.value),
		     streq_ptr(e->enabled.value, "yes") ? ", started at boot"
							: ", not started at boot");
}

static void check_docker(const void *p, struct sc_check *c)
{
	check_engine(IMG(p), SC_ENGINE_DOCKER, c);
}

static void check_podman(const void *p, struct sc_check *c)
{
	check_engine(IMG(p), SC_ENGINE_PODMAN, c);
}

static void check_containerd(const void *p, struct sc_check *c)
{
	check_engine(IMG(p), SC_ENGINE_CONTAINERD, c);
}

static void check_lxc(const void *p, struct sc_check *c)
{
	check_engine(IMG(p), SC_ENGINE_LXC, c);
}

static void check_lxcfs(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);

	if (!f->lxcfs_installed) {
		sc_check_evidence(c, "/usr/bin/lxcfs", "absent");
		sc_check_set(c, SC_INFO,
			     "lxcfs is not installed: free and top in containers show the host's "
			     "totals");
		return;
	}
	evidence_val(c, "enabled at boot", &f->lxcfs_enabled);
	sc_check_set(c, SC_INFO, "lxcfs is installed, %s",
		     streq_ptr(f->lxcfs_enabled.value, "yes") ? "started at boot"
							      : "not started at boot");
}

/* ---- rootless ---------------------------------------------------------------- */

/* cgroup-facts.md "Delegation": user@.service gets memory pids (cpu too
 * since systemd 252); rootless limits need cpu cpuset io memory pids. */
static void check_delegation(const void *p, struct sc_check *c)
{
	static const char *const want[] = { "cpu", "cpuset", "io", "memory", "pids" };
	const struct sc_image_facts *f = IMG(p);
	_cleanup_strv_free_ char **have = NULL;
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **miss = NULL;
	_cleanup_free_ char *ml = NULL;

	if (!streq_ptr(f->init.value, "systemd")) {
		sc_check_set(c, SC_SKIP, "no systemd: no user@.service to delegate from");
		return;
	}
	evidence_val(c, "Delegate=", &f->delegate);
	if (f->mode != SC_CG_UNIFIED) {
		sc_check_set(c, SC_SKIP, "delegation to users needs cgroup v2 (mode %s)",
			     sc_cgroup_mode_to_string(f->mode));
		return;
	}
	if (!f->delegate.value) {
		sc_check_set(c, SC_WARN,
			     "user@.service delegates nothing: rootless containers get no "
			     "limits");
		sc_check_remedy(c, "a drop-in /etc/systemd/system/user@.service.d/delegate.conf "
				   "with [Service] Delegate=cpu cpuset io memory pids");
		return;
	}
	have = sc_strv_split(f->delegate.value, " ");
	if (!sc_strv_contains(have, "yes"))
		for (size_t i = 0; i < ELEMENTSOF(want); i++)
			if (!sc_strv_contains(have, want[i]))
				sc_strv_builder_push(&b, want[i]);
	miss = sc_strv_builder_take(&b);
	ml = sc_strv_join(miss, " ");
	/* systemd's own default (pids memory cpu) runs rootless containers,
	 * systemd in them too; only their cpuset and io limits are missing. */
	if (*ml) {
		sc_check_set(c, SC_INFO,
			     "user@.service delegates \"%s\" (%s): rootless containers cannot "
			     "limit %s",
			     f->delegate.value, f->delegate.source, ml);
		sc_check_remedy(c, "a drop-in /etc/systemd/system/user@.service.d/delegate.conf "
				   "with [Service] Delegate=cpu cpuset io memory pids");
	} else
		sc_check_set(c, SC_PASS, "user@.service delegates \"%s\" (%s)", f->delegate.value,
			     f->delegate.source);
}

static void check_userns(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);
	const struct sc_image_kernel *k = f->n_kernels ? &f->kernels[0] : NULL;

	evidence_val(c, "/etc/subuid", &f->subuid);
	evidence_val(c, "/etc/subgid", &f->subgid);
	if (f->max_user_ns.value)
		evidence_val(c, "user.max_user_namespaces", &f->max_user_ns);
	if (f->userns_clone.value)
		evidence_val(c, "kernel.unprivileged_userns_clone", &f->userns_clone);
	if (f->apparmor_userns.value)
		evidence_val(c, "kernel.apparmor_restrict_unprivileged_userns",
			     &f->apparmor_userns);
	if (k && !k->config_err && k->opts[SC_KC_USER_NS].value != 'y') {
		sc_check_set(c, SC_WARN, "kernel %s has no CONFIG_USER_NS: no rootless containers",
			     k->release);
		sc_check_remedy(c, "a kernel built with CONFIG_USER_NS=y (every distribution "
				   "kernel is)");
		return;
	}
	if (streq_ptr(f->max_user_ns.value, "0") || streq_ptr(f->userns_clone.value, "0")) {
		sc_check_set(c, SC_WARN, "the image's sysctl.d disables user namespaces (%s)",
			     streq_ptr(f->max_user_ns.value, "0") ? f->max_user_ns.source
								  : f->userns_clone.source);
		sc_check_remedy(c, "drop that setting");
		return;
	}
	if (streq_ptr(f->apparmor_userns.value, "1")) {
		sc_check_set(c, SC_WARN,
			     "AppArmor restricts unprivileged user namespaces (%s): rootless "
			     "engines need a profile",
			     f->apparmor_userns.source);
		sc_check_remedy(c, "an AppArmor profile with \"userns,\" for the engine "
				   "(podman, rootlesskit), or kernel.apparmor_restrict_"
				   "unprivileged_userns = 0 in /etc/sysctl.d");
		return;
	}
	if (!f->subuid.value || strncmp(f->subuid.value, "0 ", 2) == 0 ||
	    streq(f->subuid.value, "absent") || !f->subgid.value ||
	    strncmp(f->subgid.value, "0 ", 2) == 0 || streq(f->subgid.value, "absent")) {
		sc_check_set(c, SC_INFO,
			     "no subordinate id ranges yet (/etc/subuid %s, /etc/subgid %s): "
			     "useradd adds them for each new user; rootless needs one",
			     strna(f->subuid.value), strna(f->subgid.value));
		return;
	}
	sc_check_set(c, SC_PASS,
		     "user namespaces not disabled by the image, /etc/subuid %s, /etc/subgid %s "
		     "(the running kernel's limit is unknown until it boots)",
		     f->subuid.value, f->subgid.value);
}

/* ---- the engines' default systemd recipes ------------------------------------- */

/* Docker's default capabilities (moby oci/caps/defaults.go), podman's
 * (containers/common pkg/config default capabilities), LXC's (every
 * capability but the ones its common.conf drops: mac_admin mac_override
 * sys_time sys_module sys_rawio). */
#define CAP(n) (1ULL << (n))
#define DOCKER_CAPS                                                                             \
	(CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(SC_CAP_SETGID) | CAP(SC_CAP_SETUID) | \
	 CAP(SC_CAP_SETPCAP) | CAP(10) | CAP(13) | CAP(18) | CAP(27) | CAP(29) | CAP(31))
#define PODMAN_CAPS                                                                             \
	(CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(SC_CAP_SETGID) | CAP(SC_CAP_SETUID) | \
	 CAP(SC_CAP_SETPCAP) | CAP(10) | CAP(18) | CAP(31))
#define LXC_CAPS                                   \
	(((1ULL << (SC_CAP_LAST_KNOWN + 1)) - 1) & \
	 ~(CAP(32) | CAP(33) | CAP(25) | CAP(16) | CAP(17)))

struct recipe {
	const char *engine; /* an sc_engine name, or NULL: always */
	const char *name;
	const char *flags;
	uint64_t caps;
	bool cg_rw;	/* the cgroup mount writable */
	bool run_tmpfs; /* /run and /run/lock */
	bool env;	/* $container set */
	bool name_systemd_rw;
};

static const struct recipe recipes[] = {
	{ "docker", "docker", "docker run IMAGE /sbin/init", DOCKER_CAPS, false, false, false,
	  false },
	{ "docker", "docker (guide)", "docker run --tmpfs /run --tmpfs /run/lock IMAGE /sbin/init",
	  DOCKER_CAPS, false, true, false, false },
	{ "podman", "podman", "podman run IMAGE /sbin/init (--systemd=true)", PODMAN_CAPS, true,
	  true, true, true },
	{ "lxc", "lxc", "lxc-create -t download + lxc-start (lxc.mount.auto cgroup:mixed)",
	  LXC_CAPS, true, false, true, true },
};

static enum sc_boot_verdict evaluate(const struct sc_image_facts *f, const struct recipe *rc,
				     const char *version, char **ret_rules)
{
	const struct sc_image_engine *e = NULL;
	char tmpfs[] = "tmpfs", ver[32];
	bool v2 = f->mode == SC_CG_UNIFIED;
	struct sc_boot_env env = {
		.source = "image",
		.runtime = rc->engine,
		.host_mode = f->mode,
		.kernel_major = -1,
		.kernel_minor = -1,
		.cgfs = v2 ? SC_BOOT_CGFS_CGROUP2
			: (f->mode == SC_CG_HYBRID || f->mode == SC_CG_LEGACY) ? SC_BOOT_CGFS_TMPFS
									       : SC_BOOT_CGFS_NONE,
		.cgfs_ro = !rc->cg_rw,
		.hier_ro = !rc->cg_rw && !rc->name_systemd_rw,
		.has_name_systemd = !v2 && streq_ptr(f->init.value, "systemd"),
		.name_systemd_visible = true,
		.own_cgroup_visible = SC_YES,
		.caps = rc->caps,
		.container_env = rc->env,
		.fs_run = rc->run_tmpfs ? tmpfs : NULL,
		.fs_run_lock = rc->run_tmpfs ? tmpfs : NULL,
		.fs_tmp = NULL,
		.dev_console = SC_UNKNOWN,
		.kernel_modules = true,
		.systemd_image_known = true,
		.running = SC_UNKNOWN,
		.manager_error = -ENOENT,
		.dockerenv = SC_UNKNOWN,
		.containerenv = SC_UNKNOWN,
	};
	struct sc_boot_result r;
	_cleanup_strv_free_ char **ids = sc_xcalloc(1, sizeof(char *));
	enum sc_boot_verdict v;

	for (size_t i = 0; i < _SC_ENGINE_MAX; i++)
		if (streq_ptr(rc->engine, sc_engine_to_string(i)))
			e = &f->engines[i];
	env.cgroupns = e && e->cgroupns.value ? streq(e->cgroupns.value, "private") : v2;
	/* What the booted image gives systemd_mode() (checks-boot.c): its
	 * boot loader's command line; on a v1 layout controllers are bound
	 * to v1 hierarchies, name=systemd with systemd as the host's init. */
	sc_boot_env_set_cmdline(&env, f->params, f->n_params);
	env.v1_in_use = v2 ? NULL : "cpu";
	env.host_name_systemd = env.has_name_systemd;
	if (f->n_kernels)
		(void)sc_kernel_version_parse(f->kernels[0].release, &env.kernel_major,
					      &env.kernel_minor);
	if (streq_ptr(rc->engine, "podman") && !v2) {
		/* Podman on v1 binds the host's name=systemd writable, the rest
		 * read-only, in the host's cgroup namespace. */
		env.hier_ro = false;
		env.cgroupns = false;
	}
	snprintf(ver, sizeof(ver), "%s", version);
	env.systemd.found = true;
	env.systemd.version = ver;
	(void)sc_systemd_version_parse(ver, &env.systemd.v);
	sc_boot_evaluate(&env, &r);
	for (size_t i = 0; i < r.n_hits; i++)
		if (r.hits[i].effect != SC_BOOT_BOOTS)
			sc_strv_push(&ids, r.hits[i].id);
	*ret_rules = sc_strv_join(ids, ", ");
	v = r.verdict;
	sc_boot_result_done(&r);
	return v;
}

static char *recipe_spans(const struct sc_image_facts *f, const struct recipe *rc,
			  bool *ret_newest_boots, bool *ret_any_boots)
{
	const struct sc_boot_version_span *spans;
	size_t n = sc_boot_version_spans(&spans);
	enum sc_boot_verdict *v = sc_xcalloc(n + 1, sizeof(*v));
	char **why = sc_xcalloc(n + 1, sizeof(char *));
	char *out;

	*ret_any_boots = false;
	for (size_t i = 0; i < n; i++) {
		v[i] = evaluate(f, rc, spans[i].version, &why[i]);
		*ret_any_boots |= v[i] == SC_BOOT_BOOTS;
	}
	*ret_newest_boots = n && v[n - 1] == SC_BOOT_BOOTS;
	out = sc_boot_version_runs(v, why, n);
	sc_strv_free(why);
	free(v);
	return out;
}

static void check_recipes(const void *p, struct sc_check *c)
{
	const struct sc_image_facts *f = IMG(p);
	_cleanup_strv_builder_ struct sc_strv_builder ok = {}, bad = {};
	_cleanup_strv_free_ char **okl = NULL, **badl = NULL;
	_cleanup_free_ char *oks = NULL, *bads = NULL;
	unsigned n = 0;

	if (f->mode == SC_CG_UNKNOWN) {
		sc_check_set(c, SC_ERROR, "the cgroup mode is unknown: no recipe can be judged");
		return;
	}
	for (size_t i = 0; i < ELEMENTSOF(recipes); i++) {
		const struct recipe *rc = &recipes[i];
		bool newest, any, inst = false;
		_cleanup_free_ char *spans = NULL;

		for (size_t e = 0; e < _SC_ENGINE_MAX; e++)
			if (streq(rc->engine, sc_engine_to_string(e)))
				inst = f->engines[e].installed;
		if (!inst)
			continue;
		n++;
		spans = recipe_spans(f, rc, &newest, &any);
		sc_check_evidence(c, rc->flags, "systemd %s", spans);
		if (newest)
			sc_strv_builder_push(&ok, rc->name);
		else
			sc_strv_builder_consume(&bad, sc_xasprintf("%s (%s)", rc->name,
								   any ? "older systemd only"
								       : "no systemd version"));
	}
	if (!n) {
		sc_check_set(c, SC_SKIP, "no container engine installed");
		return;
	}
	sc_check_evidence(c, "assumed",
			  "each engine's defaults on the predicted host, its "
			  "cgroupns from the image's configuration");
	okl = sc_strv_builder_take(&ok);
	badl = sc_strv_builder_take(&bad);
	oks = sc_strv_join(okl, ", ");
	bads = sc_strv_join(badl, ", ");
	if (!*oks) {
		sc_check_set(
			c, SC_WARN,
			"no installed engine's default recipe boots the newest systemd here: %s",
			bads);
		sc_check_remedy(c, "cgroup v2, and an engine that gives systemd a writable cgroup "
				   "(podman run IMAGE /sbin/init)");
	} else
		sc_check_set(c, SC_INFO, "the newest systemd boots with: %s%s%s", oks,
			     *bads ? "; not with: " : "", bads);
}

const struct sc_check_def sc_image_checks[] = {
	{ "image.kernel", "image", "the image has a kernel, and its config",
	  "/boot/vmlinuz-*, /boot/config-*", check_kernel },
	{ "image.kernel-config", "image", "the kernel has the options container engines need",
	  "moby contrib/check-config.sh; lxc-checkconfig", check_kernel_config },
	{ "image.controllers", "image", "where each controller will be once the image boots",
	  "kernel config; systemd src/shared/mount-setup.c; OpenRC init.d/cgroups",
	  check_controllers },
	{ "image.cmdline", "image", "the kernel command line the boot loader will pass",
	  "grub-mkconfig 10_linux; Boot Loader Specification; kernel-install(8)", check_cmdline },
	{ "image.init", "image", "the init system, its version and cgroup defaults",
	  "docs/boot-rules.md#image-version", check_init },
	{ "image.cgroup-v1-request", "image", "what systemd makes of a cgroup v1 request",
	  "systemd NEWS v256, v258; docs/boot-rules.md#versions-that-change-verdicts",
	  check_legacy_request },
	{ "image.docker", "engines", "Docker's configuration (/etc/docker/daemon.json)",
	  "dockerd(8) daemon.json; moby daemon/daemon_unix.go", check_docker },
	{ "image.podman", "engines", "Podman's configuration (containers.conf)",
	  "containers.conf(5)", check_podman },
	{ "image.containerd", "engines", "containerd's configuration (config.toml)",
	  "containerd docs/cri/config.md", check_containerd },
	{ "image.lxc", "engines", "LXC's defaults (/etc/lxc/default.conf)", "lxc.container.conf(5)",
	  check_lxc },
	{ "image.lxcfs", "engines", "lxcfs installed and started at boot", "lxcfs README",
	  check_lxcfs },
	{ "image.delegation", "rootless", "user@.service delegates the controllers",
	  "systemd.resource-control(5) Delegate=; docs/cgroup-facts.md#delegation",
	  check_delegation },
	{ "image.userns", "rootless", "user namespaces and subordinate ids for rootless use",
	  "user_namespaces(7); subuid(5); sysctl.d(5)", check_userns },
	{ "image.engine-recipes", "boot",
	  "which engines' default recipes boot the newest systemd there",
	  "lib/checks-boot.c rules; tests/e2e/TRUTH.md", check_recipes },
	{},
};

/* The host rules that judge a cgroup layout and the kernel: they see the
 * predicted host (the others read what only a running system has). */
static const char *const host_rules[] = { "cgroup.mode", "cgroup.name-systemd",
					  "cgroup.hybrid-v2-controllers", "kernel.version",
					  "boot.host-versions" };

void sc_image_judge(struct sc_report *r)
{
	struct sc_image_check_input in = { r->image, r->host };

	for (size_t i = 0; i < ELEMENTSOF(host_rules); i++)
		for (const struct sc_check_def *d = sc_host_checks; d->id; d++) {
			struct sc_check_def one[2] = { *d, {} };
			struct sc_check *c;

			if (!streq(d->id, host_rules[i]))
				continue;
			sc_report_run(r, one, r->host);
			c = &r->checks[r->n_checks - 1];
			sc_check_evidence(c, "predicted", "%s: %s (%s)",
					  sc_cgroup_mode_to_string(r->image->mode),
					  strna(r->image->mode_why), strna(r->image->mode_source));
		}
	sc_report_run(r, sc_image_checks, &in);
}
