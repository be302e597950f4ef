/* SPDX-License-Identifier: MIT */
/* The tree backend of sc_root: a fixture tree (tests/fixtures/NAME/) read
 * like a live root, with the facts a tree cannot carry from its metadata
 * file (ROOT/.sysctr-root.json, format in root-format.c). */
#include <fcntl.h>
#include <unistd.h>

#include "root-internal.h"
#include "util.h"

/* Fixture metadata may say who owns what and with which mode: git cannot. */
static int tree_stat(struct sc_root *r, const char *npath, struct stat *ret)
{
	struct stat st;
	int k;

	k = sc_fs_stat(r, npath, &st);
	if (k < 0)
		return k;
	sc_meta_stat_override(sc_meta_entry(r->meta, "stat", npath), &st);
	*ret = st;
	return 0;
}

static int tree_list(struct sc_root *r, const char *npath, char ***ret)
{
	return sc_fs_list(r, npath, true, ret);
}

/* No fact recorded: absent paths say so, present ones say we do not know. */
static int tree_statfs(struct sc_root *r, const char *npath, uint64_t *ret_magic)
{
	_cleanup_close_ int fd = -1;
	int k;

	k = sc_meta_statfs(r->meta, npath, ret_magic);
	if (k != -SC_ENOFACT)
		return k;
	k = sc_fs_open(r, npath, O_PATH, &fd);
	return k < 0 ? k : -SC_ENOFACT;
}

static int tree_manager(struct sc_root *r, const char *npath, unsigned timeout_ms,
			struct sc_manager_state *ret)
{
	return sc_meta_manager(r->meta, npath, ret);
}

static int tree_blkdev(struct sc_root *r, const char *npath, unsigned major, unsigned minor,
		       struct sc_blkdev *ret)
{
	return sc_meta_blkdev(r->meta, npath, major, minor, ret);
}

static uid_t tree_euid(struct sc_root *r)
{
	return sc_meta_euid(r->meta);
}

const struct sc_root_ops sc_root_tree_ops = {
	.kind = "tree",
	.read = sc_fs_read,
	.search = sc_fs_search,
	.exists = sc_fs_exists,
	.stat = tree_stat,
	.readlink = sc_fs_readlink,
	.list = tree_list,
	.statfs = tree_statfs,
	.manager = tree_manager,
	.blkdev = tree_blkdev,
	.euid = tree_euid,
};
