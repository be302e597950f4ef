/* SPDX-License-Identifier: MIT */
/* Containers as the runtimes know them: one descriptor per runtime
 * (sc_runtimes[]: its name, TARGET prefix, state root, scanner and how
 * remedies are phrased for it), their state files parsed into one shape,
 * and the resolution of a user's TARGET (PID, runtime:NAME, bare name or
 * ID). Adding a runtime: an enum value and a row here, its scanner and
 * parser, a fixture, the man page. */
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
	SC_RT_CONTAINERD,
	_SC_RT_MAX,
};
const char *sc_runtime_to_string(enum sc_runtime rt);
/* A runtime's name or alias ("machine" is nspawn) -> its enum value;
 * -EINVAL for anything else. */
int sc_runtime_from_string(const char *s);

/* How a remedy is phrased for the tool that starts the container. */
enum sc_dialect {
	SC_DIALECT_NONE,   /* only the generic phrasing */
	SC_DIALECT_OCI,	   /* config.json terms: runc, crun, containerd (ctr) */
	SC_DIALECT_DOCKER, /* docker run flags */
	SC_DIALECT_PODMAN, /* podman run flags */
	SC_DIALECT_LXC,	   /* lxc.* config keys */
	_SC_DIALECT_MAX,
};

struct sc_container_ref;
struct sc_state_roots;
struct sc_runtime_def {
	const char *name;	/* TARGET prefix, JSON "runtime", --state-root key */
	const char *alias;	/* another accepted prefix, or NULL */
	const char *target;	/* what follows the prefix in a TARGET (help, man) */
	const char *state_root; /* default (rootful) state root, NULL: none */
	const char *state;	/* what the scanner reads there, one line */
	/* A rootless user's state root: below the user's runtime directory
	 * (/run/user/UID/crun), or below the home (Podman's c/storage under
	 * ~/.local/share/containers/storage); NULL: not per user. */
	const char *user_runtime_dir;
	const char *user_home_dir;
	/* Appends the containers whose state lies under dir to (*v, *n); it
	 * may look at what earlier rows found (Podman takes the PID from the
	 * OCI runtime's state). Unreadable state is skipped. */
	void (*scan)(struct sc_root *host, const char *dir, struct sc_container_ref **v, size_t *n);
	/* Appends the containers a TARGET name may mean (the ID, an ID it is a
	 * prefix of, or the name where the state is keyed by name), reading
	 * only their own state: what makes resolving a TARGET cost the same
	 * with 1 or 500 containers. NULL: only a scan can tell. */
	void (*lookup)(struct sc_root *host, const struct sc_state_roots *roots, const char *name,
		       struct sc_container_ref **v, size_t *n);
	/* Names that are not keys of the state (Docker's "Name"): an exact
	 * name needs a scan of this runtime's state. */
	bool names_need_scan;
	/* Whether its state keeps the init's PID after the init exits (checked
	 * against the start time it records). */
	bool stale_pids;
	/* A low-level OCI runtime (runc, crun): engines drive it, and its
	 * state holds the PID an engine's own state may lack. */
	bool oci_runtime;
	/* When two runtimes' state names the same container (same ID), the
	 * higher rank wins: an engine over the OCI runtime it drives. */
	unsigned rank;
	/* Containers whose PID is not in the state: is this cgroup one's? */
	bool (*owns_cgroup)(const struct sc_container_ref *c, const char *cgroup);
	enum sc_dialect dialect;
};
/* Indexed by enum sc_runtime, in scanning order; SC_RT_NONE is "pid". */
extern const struct sc_runtime_def sc_runtimes[_SC_RT_MAX];

struct sc_container_ref {
	enum sc_runtime runtime;
	char *id;		       /* full ID (runc/crun/docker/podman), or the name */
	char *name;		       /* docker/podman/nspawn/lxc name, or NULL */
	pid_t pid;		       /* init PID on the host, 0 when not running */
	char *bundle;		       /* OCI bundle directory, when the state says */
	char *state_file;	       /* the file this came from */
	unsigned long long start_time; /* init's start time (clock ticks), 0 unknown */
	bool rootless;		       /* from a user's state root (uid) */
	uid_t uid;		       /* that user */
};

void sc_container_ref_done(struct sc_container_ref *c);
void sc_container_refs_free(struct sc_container_ref *v, size_t n);

/* Where each runtime keeps its state. Defaults are the rootful ones, and
 * the rootless ones of every user with a runtime directory (/run/user/UID,
 * a logind session or lingering: sc_runtime_def.user_*); --state-root
 * RUNTIME=DIR sets one runtime's only root (custom roots, a user's state
 * elsewhere): no per-user roots for it then. */
struct sc_state_roots {
	const char *dir[_SC_RT_MAX];
	bool fixed[_SC_RT_MAX]; /* set by --state-root */
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
/* containerd's shim v2 task directory of one container: its init.pid. */
int sc_parse_containerd_task(const char *id, const char *init_pid, struct sc_container_ref *ret);

/* What the runtimes' state allowed: a state directory that exists but
 * cannot be read (not root: /run/runc is 0700) is a line here, not a
 * silent "no containers". A missing directory is a runtime not in use. */
struct sc_state_notes {
	char **lines;	   /* "cannot read /run/runc: Permission denied (run as root)" */
	unsigned readable; /* state directories read that held something */
	unsigned refused;  /* state directories that exist but could not be read */
};
void sc_state_notes_done(struct sc_state_notes *n);

/* Every container the runtimes' state knows about (running or not),
 * read through the host root. Unreadable state is skipped. */
/* Whether refs[i] is another runtime's view of a container a runtime of
 * higher rank also names (the same ID): it then counts once, as that. */
bool sc_runtime_ref_shadowed(const struct sc_container_ref *refs, size_t n, size_t i);
int sc_runtime_scan(struct sc_root *host, const struct sc_state_roots *roots,
		    struct sc_container_ref **ret, size_t *ret_n);
/* The same without checking the recorded PIDs against /proc, for a caller
 * that reads every init's /proc itself (list); it must then hold each PID
 * to the start time recorded with it, or sc_runtime_ref_check_pid() it. */
int sc_runtime_scan_unchecked(struct sc_root *host, const struct sc_state_roots *roots,
			      struct sc_state_notes *notes, struct sc_container_ref **ret,
			      size_t *ret_n);
void sc_runtime_ref_check_pid(struct sc_root *host, struct sc_container_ref *ref);

/* A parsed TARGET. */
struct sc_target_spec {
	enum sc_runtime runtime; /* SC_RT_NONE: a PID or a bare name */
	bool any_runtime;	 /* a bare name: look it up everywhere */
	pid_t pid;		 /* > 0 for a PID */
	char *name;		 /* name or ID (prefix) */
};
int sc_target_spec_parse(const char *s, struct sc_target_spec *ret);
void sc_target_spec_done(struct sc_target_spec *t);

/* The containers a TARGET may name, read as cheaply as the runtimes'
 * state allows: for a name, each runtime's direct look-up (and the
 * runtimes whose names need a scan); only when nothing matches exactly,
 * or for a PID, every runtime's state (sc_runtime_scan). Resolving the
 * result with sc_target_resolve() answers what resolving the full scan
 * would. notes, when not NULL, gets the state directories that could not
 * be read. */
int sc_runtime_candidates(struct sc_root *host, const struct sc_state_roots *roots,
			  const struct sc_target_spec *t, struct sc_state_notes *notes,
			  struct sc_container_ref **ret, size_t *ret_n);

/* Resolve a TARGET against the scanned containers. Returns 0 with the
 * match; -ENOENT (no match), -ENOTUNIQ (ambiguous: ret_matches lists the
 * candidates as "runtime:id (name)"), -ESRCH (known but not running). */
int sc_target_resolve(const struct sc_target_spec *t, const struct sc_container_ref *refs,
		      size_t n_refs, struct sc_container_ref *ret, char ***ret_matches);
