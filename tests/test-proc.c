/* SPDX-License-Identifier: MIT */
/* /proc/PID parsers, capability names, id map arithmetic, and the inside
 * helpers that need no container: cgroup directories under mounts and
 * the systemd version finders. */
#include <criterion/criterion.h>

#include "inside.h"
#include "proc.h"
#include "systemd.h"
#include "util.h"

Test(proc, capabilities)
{
	_cleanup_free_ char *s = NULL;

	cr_assert_str_eq(sc_cap_name(21), "sys_admin");
	cr_assert_str_eq(sc_cap_name(40), "checkpoint_restore");
	cr_assert_null(sc_cap_name(41));
	cr_assert_eq(sc_cap_from_name("CAP_SYS_ADMIN"), 21);
	cr_assert_eq(sc_cap_from_name("net_raw"), 13);
	cr_assert_lt(sc_cap_from_name("CAP_NOPE"), 0);
	/* runc spec's default set: AUDIT_WRITE, KILL, NET_BIND_SERVICE. */
	s = sc_caps_to_string(0x00000000200000a0ULL | (1ULL << 10));
	cr_assert_str_eq(s, "cap_kill,cap_setuid,cap_net_bind_service,cap_audit_write");
}

Test(proc, id_maps)
{
	struct sc_id_range *m = NULL;
	size_t n = 0;
	uint32_t out;

	cr_assert_eq(sc_id_map_parse("         0          0 4294967295\n", &m, &n), 0);
	cr_assert(sc_id_map_is_identity(m, n));
	free(m);
	/* A rootless container: root -> 1000, then 1..65536 -> 100000... */
	cr_assert_eq(sc_id_map_parse("0 1000 1\n1 100000 65536\n", &m, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_not(sc_id_map_is_identity(m, n));
	cr_assert_eq(sc_id_map_to_outside(m, n, 0, &out), 0);
	cr_assert_eq(out, 1000);
	cr_assert_eq(sc_id_map_to_outside(m, n, 1, &out), 0);
	cr_assert_eq(out, 100000);
	cr_assert_eq(sc_id_map_to_outside(m, n, 65536, &out), 0);
	cr_assert_eq(out, 165535);
	cr_assert_eq(sc_id_map_to_outside(m, n, 65537, &out), -ERANGE);
	free(m);
	cr_assert_eq(sc_id_map_parse("0 1000\n", &m, &n), -EBADMSG);
	cr_assert_eq(sc_id_map_parse("0 0 0\n", &m, &n), -EBADMSG);
	cr_assert_eq(sc_id_map_parse("", &m, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(sc_id_map_to_outside(m, n, 0, &out), -ERANGE, "an empty map maps nothing");
}

Test(proc, cgroup_lines)
{
	const char *t = "12:cpu,cpuacct:/docker/abc\n1:name=systemd:/a:b\n0::/user.slice\n";
	struct sc_cgroup_line *v = NULL;
	size_t n = 0;

	cr_assert_eq(sc_cgroup_lines_parse(t, &v, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[1].path, "/a:b", "the path keeps its colons");
	cr_assert_str_eq(sc_cgroup_line_find(v, n, "cpuacct")->path, "/docker/abc");
	cr_assert_str_eq(sc_cgroup_line_find(v, n, "name=systemd")->path, "/a:b");
	cr_assert_str_eq(sc_cgroup_line_find(v, n, NULL)->path, "/user.slice");
	cr_assert_null(sc_cgroup_line_find(v, n, "memory"));
	sc_cgroup_lines_free(v, n);
	cr_assert_eq(sc_cgroup_lines_parse("garbage\n", &v, &n), -EBADMSG);
	cr_assert_eq(sc_cgroup_lines_parse("x::/\n", &v, &n), -EBADMSG);
}

Test(proc, stat)
{
	struct sc_proc_stat st;
	const char *s =
		"2652 (sleep (evil) x) S 2640 2652 2652 0 -1 4194560 97 0 0 0 0 0 0 0 20 0 1 0 "
		"115303 2351104 128 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

	cr_assert_eq(sc_proc_stat_parse(s, &st), 0);
	cr_assert_eq(st.state, 'S');
	cr_assert_eq(st.ppid, 2640);
	cr_assert_eq(st.start_time, 115303);
	cr_assert_eq(sc_proc_stat_parse("1 (x) S", &st), -EBADMSG);
}

Test(inside, cgroup_dir_in_mount)
{
	const struct {
		const char *mp, *root, *cg, *want;
	} t[] = {
		/* cgroupns: the mount root and the path are both "/". */
		{ "/sys/fs/cgroup", "/", "/", "/sys/fs/cgroup" },
		/* runc without cgroupns binds the container's own subtree. */
		{ "/sys/fs/cgroup/memory", "/ctr", "/ctr", "/sys/fs/cgroup/memory" },
		{ "/sys/fs/cgroup/memory", "/ctr", "/ctr/init.scope",
		  "/sys/fs/cgroup/memory/init.scope" },
		/* the host's whole tree bound in */
		{ "/sys/fs/cgroup/unified", "/", "/ctr", "/sys/fs/cgroup/unified/ctr" },
		/* a sibling, a prefix that is not a path component, /.. roots */
		{ "/sys/fs/cgroup", "/ctr", "/other", NULL },
		{ "/sys/fs/cgroup", "/ctr", "/ctr2", NULL },
		{ "/sys/fs/cgroup", "/..", "/", NULL },
		{ "/sys/fs/cgroup", "/../..", "/x", NULL },
		{ "/sys/fs/cgroup", "/", "relative", NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		_cleanup_free_ char *d = sc_cgroup_dir_in_mount(t[i].mp, t[i].root, t[i].cg);
		if (t[i].want)
			cr_expect_str_eq(d, t[i].want, "case %zu", i);
		else
			cr_expect_null(d, "case %zu: %s", i, d);
	}
}

Test(systemd, version_parse_and_compare)
{
	struct sc_systemd_version v;

	cr_assert_eq(sc_systemd_version_parse("251.2-1.fc37", &v), 0);
	cr_assert_eq(v.major, 251);
	cr_assert_eq(v.minor, 2);
	cr_assert_eq(sc_systemd_version_parse("252", &v), 0);
	cr_assert_eq(v.minor, -1);
	cr_assert_eq(sc_systemd_version_parse("v256.7", &v), 0);
	cr_assert_eq(v.major, 256);
	cr_assert_eq(v.minor, 7);
	cr_assert_eq(sc_systemd_version_parse("256~rc3-1", &v), 0);
	cr_assert_eq(v.minor, -1);
	cr_assert_lt(sc_systemd_version_parse("systemd", &v), 0);

	cr_assert_eq(sc_systemd_version_parse("256.7", &v), 0);
	cr_assert_lt(sc_systemd_version_cmp(&v, 256, 8), 0);
	cr_assert_eq(sc_systemd_version_cmp(&v, 256, 7), 0);
	cr_assert_eq(sc_systemd_version_cmp(&v, 256, -1), 0);
	cr_assert_gt(sc_systemd_version_cmp(&v, 255, 99), 0);
	cr_assert_eq(sc_systemd_version_parse("256", &v), 0);
	cr_assert_eq(sc_systemd_version_cmp(&v, 256, 0), 0, "no minor compares as .0");
}

Test(systemd, finders)
{
	_cleanup_free_ char *a = sc_systemd_version_from_banner(
		"systemd 252.39-1~deb12u2 running in %ssystem mode (%s)");
	_cleanup_free_ char *b = sc_systemd_version_from_banner(
		"systemd 219 running in %ssystem mode. (+PAM +AUDIT)");
	_cleanup_free_ char *c = sc_systemd_version_from_banner("Cannot determine cgroup we are "
								"running in: %m");
	_cleanup_free_ char *d =
		sc_systemd_version_from_library("libsystemd-shared-251.2-1.fc37.so");
	_cleanup_free_ char *e = sc_systemd_version_from_library("libsystemd-shared-252.so");
	_cleanup_free_ char *f = sc_systemd_version_from_library("libsystemd-core-252.so");
	const char *status = "Package: systemd-sysv\nStatus: install ok installed\nVersion: 1\n\n"
			     "Package: systemd\nStatus: install ok installed\nPriority: important\n"
			     "Version: 257.9-1~deb13u1\n\nPackage: zlib1g\nVersion: 2\n";
	_cleanup_free_ char *g = sc_systemd_version_from_dpkg(status);
	_cleanup_free_ char *h = sc_systemd_version_from_dpkg(
		"Package: systemd\nStatus: deinstall ok config-files\nVersion: 241-7\n");

	cr_assert_str_eq(a, "252.39-1~deb12u2");
	cr_assert_str_eq(b, "219");
	cr_assert_null(c);
	cr_assert_str_eq(d, "251.2-1.fc37");
	cr_assert_str_eq(e, "252");
	cr_assert_null(f);
	cr_assert_str_eq(g, "257.9-1~deb13u1");
	cr_assert_null(h, "a removed package does not count");
}
