/* SPDX-License-Identifier: MIT */
/* sc_root safety: reads never leave the root, never open FIFOs or devices,
 * stop at the size cap; fixture metadata is honoured. Every case runs with
 * openat2() and with the component-wise fallback. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "blkdev.h"
#include "root.h"
#include "testlib.h"
#include "util.h"

static char *tree;
static const unsigned modes[] = { 0, SC_ROOT_NO_OPENAT2 };

static void setup(void)
{
	tree = make_tempdir();
	write_file(tree, "etc/hostname", "TREE-HOSTNAME\n");
	write_file(tree, "etc/shadow", "FIXTURE-SHADOW\n");
	write_file(tree, "proc/cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\n");
	make_symlink(tree, "etc/os-release", "/etc/os-release"); /* absolute: itself */
	make_symlink(tree, "a/b/escape", "../../../../../../../../etc/shadow");
	make_symlink(tree, "abs-shadow", "/etc/shadow");
	make_symlink(tree, "magic", "/proc/self/root/etc/shadow");
	make_symlink(tree, "loop1", "loop2");
	make_symlink(tree, "loop2", "loop1");
	make_symlink(tree, "proc/self/ns/cgroup", "cgroup:[4026531835]");
	write_file(tree, "sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
	write_file(tree, "sys/fs/cgroup/b", "");
	write_file(tree, "sys/fs/cgroup/a", "");
	write_file(
		tree, SC_ROOT_META,
		"{\"format\":1,\"description\":\"unit test tree\",\"euid\":1000,"
		"\"statfs\":{\"/sys/fs/cgroup\":\"tmpfs\",\"/sys/fs/cgroup/unified\":\"cgroup2\","
		"\"/sys/fs/cgroup/x\":\"0x1234\"},"
		"\"stat\":{\"/sys/fs/cgroup/unified\":{\"uid\":100000,\"gid\":100000,"
		"\"mode\":\"0755\"}},"
		"\"errors\":{\"/proc/1/environ\":\"EACCES\"}}");
}

static void teardown(void)
{
	rm_rf(tree);
	free(tree);
}

TestSuite(root, .init = setup, .fini = teardown, .timeout = 20);

static struct sc_root *open_tree(unsigned flags)
{
	struct sc_root *r = NULL;

	cr_assert_eq(sc_root_open(tree, flags, &r), 0);
	cr_assert_not(sc_root_is_live(r));
	return r;
}

Test(root, plain_read)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;
		size_t n;

		cr_assert_eq(sc_root_read(r, "/etc/hostname", SC_READ_MAX, &s, &n), 0);
		cr_assert_str_eq(s, "TREE-HOSTNAME\n");
		cr_assert_eq(n, 14);
	}
}

Test(root, relative_escape_is_clamped)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

		/* "../../.." stops at the root: the tree's own etc/shadow. */
		cr_assert_eq(sc_root_read(r, "/a/b/escape", SC_READ_MAX, &a, NULL), 0);
		cr_assert_str_eq(a, "FIXTURE-SHADOW\n", "mode %zu", m);
		cr_assert_eq(sc_root_read(r, "/abs-shadow", SC_READ_MAX, &b, NULL), 0);
		cr_assert_str_eq(b, "FIXTURE-SHADOW\n");
		cr_assert_eq(sc_root_read(r, "/../../../etc/hostname", SC_READ_MAX, &c, NULL), 0);
		cr_assert_str_eq(c, "TREE-HOSTNAME\n");
	}
}

Test(root, absolute_self_link_loops)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		/* /etc/os-release -> /etc/os-release inside the root is itself. */
		cr_assert_eq(sc_root_read(r, "/etc/os-release", SC_READ_MAX, &s, NULL), -ELOOP);
		cr_assert_null(s);
		cr_assert_eq(sc_root_read(r, "/loop1", SC_READ_MAX, &s, NULL), -ELOOP);
	}
}

Test(root, magic_link_path_stays_inside)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		/* The tree has no proc/self/root: the host's /proc is never
		 * consulted. */
		cr_assert_eq(sc_root_read(r, "/magic", SC_READ_MAX, &s, NULL), -ENOENT);
	}
}

Test(root, live_magic_links_refused_by_openat2)
{
	_cleanup_root_ struct sc_root *r = NULL;
	_cleanup_free_ char *s = NULL;
	int k;

	cr_assert_eq(sc_root_open("/", 0, &r), 0);
	cr_assert(sc_root_is_live(r));
	k = sc_root_read(r, "/proc/self/root/etc/hostname", SC_READ_MAX, &s, NULL);
	if (!sc_root_uses_openat2(r))
		cr_skip_test("openat2() unavailable on this kernel");
	/* RESOLVE_NO_MAGICLINKS: /proc/self/root is a magic link. */
	cr_assert_eq(k, -ELOOP, "got %d", k);
}

Test(root, fifo_refused_without_blocking)
{
	char *p = sc_xasprintf("%s/etc/fifo", tree);

	cr_assert_eq(mkfifo(p, 0644), 0);
	free(p);
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		cr_assert_eq(sc_root_read(r, "/etc/fifo", SC_READ_MAX, &s, NULL), -SC_ENOTREG);
	}
}

Test(root, directory_refused)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		cr_assert_eq(sc_root_read(r, "/etc", SC_READ_MAX, &s, NULL), -SC_ENOTREG);
	}
}

Test(root, device_refused)
{
	char *p = sc_xasprintf("%s/etc/null", tree);

	if (!is_root()) {
		free(p);
		cr_skip_test("mknod needs root");
	}
	cr_assert_eq(mknod(p, S_IFCHR | 0666, makedev(1, 3)), 0);
	free(p);
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		cr_assert_eq(sc_root_read(r, "/etc/null", SC_READ_MAX, &s, NULL), -SC_ENOTREG);
	}
}

Test(root, huge_file_refused)
{
	char *p = sc_xasprintf("%s/etc/huge", tree);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)SC_READ_MAX + 1), 0);
	close(fd);
	free(p);
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		cr_assert_eq(sc_root_read(r, "/etc/huge", SC_READ_MAX, &s, NULL), -EFBIG);
		/* And a small cap on a small file. */
		cr_assert_eq(sc_root_read(r, "/etc/hostname", 4, &s, NULL), -EFBIG);
	}
}

Test(root, read_line_trims)
{
	_cleanup_root_ struct sc_root *r = open_tree(0);
	_cleanup_free_ char *s = NULL;

	cr_assert_eq(sc_root_read_line(r, "/etc/hostname", &s), 0);
	cr_assert_str_eq(s, "TREE-HOSTNAME");
}

Test(root, statfs_from_metadata)
{
	_cleanup_root_ struct sc_root *r = open_tree(0);
	uint64_t magic = 0;

	cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup", &magic), 0);
	cr_assert_eq(magic, SC_TMPFS_MAGIC);
	cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup/unified/", &magic), 0);
	cr_assert_eq(magic, SC_CGROUP2_SUPER_MAGIC);
	cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup/x", &magic), 0);
	cr_assert_eq(magic, 0x1234);
	/* Absent: ENOENT. Present but not recorded: not a guess. */
	cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup/systemd", &magic), -ENOENT);
	cr_assert_eq(sc_root_statfs(r, "/etc", &magic), -SC_ENOFACT);
	cr_assert_eq(sc_root_euid(r), 1000);
	cr_assert_str_eq(sc_root_description(r), "unit test tree");
}

Test(root, replayed_errors)
{
	_cleanup_root_ struct sc_root *r = open_tree(0);
	_cleanup_free_ char *s = NULL;

	cr_assert_eq(sc_root_read(r, "/proc/1/environ", SC_READ_MAX, &s, NULL), -EACCES);
}

Test(root, stat_override)
{
	_cleanup_root_ struct sc_root *r = open_tree(0);
	struct stat st;

	cr_assert_eq(sc_root_stat(r, "/sys/fs/cgroup/unified", &st), 0);
	cr_assert_eq(st.st_uid, 100000);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0755);
}

Test(root, list_sorted_without_metadata)
{
	_cleanup_root_ struct sc_root *r = open_tree(0);
	_cleanup_strv_free_ char **l = NULL, **top = NULL;

	cr_assert_eq(sc_root_list(r, "/sys/fs/cgroup", &l), 0);
	cr_assert_eq(sc_strv_length(l), 3);
	cr_assert_str_eq(l[0], "a");
	cr_assert_str_eq(l[1], "b");
	cr_assert_str_eq(l[2], "unified");
	cr_assert_eq(sc_root_list(r, "/", &top), 0);
	cr_assert_not(sc_strv_contains(top, SC_ROOT_META));
}

Test(root, readlink_namespace)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = open_tree(modes[m]);
		_cleanup_free_ char *s = NULL;

		cr_assert_eq(sc_root_readlink(r, "/proc/self/ns/cgroup", &s), 0);
		cr_assert_str_eq(s, "cgroup:[4026531835]");
		cr_assert_eq(sc_root_exists(r, "/proc/self/ns/cgroup"), 0);
		cr_assert_eq(sc_root_exists(r, "/proc/self/ns/time"), -ENOENT);
	}
}

Test(root, invalid_metadata)
{
	struct sc_root *r = NULL;

	write_file(tree, SC_ROOT_META, "{not json");
	cr_assert_eq(sc_root_open(tree, 0, &r), -EBADMSG);
	write_file(tree, SC_ROOT_META, "{\"format\": 2}");
	cr_assert_eq(sc_root_open(tree, 0, &r), -EBADMSG);
	cr_assert_eq(sc_root_open("/nonexistent/root", 0, &r), -ENOENT);
}

Test(root, record_and_replay)
{
	_cleanup_root_ struct sc_root *r = open_tree(0);
	_cleanup_root_ struct sc_root *replay = NULL, *from_file = NULL;
	_cleanup_free_ char *file = sc_xasprintf("%s-snap.json", tree);
	_cleanup_free_ char *s = NULL, *again = NULL, *link = NULL;
	_cleanup_strv_free_ char **l = NULL;
	struct stat st;
	uint64_t magic;
	json_t *snap;

	cr_assert_eq(sc_root_record_start(r), 0);
	cr_assert_eq(sc_root_read(r, "/a/b/escape", SC_READ_MAX, &s, NULL), 0);
	cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup/unified", &magic), 0);
	cr_assert_eq(sc_root_exists(r, "/sys/fs/cgroup/a"), 0);
	cr_assert_eq(sc_root_exists(r, "/nope"), -ENOENT);
	cr_assert_eq(sc_root_readlink(r, "/proc/self/ns/cgroup", &link), 0);
	cr_assert_eq(sc_root_read(r, "/proc/1/environ", SC_READ_MAX, &again, NULL), -EACCES);
	cr_assert_eq(sc_root_list(r, "/sys/fs/cgroup", &l), 0);
	cr_assert_eq(sc_root_stat(r, "/sys/fs/cgroup/unified", &st), 0);
	/* An operation's failure is that operation's: "not a link" must not
	 * make the directory unlistable on replay. */
	cr_assert_eq(sc_root_readlink(r, "/sys/fs/cgroup", &again), -EINVAL);
	snap = sc_root_record_take(r);
	cr_assert_not_null(snap);

	cr_assert_eq(sc_root_snapshot_write(snap, file), 0);
	cr_assert_eq(sc_root_snapshot_write(snap, file), -EEXIST, "never overwrites");
	cr_assert_eq(sc_root_open_snapshot(snap, "mem", &replay), 0);
	json_decref(snap);
	cr_assert_eq(sc_root_open(file, 0, &from_file), 0);

	struct sc_root *both[] = { replay, from_file };
	for (size_t i = 0; i < ELEMENTSOF(both); i++) {
		struct sc_root *p = both[i];
		_cleanup_free_ char *c = NULL, *lk = NULL;
		_cleanup_strv_free_ char **names = NULL;
		struct stat st2;

		cr_assert_eq(sc_root_read(p, "/a/b/escape", SC_READ_MAX, &c, NULL), 0);
		cr_assert_str_eq(c, "FIXTURE-SHADOW\n");
		free(TAKE_PTR(c));
		cr_assert_eq(sc_root_read(p, "/a//b/./escape", SC_READ_MAX, &c, NULL), 0,
			     "normalized keys");
		free(TAKE_PTR(c));
		cr_assert_eq(sc_root_statfs(p, "/sys/fs/cgroup/unified", &magic), 0);
		cr_assert_eq(magic, SC_CGROUP2_SUPER_MAGIC);
		cr_assert_eq(sc_root_exists(p, "/sys/fs/cgroup/a"), 0);
		cr_assert_eq(sc_root_exists(p, "/nope"), -ENOENT, "absence is replayed");
		cr_assert_eq(sc_root_exists(p, "/never/asked"), -SC_ENOFACT);
		cr_assert_eq(sc_root_readlink(p, "/proc/self/ns/cgroup", &lk), 0);
		cr_assert_str_eq(lk, "cgroup:[4026531835]");
		cr_assert_eq(sc_root_read(p, "/proc/1/environ", SC_READ_MAX, &c, NULL), -EACCES);
		cr_assert_eq(sc_root_list(p, "/sys/fs/cgroup", &names), 0);
		cr_assert_eq(sc_strv_length(names), 3);
		cr_assert_eq(sc_root_readlink(p, "/sys/fs/cgroup", &lk), -EINVAL);
		cr_assert_eq(sc_root_stat(p, "/sys/fs/cgroup/unified", &st2), 0);
		cr_assert_eq(st2.st_uid, 100000);
		cr_assert(S_ISDIR(st2.st_mode));
		cr_assert_eq(sc_root_euid(p), 1000);
		cr_assert_eq(sc_root_read(p, "/sys/fs/cgroup/unified", SC_READ_MAX, &c, NULL),
			     -SC_ENOTREG);
	}
	unlink(file);
}

Test(root, environ_is_never_recorded_whole)
{
	_cleanup_root_ struct sc_root *r = open_tree(0), *replay = NULL;
	_cleanup_free_ char *v = NULL, *again = NULL, *dump = NULL;
	json_t *snap;
	char *p = sc_xasprintf("%s/proc/42/environ", tree);
	FILE *f;

	write_file(tree, "proc/42/.keep", "");
	f = fopen(p, "we");
	{
		static const char env[] = "PASSWORD=hunter2\0container=docker\0HOME=/root\0";
		fwrite(env, 1, sizeof(env) - 1, f);
	}
	fclose(f);
	free(p);
	cr_assert_eq(sc_root_record_start(r), 0);
	cr_assert_eq(sc_root_read_env(r, "/proc/42/environ", "container", &v), 0);
	cr_assert_str_eq(v, "docker");
	cr_assert_eq(sc_root_read_env(r, "/proc/42/environ", "LANG", &again), -ENOENT);
	snap = sc_root_record_take(r);
	dump = json_dumps(snap, JSON_COMPACT);
	cr_assert_null(strstr(dump, "hunter2"), "the environment leaked into the snapshot");
	cr_assert_null(strstr(dump, "HOME"));
	cr_assert_eq(sc_root_open_snapshot(snap, "mem", &replay), 0);
	json_decref(snap);
	free(v);
	v = NULL;
	cr_assert_eq(sc_root_read_env(replay, "/proc/42/environ", "container", &v), 0);
	cr_assert_str_eq(v, "docker");
}

Test(root, path_normalize)
{
	const char *t[][2] = {
		{ "", "/" },
		{ "/", "/" },
		{ "//a///b/", "/a/b" },
		{ "/a/./b/.", "/a/b" },
		{ "/a/../../../etc/shadow", "/etc/shadow" },
		{ "../x", "/x" },
		{ "/sys/fs/cgroup/../../../../etc", "/etc" },
		{ "/a/b/..", "/a" },
		{ "/..", "/" },
		{ "/...", "/..." },
	};

	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		_cleanup_free_ char *n = sc_path_normalize(t[i][0]);
		cr_expect_str_eq(n, t[i][1], "\"%s\"", t[i][0]);
	}
}

Test(root, bad_snapshots)
{
	_cleanup_free_ char *file = sc_xasprintf("%s/snap.json", tree);
	struct sc_root *r = NULL;
	FILE *f;

	f = fopen(file, "we");
	fputs("{\"format\": 1}", f); /* no "files": not a snapshot */
	fclose(f);
	cr_assert_eq(sc_root_open(file, 0, &r), -EBADMSG);
	f = fopen(file, "we");
	fputs("{\"format\": 1, \"files\": {}, \"files\": {}}", f);
	fclose(f);
	cr_assert_eq(sc_root_open(file, 0, &r), -EBADMSG, "duplicate keys are rejected");
	f = fopen(file, "we");
	fputs("[", f);
	fclose(f);
	cr_assert_eq(sc_root_open(file, 0, &r), -EBADMSG);
}

/* ---- block devices: a recorded operation ------------------------------------------ */

TestSuite(root_blkdev, .init = setup, .fini = teardown, .timeout = 20);

static void assert_same_blkdev(const struct sc_blkdev *a, const struct sc_blkdev *b)
{
	_cleanup_free_ char *sa = sc_blkdev_to_string(a), *sb = sc_blkdev_to_string(b);

	cr_assert_eq(a->major, b->major);
	cr_assert_eq(a->minor, b->minor);
	cr_assert_eq(a->err, b->err, "%u:%u: %d vs %d", a->major, a->minor, a->err, b->err);
	cr_assert(streq_ptr(a->devname, b->devname), "%s vs %s", strna(a->devname),
		  strna(b->devname));
	cr_assert(streq_ptr(a->fstype, b->fstype));
	cr_assert(streq_ptr(a->label, b->label));
	cr_assert(streq_ptr(a->uuid, b->uuid));
	cr_assert_str_eq(sa, sb);
}

static int sh(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* An ext4 image on a loop device, for a device with a type, a label and
 * a UUID: its path, or NULL when this machine cannot (not root, no
 * losetup). */
static char *attach_loop(const char *dir)
{
	_cleanup_free_ char *cmd = NULL, *file = NULL, *out = NULL;

	if (!is_root() ||
	    sh("command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null") != 0)
		return NULL;
	cmd = sc_xasprintf("truncate -s 8M %s/img && mkfs.ext4 -q -F -L scroot %s/img && "
			   "losetup -f --show %s/img > %s/loop 2>/dev/null",
			   dir, dir, dir, dir);
	if (sh(cmd) != 0)
		return NULL;
	file = sc_xasprintf("%s/loop", dir);
	out = read_whole_file(file, NULL);
	return out && *sc_strstrip(out) ? sc_xstrdup(sc_strstrip(out)) : NULL;
}

/* This test means to read the host's devices: live, recorded, replayed
 * from memory and from the file --record writes, the same answers, and
 * the same as sc_blkdev_describe() (what the limits probe calls today). */
Test(root_blkdev, live_record_replay, .timeout = 60)
{
	_cleanup_free_ char *dir = make_tempdir(), *file = NULL, *loop = NULL;
	_cleanup_root_ struct sc_root *live = NULL, *mem = NULL, *from_file = NULL;
	struct sc_blkdev got[4], want;
	unsigned devs[4][2] = { { 0, 12345 } }; /* no such block device */
	size_t n = 1;
	struct stat st;
	json_t *snap;
	int ks[4];

	loop = attach_loop(dir);
	if (loop && stat(loop, &st) == 0) {
		devs[n][0] = major(st.st_rdev);
		devs[n++][1] = minor(st.st_rdev);
	}
	if (stat("/", &st) == 0 && major(st.st_dev) != 0) {
		devs[n][0] = major(st.st_dev);
		devs[n++][1] = minor(st.st_dev);
	}

	cr_assert_eq(sc_root_open("/", 0, &live), 0);
	cr_assert(sc_root_is_live(live));
	cr_assert_eq(sc_root_record_start(live), 0);
	for (size_t i = 0; i < n; i++) {
		int k = sc_blkdev_describe(devs[i][0], devs[i][1], &want);

		ks[i] = sc_root_blkdev(live, devs[i][0], devs[i][1], &got[i]);
		cr_assert_eq(ks[i], k);
		assert_same_blkdev(&got[i], &want);
		sc_blkdev_done(&want);
	}
	snap = sc_root_record_take(live);
	if (loop) {
		_cleanup_free_ char *cmd = sc_xasprintf("losetup -d %s", loop);
		(void)sh(cmd);
	}
	cr_assert_eq(ks[0], -ENODEV);
	cr_assert_null(got[0].devname);
	if (loop) {
		cr_assert_eq(ks[1], 0, "%s", strerror(-ks[1]));
		cr_assert_str_eq(got[1].devname, loop);
		cr_assert_str_eq(got[1].fstype, "ext4");
		cr_assert_str_eq(got[1].label, "scroot");
		cr_assert_not_null(got[1].uuid);
	} else
		printf("root_blkdev: no loop device here: only %zu device(s) recorded\n", n);

	file = sc_xasprintf("%s/snap.json", dir);
	cr_assert_eq(sc_root_snapshot_write(snap, file), 0);
	cr_assert_eq(sc_root_open_snapshot(snap, "mem", &mem), 0);
	json_decref(snap);
	cr_assert_eq(sc_root_open(file, 0, &from_file), 0);
	struct sc_root *both[] = { mem, from_file };
	for (size_t j = 0; j < ELEMENTSOF(both); j++)
		for (size_t i = 0; i < n; i++) {
			struct sc_blkdev d;

			cr_assert_eq(sc_root_blkdev(both[j], devs[i][0], devs[i][1], &d), ks[i]);
			assert_same_blkdev(&d, &got[i]);
			sc_blkdev_done(&d);
		}
	for (size_t i = 0; i < n; i++)
		sc_blkdev_done(&got[i]);
	rm_rf(dir);
}

/* A snapshot recorded before the "blkdev" map existed (or a tree without
 * it): not a fact, named as the limits probe names devices of replayed
 * roots today; and that answer is recorded and replayed as such. */
Test(root_blkdev, not_recorded_is_no_name)
{
	_cleanup_root_ struct sc_root *t = NULL, *old = NULL, *again = NULL;
	struct sc_blkdev d, today = { .major = 254, .minor = 0, .err = SC_ENOFACT };
	json_t *snap;
	char *s;

	cr_assert_eq(sc_root_open(tree, 0, &t), 0);
	cr_assert_eq(sc_root_record_start(t), 0);
	cr_assert_eq(sc_root_read(t, "/etc/hostname", SC_READ_MAX, &s, NULL), 0);
	free(s);
	cr_assert_eq(sc_root_blkdev(t, 254, 0, &d), -SC_ENOFACT, "a tree without the map");
	assert_same_blkdev(&d, &today);
	snap = sc_root_record_take(t);

	/* The map is not in the recording unless a device was asked for. */
	json_object_del(snap, "op_errors");
	cr_assert_null(json_object_get(snap, "blkdev"));
	cr_assert_eq(sc_root_open_snapshot(snap, "old", &old), 0);
	cr_assert_eq(sc_root_record_start(old), 0);
	cr_assert_eq(sc_root_blkdev(old, 254, 0, &d), -SC_ENOFACT);
	assert_same_blkdev(&d, &today);
	s = sc_blkdev_to_string(&d);
	cr_assert_str_eq(s, "254:0 (not named: libblkid runs on live hosts only)");
	free(s);
	json_decref(snap);

	snap = sc_root_record_take(old);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(snap, "op_errors"), "blkdev"),
				 "/dev/block/254:0")),
			 "ENOFACT");
	cr_assert_eq(sc_root_open_snapshot(snap, "again", &again), 0);
	json_decref(snap);
	cr_assert_eq(sc_root_blkdev(again, 254, 0, &d), -SC_ENOFACT);
	assert_same_blkdev(&d, &today);
}

static int blkdev_hook(void *data, const char *op, const char *path)
{
	char **seen = data;

	if (streq(op, "blkdev")) {
		free(*seen);
		*seen = sc_xstrdup(path);
		return -ETIMEDOUT;
	}
	return 0;
}

/* A tree's metadata names devices; a hostile entry is -EBADMSG, never a
 * name; the hook sees the operation and its error is the result; a live
 * root that is not this process's "/" has no devices to name. */
Test(root_blkdev, tree_hostile_hook)
{
	_cleanup_free_ char *dir = make_tempdir(), *seen = NULL;
	_cleanup_root_ struct sc_root *t = NULL, *other = NULL;
	struct sc_blkdev d, sda = {
		.major = 8, .minor = 0, .devname = "/dev/sda", .fstype = "ext4", .uuid = "1234-abcd"
	};
	struct sc_blkdev sdb = { .major = 8, .minor = 16, .devname = "/dev/sdb", .err = EACCES };

	write_file(dir, SC_ROOT_META,
		   "{\"format\":1,\"blkdev\":{"
		   "\"/dev/block/8:0\":{\"devname\":\"/dev/sda\",\"fstype\":\"ext4\","
		   "\"label\":null,\"uuid\":\"1234-abcd\"},"
		   "\"/dev/block/8:16\":{\"devname\":\"/dev/sdb\",\"error\":\"EACCES\"},"
		   "\"/dev/block/8:32\":5,"
		   "\"/dev/block/8:48\":{\"devname\":\"\"},"
		   "\"/dev/block/8:80\":{\"devname\":[]},"
		   "\"/dev/block/8:96\":{\"error\":3}}}");
	cr_assert_eq(sc_root_open(dir, 0, &t), 0);
	cr_assert_eq(sc_root_blkdev(t, 8, 0, &d), 0);
	assert_same_blkdev(&d, &sda);
	sc_blkdev_done(&d);
	cr_assert_eq(sc_root_blkdev(t, 8, 16, &d), -EACCES, "a refused probe still names");
	assert_same_blkdev(&d, &sdb);
	sc_blkdev_done(&d);
	for (unsigned minor = 32; minor <= 96; minor += 16) {
		if (minor == 64)
			continue; /* below: a tree's metadata cannot hold a NUL */
		cr_assert_eq(sc_root_blkdev(t, 8, minor, &d), -EBADMSG, "8:%u", minor);
		cr_assert_null(d.devname);
		cr_assert_eq(d.err, EBADMSG);
	}

	{
		json_t *snap =
			json_loads("{\"format\":1,\"files\":{},\"blkdev\":{\"/dev/block/8:64\":"
				   "{\"devname\":\"/dev/a\\u0000b\"}}}",
				   JSON_ALLOW_NUL, NULL);
		_cleanup_root_ struct sc_root *s = NULL;

		cr_assert_eq(sc_root_open_snapshot(snap, "nul", &s), 0);
		json_decref(snap);
		cr_assert_eq(sc_root_blkdev(s, 8, 64, &d), -EBADMSG, "a NUL in a name");
		cr_assert_null(d.devname);
	}

	sc_root_set_hook(t, blkdev_hook, &seen);
	cr_assert_eq(sc_root_blkdev(t, 8, 0, &d), -ETIMEDOUT);
	cr_assert_str_eq(seen, "/dev/block/8:0");
	cr_assert_null(d.devname);

	cr_assert_eq(sc_root_open(dir, SC_ROOT_FORCE_LIVE, &other), 0);
	cr_assert(sc_root_is_live(other));
	cr_assert_eq(sc_root_blkdev(other, 8, 0, &d), -SC_ENOFACT);
	cr_assert_null(d.devname);
	rm_rf(dir);
}
