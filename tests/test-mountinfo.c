/* SPDX-License-Identifier: MIT */
/* Tests of the mountinfo parser on strings (proc(5) format). */
#include <criterion/criterion.h>

#include "mountinfo.h"
#include "util.h"

static const char *sample =
	"22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	"30 22 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 "
	"cgroup2 rw,nsdelegate\n"
	"32 30 0:29 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup "
	"cgroup rw,xattr,name=systemd\n"
	"33 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:12 - cgroup cgroup "
	"rw,cpu,cpuacct\n"
	"90 25 8:17 / /media/USB\\040DISK rw,relatime - vfat /dev/sdb1 rw,fmask=0022\n"
	"91 25 0:50 / /mnt/tab\\011and\\134slash rw - tmpfs none rw\n"
	"garbage line without structure\n"
	"92 25 0:51 / /var/lib/lxcfs rw,nosuid,nodev,relatime - fuse.lxcfs lxcfs "
	"rw,user_id=0,group_id=0,allow_other\n"
	"93 22 0:27 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n";

Test(mountinfo, parse_fields)
{
	struct sc_mounts t;
	const struct sc_mount *m;

	sc_mountinfo_parse(sample, &t);
	cr_assert_eq(t.n, 9);
	cr_assert_eq(t.n_bad, 1);

	m = &t.v[1];
	cr_assert_eq(m->id, 30);
	cr_assert_eq(m->parent, 22);
	cr_assert_eq(m->major, 0);
	cr_assert_eq(m->minor, 27);
	cr_assert_str_eq(m->mountpoint, "/sys/fs/cgroup");
	cr_assert_str_eq(m->fstype, "tmpfs");
	cr_assert_str_eq(m->optional, "shared:9");
	cr_assert(sc_mount_is_read_only(m));

	m = &t.v[2];
	cr_assert_str_eq(m->fstype, "cgroup2");
	cr_assert(sc_mount_has_option(m, "nsdelegate"));
	cr_assert_not(sc_mount_has_option(m, "memory_recursiveprot"));
	cr_assert_not(sc_mount_is_read_only(m));

	m = &t.v[3];
	cr_assert(sc_mount_has_option(m, "name=systemd"));
	cr_assert(sc_mount_has_option(m, "name="));
	_cleanup_free_ char *name = sc_mount_option_value(m, "name");
	cr_assert_str_eq(name, "systemd");

	sc_mounts_done(&t);
}

Test(mountinfo, escapes)
{
	struct sc_mounts t;

	sc_mountinfo_parse(sample, &t);
	cr_assert_str_eq(t.v[5].mountpoint, "/media/USB DISK");
	cr_assert_str_eq(t.v[6].mountpoint, "/mnt/tab\tand\\slash");
	cr_assert_str_eq(t.v[7].fstype, "fuse.lxcfs");
	cr_assert_str_eq(t.v[8].root, "/docker/abc");
	sc_mounts_done(&t);
}

Test(mountinfo, unescape_edge_cases)
{
	_cleanup_free_ char *a = sc_unescape_octal("a\\04");
	_cleanup_free_ char *b = sc_unescape_octal("\\999x");
	_cleanup_free_ char *c = sc_unescape_octal("\\012");

	cr_assert_str_eq(a, "a\\04");
	cr_assert_str_eq(b, "\\999x");
	cr_assert_str_eq(c, "\n");
}

Test(mountinfo, lookups_and_stacking)
{
	const char *text = "1 0 0:1 / / rw - ext4 /dev/vda rw\n"
			   "2 1 0:2 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
			   "3 2 0:3 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
			   "4 1 0:4 / /run rw - tmpfs tmpfs rw\n";
	struct sc_mounts t;

	sc_mountinfo_parse(text, &t);
	/* The cgroup2 mount is stacked on the tmpfs: it is the visible one. */
	cr_assert_str_eq(sc_mounts_at(&t, "/sys/fs/cgroup")->fstype, "cgroup2");
	cr_assert_str_eq(sc_mounts_containing(&t, "/sys/fs/cgroup/x/y")->fstype, "cgroup2");
	cr_assert_str_eq(sc_mounts_containing(&t, "/runx")->fstype, "ext4");
	cr_assert_str_eq(sc_mounts_containing(&t, "/run/lock")->fstype, "tmpfs");
	cr_assert_null(sc_mounts_at(&t, "/proc"));
	sc_mounts_done(&t);
}

Test(mountinfo, parent_cycle_terminates)
{
	const char *text = "5 6 0:1 / /x rw - tmpfs a rw\n6 5 0:2 / /x rw - tmpfs b rw\n";
	struct sc_mounts t;

	sc_mountinfo_parse(text, &t);
	cr_assert_not_null(sc_mounts_at(&t, "/x"));
	sc_mounts_done(&t);
}

Test(mountinfo, empty_and_truncated)
{
	struct sc_mounts t;

	sc_mountinfo_parse("", &t);
	cr_assert_eq(t.n, 0);
	sc_mounts_done(&t);
	sc_mountinfo_parse("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3", &t);
	cr_assert_eq(t.n, 0);
	cr_assert_eq(t.n_bad, 1);
	sc_mounts_done(&t);
}
