/* SPDX-License-Identifier: MIT */
/* Effective limits and what the everyday tools would show: the parsers of
 * the cgroup and procfs files involved, the inside probe's limit reads, the
 * host-side ancestor walk, and the pure verdict logic. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

#include "container.h"
#include "host.h"
#include "inside.h"
#include "limits.h"
#include "util.h"

static const char *const resource_names[_SC_LIM_MAX] = {
	[SC_LIM_MEMORY] = "memory", [SC_LIM_SWAP] = "swap", [SC_LIM_CPU] = "cpu",
	[SC_LIM_CPUSET] = "cpuset", [SC_LIM_PIDS] = "pids", [SC_LIM_IO] = "io",
};

const char *sc_limit_resource_to_string(enum sc_limit_resource r)
{
	return (size_t)r < _SC_LIM_MAX ? resource_names[r] : "unknown";
}

static const char *const verdict_names[_SC_LV_MAX] = {
	[SC_LV_UNKNOWN] = "unknown", [SC_LV_VISIBLE] = "visible",     [SC_LV_PARTIAL] = "partial",
	[SC_LV_HIDDEN] = "hidden",   [SC_LV_UNLIMITED] = "unlimited",
};

const char *sc_limit_verdict_to_string(enum sc_limit_verdict v)
{
	return (size_t)v < _SC_LV_MAX ? verdict_names[v] : "unknown";
}

static const char *const io_keys[_SC_IO_MAX] = { "rbps", "wbps", "riops", "wiops" };

const char *sc_io_field_to_string(enum sc_io_field f)
{
	return (size_t)f < _SC_IO_MAX ? io_keys[f] : "?";
}

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

/* ---- parsers ------------------------------------------------------------------ */

/* mm/page_counter.c: PAGE_COUNTER_MAX is LONG_MAX / PAGE_SIZE pages, so
 * v1 prints LONG_MAX rounded down to the page size for "no limit". Any
 * value at or above the 64 KiB-page rounding is that, whatever the page
 * size (4 KiB: 9223372036854771712; 64 KiB: 9223372036854710272). */
#define V1_NO_LIMIT_MIN 0x7FFFFFFFFFFF0000ULL

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
	*ret = v >= V1_NO_LIMIT_MIN ? SC_LIMIT_NONE : v;
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

static void cpuset_set(struct sc_cpuset *s, unsigned cpu)
{
	size_t w = cpu / 64;

	if (w >= s->n_words) {
		s->bits = sc_xrealloc(s->bits, (w + 1) * sizeof(uint64_t));
		memset(s->bits + s->n_words, 0, (w + 1 - s->n_words) * sizeof(uint64_t));
		s->n_words = w + 1;
	}
	s->bits[w] |= 1ULL << (cpu % 64);
}

/* CPUs a..b, a word at a time. */
static void cpuset_set_range(struct sc_cpuset *s, unsigned a, unsigned b)
{
	size_t wa = a / 64, wb = b / 64;

	cpuset_set(s, b); /* grows the bitmap once */
	for (size_t w = wa; w <= wb; w++) {
		uint64_t m = ~0ULL;

		if (w == wa)
			m &= ~0ULL << (a % 64);
		if (w == wb && b % 64 != 63)
			m &= (1ULL << (b % 64 + 1)) - 1;
		s->bits[w] |= m;
	}
}

static bool cpuset_has(const struct sc_cpuset *s, unsigned cpu)
{
	size_t w = cpu / 64;
	return w < s->n_words && (s->bits[w] & (1ULL << (cpu % 64)));
}

static int parse_cpu_number(const char *s, const char **end, unsigned *ret)
{
	unsigned long v;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || v >= SC_CPUSET_MAX)
		return -ERANGE;
	*end = e;
	*ret = (unsigned)v;
	return 0;
}

int sc_cpuset_parse(const char *s, struct sc_cpuset *ret)
{
	struct sc_cpuset set = {};
	const char *p = s;
	int k;

	/* lib/bitmap.c bitmap_parselist(): "0-3,8,10-11"; ranges may carry a
	 * stride ("0-7:2") in newer kernels, which is accepted too. The
	 * kernel prints each CPU once; a list that makes us set more than
	 * twice SC_CPUSET_MAX bits one by one (a strided range repeated,
	 * from a snapshot) is not its output, and the work it costs is
	 * bounded: -E2BIG. Plain ranges are set a word at a time. */
	size_t budget = 2 * (size_t)SC_CPUSET_MAX;

	while (p && *p && isspace((unsigned char)*p))
		p++;
	while (p && *p && *p != '\n') {
		unsigned a, b, stride = 1;

		if ((k = parse_cpu_number(p, &p, &a)) < 0)
			goto fail;
		b = a;
		if (*p == '-') {
			if ((k = parse_cpu_number(p + 1, &p, &b)) < 0)
				goto fail;
			if (b < a) {
				k = -EINVAL;
				goto fail;
			}
			if (*p == ':') {
				unsigned g;
				if ((k = parse_cpu_number(p + 1, &p, &g)) < 0 || g == 0) {
					k = k < 0 ? k : -EINVAL;
					goto fail;
				}
				stride = g;
			}
		}
		if (stride == 1) {
			cpuset_set_range(&set, a, b);
		} else {
			size_t steps = (b - a) / stride + 1;

			if (steps > budget) {
				k = -E2BIG;
				goto fail;
			}
			budget -= steps;
			for (unsigned c = a; c <= b; c += stride)
				cpuset_set(&set, c);
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n' && !isspace((unsigned char)*p)) {
			k = -EINVAL;
			goto fail;
		} else
			break;
	}
	while (p && *p) {
		if (!isspace((unsigned char)*p)) {
			k = -EINVAL;
			goto fail;
		}
		p++;
	}
	*ret = set;
	return 0;
fail:
	sc_cpuset_done(&set);
	return k;
}

void sc_cpuset_done(struct sc_cpuset *s)
{
	free(s->bits);
	*s = (struct sc_cpuset){};
}

unsigned sc_cpuset_count(const struct sc_cpuset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n_words; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

bool sc_cpuset_is_subset(const struct sc_cpuset *a, const struct sc_cpuset *b)
{
	for (size_t i = 0; i < a->n_words; i++) {
		uint64_t bw = i < b->n_words ? b->bits[i] : 0;
		if (a->bits[i] & ~bw)
			return false;
	}
	return true;
}

bool sc_cpuset_equal(const struct sc_cpuset *a, const struct sc_cpuset *b)
{
	return sc_cpuset_is_subset(a, b) && sc_cpuset_is_subset(b, a);
}

static void cpuset_copy(struct sc_cpuset *dst, const struct sc_cpuset *src)
{
	sc_cpuset_done(dst);
	if (!src->n_words)
		return;
	dst->bits = sc_xmalloc(src->n_words * sizeof(uint64_t));
	memcpy(dst->bits, src->bits, src->n_words * sizeof(uint64_t));
	dst->n_words = src->n_words;
}

char *sc_cpuset_format(const struct sc_cpuset *s)
{
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **parts = NULL;
	unsigned max = (unsigned)(s->n_words * 64);

	for (unsigned c = 0; c < max; c++) {
		unsigned e;

		if (!cpuset_has(s, c))
			continue;
		for (e = c; e + 1 < max && cpuset_has(s, e + 1); e++)
			;
		sc_strv_builder_consume(&b, e == c ? sc_xasprintf("%u", c)
						   : sc_xasprintf("%u-%u", c, e));
		c = e;
	}
	parts = sc_strv_builder_take(&b);
	return sc_strv_join(parts, ",");
}

char *sc_cpuset_format_lscpu(const struct sc_cpuset *s)
{
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **parts = NULL;
	unsigned max = (unsigned)(s->n_words * 64);

	for (unsigned c = 0; c < max; c++) {
		unsigned e;

		if (!cpuset_has(s, c))
			continue;
		for (e = c; e + 1 < max && cpuset_has(s, e + 1); e++)
			;
		if (e == c)
			sc_strv_builder_consume(&b, sc_xasprintf("%u", c));
		else if (e == c + 1)
			sc_strv_builder_consume(&b, sc_xasprintf("%u,%u", c, e));
		else
			sc_strv_builder_consume(&b, sc_xasprintf("%u-%u", c, e));
		c = e;
	}
	parts = sc_strv_builder_take(&b);
	return sc_strv_join(parts, ",");
}

int sc_cpulist_count(const char *s)
{
	struct sc_cpuset set;
	int k = sc_cpuset_parse(s, &set);

	if (k < 0)
		return k;
	k = (int)sc_cpuset_count(&set);
	sc_cpuset_done(&set);
	return k;
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

/* ---- the inside probe ------------------------------------------------------------ */

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
			const char *c = limit_files[f].controller;
			_cleanup_free_ char *p = NULL;

			if (l.files[f].path || (v2 ? c != NULL : !c || !sc_strv_contains(ctl, c)))
				continue;
			p = sc_xasprintf("%s/%s", h->dir, limit_files[f].name);
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

/* ---- the ancestor walk (host) ---------------------------------------------------- */

void sc_limit_effective_done(struct sc_limit_effective *e)
{
	free(e->controller);
	free(e->cgroup);
	free(e->host_dir);
	sc_cpuset_done(&e->cpus);
	sc_cpuset_done(&e->all_cpus);
	free(e->set_by);
	free(e->set_by_file);
	free(e->note);
	for (size_t i = 0; i < e->n_levels; i++) {
		free(e->levels[i].cgroup);
		free(e->levels[i].file);
		free(e->levels[i].raw);
	}
	free(e->levels);
	sc_io_limits_free(e->io, e->n_io);
	free(e->error);
	*e = (struct sc_limit_effective){};
}

/* Read one file of one ancestor; the level is kept as evidence. Returns
 * the content (borrowed from the level) or NULL. */
static const char *read_level(struct sc_root *root, struct sc_errlist *errs,
			      struct sc_limit_effective *eff, const char *mount, const char *cg,
			      enum sc_limit_file f)
{
	struct sc_limit_level *lv = SC_APPEND(eff->levels, eff->n_levels);
	char *text = NULL;
	int k;

	lv->cgroup = sc_xstrdup(cg);
	lv->file = streq(cg, "/") ? sc_xasprintf("%s/%s", mount, limit_files[f].name)
				  : sc_xasprintf("%s%s/%s", mount, cg, limit_files[f].name);
	k = sc_probe_read(root, errs, lv->file, &text);
	if (k < 0) {
		lv->err = -k;
		return NULL;
	}
	/* memory.stat and the io lists are multi-line; the rest one line. */
	lv->raw = sc_strstrip(text);
	return lv->raw;
}

static void set_by(struct sc_limit_effective *eff, const struct sc_limit_level *lv)
{
	free(eff->set_by);
	free(eff->set_by_file);
	eff->set_by = sc_xstrdup(lv->cgroup);
	eff->set_by_file = sc_xstrdup(lv->file);
}

/* a/b < c/d, without overflow. */
static bool ratio_less(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	return (unsigned __int128)a * d < (unsigned __int128)c * b;
}

static char **ancestors_of(const char *cgroup)
{
	_cleanup_free_ char *walk = sc_xstrdup(cgroup);
	struct sc_strv_builder b = {};

	sc_strv_builder_push(&b, "/");
	if (streq(cgroup, "/"))
		return sc_strv_builder_take(&b);
	for (char *p = strchr(walk + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = 0;
		sc_strv_builder_push(&b, walk);
		*p = '/';
	}
	sc_strv_builder_push(&b, walk);
	return sc_strv_builder_take(&b);
}

/* The smallest single value along the path (memory, pids, swap v2). */
static void walk_min(struct sc_root *root, struct sc_errlist *errs, struct sc_limit_effective *e,
		     const char *mount, char **levels, enum sc_limit_file f)
{
	e->value = SC_LIMIT_NONE;
	for (char **cg = levels; *cg; cg++) {
		const char *raw = read_level(root, errs, e, mount, *cg, f);
		uint64_t v;

		if (!raw)
			continue;
		if (sc_limit_parse_value(raw, &v) < 0) {
			e->levels[e->n_levels - 1].err = EBADMSG;
			continue;
		}
		/* Root first: "<=" names the deepest of equal limits. */
		if (v != SC_LIMIT_NONE && v <= e->value) {
			e->value = v;
			set_by(e, &e->levels[e->n_levels - 1]);
		}
	}
}

static void walk_cpu(struct sc_root *root, struct sc_errlist *errs, struct sc_limit_effective *e,
		     int version, const char *mount, char **levels)
{
	e->value = SC_LIMIT_NONE;
	e->period = 0;
	for (char **cg = levels; *cg; cg++) {
		uint64_t q, p;

		if (version == 2) {
			const char *raw = read_level(root, errs, e, mount, *cg, SC_LF_V2_CPU);
			if (!raw)
				continue;
			if (sc_cpu_max_parse(raw, &q, &p) < 0) {
				e->levels[e->n_levels - 1].err = EBADMSG;
				continue;
			}
		} else {
			/* scheduler/sched-bwc.rst: quota -1 is no limit. */
			const char *rq = read_level(root, errs, e, mount, *cg, SC_LF_V1_CFS_QUOTA);
			const char *rp = read_level(root, errs, e, mount, *cg, SC_LF_V1_CFS_PERIOD);
			if (!rq || !rp)
				continue;
			if (sc_limit_parse_value(rq, &q) < 0 || sc_parse_u64(rp, &p) < 0 || !p) {
				e->levels[e->n_levels - 1].err = EBADMSG;
				continue;
			}
		}
		if (q == SC_LIMIT_NONE)
			continue;
		if (e->value == SC_LIMIT_NONE || !ratio_less(e->value, e->period, q, p)) {
			e->value = q;
			e->period = p;
			set_by(e, &e->levels[e->n_levels - (version == 2 ? 1 : 2)]);
		}
	}
}

static void walk_cpuset(struct sc_root *root, struct sc_errlist *errs, struct sc_limit_effective *e,
			int version, const char *mount, char **levels)
{
	enum sc_limit_file f = version == 2 ? SC_LF_V2_CPUSET : SC_LF_V1_CPUSET;
	struct sc_cpuset *sets = sc_xcalloc(sc_strv_length(levels), sizeof(*sets));
	bool *ok = sc_xcalloc(sc_strv_length(levels) + 1, sizeof(bool));
	size_t n = 0;
	bool any = false;

	/* cgroup-v1/cpusets.rst, cgroup-v2.rst "Cpuset": the effective set is
	 * already the intersection with every ancestor's, so the container's
	 * own is the answer; the walk finds where it narrowed to it. */
	for (char **cg = levels; *cg; cg++, n++) {
		const char *raw = read_level(root, errs, e, mount, *cg, f);

		if (raw && sc_cpuset_parse(raw, &sets[n]) == 0) {
			ok[n] = true;
			any = true;
		}
	}
	if (any && ok[n - 1]) {
		cpuset_copy(&e->cpus, &sets[n - 1]);
		for (size_t i = 0; i < n; i++)
			if (ok[i]) {
				cpuset_copy(&e->all_cpus, &sets[i]);
				break;
			}
		for (size_t i = 0; i < n; i++)
			if (ok[i] && sc_cpuset_equal(&sets[i], &e->cpus)) {
				set_by(e, &e->levels[i]);
				break;
			}
		e->value = sc_cpuset_count(&e->cpus);
		e->limited = !sc_cpuset_equal(&e->cpus, &e->all_cpus);
	}
	for (size_t i = 0; i < n; i++)
		sc_cpuset_done(&sets[i]);
	free(sets);
	free(ok);
}

static void walk_io(struct sc_root *root, struct sc_errlist *errs, struct sc_limit_effective *e,
		    int version, const char *mount, char **levels)
{
	for (char **cg = levels; *cg; cg++) {
		if (version == 2) {
			const char *raw = read_level(root, errs, e, mount, *cg, SC_LF_V2_IO);
			if (raw && sc_io_max_merge(raw, *cg, &e->io, &e->n_io) < 0)
				e->levels[e->n_levels - 1].err = EBADMSG;
			continue;
		}
		for (int f = 0; f < _SC_IO_MAX; f++) {
			const char *raw =
				read_level(root, errs, e, mount, *cg, SC_LF_V1_BLKIO_RBPS + f);
			if (raw && sc_blkio_throttle_merge(raw, f, *cg, &e->io, &e->n_io) < 0)
				e->levels[e->n_levels - 1].err = EBADMSG;
		}
	}
	/* Entries whose every key is "max" (io.max keeps a line per device
	 * once written) limit nothing. */
	for (size_t i = 0; i < e->n_io;) {
		bool any = false;
		for (int f = 0; f < _SC_IO_MAX; f++)
			any |= e->io[i].v[f] != SC_LIMIT_NONE;
		if (any) {
			i++;
			continue;
		}
		free(e->io[i].set_by);
		memmove(&e->io[i], &e->io[i + 1], (e->n_io - i - 1) * sizeof(e->io[0]));
		e->n_io--;
	}
	e->limited = e->n_io > 0;
	e->value = e->n_io;
	if (e->n_io && e->io[0].set_by) {
		free(e->set_by);
		e->set_by = sc_xstrdup(e->io[0].set_by);
	}
}

void sc_limits_walk(struct sc_root *root, enum sc_limit_resource res, int version,
		    const char *mount, const char *cgroup, struct sc_errlist *errs,
		    struct sc_limit_effective *e)
{
	_cleanup_strv_free_ char **levels = ancestors_of(cgroup);
	_cleanup_free_ char *m = sc_path_normalize(mount);
	struct stat st;

	e->version = version;
	free(e->cgroup);
	e->cgroup = sc_xstrdup(cgroup);
	free(e->host_dir);
	e->host_dir = streq(cgroup, "/") ? sc_xstrdup(m) : sc_xasprintf("%s%s", m, cgroup);
	e->value = SC_LIMIT_NONE;
	if (sc_root_stat(root, e->host_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		e->error =
			sc_xasprintf("the container's cgroup directory %s is missing", e->host_dir);
		return;
	}

	switch (res) {
	case SC_LIM_MEMORY:
		walk_min(root, errs, e, m, levels,
			 version == 2 ? SC_LF_V2_MEMORY : SC_LF_V1_MEMORY);
		if (version == 1) {
			/* cgroup-v1/memory.rst: memory.stat's
			 * hierarchical_memory_limit is the kernel's own
			 * minimum over the ancestors (use_hierarchy). */
			const char *raw = read_level(root, errs, e, m, cgroup, SC_LF_V1_MEMSTAT);
			uint64_t h;
			if (raw && sc_memory_stat_get(raw, "hierarchical_memory_limit", &h) == 0) {
				if (h >= V1_NO_LIMIT_MIN)
					h = SC_LIMIT_NONE;
				e->note =
					h == SC_LIMIT_NONE
						? sc_xstrdup(
							  "memory.stat hierarchical_memory_limit: "
							  "no limit")
						: sc_xasprintf("memory.stat "
							       "hierarchical_memory_limit %" PRIu64,
							       h);
				if (h < e->value) {
					e->value = h;
					set_by(e, &e->levels[e->n_levels - 1]);
				}
			}
			/* The stat text is long: keep only the line. */
			if (raw) {
				struct sc_limit_level *lv = &e->levels[e->n_levels - 1];
				_cleanup_free_ char *line = NULL;
				const char *p = strstr(lv->raw, "hierarchical_memory_limit");
				if (p)
					line = sc_xstrndup(p, strcspn(p, "\n"));
				free(lv->raw);
				lv->raw = TAKE_PTR(line);
			}
		}
		e->limited = e->value != SC_LIMIT_NONE;
		break;
	case SC_LIM_SWAP:
		if (version == 2) {
			walk_min(root, errs, e, m, levels, SC_LF_V2_SWAP);
		} else {
			/* cgroup-v1/memory.rst: memsw limits memory+swap;
			 * the swap a container may use is memsw - memory. */
			struct sc_limit_effective mem = {};
			_cleanup_free_ char *own = sc_xasprintf("%s/%s", e->host_dir,
								limit_files[SC_LF_V1_MEMSW].name);

			if (sc_root_exists(root, own) < 0) {
				e->error = sc_xstrdup("no swap accounting: memory.memsw.* absent "
						      "(swapaccount=0 or CONFIG_MEMCG_SWAP off)");
				return;
			}
			walk_min(root, errs, e, m, levels, SC_LF_V1_MEMSW);
			walk_min(root, errs, &mem, m, levels, SC_LF_V1_MEMORY);
			if (e->value != SC_LIMIT_NONE) {
				uint64_t memv = mem.value < e->value ? mem.value : e->value;
				e->note = sc_xasprintf("memory+swap %" PRIu64 " - memory %" PRIu64,
						       e->value, memv);
				e->value -= memv;
			}
			sc_limit_effective_done(&mem);
		}
		e->limited = e->value != SC_LIMIT_NONE;
		break;
	case SC_LIM_CPU:
		walk_cpu(root, errs, e, version, m, levels);
		e->limited = e->value != SC_LIMIT_NONE;
		break;
	case SC_LIM_CPUSET:
		walk_cpuset(root, errs, e, version, m, levels);
		if (!e->cpus.n_words) {
			e->error = sc_xasprintf(
				"%s/%s unreadable", e->host_dir,
				limit_files[version == 2 ? SC_LF_V2_CPUSET : SC_LF_V1_CPUSET].name);
			return;
		}
		break;
	case SC_LIM_PIDS:
		walk_min(root, errs, e, m, levels, version == 2 ? SC_LF_V2_PIDS : SC_LF_V1_PIDS);
		e->limited = e->value != SC_LIMIT_NONE;
		break;
	case SC_LIM_IO:
		walk_io(root, errs, e, version, m, levels);
		break;
	default:
		return;
	}
	/* A failure other than "absent" anywhere on the path: not known. */
	for (size_t i = 0; i < e->n_levels; i++)
		if (e->levels[i].err && e->levels[i].err != ENOENT) {
			e->error = sc_xasprintf("%s: %s", e->levels[i].file,
						sc_strerror(e->levels[i].err));
			return;
		}
	e->known = true;
}

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
	/* libblkid reads the live machine's devices: never for a replayed
	 * snapshot, whose devices are elsewhere. */
	if (sc_root_is_live(host)) {
		struct sc_limit_effective *io = &l.rows[SC_LIM_IO].eff;

		for (size_t i = 0; i < io->n_io; i++)
			(void)sc_blkdev_describe(io->io[i].major, io->io[i].minor, &io->io[i].dev);
		/* Major 0: an anonymous device (overlayfs, tmpfs), no block
		 * device to name. */
		if (l.root_known && l.root_dev.major != 0)
			(void)sc_blkdev_describe(l.root_dev.major, l.root_dev.minor, &l.root_dev);
	} else {
		for (size_t i = 0; i < l.rows[SC_LIM_IO].eff.n_io; i++) {
			struct sc_io_limit *x = &l.rows[SC_LIM_IO].eff.io[i];
			x->dev.major = x->major;
			x->dev.minor = x->minor;
			x->dev.err = SC_ENOFACT;
		}
		if (l.root_known && l.root_dev.major != 0)
			l.root_dev.err = SC_ENOFACT;
	}

	sc_limits_judge(&l, cf->inside_ok ? &cf->inside.limits : NULL,
			cf->inside_ok ? &cf->inside.mounts : NULL, cf->proc.stat.start_time);
	*ret = l;
}

/* ---- the verdicts (pure) ------------------------------------------------------------- */

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

static void judge_lxcfs(struct sc_limits *l, const struct sc_limits_inside *in,
			const struct sc_mounts *mounts)
{
	bool dead = false, alive = false;

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
		if (!r)
			continue;
		/* A dead lxcfs: ENOTCONN ("Transport endpoint is not
		 * connected"); a stopped one blocks: ETIMEDOUT here. */
		if (f->err == ENOTCONN || f->err == ETIMEDOUT || f->err == ECONNABORTED ||
		    f->err == EIO)
			dead = true;
		else if (f->err == 0)
			alive = true;
	}
	for (size_t i = 0; i < mounts->n && !l->lxcfs_mounted; i++)
		if (streq(mounts->v[i].fstype, "fuse.lxcfs"))
			l->lxcfs_mounted = true;
	l->lxcfs_alive = !l->lxcfs_mounted ? SC_UNKNOWN
			 : dead		   ? SC_NO
			 : alive	   ? SC_YES
					   : SC_UNKNOWN;
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
 * effective limit (what a cgroup-aware runtime would use). */
static void judge_inside_file(struct sc_limit_row *row, const struct sc_limits_inside *in)
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
			    h < V1_NO_LIMIT_MIN)
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
		row->inside_finds = e->limited ? v != SC_LIMIT_NONE &&
							 !ratio_less(v, p, e->value, e->period) &&
							 !ratio_less(e->value, e->period, v, p)
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

static void judge_row(struct sc_limits *l, struct sc_limit_row *row,
		      const struct sc_limits_inside *in, const struct sc_mounts *m)
{
	const struct sc_limit_effective *e = &row->eff;
	_cleanup_free_ char *lim = sc_limit_effective_to_string(row->res, e);
	_cleanup_strv_free_ char **shows = sc_xcalloc(1, sizeof(char *));
	_cleanup_strv_free_ char **hides = sc_xcalloc(1, sizeof(char *));
	unsigned known = 0, seeing = 0;
	uint64_t bound = SC_LIMIT_NONE;

	if (in) {
		switch (row->res) {
		case SC_LIM_MEMORY:
			view_bytes(l, add_view(row, "free", "/proc/meminfo MemTotal"), &in->meminfo,
				   m, "MemTotal");
			bound = e->value;
			break;
		case SC_LIM_SWAP:
			view_bytes(l, add_view(row, "free", "/proc/meminfo SwapTotal"),
				   &in->meminfo, m, "SwapTotal");
			bound = e->value;
			break;
		case SC_LIM_CPU:
			cpu_views(l, row, in, m);
			if (e->limited)
				bound = quota_cpus_ceil(e);
			break;
		case SC_LIM_CPUSET:
			cpu_views(l, row, in, m);
			bound = e->value;
			break;
		default:
			break;
		}
		judge_inside_file(row, in);
		/* pids and io: no everyday tool shows them; the cgroup file
		 * inside is the only view. */
		if (row->res == SC_LIM_PIDS || row->res == SC_LIM_IO) {
			struct sc_limit_view *v =
				add_view(row, "cgroupfs", "the own cgroup's file");
			/* Absent inside is an observation: not visible. */
			v->known = row->inside_known || row->inside_err == ENOENT;
			v->err = v->known ? 0 : row->inside_err;
			v->shows_limit = row->inside_finds;
			v->value = row->res == SC_LIM_PIDS && row->inside_known ? e->value
										: SC_LIMIT_NONE;
			v->text = sc_xstrdup(row->inside_text ? row->inside_text : "?");
		}
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
	if (!in) {
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

void sc_limits_judge(struct sc_limits *l, const struct sc_limits_inside *in,
		     const struct sc_mounts *inside_mounts, uint64_t start_time_ticks)
{
	static const struct sc_mounts none = {};
	const struct sc_mounts *m = inside_mounts ? inside_mounts : &none;

	if (in && !in->probed)
		in = NULL;
	if (in)
		judge_lxcfs(l, in, m);
	for (int r = 0; r < _SC_LIM_MAX; r++) {
		l->rows[r].res = r;
		judge_row(l, &l->rows[r], in, m);
	}

	/* uptime: procps reads /proc/uptime; without lxcfs it is the host's
	 * (fs/proc/uptime.c, unless a time namespace offsets it). */
	l->uptime_verdict = SC_LV_UNKNOWN;
	if (in && in->uptime.text && !read_err(l, &in->uptime) &&
	    sc_uptime_parse(in->uptime.text, &l->inside_uptime_cs) == 0 && l->host_uptime_cs &&
	    start_time_ticks && l->host_uptime_cs >= start_time_ticks * (100 / SC_USER_HZ)) {
		uint64_t age = l->host_uptime_cs - start_time_ticks * (100 / SC_USER_HZ);
		uint64_t d = l->inside_uptime_cs > age ? l->inside_uptime_cs - age
						       : age - l->inside_uptime_cs;

		l->uptime_known = true;
		l->container_age_cs = age;
		l->uptime_lxcfs = is_lxcfs(m, "/proc/uptime", NULL);
		/* The two reads are a moment apart: 5 s of slack. */
		l->uptime_verdict = d <= 500 ? SC_LV_VISIBLE : SC_LV_HIDDEN;
	}
}
