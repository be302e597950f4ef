/* SPDX-License-Identifier: MIT */
/* The text renderer: sections of aligned facts, then the checks with a
 * status symbol, their evidence and remedy, then the summary line. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "render-text.h"
#include "util.h"

/* Every function here writes to o->f, the escaping FILE (render-text.h
 * says why); only sc_text_nl() and sc_text_sgr() reach the terminal raw. */
typedef struct sc_text_out out_t;

static const struct {
	const char *symbol;
	const char *ascii;
	const char *color;
} status_style[_SC_STATUS_MAX] = {
	[SC_PASS] = { "✔", "[ ok ]", "\033[32m" },   [SC_INFO] = { "ℹ", "[info]", "\033[34m" },
	[SC_SKIP] = { "–", "[skip]", "\033[2m" },    [SC_WARN] = { "⚠", "[warn]", "\033[33m" },
	[SC_FAIL] = { "✖", "[FAIL]", "\033[31;1m" }, [SC_ERROR] = { "‼", "[ERR ]", "\033[35;1m" },
};

static const char *dash(const out_t *o)
{
	return o->o->unicode ? "—" : "-";
}

static const char *mode_explained(const struct sc_cgroup_facts *cg)
{
	switch (cg->mode) {
	case SC_CG_UNIFIED:
		return "cgroup2 on /sys/fs/cgroup";
	case SC_CG_HYBRID:
		return "tmpfs on /sys/fs/cgroup, v1 hierarchies, cgroup2 for process tracking";
	case SC_CG_LEGACY:
		return "tmpfs on /sys/fs/cgroup, v1 hierarchies only";
	case SC_CG_NONE:
		return "nothing mounted on /sys/fs/cgroup";
	case SC_CG_V1_ON_ROOT:
		return "a v1 hierarchy directly on /sys/fs/cgroup";
	case SC_CG_UNSUPPORTED_V1:
		return "tmpfs without name=systemd or cgroup2";
	case SC_CG_OTHER_FS:
		return "an unexpected filesystem on /sys/fs/cgroup";
	default:
		return "could not observe";
	}
}

static char *join_or_none(char *const *l, const char *none)
{
	if (!l)
		return sc_xstrdup("(unreadable or absent)");
	if (!*l)
		return sc_xstrdup(none);
	return sc_strv_join(l, " ");
}

static void render_mounts(const out_t *o, const struct sc_cgroup_facts *cg)
{
	static const char *const head[] = { "MOUNT POINT", "TYPE", "RW", "ROOT",
					    "CONTROLLERS / OPTIONS" };
	_cleanup_table_ struct sc_table *tb = sc_table_new(o, ELEMENTSOF(head), head);

	if (cg->n_mounts == 0)
		sc_table_add(tb,
			     (const char *const[]){ "(no cgroup mounts)", NULL, NULL, NULL, NULL });
	for (size_t i = 0; i < cg->n_mounts; i++) {
		const struct sc_cgroup_mount *m = &cg->mounts[i];
		_cleanup_free_ char *what = NULL;

		if (m->version == 1) {
			_cleanup_free_ char *c = sc_strv_join(m->controllers, ",");
			what = m->name ? sc_xasprintf("name=%s%s%s", m->name, *c ? "," : "", c)
				       : sc_xstrdup(c);
		} else
			what = sc_xasprintf("%s%s", m->nsdelegate ? "nsdelegate" : "no nsdelegate",
					    m->memory_recursiveprot ? ",memory_recursiveprot" : "");
		sc_table_add(tb, (const char *const[]){
					 m->mountpoint, m->version == 2 ? "cgroup2" : "cgroup",
					 m->read_only ? "ro" : "rw", m->root, what });
	}
	sc_table_wrap(tb, 0);
	sc_table_wrap(tb, 3);
	sc_table_wrap(tb, 4);
	sc_table_print_kv(tb, "mounts");
}

static void render_controllers(const out_t *o, const struct sc_cgroup_facts *cg)
{
	static const char *const head[] = { "NAME", "WHERE", "ID", "MOUNT POINT / NOTE" };
	_cleanup_table_ struct sc_table *tb = sc_table_new(o, ELEMENTSOF(head), head);

	for (size_t i = 0; i < cg->n_controllers; i++) {
		const struct sc_controller *c = &cg->controllers[i];
		_cleanup_free_ char *name = NULL, *id = NULL;
		const char *loc;

		name = c->v2_name && !streq(c->v2_name, c->name)
			       ? sc_xasprintf("%s/%s", c->name, c->v2_name)
			       : sc_xstrdup(c->name);
		id = c->hierarchy > 0 ? sc_xasprintf("%d", c->hierarchy) : sc_xstrdup(dash(o));
		if (c->where == SC_CTRL_V1)
			loc = c->v1_mountpoint;
		else if (c->where == SC_CTRL_V2)
			loc = cg->v2_path ? cg->v2_path : "";
		else
			loc = c->note ? c->note : "";
		sc_table_add(tb, (const char *const[]){ name, sc_ctrl_where_to_string(c->where), id,
							loc });
	}
	sc_table_wrap(tb, 3);
	sc_table_print_kv(tb, "controllers");
}

/* Below the root: the cgroups that enable controllers for their
 * children, which is where delegation shows; one line for the rest. */
static void render_tree(const out_t *o, const struct sc_cgroup_facts *cg)
{
	size_t n_none = 0, shown = 0;

	for (size_t i = 0; i < cg->n_v2_tree; i++) {
		const struct sc_cgroup_ancestor *a = &cg->v2_tree[i];
		_cleanup_free_ char *sub = NULL;

		if (sc_strv_length(a->subtree_control) == 0) {
			n_none++;
			continue;
		}
		sub = join_or_none(a->subtree_control, "(none)");
		sc_text_kv(o, shown++ ? "" : "  below the root", "%s: %s", a->path, sub);
	}
	if (n_none)
		sc_text_kv(o, shown ? "" : "  below the root",
			   "%zu cgroup%s enabling no controller", n_none, n_none == 1 ? "" : "s");
}

static void render_cgroup(const out_t *o, const struct sc_cgroup_facts *cg)
{
	_cleanup_free_ char *ctl = NULL, *sub = NULL, *feat = NULL, *del = NULL;

	sc_text_heading(o, "Cgroups");
	sc_text_kv(o, "mode", "%s (%s)", sc_cgroup_mode_to_string(cg->mode), mode_explained(cg));
	for (size_t i = 0; i < cg->n_oddities; i++)
		sc_text_kv(o, i == 0 ? "oddities" : "", "%s: %s", cg->oddities[i].id,
			   cg->oddities[i].detail);

	render_mounts(o, cg);
	render_controllers(o, cg);

	if (cg->v2_path) {
		ctl = join_or_none(cg->v2_controllers, "(none)");
		sub = join_or_none(cg->v2_subtree_control, "(none)");
		sc_text_kv(o, "cgroup2 root", "%s", cg->v2_path);
		sc_text_kv(o, "  controllers", "%s", ctl);
		sc_text_kv(o, "  subtree_control", "%s", sub);
		render_tree(o, cg);
	}
	feat = join_or_none(cg->features, "(none)");
	del = join_or_none(cg->delegate, "(none)");
	sc_text_kv(o, "kernel features", "%s", feat);
	sc_text_kv(o, "delegatable files", "%s", del);
	sc_text_kv(o, "swap accounting", "%s (%s)", sc_tristate_to_string(cg->swap_accounting),
		   strna(cg->swap_evidence));
}

static void render_host(const out_t *o, const struct sc_host_facts *f)
{
	_cleanup_free_ char *lx = NULL;

	render_cgroup(o, &f->cgroup);

	sc_text_heading(o, "Kernel");
	sc_text_kv(o, "release", "%s", strna(f->kernel_release));
	if (f->n_params == 0)
		sc_text_kv(o, "cgroup parameters", "(none on the command line)");
	for (size_t i = 0; i < f->n_params; i++)
		sc_text_kv(o, i == 0 ? "cgroup parameters" : "", "%s%s%s", f->params[i].key,
			   f->params[i].value ? "=" : "",
			   f->params[i].value ? f->params[i].value : "");

	sc_text_heading(o, "Namespaces");
	sc_text_line(o, "  %-18s %-10s %-12s %s", "", "SUPPORTED", "INODE", "INITIAL");
	for (int t = 0; t < _SC_NS_MAX; t++) {
		_cleanup_free_ char *ino = f->ns[t].inode ? sc_xasprintf("%" PRIu64, f->ns[t].inode)
							  : sc_xstrdup(dash(o));
		fprintf(o->f, "  %-18s %-10s ", sc_ns_type_to_string(t),
			f->ns[t].supported ? "yes" : "no");
		sc_text_cell(o, ino, 13);
		sc_text_line(o, "%s",
			     f->ns[t].initial == SC_UNKNOWN
				     ? dash(o)
				     : sc_tristate_to_string(f->ns[t].initial));
	}
	if (f->max_user_namespaces >= 0)
		sc_text_kv(o, "max user ns", "%" PRId64, f->max_user_namespaces);

	sc_text_heading(o, "Host");
	sc_text_kv(o, "PID 1", "%s", strna(f->pid1_name));
	sc_text_kv(o, "init system", "%s (/run/systemd/system %s)", strna(f->init_system),
		   f->systemd_running == SC_YES	 ? "exists"
		   : f->systemd_running == SC_NO ? "absent"
						 : "?");
	sc_text_kv(o, "detect-virt", "%s (%s)", strna(f->container), strna(f->container_evidence));
	sc_text_kv(o, "namespaces", "%s",
		   f->ns_says_container == SC_YES  ? "not the initial ones: inside a container"
		   : f->ns_says_container == SC_NO ? "the initial ones: not a container"
						   : "unknown");
	lx = sc_strv_length(f->lxcfs_mountpoints) ? sc_strv_join(f->lxcfs_mountpoints, ", ")
						  : sc_xstrdup("not mounted");
	sc_text_kv(o, "lxcfs", "%s", lx);
	for (size_t i = 0; i < f->errors.n; i++)
		sc_text_kv(o, i == 0 ? "unreadable" : "", "%s: %s", f->errors.v[i].path,
			   sc_strerror(f->errors.v[i].err));
}

static const char *ts(const out_t *o, int t)
{
	return t == SC_UNKNOWN ? dash(o) : sc_tristate_to_string(t);
}

static void render_container(const out_t *o, const struct sc_container_facts *f)
{
	const struct sc_proc_facts *p = &f->proc;
	_cleanup_free_ char *eff = NULL, *bnd = NULL;
	_cleanup_strv_free_ char **priv = sc_xcalloc(1, sizeof(char *));
	_cleanup_strv_free_ char **shared = sc_xcalloc(1, sizeof(char *));

	sc_text_heading(o, "Container");
	sc_text_kv(o, "target", "%s:%s%s%s%s, PID %d", sc_runtime_to_string(f->ref.runtime),
		   f->ref.id, f->ref.name ? " (" : "", f->ref.name ? f->ref.name : "",
		   f->ref.name ? ")" : "", (int)p->pid);
	if (f->ref.rootless)
		sc_text_kv(o, "rootless", "yes, the state of UID %u", (unsigned)f->ref.uid);
	if (f->ref.bundle)
		sc_text_kv(o, "bundle", "%s", f->ref.bundle);
	sc_text_kv(o, "PID 1 runs", "%s", p->cmdline ? p->cmdline : strna(p->comm));
	for (int t = 0; t < _SC_NS_MAX; t++) {
		int v = sc_proc_ns_private(p, t);
		if (v == 1)
			sc_strv_push(&priv, sc_ns_type_to_string(t));
		else if (v == 0)
			sc_strv_push(&shared, sc_ns_type_to_string(t));
	}
	{
		_cleanup_free_ char *a = sc_strv_join(priv, " "), *b = sc_strv_join(shared, " ");
		sc_text_kv(o, "private ns", "%s", *a ? a : "(none)");
		sc_text_kv(o, "host ns", "%s", *b ? b : "(none)");
	}
	if (p->caps_known) {
		eff = sc_caps_to_string(p->cap_eff);
		bnd = sc_caps_to_string(p->cap_bnd);
		sc_text_kv(o, "effective caps", "%s", *eff ? eff : "(none)");
		if (p->cap_bnd != p->cap_eff)
			sc_text_kv(o, "bounding caps", "%s", *bnd ? bnd : "(none)");
	}
	sc_text_kv(o, "seccomp", "%s, no_new_privs %s",
		   p->seccomp == 2   ? "filter"
		   : p->seccomp == 1 ? "strict"
		   : p->seccomp == 0 ? "off"
				     : "?",
		   p->no_new_privs == 1	  ? "on"
		   : p->no_new_privs == 0 ? "off"
					  : "?");
	for (size_t i = 0; i < p->n_uid_map; i++)
		sc_text_kv(o, i == 0 ? "uid_map" : "", "%u %u %u", p->uid_map[i].inside,
			   p->uid_map[i].outside, p->uid_map[i].count);
	sc_text_kv(o, "container=", "%s",
		   p->container_env	 ? p->container_env
		   : p->environ_readable ? "(unset)"
					 : "(environment unreadable)");
	for (size_t i = 0; i < p->n_cgroups; i++)
		sc_text_kv(o, i == 0 ? "cgroups (host)" : "", "%d:%s:%s", p->cgroups[i].hierarchy,
			   p->cgroups[i].controllers, p->cgroups[i].path);
	if (p->cpus_allowed)
		sc_text_kv(o, "CPUs allowed", "%s", p->cpus_allowed);

	if (f->cg2_path) {
		sc_text_heading(o, "Delegation (cgroup2, from the host)");
		sc_text_kv(o, "cgroup", "%s (%s)", f->cg2_path, f->cg2_host_dir);
		if (f->n_chain) {
			_cleanup_table_ struct sc_table *tb = sc_table_new(o, 2, NULL);

			for (size_t i = 0; i < f->n_chain; i++) {
				_cleanup_free_ char *l =
					f->chain[i].subtree_control
						? sc_strv_join(f->chain[i].subtree_control, " ")
						: sc_xstrdup("(unreadable)");
				sc_table_add(tb, (const char *const[]){ f->chain[i].path,
									*l ? l : "(none)" });
			}
			sc_table_wrap(tb, 0);
			sc_table_wrap(tb, 1);
			sc_table_print_kv(tb, "subtree_control");
		}
		{
			_cleanup_free_ char *l = f->cg2_controllers
							 ? sc_strv_join(f->cg2_controllers, " ")
							 : sc_xstrdup("(unreadable)");
			sc_text_kv(o, "controllers", "%s", *l ? l : "(none)");
		}
		sc_text_kv(o, "cgroup.type", "%s", f->cg2_type ? f->cg2_type : dash(o));
		if (f->cg2_stat_known)
			sc_text_kv(o, "owner", "uid %u gid %u", (unsigned)f->cg2_uid,
				   (unsigned)f->cg2_gid);
		if (f->root_mapped)
			sc_text_kv(o, "container root", "host uid %u%s", f->root_uid,
				   f->userns ? " (user namespace)" : "");
	}

	sc_text_heading(o, "Inside");
	if (!f->inside_ok) {
		sc_text_kv(o, "error", "%s", strna(f->inside_error));
		return;
	}
	{
		const struct sc_inside_facts *i = &f->inside;
		const struct sc_systemd_image *sd = &i->systemd;

		sc_text_kv(o, "cgroup mode", "%s (what systemd would pick here)",
			   sc_cgroup_mode_to_string(i->cgroup.mode));
		if (i->cgroup.n_mounts) {
			_cleanup_table_ struct sc_table *tb = sc_table_new(o, 5, NULL);

			for (size_t k = 0; k < i->cgroup.n_mounts; k++) {
				const struct sc_cgroup_mount *m = &i->cgroup.mounts[k];
				_cleanup_free_ char *c = sc_strv_join(m->controllers, ",");
				_cleanup_free_ char *root = sc_xasprintf("root %s", m->root);
				_cleanup_free_ char *what = sc_xasprintf(
					"%s%s", m->name ? "name=" : "", m->name ? m->name : c);

				sc_table_add(tb, (const char *const[]){
							 m->mountpoint,
							 m->version == 2 ? "cgroup2" : "cgroup",
							 m->read_only ? "ro" : "rw", root, what });
			}
			sc_table_wrap(tb, 0);
			sc_table_wrap(tb, 3);
			sc_table_wrap(tb, 4);
			sc_table_print_kv(tb, "cgroup mounts");
		}
		if (i->cgroup.n_mounts == 0)
			sc_text_kv(o, "cgroup mounts", "(none)");
		for (size_t k = 0; k < i->n_pid1_cgroups; k++)
			sc_text_kv(o, k == 0 ? "/proc/1/cgroup" : "", "%d:%s:%s",
				   i->pid1_cgroups[k].hierarchy, i->pid1_cgroups[k].controllers,
				   i->pid1_cgroups[k].path);
		sc_text_kv(o, "/run", "%s", i->fs_run ? i->fs_run : "not a mount point");
		sc_text_kv(o, "/run/lock", "%s",
			   i->fs_run_lock ? i->fs_run_lock : "not a mount point");
		sc_text_kv(o, "/tmp", "%s", i->fs_tmp ? i->fs_tmp : "not a mount point");
		sc_text_kv(o, "/sys read-only", "%s", ts(o, i->sys_read_only));
		sc_text_kv(o, "/proc/sys ro", "%s", ts(o, i->proc_sys_read_only));
		sc_text_kv(o, "/dev/console", "%s",
			   i->dev_console == SC_YES  ? "present"
			   : i->dev_console == SC_NO ? "absent"
						     : "?");
		if (sc_strv_length(i->lxcfs_mountpoints)) {
			_cleanup_free_ char *l = sc_strv_join(i->lxcfs_mountpoints, " ");
			sc_text_kv(o, "lxcfs", "%s", l);
		} else
			sc_text_kv(o, "lxcfs", "not mounted");
		sc_text_kv(o, "os-release", "%s", i->os_pretty_name ? i->os_pretty_name : "(none)");
		if (sd->found)
			sc_text_kv(o, "systemd", "%s (%s: %s)%s%s", sd->version, sd->method,
				   sd->source, sd->default_hierarchy ? ", default-hierarchy=" : "",
				   sd->default_hierarchy ? sd->default_hierarchy : "");
		else
			sc_text_kv(o, "systemd", "not in the image");
		{
			_cleanup_free_ char *chain = sc_strv_join(sd->init_chain, " -> ");
			sc_text_kv(o, "/sbin/init", "%s%s%s", chain, sd->init_path ? "" : ": ",
				   sd->init_path ? "" : sc_strerror(sd->init_error));
		}
		sc_text_kv(o, "PID 1 inside", "%s%s", strna(i->pid1_comm),
			   i->systemd_running == SC_YES
				   ? " (systemd is running: /run/systemd/system)"
				   : "");
		if (i->systemd_running == SC_YES && i->manager_error == 0) {
			_cleanup_free_ char *failed = sc_strv_join(i->manager.failed_units, ", ");
			sc_text_kv(o, "manager", "systemd %s, %s%s%s", strna(i->manager.version),
				   strna(i->manager.system_state), *failed ? "; failed: " : "",
				   failed);
		} else if (i->systemd_running == SC_YES)
			sc_text_kv(o, "manager", "no answer on %s: %s", SC_MANAGER_SOCKET,
				   sc_strerror(i->manager_error));
		for (size_t k = 0; k < i->errors.n; k++)
			sc_text_kv(o, k == 0 ? "unreadable" : "", "%s: %s", i->errors.v[k].path,
				   sc_strerror(i->errors.v[k].err));
	}
}

/* The list's table; without the CGROUP column when cgroup is false, and
 * with NAME / ID on a line of its own under each row when id_below. */
static struct sc_table *list_table(const out_t *o, const struct sc_report *r, bool cgroup,
				   bool id_below)
{
	static const enum sc_ns_type shown[] = { SC_NS_PID, SC_NS_MNT, SC_NS_CGROUP, SC_NS_USER,
						 SC_NS_NET };
	static const char *const head[] = { "PID",	  "RUNTIME",	   "NAME / ID",
					    "PRIVATE NS", "PID 1 COMMAND", "CGROUP" };
	/* The columns shown, by their index in head[]. */
	static const size_t order[2][5] = { { 0, 1, 2, 3, 4 }, { 0, 1, 3, 4, 5 } };
	const size_t *col = order[id_below];
	size_t n = id_below ? 4 : cgroup ? 6 : 5;
	const char *heads[6];
	struct sc_table *tb;

	for (size_t c = 0; c < n; c++)
		heads[c] = head[c < 5 ? col[c] : 5];
	tb = sc_table_new(o, n, heads);
	if (id_below)
		sc_table_note(tb, head[2]);
	for (size_t i = 0; i < r->n_listed; i++) {
		const struct sc_listed *l = &r->listed[i];
		_cleanup_strv_free_ char **ns = sc_xcalloc(1, sizeof(char *));
		_cleanup_free_ char *pid = NULL, *name = NULL, *nss = NULL, *rt = NULL;
		const char *cells[6], *row[6];

		for (size_t k = 0; k < ELEMENTSOF(shown); k++)
			if (l->private_ns[shown[k]] == 1)
				sc_strv_push(&ns, sc_ns_type_to_string(shown[k]));
		pid = l->running ? sc_xasprintf("%d", (int)l->pid) : sc_xstrdup("stopped");
		name = l->ref.name && !streq(l->ref.name, l->ref.id)
			       ? sc_xasprintf("%s (%.12s)", l->ref.name, l->ref.id)
			       : sc_xstrdup(l->ref.id);
		nss = sc_strv_length(ns) ? sc_strv_join(ns, ",") : sc_xstrdup(dash(o));
		cells[0] = pid;
		/* A rootless user's container: whose state it is. */
		rt = l->ref.rootless
			     ? sc_xasprintf("%s (uid %u)", sc_runtime_to_string(l->ref.runtime),
					    (unsigned)l->ref.uid)
			     : sc_xstrdup(sc_runtime_to_string(l->ref.runtime));
		cells[1] = rt;
		cells[2] = name;
		cells[3] = nss;
		cells[4] = l->cmdline ? l->cmdline : "";
		cells[5] = l->cgroup ? l->cgroup : dash(o);
		for (size_t c = 0; c < n; c++)
			row[c] = cells[c < 5 ? col[c] : 5];
		sc_table_add(tb, row);
		if (id_below)
			sc_table_note(tb, name);
	}
	/* Not the NAME / ID column: an ID is what a reader copies from
	 * here, and a wrapped one no longer pastes as a target. */
	for (size_t c = 2; c < n; c++)
		if (c >= 5 || col[c] != 2)
			sc_table_wrap(tb, c);
	return tb;
}

static void render_list(const out_t *o, const struct sc_report *r)
{
	_cleanup_table_ struct sc_table *tb = NULL;
	bool cgroup = true;

	sc_text_heading(o, "Containers");
	if (r->n_listed == 0) {
		sc_text_line(o, "  (none found)");
		return;
	}
	/* The cgroup path, last, only when the whole table fits: it is
	 * mostly the ID again, and wrapped into a narrow column it takes
	 * more lines than the rest together. An ID so long that the other
	 * columns do not fit beside it goes on a line of its own under its
	 * row, for every row. */
	tb = list_table(o, r, true, false);
	if (!sc_table_fits(tb, 2)) {
		sc_table_free(tb);
		tb = list_table(o, r, cgroup = false, false);
		if (!sc_table_fits_wrapped(tb, 2)) {
			sc_table_free(tb);
			tb = list_table(o, r, false, true);
		}
	}
	sc_table_print(tb, 2);
	if (!cgroup)
		sc_text_line(o, "  (cgroup paths: --json, or a wider terminal)");
}

/* What --quiet shows: the checks that did not pass. */
static bool shown_quiet(const struct sc_check *c)
{
	/* An ignored check is one the site said it does not want to see. */
	return !c->ignored &&
	       (c->status == SC_WARN || c->status == SC_FAIL || c->status == SC_ERROR);
}

static void render_checks(const out_t *o, const struct sc_report *r)
{
	size_t w = 0, width = sc_text_columns(o);
	/* "  ✔ ID  SUMMARY": the id's column, and the summary's (at most
	 * half the width: an id longer than its column pushes its own
	 * summary along, and every further line starts there). Evidence
	 * and remedy labels sit one column right of the ids with a symbol,
	 * under them with an ASCII tag. */
	size_t id_col = o->o->unicode ? 4 : 9, label_col = o->o->unicode ? 5 : 9, sum_col, ev_col;

	if (!o->o->quiet)
		sc_text_heading(o, "Checks");
	for (size_t i = 0; i < r->n_checks; i++)
		if (strlen(r->checks[i].id) > w)
			w = strlen(r->checks[i].id);
	sum_col = id_col + w + 2;
	if (sum_col > width / 2)
		sum_col = width / 2 > id_col + 10 ? width / 2 : id_col + 10;
	ev_col = sum_col + label_col - id_col;

	for (size_t i = 0; i < r->n_checks; i++) {
		const struct sc_check *c = &r->checks[i];
		bool details = o->o->verbose || (c->status != SC_PASS && c->status != SC_SKIP);
		size_t col;

		if (o->o->quiet && !shown_quiet(c))
			continue;
		fputs("  ", o->f);
		sc_text_sgr(o, status_style[c->status].color);
		fputs(o->o->unicode ? status_style[c->status].symbol
				    : status_style[c->status].ascii,
		      o->f);
		sc_text_sgr(o, SC_ANSI_RESET);
		fprintf(o->f, " %s  ", c->id);
		col = id_col + strlen(c->id) + 2;
		for (; col < sum_col; col++)
			fputc(' ', o->f);
		sc_text_hang(o, col, sum_col, "%s%s", c->summary, c->ignored ? " (ignored)" : "");
		if (!details)
			continue;
		for (size_t j = 0; j < c->n_evidence; j++) {
			_cleanup_free_ char *ev =
				sc_xasprintf("%s: %s", c->evidence[j].what, c->evidence[j].value);

			fprintf(o->f, "%*s%-*s", (int)label_col, "", (int)(ev_col - label_col),
				j == 0 ? "evidence" : "");
			sc_text_sgr(o, SC_ANSI_DIM);
			sc_text_wrap(o, ev_col, ev_col, ev);
			sc_text_sgr(o, SC_ANSI_RESET);
			sc_text_nl(o);
		}
		if (c->remedy) {
			fprintf(o->f, "%*s%-*s", (int)label_col, "", (int)(ev_col - label_col),
				"remedy");
			sc_text_hang(o, ev_col, ev_col, "%s", c->remedy);
		}
	}
}

static void render_summary(const out_t *o, const struct sc_report *r, bool blank)
{
	struct sc_summary s;
	_cleanup_strv_free_ char **parts = sc_xcalloc(1, sizeof(char *));
	_cleanup_free_ char *counts = NULL;
	int code = sc_report_exit_code(r, r->strict);

	sc_report_summary(r, &s);
	if (blank)
		sc_text_nl(o);
	for (int i = 0; i < _SC_STATUS_MAX; i++)
		if (s.counts[i])
			sc_strv_consume(&parts,
					sc_xasprintf("%u %s", s.counts[i], sc_status_to_string(i)));
	if (s.ignored)
		sc_strv_consume(&parts, sc_xasprintf("%u ignored", s.ignored));
	counts = *parts ? sc_strv_join(parts, ", ") : sc_xstrdup("no checks");
	sc_text_hang(o, 0, 9, "Summary: %s %s exit %d%s", counts, dash(o), code,
		     r->strict ? " (strict)" : "");
}

/* A container's sections (a report's own, or a sub's with --all). */
static void render_sections(const out_t *o, const struct sc_report *r)
{
	if (r->container && (r->sections & SC_SECTION_CONTAINER))
		render_container(o, r->container);
	if (r->has_list && (r->sections & SC_SECTION_LIST))
		render_list(o, r);
	if (r->limits && (r->sections & SC_SECTION_LIMITS))
		sc_render_limits_text(r->limits, o);
	if (r->boot && (r->sections & SC_SECTION_BOOT))
		sc_render_boot_text(r->boot, r->boot_env, o);
	if (r->boot && r->fix && (r->sections & SC_SECTION_BOOT))
		sc_render_fix_text(r->fix, o);
}

/* "— runc:NAME, PID 42 —": a container's heading with --all. */
static char *sub_title(const out_t *o, const struct sc_report *sub)
{
	return sc_xasprintf("%s %s:%s, PID %d %s", dash(o),
			    sc_runtime_to_string(sub->target.runtime),
			    sub->target.name ? sub->target.name : sub->target.id,
			    (int)sub->target.pid, dash(o));
}

static size_t count_quiet(const struct sc_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_checks; i++)
		n += shown_quiet(&r->checks[i]);
	return n;
}

static void render_notes(const out_t *o, const struct sc_report *r)
{
	for (char **n = r->notes; n && *n; n++)
		sc_text_hang(o, 0, 6, "note: %s", *n);
}

/* --quiet: the checks that did not pass (with --all, under their
 * container's heading), the notes, and the summary. */
static void render_quiet(const out_t *o, const struct sc_report *r)
{
	bool any = count_quiet(r) > 0;

	if (any)
		render_checks(o, r);
	for (size_t i = 0; i < r->n_subs; i++) {
		_cleanup_free_ char *title = NULL;

		if (!count_quiet(&r->subs[i]))
			continue;
		title = sub_title(o, &r->subs[i]);
		if (any)
			sc_text_nl(o);
		sc_text_sgr(o, SC_ANSI_BOLD);
		sc_text_wrap(o, 0, 4, title);
		sc_text_sgr(o, SC_ANSI_RESET);
		sc_text_nl(o);
		render_checks(o, &r->subs[i]);
		any = true;
	}
	/* What could not be read: a quiet run must not hide why it saw
	 * nothing. */
	if (any && r->notes && *r->notes)
		sc_text_nl(o);
	render_notes(o, r);
	any = any || (r->notes && *r->notes);
	render_summary(o, r, any);
}

int sc_render_text(const struct sc_report *r, const struct sc_text_opts *opts, FILE *out)
{
	struct sc_escaped_file esc;
	out_t o;
	int k;

	k = sc_text_open(&o, &esc, opts, out);
	if (k < 0)
		return k;
	if (opts->quiet) {
		render_quiet(&o, r);
		return sc_text_close(&o);
	}

	sc_text_sgr(&o, SC_ANSI_BOLD);
	fprintf(o.f, "%s %s", SC_TOOL_NAME, SC_VERSION);
	sc_text_sgr(&o, SC_ANSI_RESET);
	{
		_cleanup_free_ char *rest =
			r->host ? sc_xasprintf(" %s %s %s %s%s", dash(&o), r->verb, dash(&o),
					       r->host->root_path,
					       r->image	       ? " (image)"
					       : r->host->live ? " (live)"
							       : " (snapshot)")
				: sc_xasprintf(" %s %s", dash(&o), r->verb);
		sc_text_wrap(&o, strlen(SC_TOOL_NAME " " SC_VERSION), 4, rest);
	}
	sc_text_nl(&o);

	if (r->image && (r->sections & SC_SECTION_IMAGE))
		sc_render_image_text(r->image, &o);
	else if (r->host && (r->sections & SC_SECTION_HOST))
		render_host(&o, r->host);
	else if (r->host && (r->sections & (SC_SECTION_HOST_SUMMARY | SC_SECTION_HOST_LINE))) {
		sc_text_nl(&o);
		sc_text_hang(&o, 0, 4, "  host cgroup mode %s, PID 1 %s",
			     sc_cgroup_mode_to_string(r->host->cgroup.mode),
			     strna(r->host->pid1_name));
	}
	render_sections(&o, r);
	if (r->n_checks)
		render_checks(&o, r);
	/* --all: each container as `VERB TARGET` shows it, then one summary. */
	for (size_t i = 0; i < r->n_subs; i++) {
		const struct sc_report *sub = &r->subs[i];
		_cleanup_free_ char *title = sub_title(&o, sub);

		sc_text_heading(&o, title);
		render_sections(&o, sub);
		if (sub->n_checks)
			render_checks(&o, sub);
	}
	/* What could not be read (not root), before the count it explains. */
	if (r->notes && *r->notes)
		sc_text_nl(&o);
	render_notes(&o, r);
	if (r->all) {
		sc_text_nl(&o);
		sc_text_line(&o, "%zu container%s", r->n_subs, r->n_subs == 1 ? "" : "s");
	}
	if (r->has_list) {
		sc_text_nl(&o);
		sc_text_line(&o, "%zu container%s", r->n_listed, r->n_listed == 1 ? "" : "s");
	} else
		render_summary(&o, r, true);
	return sc_text_close(&o);
}
