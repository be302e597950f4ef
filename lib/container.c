/* SPDX-License-Identifier: MIT */
/* Container facts: the init process from the host (/proc/PID), its
 * cgroup2 delegation chain from the host's cgroup tree
 * (cgroup-v2.rst "Delegation": cgroup.subtree_control of every ancestor,
 * ownership of the directory and of /sys/kernel/cgroup/delegate's files),
 * and the inside view from the setns child. Plus the /proc scan. */
#include <stdio.h>
#include <sys/stat.h>

#include "container.h"
#include "target.h"
#include "util.h"

bool sc_container_is_container(const struct sc_container_facts *c)
{
	/* The namespaces a container runtime always creates. PID 1 as we
	 * see it is the init of our own PID namespace whatever /proc says
	 * (its ns links may be unreadable, as on this lab's VM). */
	if (c->proc.pid == 1)
		return sc_proc_ns_private(&c->proc, SC_NS_MNT) == 1;
	return sc_proc_ns_private(&c->proc, SC_NS_PID) == 1 ||
	       sc_proc_ns_private(&c->proc, SC_NS_MNT) == 1;
}

static int inside_fn(struct sc_root *root, void *data)
{
	struct sc_inside_facts f;
	int k;

	(void)data;
	k = sc_inside_probe(root, &f);
	if (k >= 0)
		sc_inside_facts_done(&f);
	return k;
}

int sc_container_enter_pool_new(unsigned n_workers, const struct sc_enter_opts *o,
				struct sc_enter_pool **ret)
{
	return sc_enter_pool_new(n_workers, o, inside_fn, NULL, ret);
}

static void probe_cgroup2(struct sc_root *host, const struct sc_host_facts *hf,
			  struct sc_container_facts *f)
{
	const struct sc_cgroup_line *l =
		sc_cgroup_line_find(f->proc.cgroups, f->proc.n_cgroups, NULL);
	const char *v2 = hf->cgroup.v2_path;
	_cleanup_free_ char *norm = NULL;
	struct stat st;

	if (!l || !v2)
		return;
	/* A path with ".." (a process outside our cgroup namespace root)
	 * cannot be located in our view of the tree. */
	if (strstr(l->path, "/..")) {
		sc_errlist_add(&f->errors, "/proc/PID/cgroup", EXDEV);
		return;
	}
	norm = sc_path_normalize(l->path);
	f->cg2_path = sc_xstrdup(norm);
	f->cg2_host_dir = streq(norm, "/") ? sc_xstrdup(v2) : sc_xasprintf("%s%s", v2, norm);

	/* Ancestors: "/" then each prefix, up to the parent. */
	{
		_cleanup_free_ char *walk = sc_xstrdup(norm);
		_cleanup_strv_builder_ struct sc_strv_builder b = {};
		_cleanup_strv_free_ char **paths = NULL;

		if (!streq(norm, "/")) {
			sc_strv_builder_push(&b, "/");
			for (char *p = strchr(walk + 1, '/'); p; p = strchr(p + 1, '/')) {
				*p = 0;
				sc_strv_builder_push(&b, walk);
				*p = '/';
			}
		}
		paths = sc_strv_builder_take(&b);
		for (char **p = paths; *p; p++) {
			struct sc_cgroup_ancestor *a = SC_APPEND(f->chain, f->n_chain);
			_cleanup_free_ char *file = sc_xasprintf("%s%s/cgroup.subtree_control", v2,
								 streq(*p, "/") ? "" : *p);

			a->path = sc_xstrdup(*p);
			(void)sc_probe_read_list(host, &f->errors, file, &a->subtree_control);
		}
	}
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/cgroup.controllers", f->cg2_host_dir);
		(void)sc_probe_read_list(host, &f->errors, p, &f->cg2_controllers);
		free(p);
		p = sc_xasprintf("%s/cgroup.type", f->cg2_host_dir);
		(void)sc_probe_read_line(host, &f->errors, p, &f->cg2_type);
	}
	if (sc_root_stat(host, f->cg2_host_dir, &st) == 0) {
		f->cg2_stat_known = true;
		f->cg2_uid = st.st_uid;
		f->cg2_gid = st.st_gid;
	}
	{
		/* As many names as /sys/kernel/cgroup/delegate lists. */
		struct sc_strv_builder b = {};

		for (char **d = hf->cgroup.delegate; f->cg2_stat_known && d && *d; d++) {
			_cleanup_free_ char *p = sc_xasprintf("%s/%s", f->cg2_host_dir, *d);
			struct stat fs;

			if (sc_root_stat(host, p, &fs) == 0 && fs.st_uid != f->cg2_uid)
				sc_strv_builder_push(&b, *d);
		}
		f->cg2_delegate_not_owned = sc_strv_builder_take(&b);
	}
}

int sc_container_probe(struct sc_root *host, const struct sc_host_facts *hf,
		       const struct sc_container_ref *ref, const struct sc_enter_opts *o,
		       json_t *inside_snapshot, json_t **ret_inside_snapshot,
		       struct sc_container_facts *ret, char **ret_error)
{
	struct sc_container_facts f = {};
	struct sc_enter_result res = {};
	json_t *snap = NULL;
	int k;

	*ret_error = NULL;
	f.ref = *ref;
	f.ref.id = sc_xstrdup(ref->id);
	f.ref.name = ref->name ? sc_xstrdup(ref->name) : NULL;
	f.ref.bundle = ref->bundle ? sc_xstrdup(ref->bundle) : NULL;
	f.ref.state_file = ref->state_file ? sc_xstrdup(ref->state_file) : NULL;

	k = sc_proc_probe_flags(host, ref->pid, 0, hf->pid1_ns, &f.proc);
	if (k < 0) {
		*ret_error = k == -ESRCH ? sc_xasprintf("no process %d", (int)ref->pid)
					 : sc_xasprintf("cannot read /proc/%d: %s", (int)ref->pid,
							sc_strerror(k));
		sc_container_facts_done(&f);
		return k;
	}
	if (ref->start_time && f.proc.stat.start_time &&
	    ref->start_time != f.proc.stat.start_time) {
		*ret_error =
			sc_xasprintf("process %d is not the container's init any more (its PID "
				     "was reused)",
				     (int)ref->pid);
		sc_container_facts_done(&f);
		return -ESRCH;
	}
	/* Namespace links that vanished under the probe are a target on
	 * its way out, not a permission problem: its pidfd says which. */
	if (sc_root_is_live(host) && !inside_snapshot &&
	    (sc_proc_ns_private(&f.proc, SC_NS_PID) < 0 ||
	     sc_proc_ns_private(&f.proc, SC_NS_MNT) < 0) &&
	    sc_target_exited(ref->pid, f.proc.stat.start_time, 200)) {
		*ret_error = sc_xasprintf("process %d exited while being probed", (int)ref->pid);
		sc_container_facts_done(&f);
		return -ESRCH;
	}
	/* Not root, and another user's process: its namespace links are
	 * refused, and "not a container" would be a guess. */
	if (sc_root_is_live(host) && !inside_snapshot && hf->euid != 0 &&
	    (!f.proc.ns[SC_NS_PID] || !f.proc.ns[SC_NS_MNT])) {
		_cleanup_free_ char *p = sc_xasprintf("/proc/%d/ns/%s", (int)ref->pid,
						      f.proc.ns[SC_NS_PID] ? "mnt" : "pid");
		_cleanup_free_ char *l = NULL;

		k = sc_root_readlink(host, p, &l);
		if (k == -EACCES || k == -EPERM) {
			*ret_error =
				sc_xasprintf("cannot read %s: %s (run as root)", p, sc_strerror(k));
			sc_container_facts_done(&f);
			return -EPERM;
		}
	}
	f.userns = sc_proc_ns_private(&f.proc, SC_NS_USER) == 1;
	f.root_mapped = sc_id_map_to_outside(f.proc.uid_map, f.proc.n_uid_map, 0, &f.root_uid) == 0;
	probe_cgroup2(host, hf, &f);

	if (inside_snapshot)
		snap = json_incref(inside_snapshot);
	else if (!sc_container_is_container(&f))
		/* Same PID and mount namespaces as the host: there is no
		 * inside to enter (and the host's PID 1 may not allow it). */
		f.inside_error = sc_xstrdup("not a container: it shares the host's namespaces");
	else if (sc_root_is_live(host)) {
		char *err = NULL;

		k = sc_target_enter(ref->pid, f.proc.stat.start_time, o, inside_fn, NULL, &res,
				    &err);
		if (k == -ESRCH || k == -EPERM) {
			*ret_error = err;
			sc_container_facts_done(&f);
			return k;
		}
		if (k < 0)
			f.inside_error = err;
		else {
			free(err);
			snap = json_incref(res.snapshot);
			f.timed_out = TAKE_PTR(res.timed_out);
		}
		sc_enter_result_done(&res);
	} else
		f.inside_error = sc_xstrdup("the inside view was not recorded in this snapshot");

	if (snap) {
		_cleanup_root_ struct sc_root *r = NULL;

		k = sc_root_open_snapshot(snap, "inside", &r);
		if (k >= 0)
			k = sc_inside_probe(r, &f.inside);
		if (k < 0)
			f.inside_error =
				sc_xasprintf("the inside view is unusable: %s", sc_strerror(k));
		else
			f.inside_ok = true;
		if (!f.timed_out) {
			/* Replayed snapshots say what hung through their errors. */
			json_t *errs = json_object_get(snap, "errors"), *v;
			struct sc_strv_builder b = {};
			const char *key;

			json_object_foreach(errs, key, v)
			{
				if (streq_ptr(json_string_value(v), "ETIMEDOUT"))
					sc_strv_builder_push(&b, key);
			}
			f.timed_out = sc_strv_builder_take(&b);
		}
	}
	if (ret_inside_snapshot)
		*ret_inside_snapshot = snap;
	else
		json_decref(snap);

	/* Everything must describe one process: still there, same start. */
	if (sc_root_is_live(host) && !inside_snapshot) {
		struct sc_proc_stat again;

		/* Its stat says both: the start time and whether it exits. */
		if (sc_proc_read_stat(host, ref->pid, &again) < 0 ||
		    again.start_time != f.proc.stat.start_time || again.state == 'Z' ||
		    again.state == 'X') {
			*ret_error =
				sc_xasprintf("process %d exited while being probed", (int)ref->pid);
			if (ret_inside_snapshot) {
				json_decref(*ret_inside_snapshot);
				*ret_inside_snapshot = NULL;
			}
			sc_container_facts_done(&f);
			return -ESRCH;
		}
	}
	*ret = f;
	return 0;
}

int sc_container_probe_root(struct sc_root *host, const struct sc_host_facts *hf,
			    const struct sc_container_ref *ref, const struct sc_enter_opts *o,
			    struct sc_container_facts *ret, char **ret_error)
{
	json_t *replay, *recorded = NULL;
	char key[32];
	int k;

	snprintf(key, sizeof(key), "%d", (int)ref->pid);
	replay = json_object_get(sc_root_snapshot_get(host, "inside"), key);
	k = sc_container_probe(host, hf, ref, o, replay, &recorded, ret, ret_error);
	/* Kept only by a root that records (the snapshot takes it). */
	if (k >= 0 && recorded)
		sc_root_record_attach(host, "inside", key, recorded);
	else
		json_decref(recorded);
	return k;
}

void sc_container_facts_done(struct sc_container_facts *f)
{
	sc_container_ref_done(&f->ref);
	sc_proc_facts_done(&f->proc);
	free(f->inside_error);
	if (f->inside_ok)
		sc_inside_facts_done(&f->inside);
	sc_strv_free(f->timed_out);
	free(f->cg2_path);
	free(f->cg2_host_dir);
	for (size_t i = 0; i < f->n_chain; i++) {
		free(f->chain[i].path);
		sc_strv_free(f->chain[i].subtree_control);
	}
	free(f->chain);
	sc_strv_free(f->cg2_controllers);
	free(f->cg2_type);
	sc_strv_free(f->cg2_delegate_not_owned);
	sc_errlist_done(&f->errors);
	*f = (struct sc_container_facts){};
}

/* ---- list ---------------------------------------------------------------------- */

void sc_listed_free(struct sc_listed *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sc_container_ref_done(&v[i].ref);
		free(v[i].cgroup);
		free(v[i].cmdline);
	}
	free(v);
}

int sc_container_list(struct sc_root *host, const struct sc_state_roots *roots,
		      struct sc_listed **ret, size_t *ret_n)
{
	return sc_container_list_notes(host, roots, NULL, ret, ret_n);
}

int sc_container_list_notes(struct sc_root *host, const struct sc_state_roots *roots,
			    struct sc_state_notes *notes, struct sc_listed **ret, size_t *ret_n)
{
	unsigned n_denied = 0;
	int denied_err = 0;
	_cleanup_strv_free_ char **entries = NULL;
	struct sc_container_ref *refs = NULL;
	struct sc_listed *v = NULL;
	size_t n_refs = 0, n = 0;
	bool *used;
	uint64_t self_pid_ns = 0, host_ns[_SC_NS_MAX];
	int k;

	/* Each state once, each init's /proc once: the PIDs the state
	 * records are checked against the scan below, not read again. */
	(void)sc_runtime_scan_unchecked(host, roots, notes, &refs, &n_refs);
	used = sc_xcalloc(n_refs + 1, sizeof(bool));
	{
		_cleanup_free_ char *l = NULL;
		if (sc_root_readlink(host, "/proc/self/ns/pid", &l) >= 0)
			self_pid_ns = sc_ns_parse_link(l);
	}
	sc_host_pid1_ns(host, host_ns);
	k = sc_root_list(host, "/proc", &entries);
	if (k < 0) {
		sc_container_refs_free(refs, n_refs);
		free(used);
		return k;
	}
	for (char **e = entries; *e; e++) {
		_cleanup_free_ char *lp = NULL, *link = NULL;
		struct sc_proc_facts pf;
		uint64_t pid;

		if (sc_parse_u64(*e, &pid) < 0)
			continue;
		lp = sc_xasprintf("/proc/%s/ns/pid", *e);
		k = sc_root_readlink(host, lp, &link);
		if ((k == -EACCES || k == -EPERM) && sc_root_euid(host) != 0) {
			/* Another user's process, and we are not root. */
			n_denied++;
			denied_err = k;
		}
		if (k < 0 || sc_ns_parse_link(link) == self_pid_ns)
			continue;
		/* Only each namespace's init: its PID inside is 1. A zombie
		 * is an exited container nobody reaped yet. */
		if (sc_proc_probe_flags(host, (pid_t)pid, SC_PROC_BRIEF, host_ns, &pf) < 0)
			continue;
		if (pf.nspid_inner != 1 || pf.stat.state == 'Z' || pf.stat.state == 'X') {
			sc_proc_facts_done(&pf);
			continue;
		}
		struct sc_listed *x = SC_APPEND(v, n);
		const struct sc_cgroup_line *l =
			sc_cgroup_line_find(pf.cgroups, pf.n_cgroups, NULL);
		/* On a v1 host the cgroup2 line shows "/" for every process
		 * once anything mounted cgroup2 (cgrp_dfl_visible): the
		 * name=systemd line says more (VM lab, bookworm-legacy). */
		if (!l || streq(l->path, "/")) {
			const struct sc_cgroup_line *s =
				sc_cgroup_line_find(pf.cgroups, pf.n_cgroups, "name=systemd");
			if (s)
				l = s;
		}
		if (!l && pf.n_cgroups)
			l = &pf.cgroups[0];
		x->pid = (pid_t)pid;
		x->running = true;
		x->cgroup = l ? sc_xstrdup(l->path) : NULL;
		x->cmdline = pf.cmdline ? sc_xstrdup(pf.cmdline) : NULL;
		for (int t = 0; t < _SC_NS_MAX; t++)
			x->private_ns[t] = sc_proc_ns_private(&pf, t);
		x->ref.runtime = SC_RT_NONE;
		for (size_t i = 0; i < n_refs; i++) {
			const struct sc_runtime_def *d = &sc_runtimes[refs[i].runtime];
			bool match;

			/* A recorded PID counts only with its start time: with
			 * another, the PID was reused and the state is stale. */
			if (refs[i].pid == (pid_t)pid && refs[i].start_time &&
			    refs[i].start_time != pf.stat.start_time)
				refs[i].pid = 0;
			match = refs[i].pid == (pid_t)pid;
			/* Any hierarchy's line: LXC's payload cgroup is in each. */
			for (size_t j = 0;
			     !match && d->owns_cgroup && !refs[i].pid && j < pf.n_cgroups; j++)
				match = d->owns_cgroup(&refs[i], pf.cgroups[j].path);
			/* An engine wins over the OCI runtime state it shares. */
			if (!match || (x->ref.runtime != SC_RT_NONE &&
				       sc_runtimes[x->ref.runtime].rank > d->rank))
				continue;
			sc_container_ref_done(&x->ref);
			x->ref = refs[i];
			x->ref.id = sc_xstrdup(refs[i].id);
			x->ref.name = refs[i].name ? sc_xstrdup(refs[i].name) : NULL;
			x->ref.bundle = refs[i].bundle ? sc_xstrdup(refs[i].bundle) : NULL;
			x->ref.state_file =
				refs[i].state_file ? sc_xstrdup(refs[i].state_file) : NULL;
			x->ref.pid = (pid_t)pid;
			if (!x->ref.start_time)
				x->ref.start_time = pf.stat.start_time;
			used[i] = true;
		}
		/* An engine and its OCI runtime share an ID: both are used. */
		for (size_t i = 0; i < n_refs; i++)
			if (!used[i] && x->ref.id && streq(refs[i].id, x->ref.id))
				used[i] = true;
		if (x->ref.runtime == SC_RT_NONE) {
			x->ref.id = sc_xasprintf("%d", (int)pid);
			x->ref.pid = (pid_t)pid;
			x->ref.start_time = pf.stat.start_time;
		}
		sc_proc_facts_done(&pf);
	}
	/* Known to a runtime, but no running init found. */
	for (size_t i = 0; i < n_refs; i++) {
		if (used[i] || sc_runtime_ref_shadowed(refs, n_refs, i))
			continue;
		/* Not an init of another PID namespace: alive at all? */
		if (refs[i].pid > 0)
			sc_runtime_ref_check_pid(host, &refs[i]);
		struct sc_listed *x = SC_APPEND(v, n);
		x->ref = refs[i];
		x->ref.id = sc_xstrdup(refs[i].id);
		x->ref.name = refs[i].name ? sc_xstrdup(refs[i].name) : NULL;
		x->ref.bundle = refs[i].bundle ? sc_xstrdup(refs[i].bundle) : NULL;
		x->ref.state_file = refs[i].state_file ? sc_xstrdup(refs[i].state_file) : NULL;
		x->pid = refs[i].pid;
		for (int t = 0; t < _SC_NS_MAX; t++)
			x->private_ns[t] = -1;
	}
	sc_container_refs_free(refs, n_refs);
	free(used);
	if (notes && n_denied) {
		if (!notes->lines)
			notes->lines = sc_xcalloc(1, sizeof(char *));
		sc_strv_consume(&notes->lines,
				sc_xasprintf("cannot read /proc/PID/ns/pid of %u process%s: %s%s",
					     n_denied, n_denied == 1 ? "" : "es",
					     sc_strerror(denied_err),
					     /* Counted only when not root (this VM's PID 1
				      * refuses its links to root too: no note). */
					     " (run as root)"));
	}
	*ret = v;
	*ret_n = n;
	return 0;
}
