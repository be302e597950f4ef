/* SPDX-License-Identifier: MIT */
/* Real runc containers for integration tests. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testctr.h"
#include "testlib.h"
#include "util.h"

static const char *runc_path(void)
{
	static const char *const cands[] = { "/usr/sbin/runc", "/usr/bin/runc",
					     "/usr/local/sbin/runc", "/usr/local/bin/runc" };
	for (size_t i = 0; i < ELEMENTSOF(cands); i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	return NULL;
}

const char *testctr_unavailable(void)
{
	if (!is_root())
		return "needs root (runc containers)";
	if (!runc_path())
		return "runc is not installed (apt-get install runc)";
	if (access("/bin/busybox", X_OK) < 0)
		return "busybox is not installed (apt-get install busybox-static)";
	return NULL;
}

int testctr_sh(const char *cmd, char **out)
{
	FILE *p;
	char buf[4096];
	size_t len = 0;
	int st;

	if (!out) {
		_cleanup_free_ char *quiet = sc_xasprintf("(%s) >/dev/null 2>&1 </dev/null", cmd);
		st = system(quiet);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	}
	p = popen(cmd, "r");
	if (!p)
		return 127;
	*out = sc_xstrdup("");
	for (size_t k; (k = fread(buf, 1, sizeof(buf), p)) > 0;) {
		*out = sc_xrealloc(*out, len + k + 1);
		memcpy(*out + len, buf, k);
		len += k;
		(*out)[len] = 0;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

void testctr_prepare(struct testctr *c, const char *id_prefix)
{
	static unsigned seq;
	_cleanup_free_ char *cmd = NULL;
	json_t *cfg;

	*c = (struct testctr){};
	c->id = sc_xasprintf("%s-%d-%u", id_prefix, (int)getpid(), seq++);
	c->dir = make_tempdir();
	c->bundle = sc_xasprintf("%s/bundle", c->dir);
	c->rootfs = sc_xasprintf("%s/rootfs", c->bundle);
	cmd = sc_xasprintf(
		"mkdir -p %1$s/bin %1$s/proc %1$s/sys %1$s/dev %1$s/etc %1$s/tmp && "
		"cp /bin/busybox %1$s/bin/ && for a in sh sleep cat ls; do ln -s busybox "
		"%1$s/bin/$a; done && cd %2$s && %3$s spec",
		c->rootfs, c->bundle, runc_path());
	cr_assert_eq(testctr_sh(cmd, NULL), 0, "preparing %s", c->bundle);
	write_file(c->rootfs, "etc/os-release",
		   "PRETTY_NAME=\"sysctr-check test rootfs\"\nID=sctest\nVERSION_ID=1\n");
	cfg = testctr_config(c);
	json_object_set_new(json_object_get(cfg, "process"), "args",
			    json_pack("[s,s]", "sleep", "3600"));
	json_object_set_new(json_object_get(cfg, "process"), "terminal", json_false());
	testctr_config_save(c, json_incref(cfg));
}

json_t *testctr_config(struct testctr *c)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/config.json", c->bundle);
	static json_t *last;
	json_error_t err;

	json_decref(last);
	last = json_load_file(p, 0, &err);
	cr_assert_not_null(last, "%s: %s", p, err.text);
	return last;
}

void testctr_config_save(struct testctr *c, json_t *config)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/config.json", c->bundle);

	cr_assert_eq(json_dump_file(config, p, JSON_INDENT(2)), 0);
	json_decref(config);
}

void testctr_add_namespace(json_t *config, const char *type)
{
	json_array_append_new(json_object_get(json_object_get(config, "linux"), "namespaces"),
			      json_pack("{s:s}", "type", type));
}

void testctr_cgroup_mount(json_t *config, const char *type, bool read_only)
{
	json_t *mounts = json_object_get(config, "mounts"), *m;
	size_t i;

	json_array_foreach(mounts, i,
			   m) if (streq_ptr(json_string_value(json_object_get(m, "destination")),
					    "/sys/fs/cgroup"))
	{
		json_array_remove(mounts, i);
		break;
	}
	m = json_pack("{s:s,s:s,s:s,s:[s,s,s,s]}", "destination", "/sys/fs/cgroup", "type", type,
		      "source", type, "options", "nosuid", "noexec", "nodev", "relatime");
	json_array_append_new(json_object_get(m, "options"), json_string(read_only ? "ro" : "rw"));
	json_array_append_new(mounts, m);
}

int testctr_start(struct testctr *c)
{
	_cleanup_free_ char *cmd =
		sc_xasprintf("cd %s && %s run -d %s", c->bundle, runc_path(), c->id);
	_cleanup_free_ char *state = NULL, *q = NULL;
	json_t *doc;
	int k;

	k = testctr_sh(cmd, NULL);
	if (k != 0)
		return -EIO;
	c->started = true;
	q = sc_xasprintf("%s state %s", runc_path(), c->id);
	if (testctr_sh(q, &state) != 0)
		return -EIO;
	doc = json_loads(state, 0, NULL);
	c->pid = (pid_t)json_integer_value(json_object_get(doc, "pid"));
	json_decref(doc);
	if (c->pid <= 0)
		return -EIO;
	/* `runc run -d` returns before runc's init has exec()ed the payload:
	 * wait until PID 1 is the container's own program. */
	for (int i = 0; i < 300; i++) {
		_cleanup_free_ char *p = sc_xasprintf("/proc/%d/cmdline", (int)c->pid);
		_cleanup_free_ char *argv0 = read_whole_file(p, NULL);

		if (argv0 && *argv0 && !strstr(argv0, "runc"))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

void testctr_kill(struct testctr *c)
{
	_cleanup_free_ char *cmd = sc_xasprintf("%s kill %s KILL", runc_path(), c->id);

	(void)testctr_sh(cmd, NULL);
	/* Wait until the init is gone (the kernel reaps the namespace). */
	for (int i = 0; i < 200 && c->pid > 0 && kill(c->pid, 0) == 0; i++)
		usleep(10000);
}

void testctr_destroy(struct testctr *c)
{
	if (!c->id)
		return;
	if (c->started) {
		_cleanup_free_ char *cmd = sc_xasprintf("%s delete -f %s", runc_path(), c->id);
		testctr_kill(c);
		(void)testctr_sh(cmd, NULL);
	}
	rm_rf(c->dir);
	free(c->id);
	free(c->dir);
	free(c->bundle);
	free(c->rootfs);
	*c = (struct testctr){};
}
