/* SPDX-License-Identifier: MIT */
/* The inside probe's limit reads: the files free, lscpu, top and uptime read
 * inside the container, and its own cgroup's limit files as mounted there. */
#include "inside.h"
#include "limits-model.h"
#include "util.h"

static void inside_read(struct sc_root *root, struct sc_errlist *errs, const char *path,
			struct sc_inside_read *r)
{
	int k;

	r->path = sc_xstrdup(path);
	/* Through the setns child's hook: a hung lxcfs is killed after the
	 * deadline and this read then fails with ETIMEDOUT. */
	k = sc_probe_read(root, errs, path, &r->text);
	r->err = k < 0 ? -k : 0;
}

void sc_limits_inside_probe(struct sc_root *root, const struct sc_inside_hierarchy *hier,
			    size_t n_hier, struct sc_errlist *errs, struct sc_limits_inside *ret)
{
	struct sc_limits_inside l = { .probed = true };

	/* What the tools read (procps free: /proc/meminfo; util-linux lscpu:
	 * /sys/devices/system/cpu/{possible,present,online}, /proc/cpuinfo;
	 * top/htop: /proc/stat; uptime: /proc/uptime). */
	inside_read(root, errs, "/proc/meminfo", &l.meminfo);
	inside_read(root, errs, "/proc/cpuinfo", &l.cpuinfo);
	inside_read(root, errs, "/proc/stat", &l.stat);
	inside_read(root, errs, "/proc/uptime", &l.uptime);
	inside_read(root, errs, "/sys/devices/system/cpu/online", &l.online);
	inside_read(root, errs, "/sys/devices/system/cpu/possible", &l.possible);
	inside_read(root, errs, "/sys/devices/system/cpu/present", &l.present);

	/* The limit files of the container's own cgroup as mounted inside:
	 * where cgroup-aware runtimes look (the JDK's CgroupSubsystemFactory,
	 * Go's internal/cgroup, .NET's cgroup.cpp read /proc/self/cgroup and
	 * /proc/self/mountinfo the same way). */
	for (size_t i = 0; i < n_hier; i++) {
		const struct sc_inside_hierarchy *h = &hier[i];
		bool v2 = h->hierarchy == 0 && !*h->controllers;
		_cleanup_strv_free_ char **ctl = sc_strv_split(h->controllers, ",");

		if (!h->visible || !h->dir)
			continue;
		for (int f = 0; f < _SC_LF_MAX; f++) {
			const char *c = sc_limit_file_controller(f);
			_cleanup_free_ char *p = NULL;

			if (l.files[f].path || (v2 ? c != NULL : !c || !sc_strv_contains(ctl, c)))
				continue;
			p = sc_xasprintf("%s/%s", h->dir, sc_limit_file_name(f));
			inside_read(root, errs, p, &l.files[f]);
		}
	}
	*ret = l;
}

static void inside_read_done(struct sc_inside_read *r)
{
	free(r->path);
	free(r->text);
	*r = (struct sc_inside_read){};
}

void sc_limits_inside_done(struct sc_limits_inside *l)
{
	inside_read_done(&l->meminfo);
	inside_read_done(&l->cpuinfo);
	inside_read_done(&l->stat);
	inside_read_done(&l->uptime);
	inside_read_done(&l->online);
	inside_read_done(&l->possible);
	inside_read_done(&l->present);
	for (int f = 0; f < _SC_LF_MAX; f++)
		inside_read_done(&l->files[f]);
	*l = (struct sc_limits_inside){};
}
