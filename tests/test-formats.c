/* SPDX-License-Identifier: MIT */
/* The JUnit and Prometheus outputs read by their real consumers: xmllint
 * and python3-junitparser for JUnit, promtool and a prometheus-node-exporter
 * on 127.0.0.1 (its textfile collector) for Prometheus, on hostile
 * hand-built reports and on every verb replayed from the fixtures; and
 * contrib/, the systemd units (systemd-analyze verify) and the DaemonSet
 * manifest (python3-yaml). A missing consumer skips with its package
 * named, but fails as root, where `make check` installs it. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pwd.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"
#include "testctr.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

#define HELPER SC_SRCDIR "/tests/formats-check.py"
#define XMLLINT "/usr/bin/xmllint"
#define PROMTOOL "/usr/bin/promtool"
#define NODE_EXPORTER "/usr/bin/prometheus-node-exporter"
#define SYSTEMD_ANALYZE "/usr/bin/systemd-analyze"
#define SNAP(name) FIXTURE("snapshots/" name ".json")
#define GOLD_ROOT "runc=/run/sc-e2e-gold"

/* Every trap at once: the end of a CDATA section, quotes, markup, a
 * newline, C0 controls, an escape sequence, a byte that is never UTF-8, a
 * tab, a C1 control (U+009B), U+FFFE (not XML), a UTF-16 surrogate in
 * UTF-8 (not UTF-8), a carriage return, a backslash. */
#define EVIL                                                 \
	"a]]>\"'<&\n\x01\x1b[31m\xff\tz\xc2\x9b\xef\xbf\xbe" \
	"\xed\xa0\x80\r\\!"
/* What a parser of our XML reads back: tab, newline and carriage return
 * kept (character references in attributes), the rest as \xNN text. */
#define EVIL_XML                                                                    \
	"a]]>\"'<&\n\\x01\\x1b[31m\\xff\tz\\xc2\\x9b\\xef\\xbf\\xbe\\xed\\xa0\\x80" \
	"\r\\!"
/* What a label value reads back as: newline kept, backslash kept, every
 * other control as \xNN text; U+FFFE is UTF-8, and kept. */
#define EVIL_PROM                                                                        \
	"a]]>\"'<&\n\\x01\\x1b[31m\\xff\\x09z\\xc2\\x9b\xef\xbf\xbe\\xed\\xa0\\x80\\x0d" \
	"\\!"
#define EVIL_ID "evil]]>\"<&\n\x01id"

/* ---- consumers ----------------------------------------------------------------- */

/* A consumer is there, or the test skips (not root) or fails (root:
 * `make check` installed it). */
static void need(const char *path, const char *pkg)
{
	if (access(path, X_OK) == 0)
		return;
	cr_assert_not(is_root(), "%s is missing: `make check` installs %s as root", path, pkg);
	fprintf(stderr, "[SKIP] formats: %s is not installed (apt-get install %s)\n", path, pkg);
	cr_skip_test("%s is not installed", path);
}

/* Runs a shell command (stderr with stdout); its exit status. */
static int sh(char **out, const char *fmt, ...) _printf_(2, 3);
static int sh(char **out, const char *fmt, ...)
{
	_cleanup_free_ char *cmd = NULL, *full = NULL;
	va_list ap;

	va_start(ap, fmt);
	cr_assert_geq(vasprintf(&cmd, fmt, ap), 0);
	va_end(ap);
	full = sc_xasprintf("%s 2>&1", cmd);
	return testctr_sh(full, out);
}

/* What tests/formats-check.py prints (JSON), for VERB on ARG, with the
 * environment variables env ("" for none). */
static json_t *helper_env(const char *env, const char *verb, const char *arg)
{
	_cleanup_free_ char *out = NULL;
	json_t *doc;
	int k;

	need(SCHEMA_PYTHON, "python3");
	k = sh(&out, "%s %s -I %s %s '%s'", env, SCHEMA_PYTHON, HELPER, verb, arg);
	if (k == 77) {
		const char *pkg = strstr(out, "missing: ");
		cr_assert_not(is_root(), "%s: `make check` installs it as root", out);
		fprintf(stderr, "[SKIP] formats: %s", pkg ? pkg + 9 : out);
		cr_skip_test("%s", out);
	}
	cr_assert_eq(k, 0, "formats-check.py %s %s: exit %d: %s", verb, arg, k, out);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "formats-check.py %s: not JSON: %.300s", verb, out);
	return doc;
}

static json_t *helper(const char *verb, const char *arg)
{
	return helper_env("", verb, arg);
}

static json_t *jget(json_t *o, const char *path)
{
	_cleanup_strv_free_ char **parts = sc_strv_split(path, ".");

	for (char **p = parts; p && *p && o; p++) {
		char *end;
		long i = strtol(*p, &end, 10);
		o = json_is_array(o) && !*end ? json_array_get(o, (size_t)i)
					      : json_object_get(o, *p);
	}
	return o;
}

static json_int_t jint(json_t *o, const char *path)
{
	json_t *v = jget(o, path);

	cr_assert(json_is_integer(v), "%s is not an integer", path);
	return json_integer_value(v);
}

static const char *jstr(json_t *o, const char *path)
{
	json_t *v = jget(o, path);

	cr_assert(json_is_string(v), "%s is not a string", path);
	return json_string_value(v);
}

static void xmllint_ok(const char *path)
{
	_cleanup_free_ char *out = NULL;

	need(XMLLINT, "libxml2-utils");
	cr_assert_eq(sh(&out, "%s --noout '%s'", XMLLINT, path), 0, "xmllint %s: %s", path, out);
	cr_assert_str_empty(out, "xmllint %s: %s", path, out);
}

static void promtool_ok(const char *path)
{
	_cleanup_free_ char *out = NULL;

	need(PROMTOOL, "prometheus");
	cr_assert_eq(sh(&out, "%s check metrics <'%s'", PROMTOOL, path), 0,
		     "promtool check metrics %s: %s", path, out);
	/* Lint problems are printed, one a line, with exit status 0 or 1. */
	cr_assert_str_empty(out, "promtool check metrics %s: %s", path, out);
}

/* The JUnit document as junitparser reads it, its counts asserted: the
 * attributes we wrote are what junitparser counts from the cases, for
 * the document and each suite, and no case has two results. */
static json_t *junit_read(const char *path)
{
	json_t *doc, *s, *c;
	size_t i, j;

	xmllint_ok(path);
	doc = helper("junit", path);
	cr_assert_eq(jint(doc, "tests"), jint(doc, "counted.tests"), "%s", path);
	cr_assert_eq(jint(doc, "failures"), jint(doc, "counted.failures"), "%s", path);
	cr_assert_eq(jint(doc, "errors"), jint(doc, "counted.errors"), "%s", path);
	cr_assert_eq(jint(doc, "skipped"), jint(doc, "counted.skipped"), "%s", path);
	json_array_foreach(json_object_get(doc, "suites"), i, s)
	{
		json_t *n = json_array_get(jget(doc, "counted.suites"), i);

		cr_assert_eq(jint(s, "tests"), jint(n, "tests"), "%s suite %zu", path, i);
		cr_assert_eq(jint(s, "failures"), jint(n, "failures"), "%s suite %zu", path, i);
		cr_assert_eq(jint(s, "errors"), jint(n, "errors"), "%s suite %zu", path, i);
		cr_assert_eq(jint(s, "skipped"), jint(n, "skipped"), "%s suite %zu", path, i);
		json_array_foreach(json_object_get(s, "cases"), j, c) cr_assert_leq(
			jint(c, "results"), 1, "%s: %s has two results", path, jstr(c, "name"));
	}
	return doc;
}

/* A suite's property (names have dots: no jget()). */
static const char *jprop(json_t *suite, const char *name)
{
	json_t *v = json_object_get(json_object_get(suite, "properties"), name);

	cr_assert(json_is_string(v), "no property %s", name);
	return json_string_value(v);
}

static json_t *find_suite(json_t *doc, const char *name)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(doc, "suites"), i,
			   s) if (streq(jstr(s, "name"), name)) return s;
	cr_assert_fail("no suite \"%s\"", name);
	return NULL;
}

static json_t *find_case(json_t *suite, const char *name)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(suite, "cases"), i,
			   c) if (streq(jstr(c, "name"), name)) return c;
	cr_assert_fail("no case \"%s\" in suite %s", name, jstr(suite, "name"));
	return NULL;
}

/* The samples of an exposition: its lines that are not comments. */
static char **samples(const char *text)
{
	_cleanup_strv_free_ char **lines = sc_strv_split(text, "\n");
	char **v = NULL;

	for (char **l = lines; l && *l; l++)
		if (**l && **l != '#')
			sc_strv_push(&v, *l);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No series twice, and each family's HELP and TYPE once, before its
 * samples, which follow one another. */
static size_t assert_exposition_shape(const char *text)
{
	_cleanup_strv_free_ char **lines = sc_strv_split(text, "\n");
	_cleanup_strv_free_ char **s = samples(text);
	_cleanup_strv_free_ char **families = NULL;
	size_t n = 0;
	const char *current = NULL;

	for (char **l = s; l && *l; l++) {
		char *sp = strrchr(*l, ' ');
		cr_assert_not_null(sp, "no value: %s", *l);
		*sp = 0;
		n++;
	}
	if (n > 1)
		qsort(s, n, sizeof(char *), cmp_str);
	for (size_t i = 1; i < n; i++)
		cr_assert_str_neq(s[i - 1], s[i], "series twice: %s", s[i]);
	for (char **l = lines; l && *l; l++) {
		char name[256];

		if (startswith(*l, "# HELP ")) {
			cr_assert_eq(sscanf(*l, "# HELP %255s", name), 1);
			for (char **f = families; f && *f; f++)
				cr_assert_str_neq(*f, name, "family %s twice", name);
			sc_strv_push(&families, name);
			current = families[sc_strv_length(families) - 1];
			cr_assert(l[1] && startswith(l[1], "# TYPE ") && strstr(l[1], name),
				  "HELP %s without its TYPE", name);
		} else if (**l && **l != '#') {
			size_t k = strcspn(*l, "{ ");
			cr_assert_not_null(current, "a sample before any HELP: %s", *l);
			cr_assert(strlen(current) == k && strncmp(*l, current, k) == 0,
				  "%s outside its family (in %s)", *l, current);
		}
	}
	return n;
}

static char *render_file(const char *dir, const char *name, const struct sc_report *r,
			 int (*render)(const struct sc_report *, FILE *))
{
	char *path = sc_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "we");

	cr_assert_not_null(f, "%s: %m", path);
	cr_assert_eq(render(r, f), 0);
	cr_assert_eq(fclose(f), 0);
	return path;
}

static size_t count_prefix(const char *text, const char *prefix)
{
	_cleanup_strv_free_ char **s = samples(text);
	size_t n = 0;

	for (char **l = s; l && *l; l++)
		n += startswith(*l, prefix) != NULL;
	return n;
}

static bool json_array_has(json_t *a, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(a, i,
			   v) if (json_is_string(v) && streq(json_string_value(v), s)) return true;
	return false;
}

/* ---- a hostile report ------------------------------------------------------------ */

static struct sc_check *add_check(struct sc_report *r, const char *id, const char *section,
				  enum sc_status s, const char *text)
{
	struct sc_check *c = SC_APPEND(r->checks, r->n_checks);

	c->id = id;
	c->section = section;
	sc_check_set(c, s, "%s", text);
	sc_check_evidence(c, text, "%s", text);
	sc_check_remedy(c, "%s", text);
	return c;
}

static void add_controller(struct sc_cgroup_facts *cg, const char *name, enum sc_ctrl_where w)
{
	struct sc_controller *c = SC_APPEND(cg->controllers, cg->n_controllers);

	c->name = sc_xstrdup(name);
	c->where = w;
	c->hierarchy = c->num_cgroups = c->enabled = -1;
}

static void sub_init(struct sc_report *s, const char *id, const char *name)
{
	struct sc_container_facts *c = sc_xcalloc(1, sizeof(*c));

	sc_report_init(s, "report");
	s->target.runtime = SC_RT_RUNC;
	s->target.id = sc_xstrdup(id);
	s->target.name = sc_xstrdup(name);
	s->target.pid = 4242;
	c->ref.runtime = SC_RT_RUNC;
	c->ref.id = sc_xstrdup(id);
	c->ref.name = sc_xstrdup(name);
	c->ref.pid = 4242;
	c->inside_ok = true;
	c->inside.cgroup.mode = SC_CG_UNIFIED;
	add_controller(&c->inside.cgroup, EVIL, SC_CTRL_V2);
	/* Twice the same controller (a hostile /proc/cgroups): one series. */
	add_controller(&c->inside.cgroup, "memory", SC_CTRL_V2);
	add_controller(&c->inside.cgroup, "memory", SC_CTRL_V2);
	s->container = c;
	s->boot = sc_xcalloc(1, sizeof(*s->boot));
	s->boot->verdict = SC_BOOT_FAILS;
	s->boot->failure = SC_BOOT_EXITS;

	add_check(s, "container.is-container", "container", SC_PASS, EVIL);
	add_check(s, "boot.verdict", "boot", SC_FAIL, EVIL);
	add_check(s, "container.probe", "container", SC_ERROR, EVIL);
	add_check(s, "limits.memory", "limits", SC_SKIP, EVIL);
	add_check(s, "container.cgroupns", "container", SC_INFO, EVIL);
	add_check(s, "delegation.v1", "delegation", SC_WARN, EVIL);
}

/* `report --all`: the host (hostile hostname and root) with four of its
 * checks and one of a hostile id, and two containers of the same
 * hostile name, six checks each. */
static void hostile_report(struct sc_report *r)
{
	struct sc_host_facts *h = sc_xcalloc(1, sizeof(*h));

	sc_report_init(r, "report");
	h->root_path = sc_xstrdup(EVIL);
	h->hostname = sc_xstrdup(EVIL);
	h->cgroup.mode = SC_CG_HYBRID;
	add_controller(&h->cgroup, "cpu", SC_CTRL_V1);
	add_controller(&h->cgroup, EVIL, SC_CTRL_UNBOUND);
	r->host = h;
	r->all = true;

	add_check(r, "cgroup.mode", "cgroup", SC_PASS, EVIL);
	add_check(r, "kernel.version", "kernel", SC_FAIL, EVIL);
	add_check(r, "host.init", "host", SC_WARN, EVIL);
	add_check(r, "lxcfs.mounted", "lxcfs", SC_ERROR, EVIL)->ignored = true;
	add_check(r, EVIL_ID, EVIL, SC_SKIP, EVIL);

	r->subs = sc_xcalloc(2, sizeof(*r->subs));
	r->n_subs = 2;
	sub_init(&r->subs[0], "evil-1", EVIL);
	sub_init(&r->subs[1], "evil-2", EVIL);
}

/* ---- JUnit --------------------------------------------------------------------- */

TestSuite(formats, .timeout = 120);

Test(formats, junit_hostile)
{
	_cleanup_free_ char *dir = make_tempdir(), *path = NULL;
	_cleanup_free_ char *sub_name = sc_xstrdup("runc:" EVIL_XML);
	struct sc_report r;
	json_t *doc, *s, *c;

	hostile_report(&r);
	path = render_file(dir, "hostile.xml", &r, sc_render_junit);
	doc = junit_read(path);

	/* 4 + 1 + 2 x 6 checks: kernel.version and each boot.verdict fail;
	 * each container.probe errs; lxcfs.mounted (ignored), the hostile
	 * skip and each limits.memory are skipped; warn is no failure. */
	cr_assert_eq(jint(doc, "tests"), 17);
	cr_assert_eq(jint(doc, "failures"), 3);
	cr_assert_eq(jint(doc, "errors"), 2);
	cr_assert_eq(jint(doc, "skipped"), 4);
	cr_assert_eq(json_array_size(json_object_get(doc, "suites")), 4);

	s = find_suite(doc, "host");
	cr_assert_eq(jint(s, "tests"), 4);
	cr_assert_str_eq(jstr(s, "hostname"), EVIL_XML);
	cr_assert_str_eq(jprop(s, "root"), EVIL_XML);
	cr_assert_str_eq(jprop(s, "cgroup.mode"), "hybrid");
	c = find_case(s, "kernel.version");
	cr_assert_str_eq(jstr(c, "classname"), "kernel");
	cr_assert_str_eq(jstr(c, "result"), "failure");
	cr_assert_str_eq(jstr(c, "type"), "fail");
	cr_assert_str_eq(jstr(c, "message"), EVIL_XML);
	cr_assert_str_eq(jstr(c, "text"), "fail: " EVIL_XML "\nevidence: " EVIL_XML ": " EVIL_XML
					  "\nremedy: " EVIL_XML "\n");
	c = find_case(s, "lxcfs.mounted");
	cr_assert_str_eq(jstr(c, "result"), "skipped");
	cr_assert_str_eq(jstr(c, "message"), "ignored (--ignore): error: " EVIL_XML);
	c = find_case(s, "host.init");
	cr_assert_str_eq(jstr(c, "result"), "passed");
	cr_assert(startswith(jstr(c, "system_out"), "warn: " EVIL_XML));

	/* The check that is no host check: the report's own part. */
	s = find_suite(doc, "report");
	cr_assert_eq(jint(s, "tests"), 1);
	c = find_case(s, "evil]]>\"<&\n\\x01id");
	cr_assert_str_eq(jstr(c, "classname"), EVIL_XML);
	cr_assert_str_eq(jstr(c, "result"), "skipped");

	/* Both containers: the same name, two suites. */
	cr_assert_str_eq(jstr(doc, "suites.2.name"), sub_name);
	cr_assert_str_eq(jstr(doc, "suites.3.name"), sub_name);
	s = json_array_get(json_object_get(doc, "suites"), 3);
	cr_assert_eq(jint(s, "tests"), 6);
	cr_assert_eq(jint(s, "failures"), 1);
	cr_assert_eq(jint(s, "errors"), 1);
	cr_assert_eq(jint(s, "skipped"), 1);
	cr_assert_str_eq(jprop(s, "target.id"), "evil-2");
	cr_assert_str_eq(jprop(s, "target.name"), EVIL_XML);
	cr_assert_str_eq(jprop(s, "boot.verdict"), "fails");
	cr_assert_str_eq(jprop(s, "cgroup.mode"), "unified");
	cr_assert_str_eq(jstr(find_case(s, "container.probe"), "result"), "error");
	cr_assert_str_eq(jstr(find_case(s, "container.probe"), "type"), "error");

	json_decref(doc);
	sc_report_done(&r);
	rm_rf(dir);
}

/* --strict: warnings fail, as they do the exit code. */
Test(formats, junit_strict)
{
	_cleanup_free_ char *dir = make_tempdir(), *path = NULL;
	struct sc_report r;
	json_t *doc, *c;

	hostile_report(&r);
	r.strict = true;
	path = render_file(dir, "strict.xml", &r, sc_render_junit);
	doc = junit_read(path);
	cr_assert_eq(jint(doc, "tests"), 17);
	cr_assert_eq(jint(doc, "failures"), 6);
	cr_assert_eq(jint(doc, "errors"), 2);
	c = find_case(find_suite(doc, "host"), "host.init");
	cr_assert_str_eq(jstr(c, "result"), "failure");
	cr_assert_str_eq(jstr(c, "type"), "warn");
	cr_assert_str_eq(jstr(find_suite(doc, "host"), "properties.strict"), "true");
	json_decref(doc);
	sc_report_done(&r);
	rm_rf(dir);
}

/* ---- Prometheus ---------------------------------------------------------------- */

Test(formats, prometheus_hostile)
{
	_cleanup_free_ char *dir = make_tempdir(), *path = NULL, *text = NULL;
	_cleanup_free_ char *target1 = sc_xstrdup("runc:" EVIL_PROM);
	struct sc_report r;
	json_t *scrape;
	size_t n;

	hostile_report(&r);
	path = render_file(dir, "hostile.prom", &r, sc_render_prometheus);
	text = read_whole_file(path, NULL);
	cr_assert_not_null(text);
	n = assert_exposition_shape(text);
	/* Label values: the escapes of the format, and no raw control. */
	for (const char *p = text; *p; p++)
		cr_assert(*p == '\n' || (unsigned char)*p >= 0x20, "a raw control byte 0x%02x",
			  (unsigned char)*p);
	cr_assert_not_null(strstr(text, "target=\"runc:a]]>\\\"'<&\\n\\\\x01\\\\x1b[31m\\\\xff"));
	/* The second container of that name goes by its ID. */
	cr_assert_eq(count_prefix(text, "sysctr_check_boot_verdict{target=\"runc:evil-2\""), 4);
	cr_assert_eq(count_prefix(text, "sysctr_check_boot_verdict{"), 8);
	cr_assert_eq(count_prefix(text, "sysctr_check_boot_verdict{target=\"runc:evil-2\","
					"verdict=\"fails\"} 1"),
		     1);
	/* memory twice in /proc/cgroups: one series. */
	cr_assert_eq(count_prefix(text, "sysctr_check_cgroup_controller_info{target=\"runc:evil-"
					"2\",controller=\"memory\""),
		     1);
	/* 6 statuses for each of 17 checks. */
	cr_assert_eq(count_prefix(text, "sysctr_check_status{"), 6 * 17);
	cr_assert_eq(count_prefix(text, "sysctr_check_ignored{target=\"host\",check=\"lxcfs."
					"mounted\"} 1"),
		     1);
	cr_assert_not_null(strstr(text, "\nsysctr_check_exit_code 1\n"));
	cr_assert_not_null(strstr(text, "\nsysctr_check_targets 2\n"));
	cr_assert_not_null(strstr(text, "\nsysctr_check_checks{status=\"error\"} 2\n"));
	cr_assert_not_null(strstr(text, "\nsysctr_check_checks{status=\"ignored\"} 1\n"));
	promtool_ok(path);

	/* node_exporter serves every series, as written. */
	need(NODE_EXPORTER, "prometheus-node-exporter");
	scrape = helper("scrape", dir);
	cr_assert_eq(jint(scrape, "status"), 200);
	cr_assert_eq(jint(scrape, "written"), (json_int_t)n);
	cr_assert_eq(jint(scrape, "served"), (json_int_t)n);
	cr_assert_eq(json_array_size(json_object_get(scrape, "missing")), 0, "%s",
		     json_dumps(json_object_get(scrape, "missing"), 0));
	cr_assert_eq(json_array_size(json_object_get(scrape, "different")), 0);
	cr_assert_eq(json_array_size(json_object_get(scrape, "extra")), 0);
	cr_assert_eq(json_array_size(json_object_get(scrape, "log_errors")), 0, "%s",
		     json_dumps(json_object_get(scrape, "log_errors"), 0));
	cr_assert(json_real_value(json_object_get(scrape, "scrape_error")) == 0.0);
	cr_assert(json_array_has(json_object_get(scrape, "targets"), target1),
		  "the hostile target label, as node_exporter serves it");
	cr_assert(json_array_has(json_object_get(scrape, "targets"), "runc:evil-2"));
	/* The exporter this test started is gone. */
	cr_assert_eq(kill((pid_t)jint(scrape, "pid"), 0), -1);
	cr_assert_eq(errno, ESRCH);
	json_decref(scrape);
	sc_report_done(&r);
	rm_rf(dir);
}

/* ---- every verb, replayed --------------------------------------------------------- */

struct cmd {
	const char *args[12];
	size_t suites; /* JUnit suites; 0: no JUnit (list) */
};

/* Each verb with checks, from the fixture trees and the golden snapshots
 * (tests/goldens/README.md), with --strict and --ignore. */
static const struct cmd cmds[] = {
	{ { "--root", FIXTURE("debian12-v2"), "host" }, 1 },
	{ { "--root", FIXTURE("centos7-legacy"), "host" }, 1 },
	{ { "--root", FIXTURE("ubuntu2004-hybrid"), "--strict", "host" }, 1 },
	{ { "--root", FIXTURE("alpine-openrc-hybrid"), "host" }, 1 },
	{ { "--root", FIXTURE("no-cgroupfs"), "host" }, 1 },
	{ { "--root", FIXTURE("this-machine"), "host" }, 1 },
	{ { "--root", SNAP("v2ro"), "--state-root", GOLD_ROOT, "report", "runc:sc-e2e-gold-v2ro" },
	  2 },
	{ { "--root", SNAP("v2ro"), "--state-root", GOLD_ROOT, "boot", "runc:sc-e2e-gold-v2ro" },
	  1 },
	{ { "--root", SNAP("limits"), "--state-root", GOLD_ROOT, "limits",
	    "runc:sc-e2e-gold-limits" },
	  1 },
	{ { "--root", SNAP("booted"), "--state-root", GOLD_ROOT, "container",
	    "runc:sc-e2e-gold-booted" },
	  1 },
	{ { "--root", SNAP("degraded"), "--state-root", GOLD_ROOT, "--ignore", "controllers.*",
	    "report", "runc:sc-e2e-gold-degraded" },
	  2 },
	{ { "--root", SNAP("dk-recipe"), "report",
	    "docker:cdbbd073a93aaf84d8a1e1c835b83ddf71a405e10bb90d0470633ff4f12af023" },
	  2 },
	{ { "--root", SNAP("list"), "--state-root", GOLD_ROOT, "report", "--all" }, 7 },
	{ { "--root", SNAP("list"), "--state-root", GOLD_ROOT, "--strict", "boot", "--all" }, 6 },
	{ { "--root", SNAP("list"), "--state-root", GOLD_ROOT, "list" }, 0 },
};

static void run_format(struct run_result *res, const struct cmd *c, const char *format)
{
	const char *argv[16] = { "-o", format };
	size_t n = 2;

	for (size_t i = 0; c->args[i]; i++)
		argv[n++] = c->args[i];
	run_tool(res, argv);
}

static const char *status_names[] = { "pass", "info", "skip", "warn", "fail", "error" };

Test(formats, every_verb)
{
	_cleanup_free_ char *dir = make_tempdir();
	unsigned total_tests = 0, total_series = 0;

	for (size_t i = 0; i < ELEMENTSOF(cmds); i++) {
		const struct cmd *c = &cmds[i];
		_cleanup_free_ char *xml = sc_xasprintf("%s/%zu.xml", dir, i);
		_cleanup_free_ char *prom = sc_xasprintf("%s/%zu.prom", dir, i);
		struct run_result j, x, p;
		json_t *doc, *junit = NULL, *sum;
		json_int_t counts[6], ignored, n_checks = 0;
		bool strict = false;
		size_t n;

		for (size_t a = 0; c->args[a]; a++)
			strict |= streq(c->args[a], "--strict");
		run_format(&j, c, "json");
		cr_assert_leq(j.status, 1, "cmd %zu: --json: exit %d: %s", i, j.status, j.err);
		doc = json_loads(j.out, 0, NULL);
		cr_assert_not_null(doc, "cmd %zu", i);
		sum = json_object_get(doc, "summary");
		for (int s = 0; s < 6; s++)
			n_checks += counts[s] = jint(sum, status_names[s]);
		ignored = jint(sum, "ignored");
		n_checks += ignored;

		/* JUnit: its counts are the summary's. */
		if (c->suites) {
			run_format(&x, c, "junit");
			cr_assert_eq(x.status, j.status, "cmd %zu: -o junit: exit %d: %s", i,
				     x.status, x.err);
			write_file(dir, strrchr(xml, '/') + 1, x.out);
			junit = junit_read(xml);
			cr_assert_eq(jint(junit, "tests"), n_checks, "cmd %zu", i);
			cr_assert_eq(jint(junit, "failures"), counts[4] + (strict ? counts[3] : 0),
				     "cmd %zu", i);
			cr_assert_eq(jint(junit, "errors"), counts[5], "cmd %zu", i);
			cr_assert_eq(jint(junit, "skipped"), counts[2] + ignored, "cmd %zu", i);
			cr_assert_eq(json_array_size(json_object_get(junit, "suites")), c->suites,
				     "cmd %zu: suites", i);
			total_tests += (unsigned)n_checks;
			run_result_done(&x);
		} else {
			/* A verb without checks has no JUnit: a usage error. */
			run_format(&x, c, "junit");
			cr_assert_eq(x.status, 2, "cmd %zu: -o junit: exit %d", i, x.status);
			run_result_done(&x);
		}

		/* Prometheus: valid for promtool, one status 1 per check. */
		run_format(&p, c, "prometheus");
		cr_assert_eq(p.status, j.status, "cmd %zu: -o prometheus: exit %d: %s", i, p.status,
			     p.err);
		write_file(dir, strrchr(prom, '/') + 1, p.out);
		n = assert_exposition_shape(p.out);
		promtool_ok(prom);
		cr_assert_eq(count_prefix(p.out, "sysctr_check_status{") / 6, (size_t)n_checks,
			     "cmd %zu", i);
		{
			_cleanup_free_ char *line = sc_xasprintf("\nsysctr_check_exit_code %d\n",
								 (int)jint(sum, "exit_code"));
			cr_assert_not_null(strstr(p.out, line), "cmd %zu: %s", i, line);
		}
		if (json_is_string(jget(doc, "boot.verdict"))) {
			_cleanup_free_ char *line =
				sc_xasprintf(",verdict=\"%s\"} 1\n", jstr(doc, "boot.verdict"));
			cr_assert_not_null(strstr(p.out, line), "cmd %zu: %s", i, line);
			cr_assert_eq(count_prefix(p.out, "sysctr_check_boot_verdict{"), 4);
		}
		total_series += (unsigned)n;
		json_decref(junit);
		json_decref(doc);
		run_result_done(&j);
		run_result_done(&p);
	}
	fprintf(stderr, "[INFO] formats: %zu commands: %u JUnit test cases, %u series\n",
		ELEMENTSOF(cmds), total_tests, total_series);
	rm_rf(dir);
}

/* The flow of contrib/: --output-file into the collector's directory,
 * many containers (report --all), scraped. */
Test(formats, textfile_scrape_all)
{
	_cleanup_free_ char *dir = make_tempdir(), *file = NULL, *text = NULL;
	struct run_result r;
	json_t *scrape;
	size_t n;

	need(NODE_EXPORTER, "prometheus-node-exporter");
	file = sc_xasprintf("%s/sysctr.prom", dir);
	run_tool(&r, (const char *const[]){ "-o", "prometheus", "--output-file", file, "--root",
					    SNAP("list"), "--state-root", GOLD_ROOT, "report",
					    "--all", NULL });
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err); /* errors inside: no views */
	cr_assert_str_empty(r.out);
	text = read_whole_file(file, NULL);
	cr_assert_not_null(text);
	n = assert_exposition_shape(text);
	cr_assert_not_null(strstr(text, "\nsysctr_check_targets 6\n"));
	promtool_ok(file);
	scrape = helper("scrape", dir);
	cr_assert_eq(jint(scrape, "served"), (json_int_t)n);
	cr_assert_eq(json_array_size(json_object_get(scrape, "missing")), 0);
	cr_assert_eq(json_array_size(json_object_get(scrape, "log_errors")), 0);
	cr_assert(json_real_value(json_object_get(scrape, "scrape_error")) == 0.0);
	/* The host and six containers. */
	cr_assert_eq(json_array_size(json_object_get(scrape, "targets")), 7);
	fprintf(stderr, "[INFO] formats: node_exporter served %zu of %zu sysctr_check series\n",
		(size_t)jint(scrape, "served"), n);
	cr_assert_eq(kill((pid_t)jint(scrape, "pid"), 0), -1);
	json_decref(scrape);
	run_result_done(&r);
	rm_rf(dir);
}

/* The live host, as the timer runs it. */
Test(formats, live_host)
{
	_cleanup_free_ char *dir = make_tempdir(), *xml = NULL;
	struct run_result x, p;
	json_t *junit;

	run_tool(&x, (const char *const[]){ "-o", "junit", "host", NULL });
	cr_assert_leq(x.status, 1, "exit %d: %s", x.status, x.err);
	write_file(dir, "host.xml", x.out);
	xml = sc_xasprintf("%s/host.xml", dir);
	junit = junit_read(xml);
	cr_assert_eq(json_array_size(json_object_get(junit, "suites")), 1);
	cr_assert_str_eq(jstr(junit, "suites.0.name"), "host");
	cr_assert_str_neq(jstr(junit, "suites.0.hostname"), "unknown");
	cr_assert_geq(jint(junit, "tests"), 10);

	run_tool(&p, (const char *const[]){ "-o", "prometheus", "host", NULL });
	cr_assert_eq(p.status, x.status);
	write_file(dir, "host.prom", p.out);
	assert_exposition_shape(p.out);
	{
		_cleanup_free_ char *prom = sc_xasprintf("%s/host.prom", dir);
		promtool_ok(prom);
	}
	cr_assert_eq(count_prefix(p.out, "sysctr_check_cgroup_mode{target=\"host\""), 8);
	json_decref(junit);
	run_result_done(&x);
	run_result_done(&p);
	rm_rf(dir);
}

/* Real containers (root, runc): report --all names each of them. */
static struct testctr ctr[2];

static void ctr_fini(void)
{
	for (size_t i = 0; i < ELEMENTSOF(ctr); i++)
		testctr_destroy(&ctr[i]);
}

Test(formats, live_containers_all, .fini = ctr_fini, .timeout = 180)
{
	_cleanup_free_ char *dir = make_tempdir(), *xml = NULL;
	const char *why = testctr_unavailable();
	struct run_result x, p;
	json_t *junit;

	if (why) {
		fprintf(stderr, "[SKIP] formats: live containers: %s\n", why);
		cr_skip_test("%s", why);
	}
	for (size_t i = 0; i < ELEMENTSOF(ctr); i++) {
		testctr_prepare(&ctr[i], "sc-fmt");
		cr_assert_eq(testctr_start(&ctr[i]), 0);
	}
	run_tool(&x, (const char *const[]){ "-o", "junit", "report", "--all", NULL });
	cr_assert_leq(x.status, 1, "exit %d: %s", x.status, x.err);
	write_file(dir, "all.xml", x.out);
	xml = sc_xasprintf("%s/all.xml", dir);
	junit = junit_read(xml);
	run_tool(&p, (const char *const[]){ "-o", "prometheus", "report", "--all", NULL });
	cr_assert_leq(p.status, 1, "exit %d: %s", p.status, p.err);
	assert_exposition_shape(p.out);
	for (size_t i = 0; i < ELEMENTSOF(ctr); i++) {
		_cleanup_free_ char *name = sc_xasprintf("runc:%s", ctr[i].id);
		_cleanup_free_ char *series =
			sc_xasprintf("sysctr_check_boot_verdict{target=\"%s\"", name);
		json_t *s = find_suite(junit, name);

		cr_assert_str_eq(jprop(s, "target.id"), ctr[i].id);
		cr_assert_gt(jint(s, "tests"), 5);
		cr_assert_eq(count_prefix(p.out, series), 4, "%s", series);
	}
	json_decref(junit);
	run_result_done(&x);
	run_result_done(&p);
	rm_rf(dir);
}

/* ---- contrib/ -------------------------------------------------------------------- */

Test(formats, contrib_daemonset)
{
	json_t *docs = helper("yaml", SC_SRCDIR "/contrib/kubernetes/sysctr-check-daemonset.yaml");
	json_t *ds = json_array_get(docs, 0), *spec, *c, *m;
	size_t i;
	const char *script;

	cr_assert_eq(json_array_size(docs), 1);
	cr_assert_str_eq(jstr(ds, "apiVersion"), "apps/v1");
	cr_assert_str_eq(jstr(ds, "kind"), "DaemonSet");
	spec = jget(ds, "spec.template.spec");
	cr_assert(json_is_true(json_object_get(spec, "hostPID")));
	cr_assert_str_eq(jstr(spec, "tolerations.0.operator"), "Exists");
	/* The selector selects the pods. */
	cr_assert_str_eq(
		json_string_value(json_object_get(jget(ds, "spec.selector.matchLabels"),
						  "app.kubernetes.io/name")),
		json_string_value(json_object_get(jget(ds, "spec.template.metadata.labels"),
						  "app.kubernetes.io/name")));
	cr_assert_eq(json_array_size(json_object_get(spec, "containers")), 1);
	c = jget(spec, "containers.0");
	cr_assert(json_is_true(jget(c, "securityContext.readOnlyRootFilesystem")));
	script = jstr(c, "args.0");
	cr_assert_not_null(strstr(script, "nsenter --target 1 --mount"));
	cr_assert_not_null(strstr(script, "-o prometheus report --all"));
	cr_assert_not_null(
		strstr(script, "chmod 0644 \"$out.tmp\" && mv -f \"$out.tmp\" \"$out\""));
	/* One volume, the collector's directory, the only mount. */
	cr_assert_eq(json_array_size(json_object_get(spec, "volumes")), 1);
	cr_assert_str_eq(jstr(spec, "volumes.0.hostPath.path"),
			 "/var/lib/prometheus/node-exporter");
	json_array_foreach(json_object_get(c, "volumeMounts"), i, m)
		cr_assert_str_eq(jstr(m, "name"), jstr(spec, "volumes.0.name"));
	cr_assert_str_eq(jstr(c, "volumeMounts.0.mountPath"), "/textfile");
	cr_assert_not_null(strstr(script, "out=/textfile/sysctr.prom"));
	json_decref(docs);
}

Test(formats, contrib_systemd_units)
{
	_cleanup_free_ char *dir = make_tempdir(), *out = NULL, *svc = NULL, *bad = NULL;
	const char *units[] = { "sysctr-check-textfile.service", "sysctr-check-textfile.timer" };

	if (access(SYSTEMD_ANALYZE, X_OK) < 0) {
		fprintf(stderr, "[SKIP] formats: %s is not installed (apt-get install systemd)\n",
			SYSTEMD_ANALYZE);
		cr_skip_test("no systemd-analyze");
	}
	/* verify wants ExecStart='s binary: the one built here. */
	for (size_t i = 0; i < ELEMENTSOF(units); i++) {
		_cleanup_free_ char *src =
			sc_xasprintf("%s/contrib/systemd/%s", SC_SRCDIR, units[i]);
		_cleanup_free_ char *text = read_whole_file(src, NULL);
		_cleanup_free_ char *fixed = NULL;
		const char *at;

		cr_assert_not_null(text, "%s", src);
		if (i == 0) {
			at = strstr(text, "ExecStart=/usr/local/bin/sysctr-check ");
			cr_assert_not_null(at);
			cr_assert_not_null(strstr(text, "SuccessExitStatus=1"));
			cr_assert_not_null(
				strstr(text, "ExecStartPost=/bin/chmod 0644 "
					     "/var/lib/prometheus/node-exporter/sysctr.prom.tmp"));
			cr_assert_not_null(strstr(
				text,
				"--output-file /var/lib/prometheus/node-exporter/sysctr.prom.tmp"));
			cr_assert_null(strstr(text, "\nProtectSystem="));
			cr_assert_null(strstr(text, "\nPrivateTmp="));
			fixed = sc_xasprintf("%.*sExecStart=%s %s", (int)(at - text), text,
					     SC_BINARY,
					     at + strlen("ExecStart=/usr/local/bin/sysctr-check "));
		}
		write_file(dir, units[i], fixed ? fixed : text);
		if (i == 0) {
			/* A broken copy, to see that verify can fail. */
			char *t = strstr(fixed, "Type=oneshot");
			cr_assert_not_null(t);
			memcpy(t, "Type=bogus!", 11);
			write_file(dir, "bad.service", fixed);
		}
	}
	svc = sc_xasprintf("%s/%s", dir, units[0]);
	cr_assert_eq(sh(&out, "cd '%s' && %s verify --man=no %s %s", dir, SYSTEMD_ANALYZE, units[0],
			units[1]),
		     0, "systemd-analyze verify: %s", out);
	cr_assert_str_empty(out, "systemd-analyze verify: %s", out);
	free(out);
	out = NULL;
	(void)sh(&out, "cd '%s' && %s verify --man=no bad.service", dir, SYSTEMD_ANALYZE);
	cr_assert_not_null(strstr(out, "Failed to parse service type"), "%s", out);
	rm_rf(dir);
}

/* s with every what replaced by with (allocated). */
static char *replace_all(const char *s, const char *what, const char *with)
{
	char *r = sc_xstrdup("");
	const char *at;

	while ((at = strstr(s, what))) {
		char *n = sc_xasprintf("%s%.*s%s", r, (int)(at - s), s, with);
		free(r);
		r = n;
		s = at + strlen(what);
	}
	{
		char *n = sc_xasprintf("%s%s", r, s);
		free(r);
		return n;
	}
}

/* The unit's commands, run as written but for the binary (the one built
 * here, on the golden snapshot of six containers) and the directory: the
 * file they leave is served by a node_exporter running as its own user,
 * prometheus, as Debian runs it; without the chmod it would not be. */
static void run_unit_commands(const char *dir, bool with_chmod)
{
	_cleanup_free_ char *src =
		sc_xasprintf("%s/contrib/systemd/%s", SC_SRCDIR, "sysctr-check-textfile.service");
	_cleanup_free_ char *text = read_whole_file(src, NULL);
	_cleanup_strv_free_ char **lines = NULL;
	_cleanup_free_ char *bin =
		sc_xasprintf("%s --root %s --state-root %s", SC_BINARY, SNAP("list"), GOLD_ROOT);
	unsigned n = 0;

	cr_assert_not_null(text);
	lines = sc_strv_split(text, "\n");
	for (char **l = lines; l && *l; l++) {
		const char *cmd = startswith(*l, "ExecStart=");
		_cleanup_free_ char *a = NULL, *b = NULL, *out = NULL;
		int k;

		if (!cmd)
			cmd = startswith(*l, "ExecStartPost=");
		if (!cmd || (!with_chmod && strstr(cmd, "chmod")))
			continue;
		a = replace_all(cmd, "/var/lib/prometheus/node-exporter", dir);
		b = replace_all(a, "/usr/local/bin/sysctr-check", bin);
		k = sh(&out, "%s", b);
		/* SuccessExitStatus=1: a check failed, the metrics are written. */
		cr_assert_leq(k, n == 0 ? 1 : 0, "%s: exit %d: %s", b, k, out);
		n++;
	}
	cr_assert_eq(n, with_chmod ? 3u : 2u, "ExecStart and its ExecStartPost lines");
}

Test(formats, contrib_unit_flow_readable_by_collector)
{
	_cleanup_free_ char *dir = make_tempdir(), *file = NULL;
	struct stat st;
	json_t *scrape;

	need(NODE_EXPORTER, "prometheus-node-exporter");
	if (!is_root() || getpwnam("prometheus") == NULL) {
		fprintf(stderr, "[SKIP] formats: the unit's flow needs root and the user "
				"prometheus (prometheus-node-exporter's)\n");
		cr_skip_test("not root, or no user prometheus");
	}
	cr_assert_eq(chmod(dir, 0755), 0);
	file = sc_xasprintf("%s/sysctr.prom", dir);

	/* Without the chmod: --output-file makes a new file private. */
	run_unit_commands(dir, false);
	cr_assert_eq(stat(file, &st), 0);
	scrape = helper_env("SCRAPE_USER=prometheus", "scrape", dir);
	cr_assert(json_real_value(json_object_get(scrape, "scrape_error")) == 1.0 ||
			  (st.st_mode & 0004),
		  "a file the collector cannot read is a scrape error");
	json_decref(scrape);
	unlink(file);

	run_unit_commands(dir, true);
	cr_assert_eq(stat(file, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0644);
	{
		_cleanup_free_ char *tmp = sc_xasprintf("%s.tmp", file);
		cr_assert_neq(access(tmp, F_OK), 0, "the .tmp is renamed");
	}
	scrape = helper_env("SCRAPE_USER=prometheus", "scrape", dir);
	cr_assert(json_real_value(json_object_get(scrape, "scrape_error")) == 0.0);
	cr_assert_eq(json_array_size(json_object_get(scrape, "missing")), 0);
	cr_assert_eq(json_array_size(json_object_get(scrape, "log_errors")), 0);
	cr_assert_gt(jint(scrape, "served"), 1000);
	json_decref(scrape);
	rm_rf(dir);
}
