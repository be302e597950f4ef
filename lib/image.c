/* SPDX-License-Identifier: MIT */
/* The image probe: reads an unpacked host root file system through
 * sc_root (a symlink in the image resolves inside it, a FIFO or a huge
 * file is refused by the read layer) and predicts the host it boots
 * into. Every fact keeps its FILE:LINE; nothing is executed, no shell
 * file is sourced (their assignments are parsed as text). */
#include <ctype.h>
#include <stdio.h>

#include "image.h"
#include "util.h"

/* Configuration files are small; a bigger one is not configuration. */
#define IMG_READ_MAX (1024u * 1024u)
/* grub.cfg may be long, still bounded. */
#define IMG_GRUB_CFG_MAX (4u * 1024u * 1024u)

static const char *const kconfig_names[_SC_KC_MAX] = {
	[SC_KC_NAMESPACES] = "NAMESPACES",
	[SC_KC_UTS_NS] = "UTS_NS",
	[SC_KC_IPC_NS] = "IPC_NS",
	[SC_KC_PID_NS] = "PID_NS",
	[SC_KC_NET_NS] = "NET_NS",
	[SC_KC_USER_NS] = "USER_NS",
	[SC_KC_CGROUPS] = "CGROUPS",
	[SC_KC_CGROUP_CPUACCT] = "CGROUP_CPUACCT",
	[SC_KC_CGROUP_DEVICE] = "CGROUP_DEVICE",
	[SC_KC_CGROUP_FREEZER] = "CGROUP_FREEZER",
	[SC_KC_CGROUP_SCHED] = "CGROUP_SCHED",
	[SC_KC_CPUSETS] = "CPUSETS",
	[SC_KC_MEMCG] = "MEMCG",
	[SC_KC_CGROUP_PIDS] = "CGROUP_PIDS",
	[SC_KC_BLK_CGROUP] = "BLK_CGROUP",
	[SC_KC_CGROUP_HUGETLB] = "CGROUP_HUGETLB",
	[SC_KC_CGROUP_PERF] = "CGROUP_PERF",
	[SC_KC_NET_CLS_CGROUP] = "NET_CLS_CGROUP",
	[SC_KC_CGROUP_NET_PRIO] = "CGROUP_NET_PRIO",
	[SC_KC_CGROUP_RDMA] = "CGROUP_RDMA",
	[SC_KC_CGROUP_MISC] = "CGROUP_MISC",
	[SC_KC_CGROUP_BPF] = "CGROUP_BPF",
	[SC_KC_CFS_BANDWIDTH] = "CFS_BANDWIDTH",
	[SC_KC_FAIR_GROUP_SCHED] = "FAIR_GROUP_SCHED",
	[SC_KC_MEMCG_SWAP] = "MEMCG_SWAP",
	[SC_KC_SWAP] = "SWAP",
	[SC_KC_SECCOMP] = "SECCOMP",
	[SC_KC_SECCOMP_FILTER] = "SECCOMP_FILTER",
	[SC_KC_KEYS] = "KEYS",
	[SC_KC_VETH] = "VETH",
	[SC_KC_BRIDGE] = "BRIDGE",
	[SC_KC_OVERLAY_FS] = "OVERLAY_FS",
	[SC_KC_POSIX_MQUEUE] = "POSIX_MQUEUE",
	[SC_KC_MODULES] = "MODULES",
	[SC_KC_MEMCG_V1] = "MEMCG_V1",
	[SC_KC_CPUSETS_V1] = "CPUSETS_V1",
};

const char *sc_kconfig_name(unsigned i)
{
	return i < _SC_KC_MAX ? kconfig_names[i] : "?";
}

static const char *const engine_names[_SC_ENGINE_MAX] = {
	[SC_ENGINE_DOCKER] = "docker",
	[SC_ENGINE_PODMAN] = "podman",
	[SC_ENGINE_CONTAINERD] = "containerd",
	[SC_ENGINE_LXC] = "lxc",
};

const char *sc_engine_to_string(enum sc_engine e)
{
	return (unsigned)e < _SC_ENGINE_MAX ? engine_names[e] : "?";
}

/* ---- small helpers ----------------------------------------------------------- */

static void val_set(struct sc_image_val *v, const char *value, const char *file, unsigned line)
{
	free(v->value);
	free(v->source);
	v->value = value ? sc_xstrdup(value) : NULL;
	v->source = !file ? NULL : line ? sc_xasprintf("%s:%u", file, line) : sc_xstrdup(file);
	v->dflt = false;
}

static void val_default(struct sc_image_val *v, const char *value, const char *why)
{
	val_set(v, value, why, 0);
	v->dflt = true;
}

static void val_done(struct sc_image_val *v)
{
	free(v->value);
	free(v->source);
	*v = (struct sc_image_val){};
}

/* A configuration file: NULL when absent; any other failure (a FIFO, a
 * file too big, a symlink that leads nowhere inside the image) is a read
 * error of the image, recorded. */
static char *read_conf(struct sc_root *root, struct sc_image_facts *f, const char *path, size_t max)
{
	char *data = NULL;
	int k = sc_root_read(root, path, max, &data, NULL);

	if (k < 0) {
		if (k != -ENOENT && k != -ENOTDIR)
			sc_errlist_add(&f->errors, path, k);
		return NULL;
	}
	return data;
}

static bool exists(struct sc_root *root, const char *path)
{
	return sc_root_exists(root, path) == 0;
}

/* The first of paths that exists, or NULL. */
static const char *first_existing(struct sc_root *root, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (exists(root, paths[i]))
			return paths[i];
	return NULL;
}

/* Iterate the lines of text: *line is NUL-terminated in a copy. */
struct lines {
	char *buf, *p;
	unsigned no;
};

static void lines_init(struct lines *l, const char *text)
{
	l->buf = sc_xstrdup(text ? text : "");
	l->p = l->buf;
	l->no = 0;
}

static char *lines_next(struct lines *l)
{
	char *s = l->p, *nl;

	if (!s || !*s)
		return NULL;
	nl = strchr(s, '\n');
	if (nl) {
		*nl = 0;
		l->p = nl + 1;
	} else
		l->p = s + strlen(s);
	l->no++;
	return s;
}

static void lines_done(struct lines *l)
{
	free(l->buf);
}

char *sc_image_shell_value(const char *line, const char *key)
{
	const char *p = line;
	size_t kl = strlen(key);
	_cleanup_free_ char *out = NULL;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "export ", 7) == 0)
		p += 7;
	if (strncmp(p, key, kl) != 0 || p[kl] != '=')
		return NULL;
	p += kl + 1;
	out = sc_xmalloc(strlen(p) + 1);
	/* Words glued together: "a b"'c'd, up to an unquoted blank or #. */
	while (*p && *p != ' ' && *p != '\t' && *p != '#' && *p != ';') {
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q) {
				if (q == '"' && *p == '\\' && p[1])
					p++;
				out[n++] = *p++;
			}
			if (*p)
				p++;
		} else {
			if (*p == '\\' && p[1])
				p++;
			out[n++] = *p++;
		}
	}
	out[n] = 0;
	return TAKE_PTR(out);
}

/* Expand $NAME and ${NAME} of the given variables only (what grub.d
 * snippets do: GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX quiet"). */
static char *expand_vars(const char *s, const char *const *names, char *const *values, size_t n)
{
	struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **parts = NULL;
	char *out;

	while (*s) {
		bool done = false;

		if (*s == '$') {
			for (size_t i = 0; i < n && !done; i++) {
				size_t l = strlen(names[i]);

				if (s[1] == '{' && strncmp(s + 2, names[i], l) == 0 &&
				    s[2 + l] == '}') {
					sc_strv_builder_push(&b, values[i] ? values[i] : "");
					s += l + 3;
					done = true;
				} else if (strncmp(s + 1, names[i], l) == 0 &&
					   !(isalnum((unsigned char)s[1 + l]) || s[1 + l] == '_')) {
					sc_strv_builder_push(&b, values[i] ? values[i] : "");
					s += l + 1;
					done = true;
				}
			}
		}
		if (!done) {
			sc_strv_builder_consume(&b, sc_xstrndup(s, 1));
			s++;
		}
	}
	parts = sc_strv_builder_take(&b);
	out = sc_strv_join(parts, "");
	return out;
}

static void collapse_spaces(char *s)
{
	char *o = s;
	bool sp = true;

	for (char *p = s; *p; p++) {
		bool blank = *p == ' ' || *p == '\t';

		if (blank && sp)
			continue;
		*o++ = blank ? ' ' : *p;
		sp = blank;
	}
	if (o > s && o[-1] == ' ')
		o--;
	*o = 0;
}

static int version_cmp_desc(const void *a, const void *b)
{
	return strverscmp(*(char *const *)b, *(char *const *)a);
}

/* ---- kernels ----------------------------------------------------------------- */

static void parse_kconfig(const char *text, struct sc_kconfig *opts)
{
	struct lines l;
	char *s;

	for (unsigned i = 0; i < _SC_KC_MAX; i++)
		opts[i] = (struct sc_kconfig){ kconfig_names[i], 0, 0 };
	lines_init(&l, text);
	while ((s = lines_next(&l))) {
		const char *name = NULL;
		char v = 0;
		size_t nl;

		if (strncmp(s, "CONFIG_", 7) == 0) {
			char *eq = strchr(s, '=');

			if (!eq)
				continue;
			*eq = 0;
			name = s + 7;
			v = eq[1] == 'y' ? 'y' : eq[1] == 'm' ? 'm' : eq[1] == 'n' ? 'n' : 'y';
		} else if (strncmp(s, "# CONFIG_", 9) == 0 && strstr(s, " is not set")) {
			name = s + 9;
			nl = strcspn(name, " ");
			s[9 + nl] = 0;
			v = 'n';
		} else
			continue;
		for (unsigned i = 0; i < _SC_KC_MAX; i++)
			if (streq(name, kconfig_names[i])) {
				opts[i].value = v;
				opts[i].line = l.no;
			}
	}
	lines_done(&l);
}

static void probe_kernels(struct sc_root *root, struct sc_image_facts *f)
{
	_cleanup_strv_free_ char **boot = NULL, **mods = NULL;
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **rels = NULL;

	/* /boot/vmlinuz-RELEASE (Debian, Ubuntu, Fedora's copies), and the
	 * module trees: /usr/lib/modules/RELEASE (merged /usr) or
	 * /lib/modules/RELEASE. */
	if (sc_root_list(root, "/boot", &boot) >= 0)
		for (char **e = boot; *e; e++)
			if (strncmp(*e, "vmlinuz-", 8) == 0 && (*e)[8])
				sc_strv_builder_push(&b, *e + 8);
	if (sc_root_list(root, "/usr/lib/modules", &mods) >= 0 ||
	    sc_root_list(root, "/lib/modules", &mods) >= 0)
		for (char **e = mods; *e; e++) {
			bool seen = false;

			for (size_t i = 0; i < b.n; i++)
				seen |= streq(b.v[i], *e);
			if (!seen && isdigit((unsigned char)**e))
				sc_strv_builder_push(&b, *e);
		}
	rels = sc_strv_builder_take(&b);
	qsort(rels, sc_strv_length(rels), sizeof(char *), version_cmp_desc);
	f->n_kernels = sc_strv_length(rels);
	f->kernels = sc_xcalloc(f->n_kernels + 1, sizeof(*f->kernels));
	for (size_t i = 0; i < f->n_kernels; i++) {
		struct sc_image_kernel *k = &f->kernels[i];
		_cleanup_free_ char *vml = sc_xasprintf("/boot/vmlinuz-%s", rels[i]);
		char *paths[3] = {
			sc_xasprintf("/boot/config-%s", rels[i]),
			sc_xasprintf("/usr/lib/modules/%s/config", rels[i]),
			sc_xasprintf("/lib/modules/%s/config", rels[i]),
		};

		k->release = sc_xstrdup(rels[i]);
		if (exists(root, vml))
			k->image = TAKE_PTR(vml);
		k->config_err = -ENOENT;
		for (size_t j = 0; j < ELEMENTSOF(paths) && k->config_err == -ENOENT; j++) {
			_cleanup_free_ char *text = NULL;
			int r = sc_root_read(root, paths[j], 16u * 1024u * 1024u, &text, NULL);

			if (r == -ENOENT || r == -ENOTDIR)
				continue;
			k->config_err = r < 0 ? r : 0;
			k->config = sc_xstrdup(paths[j]);
			if (r < 0)
				sc_errlist_add(&f->errors, paths[j], r);
			else
				parse_kconfig(text, k->opts);
		}
		if (k->config_err)
			for (unsigned o = 0; o < _SC_KC_MAX; o++)
				k->opts[o] = (struct sc_kconfig){ kconfig_names[o], 0, 0 };
		for (size_t j = 0; j < ELEMENTSOF(paths); j++)
			free(paths[j]);
	}
}

/* ---- the kernel command line ------------------------------------------------ */

/* grub-mkconfig (util/grub.d/10_linux.in) writes the default entry as
 * "linux /vmlinuz-REL root=... ro ${GRUB_CMDLINE_LINUX}
 * ${GRUB_CMDLINE_LINUX_DEFAULT}", after sourcing /etc/default/grub and
 * then /etc/default/grub.d/NAME.cfg. The last assignment wins. */
static bool probe_default_grub(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const names[] = { "GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT" };
	char *values[2] = {}, *where[2] = {};
	_cleanup_strv_builder_ struct sc_strv_builder files = {};
	_cleanup_strv_free_ char **fl = NULL, **d = NULL;
	bool found = false;

	sc_strv_builder_push(&files, "/etc/default/grub");
	if (sc_root_list(root, "/etc/default/grub.d", &d) >= 0)
		for (char **e = d; *e; e++) {
			size_t l = strlen(*e);
			if (l > 4 && streq(*e + l - 4, ".cfg"))
				sc_strv_builder_consume(&files,
							sc_xasprintf("/etc/default/grub.d/%s", *e));
		}
	fl = sc_strv_builder_take(&files);
	for (char **file = fl; *file; file++) {
		_cleanup_free_ char *text = read_conf(root, f, *file, IMG_READ_MAX);
		struct lines l;
		char *s;

		if (!text)
			continue;
		found = true;
		lines_init(&l, text);
		while ((s = lines_next(&l)))
			for (size_t i = 0; i < 2; i++) {
				_cleanup_free_ char *raw = sc_image_shell_value(s, names[i]);

				if (!raw)
					continue;
				char *nv = expand_vars(raw, names, values, 2);

				free(values[i]);
				values[i] = nv;
				free(where[i]);
				where[i] = sc_xasprintf("%s:%u", *file, l.no);
			}
		lines_done(&l);
	}
	if (found) {
		_cleanup_free_ char *cl = sc_xasprintf("%s %s", values[0] ? values[0] : "",
						       values[1] ? values[1] : "");
		_cleanup_free_ char *src = NULL;

		collapse_spaces(cl);
		src = where[0] && where[1] ? sc_xasprintf("%s, %s", where[0], where[1])
		      : where[0]	   ? sc_xstrdup(where[0])
		      : where[1]	   ? sc_xstrdup(where[1])
					   : sc_xstrdup("/etc/default/grub");
		val_set(&f->cmdline, cl, src, 0);
		f->loader = sc_xstrdup("grub");
	}
	for (size_t i = 0; i < 2; i++) {
		free(values[i]);
		free(where[i]);
	}
	return found;
}

/* The first "linux" line of /boot/grub/grub.cfg: what GRUB boots by
 * default now (GRUB_DEFAULT=0), the words after the kernel's path. */
static char *grub_cfg_cmdline(struct sc_root *root, struct sc_image_facts *f, char **ret_where)
{
	static const char *const cfgs[] = { "/boot/grub/grub.cfg", "/boot/grub2/grub.cfg" };

	for (size_t i = 0; i < ELEMENTSOF(cfgs); i++) {
		_cleanup_free_ char *text = read_conf(root, f, cfgs[i], IMG_GRUB_CFG_MAX);
		struct lines l;
		char *s, *out = NULL;

		if (!text)
			continue;
		lines_init(&l, text);
		while ((s = lines_next(&l))) {
			while (*s == ' ' || *s == '\t')
				s++;
			if (strncmp(s, "linux ", 6) && strncmp(s, "linux\t", 6) &&
			    strncmp(s, "linuxefi ", 9) && strncmp(s, "linux16 ", 8))
				continue;
			s += strcspn(s, " \t");
			s += strspn(s, " \t");
			s += strcspn(s, " \t"); /* the kernel's path */
			out = sc_xstrdup(s);
			collapse_spaces(out);
			*ret_where = sc_xasprintf("%s:%u", cfgs[i], l.no);
			break;
		}
		lines_done(&l);
		if (out)
			return out;
	}
	return NULL;
}

/* systemd-boot: loader entries (Boot Loader Specification type 1), the
 * "options" lines of the entry that sorts first (sd-boot sorts by version,
 * newest first), and /etc/kernel/cmdline (kernel-install, UKIs). */
static char *loader_entry_cmdline(struct sc_root *root, struct sc_image_facts *f, char **ret_where)
{
	static const char *const dirs[] = { "/boot/loader/entries", "/efi/loader/entries",
					    "/boot/efi/loader/entries" };

	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_strv_free_ char **e = NULL;
		size_t n;

		if (sc_root_list(root, dirs[i], &e) < 0)
			continue;
		n = sc_strv_length(e);
		qsort(e, n, sizeof(char *), version_cmp_desc);
		for (size_t j = 0; j < n; j++) {
			_cleanup_free_ char *p = NULL, *text = NULL;
			_cleanup_strv_builder_ struct sc_strv_builder b = {};
			_cleanup_strv_free_ char **opts = NULL;
			unsigned first = 0;
			struct lines l;
			char *s;

			if (strlen(e[j]) < 6 || !streq(e[j] + strlen(e[j]) - 5, ".conf"))
				continue;
			p = sc_xasprintf("%s/%s", dirs[i], e[j]);
			text = read_conf(root, f, p, IMG_READ_MAX);
			if (!text)
				continue;
			lines_init(&l, text);
			while ((s = lines_next(&l)))
				if (strncmp(s, "options", 7) == 0 &&
				    (s[7] == ' ' || s[7] == '\t')) {
					sc_strv_builder_push(&b, s + 8);
					if (!first)
						first = l.no;
				}
			lines_done(&l);
			opts = sc_strv_builder_take(&b);
			if (!first)
				continue;
			*ret_where = sc_xasprintf("%s:%u", p, first);
			char *out = sc_strv_join(opts, " ");
			collapse_spaces(out);
			return out;
		}
	}
	return NULL;
}

static void probe_cmdline(struct sc_root *root, struct sc_image_facts *f)
{
	_cleanup_free_ char *cfg = NULL, *cfg_where = NULL, *le = NULL, *le_where = NULL;
	_cleanup_free_ char *kc = NULL;
	bool grub = probe_default_grub(root, f);

	cfg = grub_cfg_cmdline(root, f, &cfg_where);
	le = loader_entry_cmdline(root, f, &le_where);
	kc = read_conf(root, f, "/etc/kernel/cmdline", IMG_READ_MAX);
	if (kc) {
		kc[strcspn(kc, "\n")] = 0;
		collapse_spaces(kc);
	}

	/* grub.cfg is what boots now; /etc/default/grub what the next
	 * update-grub writes (every kernel install runs it): the latter is
	 * the prediction, a grub.cfg that disagrees is shown next to it. */
	if (cfg) {
		if (!grub) {
			val_set(&f->cmdline, cfg, cfg_where, 0);
			f->loader = sc_xstrdup("grub");
		}
		sc_strv_consume(&f->cmdline_also, sc_xasprintf("%s: %s", cfg_where, cfg));
	}
	if (le) {
		if (!f->loader) {
			val_set(&f->cmdline, le, le_where, 0);
			f->loader = sc_xstrdup("systemd-boot");
		}
		sc_strv_consume(&f->cmdline_also, sc_xasprintf("%s: %s", le_where, le));
	}
	if (kc) {
		if (!f->loader) {
			val_set(&f->cmdline, kc, "/etc/kernel/cmdline", 1);
			f->loader = sc_xstrdup("kernel-cmdline");
		}
		sc_strv_consume(&f->cmdline_also, sc_xasprintf("/etc/kernel/cmdline:1: %s", kc));
	}
	if (f->cmdline.value)
		sc_cmdline_parse(f->cmdline.value, &f->params, &f->n_params);
}

/* ---- init system and cgroup mode ---------------------------------------------- */

static const struct sc_kernel_param *param(const struct sc_kernel_param *p, size_t n,
					   const char *key)
{
	const struct sc_kernel_param *found = NULL;

	for (size_t i = 0; i < n; i++)
		if (streq(p[i].key, key))
			found = &p[i];
	return found;
}

/* systemd's proc_cmdline_get_bool(): a bare key is true, else
 * parse_boolean(). -1 when absent or not a boolean. */
static int param_bool(const struct sc_kernel_param *p, size_t n, const char *key)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
	const struct sc_kernel_param *kp = param(p, n, key);

	if (!kp)
		return -1;
	if (!kp->value)
		return 1;
	for (size_t i = 0; i < ELEMENTSOF(yes); i++)
		if (strcasecmp(kp->value, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < ELEMENTSOF(no); i++)
		if (strcasecmp(kp->value, no[i]) == 0)
			return 0;
	return -1;
}

enum sc_cgroup_mode sc_image_systemd_mode(const struct sc_systemd_version *v,
					  const char *default_hierarchy,
					  const struct sc_kernel_param *params, size_t n_params,
					  char **ret_why)
{
	const struct sc_kernel_param *nov1 = param(params, n_params, "cgroup_no_v1");
	int unified = param_bool(params, n_params, "systemd.unified_cgroup_hierarchy");
	int legacy_ctl = param_bool(params, n_params, "systemd.legacy_systemd_cgroup_controller");
	const char *dflt = default_hierarchy;

	if (v->major >= 258) {
		*ret_why = sc_xasprintf(
			"systemd %d has no cgroup v1 support (v258 NEWS): unified whatever the "
			"command line says",
			v->major);
		return SC_CG_UNIFIED;
	}
	if (v->major >= 0 && v->major < 230) {
		*ret_why = sc_xasprintf("systemd %d predates cgroup v2 support: legacy", v->major);
		return SC_CG_LEGACY;
	}
	/* The build default: meson default-hierarchy= (v233..v255), unified
	 * since v243 upstream and in every distribution build of 247+; v256
	 * dropped the option (unified). */
	if (!dflt)
		dflt = v->major >= 243 ? "unified" : "hybrid";
	/* cg_is_unified_wanted(): the command line, then cgroup_no_v1=all,
	 * then the build default (nothing is mounted yet at boot, no v1
	 * hierarchy in use). */
	if (unified == 1) {
		*ret_why = sc_xstrdup("systemd.unified_cgroup_hierarchy=1 on the command line");
		return SC_CG_UNIFIED;
	}
	if (unified < 0) {
		if (nov1 && streq_ptr(nov1->value, "all")) {
			*ret_why = sc_xstrdup("cgroup_no_v1=all on the command line");
			return SC_CG_UNIFIED;
		}
		if (streq(dflt, "unified")) {
			*ret_why = sc_xasprintf("systemd's build default (%s), nothing on the "
						"command line",
						dflt);
			return SC_CG_UNIFIED;
		}
	}
	/* cg_is_hybrid_wanted(): systemd.legacy_systemd_cgroup_controller
	 * inverts, else the default says hybrid when it is hybrid or
	 * unified. */
	if (legacy_ctl == 1) {
		*ret_why =
			sc_xstrdup(unified == 0 ? "systemd.unified_cgroup_hierarchy=0 and "
						  "systemd.legacy_systemd_cgroup_controller=1"
						: "systemd.legacy_systemd_cgroup_controller=1 and "
						  "a legacy build default");
		return SC_CG_LEGACY;
	}
	if (legacy_ctl == 0 || !streq(dflt, "legacy")) {
		*ret_why = sc_xstrdup(unified == 0 ? "systemd.unified_cgroup_hierarchy=0 on the "
						     "command line"
						   : "systemd's build default is hybrid");
		return SC_CG_HYBRID;
	}
	*ret_why = sc_xstrdup("systemd's build default is legacy");
	return SC_CG_LEGACY;
}

/* The last assignment of key in an OpenRC-style shell file. */
static void shell_conf(struct sc_root *root, struct sc_image_facts *f, const char *file,
		       const char *key, struct sc_image_val *ret)
{
	_cleanup_free_ char *text = read_conf(root, f, file, IMG_READ_MAX);
	struct lines l;
	char *s;

	if (!text)
		return;
	lines_init(&l, text);
	while ((s = lines_next(&l))) {
		_cleanup_free_ char *v = sc_image_shell_value(s, key);

		if (v)
			val_set(ret, v, file, l.no);
	}
	lines_done(&l);
}

static void probe_init(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const openrc[] = { "/sbin/openrc", "/usr/sbin/openrc",
					      "/sbin/openrc-init", "/usr/sbin/openrc-init" };
	const struct sc_kernel_param *init = param(f->params, f->n_params, "init");
	struct sc_systemd_image *s = &f->systemd;
	const char *o;

	sc_systemd_probe(root, s);
	if (s->found)
		val_set(&f->systemd_version, s->version, s->source, 0);
	if (init && init->value && !strstr(init->value, "systemd")) {
		/* init= names PID 1: not followed, it is a path in the image
		 * that the kernel would run. */
		_cleanup_free_ char *w =
			sc_xasprintf("%s (init=%s)", f->cmdline.source, init->value);
		val_set(&f->init, strstr(init->value, "openrc") ? "openrc" : "other", w, 0);
	} else if (s->init_is_systemd == SC_YES) {
		_cleanup_free_ char *chain = sc_strv_join(s->init_chain, " -> ");
		val_set(&f->init, "systemd", chain, 0);
	} else if ((o = first_existing(root, openrc, ELEMENTSOF(openrc)))) {
		_cleanup_free_ char *w = sc_xasprintf("%s exists, /sbin/init is %s", o,
						      s->init_path ? s->init_path : "absent");
		val_set(&f->init, "openrc", w, 0);
	} else if (s->init_path) {
		val_set(&f->init, "other", s->init_path, 0);
	}

	if (streq_ptr(f->init.value, "systemd") && s->found) {
		if (s->default_hierarchy)
			val_set(&f->default_hierarchy, s->default_hierarchy, s->source, 0);
		else
			val_default(&f->default_hierarchy, s->v.major >= 243 ? "unified" : "hybrid",
				    "systemd's default for its version (v243+: unified)");
	}
	if (streq_ptr(f->init.value, "openrc")) {
		shell_conf(root, f, "/etc/rc.conf", "rc_cgroup_mode", &f->rc_cgroup_mode);
		/* OpenRC's init.d/cgroups: ${rc_cgroup_mode:-unified}
		 * (0.51+) when rc.conf leaves it unset. */
		if (!f->rc_cgroup_mode.value)
			val_default(&f->rc_cgroup_mode, "unified",
				    "OpenRC's default (rc_cgroup_mode unset in /etc/rc.conf)");
	}
}

/* ---- controllers ------------------------------------------------------------- */

static const struct {
	const char *name, *v2;
	unsigned kc;
	const char *v1_mount; /* systemd's mount-setup / cg_kernel_controllers() join */
	int v1_kc;	      /* the option v1 needs besides kc (6.11+), -1 none */
} ctrl_table[] = {
	/* kernel/cgroup/cgroup.c SUBSYS order; systemd joins cpu,cpuacct
	 * and net_cls,net_prio (src/shared/mount-setup.c
	 * join_controllers default). */
	{ "cpuset", "cpuset", SC_KC_CPUSETS, "cpuset", SC_KC_CPUSETS_V1 },
	{ "cpu", "cpu", SC_KC_CGROUP_SCHED, "cpu,cpuacct", -1 },
	{ "cpuacct", NULL, SC_KC_CGROUP_CPUACCT, "cpu,cpuacct", -1 },
	{ "blkio", "io", SC_KC_BLK_CGROUP, "blkio", -1 },
	{ "memory", "memory", SC_KC_MEMCG, "memory", SC_KC_MEMCG_V1 },
	{ "devices", NULL, SC_KC_CGROUP_DEVICE, "devices", -1 },
	{ "freezer", NULL, SC_KC_CGROUP_FREEZER, "freezer", -1 },
	{ "net_cls", NULL, SC_KC_NET_CLS_CGROUP, "net_cls,net_prio", -1 },
	{ "perf_event", "perf_event", SC_KC_CGROUP_PERF, "perf_event", -1 },
	{ "net_prio", NULL, SC_KC_CGROUP_NET_PRIO, "net_cls,net_prio", -1 },
	{ "hugetlb", "hugetlb", SC_KC_CGROUP_HUGETLB, "hugetlb", -1 },
	{ "pids", "pids", SC_KC_CGROUP_PIDS, "pids", -1 },
	{ "rdma", "rdma", SC_KC_CGROUP_RDMA, "rdma", -1 },
	{ "misc", "misc", SC_KC_CGROUP_MISC, "misc", -1 },
};

/* Whether cgroup2's root lists it in cgroup.controllers: perf_event is
 * implicit on v2 (enabled everywhere, never listed). */
static bool listed_on_v2(const char *v2)
{
	return v2 && !streq(v2, "perf_event");
}

/* Whether the comma-separated value of a command line parameter (the
 * last one) lists name. */
static bool in_param_list(const struct sc_image_facts *f, const char *key, const char *name)
{
	const struct sc_kernel_param *kp = param(f->params, f->n_params, key);
	_cleanup_strv_free_ char **l = NULL;

	if (!kp || !kp->value)
		return false;
	l = sc_strv_split(kp->value, ",");
	return sc_strv_contains(l, name);
}

static void predict_controllers(struct sc_root *root, struct sc_image_facts *f)
{
	const struct sc_image_kernel *k = f->n_kernels ? &f->kernels[0] : NULL;
	bool known = k && k->config_err == 0;
	bool openrc = streq_ptr(f->init.value, "openrc");
	/* Docker's SysV script runs under OpenRC when docker is in a
	 * runlevel (probe_docker() runs later: look at the runlevels). */
	bool docker_sysv = openrc && sc_root_exists(root, "/etc/init.d/docker") == 0 &&
			   (sc_root_exists(root, "/etc/runlevels/default/docker") == 0 ||
			    sc_root_exists(root, "/etc/runlevels/boot/docker") == 0);

	f->controllers = sc_xcalloc(ELEMENTSOF(ctrl_table), sizeof(*f->controllers));
	for (size_t i = 0; i < ELEMENTSOF(ctrl_table); i++) {
		struct sc_image_ctrl *c = &f->controllers[f->n_controllers++];
		const struct sc_kconfig *o = known ? &k->opts[ctrl_table[i].kc] : NULL;
		bool v1_ok;

		c->name = ctrl_table[i].name;
		c->v2_name = ctrl_table[i].v2;
		if (!known || f->mode == SC_CG_UNKNOWN) {
			c->unknown = true;
			c->where = SC_CTRL_ABSENT;
			continue;
		}
		c->source = o->line ? sc_xasprintf("%s:%u CONFIG_%s=%c", k->config, o->line,
						   o->name, o->value)
				    : sc_xasprintf("%s: no CONFIG_%s", k->config, o->name);
		if (o->value != 'y' && o->value != 'm') {
			c->where = SC_CTRL_ABSENT;
			continue;
		}
		/* kernel-parameters.txt: cgroup_disable=NAME[,NAME] turns a
		 * controller off; cgroup_no_v1=all|NAME[,NAME] keeps it off v1. */
		if (in_param_list(f, "cgroup_disable", c->name)) {
			c->where = SC_CTRL_DISABLED;
			free(c->source);
			c->source = sc_xasprintf("%s: cgroup_disable=%s", strna(f->cmdline.source),
						 c->name);
			continue;
		}
		/* Linux 6.11+ builds the v1 side of memory and cpuset only
		 * with CONFIG_MEMCG_V1 / CONFIG_CPUSETS_V1: without them a v1
		 * mount of the controller fails and it stays on cgroup2. */
		v1_ok = ctrl_table[i].v1_kc < 0 || k->opts[ctrl_table[i].v1_kc].value != 'n';
		if (!v1_ok) {
			const struct sc_kconfig *o1 = &k->opts[ctrl_table[i].v1_kc];
			char *s = sc_xasprintf("%s, %s:%u CONFIG_%s is not set", c->source,
					       k->config, o1->line, o1->name);
			free(c->source);
			c->source = s;
		}
		if (v1_ok && (in_param_list(f, "cgroup_no_v1", c->name) ||
			      in_param_list(f, "cgroup_no_v1", "all"))) {
			char *s = sc_xasprintf("%s, %s: cgroup_no_v1", c->source,
					       strna(f->cmdline.source));
			free(c->source);
			c->source = s;
			v1_ok = false;
		}
		switch (f->mode) {
		case SC_CG_UNIFIED:
			/* Docker's SysV script (run by OpenRC) mounts a v1
			 * hierarchy for each controller of /proc/cgroups that
			 * cgroup2 does not hold (cgroupfs_mount(), tests/vm F2);
			 * perf_event is implicit on cgroup2, never listed. */
			if (listed_on_v2(c->v2_name)) {
				c->where = SC_CTRL_V2;
				c->mountpoint = sc_xstrdup("/sys/fs/cgroup");
			} else if (openrc && docker_sysv) {
				c->where = SC_CTRL_V1;
				c->mountpoint = sc_xasprintf("/sys/fs/cgroup/%s", c->name);
			} else
				c->where = SC_CTRL_UNBOUND;
			break;
		case SC_CG_HYBRID:
		case SC_CG_LEGACY:
			if (!v1_ok) {
				c->where = f->mode == SC_CG_HYBRID ? SC_CTRL_V2 : SC_CTRL_UNBOUND;
				if (f->mode == SC_CG_HYBRID)
					c->mountpoint = sc_xstrdup("/sys/fs/cgroup/unified");
				break;
			}
			c->where = SC_CTRL_V1;
			c->mountpoint = sc_xasprintf("/sys/fs/cgroup/%s",
						     openrc ? c->name : ctrl_table[i].v1_mount);
			break;
		default:
			c->where = SC_CTRL_UNBOUND;
			break;
		}
	}
}

static void predict_mode(struct sc_image_facts *f)
{
	if (streq_ptr(f->init.value, "systemd") && f->systemd.found) {
		f->mode = sc_image_systemd_mode(&f->systemd.v, f->default_hierarchy.value,
						f->params, f->n_params, &f->mode_why);
		f->mode_source = sc_xasprintf("%s; %s", f->systemd_version.source,
					      f->cmdline.source ? f->cmdline.source
								: "no kernel command line found");
	} else if (streq_ptr(f->init.value, "openrc")) {
		const char *m = f->rc_cgroup_mode.value;

		/* OpenRC init.d/cgroups mount_cgroups(): "unified" mounts
		 * cgroup2 on /sys/fs/cgroup, "hybrid" a tmpfs, name=openrc,
		 * cgroup2 on /sys/fs/cgroup/unified (no controller enabled
		 * but rc_cgroup_controllers) and every other controller as
		 * v1, "legacy" the v1 controllers only. */
		f->mode = streq(m, "unified")  ? SC_CG_UNIFIED
			  : streq(m, "hybrid") ? SC_CG_HYBRID
			  : streq(m, "legacy") ? SC_CG_LEGACY
					       : SC_CG_UNKNOWN;
		f->mode_why = sc_xasprintf("OpenRC rc_cgroup_mode=%s", m);
		f->mode_source = sc_xstrdup(f->rc_cgroup_mode.source);
	} else {
		f->mode = SC_CG_UNKNOWN;
		f->mode_why = sc_xstrdup(f->init.value ? "an init system the tool does not model"
						       : "no init system found in the image");
	}
	f->v2_path = f->mode == SC_CG_UNIFIED  ? sc_xstrdup("/sys/fs/cgroup")
		     : f->mode == SC_CG_HYBRID ? sc_xstrdup("/sys/fs/cgroup/unified")
					       : NULL;
}

/* ---- engines ----------------------------------------------------------------- */

/* Enabled at boot: a systemd [Install] symlink in a .wants directory of
 * /etc/systemd/system, or an OpenRC runlevel entry. */
static void probe_enabled(struct sc_root *root, struct sc_image_facts *f, const char *const *units,
			  const char *rc_service, struct sc_image_val *ret)
{
	static const char *const wants[] = { "multi-user.target.wants", "sockets.target.wants",
					     "default.target.wants" };
	static const char *const levels[] = { "default", "boot", "sysinit" };

	if (streq_ptr(f->init.value, "openrc")) {
		for (size_t i = 0; rc_service && i < ELEMENTSOF(levels); i++) {
			_cleanup_free_ char *p =
				sc_xasprintf("/etc/runlevels/%s/%s", levels[i], rc_service);
			if (exists(root, p)) {
				val_set(ret, "yes", p, 0);
				return;
			}
		}
		val_set(ret, "no", "/etc/runlevels", 0);
		return;
	}
	for (size_t u = 0; units[u]; u++)
		for (size_t i = 0; i < ELEMENTSOF(wants); i++) {
			_cleanup_free_ char *p =
				sc_xasprintf("/etc/systemd/system/%s/%s", wants[i], units[u]);
			if (exists(root, p)) {
				val_set(ret, "yes", p, 0);
				return;
			}
		}
	val_set(ret, "no", "/etc/systemd/system/*.wants", 0);
}

static bool installed(struct sc_root *root, struct sc_image_engine *e, const char *const *bins)
{
	for (size_t i = 0; bins[i]; i++)
		if (exists(root, bins[i])) {
			e->installed = true;
			e->binary = sc_xstrdup(bins[i]);
			return true;
		}
	return false;
}

/* The line of a JSON key in text (jansson keeps no positions): the first
 * line holding "key". 0 when not found. */
static unsigned json_key_line(const char *text, const char *key)
{
	_cleanup_free_ char *q = sc_xasprintf("\"%s\"", key);
	const char *p = strstr(text, q);
	unsigned line = 1;

	if (!p)
		return 0;
	for (const char *c = text; c < p; c++)
		line += *c == '\n';
	return line;
}

static void probe_docker(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const bins[] = { "/usr/bin/dockerd", "/usr/sbin/dockerd", NULL };
	static const char *const units[] = { "docker.service", "docker.socket", NULL };
	static const char *const file = "/etc/docker/daemon.json";
	struct sc_image_engine *e = &f->engines[SC_ENGINE_DOCKER];
	_cleanup_free_ char *text = NULL;
	json_t *doc = NULL;
	bool v2 = f->mode == SC_CG_UNIFIED;

	if (!installed(root, e, bins))
		return;
	probe_enabled(root, f, units, "docker", &e->enabled);
	/* moby daemon/daemon_unix.go: the systemd driver by default on
	 * cgroup v2 when systemd is PID 1 (20.10+), cgroupfs otherwise;
	 * default-cgroupns-mode private on v2, host on v1; runc. */
	val_default(&e->cgroup_driver,
		    f->mode == SC_CG_UNKNOWN			? NULL
		    : v2 && streq_ptr(f->init.value, "systemd") ? "systemd"
								: "cgroupfs",
		    "dockerd's default for the predicted mode and init");
	val_default(&e->cgroupns,
		    f->mode == SC_CG_UNKNOWN ? NULL
		    : v2		     ? "private"
					     : "host",
		    "dockerd's default for the predicted mode");
	val_default(&e->runtime, "runc", "dockerd's default");
	text = read_conf(root, f, file, IMG_READ_MAX);
	if (!text) {
		val_set(&e->config, sc_errlist_find(&f->errors, file) ? "unreadable" : "absent",
			file, 0);
		return;
	}
	doc = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(doc)) {
		val_set(&e->config, "invalid JSON: dockerd refuses to start", file, 0);
		json_decref(doc);
		return;
	}
	val_set(&e->config, "read", file, 0);
	{
		json_t *opts = json_object_get(doc, "exec-opts");
		size_t i;
		json_t *o;

		json_array_foreach(opts, i, o)
		{
			const char *s = json_string_value(o);

			if (s && strncmp(s, "native.cgroupdriver=", 20) == 0)
				val_set(&e->cgroup_driver, s + 20, file,
					json_key_line(text, "exec-opts"));
		}
	}
	{
		const char *m = json_string_value(json_object_get(doc, "default-cgroupns-mode"));
		if (m)
			val_set(&e->cgroupns, m, file,
				json_key_line(text, "default-cgroupns-mode"));
		m = json_string_value(json_object_get(doc, "default-runtime"));
		if (m)
			val_set(&e->runtime, m, file, json_key_line(text, "default-runtime"));
		m = json_string_value(json_object_get(doc, "userns-remap"));
		if (m)
			val_set(&e->userns_remap, m, file, json_key_line(text, "userns-remap"));
	}
	{
		json_t *rt = json_object_get(doc, "runtimes");

		e->runtimes = sc_xcalloc(1, sizeof(char *));
		for (void *it = json_object_iter(rt); it; it = json_object_iter_next(rt, it))
			sc_strv_push(&e->runtimes, json_object_iter_key(it));
	}
	json_decref(doc);
}

/* containers.conf (containers-common): the [engine] and [containers]
 * tables; the user's files are not the host's. Later files override:
 * /usr/share, then /etc, then /etc/containers/containers.conf.d/. */
static void toml_scan(struct sc_root *root, struct sc_image_facts *f, const char *file,
		      const char *const *keys, struct sc_image_val *const *vals, size_t n)
{
	_cleanup_free_ char *text = read_conf(root, f, file, IMG_READ_MAX);
	struct lines l;
	char *s;

	if (!text)
		return;
	lines_init(&l, text);
	while ((s = lines_next(&l))) {
		while (*s == ' ' || *s == '\t')
			s++;
		for (size_t i = 0; i < n; i++) {
			size_t kl = strlen(keys[i]);
			char *v;

			if (strncmp(s, keys[i], kl) != 0)
				continue;
			v = s + kl;
			v += strspn(v, " \t");
			if (*v != '=')
				continue;
			v++;
			v += strspn(v, " \t");
			if (*v == '"' || *v == '\'') {
				char q = *v++;
				char *end = strchr(v, q);
				if (end)
					*end = 0;
			} else
				v[strcspn(v, " \t#")] = 0;
			val_set(vals[i], v, file, l.no);
		}
	}
	lines_done(&l);
}

static void probe_podman(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const bins[] = { "/usr/bin/podman", NULL };
	static const char *const units[] = { "podman.socket", "podman.service", NULL };
	struct sc_image_engine *e = &f->engines[SC_ENGINE_PODMAN];
	const char *const keys[] = { "cgroup_manager", "runtime", "cgroupns" };
	struct sc_image_val *const vals[] = { &e->cgroup_driver, &e->runtime, &e->cgroupns };
	_cleanup_strv_free_ char **d = NULL;

	if (!installed(root, e, bins))
		return;
	probe_enabled(root, f, units, "podman", &e->enabled);
	/* containers/common pkg/config/default.go: cgroup_manager systemd
	 * (podman falls back to cgroupfs without systemd as PID 1), cgroupns
	 * private on v2, host on v1; runtime crun. */
	val_default(&e->cgroup_driver, streq_ptr(f->init.value, "systemd") ? "systemd" : "cgroupfs",
		    "podman's default for the predicted init");
	val_default(&e->cgroupns,
		    f->mode == SC_CG_UNKNOWN   ? NULL
		    : f->mode == SC_CG_UNIFIED ? "private"
					       : "host",
		    "podman's default for the predicted mode");
	val_default(&e->runtime, "crun", "podman's default");
	toml_scan(root, f, "/usr/share/containers/containers.conf", keys, vals, ELEMENTSOF(keys));
	toml_scan(root, f, "/etc/containers/containers.conf", keys, vals, ELEMENTSOF(keys));
	if (sc_root_list(root, "/etc/containers/containers.conf.d", &d) >= 0)
		for (char **x = d; *x; x++) {
			_cleanup_free_ char *p =
				sc_xasprintf("/etc/containers/containers.conf.d/%s", *x);
			toml_scan(root, f, p, keys, vals, ELEMENTSOF(keys));
		}
	/* Without systemd as PID 1 podman uses cgroupfs whatever it says. */
	if (!streq_ptr(f->init.value, "systemd") && streq_ptr(e->cgroup_driver.value, "systemd"))
		val_default(&e->cgroup_driver, "cgroupfs",
			    "podman falls back to cgroupfs without systemd as PID 1");
	val_set(&e->config, "read", "/usr/share/containers/containers.conf", 0);
}

static void probe_containerd(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const bins[] = { "/usr/bin/containerd", "/usr/sbin/containerd", NULL };
	static const char *const units[] = { "containerd.service", NULL };
	struct sc_image_engine *e = &f->engines[SC_ENGINE_CONTAINERD];
	const char *const keys[] = { "SystemdCgroup" };
	struct sc_image_val sd = {};
	struct sc_image_val *const vals[] = { &sd };
	static const char *const file = "/etc/containerd/config.toml";

	if (!installed(root, e, bins))
		return;
	probe_enabled(root, f, units, "containerd", &e->enabled);
	/* containerd's CRI runc options: SystemdCgroup = false by default. */
	val_default(&e->cgroup_driver, "cgroupfs", "containerd's default (SystemdCgroup = false)");
	val_default(&e->runtime, "io.containerd.runc.v2", "containerd's default");
	toml_scan(root, f, file, keys, vals, 1);
	if (sd.value)
		val_set(&e->cgroup_driver, streq(sd.value, "true") ? "systemd" : "cgroupfs",
			sd.source, 0);
	val_set(&e->config, exists(root, file) ? "read" : "absent", file, 0);
	val_done(&sd);
}

static void probe_lxc(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const bins[] = { "/usr/bin/lxc-start", NULL };
	static const char *const units[] = { "lxc.service", NULL };
	static const char *const file = "/etc/lxc/default.conf";
	struct sc_image_engine *e = &f->engines[SC_ENGINE_LXC];
	_cleanup_free_ char *text = NULL;

	if (!installed(root, e, bins))
		return;
	probe_enabled(root, f, units, "lxc", &e->enabled);
	/* LXC creates its cgroups itself (cgroupfs), with a cgroup
	 * namespace when the kernel has them (lxc.namespace.keep unset). */
	val_default(&e->cgroup_driver, "cgroupfs", "LXC manages its cgroups itself");
	val_default(&e->cgroupns, "private", "LXC's default: a cgroup namespace");
	text = read_conf(root, f, file, IMG_READ_MAX);
	val_set(&e->config, text ? "read" : "absent", file, 0);
}

static void probe_lxcfs(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const units[] = { "lxcfs.service", NULL };

	f->lxcfs_installed = exists(root, "/usr/bin/lxcfs");
	if (f->lxcfs_installed)
		probe_enabled(root, f, units, "lxcfs", &f->lxcfs_enabled);
}

/* ---- delegation -------------------------------------------------------------- */

static void scan_delegate(struct sc_root *root, struct sc_image_facts *f, const char *file)
{
	_cleanup_free_ char *text = read_conf(root, f, file, IMG_READ_MAX);
	struct lines l;
	char *s;

	if (!text)
		return;
	lines_init(&l, text);
	while ((s = lines_next(&l)))
		if (strncmp(s, "Delegate=", 9) == 0) {
			char *v = sc_strstrip(s + 9);
			/* An empty assignment resets, as systemd parses it. */
			val_set(&f->delegate, *v ? v : NULL, file, l.no);
		}
	lines_done(&l);
}

/* The configuration files NAME*suffix of dirs, in the order of their
 * names, each name once: a later directory's file masks an earlier one's
 * of the same name (systemd's drop-ins, sysctl.d(5): /etc over /usr/lib). */
static char **conf_files(struct sc_root *root, const char *const *dirs, size_t n,
			 const char *suffix)
{
	_cleanup_strv_builder_ struct sc_strv_builder b = {}, out = {};
	_cleanup_strv_free_ char **names = NULL;
	size_t sl = strlen(suffix);

	for (size_t i = 0; i < n && i < 10; i++) {
		_cleanup_strv_free_ char **e = NULL;

		if (sc_root_list(root, dirs[i], &e) < 0)
			continue;
		for (char **x = e; *x; x++)
			if (strlen(*x) > sl && streq(*x + strlen(*x) - sl, suffix))
				sc_strv_builder_consume(&b, sc_xasprintf("%s\t%zu", *x, i));
	}
	names = sc_strv_builder_take(&b);
	sc_strv_sort(names);
	for (char **x = names; *x; x++) {
		char *tab = strchr(*x, '\t');
		size_t l = (size_t)(tab - *x);

		/* Sorted by name, then directory: the last of a name wins. */
		if (x[1] && strncmp(x[1], *x, l + 1) == 0)
			continue;
		*tab = 0;
		sc_strv_builder_consume(&out, sc_xasprintf("%s/%s", dirs[tab[1] - '0'], *x));
	}
	return sc_strv_builder_take(&out);
}

static void probe_delegation(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const units[] = { "/etc/systemd/system/user@.service",
					     "/usr/lib/systemd/system/user@.service",
					     "/lib/systemd/system/user@.service" };
	static const char *const dropdirs[] = { "/usr/lib/systemd/system/user@.service.d",
						"/lib/systemd/system/user@.service.d",
						"/etc/systemd/system/user@.service.d" };
	_cleanup_strv_free_ char **files = NULL;

	if (!streq_ptr(f->init.value, "systemd"))
		goto ids;
	/* The unit: /etc's copy masks the package's. */
	for (size_t i = 0; i < ELEMENTSOF(units); i++)
		if (exists(root, units[i])) {
			scan_delegate(root, f, units[i]);
			break;
		}
	files = conf_files(root, dropdirs, ELEMENTSOF(dropdirs), ".conf");
	for (char **x = files; *x; x++)
		scan_delegate(root, f, *x);
ids:
	for (int g = 0; g < 2; g++) {
		const char *file = g ? "/etc/subgid" : "/etc/subuid";
		_cleanup_free_ char *text = read_conf(root, f, file, IMG_READ_MAX);
		unsigned n = 0;
		struct lines l;
		char *s;

		if (!text) {
			val_set(g ? &f->subgid : &f->subuid, "absent", file, 0);
			continue;
		}
		lines_init(&l, text);
		while ((s = lines_next(&l)))
			n += *s && *s != '#' && strchr(s, ':');
		lines_done(&l);
		_cleanup_free_ char *v = sc_xasprintf("%u entr%s", n, n == 1 ? "y" : "ies");
		val_set(g ? &f->subgid : &f->subuid, v, file, 0);
	}
}

/* sysctl.d(5): /usr/lib/sysctl.d, /run (nothing at boot), /etc/sysctl.d,
 * by file name (a file of /etc masks the same name in /usr/lib), then
 * /etc/sysctl.conf; the last assignment wins. */
static void probe_sysctl(struct sc_root *root, struct sc_image_facts *f)
{
	static const char *const dirs[] = { "/usr/lib/sysctl.d", "/lib/sysctl.d", "/etc/sysctl.d" };
	static const char *const keys[] = { "user.max_user_namespaces",
					    "kernel.unprivileged_userns_clone",
					    "kernel.apparmor_restrict_unprivileged_userns" };
	struct sc_image_val *vals[] = { &f->max_user_ns, &f->userns_clone, &f->apparmor_userns };
	_cleanup_strv_free_ char **names = conf_files(root, dirs, ELEMENTSOF(dirs), ".conf");

	sc_strv_push(&names, "/etc/sysctl.conf");
	for (char **x = names; *x; x++) {
		const char *p = *x;
		_cleanup_free_ char *text = NULL;
		struct lines l;
		char *s;

		text = read_conf(root, f, p, IMG_READ_MAX);
		if (!text)
			continue;
		lines_init(&l, text);
		while ((s = lines_next(&l))) {
			char *eq = strchr(s, '=');

			s = sc_strstrip(s);
			if (!eq || *s == '#' || *s == ';')
				continue;
			*eq = 0;
			for (char *c = s; *c; c++)
				if (*c == '/')
					*c = '.';
			for (size_t i = 0; i < ELEMENTSOF(keys); i++)
				if (streq(sc_strstrip(s[0] == '-' ? s + 1 : s), keys[i]))
					val_set(vals[i], sc_strstrip(eq + 1), p, l.no);
		}
		lines_done(&l);
	}
}

int sc_image_probe(struct sc_root *root, struct sc_image_facts *ret)
{
	struct sc_image_facts f = { .mode = SC_CG_UNKNOWN };
	struct stat st;

	if (sc_root_stat(root, "/etc", &st) < 0 || !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	f.path = sc_xstrdup(sc_root_path(root));
	probe_kernels(root, &f);
	probe_cmdline(root, &f);
	probe_init(root, &f);
	predict_mode(&f);
	predict_controllers(root, &f);
	probe_docker(root, &f);
	probe_podman(root, &f);
	probe_containerd(root, &f);
	probe_lxc(root, &f);
	probe_lxcfs(root, &f);
	probe_delegation(root, &f);
	probe_sysctl(root, &f);
	*ret = f;
	return 0;
}

/* ---- the predicted host ------------------------------------------------------ */

void sc_image_predict_host(const struct sc_image_facts *img, struct sc_host_facts *ret)
{
	struct sc_host_facts h = {};
	const struct sc_image_kernel *k = img->n_kernels ? &img->kernels[0] : NULL;
	bool kc = k && k->config_err == 0;
	struct sc_cgroup_facts *cg = &h.cgroup;
	struct sc_strv_builder v2 = {};

	h.root_path = sc_xstrdup(img->path);
	h.live = false;
	h.euid = 0;
	h.kernel_major = h.kernel_minor = -1;
	if (k) {
		h.kernel_release = sc_xstrdup(k->release);
		(void)sc_kernel_version_parse(k->release, &h.kernel_major, &h.kernel_minor);
	}
	if (img->cmdline.value) {
		h.cmdline = sc_xstrdup(img->cmdline.value);
		sc_cmdline_parse(h.cmdline, &h.params, &h.n_params);
	}
	/* The statfs facts are what the predicted mode implies. */
	cg->mode = img->mode;
	cg->fs_root.path = "/sys/fs/cgroup";
	cg->fs_unified.path = "/sys/fs/cgroup/unified";
	cg->fs_systemd.path = "/sys/fs/cgroup/systemd";
	cg->fs_root.err = cg->fs_unified.err = cg->fs_systemd.err = SC_ENOFACT;
	switch (img->mode) {
	case SC_CG_UNIFIED:
		cg->fs_root =
			(struct sc_statfs_fact){ "/sys/fs/cgroup", SC_CGROUP2_SUPER_MAGIC, 0 };
		break;
	case SC_CG_HYBRID:
		cg->fs_root = (struct sc_statfs_fact){ "/sys/fs/cgroup", SC_TMPFS_MAGIC, 0 };
		cg->fs_unified = (struct sc_statfs_fact){ "/sys/fs/cgroup/unified",
							  SC_CGROUP2_SUPER_MAGIC, 0 };
		break;
	case SC_CG_LEGACY:
		cg->fs_root = (struct sc_statfs_fact){ "/sys/fs/cgroup", SC_TMPFS_MAGIC, 0 };
		cg->fs_systemd = (struct sc_statfs_fact){ "/sys/fs/cgroup/systemd",
							  SC_CGROUP_SUPER_MAGIC, 0 };
		break;
	default:
		break;
	}
	cg->v2_path = img->v2_path ? sc_xstrdup(img->v2_path) : NULL;
	cg->proc_cgroups_err = kc ? 0 : SC_ENOFACT;
	cg->swap_accounting = SC_UNKNOWN;
	cg->in_cgroupns = SC_NO;
	/* The mounts the init system makes: name=systemd for systemd's
	 * tmpfs layouts (mount-setup.c), name=openrc for OpenRC's. */
	{
		size_t n = 0;
		struct sc_cgroup_mount *m = sc_xcalloc(2, sizeof(*m));

		if (img->mode == SC_CG_HYBRID || img->mode == SC_CG_LEGACY) {
			bool sd = streq_ptr(img->init.value, "systemd");

			if (sd || streq_ptr(img->init.value, "openrc")) {
				m[n].mountpoint = sc_xstrdup(sd ? "/sys/fs/cgroup/systemd"
								: "/sys/fs/cgroup/openrc");
				m[n].version = 1;
				m[n].name = sc_xstrdup(sd ? "systemd" : "openrc");
				m[n].super_options = sc_xasprintf("rw,name=%s", m[n].name);
				n++;
			}
		}
		if (img->v2_path) {
			m[n].mountpoint = sc_xstrdup(img->v2_path);
			m[n].version = 2;
			n++;
		}
		cg->mounts = m;
		cg->n_mounts = n;
	}
	if (kc && img->mode != SC_CG_UNKNOWN) {
		cg->controllers = sc_xcalloc(img->n_controllers + 1, sizeof(*cg->controllers));
		for (size_t i = 0; i < img->n_controllers; i++) {
			const struct sc_image_ctrl *ic = &img->controllers[i];
			struct sc_controller *c;

			if (ic->where == SC_CTRL_ABSENT)
				continue;
			c = &cg->controllers[cg->n_controllers++];
			c->name = sc_xstrdup(ic->name);
			c->v2_name = ic->v2_name ? sc_xstrdup(ic->v2_name) : NULL;
			c->where = ic->where;
			c->enabled = 1;
			c->hierarchy = ic->where == SC_CTRL_V1 ? (int)i + 1 : 0;
			c->num_cgroups = -1;
			if (ic->where == SC_CTRL_V1)
				c->v1_mountpoint = sc_xstrdup(ic->mountpoint);
			c->v2_available = ic->where == SC_CTRL_V2;
			if (c->v2_available && listed_on_v2(ic->v2_name))
				sc_strv_builder_push(&v2, ic->v2_name);
			c->co_mounted = sc_xcalloc(1, sizeof(char *));
		}
		if (img->v2_path)
			cg->v2_controllers = sc_strv_builder_take(&v2);
	}
	sc_strv_builder_done(&v2);

	/* Namespaces: what the kernel config has; inodes are the running
	 * kernel's (unknown). CONFIG_CGROUPS gives cgroup namespaces (4.6+). */
	{
		static const struct {
			enum sc_ns_type t;
			int kc;
		} ns[] = {
			{ SC_NS_CGROUP, SC_KC_CGROUPS },
			{ SC_NS_IPC, SC_KC_IPC_NS },
			{ SC_NS_MNT, -1 },
			{ SC_NS_NET, SC_KC_NET_NS },
			{ SC_NS_PID, SC_KC_PID_NS },
			{ SC_NS_TIME, -1 },
			{ SC_NS_USER, SC_KC_USER_NS },
			{ SC_NS_UTS, SC_KC_UTS_NS },
		};
		for (size_t i = 0; i < ELEMENTSOF(ns); i++) {
			h.ns[ns[i].t].initial = SC_UNKNOWN;
			h.ns[ns[i].t].supported =
				ns[i].kc < 0 || !kc || k->opts[ns[i].kc].value == 'y';
		}
	}
	h.max_user_namespaces = -1;
	if (img->max_user_ns.value) {
		uint64_t n;
		if (sc_parse_u64(img->max_user_ns.value, &n) >= 0)
			h.max_user_namespaces = (int64_t)n;
	}
	h.init_system = sc_xstrdup(img->init.value ? img->init.value : "unknown");
	h.pid1_name = streq_ptr(img->init.value, "systemd")  ? sc_xstrdup("systemd")
		      : streq_ptr(img->init.value, "openrc") ? sc_xstrdup("init")
							     : NULL;
	h.systemd_running = streq_ptr(img->init.value, "systemd") ? SC_YES
			    : img->init.value			  ? SC_NO
								  : SC_UNKNOWN;
	h.kernel_modules = !kc || k->opts[SC_KC_MODULES].value == 'y';
	h.lxcfs_mountpoints = sc_xcalloc(1, sizeof(char *));
	if (streq_ptr(img->lxcfs_enabled.value, "yes"))
		sc_strv_push(&h.lxcfs_mountpoints, "/var/lib/lxcfs");
	h.container = sc_xstrdup("none");
	h.container_evidence = sc_xstrdup("an image, booted on a machine");
	h.ns_says_container = SC_NO;
	*ret = h;
}

void sc_image_facts_done(struct sc_image_facts *f)
{
	free(f->path);
	for (size_t i = 0; i < f->n_kernels; i++) {
		free(f->kernels[i].release);
		free(f->kernels[i].image);
		free(f->kernels[i].config);
	}
	free(f->kernels);
	val_done(&f->cmdline);
	free(f->loader);
	for (size_t i = 0; i < f->n_params; i++) {
		free(f->params[i].key);
		free(f->params[i].value);
	}
	free(f->params);
	sc_strv_free(f->cmdline_also);
	val_done(&f->init);
	sc_systemd_image_done(&f->systemd);
	val_done(&f->systemd_version);
	val_done(&f->default_hierarchy);
	val_done(&f->rc_cgroup_mode);
	free(f->mode_why);
	free(f->mode_source);
	free(f->v2_path);
	for (size_t i = 0; i < f->n_controllers; i++) {
		free(f->controllers[i].mountpoint);
		free(f->controllers[i].source);
	}
	free(f->controllers);
	for (size_t i = 0; i < _SC_ENGINE_MAX; i++) {
		struct sc_image_engine *e = &f->engines[i];

		free(e->binary);
		val_done(&e->enabled);
		val_done(&e->cgroup_driver);
		val_done(&e->cgroupns);
		val_done(&e->runtime);
		sc_strv_free(e->runtimes);
		val_done(&e->userns_remap);
		val_done(&e->config);
	}
	val_done(&f->lxcfs_enabled);
	val_done(&f->delegate);
	val_done(&f->subuid);
	val_done(&f->subgid);
	val_done(&f->max_user_ns);
	val_done(&f->userns_clone);
	val_done(&f->apparmor_userns);
	sc_errlist_done(&f->errors);
	*f = (struct sc_image_facts){};
}
