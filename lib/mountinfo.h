/* SPDX-License-Identifier: MIT */
/* /proc/PID/mountinfo: the parsed table of mounts, and look-ups on it.
 * Format: proc(5), "/proc/pid/mountinfo". */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct sc_mount {
	int id;
	int parent;
	unsigned major, minor;
	char *root;	  /* the root of the mount inside its filesystem */
	char *mountpoint; /* relative to the reading process's root */
	char *options;	  /* per-mount options: "rw,nosuid,relatime" */
	char *optional;	  /* "shared:5 master:1" or "" */
	char *fstype;	  /* "cgroup2", "fuse.lxcfs" */
	char *source;
	char *super_options; /* per-superblock options: "rw,nsdelegate" */
};

struct sc_mounts {
	struct sc_mount *v;
	size_t n;
	size_t n_bad; /* lines that did not parse (skipped) */
};

/* Parse mountinfo text. Malformed lines are skipped and counted, never
 * fatal: a partial table is still a fact. */
void sc_mountinfo_parse(const char *text, struct sc_mounts *ret);
void sc_mounts_done(struct sc_mounts *m);

/* Undo the kernel's octal escapes (\040 space, \011 tab, \012 newline,
 * \134 backslash). */
char *sc_unescape_octal(const char *s);

/* Whether opt appears in the per-mount or per-superblock option lists
 * (exact match of a comma-separated element, or "opt=" prefix when opt
 * ends with '='). */
bool sc_mount_has_option(const struct sc_mount *m, const char *opt);
/* Value of "key=value" in either option list (allocated), or NULL. */
char *sc_mount_option_value(const struct sc_mount *m, const char *key);
bool sc_mount_is_read_only(const struct sc_mount *m);

/* The visible mount at exactly this mount point (the top of a stack of
 * mounts on the same path), or NULL. */
const struct sc_mount *sc_mounts_at(const struct sc_mounts *m, const char *mountpoint);
/* The mount that contains path (longest mount point prefix, top of
 * stack), or NULL. */
const struct sc_mount *sc_mounts_containing(const struct sc_mounts *m, const char *path);
