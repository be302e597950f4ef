/* SPDX-License-Identifier: MIT */
/* The host-side walk of a container's cgroup ancestors: every level's own
 * setting read as evidence, and the effective limit (the smallest wins). */
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

#include "limits-model.h"
#include "util.h"

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
	lv->file = streq(cg, "/") ? sc_xasprintf("%s/%s", mount, sc_limit_file_name(f))
				  : sc_xasprintf("%s%s/%s", mount, cg, sc_limit_file_name(f));
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
		if (e->value == SC_LIMIT_NONE || !sc_ratio_less(e->value, e->period, q, p)) {
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
		sc_cpuset_copy(&e->cpus, &sets[n - 1]);
		for (size_t i = 0; i < n; i++)
			if (ok[i]) {
				sc_cpuset_copy(&e->all_cpus, &sets[i]);
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
				if (h >= SC_LIMIT_V1_NO_LIMIT_MIN)
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
								sc_limit_file_name(SC_LF_V1_MEMSW));

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
			e->error = sc_xasprintf("%s/%s unreadable", e->host_dir,
						sc_limit_file_name(version == 2 ? SC_LF_V2_CPUSET
										: SC_LF_V1_CPUSET));
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
