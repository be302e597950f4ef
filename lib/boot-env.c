/* SPDX-License-Identifier: MIT */
/* The environment systemd would find as PID 1: read off a running
 * container's facts, or predicted from an OCI bundle (config.json, the
 * runtime spec 1.0) and this host, the way runc 1.1 (libcontainer
 * rootfs_linux.go) sets up mounts: a "cgroup" mount on a v1/hybrid host is
 * a tmpfs with a bind of the container's own cgroup in each v1 hierarchy
 * mounted on the host (no cgroup2 at unified), on a v2 host a cgroup2
 * mount; "ro" applies to all of them. */
#include <jansson.h>
#include <stdio.h>

#include "boot.h"
#include "container.h"
#include "proc.h"
#include "util.h"

static const char *const cgfs_names[] = {
	[SC_BOOT_CGFS_NONE] = "none",
	[SC_BOOT_CGFS_TMPFS] = "tmpfs",
	[SC_BOOT_CGFS_CGROUP2] = "cgroup2",
	[SC_BOOT_CGFS_OTHER] = "other",
};

SC_STRING_TABLE_TO_STRING(sc_boot_cgfs, enum sc_boot_cgfs, cgfs_names, "other")

/* proc_cmdline_get_bool() on the last occurrence: a bare key is true;
 * 1 true, -1 false, 0 absent or not a boolean. */
static int cmdline_bool(const struct sc_kernel_param *params, size_t n, const char *key)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
	const struct sc_kernel_param *p = NULL;

	for (size_t i = 0; i < n; i++)
		if (streq(params[i].key, key))
			p = &params[i];
	if (!p)
		return 0;
	if (!p->value)
		return 1;
	for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
		if (strcaseeq(p->value, yes[i]))
			return 1;
		if (strcaseeq(p->value, no[i]))
			return -1;
	}
	return 0;
}

void sc_boot_env_set_cmdline(struct sc_boot_env *e, const struct sc_kernel_param *params,
			     size_t n_params)
{
	e->cmdline_unified = cmdline_bool(params, n_params, "systemd.unified_cgroup_hierarchy");
	e->cmdline_legacy_ctl =
		cmdline_bool(params, n_params, "systemd.legacy_systemd_cgroup_controller");
	e->cmdline_no_v1_all = false;
	for (size_t i = 0; i < n_params; i++)
		if (streq(params[i].key, "cgroup_no_v1"))
			e->cmdline_no_v1_all = streq_ptr(params[i].value, "all");
}

void sc_boot_env_set_host(struct sc_boot_env *e, const struct sc_host_facts *h)
{
	/* cgroup_controller_from_string(): what systemd knows as a
	 * controller of /proc/cgroups. */
	static const char *const known[] = { "cpu",   "cpuacct", "cpuset",  "io",
					     "blkio", "memory",	 "devices", "pids" };

	e->host_mode = h->cgroup.mode;
	e->kernel_major = h->kernel_major;
	e->kernel_minor = h->kernel_minor;
	e->kernel_modules = h->kernel_modules;
	sc_boot_env_set_cmdline(e, h->params, h->n_params);
	e->v1_in_use = NULL;
	for (size_t i = 0; i < h->cgroup.n_controllers && !e->v1_in_use; i++) {
		const struct sc_controller *c = &h->cgroup.controllers[i];

		if (c->hierarchy <= 0 || c->enabled == 0)
			continue;
		for (size_t j = 0; j < ELEMENTSOF(known); j++)
			if (streq(c->name, known[j])) {
				e->v1_in_use = known[j];
				break;
			}
	}
	e->host_name_systemd = false;
	for (size_t i = 0; i < h->cgroup.n_mounts; i++)
		e->host_name_systemd |= h->cgroup.mounts[i].version == 1 &&
					streq_ptr(h->cgroup.mounts[i].name, "systemd");
}

void sc_boot_env_done(struct sc_boot_env *e)
{
	free(e->container_env_value);
	free(e->container_manager);
	free(e->inside_error);
	free(e->pid1_cgroup);
	free(e->fs_run);
	free(e->fs_run_lock);
	free(e->fs_tmp);
	sc_systemd_image_done(&e->systemd);
	sc_manager_state_done(&e->manager);
	*e = (struct sc_boot_env){};
}

/* The result is the rules' (checks-boot.c); freeing it is the model's, so
 * that report.c, which owns one, does not depend on the rules. */
void sc_boot_result_done(struct sc_boot_result *r)
{
	for (size_t i = 0; i < r->n_hits; i++) {
		free(r->hits[i].message);
		free(r->hits[i].remedy);
		sc_strv_free(r->hits[i].evidence);
		sc_strv_free(r->hits[i].units);
	}
	free(r->hits);
	free(r->failure_why);
	free(r->cgroup_mode);
	free(r->systemd_version);
	sc_strv_free(r->failing_units);
	sc_manager_state_done(&r->now);
	*r = (struct sc_boot_result){};
}

void sc_fix_done(struct sc_fix *f)
{
	for (size_t i = 0; i < f->n_changes; i++) {
		struct sc_fix_change *c = &f->changes[i];
		sc_strv_free(c->ids);
		sc_strv_free(c->add);
		sc_strv_free(c->remove);
		sc_strv_free(c->grants);
		sc_strv_free(c->host);
		json_decref(c->patch);
	}
	free(f->changes);
	free(f->why);
	json_decref(f->patched);
	*f = (struct sc_fix){};
}

static void copy_systemd(const struct sc_systemd_image *s, struct sc_boot_env *e)
{
	e->systemd = *s;
	e->systemd.version = s->version ? sc_xstrdup(s->version) : NULL;
	e->systemd.source = s->source ? sc_xstrdup(s->source) : NULL;
	e->systemd.method = s->method ? sc_xstrdup(s->method) : NULL;
	e->systemd.default_hierarchy =
		s->default_hierarchy ? sc_xstrdup(s->default_hierarchy) : NULL;
	e->systemd.init_path = s->init_path ? sc_xstrdup(s->init_path) : NULL;
	e->systemd.init_chain = sc_strv_copy(s->init_chain);
	e->systemd.units = sc_strv_copy(s->units);
	e->systemd_image_known = true;
}

static const char *runtime_name(enum sc_runtime rt)
{
	return rt == SC_RT_NONE ? NULL : sc_runtime_to_string(rt);
}

/* No sysfs on /sys and CAP_SYS_ADMIN (outside a user namespace, where
 * sysfs stays unmountable: docs/boot-rules.md#r26): systemd mounts sysfs
 * on /sys itself,
 * which hides whatever the runtime mounted on /sys/fs/cgroup under it,
 * then mounts its own cgroup filesystem there. Measured one knob at a
 * time: cgroup2 read-only plus no /sys boots with CAP_SYS_ADMIN on
 * bookworm and trixie, and fails without it (e2e probe chk-sysnone-v2ro,
 * runc trixie/pw-11). */
static void sysfs_hides_cgroup_mount(struct sc_boot_env *e)
{
	if (!e->sys_absent || !(e->caps & (1ULL << SC_CAP_SYS_ADMIN)) || e->userns)
		return;
	e->cgfs = SC_BOOT_CGFS_NONE;
	e->cgfs_ro = e->hier_ro = false;
	e->has_name_systemd = e->has_unified = e->host_tree = false;
	e->cgroup_nested = e->cgroupns ? SC_YES : SC_NO;
}

void sc_boot_env_from_container(const struct sc_host_facts *h, const struct sc_container_facts *c,
				struct sc_boot_env *ret)
{
	struct sc_boot_env e = { .source = "container" };
	const struct sc_inside_facts *in = &c->inside;
	const struct sc_mount *top, *host_top;

	e.runtime = runtime_name(c->ref.runtime);
	sc_boot_env_set_host(&e, h);
	e.cgroupns = sc_proc_ns_private(&c->proc, SC_NS_CGROUP) == 1;
	e.userns = sc_proc_ns_private(&c->proc, SC_NS_USER) == 1;
	e.caps = c->proc.cap_eff;
	e.nnp = c->proc.no_new_privs == 1;
	e.container_env = c->proc.container_env != NULL;
	e.container_env_value = c->proc.container_env ? sc_xstrdup(c->proc.container_env) : NULL;
	e.own_cgroup_visible = SC_UNKNOWN;
	e.running = SC_UNKNOWN;
	e.manager_error = -SC_ENOFACT;
	e.dockerenv = e.containerenv = e.cgroup_nested = SC_UNKNOWN;
	e.not_a_container = !sc_container_is_container(c);
	if (!c->inside_ok) {
		e.inside_error = sc_xstrdup(c->inside_error ? c->inside_error : "no inside view");
		*ret = e;
		return;
	}
	e.dockerenv = in->dockerenv;
	e.containerenv = in->containerenv;
	e.container_manager = in->container_manager ? sc_xstrdup(in->container_manager) : NULL;
	e.running = in->systemd_running;
	e.manager_error = in->manager_error;
	if (in->manager_error == 0)
		sc_manager_state_copy(&in->manager, &e.manager);

	switch (in->cgroup.fs_root.err ? 0 : in->cgroup.fs_root.magic) {
	case SC_TMPFS_MAGIC:
		e.cgfs = SC_BOOT_CGFS_TMPFS;
		break;
	case SC_CGROUP2_SUPER_MAGIC:
		e.cgfs = SC_BOOT_CGFS_CGROUP2;
		break;
	case 0:
	case SC_SYSFS_MAGIC:
		e.cgfs = SC_BOOT_CGFS_NONE;
		break;
	default:
		e.cgfs = SC_BOOT_CGFS_OTHER;
		break;
	}
	top = sc_mounts_at(&in->mounts, "/sys/fs/cgroup");
	e.cgfs_ro = top && sc_mount_is_read_only(top);
	/* The host's own tmpfs (same device) bound in: its tree with it. */
	host_top = sc_mounts_at(&h->mounts, "/sys/fs/cgroup");
	e.host_tree = top && host_top && top->major == host_top->major &&
		      top->minor == host_top->minor && e.cgfs == SC_BOOT_CGFS_TMPFS;
	for (size_t i = 0; i < in->cgroup.n_mounts; i++) {
		const struct sc_cgroup_mount *m = &in->cgroup.mounts[i];

		if (m->version == 1 && streq_ptr(m->name, "systemd") &&
		    streq(m->mountpoint, "/sys/fs/cgroup/systemd")) {
			e.has_name_systemd = true;
			e.hier_ro |= m->read_only;
		}
		if (m->version == 2 && streq(m->mountpoint, "/sys/fs/cgroup/unified")) {
			e.has_unified = true;
			e.hier_ro |= m->read_only;
		}
		if (m->version == 2 && streq(m->mountpoint, "/sys/fs/cgroup"))
			e.cgfs_ro = m->read_only;
	}
	{
		bool any = false, all = true;
		for (size_t i = 0; i < in->n_hier; i++) {
			const struct sc_inside_hierarchy *hh = &in->hier[i];
			/* systemd's own hierarchies decide: cgroup2, name=systemd. */
			if (!(hh->hierarchy == 0 || streq(hh->controllers, "name=systemd")) ||
			    !hh->mountpoint)
				continue;
			any = true;
			all &= hh->visible;
		}
		e.own_cgroup_visible = any ? (all ? SC_YES : SC_NO) : SC_UNKNOWN;
	}
	for (size_t i = 0; i < in->n_hier; i++) {
		const struct sc_inside_hierarchy *hh = &in->hier[i];

		if (streq(hh->controllers, "name=systemd"))
			e.name_systemd_visible = hh->literal_visible;
		if (hh->hierarchy == 0 && !*hh->controllers)
			e.pid1_cgroup = sc_xstrdup(hh->cgroup);
	}
	for (size_t i = 0; !e.pid1_cgroup && i < in->n_hier; i++)
		if (streq(in->hier[i].controllers, "name=systemd"))
			e.pid1_cgroup = sc_xstrdup(in->hier[i].cgroup);
	/* running_in_cgroupns(): the hierarchy systemd looks at shows a
	 * cgroup below its root. The host's tree bound in shows the root; a
	 * mount made in the host's cgroup namespace too, unless the runtime
	 * bound a subtree (mountinfo root other than "/"). */
	{
		const struct sc_cgroup_mount *cm = NULL;

		for (size_t i = 0; i < in->cgroup.n_mounts; i++) {
			const struct sc_cgroup_mount *m = &in->cgroup.mounts[i];
			if ((m->version == 2 && streq(m->mountpoint, "/sys/fs/cgroup")) ||
			    (m->version == 1 && streq_ptr(m->name, "systemd") &&
			     streq(m->mountpoint, "/sys/fs/cgroup/systemd")))
				cm = m;
		}
		e.cgroup_nested = !cm || e.host_tree			? SC_NO
				  : e.cgroupns || !streq(cm->root, "/") ? SC_YES
									: SC_NO;
	}
	e.fs_run = in->fs_run ? sc_xstrdup(in->fs_run) : NULL;
	e.fs_run_lock = in->fs_run_lock ? sc_xstrdup(in->fs_run_lock) : NULL;
	e.fs_tmp = in->fs_tmp ? sc_xstrdup(in->fs_tmp) : NULL;
	e.sys_ro = in->sys_read_only == SC_YES;
	e.sys_absent = !sc_mounts_at(&in->mounts, "/sys");
	e.dev_absent = !in->dev_mounted;
	e.dev_shm_absent = !in->fs_dev_shm;
	{
		const struct sc_mount *r = sc_mounts_at(&in->mounts, "/");
		e.root_ro = r && sc_mount_is_read_only(r);
	}
	/* The mount /var/lib/systemd is on: the deepest of these. */
	{
		static const char *const under[] = { "/var/lib/systemd", "/var/lib", "/var", "/" };
		for (size_t i = 0; i < ELEMENTSOF(under); i++) {
			const struct sc_mount *m = sc_mounts_at(&in->mounts, under[i]);
			if (m) {
				e.state_dir_ro = sc_mount_is_read_only(m);
				break;
			}
		}
	}
	e.dev_console = in->dev_console;
	copy_systemd(&in->systemd, &e);
	sysfs_hides_cgroup_mount(&e);
	*ret = e;
}

/* ---- bundles ------------------------------------------------------------------- */

static bool has_option(json_t *mount, const char *opt)
{
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(mount, "options"), i,
			   o) if (streq_ptr(json_string_value(o), opt)) return true;
	return false;
}

static json_t *mount_at(json_t *config, const char *dest)
{
	json_t *m, *found = NULL;
	size_t i;

	/* The last mount on a destination is the one on top. */
	json_array_foreach(json_object_get(config, "mounts"), i, m)
	{
		_cleanup_free_ char *d = sc_path_normalize(
			strna(json_string_value(json_object_get(m, "destination"))));
		if (streq(d, dest))
			found = m;
	}
	return found;
}

static bool has_namespace(json_t *config, const char *type)
{
	json_t *n;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(config, "linux"), "namespaces"), i,
			   n) if (streq_ptr(json_string_value(json_object_get(n, "type")), type) &&
				  !json_object_get(n, "path")) return true;
	return false;
}

static uint64_t caps_of(json_t *list)
{
	uint64_t m = 0;
	json_t *c;
	size_t i;

	json_array_foreach(list, i, c)
	{
		int k = sc_cap_from_name(strna(json_string_value(c)));
		if (k >= 0)
			m |= 1ULL << k;
	}
	return m;
}

static char *fstype_of(json_t *config, const char *dest)
{
	json_t *m = mount_at(config, dest);
	const char *t = m ? json_string_value(json_object_get(m, "type")) : NULL;

	return t ? sc_xstrdup(t) : NULL;
}

int sc_boot_bundle_open(const char *bundle_dir, json_t **ret_config, struct sc_root **ret_rootfs,
			char **ret_error)
{
	_cleanup_root_ struct sc_root *broot = NULL, *rootfs = NULL;
	_cleanup_free_ char *text = NULL, *rootfs_path = NULL;
	json_t *config = NULL;
	json_error_t jerr;
	const char *rp;
	int k;

	*ret_error = NULL;
	k = sc_root_open(bundle_dir, 0, &broot);
	if (k < 0) {
		*ret_error = sc_xasprintf("bundle %s: %s", bundle_dir, sc_strerror(k));
		return k;
	}
	k = sc_root_read(broot, "/config.json", SC_READ_MAX, &text, NULL);
	if (k < 0) {
		*ret_error = sc_xasprintf("bundle %s: config.json: %s", bundle_dir, sc_strerror(k));
		return k;
	}
	config = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!config || !json_is_object(config)) {
		*ret_error = sc_xasprintf("bundle %s: config.json: invalid JSON at line %d: %s",
					  bundle_dir, jerr.line, jerr.text);
		json_decref(config);
		return -EBADMSG;
	}

	/* The rootfs: root.path, relative to the bundle (runtime-spec). */
	rp = json_string_value(json_object_get(json_object_get(config, "root"), "path"));
	if (!rp) {
		*ret_error = sc_xasprintf("bundle %s: config.json has no root.path", bundle_dir);
		json_decref(config);
		return -EBADMSG;
	}
	rootfs_path = rp[0] == '/' ? sc_xstrdup(rp) : sc_xasprintf("%s/%s", bundle_dir, rp);
	k = sc_root_open(rootfs_path, 0, &rootfs);
	if (k < 0) {
		*ret_error = sc_xasprintf("bundle %s: rootfs %s: %s", bundle_dir, rootfs_path,
					  sc_strerror(k));
		json_decref(config);
		return k;
	}
	*ret_config = config;
	*ret_rootfs = TAKE_PTR(rootfs);
	return 0;
}

int sc_boot_env_from_bundle(const struct sc_host_facts *h, const char *bundle_dir,
			    struct sc_boot_env *ret, char **ret_error)
{
	_cleanup_root_ struct sc_root *rootfs = NULL;
	json_t *config = NULL;
	int k;

	k = sc_boot_bundle_open(bundle_dir, &config, &rootfs, ret_error);
	if (k < 0)
		return k;
	sc_boot_env_from_config(h, config, rootfs, NULL, ret);
	json_decref(config);
	return 0;
}

static bool host_has_name_systemd(const struct sc_host_facts *h)
{
	for (size_t j = 0; j < h->cgroup.n_mounts; j++)
		if (h->cgroup.mounts[j].version == 1 &&
		    streq_ptr(h->cgroup.mounts[j].name, "systemd"))
			return true;
	return false;
}

void sc_boot_env_from_config(const struct sc_host_facts *h, const json_t *cconfig,
			     struct sc_root *rootfs, const struct sc_systemd_image *sd,
			     struct sc_boot_env *ret)
{
	/* Nothing runs yet. */
	struct sc_boot_env e = {
		.source = "bundle", .runtime = "runc", .running = SC_NO, .manager_error = -ENOENT
	};
	/* Read only: jansson's getters take no const. */
	json_t *config = (json_t *)cconfig, *m, *proc, *env;
	size_t i;

	sc_boot_env_set_host(&e, h);
	e.cgroupns = has_namespace(config, "cgroup");
	e.userns = has_namespace(config, "user");
	proc = json_object_get(config, "process");
	e.caps = caps_of(json_object_get(json_object_get(proc, "capabilities"), "effective"));
	e.nnp = json_is_true(json_object_get(proc, "noNewPrivileges"));
	json_array_foreach(json_object_get(proc, "env"), i, env)
	{
		const char *v = startswith(strna(json_string_value(env)), "container=");
		if (v) {
			e.container_env = true;
			free(e.container_env_value);
			e.container_env_value = sc_xstrdup(v);
		}
	}
	/* runc creates /dev/console only with a terminal. */
	e.dev_console = json_is_true(json_object_get(proc, "terminal")) ? SC_YES : SC_NO;
	/* runc writes neither /.dockerenv nor /run/.containerenv nor
	 * /run/host/: what the image has. */
	e.dockerenv = sc_root_exists(rootfs, "/.dockerenv") == 0 ? SC_YES : SC_NO;
	e.containerenv = SC_NO;
	e.cgroup_nested = SC_NO;

	/* What /proc/1/cgroup will say: "/" in a cgroup namespace, else the
	 * cgroupsPath runc is given (by default "/" plus the container ID,
	 * unknown before `runc run`). */
	{
		const char *cp = json_string_value(
			json_object_get(json_object_get(config, "linux"), "cgroupsPath"));
		e.pid1_cgroup = e.cgroupns	     ? sc_xstrdup("/")
				: cp && cp[0] == '/' ? sc_xstrdup(cp)
						     : sc_xstrdup("/CONTAINER-ID");
	}
	m = mount_at(config, "/sys/fs/cgroup");
	e.own_cgroup_visible = SC_YES;
	if (!m)
		e.cgfs = SC_BOOT_CGFS_NONE;
	else {
		const char *type = strna(json_string_value(json_object_get(m, "type")));
		const char *source = strna(json_string_value(json_object_get(m, "source")));
		bool bind = has_option(m, "bind") || has_option(m, "rbind") || streq(type, "bind");

		if (bind && streq(source, "/sys/fs/cgroup")) {
			/* The host's tree: whatever the host has there. */
			e.host_tree = true;
			e.cgfs = h->cgroup.mode == SC_CG_UNIFIED	     ? SC_BOOT_CGFS_CGROUP2
				 : h->cgroup.fs_root.magic == SC_TMPFS_MAGIC ? SC_BOOT_CGFS_TMPFS
									     : SC_BOOT_CGFS_OTHER;
			e.cgfs_ro = has_option(m, "ro") || has_option(m, "rro");
			/* "ro" on an rbind covers the top mount only. */
			e.hier_ro = has_option(m, "rro");
			e.has_name_systemd =
				sc_cgroup_find_mount(&h->cgroup, "/sys/fs/cgroup/systemd");
			e.has_unified = h->cgroup.mode == SC_CG_HYBRID;
			/* The whole host tree: host paths exist in it. */
			e.name_systemd_visible = e.has_name_systemd;
		} else if (streq(type, "cgroup") && h->cgroup.mode != SC_CG_UNIFIED) {
			/* runc on a v1/hybrid host: a tmpfs and one bind per v1
			 * hierarchy the host mounts, name=systemd included, and
			 * no cgroup2. */
			e.cgfs = SC_BOOT_CGFS_TMPFS;
			e.cgfs_ro = e.hier_ro = has_option(m, "ro");
			e.has_name_systemd = host_has_name_systemd(h);
			/* With a cgroup namespace runc mounts the hierarchy
			 * (its root is the namespace's); without one it binds
			 * the container's own subtree, where the path
			 * /proc/1/cgroup names does not exist. */
			e.name_systemd_visible = e.has_name_systemd && e.cgroupns;
			/* Either way not the hierarchy's root. */
			e.cgroup_nested = e.has_name_systemd ? SC_YES : SC_NO;
		} else if (streq(type, "cgroup") || streq(type, "cgroup2")) {
			e.cgfs = SC_BOOT_CGFS_CGROUP2;
			e.cgfs_ro = has_option(m, "ro");
			/* A fresh cgroup2 mount shows the namespace's root: the
			 * host's own without a cgroup namespace. */
			e.cgroup_nested = e.cgroupns ? SC_YES : SC_NO;
		} else if (streq(type, "tmpfs")) {
			e.cgfs = SC_BOOT_CGFS_TMPFS;
			e.cgfs_ro = has_option(m, "ro");
		} else
			e.cgfs = SC_BOOT_CGFS_OTHER;
	}
	/* A mount of its own at /sys/fs/cgroup/systemd, over the tmpfs a v1
	 * cgroup mount makes, is what systemd finds there: Podman's systemd
	 * mode on cgroup v1 binds the host's whole name=systemd hierarchy
	 * (read-write unless the host's is read-only; libpod
	 * container_internal_linux.go setupSystemd), older Podman the
	 * container's own subtree of it. */
	m = mount_at(config, "/sys/fs/cgroup/systemd");
	if (m && e.cgfs == SC_BOOT_CGFS_TMPFS) {
		const char *type = strna(json_string_value(json_object_get(m, "type")));
		const char *source = strna(json_string_value(json_object_get(m, "source")));
		bool bind = has_option(m, "bind") || has_option(m, "rbind") || streq(type, "bind");
		const char *below = startswith(source, "/sys/fs/cgroup/systemd");

		if (bind && below && (*below == 0 || *below == '/')) {
			e.has_name_systemd = host_has_name_systemd(h);
			e.hier_ro = has_option(m, "ro");
			/* The whole hierarchy: host paths exist in it. */
			e.name_systemd_visible = e.has_name_systemd && (*below == 0 || e.cgroupns);
			e.cgroup_nested = e.has_name_systemd && *below ? SC_YES : SC_NO;
		}
	}
	e.fs_run = fstype_of(config, "/run");
	e.fs_run_lock = fstype_of(config, "/run/lock");
	e.fs_tmp = fstype_of(config, "/tmp");
	{
		json_t *sys = mount_at(config, "/sys");
		e.sys_ro = sys && has_option(sys, "ro");
		e.sys_absent = sys == NULL;
	}
	e.dev_absent = mount_at(config, "/dev") == NULL;
	e.dev_shm_absent = mount_at(config, "/dev/shm") == NULL;
	e.root_ro = json_is_true(json_object_get(json_object_get(config, "root"), "readonly"));
	{
		/* root.readonly, unless a mount gives /var/lib/systemd its own. */
		static const char *const under[] = { "/var/lib/systemd", "/var/lib", "/var" };
		json_t *mv = NULL;
		for (size_t j = 0; j < ELEMENTSOF(under) && !mv; j++)
			mv = mount_at(config, under[j]);
		e.state_dir_ro = mv ? has_option(mv, "ro")
				    : json_is_true(json_object_get(json_object_get(config, "root"),
								   "readonly"));
	}
	if (sd)
		copy_systemd(sd, &e);
	else {
		struct sc_systemd_image s;
		sc_systemd_probe(rootfs, &s);
		e.systemd = s;
		e.systemd_image_known = true;
	}
	sysfs_hides_cgroup_mount(&e);
	/* An empty root is no image without systemd: the engine mounts it in
	 * a mount namespace of its own (rootless Podman's overlay "merged",
	 * in the user's namespace; trixie VM, 2026-12-03). */
	if (rootfs && !sd) {
		_cleanup_strv_free_ char **l = NULL;

		if (sc_root_list(rootfs, "/", &l) >= 0 && l && !l[0])
			e.inside_error = sc_xasprintf("the bundle's root %s is empty here: it is "
						      "mounted in another mount "
						      "namespace (a rootless engine's), predict "
						      "from the container instead",
						      sc_root_path(rootfs));
	}
	*ret = e;
}
