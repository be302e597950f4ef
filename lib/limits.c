/* SPDX-License-Identifier: MIT */
/* The limits model and its probe: the resource and verdict names, and
 * sc_limits_probe(), which runs the host walk (limits-walk.c) for every
 * resource and derives the views (limits-views.c); no verdicts. */
#include <inttypes.h>
#include <stdio.h>

#include "container.h"
#include "host.h"
#include "inside.h"
#include "limits-model.h"
#include "util.h"

static const char *const resource_names[_SC_LIM_MAX] = {
	[SC_LIM_MEMORY] = "memory", [SC_LIM_SWAP] = "swap", [SC_LIM_CPU] = "cpu",
	[SC_LIM_CPUSET] = "cpuset", [SC_LIM_PIDS] = "pids", [SC_LIM_IO] = "io",
};

SC_STRING_TABLE_TO_STRING(sc_limit_resource, enum sc_limit_resource, resource_names, "unknown")

static const char *const verdict_names[_SC_LV_MAX] = {
	[SC_LV_UNKNOWN] = "unknown", [SC_LV_VISIBLE] = "visible",     [SC_LV_PARTIAL] = "partial",
	[SC_LV_HIDDEN] = "hidden",   [SC_LV_UNLIMITED] = "unlimited",
};

SC_STRING_TABLE_TO_STRING(sc_limit_verdict, enum sc_limit_verdict, verdict_names, "unknown")

/* ---- the host probe ----------------------------------------------------------------- */

static const char *const res_controller[_SC_LIM_MAX] = {
	[SC_LIM_MEMORY] = "memory", [SC_LIM_SWAP] = "memory", [SC_LIM_CPU] = "cpu",
	[SC_LIM_CPUSET] = "cpuset", [SC_LIM_PIDS] = "pids",   [SC_LIM_IO] = "blkio",
};

static void probe_row(struct sc_root *host, const struct sc_host_facts *hf,
		      const struct sc_container_facts *cf, struct sc_limits *l,
		      enum sc_limit_resource res)
{
	struct sc_limit_effective *e = &l->rows[res].eff;
	const struct sc_controller *c = sc_cgroup_find_controller(&hf->cgroup, res_controller[res]);
	const struct sc_cgroup_line *line = NULL;
	const char *mount = NULL;
	_cleanup_free_ char *cg = NULL;
	int version = 0;

	e->value = SC_LIMIT_NONE;
	if (c && c->where == SC_CTRL_V1) {
		line = sc_cgroup_line_find(cf->proc.cgroups, cf->proc.n_cgroups, c->name);
		mount = c->v1_mountpoint;
		version = 1;
		e->controller = sc_xstrdup(c->name);
	} else if (c && c->where == SC_CTRL_V2 && hf->cgroup.v2_path) {
		line = sc_cgroup_line_find(cf->proc.cgroups, cf->proc.n_cgroups, NULL);
		mount = hf->cgroup.v2_path;
		version = 2;
		e->controller = sc_xstrdup(c->v2_name ? c->v2_name : c->name);
	} else {
		e->controller = sc_xstrdup(res_controller[res]);
		e->error = sc_xasprintf("the %s controller is %s on this host", res_controller[res],
					c ? sc_ctrl_where_to_string(c->where) : "absent");
		/* No controller, no limit: known, and nothing to hide. */
		e->known = true;
		return;
	}
	e->version = version;
	if (!line) {
		e->error = sc_xasprintf("/proc/%d/cgroup has no %s line", (int)cf->proc.pid,
					version == 2 ? "cgroup2" : res_controller[res]);
		return;
	}
	/* "/.." : outside our own cgroup namespace's root. */
	if (strstr(line->path, "/..")) {
		e->error = sc_xasprintf("the container's cgroup %s is outside this tool's "
					"cgroup namespace",
					line->path);
		return;
	}
	cg = sc_path_normalize(line->path);
	sc_limits_walk(host, res, version, mount, cg, &l->errors, e);
}

void sc_limits_done(struct sc_limits *l)
{
	free(l->target);
	free(l->inside_error);
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		struct sc_limit_row *row = &l->rows[r];

		sc_limit_effective_done(&row->eff);
		free(row->inside_file);
		free(row->inside_text);
		for (size_t i = 0; i < row->n_views; i++)
			free(row->views[i].text);
		free(row->summary);
		free(row->remedy);
	}
	free(l->cpus_allowed);
	for (size_t i = 0; i < l->n_lxcfs; i++)
		free(l->lxcfs[i].mountpoint);
	free(l->lxcfs);
	sc_strv_free(l->timed_out);
	free(l->root_fstype);
	free(l->root_source);
	sc_blkdev_done(&l->root_dev);
	sc_errlist_done(&l->errors);
	*l = (struct sc_limits){};
}

void sc_limits_free(struct sc_limits *l)
{
	if (!l)
		return;
	sc_limits_done(l);
	free(l);
}

static void probe_host_sizes(struct sc_root *host, struct sc_limits *l)
{
	_cleanup_free_ char *mi = NULL, *online = NULL, *up = NULL;
	int k;

	if (sc_probe_read(host, &l->errors, "/proc/meminfo", &mi) >= 0) {
		(void)sc_meminfo_get(mi, "MemTotal", &l->host_mem_total);
		(void)sc_meminfo_get(mi, "SwapTotal", &l->host_swap_total);
	}
	if (sc_probe_read_line(host, &l->errors, "/sys/devices/system/cpu/online", &online) >= 0 &&
	    (k = sc_cpulist_count(online)) > 0)
		l->host_cpus = (unsigned)k;
	if (sc_probe_read(host, &l->errors, "/proc/uptime", &up) >= 0)
		(void)sc_uptime_parse(up, &l->host_uptime_cs);
}

void sc_limits_probe(struct sc_root *host, const struct sc_host_facts *hf,
		     const struct sc_container_facts *cf, struct sc_limits *ret)
{
	struct sc_limits l = {};

	l.target = sc_xasprintf("%s:%s", sc_runtime_to_string(cf->ref.runtime), strna(cf->ref.id));
	l.pid = (int)cf->proc.pid;
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		l.rows[r].res = r;
		probe_row(host, hf, cf, &l, r);
	}
	probe_host_sizes(host, &l);
	l.cpus_allowed = cf->proc.cpus_allowed ? sc_xstrdup(cf->proc.cpus_allowed) : NULL;
	l.timed_out = sc_strv_copy(cf->timed_out);
	l.inside_ok = cf->inside_ok;
	if (!cf->inside_ok)
		l.inside_error = sc_xstrdup(cf->inside_error ? cf->inside_error : "no inside view");

	/* The root filesystem's device, from the inside mount table. */
	if (cf->inside_ok) {
		const struct sc_mount *m = sc_mounts_at(&cf->inside.mounts, "/");
		if (m) {
			l.root_known = true;
			l.root_fstype = sc_xstrdup(m->fstype);
			l.root_source = sc_xstrdup(m->source);
			l.root_dev.major = m->major;
			l.root_dev.minor = m->minor;
		}
	}
	/* Device names are a fact of the host root: libblkid when live, the
	 * recorded "blkdev" map of a snapshot, else SC_ENOFACT (no name). */
	for (size_t i = 0; i < l.rows[SC_LIM_IO].eff.n_io; i++) {
		struct sc_io_limit *x = &l.rows[SC_LIM_IO].eff.io[i];
		(void)sc_root_blkdev(host, x->major, x->minor, &x->dev);
	}
	/* Major 0: an anonymous device (overlayfs, tmpfs), no block device
	 * to name. */
	if (l.root_known && l.root_dev.major != 0)
		(void)sc_root_blkdev(host, l.root_dev.major, l.root_dev.minor, &l.root_dev);

	sc_limits_derive(&l, cf->inside_ok ? &cf->inside.limits : NULL,
			 cf->inside_ok ? &cf->inside.mounts : NULL, cf->proc.stat.start_time);
	*ret = l;
}

/* The limit in words: "100 MiB", "0.5 CPUs (50000/100000 us)". */
char *sc_limit_effective_to_string(enum sc_limit_resource res, const struct sc_limit_effective *e)
{
	if (!e->known)
		return sc_xstrdup("unknown");
	switch (res) {
	case SC_LIM_CPU:
		if (!e->limited)
			return sc_xstrdup("no quota");
		{
			double cpus = (double)e->value / (double)e->period;
			return sc_xasprintf("%g CPUs (%" PRIu64 "/%" PRIu64 " us)", cpus, e->value,
					    e->period);
		}
	case SC_LIM_CPUSET: {
		_cleanup_free_ char *s = sc_cpuset_format(&e->cpus);
		return sc_xasprintf("%s (%u CPU%s)%s", *s ? s : "none", sc_cpuset_count(&e->cpus),
				    sc_cpuset_count(&e->cpus) == 1 ? "" : "s",
				    e->limited ? "" : ": all");
	}
	case SC_LIM_PIDS:
		return e->limited ? sc_xasprintf("%" PRIu64 " tasks", e->value) : sc_xstrdup("max");
	case SC_LIM_IO:
		return e->limited ? sc_xasprintf("%zu device%s throttled", e->n_io,
						 e->n_io == 1 ? "" : "s")
				  : sc_xstrdup("no throttle");
	default:
		return e->limited ? sc_format_bytes(e->value) : sc_xstrdup("max");
	}
}
