/* SPDX-License-Identifier: MIT */
/* Entering a container to read what it sees: a forked child joins the
 * target's namespaces (pidfd-based, so a recycled PID is caught), chroots
 * to its root, and a grandchild inside its PID namespace runs a probe on a
 * recording sc_root; the parent gets the recorded snapshot back over a
 * pipe, under a deadline. The parent never changes namespace. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "root.h"

struct sc_enter_pool;
struct sc_enter_opts {
	unsigned timeout_ms; /* no progress for this long: the read in flight hung */
	unsigned retries;    /* re-runs that skip the hung filesystem */
	/* The whole probe, every attempt together: a filesystem that answers
	 * each read just before timeout_ms would otherwise stretch it
	 * without bound. 0: (retries + 2) * timeout_ms. */
	unsigned total_ms;
	/* When set, sc_target_enter() hands the work to one of the pool's
	 * workers (forked while the process was small), which runs it as it
	 * would here and sends the result back. */
	struct sc_enter_pool *pool;
};
#define SC_ENTER_TIMEOUT_MS_DEFAULT 3000
/* What the child may send back: as much as a snapshot file may hold. */
#define SC_ENTER_DATA_MAX (256u << 20)

/* Runs in the grandchild inside the container, on a live, recording root
 * of the container's "/". Its return value is reported, its facts are
 * discarded: the parent replays the same probe on the snapshot. */
typedef int (*sc_enter_fn)(struct sc_root *root, void *data);

struct sc_enter_result {
	json_t *snapshot;  /* what was read inside (replay with sc_root_open_snapshot) */
	char **timed_out;  /* reads that hung: recorded as ETIMEDOUT in the snapshot */
	unsigned attempts; /* children forked */
};
void sc_enter_result_done(struct sc_enter_result *r);

/* Enter pid (whose start time, in clock ticks, must be start_time when
 * not 0) and run fn there. Returns 0, or -ESRCH (no such process, PID
 * recycled, or it exited while being probed), -EPERM (not allowed to
 * enter), -ETIMEDOUT (every attempt hung, or the whole probe took longer
 * than total_ms), another -errno; *ret_error then
 * holds a one-line explanation. */
int sc_target_enter(pid_t pid, unsigned long long start_time, const struct sc_enter_opts *o,
		    sc_enter_fn fn, void *data, struct sc_enter_result *ret, char **ret_error);

/* Whether pid (started at start_time, when not 0) has exited or is
 * exiting, waiting up to wait_ms for its pidfd to say so: a process on
 * its way out loses its namespaces and root before it is a zombie, so a
 * /proc file that vanished under a probe asks this before it is taken
 * for a permission problem. */
bool sc_target_exited(pid_t pid, unsigned long long start_time, int wait_ms);

/* A few workers forked early, before the caller's memory grows: each
 * sc_target_enter() through the pool forks its setns child from a small
 * worker, not from a large parent (fork copies the page tables: with 500
 * reports held, that was a quarter of `report --all`), and the workers
 * probe the next targets while the caller judges the last one. fn and
 * data are what every worker runs inside; o the deadlines (its pool is
 * ignored). Returns 0, or -errno when no worker could be started. */
int sc_enter_pool_new(unsigned n_workers, const struct sc_enter_opts *o, sc_enter_fn fn, void *data,
		      struct sc_enter_pool **ret);
void sc_enter_pool_free(struct sc_enter_pool *p);
/* The targets the caller will enter next, in order (pids[i] started at
 * start_times[i]): idle workers start on them; results held for targets
 * not named here are dropped. */
void sc_enter_pool_prefetch(struct sc_enter_pool *p, const pid_t *pids,
			    const unsigned long long *start_times, size_t n);
