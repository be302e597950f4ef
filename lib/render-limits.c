/* SPDX-License-Identifier: MIT */
/* Rendering of the limits section: exact numbers in JSON (bytes,
 * microseconds, CPU lists and their counts), human ones in the text table
 * ("100 MiB", "0.5 CPUs"). Formatting only. */
#include <inttypes.h>
#include <stdio.h>

#include "render-text.h"
#include "util.h"

/* Strings of the model become JSON through sc_json_string() (NULL is
 * null, bytes that are not UTF-8 are escaped), never json_string() or a
 * pack's "s": see render-json.c. */

static json_t *u64_or_null(uint64_t v)
{
	return v == SC_LIMIT_NONE || v > (uint64_t)INT64_MAX ? json_null()
							     : json_integer((json_int_t)v);
}

static json_t *errno_or_null(int err)
{
	return err ? json_string(sc_errname(err)) : json_null();
}

static json_t *blkdev_json(const struct sc_blkdev *d)
{
	return sc_json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o}", "major", (json_int_t)d->major, "minor",
			    (json_int_t)d->minor, "devname", sc_json_string(d->devname), "fstype",
			    sc_json_string(d->fstype), "label", sc_json_string(d->label), "uuid",
			    sc_json_string(d->uuid), "error", errno_or_null(d->err));
}

static const char *unit_of(enum sc_limit_resource r)
{
	switch (r) {
	case SC_LIM_MEMORY:
	case SC_LIM_SWAP:
		return "bytes";
	case SC_LIM_CPU:
		return "us";
	case SC_LIM_CPUSET:
		return "cpus";
	case SC_LIM_PIDS:
		return "tasks";
	default:
		return "devices";
	}
}

static json_t *cpuset_json(const struct sc_cpuset *s, bool known)
{
	_cleanup_free_ char *t = NULL;

	if (!known)
		return json_null();
	t = sc_cpuset_format(s);
	return sc_json_string(t);
}

static json_t *effective_json(enum sc_limit_resource res, const struct sc_limit_effective *e)
{
	json_t *o = sc_json_ok(json_object()), *levels = sc_json_ok(json_array()),
	       *devs = sc_json_ok(json_array());
	_cleanup_free_ char *text = sc_limit_effective_to_string(res, e);
	bool cpus = res == SC_LIM_CPUSET && e->cpus.n_words;

	for (size_t i = 0; i < e->n_levels; i++)
		sc_json_append(levels, sc_json_pack("{s:o,s:o,s:o,s:o}", "cgroup",
						    sc_json_string(e->levels[i].cgroup), "file",
						    sc_json_string(e->levels[i].file), "raw",
						    sc_json_string(e->levels[i].raw), "error",
						    errno_or_null(e->levels[i].err)));
	for (size_t i = 0; i < e->n_io; i++) {
		const struct sc_io_limit *x = &e->io[i];
		sc_json_append(devs,
			       sc_json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "major",
					    (json_int_t)x->major, "minor", (json_int_t)x->minor,
					    "rbps", u64_or_null(x->v[SC_IO_RBPS]), "wbps",
					    u64_or_null(x->v[SC_IO_WBPS]), "riops",
					    u64_or_null(x->v[SC_IO_RIOPS]), "wiops",
					    u64_or_null(x->v[SC_IO_WIOPS]), "set_by",
					    sc_json_string(x->set_by), "device",
					    blkdev_json(&x->dev)));
	}
	sc_json_set(o, "known", json_boolean(e->known));
	sc_json_set(o, "error", sc_json_string(e->error));
	sc_json_set(o, "version", json_integer(e->version));
	sc_json_set(o, "controller", sc_json_string(e->controller));
	sc_json_set(o, "cgroup", sc_json_string(e->cgroup));
	sc_json_set(o, "host_dir", sc_json_string(e->host_dir));
	sc_json_set(o, "limited", json_boolean(e->limited));
	sc_json_set(o, "value", e->known && e->limited ? u64_or_null(e->value) : json_null());
	sc_json_set(o, "unit", json_string(unit_of(res)));
	sc_json_set(o, "text", sc_json_string(text));
	sc_json_set(o, "period_us",
		    res == SC_LIM_CPU && e->limited ? u64_or_null(e->period) : json_null());
	sc_json_set(o, "cpus", cpuset_json(&e->cpus, cpus));
	sc_json_set(o, "cpus_count", cpus ? json_integer(sc_cpuset_count(&e->cpus)) : json_null());
	sc_json_set(o, "all_cpus", cpuset_json(&e->all_cpus, cpus));
	sc_json_set(o, "all_cpus_count",
		    cpus ? json_integer(sc_cpuset_count(&e->all_cpus)) : json_null());
	sc_json_set(o, "set_by", sc_json_string(e->set_by));
	sc_json_set(o, "set_by_file", sc_json_string(e->set_by_file));
	sc_json_set(o, "note", sc_json_string(e->note));
	sc_json_set(o, "levels", levels);
	sc_json_set(o, "devices", devs);
	return o;
}

static json_t *row_json(const struct sc_limit_row *row)
{
	json_t *views = sc_json_ok(json_array());

	for (size_t i = 0; i < row->n_views; i++) {
		const struct sc_limit_view *v = &row->views[i];
		sc_json_append(views,
			       sc_json_pack("{s:o,s:o,s:b,s:o,s:o,s:b,s:b,s:o}", "tool",
					    sc_json_string(v->tool), "reads",
					    sc_json_string(v->reads), "known", v->known, "value",
					    v->known ? u64_or_null(v->value) : json_null(), "text",
					    sc_json_string(v->text), "shows_limit", v->shows_limit,
					    "lxcfs", v->lxcfs, "error", errno_or_null(v->err)));
	}
	return sc_json_pack(
		"{s:s,s:s,s:o,s:o,s:o,s:{s:o,s:b,s:b,s:o,s:o},s:o}", "resource",
		sc_limit_resource_to_string(row->res), "verdict",
		sc_limit_verdict_to_string(row->verdict), "summary", sc_json_string(row->summary),
		"remedy", sc_json_string(row->remedy), "effective",
		effective_json(row->res, &row->eff), "inside", "file",
		sc_json_string(row->inside_file), "known", row->inside_known, "finds_limit",
		row->inside_finds, "text", sc_json_string(row->inside_text), "error",
		row->inside_known ? json_null() : errno_or_null(row->inside_err), "views", views);
}

json_t *sc_limits_to_json(const struct sc_limits *l)
{
	json_t *rows = sc_json_ok(json_array()), *files = sc_json_ok(json_array()),
	       *errs = sc_json_ok(json_array());
	int n_allowed = l->cpus_allowed ? sc_cpulist_count(l->cpus_allowed) : -1;

	for (int r = 0; r < _SC_LIM_MAX; r++)
		sc_json_append(rows, row_json(&l->rows[r]));
	for (size_t i = 0; i < l->n_lxcfs; i++) {
		const struct sc_lxcfs_file *f = &l->lxcfs[i];
		sc_json_append(files,
			       sc_json_pack("{s:o,s:b,s:o,s:b,s:o}", "path",
					    sc_json_string(f->path), "covered", f->covered,
					    "mountpoint", sc_json_string(f->mountpoint), "read",
					    f->read, "error", errno_or_null(f->err)));
	}
	for (size_t i = 0; i < l->errors.n; i++)
		sc_json_append(errs, sc_json_pack("{s:o,s:s,s:o}", "path",
						  sc_json_string(l->errors.v[i].path), "errno",
						  sc_errname(l->errors.v[i].err), "message",
						  sc_json_string(sc_strerror(l->errors.v[i].err))));

	return sc_json_pack(
		"{s:{s:o,s:i},s:b,s:o,s:{s:o,s:o,s:o},s:o,s:o,s:o,s:{s:b,s:s,s:o},"
		"s:{s:b,s:o,s:o,s:o,s:b,s:s},s:{s:b,s:o,s:o,s:o},s:o,s:o}",
		"target", "id", sc_json_string(l->target), "pid", l->pid, "inside_ok", l->inside_ok,
		"inside_error", sc_json_string(l->inside_error), "host", "mem_total_bytes",
		l->host_mem_total ? u64_or_null(l->host_mem_total) : json_null(),
		"swap_total_bytes",
		l->host_mem_total ? u64_or_null(l->host_swap_total) : json_null(), "cpus",
		l->host_cpus ? json_integer(l->host_cpus) : json_null(), "cpus_allowed",
		sc_json_string(l->cpus_allowed), "cpus_allowed_count",
		n_allowed >= 0 ? json_integer(n_allowed) : json_null(), "resources", rows, "lxcfs",
		"mounted", l->lxcfs_mounted, "alive", sc_tristate_to_string(l->lxcfs_alive),
		"files", files, "uptime", "known", l->uptime_known, "inside_cs",
		l->uptime_known ? u64_or_null(l->inside_uptime_cs) : json_null(),
		"container_age_cs",
		l->uptime_known ? u64_or_null(l->container_age_cs) : json_null(), "host_uptime_cs",
		l->host_uptime_cs ? u64_or_null(l->host_uptime_cs) : json_null(), "lxcfs",
		l->uptime_lxcfs, "verdict", sc_limit_verdict_to_string(l->uptime_verdict),
		"root_filesystem", "known", l->root_known, "fstype", sc_json_string(l->root_fstype),
		"source", sc_json_string(l->root_source), "device",
		l->root_known && l->root_dev.major ? blkdev_json(&l->root_dev) : json_null(),
		"timed_out", sc_json_strv(l->timed_out), "read_errors", errs);
}

/* ---- text ------------------------------------------------------------------------ */

static char *views_text(const struct sc_limit_row *row, const char *dash)
{
	_cleanup_strv_free_ char **parts = sc_xcalloc(1, sizeof(char *));

	for (size_t i = 0; i < row->n_views; i++) {
		const struct sc_limit_view *v = &row->views[i];

		if (streq(v->tool, "cgroupfs"))
			continue;
		sc_strv_consume(&parts,
				sc_xasprintf("%s %s%s",
					     streq(v->tool, "lscpu-online") ? "on-line" : v->tool,
					     v->known ? v->text : "?", v->lxcfs ? "*" : ""));
	}
	return sc_strv_length(parts) ? sc_strv_join(parts, ", ") : sc_xstrdup(dash);
}

#define NCOL 5

/* Everything goes to t->f, the escaping FILE (render-text.h). */
void sc_render_limits_text(const struct sc_limits *l, const struct sc_text_out *t)
{
	const struct sc_text_opts *o = t->o;
	static const char *const head[NCOL] = { "RESOURCE", "EFFECTIVE LIMIT (set by)",
						"INSIDE /sys/fs/cgroup",
						"free/lscpu/nproc/top SHOW", "VERDICT" };
	const char *dash = o->unicode ? "—" : "-";
	_cleanup_table_ struct sc_table *tb = sc_table_new(t, NCOL, head);
	bool any_lxcfs = false;

	sc_text_heading(t, "Limits");
	sc_text_kv(t, "container", "%s, PID %d", strna(l->target), l->pid);
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		const struct sc_limit_row *row = &l->rows[r];
		_cleanup_free_ char *lim = sc_limit_effective_to_string(r, &row->eff);
		_cleanup_free_ char *eff = row->eff.set_by && row->eff.limited
						   ? sc_xasprintf("%s (%s)", lim, row->eff.set_by)
						   : sc_xstrdup(lim);
		_cleanup_free_ char *views = views_text(row, dash);

		sc_table_add(tb, (const char *const[]){ sc_limit_resource_to_string(r), eff,
							row->inside_known ? row->inside_text
							: l->inside_ok	  ? "not visible"
									  : dash,
							views,
							sc_limit_verdict_to_string(row->verdict) });
		for (size_t i = 0; i < row->n_views; i++)
			any_lxcfs |= row->views[i].lxcfs;
	}
	for (size_t c = 1; c < 4; c++)
		sc_table_wrap(tb, c);
	sc_table_print(tb, 2);
	if (any_lxcfs)
		sc_text_line(t, "  (* read from an lxcfs mount)");

	for (size_t i = 0; i < l->rows[SC_LIM_IO].eff.n_io; i++) {
		const struct sc_io_limit *x = &l->rows[SC_LIM_IO].eff.io[i];
		_cleanup_free_ char *dev = sc_blkdev_to_string(&x->dev);
		_cleanup_strv_free_ char **kv = sc_xcalloc(1, sizeof(char *));
		_cleanup_free_ char *s = NULL;

		for (int k = 0; k < _SC_IO_MAX; k++) {
			if (x->v[k] == SC_LIMIT_NONE)
				continue;
			if (k == SC_IO_RBPS || k == SC_IO_WBPS) {
				_cleanup_free_ char *b = sc_format_bytes(x->v[k]);
				sc_strv_consume(
					&kv, sc_xasprintf("%s %s/s",
							  k == SC_IO_RBPS ? "read" : "write", b));
			} else
				sc_strv_consume(&kv,
						sc_xasprintf("%s %" PRIu64 " IO/s",
							     k == SC_IO_RIOPS ? "read" : "write",
							     x->v[k]));
		}
		s = sc_strv_join(kv, ", ");
		sc_text_kv(t, i == 0 ? "io devices" : "", "%u:%u %s: %s", x->major, x->minor, dev,
			   s);
	}
	if (l->root_known) {
		_cleanup_free_ char *dev = sc_blkdev_to_string(&l->root_dev);
		sc_text_kv(t, "root filesystem", "%s on %s, %s", strna(l->root_fstype),
			   strna(l->root_source),
			   l->root_dev.major ? dev : "an anonymous device (no block device)");
	}
	if (l->lxcfs_mounted) {
		_cleanup_strv_free_ char **cov = sc_xcalloc(1, sizeof(char *));
		_cleanup_free_ char *s = NULL;

		for (size_t i = 0; i < l->n_lxcfs; i++)
			if (l->lxcfs[i].covered)
				sc_strv_consume(&cov,
						l->lxcfs[i].read && l->lxcfs[i].err
							? sc_xasprintf("%s (%s)", l->lxcfs[i].path,
								       sc_errname(l->lxcfs[i].err))
							: sc_xstrdup(l->lxcfs[i].path));
		s = sc_strv_join(cov, ", ");
		sc_text_kv(t, "lxcfs", "%s%s", *s ? s : "mounted, covers nothing tools read",
			   l->lxcfs_alive == SC_NO ? ": NOT ANSWERING" : "");
	} else if (l->inside_ok)
		sc_text_kv(t, "lxcfs", "%s", "not mounted in the container");
	if (l->uptime_known)
		sc_text_kv(t, "uptime",
			   "inside %" PRIu64 " s, container started %" PRIu64 " s ago: %s",
			   l->inside_uptime_cs / 100, l->container_age_cs / 100,
			   sc_limit_verdict_to_string(l->uptime_verdict));
	if (l->cpus_allowed)
		sc_text_kv(t, "affinity",
			   "%s (init's Cpus_allowed_list; coreutils < 9.7 nproc counts it)",
			   l->cpus_allowed);
	if (!l->inside_ok)
		sc_text_kv(t, "inside", "%s", strna(l->inside_error));
}
