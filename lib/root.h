/* SPDX-License-Identifier: MIT */
/* sc_root: the only way the library reads anything. A root is a directory
 * fd (the live "/", a container's "/" after setns, or a fixture/snapshot
 * tree) plus the facts a plain tree cannot carry (statfs magic, euid),
 * which come from the kernel when live and from a metadata file
 * (ROOT/.sysctr-root.json, format in root-format.c) otherwise. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>

struct sc_root;

/* Name of the metadata file at the top of a fixture or snapshot tree. */
#define SC_ROOT_META ".sysctr-root.json"

/* Default cap for one read: kernel files are small; a bigger "kernel file"
 * in a container image is hostile or broken. */
#define SC_READ_MAX (4u * 1024u * 1024u)

/* Our own error codes, beyond errno, for refusals that errno cannot name.
 * Always returned negated like errno values; sc_strerror() knows them. */
enum {
	SC_ENOTREG = 4096 + 1, /* a FIFO, device, socket or directory */
	SC_ECHANGED,	       /* the file was swapped while being opened */
	SC_ENOFACT,	       /* a fixture tree does not record this fact */
};
const char *sc_strerror(int err);
const char *sc_errname(int err);

/* Magic numbers from linux/magic.h, for statfs facts. */
#define SC_TMPFS_MAGIC 0x01021994ULL
#define SC_CGROUP_SUPER_MAGIC 0x27e0ebULL
#define SC_CGROUP2_SUPER_MAGIC 0x63677270ULL
#define SC_SYSFS_MAGIC 0x62656572ULL
#define SC_PROC_SUPER_MAGIC 0x9fa0ULL
#define SC_FUSE_SUPER_MAGIC 0x65735546ULL
#define SC_OVERLAYFS_SUPER_MAGIC 0x794c7630ULL

/* Name for a statfs magic ("tmpfs", "cgroup2") or NULL if unknown. */
const char *sc_fs_magic_name(uint64_t magic);
int sc_fs_magic_from_name(const char *name, uint64_t *ret);

enum {
	/* Never use openat2(): exercise the component-wise fallback. */
	SC_ROOT_NO_OPENAT2 = 1 << 0,
	/* Treat the tree as live (statfs and euid from the kernel) even if
	 * it is not "/": used for a container's root seen from inside. */
	SC_ROOT_FORCE_LIVE = 1 << 1,
	/* An unpacked image (host --image): a plain tree whose files are
	 * data, never a fixture: its metadata file is not read (an image
	 * must not tell the tool what statfs or stat would say), and only a
	 * directory (a file is -ENOTDIR, never taken for a snapshot). */
	SC_ROOT_IMAGE = 1 << 2,
};

/* How long opening a root may go without a system call returning before
 * it gives up (-ETIMEDOUT): a stopped FUSE daemon's file blocks forever. */
#define SC_ROOT_OPEN_IDLE_MS 5000u

/* Open a root. path "/" (or NULL) is the live system; a directory is a
 * tree with an optional metadata file; a regular file is a snapshot, read
 * whole with a few read() calls. A FIFO, device or socket is refused
 * (-SC_ENOTREG) without being opened.
 * Returns 0 or -errno (-EBADMSG for invalid metadata or snapshot). */
int sc_root_open(const char *path, unsigned flags, struct sc_root **ret);
void sc_root_free(struct sc_root *r);
static inline void sc_root_freep(struct sc_root **r)
{
	sc_root_free(*r);
}
#define _cleanup_root_ __attribute__((cleanup(sc_root_freep)))

bool sc_root_is_live(const struct sc_root *r);
const char *sc_root_path(const struct sc_root *r);
bool sc_root_uses_openat2(const struct sc_root *r);
/* Free-form provenance from a fixture's metadata ("" when live). */
const char *sc_root_description(const struct sc_root *r);

/* Read a whole file (regular, or a procfs/sysfs/cgroupfs file) of at most
 * max bytes; *ret is NUL-terminated. -EFBIG when larger, -SC_ENOTREG for
 * FIFOs, devices, sockets, directories. */
int sc_root_read(struct sc_root *r, const char *path, size_t max, char **ret, size_t *ret_size);
/* Search a (possibly binary, possibly large: up to 64 MiB) file for
 * strings, as `strings FILE | grep -F NEEDLE` would: for each needle, the
 * first printable run (>= 4 characters, tab included, newline not)
 * containing it, or NULL. Only the matches are recorded, never the file,
 * so a snapshot holds "systemd 252.39-1 running in", not the binary.
 * ret_matches has one slot per needle. */
int sc_root_search(struct sc_root *r, const char *path, const char *const *needles, size_t n,
		   char ***ret_matches);
#define SC_SEARCH_MAX (64u * 1024u * 1024u)

/* One variable of an environ file (NUL-separated KEY=VALUE, as
 * /proc/PID/environ): 0 and the value (allocated), -ENOENT when the file
 * has no such variable, or the read's error. Only that variable is
 * recorded, never the rest of the environment: a snapshot is meant to be
 * attached to public bug reports. */
int sc_root_read_env(struct sc_root *r, const char *path, const char *key, char **ret_value);

/* The first line, whitespace-trimmed. */
int sc_root_read_line(struct sc_root *r, const char *path, char **ret);
/* Whether a path exists inside the root (without following a final
 * symlink): 0, -ENOENT or another -errno. */
int sc_root_exists(struct sc_root *r, const char *path);
/* stat() of a path resolved inside the root (fixture metadata may
 * override uid, gid and mode). */
int sc_root_stat(struct sc_root *r, const char *path, struct stat *ret);
/* The target of a symlink, not followed (e.g. "cgroup:[4026531835]"). */
int sc_root_readlink(struct sc_root *r, const char *path, char **ret);
/* Sorted entry names of a directory, without "." and "..": at most
 * SC_LIST_MAX of them (-E2BIG past that: no kernel directory the tool
 * reads holds so many; an image or a snapshot that does is hostile). */
#define SC_LIST_MAX (1u << 20)
int sc_root_list(struct sc_root *r, const char *path, char ***ret);
/* Filesystem magic of the filesystem holding path. */
int sc_root_statfs(struct sc_root *r, const char *path, uint64_t *ret_magic);
/* The state of the systemd manager listening on the socket at path
 * (SC_MANAGER_SOCKET), as the manager itself tells it (manager.c). Live
 * only on a root that is this process's "/" (else -SC_ENOFACT); from a
 * snapshot or tree, as recorded. -ENOTSOCK when path is no socket. */
struct sc_manager_state;
int sc_root_manager(struct sc_root *r, const char *path, unsigned timeout_ms,
		    struct sc_manager_state *ret);
/* The block device numbered major:minor on this root's machine: its /dev
 * name, filesystem type, label and UUID (blkdev.h), a recorded operation
 * like the others (path "/dev/block/MAJ:MIN" for the hook and the
 * recording). Live: libblkid, as sc_blkdev_describe(), only on a root
 * that is this process's "/" (libblkid reads the process's /sys and /dev,
 * not the root's); from a snapshot or a tree, its "blkdev" map. ret is
 * overwritten whatever the result: major, minor, what was found and err
 * (SC_ENOFACT when not recorded: no name, as for every snapshot recorded
 * before that map existed). Returns 0 or -ret->err. */
struct sc_blkdev;
int sc_root_blkdev(struct sc_root *r, unsigned major, unsigned minor, struct sc_blkdev *ret);
/* The effective uid the probe runs with. */
uid_t sc_root_euid(struct sc_root *r);

/* Every path argument is first normalized lexically ("//", "." and ".."
 * clamped at the root): the key under which facts are recorded. */
char *sc_path_normalize(const char *p);
int sc_errno_from_name(const char *name);

/* A hook called before every operation ("read", "exists", "stat",
 * "readlink", "list", "statfs", "search", "manager", "blkdev") with the
 * normalized path; an error it
 * returns is the operation's result. The setns child uses it to report
 * progress to its parent and to skip files of a hung filesystem. */
typedef int (*sc_root_hook_t)(void *data, const char *op, const char *path);
void sc_root_set_hook(struct sc_root *r, sc_root_hook_t hook, void *data);

/* Recording: every operation and its result go into a snapshot (JSON, the
 * format in root-format.c) that sc_root_open()/sc_root_open_snapshot() replay.
 * It is what --record writes and what the setns child sends back. */
int sc_root_record_start(struct sc_root *r);
/* The snapshot so far (new reference; recording stops). */
json_t *sc_root_record_take(struct sc_root *r);
/* Write a snapshot to file atomically; never replaces an existing file
 * (-EEXIST). */
int sc_root_snapshot_write(json_t *snap, const char *file);
/* Extra data kept in a snapshot next to the files: the inside views of
 * containers ("inside": { "PID": snapshot }). get returns a borrowed
 * reference, NULL when absent or not a snapshot; attach takes v. */
json_t *sc_root_snapshot_get(struct sc_root *r, const char *key);
void sc_root_record_attach(struct sc_root *r, const char *map_key, const char *key, json_t *v);
/* A root on an in-memory snapshot (a new reference is taken). */
int sc_root_open_snapshot(json_t *snap, const char *name, struct sc_root **ret);
