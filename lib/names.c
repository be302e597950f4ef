/* SPDX-License-Identifier: MIT */
/* The names the tool prints and records for errors and filesystems:
 * errno names (with the read layer's own, SC_ENOTREG...) and statfs
 * magics. Snapshots store these names; the read layer's backends and its
 * format both use them (root.h declares them). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "root.h"
#include "util.h"

static const struct {
	const char *name;
	uint64_t magic;
} fs_magics[] = {
	{ "tmpfs", SC_TMPFS_MAGIC },
	{ "cgroup", SC_CGROUP_SUPER_MAGIC },
	{ "cgroup2", SC_CGROUP2_SUPER_MAGIC },
	{ "sysfs", SC_SYSFS_MAGIC },
	{ "proc", SC_PROC_SUPER_MAGIC },
	{ "fuse", SC_FUSE_SUPER_MAGIC },
	{ "overlay", SC_OVERLAYFS_SUPER_MAGIC },
	{ "ext4", 0xef53 },
	{ "xfs", 0x58465342 },
	{ "btrfs", 0x9123683e },
	{ "devpts", 0x1cd1 },
	{ "ramfs", 0x858458f6 },
	{ "squashfs", 0x73717368 },
	{ "nfs", 0x6969 },
	{ "zfs", 0x2fc12fc1 },
};

const char *sc_fs_magic_name(uint64_t magic)
{
	for (size_t i = 0; i < ELEMENTSOF(fs_magics); i++)
		if (fs_magics[i].magic == magic)
			return fs_magics[i].name;
	return NULL;
}

int sc_fs_magic_from_name(const char *name, uint64_t *ret)
{
	char *end;

	for (size_t i = 0; i < ELEMENTSOF(fs_magics); i++)
		if (streq(fs_magics[i].name, name)) {
			*ret = fs_magics[i].magic;
			return 0;
		}
	if (startswith(name, "0x")) {
		errno = 0;
		unsigned long long v = strtoull(name + 2, &end, 16);
		if (errno == 0 && *end == 0 && end != name + 2) {
			*ret = v;
			return 0;
		}
	}
	return -EINVAL;
}

const char *sc_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case SC_ENOTREG:
		return "not a regular file (FIFO, device, socket or directory): refused";
	case SC_ECHANGED:
		return "file changed while being opened: refused";
	case SC_ENOFACT:
		return "not recorded in this snapshot";
	case E2BIG:
		return "too many entries (more than 1048576): refused";
	case ETIMEDOUT:
		return "timed out (a hung filesystem?)";
	default:
		return strerror(err);
	}
}

const char *sc_errname(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case SC_ENOTREG:
		return "ENOTREG";
	case SC_ECHANGED:
		return "ECHANGED";
	case SC_ENOFACT:
		return "ENOFACT";
	default:
		return sc_errno_name(err);
	}
}

int sc_errno_from_name(const char *name)
{
	static const char *const own[] = { "ENOTREG", "ECHANGED", "ENOFACT" };

	for (size_t i = 0; i < ELEMENTSOF(own); i++)
		if (streq(name, own[i]))
			return SC_ENOTREG + (int)i;
	for (int e = 1; e < 134; e++) {
		const char *n = strerrorname_np(e);
		if (n && streq(n, name))
			return e;
	}
	return EIO;
}
