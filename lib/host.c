/* SPDX-License-Identifier: MIT */
/* Host probe: kernel release and command line, namespaces, init system,
 * lxcfs, container detection, and the cgroup facts (cgroup.c). Every read
 * goes through sc_root, so the same code probes a fixture tree. */
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

#include "host.h"
#include "util.h"

static const struct {
	const char *name;
	uint64_t initial;
} ns_table[_SC_NS_MAX] = {
	/* include/linux/proc_ns.h: PROC_*_INIT_INO; mnt and net inodes are
	 * allocated at boot, so there is no fixed number to compare with. */
	[SC_NS_CGROUP] = { "cgroup", 0xEFFFFFFBULL },
	[SC_NS_IPC] = { "ipc", 0xEFFFFFFFULL },
	[SC_NS_MNT] = { "mnt", 0 },
	[SC_NS_NET] = { "net", 0 },
	[SC_NS_PID] = { "pid", 0xEFFFFFFCULL },
	[SC_NS_TIME] = { "time", 0xEFFFFFFAULL },
	[SC_NS_USER] = { "user", 0xEFFFFFFDULL },
	[SC_NS_UTS] = { "uts", 0xEFFFFFFEULL },
};

const char *sc_ns_type_to_string(enum sc_ns_type t)
{
	return (size_t)t < _SC_NS_MAX ? ns_table[t].name : "?";
}

uint64_t sc_ns_initial_inode(enum sc_ns_type t)
{
	return (size_t)t < _SC_NS_MAX ? ns_table[t].initial : 0;
}

uint64_t sc_ns_parse_link(const char *link)
{
	const char *b = strchr(link, '[');
	char *end;
	uint64_t v;

	if (!b)
		return 0;
	errno = 0;
	v = strtoull(b + 1, &end, 10);
	if (errno || *end != ']' || end == b + 1)
		return 0;
	return v;
}

/* Parameters that explain a cgroup layout or a missing controller:
 * cgroup_no_v1= and cgroup_disable= (kernel-parameters.txt),
 * systemd.unified_cgroup_hierarchy= and friends (systemd(1)),
 * swapaccount= (memory accounting of swap), user namespace switches of
 * some distribution kernels. */
static const char *const relevant_params[] = {
	"cgroup_no_v1",
	"cgroup_disable",
	"cgroup_enable",
	"cgroup.memory",
	"swapaccount",
	"systemd.unified_cgroup_hierarchy",
	"systemd.legacy_systemd_cgroup_controller",
	"SYSTEMD_CGROUP_ENABLE_LEGACY_FORCE",
	"systemd.cgroup_enable_legacy_force",
	"user_namespace.enable",
	"namespace.unpriv_enable",
	"init",
	"psi",
};

void sc_cmdline_parse(const char *cmdline, struct sc_kernel_param **ret, size_t *ret_n)
{
	struct sc_kernel_param *v = NULL;
	size_t n = 0;
	const char *p = cmdline;

	while (p && *p) {
		_cleanup_free_ char *word = NULL;
		const char *start;
		bool quoted = false;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		start = p;
		/* The kernel allows double quotes around values with spaces. */
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		word = sc_xstrndup(start, (size_t)(p - start));
		/* "--" ends the kernel's parameters; the rest is for init. */
		if (streq(word, "--"))
			break;

		char *eq = strchr(word, '=');
		if (eq)
			*eq = 0;
		for (size_t i = 0; i < ELEMENTSOF(relevant_params); i++) {
			if (!streq(word, relevant_params[i]))
				continue;
			struct sc_kernel_param *kp = SC_APPEND(v, n);
			kp->key = sc_xstrdup(word);
			if (eq) {
				char *val = eq + 1;
				size_t l = strlen(val);
				if (l >= 2 && val[0] == '"' && val[l - 1] == '"') {
					val[l - 1] = 0;
					val++;
				}
				kp->value = sc_xstrdup(val);
			}
			break;
		}
	}
	*ret = v;
	*ret_n = n;
}

const struct sc_kernel_param *sc_host_param(const struct sc_host_facts *f, const char *key)
{
	const struct sc_kernel_param *found = NULL;

	/* The last occurrence wins, as for the kernel. */
	for (size_t i = 0; i < f->n_params; i++)
		if (streq(f->params[i].key, key))
			found = &f->params[i];
	return found;
}

int sc_kernel_version_parse(const char *release, int *ret_major, int *ret_minor)
{
	int major, minor;

	if (!release || sscanf(release, "%d.%d", &major, &minor) != 2)
		return -EINVAL;
	*ret_major = major;
	*ret_minor = minor;
	return 0;
}

int sc_host_kernel_cmp(const struct sc_host_facts *f, int major, int minor)
{
	if (f->kernel_major < 0)
		return 0;
	if (f->kernel_major != major)
		return f->kernel_major < major ? -1 : 1;
	return f->kernel_minor < minor ? -1 : f->kernel_minor > minor ? 1 : 0;
}

void sc_host_pid1_ns(struct sc_root *host, uint64_t ret[_SC_NS_MAX])
{
	for (int t = 0; t < _SC_NS_MAX; t++) {
		_cleanup_free_ char *q = sc_xasprintf("/proc/1/ns/%s", sc_ns_type_to_string(t));
		_cleanup_free_ char *q2 = sc_xasprintf("/proc/self/ns/%s", sc_ns_type_to_string(t));
		_cleanup_free_ char *b = NULL;

		/* "A container" means namespaces other than the host's PID 1
		 * has; ours when PID 1's are not readable. */
		ret[t] = sc_root_readlink(host, q, &b) >= 0 || sc_root_readlink(host, q2, &b) >= 0
				 ? sc_ns_parse_link(b)
				 : 0;
	}
}

static void probe_namespaces(struct sc_root *root, struct sc_host_facts *f)
{
	_cleanup_free_ char *v = NULL;

	for (int t = 0; t < _SC_NS_MAX; t++) {
		_cleanup_free_ char *p = sc_xasprintf("/proc/self/ns/%s", ns_table[t].name);
		_cleanup_free_ char *link = NULL;
		int k;

		f->ns[t].initial = SC_UNKNOWN;
		k = sc_root_readlink(root, p, &link);
		if (k < 0) {
			if (k != -ENOENT)
				sc_errlist_add(&f->errors, p, k);
			/* Absent: the kernel has no such namespace type. */
			f->ns[t].supported = k != -ENOENT;
			continue;
		}
		f->ns[t].supported = true;
		f->ns[t].inode = sc_ns_parse_link(link);
		if (ns_table[t].initial && f->ns[t].inode)
			f->ns[t].initial = f->ns[t].inode == ns_table[t].initial;
	}

	f->max_user_namespaces = -1;
	if (sc_probe_read_line(root, &f->errors, "/proc/sys/user/max_user_namespaces", &v) >= 0) {
		uint64_t n;
		if (sc_parse_u64(v, &n) >= 0)
			f->max_user_namespaces = (int64_t)n;
	}
}

static void probe_init(struct sc_root *root, struct sc_host_facts *f)
{
	int k;

	(void)sc_probe_read_line(root, &f->errors, "/proc/1/comm", &f->pid1_name);

	/* sd_booted(): systemd creates /run/systemd/system/ early at boot;
	 * it is how every systemd tool tells "booted with systemd". Like
	 * sd_booted()'s laccess("/run/systemd/system/"), it must be a
	 * directory (a symlink loop or a file there does not count). */
	struct stat st;
	k = sc_root_stat(root, "/run/systemd/system", &st);
	if (k == 0 && !S_ISDIR(st.st_mode))
		k = -ENOTDIR;
	f->systemd_running = k == 0 ? SC_YES : (k == -ENOENT || k == -ENOTDIR) ? SC_NO : SC_UNKNOWN;
	if (k < 0 && k != -ENOENT && k != -ENOTDIR)
		sc_errlist_add(&f->errors, "/run/systemd/system", k);

	if (f->systemd_running == SC_YES)
		f->init_system = sc_xstrdup("systemd");
	else if (sc_cgroup_has_oddity(&f->cgroup, "name_openrc_present") ||
		 sc_root_exists(root, "/run/openrc") == 0)
		f->init_system = sc_xstrdup("openrc");
	else if (f->pid1_name)
		f->init_system = sc_xstrdup("other");
	else
		f->init_system = sc_xstrdup("unknown");
}

static void probe_lxcfs(struct sc_host_facts *f)
{
	struct sc_strv_builder b = {};

	for (size_t i = 0; i < f->mounts.n; i++)
		if (streq(f->mounts.v[i].fstype, "fuse.lxcfs"))
			sc_strv_builder_push(&b, f->mounts.v[i].mountpoint);
	f->lxcfs_mountpoints = sc_strv_builder_take(&b);
}

static const char *container_name(const char *value)
{
	static const char *const known[] = {
		"lxc", "lxc-libvirt", "systemd-nspawn", "docker", "podman",
		"rkt", "wsl",	      "proot",		"pouch",
	};

	for (size_t i = 0; i < ELEMENTSOF(known); i++)
		if (streq(value, known[i]))
			return known[i];
	return "container-other";
}

/* The order and tests of systemd's detect_container() (src/basic/virt.c,
 * v254): OpenVZ, WSL, proot, /run/host/container-manager,
 * /run/systemd/container, PID 1's $container, /run/.containerenv,
 * /.dockerenv, then running in a cgroup namespace. */
static void probe_container(struct sc_root *root, struct sc_host_facts *f)
{
	_cleanup_free_ char *s = NULL, *environ = NULL;

	if (sc_root_exists(root, "/proc/vz") == 0 && sc_root_exists(root, "/proc/bc") == -ENOENT) {
		f->container = sc_xstrdup("openvz");
		f->container_evidence = sc_xstrdup("/proc/vz exists, /proc/bc does not");
		return;
	}
	if (f->kernel_release &&
	    (strstr(f->kernel_release, "Microsoft") || strstr(f->kernel_release, "WSL"))) {
		f->container = sc_xstrdup("wsl");
		f->container_evidence =
			sc_xasprintf("/proc/sys/kernel/osrelease is %s", f->kernel_release);
		return;
	}
	if (sc_root_read_line(root, "/run/host/container-manager", &s) >= 0 && *s) {
		f->container = sc_xstrdup(container_name(s));
		f->container_evidence = sc_xasprintf("/run/host/container-manager says %s", s);
		return;
	}
	free(TAKE_PTR(s));
	if (sc_root_read_line(root, "/run/systemd/container", &s) >= 0 && *s) {
		f->container = sc_xstrdup(container_name(s));
		f->container_evidence = sc_xasprintf("/run/systemd/container says %s", s);
		return;
	}
	/* Needs CAP_SYS_PTRACE over PID 1; failures are ignored, as systemd
	 * does, and not recorded as errors. */
	if (sc_root_read_env(root, "/proc/1/environ", "container", &environ) >= 0 && *environ) {
		f->container = sc_xstrdup(container_name(environ));
		f->container_evidence = sc_xasprintf("PID 1 has container=%s", environ);
		return;
	}
	if (sc_root_exists(root, "/run/.containerenv") == 0) {
		f->container = sc_xstrdup("podman");
		f->container_evidence = sc_xstrdup("/run/.containerenv exists");
		return;
	}
	if (sc_root_exists(root, "/.dockerenv") == 0) {
		f->container = sc_xstrdup("docker");
		f->container_evidence = sc_xstrdup("/.dockerenv exists");
		return;
	}
	if (f->cgroup.in_cgroupns == SC_YES) {
		f->container = sc_xstrdup("container-other");
		f->container_evidence = sc_xasprintf(
			"the cgroup root is not the real root (%s)",
			f->cgroup.v2_path ? "cgroup.type exists in the cgroup2 root"
					  : "no release_agent in the name=systemd root");
		return;
	}
	f->container = sc_xstrdup("none");
	f->container_evidence = sc_xstrdup("no container manager file, no $container in PID 1, "
					   "cgroup root is the real root");
}

/* Namespaces with fixed initial inodes: any other inode means a new
 * namespace, i.e. we run in some container. All initial: not one, or one
 * that shares every namespace with the host (--pid=host and friends). */
static void probe_ns_container(struct sc_host_facts *f)
{
	static const enum sc_ns_type types[] = { SC_NS_PID, SC_NS_USER, SC_NS_CGROUP, SC_NS_IPC,
						 SC_NS_UTS };
	bool all_known = true;

	f->ns_says_container = SC_UNKNOWN;
	for (size_t i = 0; i < ELEMENTSOF(types); i++) {
		if (f->ns[types[i]].initial == SC_NO) {
			f->ns_says_container = SC_YES;
			return;
		}
		if (f->ns[types[i]].initial != SC_YES && f->ns[types[i]].supported)
			all_known = false;
	}
	if (all_known)
		f->ns_says_container = SC_NO;
}

int sc_host_probe(struct sc_root *root, struct sc_host_facts *ret)
{
	struct sc_host_facts f = {};
	_cleanup_free_ char *mi = NULL;
	int k;

	f.root_path = sc_xstrdup(sc_root_path(root));
	f.live = sc_root_is_live(root);
	f.euid = (int)sc_root_euid(root);
	f.kernel_major = f.kernel_minor = -1;

	k = sc_probe_read(root, &f.errors, "/proc/self/mountinfo", &mi);
	if (k < 0) {
		sc_host_facts_done(&f);
		return k;
	}
	sc_mountinfo_parse(mi, &f.mounts);

	if (sc_probe_read_line(root, &f.errors, "/proc/sys/kernel/osrelease", &f.kernel_release) >=
	    0)
		(void)sc_kernel_version_parse(f.kernel_release, &f.kernel_major, &f.kernel_minor);
	/* Not an error when absent: a fixture tree or an image has none. */
	(void)sc_root_read_line(root, "/proc/sys/kernel/hostname", &f.hostname);
	if (sc_probe_read_line(root, &f.errors, "/proc/cmdline", &f.cmdline) >= 0)
		sc_cmdline_parse(f.cmdline, &f.params, &f.n_params);

	sc_cgroup_probe(root, &f.mounts, &f.errors, &f.cgroup);
	probe_namespaces(root, &f);
	sc_host_pid1_ns(root, f.pid1_ns);
	probe_init(root, &f);
	probe_lxcfs(&f);
	f.kernel_modules = sc_root_exists(root, "/proc/modules") == 0;
	probe_container(root, &f);
	probe_ns_container(&f);
	*ret = f;
	return 0;
}

void sc_host_facts_done(struct sc_host_facts *f)
{
	free(f->root_path);
	free(f->kernel_release);
	free(f->hostname);
	sc_cgroup_facts_done(&f->cgroup);
	free(f->cmdline);
	for (size_t i = 0; i < f->n_params; i++) {
		free(f->params[i].key);
		free(f->params[i].value);
	}
	free(f->params);
	free(f->pid1_name);
	free(f->init_system);
	sc_strv_free(f->lxcfs_mountpoints);
	free(f->container);
	free(f->container_evidence);
	sc_errlist_done(&f->errors);
	sc_mounts_done(&f->mounts);
	*f = (struct sc_host_facts){};
}
