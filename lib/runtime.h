/* SPDX-License-Identifier: MIT */
/* Containers as the runtimes know them: their state files (runc, crun,
 * Docker, Podman, systemd-nspawn, LXC) parsed into one shape, and the
 * resolution of a user's TARGET (PID, runtime:NAME, bare name or ID). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "root.h"

enum sc_runtime {
	SC_RT_NONE, /* found by PID or by scanning /proc: no runtime state */
	SC_RT_RUNC,
	SC_RT_CRUN,
	SC_RT_DOCKER,
	SC_RT_PODMAN,
	SC_RT_NSPAWN,
	SC_RT_LXC,
	_SC_RT_MAX,
};
const char *sc_runtime_to_string(enum sc_runtime rt);
int sc_runtime_from_string(const char *s);

struct sc_container_ref {
	enum sc_runtime runtime;
	char *id;		       /* full ID (runc/crun/docker/podman), or the name */
	char *name;		       /* docker/podman/nspawn/lxc name, or NULL */
	pid_t pid;		       /* init PID on the host, 0 when not running */
	char *bundle;		       /* OCI bundle directory, when the state says */
	char *state_file;	       /* the file this came from */
	unsigned long long start_time; /* init's start time (clock ticks), 0 unknown */
};

void sc_container_ref_done(struct sc_container_ref *c);
void sc_container_refs_free(struct sc_container_ref *v, size_t n);

/* Where each runtime keeps its state. Defaults are the rootful ones;
 * --state-root RUNTIME=DIR overrides one (rootless setups, custom roots). */
struct sc_state_roots {
	const char *dir[_SC_RT_MAX];
};
void sc_state_roots_default(struct sc_state_roots *r);
/* "runc=/run/user/1000/runc" -> sets one root; -EINVAL on bad input. */
int sc_state_roots_set(struct sc_state_roots *r, const char *spec);

/* Parsers of one state document (pure: on strings). They fill ret and
 * return 0, or -EBADMSG when the document is not what the runtime writes. */
int sc_parse_runc_state(const char *json, struct sc_container_ref *ret);
int sc_parse_crun_status(const char *json, struct sc_container_ref *ret);
int sc_parse_docker_config(const char *json, struct sc_container_ref *ret);
/* Podman's c/storage containers.json: every container's id and names. */
int sc_parse_podman_containers(const char *json, struct sc_container_ref **ret, size_t *ret_n);
int sc_parse_nspawn_machine(const char *name, const char *text, struct sc_container_ref *ret);

/* Every container the runtimes' state knows about (running or not),
 * read through the host root. Unreadable state is skipped. */
int sc_runtime_scan(struct sc_root *host, const struct sc_state_roots *roots,
		    struct sc_container_ref **ret, size_t *ret_n);

/* A parsed TARGET. */
struct sc_target_spec {
	enum sc_runtime runtime; /* SC_RT_NONE: a PID or a bare name */
	bool any_runtime;	 /* a bare name: look it up everywhere */
	pid_t pid;		 /* > 0 for a PID */
	char *name;		 /* name or ID (prefix) */
};
int sc_target_spec_parse(const char *s, struct sc_target_spec *ret);
void sc_target_spec_done(struct sc_target_spec *t);

/* Resolve a TARGET against the scanned containers. Returns 0 with the
 * match; -ENOENT (no match), -ENOTUNIQ (ambiguous: ret_matches lists the
 * candidates as "runtime:id (name)"), -ESRCH (known but not running). */
int sc_target_resolve(const struct sc_target_spec *t, const struct sc_container_ref *refs,
		      size_t n_refs, struct sc_container_ref *ret, char ***ret_matches);
