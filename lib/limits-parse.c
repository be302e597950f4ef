/* SPDX-License-Identifier: MIT */
/* The kernel files limits come from (names, v1 controllers) and pure parsers
 * of them: limit values, cpu.max, io.max and blkio throttles, meminfo,
 * memory.stat, cpuinfo, /proc/stat, uptime. */
#include <ctype.h>
#include <stdio.h>

#include "limits-parse.h"
#include "util.h"

static const char *const io_keys[_SC_IO_MAX] = { "rbps", "wbps", "riops", "wiops" };

SC_STRING_TABLE_TO_STRING(sc_io_field, enum sc_io_field, io_keys, "?")

/* ---- the files ---------------------------------------------------------------- */

/* The files, their v1 controller (NULL: cgroup2) and the resource. Kernel
 * docs: cgroup-v1/memory.rst, cgroup-v1/cpusets.rst, scheduler/
 * sched-bwc.rst, cgroup-v1/pids.rst, cgroup-v1/blkio-controller.rst,
 * cgroup-v2.rst "Memory", "CPU", "Cpuset", "PID", "IO". */
static const struct {
	const char *name;
	const char *controller;
} limit_files[_SC_LF_MAX] = {
	[SC_LF_V1_MEMORY] = { "memory.limit_in_bytes", "memory" },
	[SC_LF_V1_MEMSTAT] = { "memory.stat", "memory" },
	[SC_LF_V1_MEMSW] = { "memory.memsw.limit_in_bytes", "memory" },
	[SC_LF_V1_CFS_QUOTA] = { "cpu.cfs_quota_us", "cpu" },
	[SC_LF_V1_CFS_PERIOD] = { "cpu.cfs_period_us", "cpu" },
	[SC_LF_V1_CPUSET] = { "cpuset.effective_cpus", "cpuset" },
	[SC_LF_V1_PIDS] = { "pids.max", "pids" },
	[SC_LF_V1_BLKIO_RBPS] = { "blkio.throttle.read_bps_device", "blkio" },
	[SC_LF_V1_BLKIO_WBPS] = { "blkio.throttle.write_bps_device", "blkio" },
	[SC_LF_V1_BLKIO_RIOPS] = { "blkio.throttle.read_iops_device", "blkio" },
	[SC_LF_V1_BLKIO_WIOPS] = { "blkio.throttle.write_iops_device", "blkio" },
	[SC_LF_V2_MEMORY] = { "memory.max", NULL },
	[SC_LF_V2_SWAP] = { "memory.swap.max", NULL },
	[SC_LF_V2_CPU] = { "cpu.max", NULL },
	[SC_LF_V2_CPUSET] = { "cpuset.cpus.effective", NULL },
	[SC_LF_V2_PIDS] = { "pids.max", NULL },
	[SC_LF_V2_IO] = { "io.max", NULL },
};

const char *sc_limit_file_name(enum sc_limit_file f)
{
	return (size_t)f < _SC_LF_MAX ? limit_files[f].name : NULL;
}

const char *sc_limit_file_controller(enum sc_limit_file f)
{
	return (size_t)f < _SC_LF_MAX ? limit_files[f].controller : NULL;
}

/* ---- values ------------------------------------------------------------------- */

int sc_limit_parse_value(const char *s, uint64_t *ret)
{
	_cleanup_free_ char *t = NULL;
	uint64_t v;
	int k;

	if (!s)
		return -EINVAL;
	t = sc_strstrip(sc_xstrdup(s));
	if (streq(t, "max") || streq(t, "-1")) {
		*ret = SC_LIMIT_NONE;
		return 0;
	}
	k = sc_parse_u64(t, &v);
	if (k < 0)
		return k;
	*ret = v >= SC_LIMIT_V1_NO_LIMIT_MIN ? SC_LIMIT_NONE : v;
	return 0;
}

int sc_cpu_max_parse(const char *s, uint64_t *ret_quota, uint64_t *ret_period)
{
	_cleanup_strv_free_ char **f = s ? sc_strv_split(s, " \t\n") : NULL;
	uint64_t q, p = 100000;
	int k;

	/* cgroup-v2.rst: "$MAX $PERIOD", the period optional on write but
	 * always printed. */
	if (!f || !f[0] || (f[1] && f[2]))
		return -EINVAL;
	if (streq(f[0], "max"))
		q = SC_LIMIT_NONE;
	else if ((k = sc_parse_u64(f[0], &q)) < 0)
		return k;
	if (f[1] && ((k = sc_parse_u64(f[1], &p)) < 0 || p == 0))
		return k < 0 ? k : -EINVAL;
	*ret_quota = q;
	*ret_period = p;
	return 0;
}
void sc_io_limits_free(struct sc_io_limit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].set_by);
		sc_blkdev_done(&v[i].dev);
	}
	free(v);
}

static struct sc_io_limit *io_entry(struct sc_io_limit **v, size_t *n, unsigned major,
				    unsigned minor)
{
	struct sc_io_limit *e;

	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].major == major && (*v)[i].minor == minor)
			return &(*v)[i];
	e = SC_APPEND(*v, *n);
	e->major = major;
	e->minor = minor;
	for (int f = 0; f < _SC_IO_MAX; f++)
		e->v[f] = SC_LIMIT_NONE;
	return e;
}

static void io_lower(struct sc_io_limit *e, int field, uint64_t v, const char *cgroup)
{
	if (v == SC_LIMIT_NONE || v > e->v[field])
		return;
	e->v[field] = v;
	/* Walked root first: the deepest cgroup with the smallest value. */
	if (cgroup) {
		free(e->set_by);
		e->set_by = sc_xstrdup(cgroup);
	}
}

static int parse_devno(const char *s, unsigned *major, unsigned *minor)
{
	char tail;

	return sscanf(s, "%u:%u%c", major, minor, &tail) == 2 ? 0 : -EBADMSG;
}

int sc_io_max_merge(const char *text, const char *cgroup, struct sc_io_limit **v, size_t *n)
{
	_cleanup_strv_free_ char **lines = sc_strv_split(text ? text : "", "\n");

	for (char **l = lines; *l; l++) {
		_cleanup_strv_free_ char **f = sc_strv_split(*l, " \t");
		unsigned major, minor;
		struct sc_io_limit *e;

		if (!f[0])
			continue;
		if (parse_devno(f[0], &major, &minor) < 0)
			return -EBADMSG;
		e = io_entry(v, n, major, minor);
		for (char **kv = f + 1; *kv; kv++) {
			const char *eq = strchr(*kv, '=');
			uint64_t val;
			int field = -1;

			if (!eq)
				return -EBADMSG;
			for (int i = 0; i < _SC_IO_MAX; i++)
				if ((size_t)(eq - *kv) == strlen(io_keys[i]) &&
				    strncmp(*kv, io_keys[i], strlen(io_keys[i])) == 0)
					field = i;
			/* Unknown keys (a newer kernel's) are skipped. */
			if (field < 0)
				continue;
			if (sc_limit_parse_value(eq + 1, &val) < 0)
				return -EBADMSG;
			io_lower(e, field, val, cgroup);
		}
	}
	return 0;
}

int sc_blkio_throttle_merge(const char *text, enum sc_io_field field, const char *cgroup,
			    struct sc_io_limit **v, size_t *n)
{
	_cleanup_strv_free_ char **lines = sc_strv_split(text ? text : "", "\n");

	if ((size_t)field >= _SC_IO_MAX)
		return -EINVAL;
	for (char **l = lines; *l; l++) {
		_cleanup_strv_free_ char **f = sc_strv_split(*l, " \t");
		unsigned major, minor;
		uint64_t val;

		if (!f[0])
			continue;
		if (!f[1] || f[2] || parse_devno(f[0], &major, &minor) < 0 ||
		    sc_limit_parse_value(f[1], &val) < 0)
			return -EBADMSG;
		io_lower(io_entry(v, n, major, minor), field, val, cgroup);
	}
	return 0;
}

/* "KEY<sep>value[ kB]" lines. */
static int field_u64(const char *text, const char *key, char sep, uint64_t *ret, bool *ret_kb)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');

		if ((size_t)(eol - l) > kl && strncmp(l, key, kl) == 0 && l[kl] == sep) {
			_cleanup_free_ char *v =
				sc_xstrndup(l + kl + 1, (size_t)(eol - l - kl - 1));
			char *unit;

			sc_strstrip(v);
			unit = strchr(v, ' ');
			if (unit) {
				*unit++ = 0;
				unit = sc_strstrip(unit);
			}
			if (ret_kb)
				*ret_kb = unit && streq(unit, "kB");
			else if (unit)
				return -EBADMSG;
			return sc_parse_u64(v, ret) < 0 ? -EBADMSG : 0;
		}
		l = *eol ? eol + 1 : eol;
	}
	return -ENOENT;
}

int sc_meminfo_get(const char *text, const char *key, uint64_t *ret_bytes)
{
	uint64_t v;
	bool kb = false;
	int k;

	/* fs/proc/meminfo.c: "%-16s%8lu kB" after "Key:". */
	k = field_u64(text, key, ':', &v, &kb);
	if (k < 0)
		return k;
	if (kb && v > UINT64_MAX / 1024)
		return -ERANGE;
	*ret_bytes = kb ? v * 1024 : v;
	return 0;
}

int sc_memory_stat_get(const char *text, const char *key, uint64_t *ret)
{
	return field_u64(text, key, ' ', ret, NULL);
}

int sc_cpuinfo_count(const char *text)
{
	int n = 0;

	/* arch/x86/kernel/cpu/proc.c and friends: "processor\t: N". */
	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');
		const char *p = startswith(l, "processor");

		if (p) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == ':')
				n++;
		}
		l = *eol ? eol + 1 : eol;
	}
	return n;
}

int sc_proc_stat_cpus(const char *text)
{
	int n = 0;

	/* fs/proc/stat.c: "cpu  ..." (the total), then "cpuN ..." for each
	 * online CPU: procps top and htop draw one row per cpuN line. */
	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');

		if (startswith(l, "cpu") && isdigit((unsigned char)l[3]))
			n++;
		l = *eol ? eol + 1 : eol;
	}
	return n;
}

int sc_uptime_parse(const char *text, uint64_t *ret_cs)
{
	unsigned long long s;
	unsigned frac = 0;
	char *end;

	/* fs/proc/uptime.c: "%lu.%02lu %lu.%02lu\n". */
	if (!text || !isdigit((unsigned char)*text))
		return -EBADMSG;
	errno = 0;
	s = strtoull(text, &end, 10);
	if (errno)
		return -ERANGE;
	if (*end == '.') {
		const char *p = end + 1;
		unsigned digits = 0;
		while (isdigit((unsigned char)*p)) {
			if (digits < 2)
				frac = frac * 10 + (unsigned)(*p - '0');
			digits++;
			p++;
		}
		if (digits == 1)
			frac *= 10;
		end = (char *)p;
	}
	if (*end && !isspace((unsigned char)*end))
		return -EBADMSG;
	*ret_cs = s * 100 + frac;
	return 0;
}
