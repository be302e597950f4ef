/* SPDX-License-Identifier: MIT */
/* Runtime state parsers on real-shaped documents (the shapes are those
 * the runtimes write: runc libcontainer/container_linux.go State, crun
 * src/libcrun/status.c, moby container/container.go, containers/storage
 * containers.json, systemd-machined's machine files), and target
 * resolution. */
#include <criterion/criterion.h>

#include <jansson.h>

#include "root.h"
#include "container.h"
#include "runtime.h"
#include "testlib.h"
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

/* Skimmed, not parsed whole: what a skim could get wrong. */
Test(runtime, docker_config_skim)
{
	struct sc_container_ref c;

	/* Escapes in the name, and a State nested deeper than the skim's
	 * top level: values, not bytes. */
	cr_assert_eq(sc_parse_docker_config("{\"ID\":\"a\\u0062c\",\"Name\":\"\\/we\\u0062\","
					    "\"Config\":{\"State\":{\"Pid\":9}},"
					    "\"State\":{\"Running\":true,\"Pid\":77}}",
					    &c),
		     0);
	cr_assert_str_eq(c.id, "abc");
	cr_assert_str_eq(c.name, "web");
	cr_assert_eq(c.pid, 77);
	sc_container_ref_done(&c);
	/* No name, a PID out of range, Running not a boolean true. */
	cr_assert_eq(sc_parse_docker_config("{\"ID\":\"x\",\"State\":{\"Running\":true,"
					    "\"Pid\":99999999}}",
					    &c),
		     0);
	cr_assert_null(c.name);
	cr_assert_eq(c.pid, 0);
	sc_container_ref_done(&c);
	cr_assert_eq(
		sc_parse_docker_config("{\"ID\":\"x\",\"State\":{\"Running\":1,\"Pid\":5}}", &c),
		0);
	cr_assert_eq(c.pid, 0);
	sc_container_ref_done(&c);
	/* Rejected: a second ID, an empty or missing one, bad syntax deep
	 * inside, not an object. */
	cr_assert_eq(sc_parse_docker_config("{\"ID\":\"a\",\"ID\":\"b\"}", &c), -EBADMSG);
	cr_assert_eq(sc_parse_docker_config("{\"ID\":\"\",\"Name\":\"/x\"}", &c), -EBADMSG);
	cr_assert_eq(sc_parse_docker_config("{\"Name\":\"/x\"}", &c), -EBADMSG);
	cr_assert_eq(sc_parse_docker_config("{\"ID\":\"a\",\"Config\":{\"x\":[1,}}", &c), -EBADMSG);
	cr_assert_eq(sc_parse_docker_config("[\"ID\"]", &c), -EBADMSG);
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

/* containerd's shim v2 writes init.pid as a bare number (no newline in
 * 1.6; tolerated either way). */
Test(runtime, containerd_task)
{
	struct sc_container_ref c;

	cr_assert_eq(sc_parse_containerd_task("web", "15045", &c), 0);
	cr_expect_eq(c.runtime, SC_RT_CONTAINERD);
	cr_expect_str_eq(c.id, "web");
	cr_expect_eq(c.pid, 15045);
	sc_container_ref_done(&c);
	cr_assert_eq(sc_parse_containerd_task("web", "15045\n", &c), 0);
	sc_container_ref_done(&c);
	cr_expect_eq(sc_parse_containerd_task("web", "", &c), -EBADMSG);
	cr_expect_eq(sc_parse_containerd_task("web", "0", &c), -EBADMSG);
	cr_expect_eq(sc_parse_containerd_task("web", "-1", &c), -EBADMSG);
	cr_expect_eq(sc_parse_containerd_task("web", "99999999", &c), -EBADMSG);
	cr_expect_eq(sc_parse_containerd_task("", "1", &c), -EBADMSG);
}

static void proc_stat(const char *root, int pid, unsigned start)
{
	_cleanup_free_ char *rel = sc_xasprintf("proc/%d/stat", pid);
	_cleanup_free_ char *text = sc_xasprintf(
		"%d (sleep) S 1 %d %d 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 %u 1000 100 0\n", pid,
		pid, pid, start);

	write_file(root, rel, text);
}

static const struct sc_container_ref *find_ref(const struct sc_container_ref *v, size_t n,
					       enum sc_runtime rt, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].runtime == rt && streq(v[i].id, id))
			return &v[i];
	return NULL;
}

/* The runtime table drives the scan: containerd's tasks in two
 * namespaces, one of them Docker's ("moby"), one with a dead PID. */
Test(runtime, containerd_scan_and_resolution)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_root_ struct sc_root *root = NULL;
	struct sc_container_ref *v = NULL, r;
	const struct sc_container_ref *c;
	struct sc_state_roots roots;
	struct sc_target_spec t;
	size_t n = 0;

	write_file(dir, "run/containerd/io.containerd.runtime.v2.task/default/web/init.pid",
		   "4242");
	write_file(dir, "run/containerd/io.containerd.runtime.v2.task/default/web/config.json",
		   "{}");
	write_file(dir, "run/containerd/runc/default/web/state.json",
		   "{\"id\":\"web\",\"init_process_pid\":4242,\"init_process_start\":777}");
	proc_stat(dir, 4242, 777);
	/* Reused PID: runc's state says another start time. */
	write_file(dir, "run/containerd/io.containerd.runtime.v2.task/default/reused/init.pid",
		   "4343");
	write_file(dir, "run/containerd/runc/default/reused/state.json",
		   "{\"id\":\"reused\",\"init_process_pid\":4343,\"init_process_start\":1}");
	proc_stat(dir, 4343, 999);
	/* Gone: no such process. */
	write_file(dir, "run/containerd/io.containerd.runtime.v2.task/default/gone/init.pid",
		   "6161");
	/* Docker's container, seen by containerd too. */
	write_file(dir, "run/containerd/io.containerd.runtime.v2.task/moby/abcdef0123/init.pid",
		   "5151");
	write_file(dir, "var/lib/docker/containers/abcdef0123/config.v2.json",
		   "{\"ID\":\"abcdef0123\",\"Name\":\"/"
		   "db\",\"State\":{\"Running\":true,\"Pid\":5151}}");
	proc_stat(dir, 5151, 555);

	cr_assert_eq(sc_root_open(dir, 0, &root), 0);
	sc_state_roots_default(&roots);
	cr_assert_eq(sc_runtime_scan(root, &roots, &v, &n), 0);
	cr_assert_eq(n, 5, "%zu refs", n);
	c = find_ref(v, n, SC_RT_CONTAINERD, "web");
	cr_assert_not_null(c);
	cr_expect_eq(c->pid, 4242);
	cr_expect_eq(c->start_time, 777);
	cr_expect_str_eq(c->bundle, "/run/containerd/io.containerd.runtime.v2.task/default/web");
	cr_expect_eq(find_ref(v, n, SC_RT_CONTAINERD, "reused")->pid, 0);
	cr_expect_eq(find_ref(v, n, SC_RT_CONTAINERD, "gone")->pid, 0);
	cr_expect_eq(find_ref(v, n, SC_RT_CONTAINERD, "abcdef0123")->pid, 5151);
	cr_expect_eq(find_ref(v, n, SC_RT_DOCKER, "abcdef0123")->pid, 5151);

	/* By its alias, and bare. */
	cr_assert_eq(sc_target_spec_parse("ctr:web", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, v, n, &r, NULL), 0);
	cr_expect_eq(r.runtime, SC_RT_CONTAINERD);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("web", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, v, n, &r, NULL), 0);
	cr_expect_eq(r.pid, 4242);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	/* Docker's container counts once, as docker; containerd: names it. */
	cr_assert_eq(sc_target_spec_parse("abcdef", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, v, n, &r, NULL), 0);
	cr_expect_eq(r.runtime, SC_RT_DOCKER);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("containerd:abcdef", &t), 0);
	cr_assert_eq(sc_target_resolve(&t, v, n, &r, NULL), 0);
	cr_expect_eq(r.runtime, SC_RT_CONTAINERD);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	cr_assert_eq(sc_target_spec_parse("reused", &t), 0);
	cr_expect_eq(sc_target_resolve(&t, v, n, &r, NULL), -ESRCH);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);

	sc_container_refs_free(v, n);
	rm_rf(dir);
}

/* The help is generated from the runtime table; the schema's enum and the
 * man page's TARGETS are written by hand and must say the same. */
Test(runtime, table_is_the_one_list)
{
	_cleanup_free_ char *man = read_whole_file(SC_SRCDIR "/man/sysctr-check.1", NULL);
	_cleanup_free_ char *schema =
		read_whole_file(SC_SRCDIR "/man/sysctr-check.schema.json", NULL);
	json_t *doc = json_loads(schema, 0, NULL), *e;
	json_t *en = json_object_get(
		json_object_get(
			json_object_get(json_object_get(json_object_get(doc, "$defs"), "target"),
					"properties"),
			"runtime"),
		"enum");
	size_t i;

	cr_assert(json_is_array(en), "no $defs.target.properties.runtime.enum");
	for (size_t rt = SC_RT_NONE + 1; rt < _SC_RT_MAX; rt++) {
		_cleanup_free_ char *entry = sc_xasprintf("\n.BI %s: ", sc_runtimes[rt].name);
		cr_expect(strstr(man, entry), "runtime %s has no entry in TARGETS of the man page",
			  sc_runtimes[rt].name);
	}
	cr_expect_eq(json_array_size(en), _SC_RT_MAX);
	json_array_foreach(en, i, e)
	{
		int k = sc_runtime_from_string(json_string_value(e));
		cr_expect_geq(k, 0, "schema runtime %s is not in the table", json_string_value(e));
		cr_expect_str_eq(sc_runtime_to_string(k), json_string_value(e));
	}
	json_decref(doc);
}

struct read_count {
	unsigned reads;
};

static int count_reads(void *data, const char *op, const char *path)
{
	struct read_count *c = data;

	if (streq(op, "read"))
		c->reads++;
	return 0;
}

static char *resolve_str(const struct sc_container_ref *v, size_t n, const char *target)
{
	_cleanup_strv_free_ char **m = NULL;
	struct sc_container_ref r = {};
	struct sc_target_spec t;
	char *out;
	int k;

	cr_assert_eq(sc_target_spec_parse(target, &t), 0, "%s", target);
	k = sc_target_resolve(&t, v, n, &r, &m);
	if (k == -ENOTUNIQ) {
		_cleanup_free_ char *l = sc_strv_join(m, ",");
		out = sc_xasprintf("ambiguous %s", l);
	} else if (k < 0)
		out = sc_xasprintf("%s", sc_strerror(k));
	else if (r.rootless)
		out = sc_xasprintf("%s:%s pid %d uid %u", sc_runtime_to_string(r.runtime), r.id,
				   (int)r.pid, (unsigned)r.uid);
	else
		out = sc_xasprintf("%s:%s pid %d", sc_runtime_to_string(r.runtime), r.id,
				   (int)r.pid);
	sc_container_ref_done(&r);
	sc_target_spec_done(&t);
	return out;
}

/* issue 14: resolving a named TARGET reads the named container's state,
 * not every container's, and resolves exactly as the full scan does. */
Test(runtime, direct_lookup_reads_one_state)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_root_ struct sc_root *root = NULL;
	static const char *const targets[] = {
		"runc:web7", "web7",	     "web",	    "runc:web1",     "web12",
		"db",	     "docker:db",    "abcdef",	    "docker:abcdef", "abc",
		"runc:nope", "nope",	     "ctr:task1",   "task1",	     "podid1",
		"cache",     "podman:cache", "crun:podid1", "lxc:box",	     "box",
		"10",
	};
	struct sc_state_roots roots;

	for (int i = 0; i < 50; i++) {
		_cleanup_free_ char *rel = sc_xasprintf("run/runc/web%d/state.json", i);
		_cleanup_free_ char *st = sc_xasprintf(
			"{\"id\":\"web%d\",\"init_process_pid\":%d,\"init_process_start\":7}", i,
			1000 + i);
		write_file(dir, rel, st);
		proc_stat(dir, 1000 + i, 7);
	}
	write_file(dir, "var/lib/docker/containers/abcdef0123/config.v2.json",
		   "{\"ID\":\"abcdef0123\",\"Name\":\"/"
		   "db\",\"State\":{\"Running\":true,\"Pid\":5151}}");
	write_file(
		dir, "var/lib/docker/containers/abc999/config.v2.json",
		"{\"ID\":\"abc999\",\"Name\":\"/web7\",\"State\":{\"Running\":true,\"Pid\":5252}}");
	proc_stat(dir, 5151, 1);
	proc_stat(dir, 5252, 1);
	write_file(dir, "run/containerd/io.containerd.runtime.v2.task/default/task1/init.pid",
		   "6161");
	proc_stat(dir, 6161, 1);
	write_file(dir, "run/crun/podid1/status", "{\"pid\":7171,\"process-start-time\":1}");
	proc_stat(dir, 7171, 1);
	write_file(dir, "var/lib/containers/storage/overlay-containers/containers.json",
		   "[{\"id\":\"podid1\",\"names\":[\"cache\"]}]");
	write_file(dir, "var/lib/lxc/box/config", "lxc.uts.name = box\n");

	cr_assert_eq(sc_root_open(dir, 0, &root), 0);
	sc_state_roots_default(&roots);
	for (size_t i = 0; i < ELEMENTSOF(targets); i++) {
		struct sc_container_ref *all = NULL, *some = NULL;
		size_t n_all = 0, n_some = 0;
		struct read_count c = {};
		struct sc_target_spec t;
		_cleanup_free_ char *a = NULL, *b = NULL;

		cr_assert_eq(sc_runtime_scan(root, &roots, &all, &n_all), 0);
		cr_assert_eq(sc_target_spec_parse(targets[i], &t), 0);
		sc_root_set_hook(root, count_reads, &c);
		cr_assert_eq(sc_runtime_candidates(root, &roots, &t, NULL, &some, &n_some), 0);
		sc_root_set_hook(root, NULL, NULL);
		a = resolve_str(all, n_all, targets[i]);
		b = resolve_str(some, n_some, targets[i]);
		cr_expect_str_eq(b, a, "%s: candidates resolve to \"%s\", the scan to \"%s\"",
				 targets[i], b, a);
		/* A PID needs every state (runtime knowledge for it), and so
		 * does a prefix that is one ("web": all 50, ambiguous). A name
		 * reads its match's state and /proc/PID/stat, the 2 Docker
		 * configs (names), containers.json and its OCI state. */
		if (t.pid == 0 && !streq(targets[i], "web"))
			cr_expect_leq(c.reads, 8, "%s: %u reads", targets[i], c.reads);
		/* An exact Docker ID: its config alone, no scan for names. */
		if (streq(targets[i], "docker:abcdef0123"))
			cr_expect_eq(c.reads, 1, "%s: %u reads", targets[i], c.reads);
		sc_target_spec_done(&t);
		sc_container_refs_free(all, n_all);
		sc_container_refs_free(some, n_some);
	}
	rm_rf(dir);
}

struct path_count {
	struct sc_strv_builder seen;
	char *twice;
};

static int note_read(void *data, const char *op, const char *path)
{
	struct path_count *c = data;
	char **v = c->seen.v;

	if (!streq(op, "read"))
		return 0;
	if (v && sc_strv_contains(v, path) && !c->twice)
		c->twice = sc_xstrdup(path);
	sc_strv_builder_push(&c->seen, path);
	return 0;
}

/* issue 14: `list` reads each container's state once and each init's
 * /proc files once (it read every init's stat twice: once to check the
 * recorded PID, once in the /proc scan). */
Test(runtime, list_reads_each_file_once)
{
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_root_ struct sc_root *root = NULL;
	struct path_count c = {};
	struct sc_state_roots roots;
	struct sc_listed *v = NULL;
	size_t n = 0, running = 0;

	make_symlink(dir, "proc/self/ns/pid", "pid:[4026531836]");
	for (int i = 0; i < 20; i++) {
		int pid = 2000 + i;
		_cleanup_free_ char *rel = sc_xasprintf("run/runc/c%d/state.json", i);
		_cleanup_free_ char *st = sc_xasprintf(
			"{\"id\":\"c%d\",\"init_process_pid\":%d,\"init_process_start\":%u}", i,
			pid,
			/* c19's PID was reused by another process since. */
			i == 19 ? 1u : 9u);
		_cleanup_free_ char *ns = sc_xasprintf("proc/%d/ns/pid", pid);
		_cleanup_free_ char *nsv = sc_xasprintf("pid:[%ld]", 4026532000L + i);
		_cleanup_free_ char *status = sc_xasprintf("proc/%d/status", pid);
		_cleanup_free_ char *statusv =
			sc_xasprintf("Name:\tsleep\nState:\tS (sleeping)\nNSpid:\t%d\t1\n", pid);

		write_file(dir, rel, st);
		proc_stat(dir, pid, 9);
		make_symlink(dir, ns, nsv);
		write_file(dir, status, statusv);
	}
	cr_assert_eq(sc_root_open(dir, 0, &root), 0);
	sc_state_roots_default(&roots);
	sc_root_set_hook(root, note_read, &c);
	cr_assert_eq(sc_container_list(root, &roots, &v, &n), 0);
	sc_root_set_hook(root, NULL, NULL);
	cr_expect_null(c.twice, "read twice: %s", c.twice);
	for (size_t i = 0; i < n; i++) {
		running += v[i].running && v[i].ref.runtime == SC_RT_RUNC;
		if (streq(v[i].ref.id, "c19"))
			cr_expect_eq(v[i].ref.runtime, SC_RT_RUNC);
	}
	/* 19 runc inits; c19's PID is another namespace's init now (its
	 * start time differs): listed by PID, and c19 as not running. */
	cr_expect_eq(running, 19, "%zu running runc containers", running);
	cr_expect_eq(n, 21, "%zu rows", n);
	free(c.twice);
	sc_strv_free(sc_strv_builder_take(&c.seen));
	sc_listed_free(v, n);
	rm_rf(dir);
}

/* tests/vm F1: `container lxc:NAME` said "not running" on every VM host
 * while `list` showed the container: LXC keeps no PID on disk, and only
 * the /proc scan (by cgroup lxc.payload.NAME) finds its init. */
Test(runtime, lxc_target_resolves_through_its_cgroup)
{
	_cleanup_free_ char *dir = make_tempdir();
	struct run_result r;
	json_t *doc;

	make_symlink(dir, "proc/self/ns/pid", "pid:[4026531836]");
	make_symlink(dir, "proc/932/ns/pid", "pid:[4026532932]");
	make_symlink(dir, "proc/932/ns/mnt", "mnt:[4026532933]");
	write_file(dir, "proc/932/status", "Name:\tinit\nState:\tS (sleeping)\nNSpid:\t932\t1\n");
	proc_stat(dir, 932, 77);
	write_file(dir, "proc/932/cgroup", "0::/lxc.payload.box\n");
	write_file(dir, "proc/self/mountinfo", "1 1 0:1 / / rw - ext4 /dev/x rw\n");
	write_file(dir, "var/lib/lxc/box/config", "lxc.uts.name = box\n");
	run_tool(&r,
		 (const char *const[]){ "--json", "--root", dir, "container", "lxc:box", NULL });
	cr_expect_null(strstr(r.err, "not running"), "%s", r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc, "exit %d: %s", r.status, r.err);
	cr_expect_eq(json_integer_value(json_object_get(
			     json_object_get(json_object_get(doc, "container"), "target"), "pid")),
		     932);
	json_decref(doc);
	run_result_done(&r);
	rm_rf(dir);
}

/* The same on a v1-only host once something mounted cgroup2 (VM lab,
 * bookworm-legacy): every process shows "0::/", and the payload cgroup
 * is in the v1 lines only; `list` names the name=systemd one. */
Test(runtime, lxc_target_on_a_v1_host)
{
	_cleanup_free_ char *dir = make_tempdir();
	struct sc_state_roots roots = {};
	_cleanup_root_ struct sc_root *root = NULL;
	struct sc_listed *v = NULL;
	size_t n = 0;
	struct run_result r;
	bool found = false;

	make_symlink(dir, "proc/self/ns/pid", "pid:[4026531836]");
	make_symlink(dir, "proc/933/ns/pid", "pid:[4026532934]");
	make_symlink(dir, "proc/933/ns/mnt", "mnt:[4026532935]");
	write_file(dir, "proc/933/status", "Name:\tsleep\nState:\tS (sleeping)\nNSpid:\t933\t1\n");
	proc_stat(dir, 933, 78);
	write_file(dir, "proc/933/cgroup",
		   "3:memory:/lxc.payload.box\n1:name=systemd:/lxc.payload.box\n0::/\n");
	write_file(dir, "proc/self/mountinfo", "1 1 0:1 / / rw - ext4 /dev/x rw\n");
	write_file(dir, "var/lib/lxc/box/config", "lxc.uts.name = box\n");
	run_tool(&r,
		 (const char *const[]){ "--json", "--root", dir, "container", "lxc:box", NULL });
	cr_expect_null(strstr(r.err, "not running"), "%s", r.err);
	run_result_done(&r);
	cr_assert_eq(sc_root_open(dir, 0, &root), 0);
	sc_state_roots_default(&roots);
	cr_assert_eq(sc_container_list(root, &roots, &v, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (v[i].pid == 933) {
			found = true;
			cr_expect_eq(v[i].ref.runtime, SC_RT_LXC);
			cr_expect_str_eq(v[i].cgroup, "/lxc.payload.box");
		}
	cr_expect(found);
	sc_listed_free(v, n);
	rm_rf(dir);
}

/* Rootless Podman (issue 9): a user's containers are in the user's own
 * state roots, crun's under /run/user/UID/crun and c/storage's under the
 * home that /etc/passwd gives; every user with a runtime directory is
 * read, root's (/run/user/0) is not (root's containers are the rootful
 * ones). The shapes are those rootless podman 5.4 / crun 1.21 left in the
 * trixie VM of tests/vm (containers.sh); lab's c/storage uses the vfs
 * driver, as rootless Podman 4.3 on the bookworm VM did. */
static void rootless_tree(const char *dir)
{
	write_file(dir, "etc/passwd",
		   "root:x:0:0:root:/root:/bin/bash\n"
		   "broken:x:1002\n"
		   "rel:x:1003:1003::home/rel:/bin/sh\n"
		   "lab:x:1000:1000::/home/lab:/bin/sh\n");
	/* rootful Podman: "web" (crun) */
	write_file(dir, "run/crun/aaaa1111/status", "{\"pid\":7101,\"process-start-time\":5}");
	write_file(dir, "var/lib/containers/storage/overlay-containers/containers.json",
		   "[{\"id\":\"aaaa1111\",\"names\":[\"web\"]}]");
	proc_stat(dir, 7101, 5);
	/* lab's Podman: "web" too, and "solo" (crun) */
	write_file(dir, "run/user/1000/crun/bbbb2222/status",
		   "{\"pid\":7202,\"process-start-time\":6}");
	write_file(dir, "run/user/1000/crun/cccc3333/status",
		   "{\"pid\":7303,\"process-start-time\":7}");
	write_file(dir, "home/lab/.local/share/containers/storage/vfs-containers/containers.json",
		   "[{\"id\":\"bbbb2222\",\"names\":[\"web\"]},{\"id\":\"cccc3333\",\"names\":["
		   "\"solo\"]}]");
	proc_stat(dir, 7202, 6);
	proc_stat(dir, 7303, 7);
	/* 1001: not in passwd: its runc state, no home for c/storage */
	write_file(dir, "run/user/1001/runc/dddd4444/state.json",
		   "{\"id\":\"dddd4444\",\"init_process_pid\":7404,\"init_process_start\":8}");
	proc_stat(dir, 7404, 8);
	/* 1003: a relative home is no home */
	write_file(dir,
		   "home/rel/.local/share/containers/storage/overlay-containers/containers.json",
		   "[{\"id\":\"eeee5555\",\"names\":[\"rel\"]}]");
	write_file(dir, "run/user/1003/.keep", "");
	/* root's runtime directory and names that are no UID: not read */
	write_file(dir, "run/user/0/crun/ffff6666/status",
		   "{\"pid\":7606,\"process-start-time\":9}");
	write_file(dir, "run/user/lab/crun/ffff7777/status",
		   "{\"pid\":7606,\"process-start-time\":9}");
	proc_stat(dir, 7606, 9);
}

Test(runtime, rootless_users_state_roots)
{
	static const char *const cases[][2] = {
		{ "podman:solo", "podman:cccc3333 pid 7303 uid 1000" },
		{ "solo", "podman:cccc3333 pid 7303 uid 1000" },
		{ "cccc", "podman:cccc3333 pid 7303 uid 1000" },
		{ "crun:cccc3333", "crun:cccc3333 pid 7303 uid 1000" },
		{ "podman:web", "ambiguous podman:aaaa1111 (web),podman:bbbb2222 (web, uid 1000)" },
		{ "podman:bbbb2222", "podman:bbbb2222 pid 7202 uid 1000" },
		{ "podman:aaaa", "podman:aaaa1111 pid 7101" },
		{ "runc:dddd4444", "runc:dddd4444 pid 7404 uid 1001" },
		{ "podman:rel", "No such file or directory" },
		{ "ffff6666", "No such file or directory" },
		{ "ffff7777", "No such file or directory" },
		{ "7303", "podman:cccc3333 pid 7303 uid 1000" },
		/* A PID is the engine's, not its OCI runtime's: was crun's. */
		{ "7101", "podman:aaaa1111 pid 7101" },
	};
	_cleanup_free_ char *dir = make_tempdir();
	_cleanup_root_ struct sc_root *root = NULL;
	struct sc_container_ref *v = NULL;
	struct sc_state_roots roots;
	size_t n = 0, users = 0;

	rootless_tree(dir);
	cr_assert_eq(sc_root_open(dir, 0, &root), 0);
	sc_state_roots_default(&roots);
	cr_assert_eq(sc_runtime_scan(root, &roots, &v, &n), 0);
	/* crun + podman rootful, crun x2 + podman x2 of 1000, runc of 1001 */
	cr_expect_eq(n, 7, "%zu refs", n);
	for (size_t i = 0; i < n; i++) {
		users += v[i].rootless;
		if (v[i].rootless && v[i].runtime == SC_RT_PODMAN)
			cr_expect_str_eq(v[i].state_file,
					 "/home/lab/.local/share/containers/storage/"
					 "vfs-containers/containers.json");
	}
	cr_expect_eq(users, 5);
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sc_container_ref *some = NULL;
		size_t n_some = 0;
		struct sc_target_spec t;
		_cleanup_free_ char *a = resolve_str(v, n, cases[i][0]), *b = NULL;

		cr_expect_str_eq(a, cases[i][1], "%s: \"%s\"", cases[i][0], a);
		/* The direct look-up answers what the scan does. */
		cr_assert_eq(sc_target_spec_parse(cases[i][0], &t), 0);
		cr_assert_eq(sc_runtime_candidates(root, &roots, &t, NULL, &some, &n_some), 0);
		b = resolve_str(some, n_some, cases[i][0]);
		cr_expect_str_eq(b, a, "%s: candidates \"%s\", scan \"%s\"", cases[i][0], b, a);
		sc_target_spec_done(&t);
		sc_container_refs_free(some, n_some);
	}
	sc_container_refs_free(v, n);

	/* --state-root podman=DIR: that root only, no user's c/storage (the
	 * users' crun state stays). */
	cr_assert_eq(sc_state_roots_set(&roots, "podman=/var/lib/containers/storage"), 0);
	cr_assert_eq(sc_runtime_scan(root, &roots, &v, &n), 0);
	cr_expect_eq(n, 5, "%zu refs", n);
	{
		_cleanup_free_ char *a = resolve_str(v, n, "podman:solo");
		cr_expect_str_eq(a, "No such file or directory");
	}
	sc_container_refs_free(v, n);
	rm_rf(dir);
}
