/* SPDX-License-Identifier: MIT */
/* The systemd version in an image, read as data
 * (docs/boot-rules.md#image-version): libsystemd-shared-NNN*.so (v231+)
 * names the major version; the banner in the systemd binary ("systemd %s
 * running in", src/core/main.c) carries the full one; the dpkg database
 * and os-release come after. */
#include <ctype.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "systemd.h"
#include "util.h"

int sc_systemd_version_parse(const char *s, struct sc_systemd_version *ret)
{
	char *end;
	long major, minor = -1;

	if (!s)
		return -EINVAL;
	if (*s == 'v')
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	major = strtol(s, &end, 10);
	if (errno || major > 100000)
		return -EINVAL;
	if (*end == '.' && isdigit((unsigned char)end[1])) {
		minor = strtol(end + 1, &end, 10);
		if (errno || minor > 100000)
			return -EINVAL;
	}
	ret->major = (int)major;
	ret->minor = (int)minor;
	return 0;
}

int sc_systemd_version_cmp(const struct sc_systemd_version *v, int major, int minor)
{
	int vm = v->minor < 0 ? 0 : v->minor;

	if (v->major != major)
		return v->major < major ? -1 : 1;
	if (minor < 0)
		return 0;
	return vm < minor ? -1 : vm > minor ? 1 : 0;
}

char *sc_systemd_version_from_banner(const char *banner)
{
	const char *p = strstr(banner, "systemd ");
	size_t n;

	if (!p)
		return NULL;
	p += strlen("systemd ");
	if (*p == 'v')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	n = strcspn(p, " ");
	if (!startswith(p + n, " running in"))
		return NULL;
	return sc_xstrndup(p, n);
}

char *sc_systemd_version_from_library(const char *name)
{
	const char *v = startswith(name, "libsystemd-shared-");
	size_t n;

	if (!v || !isdigit((unsigned char)*v))
		return NULL;
	n = strlen(v);
	if (n < 4 || !streq(v + n - 3, ".so"))
		return NULL;
	return sc_xstrndup(v, n - 3);
}

char *sc_systemd_version_from_dpkg(const char *status)
{
	/* Paragraphs are separated by blank lines; fields are "Key: value". */
	for (const char *p = status; p && *p;) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		_cleanup_free_ char *para = sc_xstrndup(p, len);
		_cleanup_free_ char *pkg = sc_find_field(para, "Package", ':');

		if (pkg && streq(pkg, "systemd")) {
			_cleanup_free_ char *st = sc_find_field(para, "Status", ':');
			/* Removed packages keep a paragraph ("deinstall ok
			 * config-files"): only an installed one counts. */
			if (st && !strstr(st, "installed"))
				return NULL;
			if (st && strstr(st, "config-files"))
				return NULL;
			return sc_find_field(para, "Version", ':');
		}
		p = end ? end + 2 : NULL;
	}
	return NULL;
}

static void set_version(struct sc_systemd_image *s, char *version, const char *source,
			const char *method)
{
	struct sc_systemd_version v;

	if (!version || sc_systemd_version_parse(version, &v) < 0) {
		free(version);
		return;
	}
	/* Keep the more precise of two answers for the same major; the
	 * banner is what PID 1 itself prints, it wins over a file name. */
	if (s->found && s->v.major == v.major && (s->v.minor >= 0 || v.minor < 0) &&
	    !(streq(method, "banner") && streq_ptr(s->method, "library") && v.minor >= 0)) {
		free(version);
		return;
	}
	if (s->found && s->v.major != v.major && s->v.major >= 0) {
		/* The library names what would run; a stale package database
		 * does not override it. */
		free(version);
		return;
	}
	free(s->version);
	free(s->source);
	free(s->method);
	s->version = version;
	s->v = v;
	s->source = sc_xstrdup(source);
	s->method = sc_xstrdup(method);
	s->found = true;
}

/* Directories where libsystemd-shared lives, by distribution. */
static const char *const lib_dirs[] = {
	"/usr/lib/systemd", "/usr/lib64/systemd", "/lib/systemd", "/lib64/systemd", NULL,
};

static void find_library(struct sc_root *root, struct sc_systemd_image *s, char **ret_lib,
			 char **ret_core)
{
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **dirs = NULL;
	_cleanup_strv_free_ char **usrlib = NULL;

	for (size_t i = 0; lib_dirs[i]; i++)
		sc_strv_builder_push(&b, lib_dirs[i]);
	/* Debian >= 252: /usr/lib/<multiarch triplet>/systemd/. The image
	 * decides how many entries match: the builder keeps this linear. */
	if (sc_root_list(root, "/usr/lib", &usrlib) >= 0)
		for (char **e = usrlib; *e; e++)
			if (strstr(*e, "-linux-"))
				sc_strv_builder_consume(&b,
							sc_xasprintf("/usr/lib/%s/systemd", *e));
	dirs = sc_strv_builder_take(&b);

	for (char **d = dirs; *d; d++) {
		_cleanup_strv_free_ char **names = NULL;

		if (sc_root_list(root, *d, &names) < 0)
			continue;
		for (char **n = names; *n; n++) {
			char *v = sc_systemd_version_from_library(*n);

			/* Since v255 some builds link PID 1's main() into
			 * libsystemd-core-NNN.so: the banner is there. */
			if (!*ret_core && startswith(*n, "libsystemd-core-"))
				*ret_core = sc_xasprintf("%s/%s", *d, *n);
			if (!v)
				continue;
			_cleanup_free_ char *path = sc_xasprintf("%s/%s", *d, *n);
			set_version(s, v, path, "library");
			if (!*ret_lib)
				*ret_lib = TAKE_PTR(path);
		}
	}
}

static void free_matches(char ***m)
{
	if (!*m)
		return;
	free((*m)[0]);
	free((*m)[1]);
	free(*m);
}

static void find_banner(struct sc_root *root, struct sc_systemd_image *s, const char *lib,
			const char *core)
{
	const char *const bins[] = { "/usr/lib/systemd/systemd", "/lib/systemd/systemd", core };
	/* The banner format, src/core/main.c since v1xx. */
	static const char *const needles[] = { " running in %ssystem mode", "default-hierarchy=" };
	bool banner = false;

	for (size_t i = 0; i < ELEMENTSOF(bins) && !banner; i++) {
		/* One slot per needle, NULL where none matched: not a strv
		 * (sc_strv_free() would stop at the first gap and leak m[1]). */
		_cleanup_(free_matches) char **m = NULL;

		if (!bins[i] || sc_root_search(root, bins[i], needles, ELEMENTSOF(needles), &m) < 0)
			continue;
		if (m[0]) {
			char *v = sc_systemd_version_from_banner(m[0]);
			banner = v != NULL;
			set_version(s, v, bins[i], "banner");
		}
		if (m[1] && !s->default_hierarchy) {
			const char *h =
				strstr(m[1], "default-hierarchy=") + strlen("default-hierarchy=");
			s->default_hierarchy = sc_xstrndup(h, strcspn(h, " "));
		}
	}
	/* v233..v255 print default-hierarchy= from libsystemd-shared (the
	 * --version features string lives there). */
	if (lib && !s->default_hierarchy && s->found && s->v.major >= 233 && s->v.major <= 255) {
		static const char *const n1[] = { "default-hierarchy=" };
		_cleanup_strv_free_ char **m = NULL;

		if (sc_root_search(root, lib, n1, 1, &m) >= 0 && m[0]) {
			const char *h =
				strstr(m[0], "default-hierarchy=") + strlen("default-hierarchy=");
			s->default_hierarchy = sc_xstrndup(h, strcspn(h, " "));
		}
	}
}

/* Last resort: what a distribution release ships
 * (docs/boot-rules.md#common-images). Marked as such. */
static void find_os_release(struct sc_root *root, struct sc_systemd_image *s)
{
	static const struct {
		const char *id, *version_id, *systemd;
	} known[] = {
		{ "centos", "7", "219" },     { "rhel", "7", "219" },
		{ "centos", "8", "239" },     { "rhel", "8", "239" },
		{ "rocky", "8", "239" },      { "almalinux", "8", "239" },
		{ "rhel", "9", "252" },	      { "rocky", "9", "252" },
		{ "almalinux", "9", "252" },  { "ubuntu", "18.04", "237" },
		{ "ubuntu", "20.04", "245" }, { "ubuntu", "22.04", "249" },
		{ "ubuntu", "24.04", "255" }, { "debian", "10", "241" },
		{ "debian", "11", "247" },    { "debian", "12", "252" },
		{ "debian", "13", "257" },
	};
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };

	for (size_t f = 0; f < ELEMENTSOF(files); f++) {
		_cleanup_free_ char *text = NULL, *id = NULL, *ver = NULL;

		if (sc_root_read(root, files[f], 64 * 1024, &text, NULL) < 0)
			continue;
		id = sc_find_field(text, "ID", '=');
		ver = sc_find_field(text, "VERSION_ID", '=');
		for (char **x = (char *[]){ id, ver, NULL }; *x; x++) {
			size_t l = strlen(*x);
			if (l >= 2 && (*x)[0] == '"' && (*x)[l - 1] == '"') {
				memmove(*x, *x + 1, l - 2);
				(*x)[l - 2] = 0;
			}
		}
		for (size_t i = 0; id && ver && i < ELEMENTSOF(known); i++)
			if (streq(id, known[i].id) && (streq(ver, known[i].version_id) ||
						       (startswith(ver, known[i].version_id) &&
							ver[strlen(known[i].version_id)] == '.')))
				set_version(s, sc_xstrdup(known[i].systemd), files[f],
					    "os-release");
		return;
	}
}

/* Resolve /sbin/init inside the root (never on the host), component by
 * component with readlink, so that relative links are taken relative to
 * the real directory (/sbin -> usr/sbin, then ../lib/systemd/systemd is
 * /usr/lib/systemd/systemd) and the result is canonical. */
static void resolve_init(struct sc_root *root, struct sc_systemd_image *s)
{
	_cleanup_free_ char *todo = sc_xstrdup("sbin/init");
	_cleanup_free_ char *canon = sc_xstrdup("");
	int links = 0, k = 0;

	s->init_chain = sc_xcalloc(1, sizeof(char *));
	sc_strv_push(&s->init_chain, "/sbin/init");
	for (;;) {
		_cleanup_free_ char *comp = NULL, *cand = NULL, *target = NULL;
		char *p = todo, *rest;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		rest = strchrnul(p, '/');
		comp = sc_xstrndup(p, (size_t)(rest - p));
		memmove(todo, rest, strlen(rest) + 1);
		if (streq(comp, "."))
			continue;
		if (streq(comp, "..")) {
			char *slash = strrchr(canon, '/');
			if (slash)
				*slash = 0;
			continue;
		}
		cand = sc_xasprintf("%s/%s", canon, comp);
		k = sc_root_readlink(root, cand, &target);
		if (k == -EINVAL) {
			/* Not a link: a real component. */
			free(canon);
			canon = TAKE_PTR(cand);
			k = 0;
			continue;
		}
		if (k < 0)
			break;
		if (++links > 40) {
			k = -ELOOP;
			break;
		}
		{
			/* What remains is resolved from the link's directory
			 * (canon), or from the root for an absolute target. */
			_cleanup_free_ char *shown =
				target[0] == '/' ? sc_xasprintf("%s%s", target, todo)
						 : sc_xasprintf("%s/%s%s", canon, target, todo);
			char *next = sc_xasprintf("%s%s", target, todo);
			char *norm = sc_path_normalize(shown);

			free(todo);
			todo = next;
			if (target[0] == '/')
				canon[0] = 0;
			sc_strv_consume(&s->init_chain, norm);
		}
	}
	if (k == 0) {
		struct stat st;

		if (!*canon)
			k = -SC_ENOTREG;
		else if ((k = sc_root_stat(root, canon, &st)) == 0 && !S_ISREG(st.st_mode))
			k = -SC_ENOTREG;
	}
	if (k == 0) {
		s->init_path = TAKE_PTR(canon);
		if (!streq(s->init_chain[sc_strv_length(s->init_chain) - 1], s->init_path))
			sc_strv_push(&s->init_chain, s->init_path);
		s->init_is_systemd =
			streq(strrchr(s->init_path, '/') + 1, "systemd") ? SC_YES : SC_NO;
	} else {
		s->init_error = -k;
		s->init_is_systemd = SC_UNKNOWN;
	}
}

/* The units whose fate in a container the boot rules predict. */
static const char *const watched_units[] = {
	"dbus.service",
	"dbus-broker.service",
	"dbus.socket",
	"systemd-journald.service",
	"systemd-journal-flush.service",
	"systemd-logind.service",
	"systemd-journald.socket",
	"systemd-journald-dev-log.socket",
	"systemd-journalctl.socket",
	"systemd-logind-varlink.socket",
	"systemd-modules-load.service",
	"tmp.mount",
	"run-lock.mount",
	"sys-kernel-debug.mount",
	"sys-kernel-tracing.mount",
	"getty@.service",
	"console-getty.service",
};

bool sc_systemd_has_unit(const struct sc_systemd_image *s, const char *unit)
{
	return sc_strv_contains(s->units, unit);
}

static bool dir_not_empty(struct sc_root *root, const char *dir)
{
	_cleanup_strv_free_ char **l = NULL;
	return sc_root_list(root, dir, &l) >= 0 && sc_strv_length(l) > 0;
}

static void probe_units(struct sc_root *root, struct sc_systemd_image *s)
{
	static const char *const unit_dirs[] = { "/usr/lib/systemd/system", "/lib/systemd/system" };
	static const char *const modules_dirs[] = { "/etc/modules-load.d",
						    "/usr/lib/modules-load.d",
						    "/lib/modules-load.d",
						    "/usr/local/lib/modules-load.d" };
	_cleanup_strv_free_ char **names = NULL;
	struct stat st;

	s->units = sc_xcalloc(1, sizeof(char *));
	for (size_t d = 0; d < ELEMENTSOF(unit_dirs) && !names; d++)
		if (sc_root_list(root, unit_dirs[d], &names) < 0)
			names = NULL;
	for (size_t i = 0; names && i < ELEMENTSOF(watched_units); i++)
		if (sc_strv_contains(names, watched_units[i]))
			sc_strv_push(&s->units, watched_units[i]);

	/* Enabled by the distribution (Debian >= 13 pulls tmp.mount into
	 * local-fs.target) or the admin, and not masked. */
	s->tmp_mount_enabled =
		sc_systemd_has_unit(s, "tmp.mount") &&
		(sc_root_exists(root, "/usr/lib/systemd/system/local-fs.target.wants/tmp.mount") ==
			 0 ||
		 sc_root_exists(root, "/etc/systemd/system/local-fs.target.wants/tmp.mount") == 0);
	if (s->tmp_mount_enabled && sc_root_stat(root, "/etc/systemd/system/tmp.mount", &st) == 0 &&
	    !S_ISREG(st.st_mode))
		s->tmp_mount_enabled = false;

	/* Debian 13 ships run-lock.mount in local-fs.target.wants (its 252
	 * mounted /run/lock from PID 1's mount table instead). */
	s->run_lock_mount_enabled =
		sc_systemd_has_unit(s, "run-lock.mount") &&
		(sc_root_exists(root,
				"/usr/lib/systemd/system/local-fs.target.wants/run-lock.mount") ==
			 0 ||
		 sc_root_exists(root, "/etc/systemd/system/local-fs.target.wants/run-lock.mount") ==
			 0);
	if (s->run_lock_mount_enabled &&
	    sc_root_stat(root, "/etc/systemd/system/run-lock.mount", &st) == 0 &&
	    !S_ISREG(st.st_mode))
		s->run_lock_mount_enabled = false;

	/* logind's StateDirectory=systemd/linger: minbase images lack it, and
	 * on a read-only root it cannot be created (docs/boot-rules.md#r29). */
	s->linger_dir = sc_root_exists(root, "/var/lib/systemd/linger") == 0;

	/* libkmod: linked by systemd <= 255, dlopen()ed since 256; a minbase
	 * Debian 13 image has none, and modules-load then fails. */
	{
		_cleanup_strv_builder_ struct sc_strv_builder b = {};
		_cleanup_strv_free_ char **libdirs = NULL;
		_cleanup_strv_free_ char **usrlib = NULL;

		sc_strv_builder_push(&b, "/usr/lib64");
		sc_strv_builder_push(&b, "/lib64");
		sc_strv_builder_push(&b, "/usr/lib");
		if (sc_root_list(root, "/usr/lib", &usrlib) >= 0)
			for (char **e = usrlib; *e; e++)
				if (strstr(*e, "-linux-"))
					sc_strv_builder_consume(&b,
								sc_xasprintf("/usr/lib/%s", *e));
		libdirs = sc_strv_builder_take(&b);
		for (char **d = libdirs; *d && !s->libkmod; d++) {
			_cleanup_free_ char *p = sc_xasprintf("%s/libkmod.so.2", *d);
			s->libkmod = sc_root_exists(root, p) == 0;
		}
	}

	/* systemd-modules-load.service runs when one of these is non-empty
	 * (its ConditionDirectoryNotEmpty=| lines). */
	for (size_t i = 0; i < ELEMENTSOF(modules_dirs); i++)
		if (dir_not_empty(root, modules_dirs[i]))
			s->modules_load_configured = true;
}

void sc_systemd_probe(struct sc_root *root, struct sc_systemd_image *ret)
{
	struct sc_systemd_image s = { .v = { -1, -1 } };
	_cleanup_free_ char *lib = NULL, *core = NULL;

	find_library(root, &s, &lib, &core);
	find_banner(root, &s, lib, core);
	/* Debian's systemd 252 mounts /run/lock in mount-setup.c, a fatal
	 * entry whose options are this string (upstream has no such entry):
	 * docs/boot-rules.md#r27. */
	if (lib) {
		static const char *const n1[] = { "mode=1777,size=5242880" };
		_cleanup_strv_free_ char **m = NULL;

		if (sc_root_search(root, lib, n1, 1, &m) >= 0 && m[0])
			s.run_lock_in_mount_table = true;
	}
	{
		_cleanup_free_ char *status = NULL;
		if (sc_root_read(root, "/var/lib/dpkg/status", 32u * 1024u * 1024u, &status,
				 NULL) >= 0) {
			char *dv = sc_systemd_version_from_dpkg(status);

			s.dpkg = dv != NULL;
			if (!s.found || s.v.minor < 0)
				set_version(&s, dv, "/var/lib/dpkg/status", "dpkg");
			else
				free(dv);
		}
	}
	if (!s.found)
		find_os_release(root, &s);
	resolve_init(root, &s);
	if (s.found)
		probe_units(root, &s);
	*ret = s;
}

void sc_systemd_image_done(struct sc_systemd_image *s)
{
	free(s->version);
	free(s->source);
	free(s->method);
	free(s->default_hierarchy);
	free(s->init_path);
	sc_strv_free(s->init_chain);
	sc_strv_free(s->units);
	*s = (struct sc_systemd_image){};
}
