/* SPDX-License-Identifier: MIT */
/* Cgroup probe: mode detection from statfs() the way systemd does it, the
 * cgroup mounts from mountinfo, /proc/cgroups and the cgroup2 root files,
 * merged into one row per controller saying where it lives. */
#include <stdio.h>

#include "cgroup.h"
#include "util.h"

static const char *const mode_names[] = {
	[SC_CG_UNKNOWN] = "unknown",
	[SC_CG_UNIFIED] = "unified",
	[SC_CG_HYBRID] = "hybrid",
	[SC_CG_LEGACY] = "legacy",
	[SC_CG_NONE] = "none",
	[SC_CG_V1_ON_ROOT] = "v1_on_root",
	[SC_CG_UNSUPPORTED_V1] = "unsupported_v1",
	[SC_CG_OTHER_FS] = "other_fs",
};

SC_STRING_TABLE(sc_cgroup_mode, enum sc_cgroup_mode, mode_names, "unknown")

static const char *const where_names[] = {
	[SC_CTRL_V1] = "v1",
	[SC_CTRL_V1_UNMOUNTED] = "v1_unmounted",
	[SC_CTRL_V2] = "v2",
	[SC_CTRL_UNBOUND] = "unbound",
	[SC_CTRL_DISABLED] = "disabled",
	[SC_CTRL_ABSENT] = "absent",
};

SC_STRING_TABLE(sc_ctrl_where, enum sc_ctrl_where, where_names, "absent")

const char *sc_tristate_to_string(int t)
{
	return t > 0 ? "yes" : t == 0 ? "no" : "unknown";
}

/* cg_unified_cached() in systemd v249..v257, step by step:
 *   statfs("/sys/fs/cgroup/"): CGROUP2 -> unified; TMPFS -> go on;
 *     SYSFS -> "No filesystem is currently mounted on /sys/fs/cgroup." (v248+);
 *     anything else -> "Unknown filesystem type %llx mounted on /sys/fs/cgroup.";
 *   statfs("/sys/fs/cgroup/unified/") is CGROUP2 -> hybrid;
 *   statfs("/sys/fs/cgroup/systemd/"): CGROUP2 -> hybrid (v232 layout);
 *     CGROUP (v1) -> legacy; ENOENT -> "Unsupported cgroupsv1 setup detected:
 *     name=systemd hierarchy not found." (v249+); other type -> error. */
enum sc_cgroup_mode sc_cgroup_mode_from_statfs(const struct sc_statfs_fact *root,
					       const struct sc_statfs_fact *unified,
					       const struct sc_statfs_fact *systemd)
{
	if (root->err == ENOENT)
		return SC_CG_NONE;
	if (root->err)
		return SC_CG_UNKNOWN;
	switch (root->magic) {
	case SC_CGROUP2_SUPER_MAGIC:
		return SC_CG_UNIFIED;
	case SC_SYSFS_MAGIC:
		return SC_CG_NONE;
	case SC_CGROUP_SUPER_MAGIC:
		return SC_CG_V1_ON_ROOT;
	case SC_TMPFS_MAGIC:
		break;
	default:
		return SC_CG_OTHER_FS;
	}
	if (unified->err == 0 && unified->magic == SC_CGROUP2_SUPER_MAGIC)
		return SC_CG_HYBRID;
	if (unified->err && unified->err != ENOENT)
		return SC_CG_UNKNOWN;
	if (systemd->err == ENOENT)
		return SC_CG_UNSUPPORTED_V1;
	if (systemd->err)
		return SC_CG_UNKNOWN;
	if (systemd->magic == SC_CGROUP2_SUPER_MAGIC)
		return SC_CG_HYBRID;
	if (systemd->magic == SC_CGROUP_SUPER_MAGIC)
		return SC_CG_LEGACY;
	/* A tmpfs or directory on /sys/fs/cgroup/systemd: systemd says
	 * "Unexpected filesystem type ... mounted on /sys/fs/cgroup/systemd". */
	return SC_CG_UNSUPPORTED_V1;
}

/* v1 subsystems and their cgroup2 names; what cgroup2 offers for the ones
 * it has no controller for (Documentation/admin-guide/cgroup-v2.rst). */
static const struct {
	const char *v1;
	const char *v2;
	const char *v2_note;
} ctrl_table[] = {
	{ "cpuset", "cpuset", NULL },
	{ "cpu", "cpu", NULL },
	{ "cpuacct", NULL, "folded into the cpu controller on cgroup2" },
	{ "blkio", "io", NULL },
	{ "memory", "memory", NULL },
	{ "devices", NULL, "on cgroup2 device access is an eBPF program (kernel >= 4.15)" },
	{ "freezer", NULL, "on cgroup2 freezing is cgroup.freeze (kernel >= 5.2)" },
	{ "net_cls", NULL, "no cgroup2 controller: use eBPF or nftables socket cgroup matching" },
	{ "perf_event", NULL, "implicit on cgroup2 when not bound to a v1 hierarchy" },
	{ "net_prio", NULL, "no cgroup2 controller" },
	{ "hugetlb", "hugetlb", NULL },
	{ "pids", "pids", NULL },
	{ "rdma", "rdma", NULL },
	{ "misc", "misc", NULL },
	{ "debug", "debug", NULL },
};

static const char *v2_name_of(const char *v1)
{
	for (size_t i = 0; i < ELEMENTSOF(ctrl_table); i++)
		if (streq(ctrl_table[i].v1, v1))
			return ctrl_table[i].v2;
	/* Unknown to us: assume the same name on both. */
	return v1;
}

static const char *note_of(const char *v1)
{
	for (size_t i = 0; i < ELEMENTSOF(ctrl_table); i++)
		if (streq(ctrl_table[i].v1, v1))
			return ctrl_table[i].v2_note;
	return NULL;
}

/* A v1 hierarchy binds at most every controller the kernel has: its
 * masks are 16 bits wide (kernel/cgroup/cgroup.c, cgroup_init():
 * BUILD_BUG_ON(CGROUP_SUBSYS_COUNT > 16)); 64 leaves room for that to
 * grow. More names than this on one mount
 * are not the kernel's (a snapshot's): the rest are not kept, so the
 * controller look-ups stay linear in the input. */
#define SC_CGROUP_V1_OPTIONS_MAX 64

static void controller_done(struct sc_controller *c)
{
	free(c->name);
	free(c->v2_name);
	free(c->v1_mountpoint);
	sc_strv_free(c->co_mounted);
}

/* "#subsys_name\thierarchy\tnum_cgroups\tenabled" then one row each. */
int sc_proc_cgroups_parse(const char *text, struct sc_controller **ret, size_t *ret_n)
{
	struct sc_controller *v = NULL;
	size_t n = 0;

	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');
		_cleanup_free_ char *line = sc_xstrndup(l, (size_t)(eol - l));
		_cleanup_strv_free_ char **f = NULL;
		int h, nc, en;

		l = *eol ? eol + 1 : eol;
		if (!*sc_strstrip(line) || line[0] == '#')
			continue;
		f = sc_strv_split(line, " \t");
		if (sc_strv_length(f) != 4 || sc_parse_int(f[1], &h) < 0 ||
		    sc_parse_int(f[2], &nc) < 0 || sc_parse_int(f[3], &en) < 0) {
			for (size_t i = 0; i < n; i++)
				controller_done(&v[i]);
			free(v);
			return -EBADMSG;
		}
		struct sc_controller *c;

		/* The kernel has at most 16 controllers (see
		 * SC_CGROUP_V1_OPTIONS_MAX): more rows are not its. */
		if (n >= SC_CGROUP_V1_OPTIONS_MAX) {
			for (size_t i = 0; i < n; i++)
				controller_done(&v[i]);
			free(v);
			return -E2BIG;
		}
		c = SC_APPEND(v, n);
		c->name = sc_xstrdup(f[0]);
		c->hierarchy = h;
		c->num_cgroups = nc;
		c->enabled = en;
	}
	*ret = v;
	*ret_n = n;
	return (int)n;
}

static void add_oddity(struct sc_cgroup_facts *f, const char *id, char *detail)
{
	struct sc_oddity *o = SC_APPEND(f->oddities, f->n_oddities);
	o->id = sc_xstrdup(id);
	o->detail = detail;
}

static void probe_statfs(struct sc_root *root, struct sc_errlist *errs, const char *path,
			 struct sc_statfs_fact *ret)
{
	int k;

	ret->path = path;
	ret->magic = 0;
	k = sc_root_statfs(root, path, &ret->magic);
	ret->err = k < 0 ? -k : 0;
	if (k < 0 && k != -ENOENT)
		sc_errlist_add(errs, path, k);
}

static void collect_mounts(const struct sc_mounts *mounts, struct sc_cgroup_facts *f)
{
	for (size_t i = 0; i < mounts->n; i++) {
		const struct sc_mount *m = &mounts->v[i];
		struct sc_cgroup_mount *c;
		int version;

		if (streq(m->fstype, "cgroup"))
			version = 1;
		else if (streq(m->fstype, "cgroup2"))
			version = 2;
		else
			continue;

		c = SC_APPEND(f->mounts, f->n_mounts);
		c->mountpoint = sc_xstrdup(m->mountpoint);
		c->root = sc_xstrdup(m->root);
		c->source = sc_xstrdup(m->source);
		c->version = version;
		c->read_only = sc_mount_is_read_only(m);
		c->nsdelegate = sc_mount_has_option(m, "nsdelegate");
		c->memory_recursiveprot = sc_mount_has_option(m, "memory_recursiveprot");
		c->options = sc_xstrdup(m->options);
		c->super_options = sc_xstrdup(m->super_options);
		if (version == 1) {
			_cleanup_strv_free_ char **opts = sc_strv_split(m->super_options, ",");
			_cleanup_strv_builder_ struct sc_strv_builder ctl = {};

			/* v1 super options: rw/ro, then the controllers and
			 * "name=", plus hierarchy options. */
			for (char **o = opts; *o; o++) {
				const char *v;

				if ((v = startswith(*o, "name="))) {
					/* The last one wins, as in the kernel's
					 * parse_cgroup_root_flags(); the earlier
					 * copy is not leaked. */
					free(c->name);
					c->name = sc_xstrdup(v);
				} else if (streq(*o, "rw") || streq(*o, "ro") ||
					   streq(*o, "noprefix") || streq(*o, "xattr") ||
					   streq(*o, "none") || streq(*o, "clone_children") ||
					   startswith(*o, "release_agent=") ||
					   streq(*o, "cpuset_v2_mode") || streq(*o, "favordynmods"))
					continue;
				else if (ctl.n < SC_CGROUP_V1_OPTIONS_MAX)
					sc_strv_builder_push(&ctl, *o);
			}
			c->controllers = sc_strv_builder_take(&ctl);
		} else
			c->controllers = sc_xcalloc(1, sizeof(char *));
	}
}

/* Paths systemd and the runtimes mount cgroup hierarchies on. */
static bool is_expected_v2_path(const char *p)
{
	return streq(p, "/sys/fs/cgroup") || streq(p, "/sys/fs/cgroup/unified") ||
	       streq(p, "/sys/fs/cgroup/systemd");
}

static void find_oddities(struct sc_cgroup_facts *f, size_t n_bad_mount_lines)
{
	bool have_name_systemd = false;

	for (size_t i = 0; i < f->n_mounts; i++) {
		const struct sc_cgroup_mount *m = &f->mounts[i];

		if (m->version == 2 && !is_expected_v2_path(m->mountpoint))
			add_oddity(f, "cgroup2_elsewhere",
				   sc_xasprintf("cgroup2 is mounted on %s", m->mountpoint));
		if (m->version == 1 && streq(m->mountpoint, "/sys/fs/cgroup"))
			add_oddity(f, "v1_on_root",
				   sc_xasprintf("a v1 hierarchy (%s) is mounted directly on "
						"/sys/fs/cgroup",
						m->name ? m->name : m->super_options));
		if (m->version == 1 && streq_ptr(m->name, "systemd"))
			have_name_systemd = true;
		if (m->version == 1 && streq_ptr(m->name, "openrc"))
			add_oddity(
				f, "name_openrc_present",
				sc_xasprintf("an OpenRC hierarchy (name=openrc) is mounted on %s",
					     m->mountpoint));
		if (m->version == 2 && streq(m->mountpoint, "/sys/fs/cgroup/systemd"))
			add_oddity(f, "v232_hybrid_layout",
				   sc_xstrdup("cgroup2 on /sys/fs/cgroup/systemd: the systemd 232 "
					      "hybrid layout"));
	}
	if (f->mode == SC_CG_NONE)
		add_oddity(f, "nothing_mounted",
			   sc_xstrdup("no filesystem is mounted on /sys/fs/cgroup"));
	if (f->fs_root.err == 0 && f->fs_root.magic == SC_TMPFS_MAGIC && !have_name_systemd)
		add_oddity(f, "name_systemd_missing",
			   sc_xstrdup("a tmpfs is on /sys/fs/cgroup but no name=systemd v1 "
				      "hierarchy is mounted"));
	if (n_bad_mount_lines > 0)
		add_oddity(f, "mountinfo_unparsed",
			   sc_xasprintf("%zu mountinfo line(s) could not be parsed",
					n_bad_mount_lines));
}

/* For qsort() and bsearch() on arrays of strings. */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* On pointers into one strv: by name, then by place in the list, so of
 * equal neighbours the later one in the list comes second. */
static int cmp_name_then_place(const void *a, const void *b)
{
	char *const *x = *(char *const *const *)a, *const *y = *(char *const *const *)b;
	int k = strcmp(*x, *y);

	return k ? k : (x > y) - (x < y);
}

static void merge_controllers(struct sc_cgroup_facts *f)
{
	/* Rows from /proc/cgroups (the kernel's full list of controllers). */
	for (size_t i = 0; i < f->n_controllers; i++) {
		struct sc_controller *c = &f->controllers[i];
		const char *v2 = v2_name_of(c->name);

		c->v2_name = v2 ? sc_xstrdup(v2) : NULL;
		c->note = note_of(c->name);
		c->v2_available = v2 && sc_strv_contains(f->v2_controllers, v2);
		c->v2_enabled = v2 && sc_strv_contains(f->v2_subtree_control, v2);
		c->co_mounted = sc_xcalloc(1, sizeof(char *));

		for (size_t j = 0; j < f->n_mounts; j++) {
			const struct sc_cgroup_mount *m = &f->mounts[j];

			if (m->version != 1 || !sc_strv_contains(m->controllers, c->name))
				continue;
			/* The first mount of the hierarchy names it; bind
			 * mounts of sub-trees come later in mountinfo. */
			if (!c->v1_mountpoint) {
				c->v1_mountpoint = sc_xstrdup(m->mountpoint);
				for (char **o = m->controllers; *o; o++)
					if (!streq(*o, c->name))
						sc_strv_push(&c->co_mounted, *o);
			}
		}

		if (c->enabled == 0)
			c->where = SC_CTRL_DISABLED;
		else if (c->hierarchy > 0)
			c->where = c->v1_mountpoint ? SC_CTRL_V1 : SC_CTRL_V1_UNMOUNTED;
		else if (c->v2_available)
			c->where = SC_CTRL_V2;
		else
			c->where = SC_CTRL_UNBOUND;
	}

	/* Controllers cgroup2 lists that /proc/cgroups does not (it may be
	 * unreadable, or a newer kernel lists only v1-capable ones). Both
	 * cgroup2 lists are file contents of any length (a snapshot's 512 KiB
	 * cgroup.controllers took 21 s when each name was looked for in the
	 * growing table and in subtree_control): the rows of /proc/cgroups
	 * are few (SC_CGROUP_V1_OPTIONS_MAX at most), a name listed twice
	 * and subtree_control are found through sorted copies. */
	size_t n_rows = f->n_controllers, n_v2 = sc_strv_length(f->v2_controllers);
	size_t n_sub = sc_strv_length(f->v2_subtree_control);
	_cleanup_free_ bool *again = sc_xcalloc(n_v2 + 1, sizeof(bool));
	_cleanup_free_ char ***by_name = sc_xmalloc((n_v2 + 1) * sizeof(char **));
	_cleanup_free_ char **sub = sc_xmalloc((n_sub + 1) * sizeof(char *));

	for (size_t j = 0; j < n_v2; j++)
		by_name[j] = &f->v2_controllers[j];
	qsort(by_name, n_v2, sizeof(char **), cmp_name_then_place);
	for (size_t k = 1; k < n_v2; k++)
		if (streq(*by_name[k], *by_name[k - 1]))
			again[by_name[k] - f->v2_controllers] = true;
	for (size_t j = 0; j < n_sub; j++)
		sub[j] = f->v2_subtree_control[j];
	qsort(sub, n_sub, sizeof(char *), cmp_name);

	for (size_t j = 0; j < n_v2; j++) {
		const char *v = f->v2_controllers[j];
		bool known = again[j];

		for (size_t i = 0; i < n_rows && !known; i++)
			known = streq_ptr(f->controllers[i].v2_name, v);
		if (known)
			continue;
		struct sc_controller *c = SC_APPEND(f->controllers, f->n_controllers);
		c->name = sc_xstrdup(v);
		c->v2_name = sc_xstrdup(v);
		c->hierarchy = c->num_cgroups = c->enabled = -1;
		c->v2_available = true;
		c->v2_enabled = bsearch(&v, sub, n_sub, sizeof(char *), cmp_name) != NULL;
		c->co_mounted = sc_xcalloc(1, sizeof(char *));
		c->where = SC_CTRL_V2;
	}
}

/* Swap accounting. v1: memory.memsw.limit_in_bytes exists in the memory
 * hierarchy's root only when the kernel accounts swap (CONFIG_MEMCG_SWAP
 * and not swapaccount=0). v2: memory.swap.max exists in non-root cgroups
 * under the same conditions; the root cgroup never has it. */
static void probe_swap(struct sc_root *root, struct sc_cgroup_facts *f)
{
	const struct sc_controller *mem = sc_cgroup_find_controller(f, "memory");

	f->swap_accounting = SC_UNKNOWN;
	if (!mem) {
		f->swap_evidence = sc_xstrdup("no memory controller");
		return;
	}
	if (mem->where == SC_CTRL_V1) {
		_cleanup_free_ char *p =
			sc_xasprintf("%s/memory.memsw.limit_in_bytes", mem->v1_mountpoint);
		int k = sc_root_exists(root, p);

		f->swap_accounting = k == 0 ? SC_YES : k == -ENOENT ? SC_NO : SC_UNKNOWN;
		f->swap_evidence = sc_xasprintf("%s %s", p,
						k == 0	       ? "exists"
						: k == -ENOENT ? "is absent"
							       : sc_strerror(k));
		return;
	}
	if (mem->where == SC_CTRL_V2 && f->v2_path) {
		_cleanup_strv_free_ char **children = NULL;

		if (sc_root_list(root, f->v2_path, &children) < 0) {
			f->swap_evidence = sc_xasprintf("%s is not readable", f->v2_path);
			return;
		}
		for (char **c = children; *c; c++) {
			_cleanup_free_ char *dir = sc_xasprintf("%s/%s", f->v2_path, *c);
			_cleanup_free_ char *mem_max = sc_xasprintf("%s/memory.max", dir);
			_cleanup_free_ char *swap_max = sc_xasprintf("%s/memory.swap.max", dir);

			/* Only a child with the memory controller enabled
			 * tells: it has memory.max. */
			if (sc_root_exists(root, mem_max) < 0)
				continue;
			if (sc_root_exists(root, swap_max) == 0) {
				f->swap_accounting = SC_YES;
				f->swap_evidence = sc_xasprintf("%s exists", swap_max);
			} else {
				f->swap_accounting = SC_NO;
				f->swap_evidence = sc_xasprintf("%s has memory.max but no "
								"memory.swap.max",
								dir);
			}
			return;
		}
		f->swap_evidence = sc_xasprintf("no child of %s has the memory controller "
						"enabled",
						f->v2_path);
		return;
	}
	f->swap_evidence =
		sc_xasprintf("memory controller is %s", sc_ctrl_where_to_string(mem->where));
}

/* systemd's running_in_cgroupns() (src/basic/virt.c): the cgroup2 root has
 * no cgroup.type, a non-root cgroup has; the v1 name=systemd root has a
 * release_agent file, nothing below it has. */
static void probe_cgroupns(struct sc_root *root, struct sc_cgroup_facts *f)
{
	_cleanup_free_ char *p = NULL;
	int k;

	f->in_cgroupns = SC_UNKNOWN;
	if (f->v2_path) {
		p = sc_xasprintf("%s/cgroup.type", f->v2_path);
		k = sc_root_exists(root, p);
		if (k == 0)
			f->in_cgroupns = SC_YES;
		else if (k == -ENOENT)
			f->in_cgroupns = f->features ? SC_NO : SC_UNKNOWN;
	} else if (f->mode == SC_CG_LEGACY) {
		k = sc_root_exists(root, "/sys/fs/cgroup/systemd/release_agent");
		f->in_cgroupns = k == 0 ? SC_NO : k == -ENOENT ? SC_YES : SC_UNKNOWN;
	}
}

/* A cgroup file's name (cgroup.procs, memory.max, ...) rather than a
 * child cgroup's: a directory may have a dot in its name (init.scope),
 * a file starts with a controller's or cgroup's prefix. */
static bool cgroup_file_name(const char *name)
{
	static const char *const prefixes[] = { "cgroup.", "cpu.",  "cpuset.",	"io.",
						"memory.", "pids.", "hugetlb.", "misc.",
						"rdma.",   "irq." };

	for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
		if (startswith(name, prefixes[i]))
			return true;
	return false;
}

/* Appends path's child cgroups (those with a cgroup.subtree_control),
 * whose names start with prefix and end with suffix, when given. */
static void tree_children(struct sc_root *root, struct sc_cgroup_facts *f, const char *path,
			  const char *prefix, const char *suffix)
{
	_cleanup_strv_free_ char **names = NULL;
	_cleanup_free_ char *dir = sc_xasprintf("%s%s", f->v2_path, streq(path, "/") ? "" : path);

	if (sc_root_list(root, dir, &names) < 0)
		return;
	sc_strv_sort(names);
	for (char **n = names; *n && f->n_v2_tree < SC_CGROUP_TREE_MAX; n++) {
		_cleanup_free_ char *p = NULL, *text = NULL;
		struct sc_cgroup_ancestor *a;

		if (cgroup_file_name(*n) || (prefix && !startswith(*n, prefix)) ||
		    (suffix && !endswith(*n, suffix)))
			continue;
		p = sc_xasprintf("%s/%s/cgroup.subtree_control", dir, *n);
		/* Quietly: a file that is not a cgroup is not an error. */
		if (sc_root_read(root, p, 64 * 1024, &text, NULL) < 0)
			continue;
		a = SC_APPEND(f->v2_tree, f->n_v2_tree);
		a->path = sc_xasprintf("%s/%s", streq(path, "/") ? "" : path, *n);
		a->subtree_control = sc_strv_split(text, " \n");
	}
}

static int ancestor_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sc_cgroup_ancestor *)a)->path,
		      ((const struct sc_cgroup_ancestor *)b)->path);
}

void sc_cgroup_probe_tree(struct sc_root *root, struct sc_cgroup_facts *f)
{
	size_t n_top;

	if (!f->v2_path || f->n_v2_tree)
		return;

	tree_children(root, f, "/", NULL, NULL);
	n_top = f->n_v2_tree;
	for (size_t i = 0; i < n_top; i++)
		if (streq(f->v2_tree[i].path, "/user.slice")) {
			size_t from = f->n_v2_tree;

			tree_children(root, f, "/user.slice", "user-", ".slice");
			for (size_t j = from, to = f->n_v2_tree; j < to; j++) {
				_cleanup_free_ char *up = sc_xstrdup(f->v2_tree[j].path);
				tree_children(root, f, up, "user@", ".service");
			}
		}
	if (f->n_v2_tree > 1)
		qsort(f->v2_tree, f->n_v2_tree, sizeof(*f->v2_tree), ancestor_cmp);
}

void sc_cgroup_probe(struct sc_root *root, const struct sc_mounts *mounts, struct sc_errlist *errs,
		     struct sc_cgroup_facts *ret)
{
	struct sc_cgroup_facts f = {};
	_cleanup_free_ char *pc = NULL;
	int k;

	probe_statfs(root, errs, "/sys/fs/cgroup", &f.fs_root);
	probe_statfs(root, errs, "/sys/fs/cgroup/unified", &f.fs_unified);
	probe_statfs(root, errs, "/sys/fs/cgroup/systemd", &f.fs_systemd);
	f.mode = sc_cgroup_mode_from_statfs(&f.fs_root, &f.fs_unified, &f.fs_systemd);

	if (f.mode == SC_CG_UNIFIED)
		f.v2_path = sc_xstrdup("/sys/fs/cgroup");
	else if (f.mode == SC_CG_HYBRID)
		f.v2_path = sc_xstrdup(f.fs_unified.err == 0 &&
						       f.fs_unified.magic == SC_CGROUP2_SUPER_MAGIC
					       ? "/sys/fs/cgroup/unified"
					       : "/sys/fs/cgroup/systemd");

	collect_mounts(mounts, &f);

	k = sc_probe_read(root, errs, "/proc/cgroups", &pc);
	if (k >= 0)
		k = sc_proc_cgroups_parse(pc, &f.controllers, &f.n_controllers);
	f.proc_cgroups_err = k < 0 ? -k : 0;

	if (f.v2_path) {
		_cleanup_free_ char *p1 = sc_xasprintf("%s/cgroup.controllers", f.v2_path);
		_cleanup_free_ char *p2 = sc_xasprintf("%s/cgroup.subtree_control", f.v2_path);

		(void)sc_probe_read_list(root, errs, p1, &f.v2_controllers);
		(void)sc_probe_read_list(root, errs, p2, &f.v2_subtree_control);
	}
	(void)sc_probe_read_list(root, errs, "/sys/kernel/cgroup/features", &f.features);
	(void)sc_probe_read_list(root, errs, "/sys/kernel/cgroup/delegate", &f.delegate);

	merge_controllers(&f);
	find_oddities(&f, mounts->n_bad);
	probe_swap(root, &f);
	probe_cgroupns(root, &f);
	*ret = f;
}

void sc_cgroup_facts_done(struct sc_cgroup_facts *f)
{
	free(f->v2_path);
	for (size_t i = 0; i < f->n_mounts; i++) {
		struct sc_cgroup_mount *m = &f->mounts[i];
		free(m->mountpoint);
		free(m->root);
		free(m->source);
		sc_strv_free(m->controllers);
		free(m->name);
		free(m->options);
		free(m->super_options);
	}
	free(f->mounts);
	for (size_t i = 0; i < f->n_controllers; i++)
		controller_done(&f->controllers[i]);
	free(f->controllers);
	sc_strv_free(f->v2_controllers);
	sc_strv_free(f->v2_subtree_control);
	for (size_t i = 0; i < f->n_v2_tree; i++) {
		free(f->v2_tree[i].path);
		sc_strv_free(f->v2_tree[i].subtree_control);
	}
	free(f->v2_tree);
	sc_strv_free(f->features);
	sc_strv_free(f->delegate);
	free(f->swap_evidence);
	for (size_t i = 0; i < f->n_oddities; i++) {
		free(f->oddities[i].id);
		free(f->oddities[i].detail);
	}
	free(f->oddities);
	*f = (struct sc_cgroup_facts){};
}

const struct sc_controller *sc_cgroup_find_controller(const struct sc_cgroup_facts *f,
						      const char *name)
{
	for (size_t i = 0; i < f->n_controllers; i++)
		if (streq(f->controllers[i].name, name) ||
		    streq_ptr(f->controllers[i].v2_name, name))
			return &f->controllers[i];
	return NULL;
}

bool sc_cgroup_has_oddity(const struct sc_cgroup_facts *f, const char *id)
{
	for (size_t i = 0; i < f->n_oddities; i++)
		if (streq(f->oddities[i].id, id))
			return true;
	return false;
}

const struct sc_cgroup_mount *sc_cgroup_find_mount(const struct sc_cgroup_facts *f,
						   const char *mountpoint)
{
	const struct sc_cgroup_mount *found = NULL;

	/* The last one listed is the one stacked on top. */
	for (size_t i = 0; i < f->n_mounts; i++)
		if (streq(f->mounts[i].mountpoint, mountpoint))
			found = &f->mounts[i];
	return found;
}
