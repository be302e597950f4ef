/* SPDX-License-Identifier: MIT */
/* Runtime state files into container references, and TARGET resolution.
 * Shapes, from the runtimes' sources: runc libcontainer State
 * (state.json: id, init_process_pid, init_process_start, config.labels
 * "bundle=..."), crun libcrun/status.c (status: pid, process-start-time,
 * bundle), moby container/container.go (config.v2.json: ID, Name "/x",
 * State.Pid, State.Running), c/storage containers.json (id, names[]),
 * systemd machined (/run/systemd/machines/NAME: LEADER=). */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>

#include "json-skim.h"
#include "proc.h"
#include "runtime.h"
#include "util.h"

const char *sc_runtime_to_string(enum sc_runtime rt)
{
	return (size_t)rt < _SC_RT_MAX ? sc_runtimes[rt].name : "unknown";
}

int sc_runtime_from_string(const char *s)
{
	for (int i = 0; i < _SC_RT_MAX; i++)
		if (streq(sc_runtimes[i].name, s) || streq_ptr(sc_runtimes[i].alias, s))
			return i;
	return -EINVAL;
}

void sc_container_ref_done(struct sc_container_ref *c)
{
	free(c->id);
	free(c->name);
	free(c->bundle);
	free(c->state_file);
	*c = (struct sc_container_ref){};
}

void sc_container_refs_free(struct sc_container_ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sc_container_ref_done(&v[i]);
	free(v);
}

void sc_state_roots_default(struct sc_state_roots *r)
{
	*r = (struct sc_state_roots){};
	for (size_t i = 0; i < _SC_RT_MAX; i++)
		r->dir[i] = sc_runtimes[i].state_root;
}

int sc_state_roots_set(struct sc_state_roots *r, const char *spec)
{
	const char *eq = strchr(spec, '=');
	_cleanup_free_ char *name = NULL;
	int rt;

	if (!eq || eq == spec || !eq[1] || eq[1] != '/')
		return -EINVAL;
	name = sc_xstrndup(spec, (size_t)(eq - spec));
	rt = sc_runtime_from_string(name);
	if (rt <= SC_RT_NONE)
		return -EINVAL;
	r->dir[rt] = eq + 1;
	r->fixed[rt] = true;
	return 0;
}

/* ---- rootless users' state roots --------------------------------------------------- */

/* One user's state roots (the runtimes with a per-user root). */
struct user_roots {
	uid_t uid;
	struct sc_state_roots r;
	char *buf[_SC_RT_MAX];
};

static void user_roots_free(struct user_roots *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t rt = 0; rt < _SC_RT_MAX; rt++)
			free(v[i].buf[rt]);
	free(v);
}

/* The homes of the host's /etc/passwd (name:pw:uid:gid:gecos:home:shell),
 * absolute paths only, sorted by UID (the first line of a UID wins): one
 * pass, then a binary search per user. */
struct home {
	uid_t uid;
	size_t line;
	char *dir;
};

static int home_cmp(const void *a, const void *b)
{
	const struct home *x = a, *y = b;

	return x->uid != y->uid	    ? (x->uid < y->uid ? -1 : 1)
	       : x->line != y->line ? (x->line < y->line ? -1 : 1)
				    : 0;
}

static size_t passwd_homes(const char *passwd, struct home **ret)
{
	struct home *v = NULL;
	size_t n = 0, line = 0;

	for (const char *l = passwd; l && *l; line++) {
		const char *e = strchrnul(l, '\n'), *f[7] = { l };
		size_t nf = 1;

		for (const char *p = l; p < e && nf < 7; p++)
			if (*p == ':')
				f[nf++] = p + 1;
		if (nf == 7 && f[5][0] == '/' && f[6] - f[5] > 2) {
			_cleanup_free_ char *u = sc_xstrndup(f[2], (size_t)(f[3] - f[2] - 1));
			uint64_t uid;

			if (sc_parse_u64(u, &uid) == 0 && uid < UINT32_MAX) {
				struct home *h = SC_APPEND(v, n);
				h->uid = (uid_t)uid;
				h->line = line;
				h->dir = sc_xstrndup(f[5], (size_t)(f[6] - f[5] - 1));
			}
		}
		l = *e ? e + 1 : e;
	}
	if (n)
		qsort(v, n, sizeof(*v), home_cmp);
	*ret = v;
	return n;
}

static const char *home_of(const struct home *v, size_t n, uid_t uid)
{
	size_t lo = 0, hi = n;

	/* the first entry of uid */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].uid == uid ? v[lo].dir : NULL;
}

static void homes_free(struct home *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].dir);
	free(v);
}

/* The users with a runtime directory (/run/user/UID, UID > 0: root's
 * containers are the rootful ones) and their roots, for the runtimes not
 * fixed by --state-root. A user not in /etc/passwd has no home roots. */
static size_t users_roots(struct sc_root *host, const struct sc_state_roots *sys,
			  struct user_roots **ret)
{
	_cleanup_strv_free_ char **uids = NULL;
	_cleanup_free_ char *passwd = NULL;
	struct user_roots *v = NULL;
	struct home *homes = NULL;
	bool any = false, home = false;
	size_t n = 0, n_homes = 0;

	*ret = NULL;
	for (size_t rt = 0; rt < _SC_RT_MAX; rt++) {
		any |= !sys->fixed[rt] &&
		       (sc_runtimes[rt].user_runtime_dir || sc_runtimes[rt].user_home_dir);
		home |= !sys->fixed[rt] && sc_runtimes[rt].user_home_dir;
	}
	if (!any || sc_root_list(host, "/run/user", &uids) < 0)
		return 0;
	/* A site's local passwd may hold 10^5 users: 32 MiB, not SC_READ_MAX. */
	if (home && uids[0] &&
	    sc_root_read(host, "/etc/passwd", 32u * 1024u * 1024u, &passwd, NULL) >= 0)
		n_homes = passwd_homes(passwd, &homes);
	for (char **u = uids; *u; u++) {
		const char *h;
		struct user_roots *x;
		uint64_t uid;

		if (sc_parse_u64(*u, &uid) < 0 || uid == 0 || uid >= UINT32_MAX)
			continue;
		h = home_of(homes, n_homes, (uid_t)uid);
		x = SC_APPEND(v, n);
		x->uid = (uid_t)uid;
		for (size_t rt = 0; rt < _SC_RT_MAX; rt++) {
			const struct sc_runtime_def *d = &sc_runtimes[rt];

			if (sys->fixed[rt])
				continue;
			if (d->user_runtime_dir)
				x->buf[rt] =
					sc_xasprintf("/run/user/%s/%s", *u, d->user_runtime_dir);
			else if (d->user_home_dir && h)
				x->buf[rt] = sc_xasprintf("%s/%s", streq(h, "/") ? "" : h,
							  d->user_home_dir);
			x->r.dir[rt] = x->buf[rt];
		}
	}
	homes_free(homes, n_homes);
	*ret = v;
	return n;
}

static void mark_rootless(struct sc_container_ref *v, size_t from, size_t n, uid_t uid)
{
	for (size_t i = from; i < n; i++) {
		v[i].rootless = true;
		v[i].uid = uid;
	}
}

static json_t *load(const char *text)
{
	return json_loads(text, JSON_REJECT_DUPLICATES, NULL);
}

static pid_t json_pid(json_t *v)
{
	json_int_t p = json_is_integer(v) ? json_integer_value(v) : 0;
	return p > 0 && p < (1 << 22) ? (pid_t)p : 0;
}

/* runc's state.json is some KiB (the whole libcontainer config) of which
 * four fields matter, and `list` reads every container's: skimmed, with
 * only those four built (json-skim.h). */
int sc_parse_runc_state(const char *text, struct sc_container_ref *ret)
{
	_cleanup_free_ struct sc_json_member *m = NULL, *cm = NULL;
	struct sc_container_ref c = { .runtime = SC_RT_RUNC };
	json_t *id = NULL, *pid = NULL, *start = NULL, *labels = NULL, *l;
	const struct sc_json_member *config;
	int n, nc;
	size_t i;

	n = sc_json_skim_object(text, strlen(text), &m);
	if (n < 0)
		return -EBADMSG;
	id = sc_json_member_load(sc_json_member_find(m, (size_t)n, "id"));
	if (!json_is_string(id) || !*json_string_value(id))
		goto bad;
	c.id = sc_xstrdup(json_string_value(id));
	pid = sc_json_member_load(sc_json_member_find(m, (size_t)n, "init_process_pid"));
	c.pid = json_pid(pid);
	start = sc_json_member_load(sc_json_member_find(m, (size_t)n, "init_process_start"));
	if (json_is_integer(start))
		c.start_time = (unsigned long long)json_integer_value(start);
	config = sc_json_member_find(m, (size_t)n, "config");
	nc = config && config->value[0] == '{'
		     ? sc_json_skim_object(config->value, config->value_len, &cm)
		     : 0;
	if (nc > 0)
		labels = sc_json_member_load(sc_json_member_find(cm, (size_t)nc, "labels"));
	json_array_foreach(labels, i, l)
	{
		const char *s = json_string_value(l), *b;
		if (s && (b = startswith(s, "bundle="))) {
			free(c.bundle);
			c.bundle = sc_xstrdup(b);
		}
	}
	json_decref(id);
	json_decref(pid);
	json_decref(start);
	json_decref(labels);
	*ret = c;
	return 0;
bad:
	json_decref(id);
	sc_container_ref_done(&c);
	return -EBADMSG;
}

int sc_parse_crun_status(const char *text, struct sc_container_ref *ret)
{
	json_t *doc = load(text), *v;
	struct sc_container_ref c = { .runtime = SC_RT_CRUN };
	const char *b;

	if (!doc || !json_is_object(doc) || !json_is_integer(json_object_get(doc, "pid"))) {
		json_decref(doc);
		return -EBADMSG;
	}
	c.pid = json_pid(json_object_get(doc, "pid"));
	v = json_object_get(doc, "process-start-time");
	if (json_is_integer(v))
		c.start_time = (unsigned long long)json_integer_value(v);
	b = json_string_value(json_object_get(doc, "bundle"));
	if (b)
		c.bundle = sc_xstrdup(b);
	json_decref(doc);
	*ret = c;
	return 0;
}

/* config.v2.json is the whole container (config, host config, network
 * settings: some KiB), of which ID, Name and State matter; a Docker name
 * is found only by reading every container's: skimmed, like runc's. */
int sc_parse_docker_config(const char *text, struct sc_container_ref *ret)
{
	_cleanup_free_ struct sc_json_member *m = NULL;
	struct sc_container_ref c = { .runtime = SC_RT_DOCKER };
	json_t *id = NULL, *name = NULL, *state = NULL;
	int n;

	n = sc_json_skim_object(text, strlen(text), &m);
	if (n < 0)
		return -EBADMSG;
	id = sc_json_member_load(sc_json_member_find(m, (size_t)n, "ID"));
	if (!json_is_string(id) || !*json_string_value(id))
		goto bad;
	c.id = sc_xstrdup(json_string_value(id));
	name = sc_json_member_load(sc_json_member_find(m, (size_t)n, "Name"));
	if (json_is_string(name)) {
		const char *v = json_string_value(name);
		c.name = sc_xstrdup(v[0] == '/' ? v + 1 : v);
	}
	state = sc_json_member_load(sc_json_member_find(m, (size_t)n, "State"));
	if (json_is_true(json_object_get(state, "Running")))
		c.pid = json_pid(json_object_get(state, "Pid"));
	json_decref(id);
	json_decref(name);
	json_decref(state);
	*ret = c;
	return 0;
bad:
	json_decref(id);
	sc_container_ref_done(&c);
	return -EBADMSG;
}

int sc_parse_podman_containers(const char *text, struct sc_container_ref **ret, size_t *ret_n)
{
	json_t *doc = load(text), *e;
	struct sc_container_ref *v = NULL;
	size_t n = 0, i;

	if (!doc || !json_is_array(doc)) {
		json_decref(doc);
		return -EBADMSG;
	}
	json_array_foreach(doc, i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		json_t *names = json_object_get(e, "names");
		struct sc_container_ref *c;

		if (!id || !*id)
			continue;
		c = SC_APPEND(v, n);
		c->runtime = SC_RT_PODMAN;
		c->id = sc_xstrdup(id);
		if (json_is_array(names) && json_is_string(json_array_get(names, 0)))
			c->name = sc_xstrdup(json_string_value(json_array_get(names, 0)));
	}
	json_decref(doc);
	*ret = v;
	*ret_n = n;
	return 0;
}

int sc_parse_nspawn_machine(const char *name, const char *text, struct sc_container_ref *ret)
{
	_cleanup_free_ char *leader = sc_find_field(text, "LEADER", '=');
	_cleanup_free_ char *root = sc_find_field(text, "ROOT", '=');
	_cleanup_free_ char *cls = sc_find_field(text, "CLASS", '=');
	uint64_t pid;

	if (!leader || sc_parse_u64(leader, &pid) < 0 || pid == 0 || pid >= (1u << 22))
		return -EBADMSG;
	/* machined also registers VMs; only containers have namespaces. */
	if (cls && !streq(cls, "container"))
		return -EBADMSG;
	*ret = (struct sc_container_ref){
		.runtime = SC_RT_NSPAWN,
		.id = sc_xstrdup(name),
		.name = sc_xstrdup(name),
		.pid = (pid_t)pid,
		.bundle = root ? sc_xstrdup(root) : NULL,
	};
	return 0;
}

/* ---- scanning ----------------------------------------------------------------- */

static void read_oci(struct sc_root *host, enum sc_runtime rt, const char *dir, const char *id,
		     const char *file, int (*parse)(const char *, struct sc_container_ref *),
		     struct sc_container_ref **v, size_t *n);

static void scan_oci(struct sc_root *host, enum sc_runtime rt, const char *dir, const char *file,
		     int (*parse)(const char *, struct sc_container_ref *),
		     struct sc_container_ref **v, size_t *n)
{
	_cleanup_strv_free_ char **ids = NULL;

	if (sc_root_list(host, dir, &ids) < 0)
		return;
	for (char **id = ids; *id; id++)
		read_oci(host, rt, dir, *id, file, parse, v, n);
}

/* The entries of a state directory keyed by ID that name may mean: the ID
 * itself, else the IDs it is a prefix of (3 characters or more, as
 * sc_target_resolve() accepts them). An exact ID is one stat; a prefix
 * one directory listing; no reads. */
static char **ids_matching(struct sc_root *host, const char *dir, const char *name)
{
	_cleanup_strv_free_ char **ids = NULL;
	struct sc_strv_builder b = {};
	size_t l = strlen(name);

	/* An exact ID wins over prefix matches: then it alone is read,
	 * found without listing the directory. */
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/%s", dir, name);
		if (sc_root_exists(host, p) >= 0) {
			sc_strv_builder_push(&b, name);
			return sc_strv_builder_take(&b);
		}
	}
	if (l < 3 || sc_root_list(host, dir, &ids) < 0)
		return sc_strv_builder_take(&b);
	for (char **id = ids; *id; id++)
		if (l >= 3 && strncmp(*id, name, l) == 0)
			sc_strv_builder_push(&b, *id);
	return sc_strv_builder_take(&b);
}

/* One OCI state directory entry, by ID: dir/ID/file. */
static void read_oci(struct sc_root *host, enum sc_runtime rt, const char *dir, const char *id,
		     const char *file, int (*parse)(const char *, struct sc_container_ref *),
		     struct sc_container_ref **v, size_t *n)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/%s/%s", dir, id, file);
	_cleanup_free_ char *text = NULL;
	struct sc_container_ref c;

	if (sc_root_read(host, p, SC_READ_MAX, &text, NULL) < 0 || parse(text, &c) < 0)
		return;
	c.runtime = rt;
	free(c.id);
	c.id = sc_xstrdup(id);
	c.state_file = TAKE_PTR(p);
	*SC_APPEND(*v, *n) = c;
}

static void lookup_oci(struct sc_root *host, enum sc_runtime rt, const char *dir, const char *name,
		       const char *file, int (*parse)(const char *, struct sc_container_ref *),
		       struct sc_container_ref **v, size_t *n)
{
	_cleanup_strv_free_ char **ids = NULL;

	if (!dir)
		return;
	ids = ids_matching(host, dir, name);
	for (char **id = ids; *id; id++)
		read_oci(host, rt, dir, *id, file, parse, v, n);
}

static void lookup_runc(struct sc_root *host, const struct sc_state_roots *roots, const char *name,
			struct sc_container_ref **v, size_t *n)
{
	lookup_oci(host, SC_RT_RUNC, roots->dir[SC_RT_RUNC], name, "state.json",
		   sc_parse_runc_state, v, n);
}

static void lookup_crun(struct sc_root *host, const struct sc_state_roots *roots, const char *name,
			struct sc_container_ref **v, size_t *n)
{
	lookup_oci(host, SC_RT_CRUN, roots->dir[SC_RT_CRUN], name, "status", sc_parse_crun_status,
		   v, n);
}

static void scan_runc(struct sc_root *host, const char *dir, struct sc_container_ref **v, size_t *n)
{
	scan_oci(host, SC_RT_RUNC, dir, "state.json", sc_parse_runc_state, v, n);
}

static void scan_crun(struct sc_root *host, const char *dir, struct sc_container_ref **v, size_t *n)
{
	scan_oci(host, SC_RT_CRUN, dir, "status", sc_parse_crun_status, v, n);
}

static void read_docker(struct sc_root *host, const char *dir, const char *id,
			struct sc_container_ref **v, size_t *n)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/%s/config.v2.json", dir, id);
	_cleanup_free_ char *text = NULL;
	struct sc_container_ref c;

	if (sc_root_read(host, p, SC_READ_MAX, &text, NULL) < 0 ||
	    sc_parse_docker_config(text, &c) < 0)
		return;
	c.state_file = TAKE_PTR(p);
	*SC_APPEND(*v, *n) = c;
}

static void scan_docker(struct sc_root *host, const char *dir, struct sc_container_ref **v,
			size_t *n)
{
	_cleanup_strv_free_ char **ids = NULL;

	if (sc_root_list(host, dir, &ids) < 0)
		return;
	for (char **id = ids; *id; id++)
		read_docker(host, dir, *id, v, n);
}

/* IDs and their prefixes by the directory's names; names (config.v2.json
 * "Name") only by reading every container's config: names_need_scan. */
static void lookup_docker(struct sc_root *host, const struct sc_state_roots *roots,
			  const char *name, struct sc_container_ref **v, size_t *n)
{
	_cleanup_strv_free_ char **ids = NULL;
	const char *dir = roots->dir[SC_RT_DOCKER];

	if (!dir)
		return;
	ids = ids_matching(host, dir, name);
	for (char **id = ids; *id; id++)
		read_docker(host, dir, *id, v, n);
}

/* c/storage keeps its containers in DRIVER-containers/containers.json of
 * its graph root: overlay, or vfs (rootless Podman 4.3 on bookworm, without
 * fuse-overlayfs), btrfs, zfs. Every such file of the root, in name order;
 * a root that cannot be listed (a snapshot recorded before the listing was
 * read) is read at overlay's. */
static char **podman_stores(struct sc_root *host, const char *dir)
{
	_cleanup_strv_free_ char **names = NULL;
	struct sc_strv_builder b = {};

	if (sc_root_list(host, dir, &names) < 0)
		sc_strv_builder_consume(&b,
					sc_xasprintf("%s/overlay-containers/containers.json", dir));
	else
		for (char **e = names; *e; e++)
			if (endswith(*e, "-containers") && !streq(*e, "-containers"))
				sc_strv_builder_consume(
					&b, sc_xasprintf("%s/%s/containers.json", dir, *e));
	return sc_strv_builder_take(&b);
}

/* Podman names come from c/storage; the PID from the OCI runtime's state
 * (crun or runc, whichever holds the same ID). */
static void scan_podman_store(struct sc_root *host, const char *p, struct sc_container_ref **v,
			      size_t *n);

static void scan_podman(struct sc_root *host, const char *dir, struct sc_container_ref **v,
			size_t *n)
{
	_cleanup_strv_free_ char **stores = podman_stores(host, dir);

	for (char **p = stores; *p; p++)
		scan_podman_store(host, *p, v, n);
}

static void scan_podman_store(struct sc_root *host, const char *p, struct sc_container_ref **v,
			      size_t *n)
{
	_cleanup_free_ char *text = NULL;
	struct sc_container_ref *pods = NULL;
	size_t np = 0, before = *n;

	if (sc_root_read(host, p, SC_READ_MAX, &text, NULL) < 0 ||
	    sc_parse_podman_containers(text, &pods, &np) < 0)
		return;
	for (size_t i = 0; i < np; i++) {
		pods[i].state_file = sc_xstrdup(p);
		for (size_t j = 0; j < before; j++) {
			struct sc_container_ref *oci = &(*v)[j];
			if (sc_runtimes[oci->runtime].oci_runtime && streq(oci->id, pods[i].id)) {
				pods[i].pid = oci->pid;
				pods[i].start_time = oci->start_time;
				if (oci->bundle)
					pods[i].bundle = sc_xstrdup(oci->bundle);
			}
		}
		*SC_APPEND(*v, *n) = pods[i];
	}
	free(pods);
}

static void scan_nspawn(struct sc_root *host, const char *dir, struct sc_container_ref **v,
			size_t *n)
{
	_cleanup_strv_free_ char **names = NULL;

	if (sc_root_list(host, dir, &names) < 0)
		return;
	for (char **name = names; *name; name++) {
		_cleanup_free_ char *p = sc_xasprintf("%s/%s", dir, *name);
		_cleanup_free_ char *text = NULL;
		struct sc_container_ref c;

		/* "unit:NAME" symlinks sit next to the machine files. */
		if (startswith(*name, "unit:"))
			continue;
		if (sc_root_read(host, p, SC_READ_MAX, &text, NULL) < 0 ||
		    sc_parse_nspawn_machine(*name, text, &c) < 0)
			continue;
		c.state_file = TAKE_PTR(p);
		*SC_APPEND(*v, *n) = c;
	}
}

/* LXC keeps no PID on disk; its containers are directories with a config
 * under lxcpath. The running init is found by the /proc scan (cgroup
 * "lxc.payload.NAME", LXC >= 4.0, or "lxc/NAME") in the caller. */
static void scan_lxc(struct sc_root *host, const char *dir, struct sc_container_ref **v, size_t *n)
{
	_cleanup_strv_free_ char **names = NULL;

	if (sc_root_list(host, dir, &names) < 0)
		return;
	for (char **name = names; *name; name++) {
		_cleanup_free_ char *p = sc_xasprintf("%s/%s/config", dir, *name);
		struct sc_container_ref *c;

		if (sc_root_exists(host, p) < 0)
			continue;
		c = SC_APPEND(*v, *n);
		c->runtime = SC_RT_LXC;
		c->id = sc_xstrdup(*name);
		c->name = sc_xstrdup(*name);
		c->state_file = TAKE_PTR(p);
	}
}

static void drop_dead_pids(struct sc_root *host, struct sc_container_ref *v, size_t from, size_t n);

/* containers.json holds every container (one read); the PID comes from
 * the OCI runtime's state of the same ID, looked up directly. */
static void lookup_podman_store(struct sc_root *host, const struct sc_state_roots *roots,
				const char *p, const char *name, struct sc_container_ref **v,
				size_t *n);

static void lookup_podman(struct sc_root *host, const struct sc_state_roots *roots,
			  const char *name, struct sc_container_ref **v, size_t *n)
{
	_cleanup_strv_free_ char **stores = NULL;

	if (!roots->dir[SC_RT_PODMAN])
		return;
	stores = podman_stores(host, roots->dir[SC_RT_PODMAN]);
	for (char **p = stores; *p; p++)
		lookup_podman_store(host, roots, *p, name, v, n);
}

static void lookup_podman_store(struct sc_root *host, const struct sc_state_roots *roots,
				const char *p, const char *name, struct sc_container_ref **v,
				size_t *n)
{
	_cleanup_free_ char *text = NULL;
	struct sc_container_ref *pods = NULL;
	size_t np = 0, l = strlen(name);

	if (sc_root_read(host, p, SC_READ_MAX, &text, NULL) < 0 ||
	    sc_parse_podman_containers(text, &pods, &np) < 0)
		return;
	for (size_t i = 0; i < np; i++) {
		struct sc_container_ref *pod = &pods[i];
		bool oci_known = false;

		if (!(streq(pod->id, name) || streq_ptr(pod->name, name) ||
		      (l >= 3 && strncmp(pod->id, name, l) == 0))) {
			sc_container_ref_done(pod);
			continue;
		}
		for (size_t j = 0; j < *n; j++)
			oci_known |= sc_runtimes[(*v)[j].runtime].oci_runtime &&
				     streq((*v)[j].id, pod->id);
		if (!oci_known) {
			size_t before = *n;
			if (roots->dir[SC_RT_RUNC])
				read_oci(host, SC_RT_RUNC, roots->dir[SC_RT_RUNC], pod->id,
					 "state.json", sc_parse_runc_state, v, n);
			if (roots->dir[SC_RT_CRUN])
				read_oci(host, SC_RT_CRUN, roots->dir[SC_RT_CRUN], pod->id,
					 "status", sc_parse_crun_status, v, n);
			drop_dead_pids(host, *v, before, *n);
		}
		pod->state_file = sc_xstrdup(p);
		for (size_t j = 0; j < *n; j++) {
			const struct sc_container_ref *oci = &(*v)[j];
			if (sc_runtimes[oci->runtime].oci_runtime && streq(oci->id, pod->id)) {
				pod->pid = oci->pid;
				pod->start_time = oci->start_time;
				free(pod->bundle);
				pod->bundle = oci->bundle ? sc_xstrdup(oci->bundle) : NULL;
			}
		}
		*SC_APPEND(*v, *n) = *pod;
	}
	free(pods);
}

/* machined's files and LXC's directories are keyed by name. */
static void lookup_nspawn(struct sc_root *host, const struct sc_state_roots *roots,
			  const char *name, struct sc_container_ref **v, size_t *n)
{
	_cleanup_free_ char *p = NULL, *text = NULL;
	struct sc_container_ref c;

	if (!roots->dir[SC_RT_NSPAWN] || startswith(name, "unit:"))
		return;
	p = sc_xasprintf("%s/%s", roots->dir[SC_RT_NSPAWN], name);
	if (sc_root_read(host, p, SC_READ_MAX, &text, NULL) < 0 ||
	    sc_parse_nspawn_machine(name, text, &c) < 0)
		return;
	c.state_file = TAKE_PTR(p);
	*SC_APPEND(*v, *n) = c;
}

static void lookup_lxc(struct sc_root *host, const struct sc_state_roots *roots, const char *name,
		       struct sc_container_ref **v, size_t *n)
{
	_cleanup_free_ char *p = NULL;
	struct sc_container_ref *c;

	if (!roots->dir[SC_RT_LXC])
		return;
	p = sc_xasprintf("%s/%s/config", roots->dir[SC_RT_LXC], name);
	if (sc_root_exists(host, p) < 0)
		return;
	c = SC_APPEND(*v, *n);
	c->runtime = SC_RT_LXC;
	c->id = sc_xstrdup(name);
	c->name = sc_xstrdup(name);
	c->state_file = TAKE_PTR(p);
}

/* containerd (shim v2) keeps one task directory per container under
 * io.containerd.runtime.v2.task/NAMESPACE/ID: the OCI bundle (config.json)
 * and init.pid. The OCI runtime it drives (runc by default) keeps its own
 * state under runc/NAMESPACE/ID, with the start time. Docker's containers
 * are the "moby" namespace: docker's own state outranks them. */
int sc_parse_containerd_task(const char *id, const char *init_pid, struct sc_container_ref *ret)
{
	_cleanup_free_ char *t = sc_xstrdup(init_pid);
	uint64_t pid;

	if (isempty(id) || sc_parse_u64(sc_strstrip(t), &pid) < 0 || pid == 0 || pid >= (1u << 22))
		return -EBADMSG;
	*ret = (struct sc_container_ref){
		.runtime = SC_RT_CONTAINERD,
		.id = sc_xstrdup(id),
		.pid = (pid_t)pid,
	};
	return 0;
}

/* Every task of every namespace whose ID name may mean (NULL: all). */
static void containerd_tasks(struct sc_root *host, const char *dir, const char *name,
			     struct sc_container_ref **v, size_t *n)
{
	_cleanup_free_ char *tasks = sc_xasprintf("%s/io.containerd.runtime.v2.task", dir);
	_cleanup_strv_free_ char **namespaces = NULL;

	if (sc_root_list(host, tasks, &namespaces) < 0)
		return;
	for (char **ns = namespaces; *ns; ns++) {
		_cleanup_free_ char *nsdir = sc_xasprintf("%s/%s", tasks, *ns);
		_cleanup_strv_free_ char **ids = NULL;

		if (name)
			ids = ids_matching(host, nsdir, name);
		else if (sc_root_list(host, nsdir, &ids) < 0)
			continue;
		for (char **id = ids; *id; id++) {
			_cleanup_free_ char *p = sc_xasprintf("%s/%s/init.pid", nsdir, *id);
			_cleanup_free_ char *text = NULL, *sp = NULL, *state = NULL;
			struct sc_container_ref c, oci;

			if (sc_root_read(host, p, 64, &text, NULL) < 0 ||
			    sc_parse_containerd_task(*id, text, &c) < 0)
				continue;
			c.bundle = sc_xasprintf("%s/%s", nsdir, *id);
			c.state_file = TAKE_PTR(p);
			sp = sc_xasprintf("%s/runc/%s/%s/state.json", dir, *ns, *id);
			if (sc_root_read(host, sp, SC_READ_MAX, &state, NULL) >= 0 &&
			    sc_parse_runc_state(state, &oci) >= 0) {
				if (oci.pid == c.pid)
					c.start_time = oci.start_time;
				sc_container_ref_done(&oci);
			}
			*SC_APPEND(*v, *n) = c;
		}
	}
}

static void scan_containerd(struct sc_root *host, const char *dir, struct sc_container_ref **v,
			    size_t *n)
{
	containerd_tasks(host, dir, NULL, v, n);
}

static void lookup_containerd(struct sc_root *host, const struct sc_state_roots *roots,
			      const char *name, struct sc_container_ref **v, size_t *n)
{
	if (roots->dir[SC_RT_CONTAINERD])
		containerd_tasks(host, roots->dir[SC_RT_CONTAINERD], name, v, n);
}

/* LXC >= 4.0 names the payload cgroup "lxc.payload.NAME", older ones
 * "lxc/NAME". */
static bool lxc_owns_cgroup(const struct sc_container_ref *r, const char *cgroup)
{
	_cleanup_free_ char *a = sc_xasprintf("/lxc.payload.%s", r->name);
	_cleanup_free_ char *b = sc_xasprintf("/lxc/%s", r->name);
	const char *p;

	for (const char *pat[] = { a, b, NULL }, **q = pat; *q; q++)
		if ((p = strstr(cgroup, *q)) && (p[strlen(*q)] == 0 || p[strlen(*q)] == '/'))
			return true;
	return false;
}

/* Scanned in enum order, which matters: Podman reads the OCI runtimes'
 * rows, and the order is that of `list`. */
const struct sc_runtime_def sc_runtimes[_SC_RT_MAX] = {
	[SC_RT_NONE] = { .name = "pid", .target = "PID", .state = "none: found by PID or /proc" },
	[SC_RT_RUNC] = { .name = "runc",
			 .target = "ID",
			 .state_root = "/run/runc",
			 .state = "ID/state.json",
			 .user_runtime_dir = "runc",
			 .scan = scan_runc,
			 .lookup = lookup_runc,
			 .stale_pids = true,
			 .oci_runtime = true,
			 .rank = 1,
			 .dialect = SC_DIALECT_OCI },
	[SC_RT_CRUN] = { .name = "crun",
			 .target = "ID",
			 .state_root = "/run/crun",
			 .state = "ID/status",
			 .user_runtime_dir = "crun",
			 .scan = scan_crun,
			 .lookup = lookup_crun,
			 .stale_pids = true,
			 .oci_runtime = true,
			 .rank = 1,
			 .dialect = SC_DIALECT_OCI },
	[SC_RT_CONTAINERD] = { .name = "containerd",
			       .alias = "ctr",
			       .target = "ID",
			       .state_root = "/run/containerd",
			       .state = "io.containerd.runtime.v2.task/NAMESPACE/ID/init.pid",
			       .scan = scan_containerd,
			       .lookup = lookup_containerd,
			       .stale_pids = true,
			       .rank = 2,
			       .dialect = SC_DIALECT_OCI },
	[SC_RT_DOCKER] = { .name = "docker",
			   .target = "NAME|ID",
			   .state_root = "/var/lib/docker/containers",
			   .state = "ID/config.v2.json",
			   .scan = scan_docker,
			   .lookup = lookup_docker,
			   .names_need_scan = true,
			   .rank = 3,
			   .dialect = SC_DIALECT_DOCKER },
	[SC_RT_PODMAN] = { .name = "podman",
			   .target = "NAME|ID",
			   .state_root = "/var/lib/containers/storage",
			   .state = "DRIVER-containers/containers.json",
			   .user_home_dir = ".local/share/containers/storage",
			   .scan = scan_podman,
			   .lookup = lookup_podman,
			   .rank = 3,
			   .dialect = SC_DIALECT_PODMAN },
	[SC_RT_NSPAWN] = { .name = "nspawn",
			   .alias = "machine",
			   .target = "NAME",
			   .state_root = "/run/systemd/machines",
			   .state = "NAME (machined)",
			   .scan = scan_nspawn,
			   .lookup = lookup_nspawn,
			   .rank = 3 },
	[SC_RT_LXC] = { .name = "lxc",
			.target = "NAME",
			.state_root = "/var/lib/lxc",
			.state = "NAME/config",
			.scan = scan_lxc,
			.lookup = lookup_lxc,
			.rank = 3,
			.owns_cgroup = lxc_owns_cgroup,
			.dialect = SC_DIALECT_LXC },
};

/* Some runtimes keep the init's PID in their state after it exits (runc:
 * "stopped" until deleted), and the PID may be reused: the start time
 * recorded next to it must still match. */
/* Rows from..n-1 of v (v may be NULL when none). */
static void drop_dead_pids(struct sc_root *host, struct sc_container_ref *v, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++) {
		_cleanup_free_ char *p = NULL, *stat = NULL;
		struct sc_proc_stat st;

		if (v[i].pid <= 0 || !sc_runtimes[v[i].runtime].stale_pids)
			continue;
		p = sc_xasprintf("/proc/%d/stat", (int)v[i].pid);
		if (sc_root_read(host, p, 64 * 1024, &stat, NULL) < 0 ||
		    sc_proc_stat_parse(stat, &st) < 0 || st.state == 'Z' ||
		    (v[i].start_time && st.start_time != v[i].start_time))
			v[i].pid = 0;
	}
}

void sc_state_notes_done(struct sc_state_notes *n)
{
	sc_strv_free(n->lines);
	*n = (struct sc_state_notes){};
}

/* Whether a runtime's state directory could be read, for notes: a runtime
 * that gave containers could; one that gave none is asked again, with one
 * listing (a missing directory is a runtime not in use: no note). */
static void note_state_dir(struct sc_root *host, const char *dir, bool found,
			   struct sc_state_notes *notes)
{
	_cleanup_strv_free_ char **l = NULL;
	int k;

	if (!notes)
		return;
	k = found ? 0 : sc_root_list(host, dir, &l);
	/* Read state is a directory that held something: an empty one
	 * (machined's, with no machine) tells nothing. Refused is what a
	 * permission says; anything else (absent, not in a snapshot) is a
	 * runtime not in use. */
	if (k != -EACCES && k != -EPERM) {
		notes->readable += found || (k >= 0 && l && *l);
		return;
	}
	notes->refused++;
	if (!notes->lines)
		notes->lines = sc_xcalloc(1, sizeof(char *));
	sc_strv_consume(&notes->lines,
			sc_xasprintf("cannot read %s: %s%s", dir, sc_strerror(k),
				     sc_root_euid(host) != 0 ? " (run as root)" : ""));
}

static void scan_roots(struct sc_root *host, const struct sc_state_roots *roots, bool check_pids,
		       struct sc_state_notes *notes, struct sc_container_ref **v, size_t *n)
{
	for (size_t rt = 0; rt < _SC_RT_MAX; rt++) {
		size_t before = *n;

		if (!sc_runtimes[rt].scan || !roots->dir[rt])
			continue;
		sc_runtimes[rt].scan(host, roots->dir[rt], v, n);
		note_state_dir(host, roots->dir[rt], *n > before, notes);
		/* Before an engine copies a PID from an OCI runtime's row. */
		if (check_pids && sc_runtimes[rt].stale_pids)
			drop_dead_pids(host, *v, before, *n);
	}
}

/* Another user's state that root alone may read is no note for a user who
 * runs the tool: only root's, or the user's own. */
static struct sc_state_notes *user_notes(struct sc_root *host, uid_t uid,
					 struct sc_state_notes *notes)
{
	uid_t e = sc_root_euid(host);

	return e == 0 || e == uid ? notes : NULL;
}

static void scan_all(struct sc_root *host, const struct sc_state_roots *roots, bool check_pids,
		     struct sc_state_notes *notes, struct sc_container_ref **ret, size_t *ret_n)
{
	struct sc_container_ref *v = NULL;
	struct user_roots *users = NULL;
	size_t n = 0, n_users;

	scan_roots(host, roots, check_pids, notes, &v, &n);
	n_users = users_roots(host, roots, &users);
	for (size_t u = 0; u < n_users; u++) {
		size_t before = n;

		scan_roots(host, &users[u].r, check_pids, user_notes(host, users[u].uid, notes), &v,
			   &n);
		mark_rootless(v, before, n, users[u].uid);
	}
	user_roots_free(users, n_users);
	*ret = v;
	*ret_n = n;
}

int sc_runtime_scan(struct sc_root *host, const struct sc_state_roots *roots,
		    struct sc_container_ref **ret, size_t *ret_n)
{
	scan_all(host, roots, true, NULL, ret, ret_n);
	return 0;
}

int sc_runtime_scan_unchecked(struct sc_root *host, const struct sc_state_roots *roots,
			      struct sc_state_notes *notes, struct sc_container_ref **ret,
			      size_t *ret_n)
{
	scan_all(host, roots, false, notes, ret, ret_n);
	return 0;
}

void sc_runtime_ref_check_pid(struct sc_root *host, struct sc_container_ref *ref)
{
	if (sc_runtimes[ref->runtime].stale_pids || ref->start_time)
		drop_dead_pids(host, ref, 0, 1);
}

bool sc_runtime_ref_shadowed(const struct sc_container_ref *refs, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i &&
		    sc_runtimes[refs[j].runtime].rank > sc_runtimes[refs[i].runtime].rank &&
		    streq(refs[j].id, refs[i].id))
			return true;
	return false;
}

static void candidates_in(struct sc_root *host, const struct sc_state_roots *roots,
			  const struct sc_target_spec *t, struct sc_state_notes *notes,
			  struct sc_container_ref **ret, size_t *ret_n);

int sc_runtime_candidates(struct sc_root *host, const struct sc_state_roots *roots,
			  const struct sc_target_spec *t, struct sc_state_notes *notes,
			  struct sc_container_ref **ret, size_t *ret_n)
{
	struct sc_container_ref *v = NULL;
	struct user_roots *users = NULL;
	size_t n = 0, n_users;

	/* A PID may be any runtime's: only the whole state tells. "." and
	 * ".." are no IDs, only path components. */
	if (t->pid > 0 || !t->name || streq(t->name, ".") || streq(t->name, "..")) {
		scan_all(host, roots, true, notes, ret, ret_n);
		return 0;
	}
	candidates_in(host, roots, t, notes, &v, &n);
	n_users = users_roots(host, roots, &users);
	for (size_t u = 0; u < n_users; u++) {
		size_t before = n;

		candidates_in(host, &users[u].r, t, user_notes(host, users[u].uid, notes), &v, &n);
		mark_rootless(v, before, n, users[u].uid);
	}
	user_roots_free(users, n_users);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The candidates sc_runtime_candidates() finds in one set of roots. */
static void candidates_in(struct sc_root *host, const struct sc_state_roots *roots,
			  const struct sc_target_spec *t, struct sc_state_notes *notes,
			  struct sc_container_ref **ret, size_t *ret_n)
{
	struct sc_container_ref *v = *ret;
	size_t n = *ret_n;

	for (size_t rt = 0; rt < _SC_RT_MAX; rt++) {
		const struct sc_runtime_def *d = &sc_runtimes[rt];
		size_t before = n;

		if ((!t->any_runtime && rt != (size_t)t->runtime) || !roots->dir[rt])
			continue;
		if (!d->lookup) {
			if (d->scan)
				d->scan(host, roots->dir[rt], &v, &n);
		} else
			d->lookup(host, roots, t->name, &v, &n);
		/* An exact ID of this runtime needs no scan for names: the
		 * runtime itself takes an ID first (Docker does). */
		bool exact_id = false;
		for (size_t j = before; j < n; j++)
			exact_id |= streq(v[j].id, t->name);
		if (d->names_need_scan && !exact_id) {
			struct sc_container_ref *all = NULL;
			size_t n_all = 0;

			d->scan(host, roots->dir[rt], &all, &n_all);
			for (size_t i = 0; i < n_all; i++) {
				bool dup = false;

				for (size_t j = before; j < n; j++)
					dup |= streq(v[j].id, all[i].id);
				if (!dup && streq_ptr(all[i].name, t->name)) {
					*SC_APPEND(v, n) = all[i];
					all[i] = (struct sc_container_ref){};
				}
			}
			sc_container_refs_free(all, n_all);
		}
		note_state_dir(host, roots->dir[rt], n > before, notes);
		if (d->stale_pids)
			drop_dead_pids(host, v, before, n);
	}
	*ret = v;
	*ret_n = n;
}

/* ---- targets ------------------------------------------------------------------ */

int sc_target_spec_parse(const char *s, struct sc_target_spec *ret)
{
	const char *colon = strchr(s, ':');
	struct sc_target_spec t = {};
	uint64_t pid;

	if (isempty(s))
		return -EINVAL;
	if (sc_parse_u64(s, &pid) == 0) {
		if (pid == 0 || pid >= (1u << 22))
			return -EINVAL;
		t.pid = (pid_t)pid;
		*ret = t;
		return 0;
	}
	if (colon) {
		_cleanup_free_ char *rt = sc_xstrndup(s, (size_t)(colon - s));
		int k = sc_runtime_from_string(rt);

		if (k < 0 || k == SC_RT_NONE || !colon[1])
			return -EINVAL;
		t.runtime = (enum sc_runtime)k;
		t.name = sc_xstrdup(colon + 1);
	} else {
		t.any_runtime = true;
		t.name = sc_xstrdup(s);
	}
	/* Names and IDs are printable, without slashes: they become paths. */
	for (const char *p = t.name; *p; p++)
		if (*p == '/' || !isprint((unsigned char)*p)) {
			free(t.name);
			return -EINVAL;
		}
	*ret = t;
	return 0;
}

void sc_target_spec_done(struct sc_target_spec *t)
{
	free(t->name);
	*t = (struct sc_target_spec){};
}

static bool ref_matches(const struct sc_container_ref *c, const char *name, bool *exact)
{
	size_t l = strlen(name);

	*exact = streq(c->id, name) || streq_ptr(c->name, name);
	if (*exact)
		return true;
	/* ID prefixes as Docker accepts them (at least 3 characters). */
	return l >= 3 && strncmp(c->id, name, l) == 0;
}

static void ref_copy(const struct sc_container_ref *c, struct sc_container_ref *ret)
{
	*ret = *c;
	ret->id = sc_xstrdup(c->id);
	ret->name = c->name ? sc_xstrdup(c->name) : NULL;
	ret->bundle = c->bundle ? sc_xstrdup(c->bundle) : NULL;
	ret->state_file = c->state_file ? sc_xstrdup(c->state_file) : NULL;
}

int sc_target_resolve(const struct sc_target_spec *t, const struct sc_container_ref *refs,
		      size_t n_refs, struct sc_container_ref *ret, char ***ret_matches)
{
	_cleanup_free_ size_t *hits = NULL;
	size_t n_hits = 0, n_exact = 0;
	ssize_t exact_i = -1;

	if (t->pid > 0) {
		/* A PID: attach runtime knowledge when some state names it,
		 * the engine's over its OCI runtime's (Podman's over crun's). */
		ssize_t best = -1;

		for (size_t i = 0; i < n_refs; i++)
			if (refs[i].pid == t->pid &&
			    (best < 0 || sc_runtimes[refs[i].runtime].rank >
						 sc_runtimes[refs[best].runtime].rank))
				best = (ssize_t)i;
		if (best >= 0) {
			ref_copy(&refs[best], ret);
			return 0;
		}
		*ret = (struct sc_container_ref){ .runtime = SC_RT_NONE,
						  .id = sc_xasprintf("%d", (int)t->pid),
						  .pid = t->pid };
		return 0;
	}

	for (size_t i = 0; i < n_refs; i++) {
		bool exact;

		if (!t->any_runtime && refs[i].runtime != t->runtime)
			continue;
		if (!ref_matches(&refs[i], t->name, &exact))
			continue;
		/* Podman containers also appear as runc/crun state, Docker's
		 * as containerd's, with the same ID: a bare name counts them
		 * once, as the engine. */
		if (t->any_runtime && sc_runtime_ref_shadowed(refs, n_refs, i))
			continue;
		*SC_APPEND(hits, n_hits) = i;
		if (exact) {
			n_exact++;
			exact_i = (ssize_t)i;
		}
	}

	/* An exact name or ID wins over prefix matches. */
	if (n_exact == 1) {
		hits[0] = (size_t)exact_i;
		n_hits = 1;
	}
	if (n_hits == 0)
		return -ENOENT;
	if (n_hits > 1) {
		if (ret_matches) {
			/* One per container the state directories hold. */
			struct sc_strv_builder m = {};

			for (size_t i = 0; i < n_hits; i++) {
				const struct sc_container_ref *c = &refs[hits[i]];
				_cleanup_free_ char *who =
					c->rootless ? sc_xasprintf("uid %u", (unsigned)c->uid)
						    : NULL;
				bool named = c->name && !streq(c->name, c->id);

				sc_strv_builder_consume(
					&m, named || who
						    ? sc_xasprintf("%s:%s (%s%s%s)",
								   sc_runtime_to_string(c->runtime),
								   c->id, named ? c->name : "",
								   named && who ? ", " : "",
								   who ? who : "")
						    : sc_xasprintf("%s:%s",
								   sc_runtime_to_string(c->runtime),
								   c->id));
			}
			*ret_matches = sc_strv_builder_take(&m);
		}
		return -ENOTUNIQ;
	}
	ref_copy(&refs[hits[0]], ret);
	return ret->pid > 0 ? 0 : -ESRCH;
}
