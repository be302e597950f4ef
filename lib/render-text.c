/* SPDX-License-Identifier: MIT */
/* The text renderer: sections of aligned facts, then the checks with a
 * status symbol, their evidence and remedy, then the summary line. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "render.h"
#include "util.h"

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"

struct out {
	FILE *f;
	const struct sc_text_opts *o;
};

static const struct {
	const char *symbol;
	const char *ascii;
	const char *color;
} status_style[_SC_STATUS_MAX] = {
	[SC_PASS] = { "✔", "[ ok ]", "\033[32m" },   [SC_INFO] = { "ℹ", "[info]", "\033[34m" },
	[SC_SKIP] = { "–", "[skip]", "\033[2m" },    [SC_WARN] = { "⚠", "[warn]", "\033[33m" },
	[SC_FAIL] = { "✖", "[FAIL]", "\033[31;1m" }, [SC_ERROR] = { "‼", "[ERR ]", "\033[35;1m" },
};

/* Display width of UTF-8 text: one column per code point (the tool prints
 * no wide characters), so "—" pads like "-". */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void cell(FILE *f, const char *s, size_t w)
{
	fputs(s, f);
	for (size_t i = width(s); i < w; i++)
		fputc(' ', f);
}

static const char *dash(const struct out *o)
{
	return o->o->unicode ? "—" : "-";
}

static void heading(const struct out *o, const char *title)
{
	fprintf(o->f, "\n%s%s%s\n", o->o->color ? ANSI_BOLD : "", title,
		o->o->color ? ANSI_RESET : "");
}

static void kv(const struct out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void kv(const struct out *o, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(o->f, "  %-18s ", key);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputc('\n', o->f);
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

static void render_cgroup(const struct out *o, const struct sc_cgroup_facts *cg)
{
	_cleanup_free_ char *ctl = NULL, *sub = NULL, *feat = NULL, *del = NULL;
	size_t w = 11;

	heading(o, "Cgroups");
	kv(o, "mode", "%s (%s)", sc_cgroup_mode_to_string(cg->mode), mode_explained(cg));
	for (size_t i = 0; i < cg->n_oddities; i++)
		kv(o, i == 0 ? "oddities" : "", "%s: %s", cg->oddities[i].id,
		   cg->oddities[i].detail);

	for (size_t i = 0; i < cg->n_mounts; i++)
		if (strlen(cg->mounts[i].mountpoint) > w)
			w = strlen(cg->mounts[i].mountpoint);
	fprintf(o->f, "  %-18s %-*s  %-7s  %-2s  %-6s %s\n", "mounts", (int)w, "MOUNT POINT",
		"TYPE", "RW", "ROOT", "CONTROLLERS / OPTIONS");
	if (cg->n_mounts == 0)
		fprintf(o->f, "  %-18s (no cgroup mounts)\n", "");
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
		fprintf(o->f, "  %-18s %-*s  %-7s  %-2s  %-6s %s\n", "", (int)w, m->mountpoint,
			m->version == 2 ? "cgroup2" : "cgroup", m->read_only ? "ro" : "rw", m->root,
			what);
	}

	fprintf(o->f, "  %-18s %-12s %-12s %-4s %s\n", "controllers", "NAME", "WHERE", "ID",
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
		fprintf(o->f, "  %-18s %-12s %-12s ", "", name, where);
		cell(o->f, id, 5);
		fprintf(o->f, "%s\n", loc);
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

static void render_host(const struct out *o, const struct sc_host_facts *f)
{
	_cleanup_free_ char *lx = NULL;

	render_cgroup(o, &f->cgroup);

	heading(o, "Kernel");
	kv(o, "release", "%s", strna(f->kernel_release));
	if (f->n_params == 0)
		kv(o, "cgroup parameters", "(none on the command line)");
	for (size_t i = 0; i < f->n_params; i++)
		kv(o, i == 0 ? "cgroup parameters" : "", "%s%s%s", f->params[i].key,
		   f->params[i].value ? "=" : "", f->params[i].value ? f->params[i].value : "");

	heading(o, "Namespaces");
	fprintf(o->f, "  %-18s %-10s %-12s %s\n", "", "SUPPORTED", "INODE", "INITIAL");
	for (int t = 0; t < _SC_NS_MAX; t++) {
		_cleanup_free_ char *ino = f->ns[t].inode ? sc_xasprintf("%" PRIu64, f->ns[t].inode)
							  : sc_xstrdup(dash(o));
		fprintf(o->f, "  %-18s %-10s ", sc_ns_type_to_string(t),
			f->ns[t].supported ? "yes" : "no");
		cell(o->f, ino, 13);
		fprintf(o->f, "%s\n",
			f->ns[t].initial == SC_UNKNOWN ? dash(o)
						       : sc_tristate_to_string(f->ns[t].initial));
	}
	if (f->max_user_namespaces >= 0)
		kv(o, "max user ns", "%" PRId64, f->max_user_namespaces);

	heading(o, "Host");
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

static void render_checks(const struct out *o, const struct sc_report *r)
{
	size_t w = 0;

	heading(o, "Checks");
	for (size_t i = 0; i < r->n_checks; i++)
		if (strlen(r->checks[i].id) > w)
			w = strlen(r->checks[i].id);

	for (size_t i = 0; i < r->n_checks; i++) {
		const struct sc_check *c = &r->checks[i];
		bool details = o->o->verbose || (c->status != SC_PASS && c->status != SC_SKIP);

		fprintf(o->f, "  %s%s%s %-*s  %s%s\n",
			o->o->color ? status_style[c->status].color : "",
			o->o->unicode ? status_style[c->status].symbol
				      : status_style[c->status].ascii,
			o->o->color ? ANSI_RESET : "", (int)w, c->id, c->summary,
			c->ignored ? " (ignored)" : "");
		if (!details)
			continue;
		for (size_t j = 0; j < c->n_evidence; j++)
			fprintf(o->f, "  %s  %-*s  %s%s: %s%s\n", o->o->unicode ? " " : "     ",
				(int)w, j == 0 ? "evidence" : "", o->o->color ? ANSI_DIM : "",
				c->evidence[j].what, c->evidence[j].value,
				o->o->color ? ANSI_RESET : "");
		if (c->remedy)
			fprintf(o->f, "  %s  %-*s  %s\n", o->o->unicode ? " " : "     ", (int)w,
				"remedy", c->remedy);
	}
}

static void render_summary(const struct out *o, const struct sc_report *r)
{
	struct sc_summary s;
	bool first = true;
	int code = sc_report_exit_code(r, r->strict);

	sc_report_summary(r, &s);
	fprintf(o->f, "\nSummary: ");
	for (int i = 0; i < _SC_STATUS_MAX; i++) {
		if (!s.counts[i])
			continue;
		fprintf(o->f, "%s%u %s", first ? "" : ", ", s.counts[i], sc_status_to_string(i));
		first = false;
	}
	if (s.ignored)
		fprintf(o->f, "%s%u ignored", first ? "" : ", ", s.ignored);
	if (first)
		fprintf(o->f, "no checks");
	fprintf(o->f, " %s exit %d%s\n", dash(o), code, r->strict ? " (strict)" : "");
}

int sc_render_text(const struct sc_report *r, const struct sc_text_opts *opts, FILE *out)
{
	struct out o = { out, opts };

	fprintf(out, "%s%s %s%s %s %s", opts->color ? ANSI_BOLD : "", SC_TOOL_NAME, SC_VERSION,
		opts->color ? ANSI_RESET : "", dash(&o), r->verb);
	if (r->host)
		fprintf(out, " %s %s%s", dash(&o), r->host->root_path,
			r->host->live ? " (live)" : " (snapshot)");
	fputc('\n', out);

	if (r->host)
		render_host(&o, r->host);
	render_checks(&o, r);
	render_summary(&o, r);
	return ferror(out) ? -EIO : 0;
}
