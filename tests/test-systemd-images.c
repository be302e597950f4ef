/* SPDX-License-Identifier: MIT */
/* The systemd version finder on image trees of each layout of
 * docs/boot-rules.md#image-version (tests/fixtures/images/README.md). */
#include <criterion/criterion.h>
#include <fcntl.h>

#include "cgroup.h"
#include "systemd.h"
#include "testlib.h"
#include "util.h"

static void probe(const char *name, struct sc_systemd_image *s)
{
	_cleanup_free_ char *dir = sc_xasprintf("%s/tests/fixtures/images/%s", SC_SRCDIR, name);
	_cleanup_root_ struct sc_root *r = NULL;

	cr_assert_eq(sc_root_open(dir, 0, &r), 0, "%s", dir);
	sc_systemd_probe(r, s);
}

static const struct {
	const char *tree;
	const char *version, *method;
	int major, minor;
	const char *hierarchy;
	const char *init;
	int init_is_systemd;
} cases[] = {
	{ "debian12", "252.22-1~deb12u1", "banner", 252, 22, "unified", "/usr/lib/systemd/systemd",
	  SC_YES },
	{ "fedora37", "251.2-1.fc37", "library", 251, 2, NULL, "/usr/lib/systemd/systemd", SC_YES },
	{ "centos7", "219", "banner", 219, -1, NULL, "/usr/lib/systemd/systemd", SC_YES },
	{ "core-banner", "257.9-1~deb13u1", "banner", 257, 9, NULL, "/usr/lib/systemd/systemd",
	  SC_YES },
	{ "arch256", "256.7-1-arch", "banner", 256, 7, NULL, "/usr/lib/systemd/systemd", SC_YES },
	{ "dpkg-only", "253.0-1", "dpkg", 253, 0, NULL, NULL, SC_UNKNOWN },
	{ "osrelease-only", "249", "os-release", 249, -1, NULL, NULL, SC_UNKNOWN },
	{ "busybox", NULL, NULL, -1, -1, NULL, "/bin/busybox", SC_NO },
};

Test(systemd_images, every_layout)
{
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sc_systemd_image s;

		probe(cases[i].tree, &s);
		cr_expect_eq(s.found, cases[i].version != NULL, "%s", cases[i].tree);
		if (cases[i].version) {
			cr_expect_str_eq(s.version, cases[i].version, "%s", cases[i].tree);
			cr_expect_str_eq(s.method, cases[i].method, "%s", cases[i].tree);
			cr_expect_eq(s.v.major, cases[i].major, "%s", cases[i].tree);
			cr_expect_eq(s.v.minor, cases[i].minor, "%s", cases[i].tree);
		}
		if (cases[i].hierarchy)
			cr_expect_str_eq(s.default_hierarchy, cases[i].hierarchy, "%s",
					 cases[i].tree);
		else
			cr_expect_null(s.default_hierarchy, "%s", cases[i].tree);
		if (cases[i].init)
			cr_expect_str_eq(s.init_path, cases[i].init, "%s", cases[i].tree);
		else
			cr_expect_null(s.init_path, "%s: %s", cases[i].tree, s.init_path);
		cr_expect_eq(s.init_is_systemd, cases[i].init_is_systemd, "%s", cases[i].tree);
		sc_systemd_image_done(&s);
	}
}

Test(systemd_images, hostile_image_stays_inside)
{
	struct sc_systemd_image s;

	probe("hostile", &s);
	/* /sbin/init -> /proc/1/root/sbin/init resolves inside the image,
	 * where it is absent: never the host's init. */
	cr_assert_null(s.init_path);
	cr_assert_neq(s.init_error, 0);
	cr_assert_str_eq(s.version, "999.1");
	sc_systemd_image_done(&s);
}

Test(systemd_images, huge_binary_is_refused)
{
	char *dir = make_tempdir();
	char *cmd = sc_xasprintf("cp -a %s/tests/fixtures/images/debian12/. %s/", SC_SRCDIR, dir);
	char *bin = sc_xasprintf("%s/usr/lib/systemd/systemd", dir);
	_cleanup_root_ struct sc_root *r = NULL;
	struct sc_systemd_image s;
	int fd;

	cr_assert_eq(system(cmd), 0);
	/* A 100 MiB sparse "binary": above the search cap, refused unread. */
	unlink(bin);
	fd = open(bin, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 100LL << 20), 0);
	close(fd);
	cr_assert_eq(sc_root_open(dir, 0, &r), 0);
	sc_systemd_probe(r, &s);
	/* The library name still tells the major version. */
	cr_assert_str_eq(s.version, "252");
	cr_assert_str_eq(s.method, "library");
	sc_systemd_image_done(&s);
	rm_rf(dir);
	free(dir);
	free(cmd);
	free(bin);
}
