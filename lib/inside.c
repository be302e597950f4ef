/* SPDX-License-Identifier: MIT */
/* The inside probe: everything read from a container's own root. It runs
 * twice with the same code: live in the setns child (recording), then in
 * the parent on the recorded snapshot, so the facts are computed once and
 * only data crosses the pipe. */
#include <stdio.h>
#include <sys/stat.h>

#include "inside.h"
#include "util.h"

char *sc_cgroup_dir_in_mount(const char *mountpoint, const char *mount_root, const char *cgroup)
{
	size_t rl;

	if (!mountpoint || !mount_root || !cgroup || cgroup[0] != '/')
		return NULL;
	/* "/.." roots: the mount shows a tree above the reader's cgroup
	 * namespace root; its cgroups cannot be named from here. */
	if (startswith(mount_root, "/.."))
		return NULL;
	if (streq(mount_root, "/")) {
		_cleanup_free_ char *p = sc_xasprintf("%s/%s", mountpoint, cgroup);
		return sc_path_normalize(p);
	}
	rl = strlen(mount_root);
	if (strncmp(cgroup, mount_root, rl) != 0 || (cgroup[rl] != 0 && cgroup[rl] != '/'))
		return NULL;
	_cleanup_free_ char *p = sc_xasprintf("%s/%s", mountpoint, cgroup + rl);
	return sc_path_normalize(p);
}

static const struct sc_cgroup_mount *mount_for(const struct sc_cgroup_facts *cg,
					       const struct sc_cgroup_line *l)
{
	const struct sc_cgroup_mount *best = NULL;

	if (l->hierarchy == 0 && !*l->controllers) {
		/* cgroup2: the one systemd would use, else any. */
		if (cg->v2_path && (best = sc_cgroup_find_mount(cg, cg->v2_path)) &&
		    best->version == 2)
			return best;
		for (size_t i = 0; i < cg->n_mounts; i++)
			if (cg->mounts[i].version == 2)
				return &cg->mounts[i];
		return NULL;
	}
	_cleanup_strv_free_ char **want = sc_strv_split(l->controllers, ",");
	for (size_t i = 0; i < cg->n_mounts; i++) {
		const struct sc_cgroup_mount *m = &cg->mounts[i];
		bool all = true;

		if (m->version != 1)
			continue;
		for (char **w = want; *w; w++) {
			const char *name = startswith(*w, "name=");
			if (name ? !streq_ptr(m->name, name)
				 : !sc_strv_contains(m->controllers, *w))
				all = false;
		}
		/* Prefer /sys/fs/cgroup/... over other mounts of the hierarchy. */
		if (all && (!best || startswith(m->mountpoint, "/sys/fs/cgroup/")))
			best = m;
	}
	return best;
}

static void probe_hierarchies(struct sc_root *root, struct sc_inside_facts *f)
{
	for (size_t i = 0; i < f->n_pid1_cgroups; i++) {
		const struct sc_cgroup_line *l = &f->pid1_cgroups[i];
		const struct sc_cgroup_mount *m = mount_for(&f->cgroup, l);
		struct sc_inside_hierarchy *h = SC_APPEND(f->hier, f->n_hier);

		h->hierarchy = l->hierarchy;
		h->controllers = sc_xstrdup(l->controllers);
		h->cgroup = sc_xstrdup(l->path);
		h->own = !streq(l->path, "/");
		if (!m)
			continue;
		h->mountpoint = sc_xstrdup(m->mountpoint);
		h->mount_root = sc_xstrdup(m->root);
		h->read_only = m->read_only;
		h->dir = sc_cgroup_dir_in_mount(m->mountpoint, m->root, l->path);
		if (h->dir) {
			struct stat st;
			h->visible = sc_root_stat(root, h->dir, &st) == 0 && S_ISDIR(st.st_mode);
		}
		{
			_cleanup_free_ char *lit = sc_xasprintf("%s/%s", m->mountpoint, l->path);
			struct stat st;
			h->literal_visible =
				sc_root_stat(root, lit, &st) == 0 && S_ISDIR(st.st_mode);
		}
	}
}

static void probe_own_cgroup2(struct sc_root *root, struct sc_inside_facts *f)
{
	const struct sc_inside_hierarchy *h = NULL;
	struct sc_inside_cgroup2 *o = &f->own2;
	struct stat st;

	for (size_t i = 0; i < f->n_hier; i++)
		if (f->hier[i].hierarchy == 0 && !*f->hier[i].controllers)
			h = &f->hier[i];
	if (!h || !h->visible)
		return;
	o->known = true;
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/cgroup.type", h->dir);
		(void)sc_probe_read_line(root, &f->errors, p, &o->type);
	}
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/cgroup.controllers", h->dir);
		(void)sc_probe_read_list(root, &f->errors, p, &o->controllers);
		free(p);
		p = sc_xasprintf("%s/cgroup.subtree_control", h->dir);
		(void)sc_probe_read_list(root, &f->errors, p, &o->subtree_control);
	}
	if (sc_root_stat(root, h->dir, &st) == 0) {
		o->stat_known = true;
		o->uid = st.st_uid;
		o->gid = st.st_gid;
	}
	/* As many names as /sys/kernel/cgroup/delegate lists. */
	struct sc_strv_builder b = {};

	for (char **d = f->cgroup.delegate; o->stat_known && d && *d; d++) {
		_cleanup_free_ char *p = sc_xasprintf("%s/%s", h->dir, *d);
		struct stat fs;

		/* Controller files (memory.oom.group) exist only with the
		 * controller enabled: absent is not "not owned". */
		if (sc_root_stat(root, p, &fs) == 0 && fs.st_uid != o->uid)
			sc_strv_builder_push(&b, *d);
	}
	o->delegate_not_owned = sc_strv_builder_take(&b);
}

static char *fstype_at(const struct sc_mounts *m, const char *path)
{
	const struct sc_mount *x = sc_mounts_at(m, path);
	return x ? sc_xstrdup(x->fstype) : NULL;
}

static int ro_at(const struct sc_mounts *m, const char *path)
{
	const struct sc_mount *x = sc_mounts_containing(m, path);
	return x ? sc_mount_is_read_only(x) : SC_UNKNOWN;
}

static char *unquote(char *s)
{
	size_t l;

	if (!s)
		return NULL;
	l = strlen(s);
	if (l >= 2 && (s[0] == '"' || s[0] == '\'') && s[l - 1] == s[0]) {
		memmove(s, s + 1, l - 2);
		s[l - 2] = 0;
	}
	return s;
}

static void probe_os_release(struct sc_root *root, struct sc_inside_facts *f)
{
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };

	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		_cleanup_free_ char *text = NULL;

		if (sc_root_read(root, files[i], 64 * 1024, &text, NULL) < 0)
			continue;
		f->os_pretty_name = unquote(sc_find_field(text, "PRETTY_NAME", '='));
		f->os_id = unquote(sc_find_field(text, "ID", '='));
		f->os_version_id = unquote(sc_find_field(text, "VERSION_ID", '='));
		return;
	}
}

/* A file whose existence is the fact: yes, no, or could not tell (a
 * snapshot recorded before the tool looked, a permission error). */
static int marker(struct sc_root *root, const char *path)
{
	int k = sc_root_exists(root, path);

	return k == 0 ? SC_YES : k == -ENOENT ? SC_NO : SC_UNKNOWN;
}

int sc_inside_probe(struct sc_root *root, struct sc_inside_facts *ret)
{
	struct sc_inside_facts f = {};
	_cleanup_free_ char *mi = NULL, *cg = NULL;
	struct stat st;
	int k;

	k = sc_probe_read(root, &f.errors, "/proc/self/mountinfo", &mi);
	if (k < 0) {
		sc_errlist_done(&f.errors);
		return k;
	}
	sc_mountinfo_parse(mi, &f.mounts);
	sc_cgroup_probe(root, &f.mounts, &f.errors, &f.cgroup);

	if (sc_probe_read(root, &f.errors, "/proc/1/cgroup", &cg) >= 0)
		(void)sc_cgroup_lines_parse(cg, &f.pid1_cgroups, &f.n_pid1_cgroups);
	probe_hierarchies(root, &f);
	probe_own_cgroup2(root, &f);

	f.fs_run = fstype_at(&f.mounts, "/run");
	f.fs_run_lock = fstype_at(&f.mounts, "/run/lock");
	f.fs_tmp = fstype_at(&f.mounts, "/tmp");
	f.fs_dev_shm = fstype_at(&f.mounts, "/dev/shm");
	{
		const struct sc_mount *p = sc_mounts_at(&f.mounts, "/proc");
		const struct sc_mount *s = sc_mounts_at(&f.mounts, "/sys");
		const struct sc_mount *d = sc_mounts_at(&f.mounts, "/dev");
		f.proc_mounted = p && streq(p->fstype, "proc");
		f.sys_mounted = s && streq(s->fstype, "sysfs");
		f.dev_mounted = d != NULL;
	}
	f.sys_read_only = ro_at(&f.mounts, "/sys");
	f.proc_sys_read_only = ro_at(&f.mounts, "/proc/sys");
	k = sc_root_exists(root, "/dev/console");
	f.dev_console = k == 0 ? SC_YES : k == -ENOENT ? SC_NO : SC_UNKNOWN;
	{
		struct sc_strv_builder b = {};

		for (size_t i = 0; i < f.mounts.n; i++)
			if (streq(f.mounts.v[i].fstype, "fuse.lxcfs"))
				sc_strv_builder_push(&b, f.mounts.v[i].mountpoint);
		f.lxcfs_mountpoints = sc_strv_builder_take(&b);
	}

	probe_os_release(root, &f);
	sc_systemd_probe(root, &f.systemd);
	f.dockerenv = marker(root, "/.dockerenv");
	f.containerenv = marker(root, "/run/.containerenv");
	{
		char *m = NULL;

		if (sc_root_read_line(root, "/run/host/container-manager", &m) >= 0 && !isempty(m))
			f.container_manager = m;
		else
			free(m);
	}

	/* sd_booted(): laccess("/run/systemd/system/") — anything but a
	 * directory there (absent, a file, a link loop) means no. */
	k = sc_root_stat(root, "/run/systemd/system", &st);
	if (k == 0)
		f.systemd_running = S_ISDIR(st.st_mode) ? SC_YES : SC_NO;
	else if (k == -EACCES || k == -ETIMEDOUT || k == -SC_ENOFACT || k == -EIO)
		f.systemd_running = SC_UNKNOWN;
	else
		f.systemd_running = SC_NO;
	(void)sc_probe_read_line(root, &f.errors, "/proc/1/comm", &f.pid1_comm);
	f.manager_error = -ENOENT;
	if (f.systemd_running == SC_YES)
		f.manager_error =
			sc_root_manager(root, SC_MANAGER_SOCKET, SC_MANAGER_TIMEOUT_MS, &f.manager);
	/* Last: the files free/lscpu/top read may be lxcfs mounts, whose
	 * daemon may hang (target.c retries without them). */
	sc_limits_inside_probe(root, f.hier, f.n_hier, &f.errors, &f.limits);
	*ret = f;
	return 0;
}

void sc_inside_facts_done(struct sc_inside_facts *f)
{
	sc_mounts_done(&f->mounts);
	sc_cgroup_facts_done(&f->cgroup);
	sc_cgroup_lines_free(f->pid1_cgroups, f->n_pid1_cgroups);
	for (size_t i = 0; i < f->n_hier; i++) {
		free(f->hier[i].controllers);
		free(f->hier[i].cgroup);
		free(f->hier[i].mountpoint);
		free(f->hier[i].mount_root);
		free(f->hier[i].dir);
	}
	free(f->hier);
	free(f->own2.type);
	sc_strv_free(f->own2.controllers);
	sc_strv_free(f->own2.subtree_control);
	sc_strv_free(f->own2.delegate_not_owned);
	free(f->fs_run);
	free(f->fs_run_lock);
	free(f->fs_tmp);
	free(f->fs_dev_shm);
	sc_strv_free(f->lxcfs_mountpoints);
	free(f->container_manager);
	free(f->os_pretty_name);
	free(f->os_id);
	free(f->os_version_id);
	sc_systemd_image_done(&f->systemd);
	free(f->pid1_comm);
	sc_manager_state_done(&f->manager);
	sc_limits_inside_done(&f->limits);
	sc_errlist_done(&f->errors);
	*f = (struct sc_inside_facts){};
}
