/* SPDX-License-Identifier: MIT */
/* systemd in an image, found without executing anything: its version
 * (library file names, the boot banner string in the binary, the package
 * database, os-release as a last resort), its build's default cgroup
 * hierarchy, and what /sbin/init resolves to inside the image root. */
#pragma once

#include <stdbool.h>

#include "root.h"

struct sc_systemd_version {
	int major; /* -1 unknown */
	int minor; /* -1 unknown ("252" has none; "256.7-2" has 7) */
};
/* "252", "251.2-1.fc37", "v256.7", "256~rc3-1" -> major/minor (leading
 * digits only). -EINVAL when it does not start with a number. */
int sc_systemd_version_parse(const char *s, struct sc_systemd_version *ret);
/* Compare with major.minor (minor -1: any). <0, 0, >0. Unknown minor
 * compares as .0. */
int sc_systemd_version_cmp(const struct sc_systemd_version *v, int major, int minor);

struct sc_systemd_image {
	bool found;
	char *version; /* the most precise string found: "252.39-1~deb12u2" */
	struct sc_systemd_version v;
	char *source;		 /* the file that told */
	char *method;		 /* "library", "banner", "dpkg", "os-release" */
	char *default_hierarchy; /* "legacy"|"hybrid"|"unified" (v233..v255), NULL */

	/* Units of the image that decide which units fail in containers:
	 * NULL-terminated names of those present (of a fixed list), whether
	 * tmp.mount is enabled, whether modules-load has work to do. */
	char **units;
	bool tmp_mount_enabled;
	bool modules_load_configured;
	bool libkmod; /* libkmod.so.2 is in the image (systemd >= 256 dlopen()s it) */
	/* systemd is a dpkg package (Debian, Ubuntu): Debian's patches
	 * apply (Make-run-lock-tmpfs-an-API-fs.patch, 215-2 .. 256~rc3-3). */
	bool dpkg;
	/* /run/lock: a fatal entry of PID 1's mount table (Debian's 252
	 * patch), or run-lock.mount enabled (Debian 13), or neither (sid). */
	bool run_lock_in_mount_table;
	bool run_lock_mount_enabled;
	bool linger_dir; /* /var/lib/systemd/linger (logind's StateDirectory=) exists */

	char *init_path;     /* /sbin/init resolved inside the image */
	char **init_chain;   /* each link followed */
	int init_is_systemd; /* enum sc_tristate */
	int init_error;	     /* errno resolving /sbin/init, 0 */
};

void sc_systemd_probe(struct sc_root *root, struct sc_systemd_image *ret);
bool sc_systemd_has_unit(const struct sc_systemd_image *s, const char *unit);
void sc_systemd_image_done(struct sc_systemd_image *s);

/* Pure helpers for tests. */
/* From a banner run "systemd 252.39-1~deb12u2 running in %ssystem mode"
 * or "systemd 219 running in system mode": the version string. */
char *sc_systemd_version_from_banner(const char *banner);
/* "libsystemd-shared-251.2-1.fc37.so" -> "251.2-1.fc37". */
char *sc_systemd_version_from_library(const char *file_name);
/* The Version: of the "Package: systemd" paragraph of a dpkg status. */
char *sc_systemd_version_from_dpkg(const char *status);
