/* SPDX-License-Identifier: MIT */
/* The limit-visibility rules: for each resource, is the effective limit
 * what the everyday tools inside show; is lxcfs there and alive. The
 * verdicts, summaries and remedies (sc_limits_judge), then the checks. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "checks.h"
#include "util.h"

#define LF(p) ((const struct sc_limits *)(p))

/* ---- the verdicts (pure, from the facts of limits-model.h) ------------------------------ */

/* CPUs a quota allows, rounded up: what lxcfs --enable-cfs shows. */
static uint64_t quota_cpus_ceil(const struct sc_limit_effective *e)
{
	return (e->value + e->period - 1) / e->period;
}

/* How a person would read the tool's output: "lscpu will show CPU(s): 2". */
static char *view_phrase(const struct sc_limit_view *v, bool future)
{
	const char *will = future ? "will show" : "shows";

	if (streq(v->tool, "lscpu"))
		return sc_xasprintf("lscpu %s CPU(s): %s", will, v->text);
	if (streq(v->tool, "lscpu-online"))
		return sc_xasprintf("lscpu %s On-line CPU(s) list: %s", will, v->text);
	if (streq(v->tool, "cpuinfo"))
		return sc_xasprintf("/proc/cpuinfo %s %s processors",
				    future ? "will list" : "lists", v->text);
	if (streq(v->tool, "top"))
		return sc_xasprintf("top %s %s CPU rows", will, v->text);
	if (streq(v->tool, "cgroupfs"))
		return sc_xasprintf("the cgroup file inside shows %s", v->text);
	return sc_xasprintf("%s %s %s", v->tool, will, v->text);
}

/* One row's verdict from its views: the bound a tool's value must not
 * exceed to show the limit, then visible (every view shows it), partial,
 * hidden; its summary in words and, unless visible, the remedy. */
static void judge_row(struct sc_limits *l, struct sc_limit_row *row)
{
	const struct sc_limit_effective *e = &row->eff;
	_cleanup_free_ char *lim = sc_limit_effective_to_string(row->res, e);
	_cleanup_strv_free_ char **shows = sc_xcalloc(1, sizeof(char *));
	_cleanup_strv_free_ char **hides = sc_xcalloc(1, sizeof(char *));
	unsigned known = 0, seeing = 0;
	uint64_t bound = SC_LIMIT_NONE;

	switch (row->res) {
	case SC_LIM_MEMORY:
	case SC_LIM_SWAP:
	case SC_LIM_CPUSET:
		bound = e->value;
		break;
	case SC_LIM_CPU:
		if (e->limited)
			bound = quota_cpus_ceil(e);
		break;
	default:
		break;
	}
	for (size_t i = 0; i < row->n_views; i++) {
		struct sc_limit_view *v = &row->views[i];

		if (!v->known)
			continue;
		if (bound != SC_LIMIT_NONE && !streq(v->tool, "cgroupfs"))
			v->shows_limit = v->value <= bound;
		known++;
		if (v->shows_limit) {
			seeing++;
			sc_strv_consume(&shows, view_phrase(v, false));
		} else
			sc_strv_consume(&hides, view_phrase(v, true));
	}

	if (!e->known) {
		row->verdict = SC_LV_UNKNOWN;
		row->summary = sc_xasprintf("the %s limit could not be observed: %s",
					    sc_limit_resource_to_string(row->res), strna(e->error));
		return;
	}
	if (!e->limited) {
		row->verdict = SC_LV_UNLIMITED;
		row->summary = e->version ? sc_xasprintf("no %s limit (%s): nothing to hide",
							 sc_limit_resource_to_string(row->res), lim)
					  : sc_xasprintf("no %s limit: %s",
							 sc_limit_resource_to_string(row->res),
							 strna(e->error));
		return;
	}
	/* A limit at or above what the machine has hides nothing. */
	if ((row->res == SC_LIM_MEMORY && l->host_mem_total && e->value >= l->host_mem_total) ||
	    (row->res == SC_LIM_SWAP && l->host_swap_total == 0 && l->host_mem_total) ||
	    (row->res == SC_LIM_CPU && l->host_cpus &&
	     e->value >= (uint64_t)l->host_cpus * e->period)) {
		row->verdict = SC_LV_UNLIMITED;
		row->summary = row->res == SC_LIM_SWAP
				       ? sc_xasprintf("swap limit %s, but the host has no swap: "
						      "nothing to hide",
						      lim)
				       : sc_xasprintf("the %s limit (%s) is not below what the "
						      "machine has: nothing to hide",
						      sc_limit_resource_to_string(row->res), lim);
		return;
	}
	if (!l->inside_viewed) {
		row->verdict = SC_LV_UNKNOWN;
		row->summary = sc_xasprintf("%s limit %s; no inside view: %s",
					    sc_limit_resource_to_string(row->res), lim,
					    strna(l->inside_error));
		return;
	}
	if (known == 0) {
		row->verdict = SC_LV_UNKNOWN;
		row->summary = sc_xasprintf("%s limit %s; what tools see inside is unknown",
					    sc_limit_resource_to_string(row->res), lim);
		return;
	}
	row->verdict = seeing == known ? SC_LV_VISIBLE : seeing == 0 ? SC_LV_HIDDEN : SC_LV_PARTIAL;
	{
		_cleanup_free_ char *h = sc_strv_join(hides, ", ");
		_cleanup_free_ char *s = sc_strv_join(shows, ", ");
		const char *rt = row->res == SC_LIM_PIDS || row->res == SC_LIM_IO ? ""
				 : row->inside_finds ? "; cgroup-aware runtimes find it in "
						     : "; cgroup-aware runtimes do not find it "
						       "inside";

		if (row->verdict == SC_LV_VISIBLE)
			row->summary =
				sc_xasprintf("the %s limit %s is visible inside: %s%s%s",
					     sc_limit_resource_to_string(row->res), lim, s, rt,
					     row->inside_finds && *rt ? row->inside_file : "");
		else
			row->summary = sc_xasprintf("%s but the %s limit is %s%s%s%s%s", h,
						    sc_limit_resource_to_string(row->res), lim,
						    *s ? " (" : "", *s ? s : "", *s ? ")" : "",
						    *rt ? (row->inside_finds ? "" : rt) : "");
		if (row->verdict != SC_LV_VISIBLE && *rt && row->inside_finds) {
			char *x = sc_xasprintf("%s%s%s", row->summary, rt, row->inside_file);
			free(row->summary);
			row->summary = x;
		}
	}

	/* Remedies: lxcfs for the proc/sys views, a cgroup namespace with
	 * the cgroup mounted for runtimes, their own flags. */
	if (row->verdict == SC_LV_VISIBLE)
		return;
	switch (row->res) {
	case SC_LIM_MEMORY:
		row->remedy = sc_xasprintf(
			"mount lxcfs's proc/meminfo over /proc/meminfo (lxcfs /var/lib/lxcfs; "
			"docker -v /var/lib/lxcfs/proc/meminfo:/proc/meminfo:rw)%s",
			row->inside_finds ? "; JVMs read the cgroup limit with "
					    "-XX:+UseContainerSupport (default since JDK 10 and "
					    "8u191)"
					  : "; and give the container a private cgroup namespace "
					    "with its cgroup mounted so that runtimes (JVM "
					    "-XX:+UseContainerSupport, .NET) find the limit");
		break;
	case SC_LIM_SWAP:
		row->remedy = sc_xstrdup("mount lxcfs's proc/meminfo and proc/swaps over /proc "
					 "(lxcfs computes SwapTotal from memory.memsw / "
					 "memory.swap.max)");
		break;
	case SC_LIM_CPU:
		row->remedy = sc_xasprintf(
			"run lxcfs with --enable-cfs (its /proc/cpuinfo, /proc/stat and "
			"/sys/devices/system/cpu/online then follow the quota) and mount those "
			"files; Go >= 1.25 and JVMs (-XX:+UseContainerSupport) read cpu.max / "
			"cpu.cfs_quota_us themselves%s; coreutils >= 9.7 nproc honours a "
			"cgroup v2 cpu.max only; or pin CPUs with a cpuset instead (nproc "
			"follows affinity)",
			row->inside_finds ? "" : " when the cgroup is visible inside");
		break;
	case SC_LIM_CPUSET:
		row->remedy = sc_xstrdup(
			"mount lxcfs's proc/cpuinfo, proc/stat and sys/devices/system/cpu/online "
			"over the container's files (lxcfs shows only the cpuset's CPUs); lscpu's "
			"CPU(s) count comes from /sys/devices/system/cpu/present, which lxcfs "
			"does not cover");
		break;
	case SC_LIM_PIDS:
	case SC_LIM_IO:
		row->remedy = sc_xstrdup("give the container a private cgroup namespace and "
					 "mount its cgroup (OCI: a \"cgroup\" namespace and a "
					 "cgroup mount on /sys/fs/cgroup)");
		break;
	default:
		break;
	}
}

/* lxcfs alive or dead, from what reading its files inside gave. */
static void judge_lxcfs(struct sc_limits *l)
{
	bool dead = false, alive = false;

	for (size_t i = 0; i < l->n_lxcfs; i++) {
		const struct sc_lxcfs_file *f = &l->lxcfs[i];

		if (!f->covered || !f->read)
			continue;
		/* A dead lxcfs: ENOTCONN ("Transport endpoint is not
		 * connected"); a stopped one blocks: ETIMEDOUT here. */
		if (f->err == ENOTCONN || f->err == ETIMEDOUT || f->err == ECONNABORTED ||
		    f->err == EIO)
			dead = true;
		else if (f->err == 0)
			alive = true;
	}
	l->lxcfs_alive = !l->lxcfs_mounted ? SC_UNKNOWN
			 : dead		   ? SC_NO
			 : alive	   ? SC_YES
					   : SC_UNKNOWN;
}

void sc_limits_judge(struct sc_limits *l)
{
	if (l->inside_viewed)
		judge_lxcfs(l);
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		l->rows[r].res = r;
		judge_row(l, &l->rows[r]);
	}

	l->uptime_verdict = SC_LV_UNKNOWN;
	if (l->uptime_known) {
		uint64_t age = l->container_age_cs;
		uint64_t d = l->inside_uptime_cs > age ? l->inside_uptime_cs - age
						       : age - l->inside_uptime_cs;

		/* The two reads are a moment apart: 5 s of slack. */
		l->uptime_verdict = d <= 500 ? SC_LV_VISIBLE : SC_LV_HIDDEN;
	}
}

/* ---- the checks ------------------------------------------------------------------- */

static void evidence_row(struct sc_check *c, const struct sc_limit_row *row)
{
	const struct sc_limit_effective *e = &row->eff;
	_cleanup_free_ char *lim = sc_limit_effective_to_string(row->res, e);

	if (e->version)
		sc_check_evidence(c, e->host_dir ? e->host_dir : strna(e->controller),
				  "cgroup v%d %s, cgroup %s", e->version, strna(e->controller),
				  strna(e->cgroup));
	for (size_t i = 0; i < e->n_levels; i++) {
		const struct sc_limit_level *lv = &e->levels[i];

		uint64_t v;

		/* Only the levels that say something: "no limit" everywhere
		 * is noise. */
		if (!lv->raw || !*lv->raw || startswith(lv->raw, "max ") ||
		    (sc_limit_parse_value(lv->raw, &v) == 0 && v == SC_LIMIT_NONE))
			continue;
		sc_check_evidence(c, lv->file, "%s", lv->raw);
	}
	if (e->note)
		sc_check_evidence(c, "note", "%s", e->note);
	sc_check_evidence(c, "effective limit", "%s%s%s", lim, e->set_by ? ", set by " : "",
			  e->set_by ? e->set_by : "");
	for (size_t i = 0; i < e->n_io; i++) {
		const struct sc_io_limit *x = &e->io[i];
		_cleanup_free_ char *dev = sc_blkdev_to_string(&x->dev);
		_cleanup_strv_free_ char **kv = sc_xcalloc(1, sizeof(char *));
		_cleanup_free_ char *l = NULL;

		for (int f = 0; f < _SC_IO_MAX; f++)
			sc_strv_consume(&kv,
					x->v[f] == SC_LIMIT_NONE
						? sc_xasprintf("%s=max", sc_io_field_to_string(f))
						: sc_xasprintf("%s=%" PRIu64,
							       sc_io_field_to_string(f), x->v[f]));
		l = sc_strv_join(kv, " ");
		sc_check_evidence(c, dev, "%u:%u %s (set by %s)", x->major, x->minor, l,
				  strna(x->set_by));
	}
	for (size_t i = 0; i < row->n_views; i++) {
		const struct sc_limit_view *v = &row->views[i];
		_cleanup_free_ char *what = sc_xasprintf("%s (%s)", v->tool, v->reads);

		sc_check_evidence(c, what, "%s%s", strna(v->text), v->lxcfs ? " [lxcfs]" : "");
	}
	if (row->inside_text && row->res != SC_LIM_PIDS && row->res != SC_LIM_IO)
		sc_check_evidence(c,
				  row->inside_file ? row->inside_file : "/sys/fs/cgroup (inside)",
				  "%s", row->inside_text);
}

static void check_row(const void *p, struct sc_check *c, enum sc_limit_resource res)
{
	const struct sc_limit_row *row = &LF(p)->rows[res];

	evidence_row(c, row);
	switch (row->verdict) {
	case SC_LV_VISIBLE:
		sc_check_set(c, SC_PASS, "%s", row->summary);
		break;
	case SC_LV_UNLIMITED:
		sc_check_set(c, SC_INFO, "%s", row->summary);
		break;
	case SC_LV_PARTIAL:
	case SC_LV_HIDDEN:
		sc_check_set(c, SC_WARN, "%s", row->summary);
		break;
	default:
		sc_check_set(c, SC_ERROR, "%s", strna(row->summary));
		break;
	}
	if (row->remedy)
		sc_check_remedy(c, "%s", row->remedy);
}

static void check_memory(const void *p, struct sc_check *c)
{
	check_row(p, c, SC_LIM_MEMORY);
}

static void check_swap(const void *p, struct sc_check *c)
{
	check_row(p, c, SC_LIM_SWAP);
}

static void check_cpu(const void *p, struct sc_check *c)
{
	check_row(p, c, SC_LIM_CPU);
}

static void check_cpuset(const void *p, struct sc_check *c)
{
	check_row(p, c, SC_LIM_CPUSET);
}

static void check_pids(const void *p, struct sc_check *c)
{
	check_row(p, c, SC_LIM_PIDS);
}

static void check_io(const void *p, struct sc_check *c)
{
	const struct sc_limits *l = LF(p);

	check_row(p, c, SC_LIM_IO);
	if (l->root_known) {
		_cleanup_free_ char *dev = sc_blkdev_to_string(&l->root_dev);
		sc_check_evidence(c, "/ (inside)", "%s on %s, device %s", strna(l->root_fstype),
				  strna(l->root_source),
				  l->root_dev.major ? dev : "anonymous (no block device)");
	}
}

/* lxcfs (lxcfs/src/proc_fuse.c): which of the files tools read it
 * virtualizes here, and whether it answers. A stopped lxcfs blocks every
 * read (the setns child's deadline turns that into ETIMEDOUT), a dead one
 * fails with ENOTCONN. */
static void check_lxcfs(const void *p, struct sc_check *c)
{
	const struct sc_limits *l = LF(p);
	_cleanup_strv_free_ char **covered = sc_xcalloc(1, sizeof(char *));
	_cleanup_strv_free_ char **stalled = sc_xcalloc(1, sizeof(char *));
	_cleanup_free_ char *cov = NULL;

	if (!l->inside_ok) {
		sc_check_set(c, SC_ERROR, "no inside view: %s", strna(l->inside_error));
		return;
	}
	for (size_t i = 0; i < l->n_lxcfs; i++) {
		const struct sc_lxcfs_file *f = &l->lxcfs[i];

		if (!f->covered)
			continue;
		sc_strv_push(&covered, f->path);
		sc_check_evidence(c, f->path, "lxcfs (%s)%s%s", strna(f->mountpoint),
				  !f->read ? ""
				  : f->err ? ": "
					   : ": answers",
				  f->read && f->err ? sc_errname(f->err) : "");
		if (f->read && f->err)
			sc_strv_consume(&stalled,
					sc_xasprintf("%s (%s)", f->path, sc_errname(f->err)));
	}
	if (!l->lxcfs_mounted) {
		sc_check_set(c, SC_INFO,
			     "lxcfs is not mounted in the container: /proc/meminfo, /proc/cpuinfo, "
			     "/proc/stat and /proc/uptime show the host's");
		return;
	}
	cov = sc_strv_join(covered, ", ");
	if (sc_strv_length(stalled) > 0) {
		_cleanup_free_ char *s = sc_strv_join(stalled, ", ");
		sc_check_set(c, SC_ERROR,
			     "lxcfs does not answer: %s; free, top, uptime and lscpu inside hang "
			     "or fail",
			     s);
		sc_check_remedy(c, "restart lxcfs (a stopped one: kill -CONT; a dead one: restart "
				   "it and remount, or unmount its files from the container)");
		return;
	}
	if (!*cov) {
		sc_check_set(c, SC_INFO,
			     "lxcfs is mounted in the container but covers none of the files "
			     "free, lscpu, top and uptime read");
		return;
	}
	sc_check_set(c, l->lxcfs_alive == SC_YES ? SC_PASS : SC_INFO, "lxcfs covers %s%s", cov,
		     l->lxcfs_alive == SC_YES ? " and answers" : "");
}

static void check_uptime(const void *p, struct sc_check *c)
{
	const struct sc_limits *l = LF(p);

	if (!l->inside_ok) {
		sc_check_set(c, SC_ERROR, "no inside view: %s", strna(l->inside_error));
		return;
	}
	if (!l->uptime_known) {
		sc_check_set(c, SC_ERROR,
			     "/proc/uptime inside or the container's start time is "
			     "unknown");
		return;
	}
	sc_check_evidence(c, "/proc/uptime (inside)", "%" PRIu64 ".%02" PRIu64 " s%s",
			  l->inside_uptime_cs / 100, l->inside_uptime_cs % 100,
			  l->uptime_lxcfs ? " [lxcfs]" : "");
	sc_check_evidence(c, "container age",
			  "%" PRIu64 ".%02" PRIu64 " s (host uptime - init "
			  "start time)",
			  l->container_age_cs / 100, l->container_age_cs % 100);
	if (l->uptime_verdict == SC_LV_VISIBLE) {
		sc_check_set(c, SC_PASS, "uptime inside shows the container's age");
		return;
	}
	sc_check_set(c, SC_INFO,
		     "uptime will show the host's %" PRIu64 " s, not the container's %" PRIu64 " s",
		     l->inside_uptime_cs / 100, l->container_age_cs / 100);
	sc_check_remedy(c, "mount lxcfs's proc/uptime over /proc/uptime");
}

const struct sc_check_def sc_limits_checks[] = {
	{ "limits.memory", "limits", "free shows the effective memory limit",
	  "cgroup-v1/memory.rst, cgroup-v2.rst Memory; procps free reads /proc/meminfo",
	  check_memory },
	{ "limits.swap", "limits", "free shows the effective swap limit",
	  "cgroup-v1/memory.rst memsw, cgroup-v2.rst memory.swap.max", check_swap },
	{ "limits.cpu", "limits", "nproc, lscpu and top show the CPU quota",
	  "scheduler/sched-bwc.rst, cgroup-v2.rst cpu.max; lscpu-cpu.c; gnulib nproc.c",
	  check_cpu },
	{ "limits.cpuset", "limits", "nproc, lscpu and top show the cpuset",
	  "cgroup-v1/cpusets.rst, cgroup-v2.rst Cpuset; sched_getaffinity(2)", check_cpuset },
	{ "limits.pids", "limits", "the pids limit is visible in the cgroup inside",
	  "cgroup-v1/pids.rst, cgroup-v2.rst PID", check_pids },
	{ "limits.io", "limits", "io throttles are visible in the cgroup inside, devices named",
	  "cgroup-v1/blkio-controller.rst, cgroup-v2.rst IO; libblkid", check_io },
	{ "limits.lxcfs", "limits", "lxcfs covers the files tools read and answers",
	  "lxcfs proc_fuse.c, sys_fuse.c", check_lxcfs },
	{ "limits.uptime", "limits", "uptime inside shows the container's age",
	  "fs/proc/uptime.c; lxcfs proc_uptime", check_uptime },
	{},
};
