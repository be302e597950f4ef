/* SPDX-License-Identifier: MIT */
/* Runtime state parsers on real-shaped documents (the shapes are those
 * the runtimes write: runc libcontainer/container_linux.go State, crun
 * src/libcrun/status.c, moby container/container.go, containers/storage
 * containers.json, systemd-machined's machine files), and target
 * resolution. */
#include <criterion/criterion.h>

#include "runtime.h"
#include "util.h"

/* Trimmed from /run/runc/ID/state.json written by runc 1.1.5 here. */
static const char *runc_state =
	"{\"id\":\"sc-probe-test\",\"init_process_pid\":2652,\"init_process_start\":115303,"
	"\"created\":\"2026-11-29T17:21:54.831472128Z\",\"config\":{\"no_pivot_root\":false,"
	"\"rootfs\":\"/tmp/bb-bundle/rootfs\",\"labels\":[\"bundle=/tmp/bb-bundle\"]},"
	"\"rootless\":false,\"cgroup_paths\":{\"\":\"/sys/fs/cgroup/unified/sc-probe-test\","
	"\"memory\":\"/sys/fs/cgroup/memory/sc-probe-test\"},\"namespace_paths\":{\"NEWPID\":"
	"\"/proc/2652/ns/pid\"},\"external_descriptors\":[\"/dev/null\",\"/dev/null\","
	"\"/dev/null\"],\"intel_rdt_path\":\"\"}";

Test(runtime, runc_state)
{
	struct sc_container_ref c;

	cr_assert_eq(sc_parse_runc_state(runc_state, &c), 0);
	cr_assert_eq(c.runtime, SC_RT_RUNC);
	cr_assert_str_eq(c.id, "sc-probe-test");
	cr_assert_eq(c.pid, 2652);
	cr_assert_eq(c.start_time, 115303);
	cr_assert_str_eq(c.bundle, "/tmp/bb-bundle");
	sc_container_ref_done(&c);
	cr_assert_eq(sc_parse_runc_state("{\"id\":\"\"}", &c), -EBADMSG);
	cr_assert_eq(sc_parse_runc_state("[1]", &c), -EBADMSG);
	cr_assert_eq(sc_parse_runc_state("{\"id\":\"x\",\"id\":\"y\"}", &c), -EBADMSG);
}

Test(runtime, crun_status)
{
	/* crun's status file (libcrun_write_container_status). */
	const char *s = "{\n    \"pid\" : 139179,\n    \"process-start-time\" : 263473330,\n"
			"    \"cgroup-path\" : \"/busybox1\",\n    \"scope\" : \"\",\n"
			"    \"rootfs\" : \"rootfs\",\n    \"systemd-cgroup\" : false,\n"
			"    \"bundle\" : \"/home/u/my_container\",\n"
			"    \"created\" : \"2021-08-29T14:34:52.000293421Z\",\n"
			"    \"owner\" : \"root\",\n    \"detached\" : true\n}\n";
	struct sc_container_ref c;

	cr_assert_eq(sc_parse_crun_status(s, &c), 0);
	cr_assert_eq(c.pid, 139179);
	cr_assert_eq(c.start_time, 263473330);
	cr_assert_str_eq(c.bundle, "/home/u/my_container");
	sc_container_ref_done(&c);
	cr_assert_eq(sc_parse_crun_status("{\"pid\":\"1\"}", &c), -EBADMSG);
}

Test(runtime, docker_config)
{
	const char *s =
		"{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Paused\":false,"
		"\"Restarting\":false,\"OOMKilled\":false,\"Dead\":false,\"Pid\":4242,"
		"\"ExitCode\":0,\"StartedAt\":\"2024-01-01T00:00:00Z\"},"
		"\"ID\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
		"\"Created\":\"2024-01-01T00:00:00Z\",\"Name\":\"/web\",\"Driver\":\"overlay2\"}";
	const char *stopped =
		"{\"State\":{\"Running\":false,\"Pid\":0},\"ID\":\"abc\",\"Name\":\"/x\"}";
	struct sc_container_ref c;

	cr_assert_eq(sc_parse_docker_config(s, &c), 0);
	cr_assert_eq(c.runtime, SC_RT_DOCKER);
	cr_assert_eq(c.pid, 4242);
	cr_assert_str_eq(c.name, "web");
	sc_container_ref_done(&c);
	cr_assert_eq(sc_parse_docker_config(stopped, &c), 0);
	cr_assert_eq(c.pid, 0);
	sc_container_ref_done(&c);
}

Test(runtime, podman_containers)
{
	const char *s =
		"[{\"id\":\"aaaa1111\",\"names\":[\"db\"],\"image\":\"img\",\"layer\":\"l\","
		"\"metadata\":\"{}\",\"created\":\"2024-01-01T00:00:00Z\"},"
		"{\"id\":\"bbbb2222\",\"names\":[],\"image\":\"img\"},{\"names\":[\"noid\"]}]";
	struct sc_container_ref *v = NULL;
	size_t n = 0;

	cr_assert_eq(sc_parse_podman_containers(s, &v, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].name, "db");
	cr_assert_null(v[1].name);
	sc_container_refs_free(v, n);
	cr_assert_eq(sc_parse_podman_containers("{}", &v, &n), -EBADMSG);
}

Test(runtime, nspawn_machine)
{
	const char *s = "# This is private data. Do not parse.\nNAME=deb\nSCOPE=machine-deb.scope\n"
			"SERVICE=systemd-nspawn\nROOT=/var/lib/machines/deb\nCLASS=container\n"
			"LEADER=777\n";
	struct sc_container_ref c;

	cr_assert_eq(sc_parse_nspawn_machine("deb", s, &c), 0);
	cr_assert_eq(c.pid, 777);
	cr_assert_str_eq(c.bundle, "/var/lib/machines/deb");
	sc_container_ref_done(&c);
	cr_assert_eq(sc_parse_nspawn_machine("vm", "CLASS=vm\nLEADER=5\n", &c), -EBADMSG);
	cr_assert_eq(sc_parse_nspawn_machine("x", "LEADER=0\n", &c), -EBADMSG);
}

Test(runtime, target_specs)
{
	struct sc_target_spec t;

	cr_assert_eq(sc_target_spec_parse("1234", &t), 0);
	cr_assert_eq(t.pid, 1234);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("runc:web", &t), 0);
	cr_assert_eq(t.runtime, SC_RT_RUNC);
	cr_assert_str_eq(t.name, "web");
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("machine:deb", &t), 0);
	cr_assert_eq(t.runtime, SC_RT_NSPAWN);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("web", &t), 0);
	cr_assert(t.any_runtime);
	sc_target_spec_done(&t);
	cr_assert_lt(sc_target_spec_parse("", &t), 0);
	cr_assert_lt(sc_target_spec_parse("0", &t), 0);
	cr_assert_lt(sc_target_spec_parse("rkt:x", &t), 0);
	cr_assert_lt(sc_target_spec_parse("runc:", &t), 0);
	cr_assert_lt(sc_target_spec_parse("runc:../../etc", &t), 0);
	cr_assert_lt(sc_target_spec_parse("a\nb", &t), 0);
}

static struct sc_container_ref mk(enum sc_runtime rt, const char *id, const char *name, pid_t pid)
{
	return (struct sc_container_ref){
		.runtime = rt, .id = (char *)id, .name = (char *)name, .pid = pid
	};
}

Test(runtime, resolve)
{
	struct sc_container_ref refs[] = {
		mk(SC_RT_RUNC, "web", NULL, 100),
		mk(SC_RT_DOCKER, "abcdef0123", "web", 200),
		mk(SC_RT_DOCKER, "abc999", "db", 300),
		mk(SC_RT_CRUN, "podid1", NULL, 400),
		mk(SC_RT_PODMAN, "podid1", "cache", 400),
		mk(SC_RT_RUNC, "stopped", NULL, 0),
	};
	struct sc_container_ref r;
	struct sc_target_spec t;
	char **m = NULL;

	/* Qualified: one runtime only. */
	cr_assert_eq(sc_target_spec_parse("runc:web", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), 0);
	cr_assert_eq(r.pid, 100);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);

	/* Bare "web": a runc ID and a Docker name: ambiguous, both named. */
	cr_assert_eq(sc_target_spec_parse("web", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, &m), -ENOTUNIQ);
	cr_assert_eq(sc_strv_length(m), 2);
	cr_assert_str_eq(m[0], "runc:web");
	cr_assert_str_eq(m[1], "docker:abcdef0123 (web)");
	sc_strv_free(m);
	m = NULL;
	sc_target_spec_done(&t);

	/* ID prefixes: "abcd" is unique, "abc" is not. */
	cr_assert_eq(sc_target_spec_parse("docker:abcd", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), 0);
	cr_assert_eq(r.pid, 200);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("abc", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, &m), -ENOTUNIQ);
	sc_strv_free(m);
	m = NULL;
	sc_target_spec_done(&t);

	/* A Podman container counts once, as podman, for a bare name or ID. */
	cr_assert_eq(sc_target_spec_parse("podid1", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), 0);
	cr_assert_eq(r.runtime, SC_RT_PODMAN);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);

	cr_assert_eq(sc_target_spec_parse("stopped", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), -ESRCH);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);

	cr_assert_eq(sc_target_spec_parse("nope", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), -ENOENT);
	sc_target_spec_done(&t);

	/* A PID: runtime knowledge attached when some state names it. */
	cr_assert_eq(sc_target_spec_parse("300", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), 0);
	cr_assert_str_eq(r.name, "db");
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("999", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, refs, ELEMENTSOF(refs), &r, NULL), 0);
	cr_assert_eq(r.runtime, SC_RT_NONE);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
}

Test(runtime, state_roots)
{
	struct sc_state_roots r;

	sc_state_roots_default(&r);
	cr_assert_str_eq(r.dir[SC_RT_RUNC], "/run/runc");
	cr_assert_eq(sc_state_roots_set(&r, "runc=/run/user/1000/runc"), 0);
	cr_assert_str_eq(r.dir[SC_RT_RUNC], "/run/user/1000/runc");
	cr_assert_lt(sc_state_roots_set(&r, "runc=relative"), 0);
	cr_assert_lt(sc_state_roots_set(&r, "nope=/x"), 0);
	cr_assert_lt(sc_state_roots_set(&r, "runc"), 0);
}
