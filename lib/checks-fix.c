/* SPDX-License-Identifier: MIT */
/* boot --fix: the smallest sets of changes that make systemd boot, found
 * by searching the boot rules (checks-boot.c). The rules are pure
 * functions of the environment (boot.h), so a candidate change is an edit
 * of that environment: every set of candidates up to FIX_MAX_SET is
 * applied to a copy, evaluated, and the sets that boot and have no subset
 * that boots are kept, ordered by what they give away. Each set is then
 * said in the runtime's own terms (docker and podman flags, an RFC 6902
 * patch of an OCI bundle's config.json, LXC keys, systemd-nspawn
 * options); a bundle's patch is applied and the patched config.json
 * judged again the way `boot --bundle` judges it, so that the verdict a
 * change promises is the tool's own prediction for it. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>

#include "checks.h"
#include "jsonpatch.h"
#include "proc.h"
#include "root.h"
#include "util.h"

#define FIX_MAX_SET 6	      /* changes in one set */
#define FIX_MAX_CHANGES 4     /* sets reported */
#define FIX_MAX_CANDIDATES 30 /* bits of a set mask */

/* The runtimes a change can be said in (the "runtime" of .boot.fix). */
enum fix_rt {
	RT_GENERIC,
	RT_OCI,
	RT_DOCKER,
	RT_PODMAN,
	RT_LXC,
	RT_NSPAWN,
	_RT_MAX,
};

static const char *const rt_names[_RT_MAX] = {
	[RT_GENERIC] = "generic", [RT_OCI] = "oci", [RT_DOCKER] = "docker",
	[RT_PODMAN] = "podman",	  [RT_LXC] = "lxc", [RT_NSPAWN] = "nspawn",
};

struct fctx {
	const struct sc_host_facts *h;
	const struct sc_boot_env *e0;
	enum fix_rt rt;
};

/* Docker's default capabilities (moby oci/caps/defaults.go). */
#define CAPS_DOCKER                                                                              \
	((1ULL << 0) | (1ULL << 1) | (1ULL << 3) | (1ULL << 4) | (1ULL << 5) | (1ULL << 6) |     \
	 (1ULL << 7) | (1ULL << 8) | (1ULL << 10) | (1ULL << 13) | (1ULL << 18) | (1ULL << 27) | \
	 (1ULL << 29) | (1ULL << 31))
#define CAPS_ALL ((1ULL << (SC_CAP_LAST_KNOWN + 1)) - 1)

static bool has(const struct sc_boot_env *e, unsigned cap)
{
	return e->caps & (1ULL << cap);
}

/* ---- the OCI patch: each edit changes the working copy and records the
 * operation, so that later operations see the indices as they are then. */

struct patch {
	json_t *doc; /* the working copy */
	json_t *ops;
	int error; /* the document cannot take this change (a hostile shape) */
};

static void op(struct patch *p, const char *name, const char *path, json_t *value)
{
	json_t *o = json_pack("{s:s,s:s}", "op", name, "path", path);
	_cleanup_free_ char *err = NULL;
	json_t *one;

	if (value)
		json_object_set_new(o, "value", value);
	one = json_pack("[O]", o);
	if (p->error || sc_json_patch_apply_in_place(&p->doc, one, &err) < 0) {
		p->error = p->error ?: -EINVAL;
		json_decref(o);
	} else
		json_array_append_new(p->ops, o);
	json_decref(one);
}

static void opf(struct patch *p, const char *name, json_t *value, const char *fmt, ...)
	_printf_(4, 5);
static void opf(struct patch *p, const char *name, json_t *value, const char *fmt, ...)
{
	va_list ap;
	char *path;

	va_start(ap, fmt);
	if (vasprintf(&path, fmt, ap) < 0)
		abort();
	va_end(ap);
	op(p, name, path, value);
	free(path);
}

/* The value at a pointer of plain keys ("/process/capabilities"). */
static json_t *at(json_t *doc, const char *path)
{
	_cleanup_strv_free_ char **keys = sc_strv_split(path, "/");
	json_t *v = doc;

	for (char **k = keys; v && k && *k; k++)
		v = json_object_get(v, *k);
	return v;
}

/* An object member the change needs: present and of that type, or added;
 * a member of another type is a shape the tool will not guess at. */
static json_t *need(struct patch *p, const char *parent_path, const char *key, bool array)
{
	json_t *parent = at(p->doc, parent_path), *v;
	_cleanup_free_ char *path = sc_xasprintf("%s/%s", parent_path, key);

	if (p->error || !json_is_object(parent)) {
		p->error = p->error ?: -EINVAL;
		return NULL;
	}
	v = json_object_get(parent, key);
	if (!v) {
		op(p, "add", path, array ? json_array() : json_object());
		return at(p->doc, path);
	}
	if (array ? !json_is_array(v) : !json_is_object(v)) {
		p->error = -EINVAL;
		return NULL;
	}
	return v;
}

static json_t *mounts(struct patch *p)
{
	return need(p, "", "mounts", true);
}

static const char *dest_of(json_t *m)
{
	return json_string_value(json_object_get(m, "destination"));
}

/* The last mount on dest (the one on top), or -1. */
static ssize_t mount_index(json_t *ms, const char *dest)
{
	ssize_t found = -1;
	json_t *m;
	size_t i;

	json_array_foreach(ms, i, m)
	{
		_cleanup_free_ char *d = sc_path_normalize(strna(dest_of(m)));
		if (streq(d, dest))
			found = (ssize_t)i;
	}
	return found;
}

/* Where a mount on dest goes: before the first mount below it (a tmpfs
 * on /run after /run/lock would hide it), else at the end. */
static ssize_t insert_index(json_t *ms, const char *dest)
{
	json_t *m;
	size_t i;

	json_array_foreach(ms, i, m)
	{
		_cleanup_free_ char *d = sc_path_normalize(strna(dest_of(m)));
		const char *rest = startswith(d, dest);
		if (rest && *rest == '/')
			return (ssize_t)i;
	}
	return -1;
}

/* Puts mount (a new reference) on dest: replaces the one there, else
 * inserts it where it belongs. */
static void put_mount(struct patch *p, const char *dest, json_t *mount)
{
	json_t *ms = mounts(p);
	ssize_t i;

	if (!ms) {
		json_decref(mount);
		return;
	}
	i = mount_index(ms, dest);
	if (i >= 0) {
		opf(p, "replace", mount, "/mounts/%zd", i);
		return;
	}
	i = insert_index(ms, dest);
	if (i >= 0)
		opf(p, "add", mount, "/mounts/%zd", i);
	else
		op(p, "add", "/mounts/-", mount);
}

static json_t *tmpfs_mount(const char *dest, const char *opts)
{
	json_t *m = json_pack("{s:s,s:s,s:s,s:[]}", "destination", dest, "type", "tmpfs", "source",
			      "tmpfs", "options");
	_cleanup_strv_free_ char **o = sc_strv_split(opts, ",");

	for (char **s = o; s && *s; s++)
		json_array_append_new(json_object_get(m, "options"), json_string(*s));
	return m;
}

/* The options of mount i without (drop) or with (add) one option. */
static void mount_option(struct patch *p, ssize_t i, const char *drop, const char *add)
{
	json_t *ms = mounts(p), *m = ms ? json_array_get(ms, (size_t)i) : NULL;
	json_t *old = json_object_get(m, "options"), *o, *nw;
	size_t k;

	if (!json_is_object(m) || (old && !json_is_array(old))) {
		p->error = -EINVAL;
		return;
	}
	nw = json_array();
	json_array_foreach(old, k, o)
	{
		const char *s = json_string_value(o);
		if (s && ((drop && (streq(s, drop) || (streq(drop, "ro") && streq(s, "rro")))) ||
			  (add && streq(s, add))))
			continue;
		json_array_append(nw, o);
	}
	if (add)
		json_array_append_new(nw, json_string(add));
	if (old)
		opf(p, "replace", nw, "/mounts/%zd/options", i);
	else
		opf(p, "add", nw, "/mounts/%zd/options", i);
}

static void caps_edit(struct patch *p, uint64_t add, uint64_t drop)
{
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	json_t *proc = need(p, "", "process", false), *caps;

	caps = proc ? need(p, "/process", "capabilities", false) : NULL;
	for (size_t s = 0; caps && s < ELEMENTSOF(sets); s++) {
		json_t *list = need(p, "/process/capabilities", sets[s], true);
		uint64_t present;

		if (!list)
			return;
		/* Dropped from the end, so that the indices hold. */
		for (size_t i = json_array_size(list); i-- > 0;) {
			int c = sc_cap_from_name(strna(json_string_value(json_array_get(list, i))));
			if (c >= 0 && (drop & (1ULL << c)))
				opf(p, "remove", NULL, "/process/capabilities/%s/%zu", sets[s], i);
		}
		list = at(p->doc, "/process/capabilities")
			       ? json_object_get(at(p->doc, "/process/capabilities"), sets[s])
			       : NULL;
		present = 0;
		for (size_t i = 0; i < json_array_size(list); i++) {
			int c = sc_cap_from_name(strna(json_string_value(json_array_get(list, i))));
			if (c >= 0)
				present |= 1ULL << c;
		}
		for (unsigned c = 0; c <= SC_CAP_LAST_KNOWN; c++)
			if ((add & (1ULL << c)) && !(present & (1ULL << c)) && sc_cap_name(c)) {
				_cleanup_free_ char *n = sc_xasprintf("CAP_%s", sc_cap_name(c));
				for (char *q = n; *q; q++)
					*q = (char)toupper((unsigned char)*q);
				opf(p, "add", json_string(n), "/process/capabilities/%s/-",
				    sets[s]);
			}
	}
}

static void cgroup_namespace(struct patch *p)
{
	json_t *linux_ = need(p, "", "linux", false), *ns, *n;
	size_t i;

	ns = linux_ ? need(p, "/linux", "namespaces", true) : NULL;
	if (!ns)
		return;
	/* A namespace joined by path is not a private one. */
	for (i = json_array_size(ns); i-- > 0;) {
		n = json_array_get(ns, i);
		if (streq_ptr(json_string_value(json_object_get(n, "type")), "cgroup")) {
			if (!json_object_get(n, "path"))
				return;
			opf(p, "remove", NULL, "/linux/namespaces/%zu", i);
		}
	}
	op(p, "add", "/linux/namespaces/-", json_pack("{s:s}", "type", "cgroup"));
}

/* ---- the candidate changes ------------------------------------------------------ */

/* Exclusive groups: at most one change of a group in a set. */
enum {
	G_CGMOUNT = 1u << 0, /* what is mounted on /sys/fs/cgroup */
	G_CAPS = 1u << 1,    /* all capabilities at once */
};

struct cand {
	const char *id;
	const char *what;   /* the change, in general terms */
	const char *grants; /* what it gives away */
	unsigned rank;	    /* 0 nothing ... 9 --privileged; 10 the host */
	unsigned group;
	bool host; /* a change of the host, not of the container */
	bool (*applies)(const struct fctx *x, const struct sc_boot_env *e);
	void (*apply)(const struct fctx *x, struct sc_boot_env *e);
	/* How each runtime says it: what to add, what to remove (NULL
	 * both: it cannot). RT_OCI's are for a container whose config.json
	 * the tool has not read; with one, the patch. */
	const char *say[_RT_MAX][2];
	void (*oci)(const struct fctx *x, struct patch *p);
};

#define STATIC(s) ((char *)(s)) /* a trial environment is never freed */

static bool a_run(const struct fctx *x, const struct sc_boot_env *e)
{
	return !streq_ptr(e->fs_run, "tmpfs");
}
static void e_run(const struct fctx *x, struct sc_boot_env *e)
{
	e->fs_run = STATIC("tmpfs");
}
static void o_run(const struct fctx *x, struct patch *p)
{
	put_mount(p, "/run", tmpfs_mount("/run", "nosuid,nodev,mode=755"));
}

static bool a_run_lock(const struct fctx *x, const struct sc_boot_env *e)
{
	return !e->fs_run_lock;
}
static void e_run_lock(const struct fctx *x, struct sc_boot_env *e)
{
	e->fs_run_lock = STATIC("tmpfs");
}
static void o_run_lock(const struct fctx *x, struct patch *p)
{
	put_mount(p, "/run/lock", tmpfs_mount("/run/lock", "nosuid,nodev,noexec,size=5m"));
}

static bool a_tmp(const struct fctx *x, const struct sc_boot_env *e)
{
	return !e->fs_tmp;
}
static void e_tmp(const struct fctx *x, struct sc_boot_env *e)
{
	e->fs_tmp = STATIC("tmpfs");
}
static void o_tmp(const struct fctx *x, struct patch *p)
{
	put_mount(p, "/tmp", tmpfs_mount("/tmp", "nosuid,nodev,mode=1777"));
}

static const char *container_value(const struct fctx *x)
{
	return x->rt == RT_DOCKER   ? "docker"
	       : x->rt == RT_PODMAN ? "podman"
	       : x->rt == RT_LXC    ? "lxc"
	       : x->rt == RT_NSPAWN ? "systemd-nspawn"
				    : "oci";
}
static bool a_env(const struct fctx *x, const struct sc_boot_env *e)
{
	return !e->container_env || isempty(e->container_env_value);
}
static void e_env(const struct fctx *x, struct sc_boot_env *e)
{
	e->container_env = true;
	e->container_env_value = STATIC(container_value(x));
}
static void o_env(const struct fctx *x, struct patch *p)
{
	json_t *proc = need(p, "", "process", false), *env;
	_cleanup_free_ char *v = sc_xasprintf("container=%s", container_value(x));

	env = proc ? need(p, "/process", "env", true) : NULL;
	for (size_t i = 0; env && i < json_array_size(env); i++)
		if (startswith(strna(json_string_value(json_array_get(env, i))), "container=")) {
			opf(p, "replace", json_string(v), "/process/env/%zu", i);
			return;
		}
	if (env)
		op(p, "add", "/process/env/-", json_string(v));
}

static bool a_root_rw(const struct fctx *x, const struct sc_boot_env *e)
{
	return e->root_ro || e->state_dir_ro;
}
static void e_root_rw(const struct fctx *x, struct sc_boot_env *e)
{
	e->root_ro = e->state_dir_ro = false;
}
static void o_root_rw(const struct fctx *x, struct patch *p)
{
	json_t *root = json_object_get(p->doc, "root");
	json_t *ms = mounts(p);

	if (json_is_true(json_object_get(root, "readonly")))
		op(p, "replace", "/root/readonly", json_false());
	/* A read-only mount under /var that holds /var/lib/systemd. */
	static const char *const under[] = { "/var/lib/systemd", "/var/lib", "/var" };
	for (size_t j = 0; ms && j < ELEMENTSOF(under); j++) {
		ssize_t i = mount_index(mounts(p), under[j]);
		if (i >= 0) {
			mount_option(p, i, "ro", NULL);
			break;
		}
	}
}

static bool a_sys_ro(const struct fctx *x, const struct sc_boot_env *e)
{
	return !e->sys_ro && !e->sys_absent;
}
static void e_sys_ro(const struct fctx *x, struct sc_boot_env *e)
{
	e->sys_ro = true;
}
static void o_sys_ro(const struct fctx *x, struct patch *p)
{
	json_t *ms = mounts(p);
	ssize_t i = ms ? mount_index(ms, "/sys") : -1;

	if (i < 0)
		p->error = -EINVAL;
	else
		mount_option(p, i, NULL, "ro");
}

static bool a_api_fs(const struct fctx *x, const struct sc_boot_env *e)
{
	return e->sys_absent || e->dev_absent || e->dev_shm_absent;
}
static void e_api_fs(const struct fctx *x, struct sc_boot_env *e)
{
	if (e->sys_absent)
		e->sys_ro = true;
	e->sys_absent = e->dev_absent = e->dev_shm_absent = false;
}
/* As `runc spec` has them. */
static void o_api_fs(const struct fctx *x, struct patch *p)
{
	const struct sc_boot_env *e = x->e0;

	if (e->dev_absent)
		put_mount(p, "/dev",
			  json_pack("{s:s,s:s,s:s,s:[s,s,s,s]}", "destination", "/dev", "type",
				    "tmpfs", "source", "tmpfs", "options", "nosuid", "strictatime",
				    "mode=755", "size=65536k"));
	if (e->sys_absent)
		put_mount(p, "/sys",
			  json_pack("{s:s,s:s,s:s,s:[s,s,s,s]}", "destination", "/sys", "type",
				    "sysfs", "source", "sysfs", "options", "nosuid", "noexec",
				    "nodev", "ro"));
	if (e->dev_shm_absent)
		put_mount(p, "/dev/shm",
			  json_pack("{s:s,s:s,s:s,s:[s,s,s,s,s]}", "destination", "/dev/shm",
				    "type", "tmpfs", "source", "shm", "options", "nosuid", "noexec",
				    "nodev", "mode=1777", "size=65536k"));
}

static bool a_drop_module(const struct fctx *x, const struct sc_boot_env *e)
{
	return has(e, SC_CAP_SYS_MODULE);
}
static void e_drop_module(const struct fctx *x, struct sc_boot_env *e)
{
	e->caps &= ~(1ULL << SC_CAP_SYS_MODULE);
}
static void o_drop_module(const struct fctx *x, struct patch *p)
{
	caps_edit(p, 0, 1ULL << SC_CAP_SYS_MODULE);
}

static bool a_drop_rawio(const struct fctx *x, const struct sc_boot_env *e)
{
	return e->userns && has(e, SC_CAP_SYS_RAWIO);
}
static void e_drop_rawio(const struct fctx *x, struct sc_boot_env *e)
{
	e->caps &= ~(1ULL << SC_CAP_SYS_RAWIO);
}
static void o_drop_rawio(const struct fctx *x, struct patch *p)
{
	caps_edit(p, 0, 1ULL << SC_CAP_SYS_RAWIO);
}

static bool a_default_caps(const struct fctx *x, const struct sc_boot_env *e)
{
	return (e->caps & CAPS_DOCKER) != CAPS_DOCKER;
}
static void e_default_caps(const struct fctx *x, struct sc_boot_env *e)
{
	e->caps |= CAPS_DOCKER;
}
static void o_default_caps(const struct fctx *x, struct patch *p)
{
	caps_edit(p, CAPS_DOCKER, 0);
}

/* A private cgroup namespace: /proc/1/cgroup says "/", and a cgroup
 * filesystem the runtime mounts shows the namespace's root, a cgroup
 * below the hierarchy's (what running_in_cgroupns() sees); the host's
 * tree bound in still shows the host's root. */
static bool a_cgroupns(const struct fctx *x, const struct sc_boot_env *e)
{
	return !e->cgroupns;
}
static void e_cgroupns(const struct fctx *x, struct sc_boot_env *e)
{
	e->cgroupns = true;
	e->pid1_cgroup = STATIC("/");
	if (!e->host_tree) {
		e->name_systemd_visible = e->has_name_systemd;
		if (e->cgfs == SC_BOOT_CGFS_CGROUP2 || e->has_name_systemd)
			e->cgroup_nested = SC_YES;
	}
}
static void o_cgroupns(const struct fctx *x, struct patch *p)
{
	cgroup_namespace(p);
}

static bool a_cgroup_rw(const struct fctx *x, const struct sc_boot_env *e)
{
	return (e->cgfs_ro || e->hier_ro) && !e->host_tree &&
	       (e->cgfs == SC_BOOT_CGFS_TMPFS || e->cgfs == SC_BOOT_CGFS_CGROUP2);
}
static void e_cgroup_rw(const struct fctx *x, struct sc_boot_env *e)
{
	e->cgfs_ro = e->hier_ro = false;
}
static void o_cgroup_rw(const struct fctx *x, struct patch *p)
{
	json_t *ms = mounts(p);
	ssize_t i = ms ? mount_index(ms, "/sys/fs/cgroup") : -1;

	if (i < 0)
		p->error = -EINVAL;
	else
		mount_option(p, i, "ro", NULL);
}

/* cgroup2, read-write, in a private cgroup namespace (runc mounts
 * cgroup2 on a v1/hybrid host too: matrix runc-v2rw-p, dadm-v2rw-p). */
static bool a_cgroup2(const struct fctx *x, const struct sc_boot_env *e)
{
	return !(e->cgfs == SC_BOOT_CGFS_CGROUP2 && !e->cgfs_ro && e->cgroupns && !e->host_tree);
}
static void e_cgroup2(const struct fctx *x, struct sc_boot_env *e)
{
	e->cgfs = SC_BOOT_CGFS_CGROUP2;
	e->cgfs_ro = e->hier_ro = false;
	e->has_name_systemd = e->has_unified = e->host_tree = false;
	e->name_systemd_visible = false;
	e->cgroupns = true;
	e->cgroup_nested = SC_YES;
	e->own_cgroup_visible = SC_YES;
	e->pid1_cgroup = STATIC("/");
}
static void o_cgroup2(const struct fctx *x, struct patch *p)
{
	put_mount(p, "/sys/fs/cgroup",
		  json_pack("{s:s,s:s,s:s,s:[s,s,s,s]}", "destination", "/sys/fs/cgroup", "type",
			    "cgroup2", "source", "cgroup2", "options", "nosuid", "noexec", "nodev",
			    "relatime"));
	cgroup_namespace(p);
}

/* The host's /sys/fs/cgroup bound in: whatever the host has there
 * (boot-env.c reads a bundle's rbind the same way). */
static bool a_host_tree(const struct fctx *x, const struct sc_boot_env *e)
{
	return !e->host_tree && x->h;
}
static void host_tree(const struct fctx *x, struct sc_boot_env *e, bool ro)
{
	const struct sc_cgroup_facts *cg = &x->h->cgroup;

	e->host_tree = true;
	e->cgfs = cg->mode == SC_CG_UNIFIED		? SC_BOOT_CGFS_CGROUP2
		  : cg->fs_root.magic == SC_TMPFS_MAGIC ? SC_BOOT_CGFS_TMPFS
							: SC_BOOT_CGFS_OTHER;
	e->cgfs_ro = ro;
	e->hier_ro = false; /* "ro" on a bind covers the top mount only */
	e->has_name_systemd = sc_cgroup_find_mount(cg, "/sys/fs/cgroup/systemd") != NULL;
	e->has_unified = cg->mode == SC_CG_HYBRID;
	e->name_systemd_visible = e->has_name_systemd;
	e->cgroup_nested = SC_NO;
	e->own_cgroup_visible = SC_YES;
}
static void e_host_tree_ro(const struct fctx *x, struct sc_boot_env *e)
{
	host_tree(x, e, true);
}
static void e_host_tree_rw(const struct fctx *x, struct sc_boot_env *e)
{
	host_tree(x, e, false);
}
static void o_host_tree(struct patch *p, bool ro)
{
	json_t *m = json_pack("{s:s,s:s,s:s,s:[s,s,s,s]}", "destination", "/sys/fs/cgroup", "type",
			      "bind", "source", "/sys/fs/cgroup", "options", "rbind", "nosuid",
			      "noexec", "nodev");

	if (ro)
		json_array_append_new(json_object_get(m, "options"), json_string("ro"));
	put_mount(p, "/sys/fs/cgroup", m);
}
static void o_host_tree_ro(const struct fctx *x, struct patch *p)
{
	o_host_tree(p, true);
}
static void o_host_tree_rw(const struct fctx *x, struct patch *p)
{
	o_host_tree(p, false);
}

static bool a_sys_admin(const struct fctx *x, const struct sc_boot_env *e)
{
	return !has(e, SC_CAP_SYS_ADMIN);
}
static void e_sys_admin(const struct fctx *x, struct sc_boot_env *e)
{
	e->caps |= 1ULL << SC_CAP_SYS_ADMIN;
}
static void o_sys_admin(const struct fctx *x, struct patch *p)
{
	caps_edit(p, 1ULL << SC_CAP_SYS_ADMIN, 0);
}

/* docker/podman --privileged: every capability, the cgroup hierarchies
 * and /sys read-write (the host's cgroupns on a v1 host, as before). */
static bool a_privileged(const struct fctx *x, const struct sc_boot_env *e)
{
	return (e->caps & CAPS_ALL) != CAPS_ALL || e->cgfs_ro || e->hier_ro;
}
static void e_privileged(const struct fctx *x, struct sc_boot_env *e)
{
	e->caps = CAPS_ALL;
	e->cgfs_ro = e->hier_ro = false;
	e->sys_ro = false;
}

/* podman --systemd=always (podman-run(1)): tmpfs on /run, /run/lock,
 * /tmp, container=podman, and a writable cgroup: cgroup2 in its own
 * namespace on a v2 host, the name=systemd hierarchy on v1. */
static bool a_podman_systemd(const struct fctx *x, const struct sc_boot_env *e)
{
	return x->rt == RT_PODMAN;
}
static void e_podman_systemd(const struct fctx *x, struct sc_boot_env *e)
{
	e_run(x, e);
	e_run_lock(x, e);
	e_tmp(x, e);
	e_env(x, e);
	if (e->host_mode == SC_CG_UNIFIED)
		e_cgroup2(x, e);
	else
		e->hier_ro = false, e->name_systemd_visible = e->has_name_systemd;
}

/* The host booted with cgroup v2 only (a reboot): the runtime's cgroup
 * mount becomes cgroup2; Docker then gives a private cgroupns by default. */
static bool a_host_v2(const struct fctx *x, const struct sc_boot_env *e)
{
	return e->host_mode != SC_CG_UNIFIED;
}
static void e_host_v2(const struct fctx *x, struct sc_boot_env *e)
{
	e->host_mode = SC_CG_UNIFIED;
	/* Booted with systemd.unified_cgroup_hierarchy=1 and no v1
	 * hierarchy: what systemd_mode() reads when nothing is mounted. */
	e->cmdline_unified = 1;
	e->cmdline_legacy_ctl = 0;
	e->v1_in_use = NULL;
	e->host_name_systemd = false;
	if (e->cgfs == SC_BOOT_CGFS_TMPFS) {
		e->cgfs = SC_BOOT_CGFS_CGROUP2;
		e->cgfs_ro = e->cgfs_ro || e->hier_ro;
	}
	e->hier_ro = false;
	e->has_name_systemd = e->has_unified = e->name_systemd_visible = false;
	/* Docker and Podman default to a private cgroupns on a v2 host. */
	if (x->rt == RT_DOCKER || x->rt == RT_PODMAN) {
		e->cgroupns = true;
		e->pid1_cgroup = STATIC("/");
	}
	e->cgroup_nested = e->cgroupns && !e->host_tree ? SC_YES : SC_NO;
}

static const char *const HOST_V2 =
	"boot the host with cgroup v2 only (systemd.unified_cgroup_hierarchy=1 on the "
	"kernel command line, no cgroup_no_v1 hierarchies), then reboot";

/* Table order is the order a set's changes are made in (a mount on /run
 * before the one on /run/lock; a cgroup namespace before cgroup2). */
static const struct cand cands[] = {
	{ "api-filesystems",
	  "mount /sys, /dev and /dev/shm as runc spec does",
	  "nothing",
	  0,
	  0,
	  false,
	  a_api_fs,
	  e_api_fs,
	  { [RT_OCI] = { "the /sys, /dev and /dev/shm mounts of runc spec", NULL } },
	  o_api_fs },
	{ "run-tmpfs",
	  "a tmpfs on /run",
	  "nothing (a tmpfs)",
	  0,
	  0,
	  false,
	  a_run,
	  e_run,
	  { [RT_OCI] = { "a tmpfs mount on /run", NULL },
	    [RT_DOCKER] = { "--tmpfs /run", NULL },
	    [RT_PODMAN] = { "--tmpfs /run", NULL },
	    [RT_LXC] = { "lxc.mount.entry = tmpfs run tmpfs rw,nosuid,nodev,mode=755,create=dir 0 "
			 "0",
			 NULL } },
	  o_run },
	{ "run-lock-tmpfs",
	  "a tmpfs on /run/lock",
	  "nothing (a tmpfs)",
	  0,
	  0,
	  false,
	  a_run_lock,
	  e_run_lock,
	  { [RT_OCI] = { "a tmpfs mount on /run/lock", NULL },
	    [RT_DOCKER] = { "--tmpfs /run/lock", NULL },
	    [RT_PODMAN] = { "--tmpfs /run/lock", NULL },
	    [RT_LXC] = { "lxc.mount.entry = tmpfs run/lock tmpfs rw,nosuid,nodev,create=dir 0 0",
			 NULL },
	    [RT_NSPAWN] = { "--tmpfs=/run/lock", NULL } },
	  o_run_lock },
	{ "tmp-tmpfs",
	  "a tmpfs on /tmp",
	  "nothing (a tmpfs)",
	  0,
	  0,
	  false,
	  a_tmp,
	  e_tmp,
	  { [RT_OCI] = { "a tmpfs mount on /tmp", NULL },
	    [RT_DOCKER] = { "--tmpfs /tmp", NULL },
	    [RT_PODMAN] = { "--tmpfs /tmp", NULL },
	    [RT_LXC] = { "lxc.mount.entry = tmpfs tmp tmpfs rw,nosuid,nodev,create=dir 0 0", NULL },
	    [RT_NSPAWN] = { "--tmpfs=/tmp", NULL } },
	  o_tmp },
	{ "container-env",
	  "container= in PID 1's environment",
	  "nothing",
	  0,
	  0,
	  false,
	  a_env,
	  e_env,
	  { [RT_OCI] = { "container=oci in process.env", NULL },
	    [RT_DOCKER] = { "-e container=docker", NULL },
	    [RT_PODMAN] = { "-e container=podman", NULL },
	    [RT_LXC] = { "lxc.environment = container=lxc", NULL },
	    [RT_NSPAWN] = { "--setenv=container=systemd-nspawn", NULL } },
	  o_env },
	{ "root-writable",
	  "a writable root (and /var/lib/systemd)",
	  "nothing (a writable root)",
	  0,
	  0,
	  false,
	  a_root_rw,
	  e_root_rw,
	  { [RT_OCI] = { "root.readonly false", NULL },
	    [RT_DOCKER] = { NULL, "--read-only" },
	    [RT_PODMAN] = { NULL, "--read-only" },
	    [RT_LXC] = { NULL, "lxc.rootfs.options = ro" },
	    [RT_NSPAWN] = { NULL, "--read-only" } },
	  o_root_rw },
	{ "sys-read-only",
	  "/sys read-only",
	  "nothing (it takes away)",
	  0,
	  0,
	  false,
	  a_sys_ro,
	  e_sys_ro,
	  { [RT_OCI] = { "\"ro\" in the /sys mount's options", NULL },
	    [RT_LXC] = { "lxc.mount.auto = sys:ro", NULL } },
	  o_sys_ro },
	{ "drop-sys-module",
	  "drop CAP_SYS_MODULE",
	  "nothing (it takes away)",
	  0,
	  0,
	  false,
	  a_drop_module,
	  e_drop_module,
	  { [RT_OCI] = { "remove CAP_SYS_MODULE from process.capabilities", NULL },
	    [RT_DOCKER] = { "--cap-drop SYS_MODULE", NULL },
	    [RT_PODMAN] = { "--cap-drop SYS_MODULE", NULL },
	    [RT_LXC] = { "lxc.cap.drop = sys_module", NULL },
	    [RT_NSPAWN] = { "--drop-capability=CAP_SYS_MODULE", NULL } },
	  o_drop_module },
	{ "drop-sys-rawio",
	  "drop CAP_SYS_RAWIO",
	  "nothing (it takes away)",
	  0,
	  0,
	  false,
	  a_drop_rawio,
	  e_drop_rawio,
	  { [RT_OCI] = { "remove CAP_SYS_RAWIO from process.capabilities", NULL },
	    [RT_DOCKER] = { "--cap-drop SYS_RAWIO", NULL },
	    [RT_PODMAN] = { "--cap-drop SYS_RAWIO", NULL },
	    [RT_LXC] = { "lxc.cap.drop = sys_rawio", NULL },
	    [RT_NSPAWN] = { "--drop-capability=CAP_SYS_RAWIO", NULL } },
	  o_drop_rawio },
	{ "cgroupns-private",
	  "a private cgroup namespace",
	  "nothing (a private cgroup namespace)",
	  1,
	  0,
	  false,
	  a_cgroupns,
	  e_cgroupns,
	  { [RT_OCI] = { "a \"cgroup\" namespace in linux.namespaces", NULL },
	    [RT_DOCKER] = { "--cgroupns=private", "--cgroupns=host" },
	    [RT_PODMAN] = { "--cgroupns=private", "--cgroupns=host" },
	    [RT_LXC] = { "lxc.namespace.clone = cgroup", NULL } },
	  o_cgroupns },
	{ "default-capabilities",
	  "Docker's default capabilities",
	  "Docker's 14 default capabilities (CAP_SETUID, CAP_SETGID, CAP_SETPCAP, ...)",
	  2,
	  0,
	  false,
	  a_default_caps,
	  e_default_caps,
	  { [RT_OCI] = { "Docker's default set in process.capabilities", NULL },
	    [RT_DOCKER] = { NULL, "--cap-drop" },
	    [RT_PODMAN] = { NULL, "--cap-drop" },
	    [RT_LXC] = { NULL, "lxc.cap.drop" } },
	  o_default_caps },
	{ "cgroup-writable",
	  "the cgroup mount read-write",
	  "write access to its own cgroup",
	  2,
	  0,
	  false,
	  a_cgroup_rw,
	  e_cgroup_rw,
	  { [RT_OCI] = { "no \"ro\" in the /sys/fs/cgroup mount's options", NULL },
	    [RT_LXC] = { "lxc.mount.auto = cgroup:rw", NULL } },
	  o_cgroup_rw },
	{ "cgroup2-private",
	  "cgroup2 read-write on /sys/fs/cgroup, in a private cgroup namespace",
	  "write access to its own cgroup (cgroup2)",
	  2,
	  G_CGMOUNT,
	  false,
	  a_cgroup2,
	  e_cgroup2,
	  { [RT_OCI] = { "a \"cgroup2\" mount on /sys/fs/cgroup and a \"cgroup\" namespace", NULL },
	    [RT_LXC] = { "lxc.mount.auto = cgroup:rw:force", NULL },
	    [RT_NSPAWN] = { "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 in systemd-nspawn's environment",
			    NULL } },
	  o_cgroup2 },
	{ "podman-systemd",
	  "podman's systemd mode",
	  "tmpfs mounts; write access to its own cgroup",
	  2,
	  G_CGMOUNT,
	  false,
	  a_podman_systemd,
	  e_podman_systemd,
	  { [RT_PODMAN] = { "--systemd=always", "--systemd=false" } },
	  NULL },
	{ "cap-sys-admin",
	  "CAP_SYS_ADMIN",
	  "CAP_SYS_ADMIN",
	  4,
	  0,
	  false,
	  a_sys_admin,
	  e_sys_admin,
	  { [RT_OCI] = { "CAP_SYS_ADMIN in process.capabilities", NULL },
	    [RT_DOCKER] = { "--cap-add SYS_ADMIN", NULL },
	    [RT_PODMAN] = { "--cap-add SYS_ADMIN", NULL },
	    [RT_LXC] = { NULL, "lxc.cap.drop = sys_admin" },
	    [RT_NSPAWN] = { "--capability=CAP_SYS_ADMIN", NULL } },
	  o_sys_admin },
	{ "host-cgroup-tree-ro",
	  "the host's /sys/fs/cgroup bound in, read-only on top",
	  "the host's cgroup tree (its hierarchies writable: the host's cgroups)",
	  5,
	  G_CGMOUNT,
	  false,
	  a_host_tree,
	  e_host_tree_ro,
	  { [RT_OCI] = { "an rbind of the host's /sys/fs/cgroup, \"ro\"", NULL },
	    [RT_DOCKER] = { "-v /sys/fs/cgroup:/sys/fs/cgroup:ro", NULL },
	    [RT_PODMAN] = { "-v /sys/fs/cgroup:/sys/fs/cgroup:ro", NULL },
	    [RT_LXC] = { "lxc.mount.entry = /sys/fs/cgroup sys/fs/cgroup none rbind,ro,create=dir "
			 "0 0",
			 NULL } },
	  o_host_tree_ro },
	{ "host-cgroup-tree-rw",
	  "the host's /sys/fs/cgroup bound in, read-write",
	  "the host's cgroup tree, writable (the host's cgroups)",
	  5,
	  G_CGMOUNT,
	  false,
	  a_host_tree,
	  e_host_tree_rw,
	  { [RT_OCI] = { "an rbind of the host's /sys/fs/cgroup", NULL },
	    [RT_DOCKER] = { "-v /sys/fs/cgroup:/sys/fs/cgroup:rw", NULL },
	    [RT_PODMAN] = { "-v /sys/fs/cgroup:/sys/fs/cgroup:rw", NULL },
	    [RT_LXC] = { "lxc.mount.entry = /sys/fs/cgroup sys/fs/cgroup none rbind,create=dir 0 0",
			 NULL } },
	  o_host_tree_rw },
	{ "privileged",
	  "--privileged",
	  "every capability and device, no seccomp or AppArmor (--privileged)",
	  9,
	  G_CAPS,
	  false,
	  a_privileged,
	  e_privileged,
	  { [RT_DOCKER] = { "--privileged", NULL }, [RT_PODMAN] = { "--privileged", NULL } },
	  NULL },
	{ "host-cgroup-v2",
	  "a cgroup v2 host",
	  "nothing in the container: the host reboots",
	  10,
	  0,
	  true,
	  a_host_v2,
	  e_host_v2,
	  {},
	  NULL },
};
_Static_assert(ELEMENTSOF(cands) <= FIX_MAX_CANDIDATES, "a set mask has too few bits");

static enum fix_rt fix_runtime(const struct sc_boot_env *e)
{
	int k = e->runtime ? sc_runtime_from_string(e->runtime) : -EINVAL;

	if (k < 0)
		return RT_GENERIC;
	if (k == SC_RT_NSPAWN)
		return RT_NSPAWN;
	switch (sc_runtimes[k].dialect) {
	case SC_DIALECT_OCI:
		return RT_OCI;
	case SC_DIALECT_DOCKER:
		return RT_DOCKER;
	case SC_DIALECT_PODMAN:
		return RT_PODMAN;
	case SC_DIALECT_LXC:
		return RT_LXC;
	default:
		return RT_GENERIC;
	}
}

/* Whether the runtime can say the change at all (the host's changes are
 * the host's: any runtime). */
static bool expressible(const struct cand *c, enum fix_rt rt, bool have_config)
{
	if (c->host)
		return true;
	if (rt == RT_GENERIC)
		return c->say[RT_OCI][0] != NULL;
	if (rt == RT_OCI && have_config)
		return c->oci != NULL;
	return c->say[rt][0] || c->say[rt][1];
}

/* ---- the search ------------------------------------------------------------------ */

struct found {
	uint32_t mask;
	enum sc_boot_verdict verdict;
	unsigned rank, sum, size;
	bool ns_admin; /* CAP_SYS_ADMIN in the host's cgroup namespace */
};

/* The candidates that grant CAP_SYS_ADMIN (their table indices). */
static uint32_t admin_mask(void);
#define ADMIN_MASK admin_mask()
#define RANK_HOST_TREE 5
static const char *const HOST_NS_ADMIN =
	"the host's cgroups (CAP_SYS_ADMIN in the host's cgroup namespace: systemd mounts "
	"cgroup2 and writes there)";

struct search {
	const struct fctx *x;
	size_t idx[ELEMENTSOF(cands)]; /* the candidates that apply */
	size_t n;
	struct found *boots, *better; /* sets that boot; sets that only degrade */
	size_t n_boots, n_better;
	unsigned tried;
	bool host_phase;
	/* A bundle: each set is judged on the patched config.json itself. */
	const json_t *config;
	struct sc_root *rootfs;
};

static void trial(const struct fctx *x, uint32_t mask, struct sc_boot_env *t)
{
	*t = *x->e0;
	for (size_t i = 0; i < ELEMENTSOF(cands); i++)
		if (mask & (1u << i))
			cands[i].apply(x, t);
}

static enum sc_boot_verdict evaluate(const struct sc_boot_env *t)
{
	struct sc_boot_result r;
	enum sc_boot_verdict v;

	sc_boot_evaluate(t, &r);
	v = r.verdict;
	sc_boot_result_done(&r);
	return v;
}

/* A superset of a set that boots is not minimal, unless it grants less:
 * a private cgroup namespace added to CAP_SYS_ADMIN keeps systemd out of
 * the host's cgroups. */
static bool covers(const struct found *f, size_t n, uint32_t mask, unsigned rank)
{
	for (size_t i = 0; i < n; i++)
		if ((mask & f[i].mask) == f[i].mask && f[i].rank <= rank)
			return true;
	return false;
}

static void consider(struct search *s, uint32_t mask, size_t size)
{
	struct found f = { .mask = mask, .size = (unsigned)size };
	struct sc_boot_env t;
	unsigned groups = 0;

	for (size_t i = 0; i < ELEMENTSOF(cands); i++) {
		if (!(mask & (1u << i)))
			continue;
		if (cands[i].group & groups)
			return;
		groups |= cands[i].group;
		/* What the container is given: a host change is in every set
		 * of the host phase, and says nothing about which grants less. */
		if (cands[i].host)
			continue;
		f.rank = cands[i].rank > f.rank ? cands[i].rank : f.rank;
		f.sum += cands[i].rank;
	}
	trial(s->x, mask, &t);
	/* CAP_SYS_ADMIN given in the host's cgroup namespace (and no user
	 * namespace): systemd mounts cgroup2 there and writes into the host's
	 * hierarchies (what tests/e2e/lib.sh host_affecting knows), so the set
	 * grants as much as the host's tree. */
	if ((mask & (ADMIN_MASK)) && !t.cgroupns && !t.userns) {
		f.ns_admin = true;
		f.rank = f.rank > RANK_HOST_TREE ? f.rank : RANK_HOST_TREE;
	}
	if (covers(s->boots, s->n_boots, mask, f.rank))
		return;
	s->tried++;
	if (s->config) {
		struct patch p = { .doc = json_deep_copy(s->config), .ops = json_array() };
		struct sc_boot_env b;

		for (size_t i = 0; i < ELEMENTSOF(cands); i++)
			if ((mask & (1u << i)) && !cands[i].host)
				cands[i].oci(s->x, &p);
		if (!p.error) {
			sc_boot_env_from_config(s->x->h, p.doc, s->rootfs, &s->x->e0->systemd, &b);
			/* A host change is an edit of what the host gives. */
			for (size_t i = 0; i < ELEMENTSOF(cands); i++)
				if ((mask & (1u << i)) && cands[i].host)
					cands[i].apply(s->x, &b);
			f.verdict = evaluate(&b);
			sc_boot_env_done(&b);
		}
		json_decref(p.doc);
		json_decref(p.ops);
		if (p.error)
			return;
	} else
		f.verdict = evaluate(&t);
	if (f.verdict == SC_BOOT_BOOTS)
		*SC_APPEND(s->boots, s->n_boots) = f;
	else if (f.verdict == SC_BOOT_DEGRADED && !s->host_phase &&
		 !covers(s->better, s->n_better, mask, f.rank))
		*SC_APPEND(s->better, s->n_better) = f;
}

/* Every set of size k of the candidates from position at, added to mask. */
static void combine(struct search *s, size_t from, size_t k, uint32_t mask, size_t size)
{
	if (k == 0) {
		consider(s, mask, size);
		return;
	}
	for (size_t i = from; i + k <= s->n; i++) {
		if (cands[s->idx[i]].host)
			continue;
		combine(s, i + 1, k - 1, mask | (1u << s->idx[i]), size + 1);
	}
}

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	/* What it grants at most, then in all (a tmpfs more rather than a
	 * capability more), then how many changes. */
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->sum != y->sum)
		return x->sum < y->sum ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->mask < y->mask ? -1 : x->mask > y->mask;
}

/* ---- a set in the runtime's terms -------------------------------------------------- */

static uint32_t admin_mask(void)
{
	static uint32_t m;

	if (!m)
		for (size_t i = 0; i < ELEMENTSOF(cands); i++)
			if (streq(cands[i].id, "cap-sys-admin") || streq(cands[i].id, "privileged"))
				m |= 1u << i;
	return m;
}

static void push_unique(char ***l, const char *s)
{
	if (!*l)
		*l = sc_xcalloc(1, sizeof(char *));
	if (s && !sc_strv_contains(*l, s))
		sc_strv_push(l, s);
}

static void say(const struct fctx *x, const struct found *f, const json_t *config,
		struct sc_root *rootfs, struct sc_fix_change *ret)
{
	struct sc_fix_change c = { .runtime = rt_names[x->rt],
				   .expected_verdict = f->verdict,
				   .rank = f->rank };
	struct patch p = {};

	c.ids = sc_xcalloc(1, sizeof(char *));
	c.add = sc_xcalloc(1, sizeof(char *));
	c.remove = sc_xcalloc(1, sizeof(char *));
	c.grants = sc_xcalloc(1, sizeof(char *));
	c.host = sc_xcalloc(1, sizeof(char *));
	if (x->rt == RT_OCI && config) {
		p.doc = json_deep_copy(config);
		p.ops = json_array();
	}
	for (size_t i = 0; i < ELEMENTSOF(cands); i++) {
		const struct cand *k = &cands[i];

		if (!(f->mask & (1u << i)))
			continue;
		sc_strv_push(&c.ids, k->id);
		if (k->host) {
			push_unique(&c.host,
				    k == &cands[ELEMENTSOF(cands) - 1] ? HOST_V2 : k->what);
			continue;
		}
		push_unique(&c.grants, k->grants);
		if (p.doc) {
			k->oci(x, &p);
			continue;
		}
		if (x->rt == RT_GENERIC) {
			push_unique(&c.add, k->what);
			continue;
		}
		if (k->say[x->rt][0])
			push_unique(&c.add, k->say[x->rt][0]);
		if (k->say[x->rt][1])
			push_unique(&c.remove, k->say[x->rt][1]);
	}
	if (f->ns_admin)
		push_unique(&c.grants, HOST_NS_ADMIN);
	if (p.doc && !p.error) {
		/* Judged again as `boot --bundle` judges the patched copy. */
		struct sc_boot_env e;
		struct sc_boot_result r;

		sc_boot_env_from_config(x->h, p.doc, rootfs, &x->e0->systemd, &e);
		sc_boot_evaluate(&e, &r);
		c.expected_verdict = r.verdict;
		sc_boot_result_done(&r);
		sc_boot_env_done(&e);
		c.patch = TAKE_PTR(p.ops);
	} else if (p.doc) {
		/* A config.json of a shape the change cannot be made in. */
		c.expected_verdict = SC_BOOT_UNKNOWN;
		push_unique(&c.add, "(config.json has a shape this change cannot be patched into)");
	}
	json_decref(p.doc);
	json_decref(p.ops);
	*ret = c;
}

void sc_fix_search(const struct sc_host_facts *h, const struct sc_boot_env *e,
		   const struct sc_boot_result *r, const json_t *config, struct sc_root *rootfs,
		   struct sc_fix *ret)
{
	struct fctx x = { .h = h, .e0 = e, .rt = fix_runtime(e) };
	struct search s = { .x = &x, .config = config && rootfs ? config : NULL, .rootfs = rootfs };
	struct sc_fix f = { .from = r->verdict };
	struct found *use;
	size_t n_use;
	bool have_config = config && rootfs;

	if (r->verdict != SC_BOOT_FAILS && r->verdict != SC_BOOT_DEGRADED) {
		f.why = sc_xstrdup(r->verdict == SC_BOOT_BOOTS
					   ? "nothing to fix: it boots as it is"
					   : "nothing to fix: there is no verdict to change");
		*ret = f;
		return;
	}
	for (size_t i = 0; i < ELEMENTSOF(cands); i++)
		if (cands[i].applies(&x, e) && expressible(&cands[i], x.rt, have_config))
			s.idx[s.n++] = i;
	/* The container alone, in sets of increasing size. */
	for (size_t k = 1; k <= FIX_MAX_SET && k <= s.n; k++)
		combine(&s, 0, k, 0, 0);
	/* Nothing there: a host change with up to FIX_MAX_SET - 1 more. */
	s.host_phase = true;
	if (!s.n_boots)
		for (size_t i = 0; i < s.n; i++) {
			if (!cands[s.idx[i]].host)
				continue;
			for (size_t k = 0; k < FIX_MAX_SET && k <= s.n; k++)
				combine(&s, 0, k, 1u << s.idx[i], 1);
			f.host_side = s.n_boots > 0;
		}
	f.tried = s.tried;
	use = s.n_boots ? s.boots : s.better;
	n_use = s.n_boots ? s.n_boots : r->verdict == SC_BOOT_FAILS ? s.n_better : 0;
	if (n_use)
		qsort(use, n_use, sizeof(*use), found_cmp);
	for (size_t i = 0; i < n_use && f.n_changes < FIX_MAX_CHANGES; i++) {
		struct sc_fix_change *c = SC_APPEND(f.changes, f.n_changes);
		say(&x, &use[i], config, rootfs, c);
	}
	/* A bundle's best change is the first one whose patch boots as
	 * judged again: put it first. */
	for (size_t i = 1; have_config && i < f.n_changes; i++)
		if (f.changes[0].expected_verdict != SC_BOOT_BOOTS &&
		    f.changes[i].expected_verdict == SC_BOOT_BOOTS) {
			struct sc_fix_change t = f.changes[0];
			f.changes[0] = f.changes[i];
			f.changes[i] = t;
			break;
		}
	if (have_config && f.n_changes) {
		_cleanup_free_ char *err = NULL;

		if (f.changes[0].patch)
			(void)sc_json_patch_apply(config, f.changes[0].patch, &f.patched, &err);
	}
	if (!f.n_changes)
		f.why = sc_xasprintf("no set of up to %d changes %s knows of makes it boot, on "
				     "this host or a cgroup v2 one (%u sets tried)",
				     FIX_MAX_SET, rt_names[x.rt], s.tried);
	else if (f.host_side)
		f.why = sc_xasprintf("a host-side cause: no change of the container boots it on "
				     "this host (%s cgroup); the host must change (%u sets tried)",
				     sc_cgroup_mode_to_string(e->host_mode), s.tried);
	else if (f.changes[0].expected_verdict != SC_BOOT_BOOTS)
		f.why = sc_xasprintf("nothing makes it boot; the smallest changes that get it to "
				     "%s (%u sets tried)",
				     sc_boot_verdict_to_string(f.changes[0].expected_verdict),
				     s.tried);
	else
		f.why = sc_xasprintf("the smallest sets of changes that boot it, what they grant "
				     "least first (%u sets tried)",
				     s.tried);
	free(s.boots);
	free(s.better);
	*ret = f;
}
