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

static void kv(const out_t *o, const char *key, const char *fmt, ...) _printf_(3, 4);
static void kv(const out_t *o, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(o->f, "  %-18s ", key);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	sc_text_nl(o);
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

static void render_cgroup(const out_t *o, const struct sc_cgroup_facts *cg)
{
	_cleanup_free_ char *ctl = NULL, *sub = NULL, *feat = NULL, *del = NULL;
	size_t w = 11;

	sc_text_heading(o, "Cgroups");
	kv(o, "mode", "%s (%s)", sc_cgroup_mode_to_string(cg->mode), mode_explained(cg));
	for (size_t i = 0; i < cg->n_oddities; i++)
		kv(o, i == 0 ? "oddities" : "", "%s: %s", cg->oddities[i].id,
		   cg->oddities[i].detail);

	for (size_t i = 0; i < cg->n_mounts; i++)
		if (sc_text_cell_width(o, cg->mounts[i].mountpoint) > w)
			w = sc_text_cell_width(o, cg->mounts[i].mountpoint);
	sc_text_line(o, "  %-18s %-*s  %-7s  %-2s  %-6s %s", "mounts", (int)w, "MOUNT POINT",
		     "TYPE", "RW", "ROOT", "CONTROLLERS / OPTIONS");
	if (cg->n_mounts == 0)
		sc_text_line(o, "  %-18s (no cgroup mounts)", "");
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
		fprintf(o->f, "  %-18s ", "");
		sc_text_cell(o, m->mountpoint, w);
		sc_text_line(o, "  %-7s  %-2s  %-6s %s", m->version == 2 ? "cgroup2" : "cgroup",
			     m->read_only ? "ro" : "rw", m->root, what);
	}

	sc_text_line(o, "  %-18s %-12s %-12s %-4s %s", "controllers", "NAME", "WHERE", "ID",
		     "MOUNT POINT / NOTE");
	for (size_t i = 0; i < cg->n_controllers; i++) {
		const struct sc_controller *c = &cg->controllers[i];
		_cleanup_free_ char *name = NULL, *id = NULL;
		const char *where = sc_ctrl_where_to_string(c->where), *loc;

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
		/* Model strings are padded by sc_text_cell(), which counts
		 * what the terminal shows; printf's %-Ns counts bytes. */
		fprintf(o->f, "  %-18s ", "");
		sc_text_cell(o, name, 12);
		fprintf(o->f, " %-12s ", where);
		sc_text_cell(o, id, 5);
		sc_text_line(o, "%s", loc);
	}

	if (cg->v2_path) {
		ctl = join_or_none(cg->v2_controllers, "(none)");
		sub = join_or_none(cg->v2_subtree_control, "(none)");
		kv(o, "cgroup2 root", "%s", cg->v2_path);
		kv(o, "  controllers", "%s", ctl);
		kv(o, "  subtree_control", "%s", sub);
	}
	feat = join_or_none(cg->features, "(none)");
	del = join_or_none(cg->delegate, "(none)");
	kv(o, "kernel features", "%s", feat);
	kv(o, "delegatable files", "%s", del);
	kv(o, "swap accounting", "%s (%s)", sc_tristate_to_string(cg->swap_accounting),
	   strna(cg->swap_evidence));
}

static void render_host(const out_t *o, const struct sc_host_facts *f)
{
	_cleanup_free_ char *lx = NULL;

	render_cgroup(o, &f->cgroup);

	sc_text_heading(o, "Kernel");
	kv(o, "release", "%s", strna(f->kernel_release));
	if (f->n_params == 0)
		kv(o, "cgroup parameters", "(none on the command line)");
	for (size_t i = 0; i < f->n_params; i++)
		kv(o, i == 0 ? "cgroup parameters" : "", "%s%s%s", f->params[i].key,
		   f->params[i].value ? "=" : "", f->params[i].value ? f->params[i].value : "");

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
		kv(o, "max user ns", "%" PRId64, f->max_user_namespaces);

	sc_text_heading(o, "Host");
	kv(o, "PID 1", "%s", strna(f->pid1_name));
	kv(o, "init system", "%s (/run/systemd/system %s)", strna(f->init_system),
	   f->systemd_running == SC_YES	 ? "exists"
	   : f->systemd_running == SC_NO ? "absent"
					 : "?");
	kv(o, "detect-virt", "%s (%s)", strna(f->container), strna(f->container_evidence));
	kv(o, "namespaces", "%s",
	   f->ns_says_container == SC_YES  ? "not the initial ones: inside a container"
	   : f->ns_says_container == SC_NO ? "the initial ones: not a container"
					   : "unknown");
	lx = sc_strv_length(f->lxcfs_mountpoints) ? sc_strv_join(f->lxcfs_mountpoints, ", ")
						  : sc_xstrdup("not mounted");
	kv(o, "lxcfs", "%s", lx);
	for (size_t i = 0; i < f->errors.n; i++)
		kv(o, i == 0 ? "unreadable" : "", "%s: %s", f->errors.v[i].path,
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
	kv(o, "target", "%s:%s%s%s%s, PID %d", sc_runtime_to_string(f->ref.runtime), f->ref.id,
	   f->ref.name ? " (" : "", f->ref.name ? f->ref.name : "", f->ref.name ? ")" : "",
	   (int)p->pid);
	if (f->ref.bundle)
		kv(o, "bundle", "%s", f->ref.bundle);
	kv(o, "PID 1 runs", "%s", p->cmdline ? p->cmdline : strna(p->comm));
	for (int t = 0; t < _SC_NS_MAX; t++) {
		int v = sc_proc_ns_private(p, t);
		if (v == 1)
			sc_strv_push(&priv, sc_ns_type_to_string(t));
		else if (v == 0)
			sc_strv_push(&shared, sc_ns_type_to_string(t));
	}
	{
		_cleanup_free_ char *a = sc_strv_join(priv, " "), *b = sc_strv_join(shared, " ");
		kv(o, "private ns", "%s", *a ? a : "(none)");
		kv(o, "host ns", "%s", *b ? b : "(none)");
	}
	if (p->caps_known) {
		eff = sc_caps_to_string(p->cap_eff);
		bnd = sc_caps_to_string(p->cap_bnd);
		kv(o, "effective caps", "%s", *eff ? eff : "(none)");
		if (p->cap_bnd != p->cap_eff)
			kv(o, "bounding caps", "%s", *bnd ? bnd : "(none)");
	}
	kv(o, "seccomp", "%s, no_new_privs %s",
	   p->seccomp == 2   ? "filter"
	   : p->seccomp == 1 ? "strict"
	   : p->seccomp == 0 ? "off"
			     : "?",
	   p->no_new_privs == 1	  ? "on"
	   : p->no_new_privs == 0 ? "off"
				  : "?");
	for (size_t i = 0; i < p->n_uid_map; i++)
		kv(o, i == 0 ? "uid_map" : "", "%u %u %u", p->uid_map[i].inside,
		   p->uid_map[i].outside, p->uid_map[i].count);
	kv(o, "container=", "%s",
	   p->container_env	 ? p->container_env
	   : p->environ_readable ? "(unset)"
				 : "(environment unreadable)");
	for (size_t i = 0; i < p->n_cgroups; i++)
		kv(o, i == 0 ? "cgroups (host)" : "", "%d:%s:%s", p->cgroups[i].hierarchy,
		   p->cgroups[i].controllers, p->cgroups[i].path);
	if (p->cpus_allowed)
		kv(o, "CPUs allowed", "%s", p->cpus_allowed);

	if (f->cg2_path) {
		sc_text_heading(o, "Delegation (cgroup2, from the host)");
		kv(o, "cgroup", "%s (%s)", f->cg2_path, f->cg2_host_dir);
		for (size_t i = 0; i < f->n_chain; i++) {
			_cleanup_free_ char *l =
				f->chain[i].subtree_control
					? sc_strv_join(f->chain[i].subtree_control, " ")
					: sc_xstrdup("(unreadable)");
			fprintf(o->f, "  %-18s ", i == 0 ? "subtree_control" : "");
			sc_text_cell(o, f->chain[i].path, 24);
			sc_text_line(o, " %s", *l ? l : "(none)");
		}
		{
			_cleanup_free_ char *l = f->cg2_controllers
							 ? sc_strv_join(f->cg2_controllers, " ")
							 : sc_xstrdup("(unreadable)");
			kv(o, "controllers", "%s", *l ? l : "(none)");
		}
		kv(o, "cgroup.type", "%s", f->cg2_type ? f->cg2_type : dash(o));
		if (f->cg2_stat_known)
			kv(o, "owner", "uid %u gid %u", (unsigned)f->cg2_uid, (unsigned)f->cg2_gid);
		if (f->root_mapped)
			kv(o, "container root", "host uid %u%s", f->root_uid,
			   f->userns ? " (user namespace)" : "");
	}

	sc_text_heading(o, "Inside");
	if (!f->inside_ok) {
		kv(o, "error", "%s", strna(f->inside_error));
		return;
	}
	{
		const struct sc_inside_facts *i = &f->inside;
		const struct sc_systemd_image *sd = &i->systemd;

		kv(o, "cgroup mode", "%s (what systemd would pick here)",
		   sc_cgroup_mode_to_string(i->cgroup.mode));
		for (size_t k = 0; k < i->cgroup.n_mounts; k++) {
			const struct sc_cgroup_mount *m = &i->cgroup.mounts[k];
			_cleanup_free_ char *c = sc_strv_join(m->controllers, ",");
			fprintf(o->f, "  %-18s ", k == 0 ? "cgroup mounts" : "");
			sc_text_cell(o, m->mountpoint, 32);
			sc_text_line(o, " %-7s %s root %s %s%s",
				     m->version == 2 ? "cgroup2" : "cgroup",
				     m->read_only ? "ro" : "rw", m->root, m->name ? "name=" : "",
				     m->name ? m->name : c);
		}
		if (i->cgroup.n_mounts == 0)
			kv(o, "cgroup mounts", "(none)");
		for (size_t k = 0; k < i->n_pid1_cgroups; k++)
			kv(o, k == 0 ? "/proc/1/cgroup" : "", "%d:%s:%s",
			   i->pid1_cgroups[k].hierarchy, i->pid1_cgroups[k].controllers,
			   i->pid1_cgroups[k].path);
		kv(o, "/run", "%s", i->fs_run ? i->fs_run : "not a mount point");
		kv(o, "/run/lock", "%s", i->fs_run_lock ? i->fs_run_lock : "not a mount point");
		kv(o, "/tmp", "%s", i->fs_tmp ? i->fs_tmp : "not a mount point");
		kv(o, "/sys read-only", "%s", ts(o, i->sys_read_only));
		kv(o, "/proc/sys ro", "%s", ts(o, i->proc_sys_read_only));
		kv(o, "/dev/console", "%s",
		   i->dev_console == SC_YES  ? "present"
		   : i->dev_console == SC_NO ? "absent"
					     : "?");
		if (sc_strv_length(i->lxcfs_mountpoints)) {
			_cleanup_free_ char *l = sc_strv_join(i->lxcfs_mountpoints, " ");
			kv(o, "lxcfs", "%s", l);
		} else
			kv(o, "lxcfs", "not mounted");
		kv(o, "os-release", "%s", i->os_pretty_name ? i->os_pretty_name : "(none)");
		if (sd->found)
			kv(o, "systemd", "%s (%s: %s)%s%s", sd->version, sd->method, sd->source,
			   sd->default_hierarchy ? ", default-hierarchy=" : "",
			   sd->default_hierarchy ? sd->default_hierarchy : "");
		else
			kv(o, "systemd", "not in the image");
		{
			_cleanup_free_ char *chain = sc_strv_join(sd->init_chain, " -> ");
			kv(o, "/sbin/init", "%s%s%s", chain, sd->init_path ? "" : ": ",
			   sd->init_path ? "" : sc_strerror(sd->init_error));
		}
		kv(o, "PID 1 inside", "%s%s", strna(i->pid1_comm),
		   i->systemd_running == SC_YES ? " (systemd is running: /run/systemd/system)"
						: "");
		if (i->systemd_running == SC_YES && i->manager_error == 0) {
			_cleanup_free_ char *failed = sc_strv_join(i->manager.failed_units, ", ");
			kv(o, "manager", "systemd %s, %s%s%s", strna(i->manager.version),
			   strna(i->manager.system_state), *failed ? "; failed: " : "", failed);
		} else if (i->systemd_running == SC_YES)
			kv(o, "manager", "no answer on %s: %s", SC_MANAGER_SOCKET,
			   sc_strerror(i->manager_error));
		for (size_t k = 0; k < i->errors.n; k++)
			kv(o, k == 0 ? "unreadable" : "", "%s: %s", i->errors.v[k].path,
			   sc_strerror(i->errors.v[k].err));
	}
}

struct list_row {
	char *cells[6];
};

static void render_list(const out_t *o, const struct sc_report *r)
{
	static const enum sc_ns_type shown[] = { SC_NS_PID, SC_NS_MNT, SC_NS_CGROUP, SC_NS_USER,
						 SC_NS_NET };
	static const char *const head[6] = { "PID",    "RUNTIME",    "NAME / ID",
					     "CGROUP", "PRIVATE NS", "PID 1 COMMAND" };
	_cleanup_free_ struct list_row *rows = sc_xcalloc(r->n_listed + 1, sizeof(*rows));
	size_t w[6];

	sc_text_heading(o, "Containers");
	if (r->n_listed == 0) {
		sc_text_line(o, "  (none found)");
		return;
	}
	for (size_t c = 0; c < 6; c++)
		w[c] = sc_text_cell_width(o, head[c]);
	for (size_t i = 0; i < r->n_listed; i++) {
		const struct sc_listed *l = &r->listed[i];
		_cleanup_strv_free_ char **ns = sc_xcalloc(1, sizeof(char *));

		for (size_t k = 0; k < ELEMENTSOF(shown); k++)
			if (l->private_ns[shown[k]] == 1)
				sc_strv_push(&ns, sc_ns_type_to_string(shown[k]));
		rows[i].cells[0] =
			l->running ? sc_xasprintf("%d", (int)l->pid) : sc_xstrdup("stopped");
		rows[i].cells[1] = sc_xstrdup(sc_runtime_to_string(l->ref.runtime));
		rows[i].cells[2] = l->ref.name && !streq(l->ref.name, l->ref.id)
					   ? sc_xasprintf("%s (%.12s)", l->ref.name, l->ref.id)
					   : sc_xstrdup(l->ref.id);
		rows[i].cells[3] = sc_xstrdup(l->cgroup ? l->cgroup : dash(o));
		rows[i].cells[4] = sc_strv_length(ns) ? sc_strv_join(ns, ",") : sc_xstrdup(dash(o));
		rows[i].cells[5] = sc_xstrdup(l->cmdline ? l->cmdline : "");
		for (size_t c = 0; c < 6; c++)
			if (sc_text_cell_width(o, rows[i].cells[c]) > w[c])
				w[c] = sc_text_cell_width(o, rows[i].cells[c]);
	}
	fputs("  ", o->f);
	for (size_t c = 0; c < 6; c++) {
		sc_text_cell(o, head[c], c < 5 ? w[c] + 2 : 0);
	}
	sc_text_nl(o);
	for (size_t i = 0; i < r->n_listed; i++) {
		fputs("  ", o->f);
		for (size_t c = 0; c < 6; c++) {
			sc_text_cell(o, rows[i].cells[c], c < 5 ? w[c] + 2 : 0);
			free(rows[i].cells[c]);
		}
		sc_text_nl(o);
	}
}

static void render_checks(const out_t *o, const struct sc_report *r)
{
	size_t w = 0;

	sc_text_heading(o, "Checks");
	for (size_t i = 0; i < r->n_checks; i++)
		if (strlen(r->checks[i].id) > w)
			w = strlen(r->checks[i].id);

	for (size_t i = 0; i < r->n_checks; i++) {
		const struct sc_check *c = &r->checks[i];
		bool details = o->o->verbose || (c->status != SC_PASS && c->status != SC_SKIP);

		fputs("  ", o->f);
		sc_text_sgr(o, status_style[c->status].color);
		fputs(o->o->unicode ? status_style[c->status].symbol
				    : status_style[c->status].ascii,
		      o->f);
		sc_text_sgr(o, SC_ANSI_RESET);
		sc_text_line(o, " %-*s  %s%s", (int)w, c->id, c->summary,
			     c->ignored ? " (ignored)" : "");
		if (!details)
			continue;
		for (size_t j = 0; j < c->n_evidence; j++) {
			fprintf(o->f, "  %s  %-*s  ", o->o->unicode ? " " : "     ", (int)w,
				j == 0 ? "evidence" : "");
			sc_text_sgr(o, SC_ANSI_DIM);
			fprintf(o->f, "%s: %s", c->evidence[j].what, c->evidence[j].value);
			sc_text_sgr(o, SC_ANSI_RESET);
			sc_text_nl(o);
		}
		if (c->remedy)
			sc_text_line(o, "  %s  %-*s  %s", o->o->unicode ? " " : "     ", (int)w,
				     "remedy", c->remedy);
	}
}

static void render_summary(const out_t *o, const struct sc_report *r)
{
	struct sc_summary s;
	bool first = true;
	int code = sc_report_exit_code(r, r->strict);

	sc_report_summary(r, &s);
	sc_text_nl(o);
	fputs("Summary: ", o->f);
	for (int i = 0; i < _SC_STATUS_MAX; i++) {
		if (!s.counts[i])
			continue;
		fprintf(o->f, "%s%u %s", first ? "" : ", ", s.counts[i], sc_status_to_string(i));
		first = false;
	}
	if (s.ignored) {
		fprintf(o->f, "%s%u ignored", first ? "" : ", ", s.ignored);
		first = false;
	}
	if (first)
		fprintf(o->f, "no checks");
	sc_text_line(o, " %s exit %d%s", dash(o), code, r->strict ? " (strict)" : "");
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
}

int sc_render_text(const struct sc_report *r, const struct sc_text_opts *opts, FILE *out)
{
	struct sc_escaped_file esc;
	out_t o = { NULL, &esc, opts };
	int k;

	/* Where the tool's own output is ASCII (a terminal that is not
	 * UTF-8, or --ascii), the model's is too. */
	k = sc_escaped_open(&esc, out, opts->unicode ? 0 : SC_ESCAPE_ASCII);
	if (k < 0)
		return k;
	o.f = esc.f;

	sc_text_sgr(&o, SC_ANSI_BOLD);
	fprintf(o.f, "%s %s", SC_TOOL_NAME, SC_VERSION);
	sc_text_sgr(&o, SC_ANSI_RESET);
	fprintf(o.f, " %s %s", dash(&o), r->verb);
	if (r->host)
		fprintf(o.f, " %s %s%s", dash(&o), r->host->root_path,
			r->image	? " (image)"
			: r->host->live ? " (live)"
					: " (snapshot)");
	sc_text_nl(&o);

	if (r->image && (r->sections & SC_SECTION_IMAGE))
		sc_render_image_text(r->image, &o);
	else if (r->host && (r->sections & SC_SECTION_HOST))
		render_host(&o, r->host);
	else if (r->host && (r->sections & (SC_SECTION_HOST_SUMMARY | SC_SECTION_HOST_LINE))) {
		sc_text_nl(&o);
		sc_text_line(&o, "  host cgroup mode %s, PID 1 %s",
			     sc_cgroup_mode_to_string(r->host->cgroup.mode),
			     strna(r->host->pid1_name));
	}
	render_sections(&o, r);
	if (r->n_checks)
		render_checks(&o, r);
	/* --all: each container as `VERB TARGET` shows it, then one summary. */
	for (size_t i = 0; i < r->n_subs; i++) {
		const struct sc_report *sub = &r->subs[i];
		_cleanup_free_ char *title = sc_xasprintf(
			"%s %s:%s, PID %d %s", dash(&o), sc_runtime_to_string(sub->target.runtime),
			sub->target.name ? sub->target.name : sub->target.id, (int)sub->target.pid,
			dash(&o));

		sc_text_heading(&o, title);
		render_sections(&o, sub);
		if (sub->n_checks)
			render_checks(&o, sub);
	}
	if (r->all) {
		sc_text_nl(&o);
		sc_text_line(&o, "%zu container%s", r->n_subs, r->n_subs == 1 ? "" : "s");
	}
	if (r->has_list) {
		sc_text_nl(&o);
		sc_text_line(&o, "%zu container%s", r->n_listed, r->n_listed == 1 ? "" : "s");
	} else
		render_summary(&o, r);
	return sc_escaped_close(&esc);
}
