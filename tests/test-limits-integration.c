/* SPDX-License-Identifier: MIT */
/* Root-only: real runc containers with a memory limit, a cpuset, a CPU
 * quota, a pids limit and an io throttle; the real free, nproc, lscpu,
 * grep and cat run inside them with `runc exec` are the oracle for what
 * `sysctr-check limits` predicts. Then lxcfs, alive, stopped and dead.
 * Every container, mount and lxcfs is torn down, even on failure. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "limits-model.h"
#include "mountinfo.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

#define MAX_CTRS 8

static char *ids[MAX_CTRS];
static size_t n_ids;
static char *workdir;
static pid_t lxcfs_pid = -1;
static char *lxcfs_mnt;
static unsigned seq;

static int sh(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run cmd, return its stdout (allocated) and exit status. */
static char *capture(const char *cmd, int *ret_status)
{
	FILE *p = popen(cmd, "re");
	char *buf = sc_xstrdup(""), tmp[4096];
	size_t len = 0, k;
	int st;

	cr_assert_not_null(p, "popen %s", cmd);
	while ((k = fread(tmp, 1, sizeof(tmp), p)) > 0) {
		buf = sc_xrealloc(buf, len + k + 1);
		memcpy(buf + len, tmp, k);
		len += k;
		buf[len] = 0;
	}
	st = pclose(p);
	if (ret_status)
		*ret_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return buf;
}

/* The host's online CPUs (this test means to read the host). */
static int sc_cpulist_count_host(void)
{
	_cleanup_free_ char *t = read_whole_file("/sys/devices/system/cpu/online", NULL);
	return t ? sc_cpulist_count(t) : -1;
}

static bool have(const char *prog)
{
	_cleanup_free_ char *c = sc_xasprintf("command -v %s >/dev/null 2>&1", prog);
	return sh(c) == 0;
}

static void stop_lxcfs(void)
{
	if (lxcfs_pid > 0) {
		kill(lxcfs_pid, SIGCONT);
		kill(lxcfs_pid, SIGTERM);
		for (int i = 0; i < 40; i++) {
			if (waitpid(lxcfs_pid, NULL, WNOHANG) == lxcfs_pid) {
				lxcfs_pid = -1;
				break;
			}
			usleep(50000);
		}
		if (lxcfs_pid > 0) {
			kill(lxcfs_pid, SIGKILL);
			waitpid(lxcfs_pid, NULL, 0);
		}
		lxcfs_pid = -1;
	}
	if (lxcfs_mnt) {
		_cleanup_free_ char *c =
			sc_xasprintf("umount -l %s >/dev/null 2>&1; true", lxcfs_mnt);
		(void)sh(c);
		free(lxcfs_mnt);
		lxcfs_mnt = NULL;
	}
}

static void delete_ctr(const char *id)
{
	_cleanup_free_ char *c = sc_xasprintf(
		"runc kill %s KILL >/dev/null 2>&1; runc delete -f %s >/dev/null 2>&1; true", id,
		id);
	(void)sh(c);
}

/* Containers a crashed earlier run left behind: their creator is gone. */
static void reap_stale(void)
{
	_cleanup_free_ char *l = capture("runc list -q 2>/dev/null", NULL);
	_cleanup_strv_free_ char **v = sc_strv_split(l, "\n");

	for (char **i = v; *i; i++) {
		int pid;
		if (sscanf(*i, "sc-lim-%d-", &pid) == 1 && pid != getpid() && kill(pid, 0) < 0 &&
		    errno == ESRCH)
			delete_ctr(*i);
	}
}

static void setup(void)
{
	workdir = make_tempdir();
	if (is_root() && have("runc"))
		reap_stale();
}

static void teardown(void)
{
	/* Containers first: they hold bind mounts of lxcfs's files. */
	for (size_t i = 0; i < n_ids; i++) {
		delete_ctr(ids[i]);
		free(ids[i]);
	}
	n_ids = 0;
	stop_lxcfs();
	if (workdir) {
		rm_rf(workdir);
		free(workdir);
		workdir = NULL;
	}
}

TestSuite(limits_integration, .init = setup, .fini = teardown, .timeout = 180);

static void need_runc(void)
{
	if (!is_root())
		cr_skip_test("not root: cannot start runc containers");
	if (!have("runc"))
		cr_skip_test("runc is not installed");
	if (access("/usr/bin/busybox", X_OK) < 0 && access("/bin/busybox", X_OK) < 0)
		cr_skip_test("busybox is not installed");
	if (!have("free") || !have("nproc") || !have("lscpu"))
		cr_skip_test("free, nproc or lscpu missing on the host");
}

/* The root filesystem's device, for an io throttle: 0 when not a block
 * device. */
static void root_devno(unsigned *major, unsigned *minor)
{
	_cleanup_free_ char *mi = read_whole_file("/proc/self/mountinfo", NULL);
	struct sc_mounts m = {};
	const struct sc_mount *r;

	*major = *minor = 0;
	sc_mountinfo_parse(mi ? mi : "", &m);
	r = sc_mounts_at(&m, "/");
	if (r) {
		_cleanup_free_ char *p = sc_xasprintf("/sys/dev/block/%u:%u", r->major, r->minor);
		if (access(p, F_OK) == 0) {
			*major = r->major;
			*minor = r->minor;
		}
	}
	sc_mounts_done(&m);
}

static void add_bind(json_t *mounts, const char *src, const char *dst)
{
	json_array_append_new(mounts, json_pack("{s:s,s:s,s:s,s:[s,s]}", "destination", dst, "type",
						"bind", "source", src, "options", "rbind", "ro"));
}

/* A bundle whose rootfs is the host's /usr (read-only) and nothing else:
 * the real tools, run inside this container of our own. resources is a
 * linux.resources object (taken), lxcfs adds its files' bind mounts. */
static const char *start_container(json_t *resources, bool with_lxcfs)
{
	_cleanup_free_ char *dir = sc_xasprintf("%s/b%u", workdir, seq);
	_cleanup_free_ char *cfgp = sc_xasprintf("%s/config.json", dir);
	_cleanup_free_ char *cmd = NULL, *err = NULL;
	_cleanup_free_ char *id = sc_xasprintf("sc-lim-%d-%u", (int)getpid(), seq++);
	static const char *const top[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
	json_t *cfg, *mounts, *proc;
	json_error_t jerr;
	int st;

	cr_assert_lt(n_ids, MAX_CTRS);
	cmd = sc_xasprintf("mkdir -p %s/rootfs/usr %s/rootfs/proc %s/rootfs/sys %s/rootfs/dev "
			   "%s/rootfs/tmp %s/rootfs/etc && runc spec -b %s",
			   dir, dir, dir, dir, dir, dir, dir);
	cr_assert_eq(sh(cmd), 0, "%s", cmd);
	cfg = json_load_file(cfgp, 0, &jerr);
	cr_assert_not_null(cfg, "%s", jerr.text);
	mounts = json_object_get(cfg, "mounts");
	add_bind(mounts, "/usr", "/usr");
	/* Merged /usr: the top-level directories are symlinks into it;
	 * otherwise bind them too. */
	for (size_t i = 0; i < ELEMENTSOF(top); i++) {
		_cleanup_free_ char *host = sc_xasprintf("/%s", top[i]);
		_cleanup_free_ char *rel = sc_xasprintf("rootfs/%s", top[i]);
		char target[256];
		ssize_t n = readlink(host, target, sizeof(target) - 1);
		struct stat s;

		if (n > 0) {
			target[n] = 0;
			make_symlink(dir, rel, target);
		} else if (stat(host, &s) == 0 && S_ISDIR(s.st_mode)) {
			_cleanup_free_ char *p = sc_xasprintf("%s/%s", dir, rel);
			mkdir(p, 0755);
			add_bind(mounts, host, host);
		}
	}
	if (with_lxcfs) {
		static const char *const files[] = { "proc/meminfo", "proc/cpuinfo", "proc/stat",
						     "proc/uptime",
						     "sys/devices/system/cpu/online" };
		for (size_t i = 0; i < ELEMENTSOF(files); i++) {
			_cleanup_free_ char *src = sc_xasprintf("%s/%s", lxcfs_mnt, files[i]);
			_cleanup_free_ char *dst = sc_xasprintf("/%s", files[i]);
			json_array_append_new(mounts, json_pack("{s:s,s:s,s:s,s:[s]}",
								"destination", dst, "type", "bind",
								"source", src, "options", "bind"));
		}
	}
	proc = json_object_get(cfg, "process");
	/* docs/design.md#the-test-host: no terminal, rlimits at or below the hard limits (the
	 * spec's RLIMIT_NOFILE 1024 is), no CAP_SYS_RESOURCE. */
	json_object_set_new(proc, "terminal", json_false());
	json_object_set_new(proc, "args", json_pack("[s,s,s]", "/bin/busybox", "sleep", "600"));
	json_object_set_new(json_object_get(cfg, "root"), "readonly", json_true());
	json_object_update(json_object_get(json_object_get(cfg, "linux"), "resources"), resources);
	json_decref(resources);
	cr_assert_eq(json_dump_file(cfg, cfgp, JSON_INDENT(1)), 0);
	json_decref(cfg);

	free(cmd);
	cmd = sc_xasprintf("runc run -d -b %s %s </dev/null >/dev/null 2>%s/runc.err", dir, id,
			   dir);
	ids[n_ids++] = sc_xstrdup(id);
	st = sh(cmd);
	free(cmd);
	cmd = sc_xasprintf("%s/runc.err", dir);
	err = read_whole_file(cmd, NULL);
	cr_assert_eq(st, 0, "runc run %s: %s", id, strna(err));
	/* Owned by ids[], freed by the teardown. */
	return ids[n_ids - 1];
}

static char *in_ctr(const char *id, const char *what)
{
	_cleanup_free_ char *c = sc_xasprintf("runc exec %s %s 2>&1", id, what);
	int st;
	char *out = capture(c, &st);

	cr_assert_eq(st, 0, "runc exec %s %s: %s", id, what, out);
	return out;
}

static json_t *limits_json(const char *id, const char *timeout, int *ret_status,
			   double *ret_seconds)
{
	_cleanup_free_ char *target = sc_xasprintf("runc:%s", id);
	struct run_result r;
	struct timespec a, b;
	json_error_t err;
	json_t *doc;

	clock_gettime(CLOCK_MONOTONIC, &a);
	run_tool(&r,
		 (const char *const[]){ "--json", "--timeout", timeout, "limits", target, NULL });
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (ret_seconds)
		*ret_seconds =
			(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, &err);
	cr_assert_not_null(doc, "invalid JSON: %s\n%s", err.text, r.err);
	if (ret_status)
		*ret_status = r.status;
	run_result_done(&r);
	return doc;
}

static json_t *row(json_t *doc, const char *res)
{
	json_t *a = json_object_get(json_object_get(doc, "limits"), "resources"), *v;
	size_t i;

	json_array_foreach(a, i, v) if (streq(json_string_value(json_object_get(v, "resource")),
					      res)) return v;
	cr_assert_fail("no resource %s", res);
	return NULL;
}

static json_t *view(json_t *r, const char *tool)
{
	json_t *v;
	size_t i;

	json_array_foreach(
		json_object_get(r, "views"), i,
		v) if (streq(json_string_value(json_object_get(v, "tool")), tool)) return v;
	cr_assert_fail("no view %s", tool);
	return NULL;
}

static long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_integer(v), "%s is not an integer", key);
	return json_integer_value(v);
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

static const char *verdict(json_t *doc, const char *res)
{
	return jstr(row(doc, res), "verdict");
}

static json_t *effective(json_t *doc, const char *res)
{
	return json_object_get(row(doc, res), "effective");
}

/* `free -b`: the "total" column of a line. */
static long long free_total(const char *out, const char *line)
{
	const char *p = strstr(out, line);
	long long v = -1;

	cr_assert_not_null(p, "no %s in: %s", line, out);
	cr_assert_eq(sscanf(p + strlen(line), "%lld", &v), 1);
	return v;
}

/* lscpu -J (util-linux >= 2.37 nests children): a field's data. */
static const char *lscpu_field(json_t *arr, const char *field)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
	{
		const char *r;
		if (streq_ptr(json_string_value(json_object_get(v, "field")), field))
			return json_string_value(json_object_get(v, "data"));
		if ((r = lscpu_field(json_object_get(v, "children"), field)))
			return r;
	}
	return NULL;
}

struct real {
	long long mem_total, swap_total, nproc, lscpu_cpus, top_rows, cpuinfo;
	char *online;
	long long uptime_cs;
};

static void run_real_tools(const char *id, struct real *r)
{
	_cleanup_free_ char *fr = in_ctr(id, "free -b");
	_cleanup_free_ char *np = in_ctr(id, "nproc");
	_cleanup_free_ char *ls = in_ctr(id, "lscpu -J");
	_cleanup_free_ char *st = in_ctr(id, "grep -c ^cpu[0-9] /proc/stat");
	_cleanup_free_ char *ci = in_ctr(id, "grep -c ^processor /proc/cpuinfo");
	_cleanup_free_ char *up = in_ctr(id, "cat /proc/uptime");
	json_t *lj = json_loads(ls, 0, NULL), *arr;
	double u;

	cr_assert_not_null(lj, "lscpu -J: %s", ls);
	arr = json_object_get(lj, "lscpu");
	r->mem_total = free_total(fr, "Mem:");
	r->swap_total = free_total(fr, "Swap:");
	r->nproc = atoll(np);
	cr_assert_not_null(lscpu_field(arr, "CPU(s):"));
	r->lscpu_cpus = atoll(lscpu_field(arr, "CPU(s):"));
	cr_assert_not_null(lscpu_field(arr, "On-line CPU(s) list:"));
	r->online = sc_xstrdup(lscpu_field(arr, "On-line CPU(s) list:"));
	r->top_rows = atoll(st);
	r->cpuinfo = atoll(ci);
	cr_assert_eq(sscanf(up, "%lf", &u), 1);
	r->uptime_cs = (long long)(u * 100 + 0.5);
	json_decref(lj);
}

/* Predicted (what the tool computed) against real (what the tool printed
 * inside), for every everyday tool; printed as the report's table too. */
static void assert_predictions(const char *label, json_t *doc, const struct real *r)
{
	json_t *mem = row(doc, "memory"), *cpus = row(doc, "cpuset");
	long long up = jint(json_object_get(json_object_get(doc, "limits"), "uptime"), "inside_cs");

	printf("info: limits-integration %-14s free Mem %lld/%lld, Swap %lld/%lld; nproc "
	       "%lld/%lld; "
	       "lscpu CPU(s) %lld/%lld, on-line %s/%s; top rows %lld/%lld; cpuinfo %lld/%lld; "
	       "uptime %.2f/%.2f s (predicted/real)\n",
	       label, jint(view(mem, "free"), "value"), r->mem_total,
	       jint(view(row(doc, "swap"), "free"), "value"), r->swap_total,
	       jint(view(cpus, "nproc"), "value"), r->nproc, jint(view(cpus, "lscpu"), "value"),
	       r->lscpu_cpus, jstr(view(cpus, "lscpu-online"), "text"), r->online,
	       jint(view(cpus, "top"), "value"), r->top_rows, jint(view(cpus, "cpuinfo"), "value"),
	       r->cpuinfo, (double)up / 100, (double)r->uptime_cs / 100);
	cr_expect_eq(jint(view(mem, "free"), "value"), r->mem_total, "%s: free Mem", label);
	cr_expect_eq(jint(view(row(doc, "swap"), "free"), "value"), r->swap_total, "%s: free Swap",
		     label);
	cr_expect_eq(jint(view(cpus, "nproc"), "value"), r->nproc, "%s: nproc", label);
	cr_expect_eq(jint(view(row(doc, "cpu"), "nproc"), "value"), r->nproc, "%s: nproc", label);
	cr_expect_eq(jint(view(cpus, "lscpu"), "value"), r->lscpu_cpus, "%s: lscpu CPU(s)", label);
	cr_expect_str_eq(jstr(view(cpus, "lscpu-online"), "text"), r->online,
			 "%s: lscpu On-line CPU(s) list", label);
	cr_expect_eq(jint(view(cpus, "top"), "value"), r->top_rows, "%s: top", label);
	cr_expect_eq(jint(view(cpus, "cpuinfo"), "value"), r->cpuinfo, "%s: cpuinfo", label);
	/* The real uptime is read a moment after the prediction. */
	cr_expect(r->uptime_cs >= up - 5 && r->uptime_cs - up < 500,
		  "%s: uptime predicted %lld cs, real %lld cs", label, up, r->uptime_cs);
}

static void real_done(struct real *r)
{
	free(r->online);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && streq(s + a - b, suffix);
}

Test(limits_integration, memory_100m)
{
	struct real r = {};
	json_t *doc, *e;
	const char *id;

	need_runc();
	id = start_container(json_pack("{s:{s:I}}", "memory", "limit", (json_int_t)104857600),
			     false);
	doc = limits_json(id, "5", NULL, NULL);
	{
		char *msg = NULL;

		schema_validate(&(struct schema_doc){ "--json limits (memory 100M)", doc }, 1,
				&msg);
		cr_expect_null(msg, "%s", msg);
		free(msg);
	}
	run_real_tools(id, &r);
	assert_predictions("memory 100M", doc, &r);
	e = effective(doc, "memory");
	cr_assert(json_is_true(json_object_get(e, "limited")));
	cr_assert_eq(jint(e, "value"), 104857600);
	cr_assert(ends_with(jstr(e, "set_by"), id), "%s", jstr(e, "set_by"));
	cr_assert_str_eq(verdict(doc, "memory"), "hidden");
	cr_assert(json_is_true(json_object_get(json_object_get(row(doc, "memory"), "inside"),
					       "finds_limit")),
		  "runc mounts the container's own memory cgroup on /sys/fs/cgroup/memory");
	cr_assert_neq(r.mem_total, 104857600, "free shows the host's memory");
	cr_assert_str_eq(jstr(json_object_get(json_object_get(doc, "limits"), "uptime"), "verdict"),
			 "hidden");
	real_done(&r);
	json_decref(doc);
}

Test(limits_integration, cpuset_cpu0)
{
	struct real r = {};
	json_t *doc, *e;
	const char *id;

	need_runc();
	if (sc_cpulist_count_host() < 2)
		cr_skip_test("fewer than 2 CPUs: a cpuset of CPU 0 limits nothing");
	id = start_container(json_pack("{s:{s:s}}", "cpu", "cpus", "0"), false);
	doc = limits_json(id, "5", NULL, NULL);
	run_real_tools(id, &r);
	assert_predictions("cpuset 0", doc, &r);
	e = effective(doc, "cpuset");
	cr_assert_str_eq(jstr(e, "cpus"), "0");
	cr_assert_eq(jint(e, "cpus_count"), 1);
	cr_assert_eq(r.nproc, 1, "nproc follows the affinity");
	cr_assert_str_eq(verdict(doc, "cpuset"), "partial", "nproc sees it, lscpu and top do not");
	real_done(&r);
	json_decref(doc);
}

Test(limits_integration, cpu_quota_half)
{
	struct real r = {};
	json_t *doc, *e;
	const char *id;

	need_runc();
	id = start_container(json_pack("{s:{s:I,s:I}}", "cpu", "quota", (json_int_t)50000, "period",
				       (json_int_t)100000),
			     false);
	doc = limits_json(id, "5", NULL, NULL);
	run_real_tools(id, &r);
	assert_predictions("cpu 50000/100000", doc, &r);
	e = effective(doc, "cpu");
	cr_assert_eq(jint(e, "value"), 50000);
	cr_assert_eq(jint(e, "period_us"), 100000);
	cr_assert_str_eq(verdict(doc, "cpu"), "hidden",
			 "nproc (coreutils < 9.7), lscpu and top show every CPU");
	real_done(&r);
	json_decref(doc);
}

Test(limits_integration, pids_and_io)
{
	unsigned major, minor;
	struct real r = {};
	json_t *doc, *res;
	const char *id;

	need_runc();
	root_devno(&major, &minor);
	res = json_pack("{s:{s:I}}", "pids", "limit", (json_int_t)64);
	if (major)
		json_object_set_new(res, "blockIO",
				    json_pack("{s:[{s:I,s:I,s:I}]}", "throttleReadBpsDevice",
					      "major", (json_int_t)major, "minor",
					      (json_int_t)minor, "rate", (json_int_t)1048576));
	id = start_container(res, false);
	doc = limits_json(id, "5", NULL, NULL);
	run_real_tools(id, &r);
	assert_predictions("pids 64 + io", doc, &r);
	cr_assert_eq(jint(effective(doc, "pids"), "value"), 64);
	cr_assert_str_eq(verdict(doc, "pids"), "visible");
	{
		_cleanup_free_ char *p = in_ctr(id, "cat /sys/fs/cgroup/pids/pids.max");
		cr_assert_str_eq(sc_strstrip(p), "64");
	}
	if (major) {
		json_t *d = json_array_get(json_object_get(effective(doc, "io"), "devices"), 0);
		_cleanup_free_ char *p = sc_xasprintf("/sys/dev/block/%u:%u/uevent", major, minor);
		_cleanup_free_ char *u = read_whole_file(p, NULL);
		_cleanup_free_ char *name = u ? sc_find_field(u, "DEVNAME", '=') : NULL;
		_cleanup_free_ char *want = sc_xasprintf("/dev/%s", strna(name));

		cr_assert_not_null(d);
		cr_assert_eq(jint(d, "major"), major);
		cr_assert_eq(jint(d, "rbps"), 1048576);
		cr_assert(json_is_null(json_object_get(d, "wbps")));
		cr_assert_str_eq(jstr(json_object_get(d, "device"), "devname"), want);
		cr_assert_str_eq(verdict(doc, "io"), "visible");
		/* The container's root is a directory on that device. */
		cr_assert_eq(jint(json_object_get(json_object_get(json_object_get(doc, "limits"),
								  "root_filesystem"),
						  "device"),
				  "major"),
			     major);
	}
	real_done(&r);
	json_decref(doc);
}

static void start_lxcfs(void)
{
	_cleanup_free_ char *log = sc_xasprintf("%s/lxcfs.log", workdir);
	_cleanup_free_ char *pidf = sc_xasprintf("%s/lxcfs.pid", workdir);
	_cleanup_free_ char *probe = NULL;

	lxcfs_mnt = sc_xasprintf("%s/lxcfs", workdir);
	cr_assert_eq(mkdir(lxcfs_mnt, 0755), 0);
	lxcfs_pid = fork();
	cr_assert_geq(lxcfs_pid, 0);
	if (lxcfs_pid == 0) {
		FILE *f = freopen(log, "w", stdout);
		(void)f;
		dup2(1, 2);
		/* --enable-cfs: its CPU views follow the quota and cpuset. */
		execlp("lxcfs", "lxcfs", "-f", "--enable-cfs", "-p", pidf, lxcfs_mnt, (char *)NULL);
		_exit(127);
	}
	probe = sc_xasprintf("%s/proc/meminfo", lxcfs_mnt);
	for (int i = 0; i < 100 && access(probe, F_OK) < 0; i++)
		usleep(50000);
	if (access(probe, F_OK) < 0) {
		_cleanup_free_ char *l = read_whole_file(log, NULL);
		cr_assert_fail("lxcfs did not come up: %s", strna(l));
	}
}

Test(limits_integration, lxcfs_alive_stopped_dead)
{
	struct real r = {};
	json_t *doc, *lx;
	double secs;
	int status;
	const char *id;

	need_runc();
	if (!have("lxcfs"))
		cr_skip_test("lxcfs is not installed");
	start_lxcfs();
	id = start_container(json_pack("{s:{s:I},s:{s:s,s:I,s:I}}", "memory", "limit",
				       (json_int_t)104857600, "cpu", "cpus", "0", "quota",
				       (json_int_t)50000, "period", (json_int_t)100000),
			     true);

	/* Alive: the verdicts flip where lxcfs covers the file. */
	doc = limits_json(id, "5", NULL, NULL);
	run_real_tools(id, &r);
	assert_predictions("lxcfs", doc, &r);
	cr_assert_eq(r.mem_total, 104857600, "lxcfs's MemTotal is the limit");
	cr_assert_str_eq(verdict(doc, "memory"), "visible");
	cr_assert(json_is_true(json_object_get(view(row(doc, "memory"), "free"), "lxcfs")));
	cr_assert_str_eq(r.online, "0");
	cr_assert_eq(r.top_rows, 1);
	/* lscpu's CPU(s) counts "present", which lxcfs does not cover. */
	cr_assert_eq(r.lscpu_cpus, sc_cpulist_count_host());
	cr_assert_str_eq(verdict(doc, "cpuset"), "partial");
	cr_assert_str_eq(jstr(json_object_get(json_object_get(doc, "limits"), "uptime"), "verdict"),
			 "visible");
	lx = json_object_get(json_object_get(doc, "limits"), "lxcfs");
	cr_assert(json_is_true(json_object_get(lx, "mounted")));
	cr_assert_str_eq(jstr(lx, "alive"), "yes");
	real_done(&r);
	json_decref(doc);

	/* Stopped: every read of its files blocks. The tool must name them
	 * and exit within its deadline (1 s idle, one retry), not hang. */
	cr_assert_eq(kill(lxcfs_pid, SIGSTOP), 0);
	doc = limits_json(id, "1", &status, &secs);
	kill(lxcfs_pid, SIGCONT);
	printf("info: limits-integration lxcfs stopped: exit %d after %.2f s (as expected)\n",
	       status, secs);
	cr_assert_eq(status, 1);
	cr_assert_lt(secs, 15.0, "the tool took %.1f s", secs);
	lx = json_object_get(json_object_get(doc, "limits"), "lxcfs");
	cr_assert_str_eq(jstr(lx, "alive"), "no");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(lx, "files"), 0), "error"),
			 "ETIMEDOUT");
	{
		json_t *c;
		size_t i;
		bool found = false;

		json_array_foreach(json_object_get(doc, "checks"), i, c)
		{
			if (!streq(jstr(c, "id"), "limits.lxcfs"))
				continue;
			found = true;
			cr_assert_str_eq(jstr(c, "status"), "error");
			cr_assert(strstr(jstr(c, "summary"), "/proc/meminfo (ETIMEDOUT)"), "%s",
				  jstr(c, "summary"));
		}
		cr_assert(found);
	}
	json_decref(doc);

	/* Dead: the mounts stay, reads fail with ENOTCONN. */
	kill(lxcfs_pid, SIGKILL);
	waitpid(lxcfs_pid, NULL, 0);
	lxcfs_pid = -1;
	doc = limits_json(id, "5", &status, NULL);
	lx = json_object_get(json_object_get(doc, "limits"), "lxcfs");
	cr_assert_eq(status, 1);
	cr_assert_str_eq(jstr(lx, "alive"), "no");
	cr_assert_str_eq(jstr(json_array_get(json_object_get(lx, "files"), 0), "error"),
			 "ENOTCONN");
	json_decref(doc);
}
