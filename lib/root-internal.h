/* SPDX-License-Identifier: MIT */
/* Inside sc_root (not API): the root object, the table of operations each
 * kind of root implements (live, tree, snapshot), and what they share. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "root.h"

struct sc_manager_state;
struct sc_blkdev;

/* One backend: how a kind of root answers each operation. The front end
 * (root.c) has already normalized the path, called the hook and applied
 * the failures the metadata records; it records what a backend returns.
 * So a backend only answers: 0 and its output, or -errno with its output
 * untouched (search's found[] excepted: the front end frees it). */
struct sc_root_ops {
	const char *kind; /* "live", "tree", "snapshot" */
	/* Whole file of at most max bytes, NUL-terminated. */
	int (*read)(struct sc_root *r, const char *npath, size_t max, char **ret, size_t *ret_size);
	/* For each needle, the first printable run holding it, or NULL. */
	int (*search)(struct sc_root *r, const char *npath, const char *const *needles, size_t n,
		      char **found);
	int (*exists)(struct sc_root *r, const char *npath);
	int (*stat)(struct sc_root *r, const char *npath, struct stat *ret);
	/* The target, without NUL bytes, never empty. */
	int (*readlink)(struct sc_root *r, const char *npath, char **ret);
	/* Sorted names, at most SC_LIST_MAX. */
	int (*list)(struct sc_root *r, const char *npath, char ***ret);
	int (*statfs)(struct sc_root *r, const char *npath, uint64_t *ret_magic);
	int (*manager)(struct sc_root *r, const char *npath, unsigned timeout_ms,
		       struct sc_manager_state *ret);
	/* npath is the key of major:minor ("/dev/block/MAJ:MIN"). 0 when
	 * the lookup ran (its own failure is in ret->err, a fact: "no such
	 * device", or a probe refused); -errno when there is no answer. */
	int (*blkdev)(struct sc_root *r, const char *npath, unsigned major, unsigned minor,
		      struct sc_blkdev *ret);
	uid_t (*euid)(struct sc_root *r);
};

extern const struct sc_root_ops sc_root_live_ops;     /* root-live.c */
extern const struct sc_root_ops sc_root_tree_ops;     /* root-tree.c */
extern const struct sc_root_ops sc_root_snapshot_ops; /* root-snapshot.c */

struct sc_root {
	const struct sc_root_ops *ops;
	int dfd; /* -1: a snapshot in memory */
	char *path;
	bool use_openat2;
	json_t *meta; /* tree metadata, or the whole snapshot; NULL when live */
	json_t *rec;  /* the snapshot being recorded, or NULL */
	sc_root_hook_t hook;
	void *hook_data;
};

/* ---- the snapshot format (root-format.c) ----------------------------------- */

/* Any bytes as a JSON value: a string when UTF-8, else { "base64": ... }. */
json_t *sc_json_from_bytes(const char *p, size_t n);
/* The bytes of such a value (NUL-terminated copy): 0, or -EBADMSG. */
int sc_json_to_bytes(json_t *v, char **ret, size_t *ret_size);
/* The key a path is recorded under: itself, or "base64:..." when not UTF-8. */
char *sc_path_key(const char *npath);
/* The object at key of doc (NULL when absent or not an object). */
json_t *sc_meta_map(json_t *doc, const char *key);
/* The entry for npath in the map at key of doc, or NULL. */
json_t *sc_meta_entry(json_t *doc, const char *key, const char *npath);
/* A failure recorded for op on npath ("op_errors"), or for npath whatever
 * the operation (op NULL, or none for op: "errors"): 0 when none. */
int sc_meta_error(json_t *meta, const char *op, const char *npath);

/* Facts both a tree's metadata and a snapshot carry: -SC_ENOFACT when
 * not recorded, -EBADMSG when recorded wrong. */
int sc_meta_statfs(json_t *meta, const char *npath, uint64_t *ret_magic);
/* The file type a "stat" entry records (S_IFREG when it does not say). */
mode_t sc_meta_stat_type(json_t *entry);
/* Owner and mode from a "stat" entry (git cannot keep them), if any. */
void sc_meta_stat_override(json_t *entry, struct stat *st);
int sc_meta_manager(json_t *meta, const char *npath, struct sc_manager_state *ret);
int sc_meta_blkdev(json_t *meta, const char *npath, unsigned major, unsigned minor,
		   struct sc_blkdev *ret);
uid_t sc_meta_euid(json_t *meta);

/* The JSON a result is recorded as (what the sc_meta_* above read back). */
json_t *sc_stat_json(const struct stat *st);
json_t *sc_statfs_json(uint64_t magic);
json_t *sc_manager_json(const struct sc_manager_state *s);
json_t *sc_blkdev_json(const struct sc_blkdev *d);

/* ---- what --root names (root-snapshot.c) ------------------------------------ */

/* What sc_root_open() was given, opened: a directory (fd), or a snapshot
 * file read whole (data, size; fd -1). */
struct sc_root_input {
	struct stat st;
	int fd;
	char *data;
	size_t size;
};

/* Opens path (never a FIFO, device or socket: -SC_ENOTREG) and reads a
 * regular file whole, at most max bytes (-EFBIG), with few large reads.
 * It runs in a child process the caller gives up on (and kills) when no
 * system call has returned for idle_ms (-ETIMEDOUT): a stopped FUSE daemon
 * (lxcfs) blocks open(), stat() and read() forever, no flag makes them
 * return, and a request the daemon has taken cannot even be killed. The
 * bytes come back in a memfd, read with one pread(). */
int sc_root_input_open(const char *path, size_t max, unsigned idle_ms, struct sc_root_input *ret);

/* ---- a directory fd (root-live.c), shared by live roots and trees --------- */

/* Resolve npath inside the root (openat2 RESOLVE_IN_ROOT, or the
 * component-wise walk) and open it with flags. */
int sc_fs_open(struct sc_root *r, const char *npath, int flags, int *ret);
int sc_fs_read(struct sc_root *r, const char *npath, size_t max, char **ret, size_t *ret_size);
int sc_fs_search(struct sc_root *r, const char *npath, const char *const *needles, size_t n,
		 char **found);
int sc_fs_exists(struct sc_root *r, const char *npath);
int sc_fs_stat(struct sc_root *r, const char *npath, struct stat *ret);
int sc_fs_readlink(struct sc_root *r, const char *npath, char **ret);
/* hide_keep: drop ".keep" entries (git's way to keep an empty directory
 * of a fixture tree; no kernel directory has one). */
int sc_fs_list(struct sc_root *r, const char *npath, bool hide_keep, char ***ret);
