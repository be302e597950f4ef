/* SPDX-License-Identifier: MIT */
/* Lists whose length the input decides, past what tests/test-bounded.c
 * covers: copying a list, the cgroup2 controller lists, and an image
 * directory listing that the systemd finder walks. The .timeout is a hang
 * guard (the quadratic versions took minutes), not a measure of speed. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "facts.h"
#include "mountinfo.h"
#include "root.h"
#include "runtime.h"
#include "systemd.h"
#include "testlib.h"
#include "util.h"

TestSuite(bounded_lists, .timeout = 20);

/* sc_strv_copy() pushed each element onto the copy, re-counting it every
 * time: 1,000,000 names were ~5 * 10^11 pointer reads. */
Test(bounded_lists, strv_copy)
{
	size_t n = 1000000;
	struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **l = NULL, **c = NULL, **e = NULL;

	for (size_t i = 0; i < n; i++)
		sc_strv_builder_consume(&b, sc_xasprintf("%zu", i));
	l = sc_strv_builder_take(&b);
	c = sc_strv_copy(l);
	cr_assert_eq(sc_strv_length(c), n);
	cr_assert_null(c[n]);
	cr_assert_str_eq(c[0], "0");
	cr_assert_str_eq(c[n - 1], "999999");
	cr_assert_neq(c[7], l[7], "the strings are copies");
	e = sc_strv_copy(NULL);
	cr_assert_not_null(e);
	cr_assert_null(e[0], "a copy of NULL is { NULL }");
}

/* A snapshot of a cgroup2 host whose cgroup.controllers and
 * cgroup.subtree_control hold 150,000 names each (~1 MiB): each name was
 * looked for in the growing controller table and in subtree_control,
 * ~4.5 * 10^10 comparisons (21 s for 75,000). The result stays the same:
 * a name listed twice is one controller, in the order first listed. */
Test(bounded_lists, cgroup2_controller_lists)
{
	size_t n = 150000;
	_cleanup_free_ char *ctl = NULL, *sub = NULL;
	_cleanup_root_ struct sc_root *r = NULL;
	struct sc_mounts t = {};
	struct sc_errlist errs = {};
	struct sc_cgroup_facts f = {};
	FILE *a, *s;
	size_t la, ls;
	json_t *snap;

	a = open_memstream(&ctl, &la);
	s = open_memstream(&sub, &ls);
	fputs("memory io", a);
	fputs("io", s);
	for (size_t i = 0; i < n; i++) {
		fprintf(a, " c%zu", i);
		if (i % 2)
			fprintf(s, " c%zu", i);
	}
	fputs(" io c7 memory\n", a); /* listed twice */
	fputs("\n", s);
	fclose(a);
	fclose(s);
	snap = json_pack("{s:i,s:{s:s,s:s,s:s},s:{s:s}}", "format", 1, "files", "/proc/cgroups",
			 "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
			 "memory\t0\t12\t1\n",
			 "/sys/fs/cgroup/cgroup.controllers", ctl,
			 "/sys/fs/cgroup/cgroup.subtree_control", sub, "statfs", "/sys/fs/cgroup",
			 "cgroup2");
	cr_assert_not_null(snap);
	cr_assert_eq(sc_root_open_snapshot(snap, "t", &r), 0);
	json_decref(snap);
	sc_mountinfo_parse("1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", &t);
	sc_cgroup_probe(r, &t, &errs, &f);

	cr_assert_eq(f.mode, SC_CG_UNIFIED);
	/* memory (a /proc/cgroups row), then io, c0 .. c(n-1) once each. */
	cr_assert_eq(f.n_controllers, 2 + n);
	cr_assert_str_eq(f.controllers[0].name, "memory");
	cr_assert(f.controllers[0].v2_available);
	cr_assert_not(f.controllers[0].v2_enabled);
	cr_assert_str_eq(f.controllers[1].name, "io");
	cr_assert(f.controllers[1].v2_enabled);
	cr_assert_eq(f.controllers[1].hierarchy, -1);
	cr_assert_str_eq(f.controllers[2].name, "c0");
	cr_assert_not(f.controllers[2].v2_enabled);
	cr_assert_str_eq(f.controllers[3].name, "c1");
	cr_assert(f.controllers[3].v2_enabled);
	cr_assert_str_eq(f.controllers[2 + n - 1].name, "c149999");
	cr_assert(f.controllers[2 + n - 1].v2_enabled);
	for (size_t i = 0; i < f.n_controllers; i++)
		cr_assert_eq(f.controllers[i].where, SC_CTRL_V2, "%s", f.controllers[i].name);
	sc_cgroup_facts_done(&f);
	sc_errlist_done(&errs);
	sc_mounts_done(&t);
}

static void touch_many(const char *dir, const char *fmt, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *p = NULL;
		int fd;

		p = sc_xasprintf(fmt, dir, i);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		cr_assert_geq(fd, 0, "%s: %m", p);
		close(fd);
	}
}

/* An image (debian12, copied into a temporary directory) whose
 * /usr/lib/systemd holds 100,000 more files: in a container, listing it
 * made the setns child miss its deadline and the image's systemd was "not
 * found". The version is still that of the real systemd binary there.
 * (Most of this test's time is creating the files.) */
Test(bounded_lists, systemd_in_a_huge_directory, .timeout = 60)
{
	char tmp[] = "/tmp/sc-bounded-XXXXXX";
	_cleanup_free_ char *cmd = NULL, *img = NULL, *sd = NULL;
	_cleanup_root_ struct sc_root *r = NULL;
	struct sc_systemd_image s = {};

	cr_assert_not_null(mkdtemp(tmp));
	img = sc_xasprintf("%s/img", tmp);
	cmd = sc_xasprintf("cp -a '%s/tests/fixtures/images/debian12' '%s'", SC_SRCDIR, img);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	sd = sc_xasprintf("%s/usr/lib/systemd", img);
	touch_many(sd, "%s/unit-%06zu.service", 100000);

	cr_assert_eq(sc_root_open(img, 0, &r), 0, "%s", img);
	sc_systemd_probe(r, &s);
	cr_expect(s.found);
	cr_expect_str_eq(s.version, "252.22-1~deb12u1");
	cr_expect_str_eq(s.method, "banner");
	cr_expect_str_eq(s.init_path, "/usr/lib/systemd/systemd");
	sc_systemd_image_done(&s);

	free(cmd);
	cmd = sc_xasprintf("rm -rf '%s'", tmp);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* A snapshot whose /usr/lib lists 400,000 names that look like multiarch
 * triplets ("x-linux-gnu"): the systemd finder and the libkmod look-up
 * each appended a directory per name to a list that re-counted itself
 * (~1.6 * 10^11 pointer reads). The library's version is still found. */
Test(bounded_lists, systemd_many_multiarch_names)
{
	size_t n = 400000;
	json_t *usrlib = json_array(), *sd = json_array();
	_cleanup_root_ struct sc_root *r = NULL;
	struct sc_systemd_image s = {};
	json_t *snap;

	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *e = sc_xasprintf("x%06zu-linux-gnu", i);
		json_array_append_new(usrlib, json_string(e));
	}
	json_array_append_new(usrlib, json_string("systemd"));
	json_array_append_new(sd, json_string("libsystemd-shared-252.so"));
	snap = json_pack("{s:i,s:{},s:{s:o,s:o}}", "format", 1, "files", "dirs", "/usr/lib", usrlib,
			 "/usr/lib/systemd", sd);
	cr_assert_not_null(snap);
	cr_assert_eq(sc_root_open_snapshot(snap, "t", &r), 0);
	json_decref(snap);
	sc_systemd_probe(r, &s);
	cr_expect(s.found);
	cr_expect_str_eq(s.version, "252");
	cr_expect_str_eq(s.method, "library");
	cr_expect_not(s.libkmod);
	sc_systemd_image_done(&s);
}

/* A cgroup2 host's snapshot: the root lists cgroup.procs, memory.max,
 * not-a-cgroup (no cgroup.subtree_control) and user.slice, whose
 * user-0.slice holds user@0.service and a session scope; n_slices more
 * children cNN.slice (odd ones enable cpu), listed last first. */
static struct sc_root *tree_snapshot(int n_slices)
{
	static const char *const sub[][2] = {
		{ "", "memory" },
		{ "/user.slice", "memory pids" },
		{ "/user.slice/user-0.slice", "pids" },
		{ "/user.slice/other.scope", "" },
		{ "/user.slice/user-0.slice/user@0.service", "" },
		{ "/user.slice/user-0.slice/session-1.scope", "" },
	};
	json_t *files = json_object(), *dirs = json_object(), *snap;
	json_t *top =
		json_pack("[s,s,s,s]", "cgroup.procs", "memory.max", "user.slice", "not-a-cgroup");
	struct sc_root *r = NULL;

	for (size_t i = 0; i < ELEMENTSOF(sub); i++) {
		_cleanup_free_ char *p =
			sc_xasprintf("/sys/fs/cgroup%s/cgroup.subtree_control", sub[i][0]);
		_cleanup_free_ char *v = sc_xasprintf("%s\n", sub[i][1]);

		json_object_set_new(files, p, json_string(v));
	}
	for (int i = n_slices - 1; i >= 0; i--) {
		_cleanup_free_ char *n = sc_xasprintf("c%02d.slice", i);
		_cleanup_free_ char *p =
			sc_xasprintf("/sys/fs/cgroup/%s/cgroup.subtree_control", n);

		json_array_append_new(top, json_string(n));
		json_object_set_new(files, p, json_string(i % 2 ? "cpu\n" : "\n"));
	}
	json_object_set_new(dirs, "/sys/fs/cgroup", top);
	json_object_set_new(dirs, "/sys/fs/cgroup/user.slice",
			    json_pack("[s,s,s]", "user-0.slice", "other.scope", "cgroup.type"));
	json_object_set_new(dirs, "/sys/fs/cgroup/user.slice/user-0.slice",
			    json_pack("[s,s]", "user@0.service", "session-1.scope"));
	snap = json_pack("{s:i,s:o,s:o,s:{s:s}}", "format", 1, "files", files, "dirs", dirs,
			 "statfs", "/sys/fs/cgroup", "cgroup2");
	cr_assert_not_null(snap);
	cr_assert_eq(sc_root_open_snapshot(snap, "t", &r), 0);
	json_decref(snap);
	return r;
}

static void tree_probe(int n_slices, struct sc_cgroup_facts *f)
{
	_cleanup_root_ struct sc_root *r = tree_snapshot(n_slices);
	struct sc_mounts t = {};
	struct sc_errlist errs = {};

	sc_mountinfo_parse("1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", &t);
	sc_cgroup_probe(r, &t, &errs, f);
	cr_assert_eq(f->n_v2_tree, 0, "the tree only when asked");
	sc_cgroup_probe_tree(r, f);
	sc_errlist_done(&errs);
	sc_mounts_done(&t);
}

/* The cgroup2 tree below the root (.host.cgroup.v2.tree): with 100 child
 * cgroups, 64 are listed, sorted; cgroup files and a child without a
 * readable cgroup.subtree_control are not cgroups; under /user.slice only
 * user-*.slice and their user@*.service are followed. */
Test(bounded_lists, cgroup2_tree)
{
	struct sc_cgroup_facts f = {};

	tree_probe(100, &f);
	cr_assert_eq(f.n_v2_tree, SC_CGROUP_TREE_MAX);
	cr_assert_str_eq(f.v2_tree[0].path, "/c00.slice");
	cr_assert_eq(sc_strv_length(f.v2_tree[0].subtree_control), 0);
	cr_assert_str_eq(f.v2_tree[1].path, "/c01.slice");
	cr_assert_str_eq(f.v2_tree[1].subtree_control[0], "cpu");
	cr_assert_str_eq(f.v2_tree[63].path, "/c63.slice");
	for (size_t i = 1; i < f.n_v2_tree; i++)
		cr_assert_lt(strcmp(f.v2_tree[i - 1].path, f.v2_tree[i].path), 0);
	sc_cgroup_facts_done(&f);

	/* Without the 100: the user chain, and nothing else. */
	tree_probe(0, &f);
	cr_assert_eq(f.n_v2_tree, 3);
	cr_assert_str_eq(f.v2_tree[0].path, "/user.slice");
	cr_assert_str_eq(f.v2_tree[0].subtree_control[1], "pids");
	cr_assert_str_eq(f.v2_tree[1].path, "/user.slice/user-0.slice");
	cr_assert_str_eq(f.v2_tree[1].subtree_control[0], "pids");
	cr_assert_str_eq(f.v2_tree[2].path, "/user.slice/user-0.slice/user@0.service");
	sc_cgroup_facts_done(&f);
}

/* Rootless state roots (lib/runtime.c users_roots): 20,000 runtime
 * directories and a 200,000-line /etc/passwd. A home looked up line by
 * line per user was 4 * 10^9 line reads; the homes are sorted once. The
 * one user with state is found, with the home of its first passwd line. */
Test(bounded_lists, rootless_users, .timeout = 60)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_root_ struct sc_root *root = NULL;
	_cleanup_free_ char *run = sc_xasprintf("%s/run/user", dir);
	struct sc_container_ref *v = NULL;
	struct sc_state_roots roots;
	FILE *pw;
	size_t n = 0;

	write_file(dir, "run/user/.keep", "");
	for (int i = 1; i <= 20000; i++) {
		_cleanup_free_ char *d = sc_xasprintf("%s/%d", run, i);
		cr_assert_eq(mkdir(d, 0755), 0);
	}
	write_file(dir, "etc/.keep", "");
	{
		_cleanup_free_ char *p = sc_xasprintf("%s/etc/passwd", dir);
		pw = fopen(p, "we");
	}
	cr_assert_not_null(pw);
	for (int i = 200000; i > 0; i--)
		fprintf(pw, "u%d:x:%d:%d::/home/u%d:/bin/sh\n", i, i, i, i);
	fprintf(pw, "again:x:19999:1::/elsewhere:/bin/sh\n");
	fclose(pw);
	write_file(dir,
		   "home/u19999/.local/share/containers/storage/overlay-containers/"
		   "containers.json",
		   "[{\"id\":\"abcd1234\",\"names\":[\"far\"]}]");
	write_file(dir, "run/user/19999/crun/abcd1234/status",
		   "{\"pid\":7777,\"process-start-time\":3}");
	write_file(dir, "proc/7777/stat",
		   "7777 (sleep) S 1 7777 7777 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 3 1000 100 "
		   "0\n");

	cr_assert_eq(sc_root_open(dir, 0, &root), 0);
	sc_state_roots_default(&roots);
	cr_assert_eq(sc_runtime_scan(root, &roots, &v, &n), 0);
	cr_assert_eq(n, 2, "%zu refs", n);
	cr_expect_eq(v[1].runtime, SC_RT_PODMAN);
	cr_expect(v[1].rootless);
	cr_expect_eq(v[1].uid, 19999);
	cr_expect_eq(v[1].pid, 7777);
	cr_expect_str_eq(v[1].state_file, "/home/u19999/.local/share/containers/storage/"
					  "overlay-containers/containers.json");
	sc_container_refs_free(v, n);
	rm_rf(dir);
}
