/* SPDX-License-Identifier: MIT */
/* The derived facts of limit visibility: what free, lscpu, nproc, top and
 * the own cgroup file show inside, which files lxcfs covers, the uptime
 * figures. Facts only: the verdicts are checks-limits.c's. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>

#include "limits-model.h"
#include "util.h"

static const char *const lxcfs_files[] = {
	/* lxcfs/src/proc_fuse.c and sys_fuse.c */
	"/proc/meminfo", "/proc/cpuinfo",   "/proc/stat",    "/proc/uptime",
	"/proc/swaps",	 "/proc/diskstats", "/proc/loadavg", "/sys/devices/system/cpu/online",
};

static bool is_lxcfs(const struct sc_mounts *m, const char *path, const char **ret_mountpoint)
{
	const struct sc_mount *x = m ? sc_mounts_containing(m, path) : NULL;

	if (x && streq(x->fstype, "fuse.lxcfs")) {
		if (ret_mountpoint)
			*ret_mountpoint = x->mountpoint;
		return true;
	}
	return false;
}

static const struct sc_inside_read *read_for(const struct sc_limits_inside *in, const char *path)
{
	const struct sc_inside_read *r[] = { &in->meminfo, &in->cpuinfo,  &in->stat,   &in->uptime,
					     &in->online,  &in->possible, &in->present };

	for (size_t i = 0; i < ELEMENTSOF(r); i++)
		if (r[i]->path && streq(r[i]->path, path))
			return r[i];
	return NULL;
}

static int read_err(const struct sc_limits *l, const struct sc_inside_read *r)
{
	if (!r || !r->path)
		return SC_ENOFACT;
	if (r->path && sc_strv_contains(l->timed_out, r->path))
		return ETIMEDOUT;
	return r->err;
}

/* Which of the files lxcfs virtualizes are lxcfs mounts inside, and what
 * reading them gave (whether that means lxcfs is alive is the judge's). */
static void lxcfs_coverage(struct sc_limits *l, const struct sc_limits_inside *in,
			   const struct sc_mounts *mounts)
{
	for (size_t i = 0; i < ELEMENTSOF(lxcfs_files); i++) {
		struct sc_lxcfs_file *f = SC_APPEND(l->lxcfs, l->n_lxcfs);
		const char *mp = NULL;
		const struct sc_inside_read *r = read_for(in, lxcfs_files[i]);

		f->path = lxcfs_files[i];
		f->covered = is_lxcfs(mounts, f->path, &mp);
		f->mountpoint = mp ? sc_xstrdup(mp) : NULL;
		f->read = r != NULL;
		f->err = r ? read_err(l, r) : 0;
		if (!f->covered)
			continue;
		l->lxcfs_mounted = true;
	}
	for (size_t i = 0; i < mounts->n && !l->lxcfs_mounted; i++)
		if (streq(mounts->v[i].fstype, "fuse.lxcfs"))
			l->lxcfs_mounted = true;
}

static struct sc_limit_view *add_view(struct sc_limit_row *row, const char *tool, const char *reads)
{
	struct sc_limit_view *v = &row->views[row->n_views++];

	v->tool = tool;
	v->reads = reads;
	v->value = SC_LIMIT_NONE;
	return v;
}

static bool view_failed(const struct sc_limits *l, struct sc_limit_view *v,
			const struct sc_inside_read *r, const struct sc_mounts *m)
{
	v->lxcfs = r && r->path && is_lxcfs(m, r->path, NULL);
	v->err = read_err(l, r);
	if (r && r->text && !v->err)
		return false;
	if (!v->err)
		v->err = EIO;
	v->text = sc_xasprintf("unreadable: %s", sc_strerror(v->err));
	return true;
}

static void view_bytes(const struct sc_limits *l, struct sc_limit_view *v,
		       const struct sc_inside_read *r, const struct sc_mounts *m, const char *key)
{
	if (view_failed(l, v, r, m))
		return;
	if (sc_meminfo_get(r->text, key, &v->value) < 0) {
		v->err = EBADMSG;
		v->text = sc_xasprintf("no %s in %s", key, r->path);
		return;
	}
	v->known = true;
	v->text = sc_format_bytes(v->value);
}

static void view_count(const struct sc_limits *l, struct sc_limit_view *v,
		       const struct sc_inside_read *r, const struct sc_mounts *m, int n,
		       const char *list)
{
	if (view_failed(l, v, r, m))
		return;
	if (n < 0) {
		v->err = EBADMSG;
		v->text = sc_xasprintf("%s: unparsable", r->path);
		return;
	}
	v->known = true;
	v->value = (uint64_t)n;
	v->text = list ? sc_xstrdup(list) : sc_xasprintf("%d", n);
}

/* The CPU views shared by the cpu and cpuset rows. */
static void cpu_views(const struct sc_limits *l, struct sc_limit_row *row,
		      const struct sc_limits_inside *in, const struct sc_mounts *m)
{
	struct sc_limit_view *v;
	_cleanup_free_ char *online = NULL;

	/* coreutils nproc: sched_getaffinity() of a process in the
	 * container, i.e. its init's Cpus_allowed_list seen from the host
	 * (a setns'd prober keeps its own affinity:
	 * docs/design.md#setns-is-not-cgroup-membership). */
	v = add_view(row, "nproc", "sched_getaffinity()");
	if (l->cpus_allowed) {
		int n = sc_cpulist_count(l->cpus_allowed);
		if (n > 0) {
			v->known = true;
			v->value = (uint64_t)n;
			v->text = sc_xasprintf("%d", n);
		}
	}
	if (!v->known) {
		v->err = EBADMSG;
		v->text = sc_xstrdup("Cpus_allowed_list of the container's init unknown");
	}
	/* util-linux lscpu >= 2.37 (lscpu-cpu.c lscpu_read_cpulists()):
	 * "CPU(s):" counts /sys/devices/system/cpu/present, "On-line CPU(s)
	 * list:" is /sys/devices/system/cpu/online. */
	v = add_view(row, "lscpu", "/sys/devices/system/cpu/present (CPU(s):)");
	view_count(l, v, &in->present, m,
		   in->present.text ? sc_cpulist_count(in->present.text) : -1, NULL);
	if (in->online.text) {
		struct sc_cpuset set;
		if (sc_cpuset_parse(in->online.text, &set) == 0) {
			online = sc_cpuset_format_lscpu(&set);
			sc_cpuset_done(&set);
		}
	}
	v = add_view(row, "lscpu-online", "/sys/devices/system/cpu/online (On-line CPU(s) list:)");
	view_count(l, v, &in->online, m, online ? sc_cpulist_count(online) : -1, online);
	/* The processor count scripts and lscpu's per-CPU table use. */
	v = add_view(row, "cpuinfo", "/proc/cpuinfo processor lines");
	view_count(l, v, &in->cpuinfo, m,
		   in->cpuinfo.text ? sc_cpuinfo_count(in->cpuinfo.text) : -1, NULL);
	/* procps top (the "1" key) and htop: one row per cpuN in /proc/stat. */
	v = add_view(row, "top", "/proc/stat cpuN lines");
	view_count(l, v, &in->stat, m, in->stat.text ? sc_proc_stat_cpus(in->stat.text) : -1, NULL);
}

static const char *first_text(const struct sc_limits_inside *in, enum sc_limit_file a,
			      enum sc_limit_file b, enum sc_limit_file *ret)
{
	if (in->files[a].text) {
		*ret = a;
		return in->files[a].text;
	}
	if (in->files[b].text) {
		*ret = b;
		return in->files[b].text;
	}
	*ret = in->files[a].path ? a : b;
	return NULL;
}

/* What the container's own limit file inside says, and whether it is the
 * effective limit (what a cgroup-aware runtime would use): a derived fact,
 * like what free shows. */
static void inside_file_view(struct sc_limit_row *row, const struct sc_limits_inside *in)
{
	const struct sc_limit_effective *e = &row->eff;
	enum sc_limit_file f = _SC_LF_MAX;
	const char *t = NULL;
	uint64_t v = SC_LIMIT_NONE, p = 0;
	struct sc_cpuset set = {};
	bool parsed = false;

	switch (row->res) {
	case SC_LIM_MEMORY:
		t = first_text(in, SC_LF_V1_MEMORY, SC_LF_V2_MEMORY, &f);
		parsed = t && sc_limit_parse_value(t, &v) == 0;
		/* v1 runtimes (the JDK) also read hierarchical_memory_limit. */
		if (parsed && f == SC_LF_V1_MEMORY && v != e->value &&
		    in->files[SC_LF_V1_MEMSTAT].text) {
			uint64_t h;
			if (sc_memory_stat_get(in->files[SC_LF_V1_MEMSTAT].text,
					       "hierarchical_memory_limit", &h) == 0 &&
			    h < SC_LIMIT_V1_NO_LIMIT_MIN)
				v = h;
		}
		break;
	case SC_LIM_SWAP:
		if (in->files[SC_LF_V1_MEMSW].text && in->files[SC_LF_V1_MEMORY].text) {
			uint64_t sw, mem;
			f = SC_LF_V1_MEMSW;
			t = in->files[f].text;
			parsed = sc_limit_parse_value(t, &sw) == 0 &&
				 sc_limit_parse_value(in->files[SC_LF_V1_MEMORY].text, &mem) == 0;
			v = sw == SC_LIMIT_NONE ? SC_LIMIT_NONE : sw - (mem < sw ? mem : sw);
		} else {
			t = first_text(in, SC_LF_V2_SWAP, SC_LF_V1_MEMSW, &f);
			parsed = t && f == SC_LF_V2_SWAP && sc_limit_parse_value(t, &v) == 0;
		}
		break;
	case SC_LIM_CPU:
		if (in->files[SC_LF_V1_CFS_QUOTA].text && in->files[SC_LF_V1_CFS_PERIOD].text) {
			f = SC_LF_V1_CFS_QUOTA;
			t = in->files[f].text;
			parsed = sc_limit_parse_value(t, &v) == 0 &&
				 sc_parse_u64(in->files[SC_LF_V1_CFS_PERIOD].text, &p) == 0 && p;
		} else {
			t = first_text(in, SC_LF_V2_CPU, SC_LF_V1_CFS_QUOTA, &f);
			parsed = t && f == SC_LF_V2_CPU && sc_cpu_max_parse(t, &v, &p) == 0;
		}
		break;
	case SC_LIM_CPUSET:
		t = first_text(in, SC_LF_V1_CPUSET, SC_LF_V2_CPUSET, &f);
		parsed = t && sc_cpuset_parse(t, &set) == 0;
		break;
	case SC_LIM_PIDS:
		t = first_text(in, SC_LF_V1_PIDS, SC_LF_V2_PIDS, &f);
		parsed = t && sc_limit_parse_value(t, &v) == 0;
		break;
	case SC_LIM_IO: {
		struct sc_io_limit *io = NULL;
		size_t n = 0;

		if (in->files[SC_LF_V2_IO].text) {
			f = SC_LF_V2_IO;
			t = in->files[f].text;
			parsed = sc_io_max_merge(t, NULL, &io, &n) == 0;
		} else if (in->files[SC_LF_V1_BLKIO_RBPS].text) {
			f = SC_LF_V1_BLKIO_RBPS;
			t = in->files[f].text;
			parsed = true;
			for (int i = 0; i < _SC_IO_MAX; i++)
				parsed &= sc_blkio_throttle_merge(
						  in->files[SC_LF_V1_BLKIO_RBPS + i].text, i, NULL,
						  &io, &n) == 0;
		} else
			f = in->files[SC_LF_V2_IO].path ? SC_LF_V2_IO : SC_LF_V1_BLKIO_RBPS;
		if (parsed) {
			/* Every effective entry must be there with its values. */
			bool all = true;
			for (size_t i = 0; i < e->n_io; i++) {
				bool found = false;
				for (size_t j = 0; j < n; j++)
					if (io[j].major == e->io[i].major &&
					    io[j].minor == e->io[i].minor &&
					    !memcmp(io[j].v, e->io[i].v, sizeof(io[j].v)))
						found = true;
				all &= found;
			}
			v = all ? 1 : 0;
		}
		sc_io_limits_free(io, n);
		break;
	}
	default:
		break;
	}

	if (f < _SC_LF_MAX && in->files[f].path)
		row->inside_file = sc_xstrdup(in->files[f].path);
	if (!parsed) {
		row->inside_err = f < _SC_LF_MAX && in->files[f].path && in->files[f].err
					  ? in->files[f].err
					  : ENOENT;
		row->inside_text =
			row->inside_file
				? sc_xasprintf("%s: %s", row->inside_file,
					       sc_strerror(row->inside_err))
				: sc_xstrdup("not visible: the container's own cgroup is not "
					     "mounted inside");
		sc_cpuset_done(&set);
		return;
	}
	row->inside_known = true;
	switch (row->res) {
	case SC_LIM_CPU:
		row->inside_finds = e->limited
					    ? v != SC_LIMIT_NONE &&
						      !sc_ratio_less(v, p, e->value, e->period) &&
						      !sc_ratio_less(e->value, e->period, v, p)
					    : v == SC_LIMIT_NONE;
		row->inside_text = v == SC_LIMIT_NONE
					   ? sc_xstrdup("max")
					   : sc_xasprintf("%" PRIu64 "/%" PRIu64 " us", v, p);
		break;
	case SC_LIM_CPUSET: {
		_cleanup_free_ char *s = sc_cpuset_format(&set);
		row->inside_finds = sc_cpuset_equal(&set, &e->cpus);
		row->inside_text = sc_xasprintf("%s (%u CPU%s)", s, sc_cpuset_count(&set),
						sc_cpuset_count(&set) == 1 ? "" : "s");
		break;
	}
	case SC_LIM_IO:
		row->inside_finds = v == 1;
		row->inside_text = sc_xstrdup(v == 1 ? "the same device limits"
						     : "not the effective device limits");
		break;
	case SC_LIM_PIDS:
		row->inside_finds = v == e->value;
		row->inside_text =
			v == SC_LIMIT_NONE ? sc_xstrdup("max") : sc_xasprintf("%" PRIu64, v);
		break;
	default:
		row->inside_finds = v == e->value;
		row->inside_text = v == SC_LIMIT_NONE ? sc_xstrdup("max") : sc_format_bytes(v);
		break;
	}
	sc_cpuset_done(&set);
}

/* The views of one row: the tools that show its resource, then the own
 * cgroup file inside. */
static void row_views(struct sc_limits *l, struct sc_limit_row *row,
		      const struct sc_limits_inside *in, const struct sc_mounts *m)
{
	const struct sc_limit_effective *e = &row->eff;

	switch (row->res) {
	case SC_LIM_MEMORY:
		view_bytes(l, add_view(row, "free", "/proc/meminfo MemTotal"), &in->meminfo, m,
			   "MemTotal");
		break;
	case SC_LIM_SWAP:
		view_bytes(l, add_view(row, "free", "/proc/meminfo SwapTotal"), &in->meminfo, m,
			   "SwapTotal");
		break;
	case SC_LIM_CPU:
	case SC_LIM_CPUSET:
		cpu_views(l, row, in, m);
		break;
	default:
		break;
	}
	inside_file_view(row, in);
	/* pids and io: no everyday tool shows them; the cgroup file
	 * inside is the only view. */
	if (row->res == SC_LIM_PIDS || row->res == SC_LIM_IO) {
		struct sc_limit_view *v = add_view(row, "cgroupfs", "the own cgroup's file");
		/* Absent inside is an observation: not visible. */
		v->known = row->inside_known || row->inside_err == ENOENT;
		v->err = v->known ? 0 : row->inside_err;
		v->shows_limit = row->inside_finds;
		v->value = row->res == SC_LIM_PIDS && row->inside_known ? e->value : SC_LIMIT_NONE;
		v->text = sc_xstrdup(row->inside_text ? row->inside_text : "?");
	}
}

void sc_limits_derive(struct sc_limits *l, const struct sc_limits_inside *in,
		      const struct sc_mounts *inside_mounts, uint64_t start_time_ticks)
{
	static const struct sc_mounts none = {};
	const struct sc_mounts *m = inside_mounts ? inside_mounts : &none;

	if (in && !in->probed)
		in = NULL;
	l->inside_viewed = in != NULL;
	if (in)
		lxcfs_coverage(l, in, m);
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		l->rows[r].res = r;
		if (in)
			row_views(l, &l->rows[r], in, m);
	}

	/* uptime: procps reads /proc/uptime; without lxcfs it is the host's
	 * (fs/proc/uptime.c, unless a time namespace offsets it). */
	if (in && in->uptime.text && !read_err(l, &in->uptime) &&
	    sc_uptime_parse(in->uptime.text, &l->inside_uptime_cs) == 0 && l->host_uptime_cs &&
	    start_time_ticks && l->host_uptime_cs >= start_time_ticks * (100 / SC_USER_HZ)) {
		l->uptime_known = true;
		l->container_age_cs = l->host_uptime_cs - start_time_ticks * (100 / SC_USER_HZ);
		l->uptime_lxcfs = is_lxcfs(m, "/proc/uptime", NULL);
	}
}
