/* SPDX-License-Identifier: MIT */
/* /proc/PID parsers and the process probe. Formats: proc(5) (status,
 * stat, cgroup), user_namespaces(7) (uid_map), capabilities(7). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>

#include "proc.h"
#include "util.h"

/* include/uapi/linux/capability.h, in bit order. */
static const char *const cap_names[] = {
	"chown",
	"dac_override",
	"dac_read_search",
	"fowner",
	"fsetid",
	"kill",
	"setgid",
	"setuid",
	"setpcap",
	"linux_immutable",
	"net_bind_service",
	"net_broadcast",
	"net_admin",
	"net_raw",
	"ipc_lock",
	"ipc_owner",
	"sys_module",
	"sys_rawio",
	"sys_chroot",
	"sys_ptrace",
	"sys_pacct",
	"sys_admin",
	"sys_boot",
	"sys_nice",
	"sys_resource",
	"sys_time",
	"sys_tty_config",
	"mknod",
	"lease",
	"audit_write",
	"audit_control",
	"setfcap",
	"mac_override",
	"mac_admin",
	"syslog",
	"wake_alarm",
	"block_suspend",
	"audit_read",
	"perfmon",
	"bpf",
	"checkpoint_restore",
};

const char *sc_cap_name(unsigned cap)
{
	return cap < ELEMENTSOF(cap_names) ? cap_names[cap] : NULL;
}

int sc_cap_from_name(const char *name)
{
	const char *n = name;

	if (strncasecmp(n, "cap_", 4) == 0)
		n += 4;
	for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
		if (strcasecmp(n, cap_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

char *sc_caps_to_string(uint64_t mask)
{
	_cleanup_strv_free_ char **l = sc_xcalloc(1, sizeof(char *));

	for (unsigned i = 0; i < 64; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		if (sc_cap_name(i))
			sc_strv_consume(&l, sc_xasprintf("cap_%s", sc_cap_name(i)));
		else
			sc_strv_consume(&l, sc_xasprintf("cap_%u", i));
	}
	return sc_strv_join(l, ",");
}

int sc_id_map_parse(const char *text, struct sc_id_range **ret, size_t *ret_n)
{
	struct sc_id_range *v = NULL;
	size_t n = 0;

	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');
		_cleanup_free_ char *line = sc_xstrndup(l, (size_t)(eol - l));
		unsigned long a, b, c;
		char extra;

		l = *eol ? eol + 1 : eol;
		if (!*sc_strstrip(line))
			continue;
		if (sscanf(line, "%lu %lu %lu %c", &a, &b, &c, &extra) != 3 || a > UINT32_MAX ||
		    b > UINT32_MAX || c > UINT32_MAX || c == 0) {
			free(v);
			return -EBADMSG;
		}
		*SC_APPEND(v, n) = (struct sc_id_range){ (uint32_t)a, (uint32_t)b, (uint32_t)c };
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int sc_id_map_to_outside(const struct sc_id_range *m, size_t n, uint32_t inside, uint32_t *ret)
{
	for (size_t i = 0; i < n; i++)
		if (inside >= m[i].inside &&
		    (uint64_t)inside < (uint64_t)m[i].inside + m[i].count) {
			*ret = m[i].outside + (inside - m[i].inside);
			return 0;
		}
	return -ERANGE;
}

bool sc_id_map_is_identity(const struct sc_id_range *m, size_t n)
{
	/* The initial user namespace: "0 0 4294967295". */
	return n == 1 && m[0].inside == 0 && m[0].outside == 0 && m[0].count == UINT32_MAX;
}

int sc_cgroup_lines_parse(const char *text, struct sc_cgroup_line **ret, size_t *ret_n)
{
	struct sc_cgroup_line *v = NULL;
	size_t n = 0;

	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');
		_cleanup_free_ char *line = sc_xstrndup(l, (size_t)(eol - l));
		char *c1, *c2, *end;
		long h;

		l = *eol ? eol + 1 : eol;
		if (!*line)
			continue;
		/* The path may itself contain ':' — split on the first two. */
		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2) {
			sc_cgroup_lines_free(v, n);
			return -EBADMSG;
		}
		*c1 = *c2 = 0;
		errno = 0;
		h = strtol(line, &end, 10);
		if (errno || *end || end == line || h < 0) {
			sc_cgroup_lines_free(v, n);
			return -EBADMSG;
		}
		struct sc_cgroup_line *e = SC_APPEND(v, n);
		e->hierarchy = (int)h;
		e->controllers = sc_xstrdup(c1 + 1);
		e->path = sc_xstrdup(c2 + 1);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void sc_cgroup_lines_free(struct sc_cgroup_line *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].controllers);
		free(v[i].path);
	}
	free(v);
}

const struct sc_cgroup_line *sc_cgroup_line_find(const struct sc_cgroup_line *v, size_t n,
						 const char *controller)
{
	for (size_t i = 0; i < n; i++) {
		if (!controller) {
			if (v[i].hierarchy == 0 && !*v[i].controllers)
				return &v[i];
			continue;
		}
		_cleanup_strv_free_ char **l = sc_strv_split(v[i].controllers, ",");
		if (sc_strv_contains(l, controller))
			return &v[i];
	}
	return NULL;
}

int sc_proc_stat_parse(const char *text, struct sc_proc_stat *ret)
{
	/* "PID (comm) S PPID ..." — comm may contain spaces and parens, so
	 * the fields start after the last ')'. start_time is field 22. */
	const char *p = strrchr(text, ')');
	_cleanup_strv_free_ char **f = NULL;
	uint64_t v;
	int pp;

	if (!p)
		return -EBADMSG;
	f = sc_strv_split(p + 1, " \n");
	if (sc_strv_length(f) < 20 || strlen(f[0]) != 1)
		return -EBADMSG;
	if (sc_parse_int(f[1], &pp) < 0 || sc_parse_u64(f[19], &v) < 0)
		return -EBADMSG;
	ret->state = f[0][0];
	ret->ppid = pp;
	ret->start_time = v;
	return 0;
}

static void status_fields(struct sc_proc_facts *f, const char *status)
{
	static const struct {
		const char *key;
		size_t off;
	} caps[] = {
		{ "CapEff", offsetof(struct sc_proc_facts, cap_eff) },
		{ "CapPrm", offsetof(struct sc_proc_facts, cap_prm) },
		{ "CapBnd", offsetof(struct sc_proc_facts, cap_bnd) },
		{ "CapInh", offsetof(struct sc_proc_facts, cap_inh) },
		{ "CapAmb", offsetof(struct sc_proc_facts, cap_amb) },
	};
	_cleanup_free_ char *seccomp = sc_find_field(status, "Seccomp", ':');
	_cleanup_free_ char *filters = sc_find_field(status, "Seccomp_filters", ':');
	_cleanup_free_ char *nnp = sc_find_field(status, "NoNewPrivs", ':');
	_cleanup_free_ char *uid = sc_find_field(status, "Uid", ':');
	_cleanup_free_ char *nspid = sc_find_field(status, "NSpid", ':');
	int v;

	f->caps_known = true;
	for (size_t i = 0; i < ELEMENTSOF(caps); i++) {
		_cleanup_free_ char *hex = sc_find_field(status, caps[i].key, ':');
		char *end;
		uint64_t m;

		if (!hex) {
			f->caps_known = false;
			continue;
		}
		errno = 0;
		m = strtoull(hex, &end, 16);
		if (errno || *end)
			f->caps_known = false;
		else
			*(uint64_t *)((char *)f + caps[i].off) = m;
	}
	f->seccomp = seccomp && sc_parse_int(seccomp, &v) == 0 ? v : -1;
	f->seccomp_filters = filters && sc_parse_int(filters, &v) == 0 ? v : -1;
	f->no_new_privs = nnp && sc_parse_int(nnp, &v) == 0 ? v : -1;
	f->uid = (uid_t)-1;
	if (uid) {
		unsigned long u;
		if (sscanf(uid, "%lu", &u) == 1)
			f->uid = (uid_t)u;
	}
	/* NSpid: one PID per nested pid namespace, outermost first. */
	if (nspid) {
		_cleanup_strv_free_ char **l = sc_strv_split(nspid, " \t");
		size_t n = sc_strv_length(l);
		if (n > 0 && sc_parse_int(l[n - 1], &v) == 0)
			f->nspid_inner = v;
	}
	f->cpus_allowed = sc_find_field(status, "Cpus_allowed_list", ':');
	f->mems_allowed = sc_find_field(status, "Mems_allowed_list", ':');
}

int sc_proc_read_stat(struct sc_root *host, pid_t pid, struct sc_proc_stat *ret)
{
	_cleanup_free_ char *p = sc_xasprintf("/proc/%d/stat", (int)pid), *stat = NULL;
	int k;

	k = sc_root_read(host, p, 64 * 1024, &stat, NULL);
	if (k < 0)
		return k == -ENOENT ? -ESRCH : k;
	return sc_proc_stat_parse(stat, ret);
}

int sc_proc_probe(struct sc_root *host, pid_t pid, struct sc_proc_facts *ret)
{
	return sc_proc_probe_flags(host, pid, 0, NULL, ret);
}

int sc_proc_probe_flags(struct sc_root *host, pid_t pid, unsigned flags,
			const uint64_t host_ns[_SC_NS_MAX], struct sc_proc_facts *ret)
{
	struct sc_proc_facts f = {
		.pid = pid, .seccomp = -1, .seccomp_filters = -1, .no_new_privs = -1
	};
	_cleanup_free_ char *status = NULL, *stat = NULL, *cmdline = NULL, *env = NULL, *map = NULL,
			    *cg = NULL;
	char base[64];
	size_t size = 0;
	int k;

	snprintf(base, sizeof(base), "/proc/%d", (int)pid);

	{
		_cleanup_free_ char *p = sc_xasprintf("%s/status", base);
		k = sc_probe_read(host, &f.errors, p, &status);
		if (k < 0) {
			sc_errlist_done(&f.errors);
			return k == -ENOENT ? -ESRCH : k;
		}
	}
	status_fields(&f, status);
	f.comm = sc_find_field(status, "Name", ':');

	{
		_cleanup_free_ char *p = sc_xasprintf("%s/stat", base);
		if (sc_probe_read(host, &f.errors, p, &stat) >= 0)
			(void)sc_proc_stat_parse(stat, &f.stat);
	}
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/cmdline", base);
		if (sc_root_read(host, p, 256 * 1024, &cmdline, &size) >= 0 && size > 0) {
			for (size_t i = 0; i + 1 < size; i++)
				if (cmdline[i] == 0)
					cmdline[i] = ' ';
			f.cmdline = sc_xstrdup(sc_strstrip(cmdline));
		}
	}
	if (!(flags & SC_PROC_BRIEF)) {
		/* Needs ptrace access over the process: root, or its owner. */
		_cleanup_free_ char *p = sc_xasprintf("%s/environ", base);
		k = sc_root_read_env(host, p, "container", &f.container_env);
		f.environ_readable = k >= 0 || k == -ENOENT;
	}
	if (!(flags & SC_PROC_BRIEF)) {
		_cleanup_free_ char *p = sc_xasprintf("%s/uid_map", base);
		if (sc_probe_read(host, &f.errors, p, &map) >= 0)
			(void)sc_id_map_parse(map, &f.uid_map, &f.n_uid_map);
		free(TAKE_PTR(map));
		free(p);
		p = sc_xasprintf("%s/gid_map", base);
		if (sc_probe_read(host, &f.errors, p, &map) >= 0)
			(void)sc_id_map_parse(map, &f.gid_map, &f.n_gid_map);
	}
	for (int t = 0; t < _SC_NS_MAX; t++) {
		_cleanup_free_ char *p = sc_xasprintf("%s/ns/%s", base, sc_ns_type_to_string(t));
		_cleanup_free_ char *a = NULL;

		if (sc_root_readlink(host, p, &a) >= 0)
			f.ns[t] = sc_ns_parse_link(a);
	}
	if (host_ns)
		memcpy(f.host_ns, host_ns, sizeof(f.host_ns));
	else
		sc_host_pid1_ns(host, f.host_ns);
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/cgroup", base);
		if (sc_probe_read(host, &f.errors, p, &cg) >= 0)
			(void)sc_cgroup_lines_parse(cg, &f.cgroups, &f.n_cgroups);
	}

	/* Gone while we looked: the facts would mix two processes. */
	if (sc_root_exists(host, base) < 0) {
		sc_proc_facts_done(&f);
		return -ESRCH;
	}
	*ret = f;
	return 0;
}

void sc_proc_facts_done(struct sc_proc_facts *f)
{
	free(f->comm);
	free(f->cmdline);
	free(f->cpus_allowed);
	free(f->mems_allowed);
	free(f->uid_map);
	free(f->gid_map);
	free(f->container_env);
	sc_cgroup_lines_free(f->cgroups, f->n_cgroups);
	sc_errlist_done(&f->errors);
	*f = (struct sc_proc_facts){};
}

int sc_proc_ns_private(const struct sc_proc_facts *f, enum sc_ns_type t)
{
	if (!f->ns[t] || !f->host_ns[t])
		return -1;
	return f->ns[t] != f->host_ns[t];
}
