/* SPDX-License-Identifier: MIT */
/* The hostile fixture (tests/fixtures/hostile, traps listed in its
 * EXPECT.md): no read ever returns a host file; every trap gives the
 * documented outcome with openat2() and with the fallback walk. The
 * FIFO, huge-file, socket and device traps are planted in a copy. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include "host.h"
#include "root.h"
#include "testlib.h"
#include "util.h"

#define HOSTILE FIXTURE("hostile")

static const unsigned modes[] = { 0, SC_ROOT_NO_OPENAT2 };

struct trap {
	const char *id;
	const char *path;
	int err;	     /* expected -errno of the read, 0 for success */
	const char *content; /* expected content prefix when err == 0 */
};

static const struct trap read_traps[] = {
	{ "T1", "/proc/cgroups", -ELOOP, NULL },
	{ "T2", "/proc/cmdline", 0, "FIXTURE-SHADOW" },
	{ "T3", "/proc/sys/kernel/osrelease", 0, "FIXTURE-HOSTNAME" },
	{ "T4", "/etc/os-release", -ELOOP, NULL },
	{ "T4b", "/usr/lib/os-release", -ENOENT, NULL },
	{ "T5", "/proc/self/mountinfo", -ELOOP, NULL },
	{ "T6", "/proc/sys/user/max_user_namespaces", -ELOOP, NULL },
	{ "T7", "/proc/meminfo", -ENOENT, NULL },
	{ "T8", "/proc/version", -ENOTDIR, NULL },
	{ "T9", "/proc/1/comm", -SC_ENOTREG, NULL },
	{ "T10", "/proc/1/environ", -EACCES, NULL },
	{ "T11", "/sys/fs/cgroup/cgroup.controllers", 0, "FIXTURE-TREE-ROOT" },
	{ "T12", "/sys/kernel/cgroup/features", -ENOENT, NULL },
	{ "T13", "/sys/kernel/cgroup/delegate", 0, "FIXTURE-SHADOW" },
};

Test(hostile, every_read_trap, .timeout = 20)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = NULL;

		cr_assert_eq(sc_root_open(HOSTILE, modes[m], &r), 0);
		for (size_t i = 0; i < ELEMENTSOF(read_traps); i++) {
			const struct trap *t = &read_traps[i];
			_cleanup_free_ char *s = NULL;
			int k = sc_root_read(r, t->path, SC_READ_MAX, &s, NULL);

			cr_expect_eq(k, t->err, "%s %s (mode %zu): got %d (%s)", t->id, t->path, m,
				     k, k < 0 ? sc_errname(k) : "ok");
			if (t->err == 0 && k == 0)
				cr_expect(startswith(s, t->content), "%s: read \"%s\"", t->id, s);
			/* Whatever happens, never the host's content. */
			if (s)
				cr_expect(startswith(s, "FIXTURE-"), "%s leaked \"%.40s\"", t->id,
					  s);
		}
	}
}

Test(hostile, links_are_text_never_followed)
{
	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = NULL;
		_cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
		struct stat st;
		uint64_t magic;

		cr_assert_eq(sc_root_open(HOSTILE, modes[m], &r), 0);
		cr_assert_eq(sc_root_readlink(r, "/proc/1/root", &a), 0);
		cr_assert_str_eq(a, "/");
		cr_assert_eq(sc_root_readlink(r, "/proc/self/ns/net", &b), 0);
		cr_assert_str_eq(b, "/proc/1/ns/net");
		cr_assert_eq(sc_ns_parse_link(b), 0, "a path is not a namespace inode");
		cr_assert_eq(sc_root_readlink(r, "/proc/self/ns/uts", &c), 0);
		cr_assert_eq(sc_ns_parse_link(c), 0, "an overflowing inode is rejected");
		/* T15: the looping directory link exists, but is no directory. */
		cr_assert_eq(sc_root_exists(r, "/run/systemd/system"), 0);
		cr_assert_eq(sc_root_stat(r, "/run/systemd/system", &st), -ELOOP);
		/* T11b: statfs comes from metadata, and listing the alias of
		 * the top never shows the metadata file. */
		cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup", &magic), 0);
		cr_assert_eq(magic, SC_CGROUP2_SUPER_MAGIC);
		_cleanup_strv_free_ char **l = NULL;
		cr_assert_eq(sc_root_list(r, "/sys/fs/cgroup", &l), 0);
		cr_assert_not(sc_strv_contains(l, SC_ROOT_META));
		cr_assert(sc_strv_contains(l, "cgroup.controllers"));
	}
}

Test(hostile, host_probe_refuses_cleanly)
{
	_cleanup_root_ struct sc_root *r = NULL;
	struct sc_host_facts f;

	cr_assert_eq(sc_root_open(HOSTILE, 0, &r), 0);
	/* mountinfo is a loop (T5): nothing to probe, and a clean error. */
	cr_assert_eq(sc_host_probe(r, &f), -ELOOP);
}

/* A private copy of the tree, with the run-time traps planted. */
static char *copy_tree(void)
{
	char *dir = make_tempdir();
	char *cmd = sc_xasprintf("cp -a %s/. %s/", HOSTILE, dir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	return dir;
}

Test(hostile, planted_special_files, .timeout = 20)
{
	char *dir = copy_tree();
	char *p;
	int fd;

	/* R1: a FIFO */
	p = sc_xasprintf("%s/proc/swaps", dir);
	unlink(p);
	cr_assert_eq(mkfifo(p, 0644), 0);
	free(p);
	/* R2: an 8 GiB sparse file */
	p = sc_xasprintf("%s/proc/4242/status", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 8LL << 30), 0);
	close(fd);
	free(p);
	/* R3: a UNIX socket */
	p = sc_xasprintf("%s/proc/4242/comm", dir);
	unlink(p);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		cr_assert_lt(strlen(p), sizeof(sa.sun_path));
		strcpy(sa.sun_path, p);
		cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
		close(s);
	}
	free(p);
	/* R4: a device (root only) */
	bool dev = false;
	if (is_root()) {
		p = sc_xasprintf("%s/proc/kmsg", dir);
		cr_assert_eq(mknod(p, S_IFCHR | 0600, makedev(1, 11)), 0);
		free(p);
		dev = true;
	} else
		fprintf(stderr, "[SKIP] hostile: not root: the device trap is skipped\n");

	for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
		_cleanup_root_ struct sc_root *r = NULL;
		_cleanup_free_ char *s = NULL;

		cr_assert_eq(sc_root_open(dir, modes[m], &r), 0);
		cr_expect_eq(sc_root_read(r, "/proc/swaps", SC_READ_MAX, &s, NULL), -SC_ENOTREG);
		cr_expect_eq(sc_root_read(r, "/proc/self/status", SC_READ_MAX, &s, NULL), -EFBIG);
		cr_expect_eq(sc_root_read(r, "/proc/self/comm", SC_READ_MAX, &s, NULL),
			     -SC_ENOTREG);
		if (dev)
			cr_expect_eq(sc_root_read(r, "/proc/kmsg", SC_READ_MAX, &s, NULL),
				     -SC_ENOTREG);
	}
	rm_rf(dir);
	free(dir);
}

Test(hostile, metadata_link_traps)
{
	char *dir = copy_tree();
	char *meta = sc_xasprintf("%s/" SC_ROOT_META, dir);
	struct sc_root *r = NULL;
	_cleanup_free_ char *s = NULL;
	uint64_t magic;

	/* R5: metadata -> /etc/passwd resolves inside the tree: absent. */
	unlink(meta);
	cr_assert_eq(symlink("/etc/passwd", meta), 0);
	cr_assert_eq(sc_root_open(dir, 0, &r), 0);
	cr_assert_str_eq(sc_root_description(r), "");
	cr_assert_eq(sc_root_statfs(r, "/sys/fs/cgroup", &magic), -SC_ENOFACT);
	cr_assert_eq(sc_root_read(r, "/proc/1/environ", SC_READ_MAX, &s, NULL), 0);
	cr_assert(startswith(s, "FIXTURE-ENVIRON"));
	sc_root_free(r);

	/* R6: metadata -> /proc/self/mountinfo loops inside the tree. */
	unlink(meta);
	cr_assert_eq(symlink("/proc/self/mountinfo", meta), 0);
	cr_assert_eq(sc_root_open(dir, 0, &r), -ELOOP);
	rm_rf(dir);
	free(dir);
	free(meta);
}
