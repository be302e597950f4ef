/* SPDX-License-Identifier: MIT */
/* A container's facts: its init process seen from the host, its cgroup
 * as the host sees it (the delegation chain), and the inside view
 * gathered by the setns child. Also the /proc scan behind `list`. */
#pragma once

#include "host.h"
#include "inside.h"
#include "proc.h"
#include "runtime.h"
#include "target.h"

struct sc_container_facts {
	struct sc_container_ref ref;
	struct sc_proc_facts proc;

	/* The inside view; inside_error says why it is missing. */
	bool inside_ok;
	char *inside_error;
	struct sc_inside_facts inside;
	char **timed_out; /* reads inside that hung */

	/* The container's cgroup2 cgroup seen from the host. */
	char *cg2_path;	    /* from /proc/PID/cgroup "0::PATH", NULL if none */
	char *cg2_host_dir; /* where that is on the host: /sys/fs/cgroup/unified/PATH */
	struct sc_cgroup_ancestor *chain; /* root first, the container's parent last */
	size_t n_chain;
	char **cg2_controllers; /* its cgroup.controllers */
	char *cg2_type;		/* its cgroup.type */
	bool cg2_stat_known;
	uid_t cg2_uid;
	gid_t cg2_gid;
	char **cg2_delegate_not_owned;

	/* The container's root user on the host, through its uid_map. */
	bool root_mapped;
	uint32_t root_uid;
	bool userns; /* a private user namespace */

	struct sc_errlist errors;
};

/* Probe a container. host_facts are the host's (for the cgroup2 mount
 * point). inside_snapshot, when not NULL, is replayed instead of entering
 * the container (a recorded report). Returns 0, or -ESRCH and friends
 * with *ret_error set when the container cannot be probed at all. */
int sc_container_probe(struct sc_root *host, const struct sc_host_facts *host_facts,
		       const struct sc_container_ref *ref, const struct sc_enter_opts *o,
		       json_t *inside_snapshot, json_t **ret_inside_snapshot,
		       struct sc_container_facts *ret, char **ret_error);
/* The same through the host root: a snapshot root replays the inside view
 * it recorded (its "inside" map, by PID), a recording root keeps the
 * inside view the setns child sent. */
int sc_container_probe_root(struct sc_root *host, const struct sc_host_facts *host_facts,
			    const struct sc_container_ref *ref, const struct sc_enter_opts *o,
			    struct sc_container_facts *ret, char **ret_error);
void sc_container_facts_done(struct sc_container_facts *f);
/* Workers for the inside probes of many containers (sc_enter_pool_new()
 * with the probe sc_container_probe() runs inside): set as o->pool, the
 * probes of every container through it give what they give alone. */
int sc_container_enter_pool_new(unsigned n_workers, const struct sc_enter_opts *o,
				struct sc_enter_pool **ret);
/* Whether the process runs in namespaces of its own (a private PID or
 * mount namespace; for our own PID 1, a private mount namespace): a fact
 * the probe needs (no inside to enter otherwise) and the rules read. */
bool sc_container_is_container(const struct sc_container_facts *c);

/* One container found by `list`. */
struct sc_listed {
	pid_t pid;
	struct sc_container_ref ref; /* runtime SC_RT_NONE when only /proc knew */
	char *cgroup;		     /* cgroup2 path, or the name=systemd / first v1 path */
	int private_ns[_SC_NS_MAX];  /* 1 private, 0 shared with the host, -1 unknown */
	char *cmdline;
	bool running;
};

/* Every container: runtime state joined with a /proc scan for processes
 * whose PID namespace is not ours (each namespace's init: NSpid ends in 1). */
int sc_container_list(struct sc_root *host, const struct sc_state_roots *roots,
		      struct sc_listed **ret, size_t *ret_n);
/* The same, saying in notes what could not be read: the runtimes' state
 * directories, and the /proc files of processes that are not ours (not
 * root: their ns links). */
int sc_container_list_notes(struct sc_root *host, const struct sc_state_roots *roots,
			    struct sc_state_notes *notes, struct sc_listed **ret, size_t *ret_n);
void sc_listed_free(struct sc_listed *v, size_t n);
