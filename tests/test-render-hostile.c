/* SPDX-License-Identifier: MIT */
/* The renderers on hand-built facts whose strings a hostile container
 * chose: terminal escapes, C1 controls, bytes that are not UTF-8, newlines
 * and tabs. Text shows them escaped and keeps its own colours; JSON keeps
 * every object, carries the \xNN escape and still matches the schema. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "render.h"
#include "sanitize.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

/* Every trap in one string: OSC title, clear screen, red, a C1 CSI
 * (U+009B in UTF-8), a raw CSI byte, a byte that is never UTF-8, a newline
 * that would start a fake line, a tab. */
#define EVIL                                                       \
	"\033]0;title\007\033[2J\033[31mall checks passed\xc2\x9b" \
	"2J\x9b"                                                   \
	"1m\xff\nFAKE: ok\tend"
#define EVIL_SHOWN                                                                     \
	"\\x1b]0;title\\x07\\x1b[2J\\x1b[31mall checks passed\\xc2\\x9b2J\\x9b1m\\xff" \
	"\\nFAKE: ok\\tend"
#define UTF8 "é ✓ 日本語"

static void add_check(struct sc_report *r, const char *id, enum sc_status s, const char *text)
{
	struct sc_check *c = SC_APPEND(r->checks, r->n_checks);

	c->id = id;
	c->section = "container";
	sc_check_set(c, s, "summary %s", text);
	sc_check_evidence(c, text, "value %s", text);
	sc_check_remedy(c, "remedy %s", text);
}

static void cgroup_mount(struct sc_cgroup_facts *cg, const char *mountpoint)
{
	struct sc_cgroup_mount *m = SC_APPEND(cg->mounts, cg->n_mounts);

	cg->fs_root.path = "/sys/fs/cgroup";
	cg->fs_unified.path = "/sys/fs/cgroup/unified";
	cg->fs_systemd.path = "/sys/fs/cgroup/systemd";

	m->mountpoint = sc_xstrdup(mountpoint);
	m->root = sc_xstrdup("/");
	m->source = sc_xstrdup("cgroup2");
	m->version = 2;
	m->controllers = sc_xcalloc(1, sizeof(char *));
	m->options = sc_xstrdup("rw");
	m->super_options = sc_xstrdup("rw");
}

/* A `report` of a container whose every container-supplied string is s,
 * and a host whose PID 1 name is s too. */
static void report_init(struct sc_report *r, const char *s)
{
	struct sc_host_facts *h = sc_xcalloc(1, sizeof(*h));
	struct sc_container_facts *c = sc_xcalloc(1, sizeof(*c));
	struct sc_inside_facts *in = &c->inside;

	sc_report_init(r, "report");
	h->root_path = sc_xstrdup("/");
	h->live = true;
	h->kernel_release = sc_xstrdup("6.1.0");
	h->kernel_major = 6;
	h->kernel_minor = 1;
	h->max_user_namespaces = -1;
	h->pid1_name = sc_xstrdup(s);
	h->init_system = sc_xstrdup("systemd");
	h->container = sc_xstrdup("none");
	h->container_evidence = sc_xstrdup(s);
	h->lxcfs_mountpoints = sc_xcalloc(1, sizeof(char *));
	h->cgroup.mode = SC_CG_UNIFIED;
	h->cgroup.v2_path = sc_xstrdup("/sys/fs/cgroup");
	cgroup_mount(&h->cgroup, "/sys/fs/cgroup");
	r->host = h;

	c->ref.runtime = SC_RT_RUNC;
	c->ref.id = sc_xstrdup("evil");
	c->ref.name = sc_xstrdup(s);
	c->proc.pid = 4242;
	c->proc.comm = sc_xstrdup(s);
	c->proc.cmdline = sc_xstrdup(s);
	c->proc.seccomp = -1;
	c->proc.no_new_privs = -1;
	c->proc.container_env = sc_xstrdup(s);
	c->proc.environ_readable = true;
	c->inside_ok = true;
	in->cgroup.mode = SC_CG_UNIFIED;
	cgroup_mount(&in->cgroup, s);
	in->fs_run = sc_xstrdup("tmpfs");
	in->lxcfs_mountpoints = sc_xcalloc(1, sizeof(char *));
	in->os_pretty_name = sc_xstrdup(s);
	in->os_id = sc_xstrdup(s);
	in->os_version_id = sc_xstrdup(s);
	in->pid1_comm = sc_xstrdup(s);
	in->systemd.init_chain = sc_strv_split("/sbin/init", " ");
	sc_strv_push(&in->systemd.init_chain, s);
	in->systemd.init_error = ENOENT;
	in->systemd.v.major = in->systemd.v.minor = -1;
	r->container = c;

	/* The boot verdict quotes facts in its evidence and remedies. */
	r->boot = sc_xcalloc(1, sizeof(*r->boot));
	r->boot->verdict = SC_BOOT_DEGRADED;
	r->boot->cgroup_mode = sc_xstrdup("unified");
	r->boot->systemd_version = sc_xstrdup(s);
	r->boot->failing_units = sc_strv_split("a.service", " ");
	sc_strv_push(&r->boot->failing_units, s);
	{
		struct sc_boot_hit *hit = SC_APPEND(r->boot->hits, r->boot->n_hits);

		hit->id = "evil-rule";
		hit->effect = SC_BOOT_DEGRADED;
		hit->message = sc_xstrdup(s);
		hit->remedy = sc_xstrdup(s);
		hit->evidence = sc_xcalloc(1, sizeof(char *));
		sc_strv_push(&hit->evidence, s);
		hit->units = sc_xcalloc(1, sizeof(char *));
	}
	r->boot_env = sc_xcalloc(1, sizeof(*r->boot_env));
	r->boot_env->source = "container";
	r->boot_env->pid1_cgroup = sc_xstrdup(s);
	r->boot_env->fs_run = sc_xstrdup(s);
	r->boot_env->dev_console = SC_UNKNOWN;
	r->boot_env->running = SC_NO;

	r->limits = sc_xcalloc(1, sizeof(*r->limits));
	r->limits->target = sc_xstrdup(s);
	r->limits->inside_error = sc_xstrdup(s);
	r->limits->root_known = true;
	r->limits->root_fstype = sc_xstrdup(s);
	r->limits->root_source = sc_xstrdup(s);

	add_check(r, "container.evil", SC_FAIL, s);
	add_check(r, "container.fine", SC_PASS, s);
}

static char *render_text_opts(const struct sc_report *r, bool color, bool unicode)
{
	/* Wide enough that no line wraps: these tests look for whole lines
	 * (tests/test-width.c is the one about the width). */
	struct sc_text_opts o = {
		.color = color, .unicode = unicode, .verbose = true, .width = 4096
	};
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	cr_assert_eq(sc_render_text(r, &o, f), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(strlen(buf), n, "a NUL in the text output");
	return buf;
}

static char *render_text(const struct sc_report *r, bool color)
{
	return render_text_opts(r, color, true);
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned k = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		k++;
	return k;
}

/* What colour on may print: the renderer's own SGR codes, nothing else. */
static const char *const own_codes[] = { "\033[0m",  "\033[1m",	 "\033[2m",    "\033[32m",
					 "\033[34m", "\033[33m", "\033[31;1m", "\033[35;1m" };

static void assert_no_raw_controls(const char *out, bool color)
{
	for (const char *p = out; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool own = false;

		if (c == '\033' && color)
			for (size_t i = 0; i < ELEMENTSOF(own_codes); i++)
				if (startswith(p, own_codes[i]))
					own = true;
		cr_assert(own || c == '\n' || (c >= 0x20 && c != 0x7f),
			  "raw byte 0x%02x at offset %zu: \"%.30s\"", c, (size_t)(p - out), p);
	}
	/* C1 controls, raw or encoded, and invalid bytes: none. */
	cr_assert_null(strstr(out, "\xc2\x9b"));
	cr_assert_null(strchr(out, '\x9b'));
	cr_assert_null(strchr(out, '\xff'));
	/* The model's newline started no line of its own. */
	cr_assert_null(strstr(out, "\nFAKE"), "a container string began a line");
}

Test(render_hostile, text_escapes_every_model_string)
{
	struct sc_report r;
	_cleanup_free_ char *out = NULL;

	report_init(&r, EVIL);
	out = render_text(&r, false);
	assert_no_raw_controls(out, false);
	/* Shown, escaped: PID 1 (host and container), argv, the container's
	 * name, container=, os-release, a mount point, the init chain, the
	 * check's summary, evidence and remedy. */
	cr_assert_geq(count(out, EVIL_SHOWN), 27, "%u times in:\n%s", count(out, EVIL_SHOWN), out);
	cr_assert(strstr(out, "summary " EVIL_SHOWN), "%s", out);
	cr_assert(strstr(out, EVIL_SHOWN ": value " EVIL_SHOWN), "%s", out);
	cr_assert(strstr(out, "remedy " EVIL_SHOWN), "%s", out);
	cr_assert(strstr(out, "os-release         " EVIL_SHOWN "\n"), "%s", out);
	cr_assert(strstr(out, "PID 1 runs         " EVIL_SHOWN "\n"), "%s", out);
	/* The limits and boot sections (render-limits.c, render-boot.c). */
	cr_assert(strstr(out, "container          " EVIL_SHOWN ", PID 0\n"), "%s", out);
	cr_assert(strstr(out, "systemd says: " EVIL_SHOWN "\n"), "%s", out);
	cr_assert(strstr(out, "failing units      a.service, " EVIL_SHOWN "\n"), "%s", out);
	sc_report_done(&r);
}

Test(render_hostile, text_colour_codes_still_work)
{
	struct sc_report r;
	_cleanup_free_ char *out = NULL;

	report_init(&r, EVIL);
	out = render_text(&r, true);
	assert_no_raw_controls(out, true);
	cr_assert(strstr(out, "\033[1msysctr-check"), "bold title missing");
	cr_assert(strstr(out, "\033[1mContainer\033[0m\n"), "bold heading missing");
	cr_assert(strstr(out, "  \033[31;1m✖\033[0m container.evil"), "fail colour missing");
	cr_assert(strstr(out, "\033[2m" EVIL_SHOWN ": value " EVIL_SHOWN "\033[0m\n"),
		  "dim evidence missing");
	cr_assert(strstr(out, EVIL_SHOWN));
	sc_report_done(&r);
}

Test(render_hostile, text_passes_valid_utf8_unchanged)
{
	struct sc_report r;
	_cleanup_free_ char *out = NULL;

	report_init(&r, UTF8);
	out = render_text(&r, false);
	assert_no_raw_controls(out, false);
	cr_assert_geq(count(out, UTF8), 27, "%s", out);
	cr_assert(strstr(out, "PID 1 runs         " UTF8 "\n"), "%s", out);
	cr_assert_null(strstr(out, "\\x"), "%s", out);
	sc_report_done(&r);
}

/* A terminal that is not UTF-8 (or --ascii): the tool's own output is
 * ASCII, and so is the model's, or a Latin-1 terminal would read the 0x9b
 * in U+201B's bytes (e2 80 9b) as a CSI. */
Test(render_hostile, text_ascii_terminal_gets_only_ascii)
{
	struct sc_report r;
	_cleanup_free_ char *out = NULL;

	report_init(&r, "caf\xc3\xa9 \xe2\x80\x9b" EVIL);
	out = render_text_opts(&r, false, false);
	assert_no_raw_controls(out, false);
	for (const char *p = out; *p; p++)
		cr_assert_lt((unsigned char)*p, 0x80, "byte 0x%02x at \"%.20s\"", (unsigned char)*p,
			     p);
	cr_assert(strstr(out, "PID 1 runs         caf\\xc3\\xa9 \\xe2\\x80\\x9b" EVIL_SHOWN "\n"),
		  "%s", out);
	sc_report_done(&r);
}

/* `list`: the table of containers, PID 1's argv in its last column. */
Test(render_hostile, text_list_escapes_argv)
{
	struct sc_report r;
	struct sc_listed *l;
	_cleanup_free_ char *out = NULL;

	sc_report_init(&r, "list");
	r.has_list = true;
	l = SC_APPEND(r.listed, r.n_listed);
	l->pid = 77;
	l->running = true;
	l->ref.runtime = SC_RT_RUNC;
	l->ref.id = sc_xstrdup("0123456789abcdef");
	l->ref.name = sc_xstrdup(EVIL);
	l->cgroup = sc_xstrdup(EVIL);
	l->cmdline = sc_xstrdup(EVIL);
	for (int t = 0; t < _SC_NS_MAX; t++)
		l->private_ns[t] = -1;
	out = render_text(&r, true);
	assert_no_raw_controls(out, true);
	cr_assert_eq(count(out, EVIL_SHOWN), 3, "%s", out);
	cr_assert(strstr(out, EVIL_SHOWN "\n\n1 container\n"), "%s", out);
	sc_report_done(&r);
}

/* The escaping FILE gets its bytes wherever glibc's buffer fills: a UTF-8
 * sequence split between two writes must come out as from one string. */
Test(render_hostile, escaped_file_equals_escape_whatever_the_chunks)
{
	unsigned seed = 12;

	for (int round = 0; round < 200; round++) {
		char in[600];
		size_t n = 1 + (size_t)rand_r(&seed) % (sizeof(in) - 1);
		_cleanup_free_ char *want = NULL, *buf = NULL;
		struct sc_escaped_file e;
		size_t len = 0;
		FILE *raw = open_memstream(&buf, &len);

		/* Mostly valid text with traps, so sequences do get split. */
		for (size_t i = 0; i < n; i++) {
			static const char *const pieces[] = {
				"é",	"✓", "日",	 "\xf0\x9f\x98\x80", "\xc2\x9b", "\xff",
				"\033", "a", "\xe2\x9c", "\xf0\x9f",	     "\n"
			};
			const char *p = pieces[rand_r(&seed) % ELEMENTSOF(pieces)];
			size_t l = strlen(p);

			if (i + l >= sizeof(in))
				break;
			memcpy(in + i, p, l);
			n = i + l;
			i += l - 1;
		}
		in[n] = '\0';
		want = sc_text_escape(in, 0);
		cr_assert_eq(sc_escaped_open(&e, raw, 0), 0);
		for (size_t i = 0; i < n;) {
			size_t k = 1 + (size_t)rand_r(&seed) % 7;

			if (k > n - i)
				k = n - i;
			fwrite(in + i, 1, k, e.f);
			fflush(e.f); /* each chunk is one write of the cookie */
			i += k;
		}
		cr_assert_eq(sc_escaped_close(&e), 0);
		fclose(raw);
		cr_assert_str_eq(buf, want, "round %d", round);
	}
}

/* sc_utf8_valid() must agree with jansson, or sc_json_string() could
 * still hand it a string it refuses. */
Test(render_hostile, utf8_validity_agrees_with_jansson)
{
	unsigned seed = 1;

	for (int round = 0; round < 20000; round++) {
		unsigned char s[4];
		size_t n = 1 + (size_t)rand_r(&seed) % 4;
		json_t *j;

		for (size_t i = 0; i < n; i++)
			s[i] = (unsigned char)(i == 0 ? 0x80 + rand_r(&seed) % 0x80
						      : 0x70 + rand_r(&seed) % 0x60);
		j = json_stringn((const char *)s, n);
		cr_assert_eq(sc_utf8_valid((const char *)s, n), j != NULL,
			     "%02x %02x %02x %02x (%zu)", s[0], n > 1 ? s[1] : 0, n > 2 ? s[2] : 0,
			     n > 3 ? s[3] : 0, n);
		json_decref(j);
		j = sc_json_stringn((const char *)s, n);
		cr_assert(json_is_string(j));
		json_decref(j);
	}
}

static json_t *render_json(const struct sc_report *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	json_error_t err;
	json_t *doc;

	cr_assert_not_null(f);
	cr_assert_eq(sc_render_json(r, f), 0);
	cr_assert_eq(fclose(f), 0);
	doc = json_loads(buf, 0, &err);
	cr_assert_not_null(doc, "invalid JSON: %s:\n%s", err.text, buf);
	free(buf);
	return doc;
}

static const char *jstr(json_t *doc, const char *path)
{
	json_t *v = doc;
	_cleanup_strv_free_ char **parts = sc_strv_split(path, ".");

	for (char **p = parts; v && *p; p++)
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(*p)) : json_object_get(v, *p);
	cr_assert(json_is_string(v), "%s is not a string", path);
	return json_string_value(v);
}

/* The test's name names the document in a failure. */
#define assert_schema_valid(doc) schema_assert_valid(__func__, doc)

Test(render_hostile, json_keeps_every_object_of_latin1_and_garbage)
{
	struct sc_report r;
	struct sc_container_facts *c;
	json_t *doc;

	report_init(&r, "caf\xe9");
	c = r.container;
	free(c->proc.comm);
	c->proc.comm = sc_xstrdup("\xff\xfeinit");
	free(c->inside.os_pretty_name);
	c->inside.os_pretty_name = sc_xstrdup("D\xe9"
					      "bian \xe9t\xe9");
	free(c->inside.pid1_comm);
	c->inside.pid1_comm = sc_xstrdup("\xff\xfeinit");
	doc = render_json(&r);

	cr_assert_not_null(json_object_get(doc, "host"), "the host was dropped");
	cr_assert_not_null(json_object_get(doc, "container"), "the container was dropped");
	cr_assert_str_eq(jstr(doc, "container.outside.comm"), "\\xff\\xfeinit");
	cr_assert_str_eq(jstr(doc, "container.inside.pid1_comm"), "\\xff\\xfeinit");
	cr_assert_str_eq(jstr(doc, "container.inside.os_release.pretty_name"),
			 "D\\xe9bian \\xe9t\\xe9");
	cr_assert_str_eq(jstr(doc, "container.inside.os_release.id"), "caf\\xe9");
	cr_assert_str_eq(jstr(doc, "container.inside.cgroup.mounts.0.mountpoint"), "caf\\xe9");
	cr_assert_str_eq(jstr(doc, "container.target.name"), "caf\\xe9");
	cr_assert_str_eq(jstr(doc, "host.init.pid1_name"), "caf\\xe9");
	cr_assert_str_eq(jstr(doc, "checks.0.summary"), "summary caf\\xe9");
	cr_assert_str_eq(jstr(doc, "checks.0.evidence.0.what"), "caf\\xe9");
	assert_schema_valid(doc);
	json_decref(doc);
	sc_report_done(&r);
}

/* Valid UTF-8 and controls: unchanged in JSON (JSON escapes controls). */
Test(render_hostile, json_keeps_valid_utf8_and_controls)
{
	struct sc_report r;
	json_t *doc;

	report_init(&r, UTF8 " \033[2J\n");
	doc = render_json(&r);
	cr_assert_str_eq(jstr(doc, "container.outside.cmdline"), UTF8 " \033[2J\n");
	assert_schema_valid(doc);
	json_decref(doc);
	sc_report_done(&r);
}

static void *json_many_times(void *r)
{
	/* Many times: LSan may find one lost block still pointed to from a
	 * dead stack slot, never fifty. */
	for (int i = 0; i < 50; i++)
		json_decref(sc_report_to_json(r));
	return NULL;
}

Test(render_hostile, json_failed_inside_error_not_utf8)
{
	struct sc_report r;
	json_t *doc;

	report_init(&r, "x");
	sc_inside_facts_done(&r.container->inside);
	memset(&r.container->inside, 0, sizeof(r.container->inside));
	r.container->inside_ok = false;
	r.container->inside_error = sc_xstrdup("cannot enter \xff\xfeinit");
	doc = render_json(&r);
	cr_assert_str_eq(jstr(doc, "container.inside.error"), "cannot enter \\xff\\xfeinit");
	assert_schema_valid(doc);
	json_decref(doc);
	sc_report_done(&r);
}

/* Criterion's workers end with _exit(), so LSan's check at exit never
 * runs in a test: a test that means to catch a leak asks for the check.
 * And tests/lsan.supp suppresses every leak whose stack passes through
 * libcriterion.so, which is every allocation a test makes on its own
 * thread: the renderer runs on a thread of its own, whose stack starts
 * outside Criterion. */
static void json_many_times_off_criterion(const struct sc_report *r)
{
	pthread_t t;

	cr_assert_eq(pthread_create(&t, NULL, json_many_times, (void *)r), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
#if defined(__SANITIZE_ADDRESS__)
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "leaks (report above)");
#endif
}

/* The inside view failed: every branch of the container's JSON that
 * returns early (no inside, no cgroup2 cgroup) must free what it built
 * (LSan, make check SANITIZE=1). */
Test(render_hostile, json_of_a_failed_inside_view)
{
	struct sc_report r;
	json_t *doc;

	report_init(&r, "x");
	sc_inside_facts_done(&r.container->inside);
	memset(&r.container->inside, 0, sizeof(r.container->inside));
	r.container->inside_ok = false;
	r.container->inside_error = sc_xstrdup("timed out reading /proc/meminfo");
	json_many_times_off_criterion(&r);
	doc = render_json(&r);
	cr_assert(json_is_false(json_object_get(
		json_object_get(json_object_get(doc, "container"), "inside"), "ok")));
	cr_assert_str_eq(jstr(doc, "container.inside.error"), "timed out reading /proc/meminfo");
	cr_assert(json_is_null(json_object_get(json_object_get(doc, "container"), "cgroup2")));
	assert_schema_valid(doc);
	json_decref(doc);
	sc_report_done(&r);
}

/* The display column (code points, the renderer's width rule) at which
 * needle starts after marker, on the line of out where marker is. */
static size_t column_of(const char *out, const char *marker, const char *needle)
{
	const char *m = strstr(out, marker), *l, *hit;
	size_t col = 0;

	cr_assert_not_null(m, "no \"%s\" in:\n%s", marker, out);
	for (l = m; l > out && l[-1] != '\n'; l--)
		;
	hit = strstr(m, needle);
	cr_assert(hit && !memchr(m, '\n', (size_t)(hit - m)), "no \"%s\" after \"%s\" in:\n%s",
		  needle, marker, out);
	for (const char *p = l; p < hit; p++)
		col += ((unsigned char)*p & 0xc0) != 0x80;
	return col;
}

/* Columns padded to a width are padded by what the terminal shows (an
 * escape is four columns, "é" one), not by bytes: a model string padded
 * by printf's %-Ns would push the rest of its line out of its column. */
Test(render_hostile, text_columns_align_with_escaped_strings)
{
	static const char *const tail[] = { "abcd", "\033", "\xc3\xa9" };
	static const char *const shown[] = { "abcd", "\\x1b", "\xc3\xa9" };
	struct sc_report r;
	struct sc_container_facts *c;
	_cleanup_free_ char *out = NULL;

	report_init(&r, "x");
	c = r.container;
	c->cg2_path = sc_xstrdup("/x");
	c->cg2_host_dir = sc_xstrdup("/sys/fs/cgroup/x");
	for (size_t i = 0; i < ELEMENTSOF(tail); i++) {
		struct sc_cgroup_ancestor *a = SC_APPEND(c->chain, c->n_chain);
		struct sc_controller *ctl =
			SC_APPEND(r.host->cgroup.controllers, r.host->cgroup.n_controllers);
		_cleanup_free_ char *m = sc_xasprintf("/mnt-%s", tail[i]);

		a->path = sc_xasprintf("/chain-%s", tail[i]);
		a->subtree_control = sc_strv_split("cpu", " ");
		cgroup_mount(&c->inside.cgroup, m);
		ctl->name = sc_xasprintf("ctl-%s", tail[i]);
		ctl->where = SC_CTRL_V2;
	}
	out = render_text(&r, false);

	for (size_t i = 1; i < ELEMENTSOF(tail); i++) {
		_cleanup_free_ char *chain = sc_xasprintf("/chain-%s", shown[i]);
		_cleanup_free_ char *mnt = sc_xasprintf("/mnt-%s", shown[i]);
		_cleanup_free_ char *ctl = sc_xasprintf("ctl-%s", shown[i]);

		/* The delegation chain's subtree_control column. */
		cr_assert_eq(column_of(out, chain, " cpu"), column_of(out, "/chain-abcd", " cpu"),
			     "%s", out);
		/* The type column of the inside cgroup mounts. */
		cr_assert_eq(column_of(out, mnt, " cgroup2"),
			     column_of(out, "/mnt-abcd", " cgroup2"), "%s", out);
		/* The WHERE column of the host's controllers. */
		cr_assert_eq(column_of(out, ctl, " v2"), column_of(out, "ctl-abcd", " v2"), "%s",
			     out);
	}
	sc_report_done(&r);
}

/* Terminals give CJK and most emoji two columns and combining marks none:
 * sc_text_width() says so, or a CJK container name in `list` pushes every
 * later column right. */
Test(render_hostile, text_width_of_wide_and_combining)
{
	cr_assert_eq(sc_text_width("abc", 0), 3);
	cr_assert_eq(sc_text_width("\xc3\xa9", 0), 1);		       /* é */
	cr_assert_eq(sc_text_width("e\xcc\x81", 0), 1);		       /* e + U+0301 */
	cr_assert_eq(sc_text_width("\xe2\x9c\x93", 0), 1);	       /* ✓ */
	cr_assert_eq(sc_text_width("\xe6\x97\xa5\xe6\x9c\xac", 0), 4); /* 日本 */
	cr_assert_eq(sc_text_width("\xea\xb0\x80", 0), 2);	       /* 가 */
	cr_assert_eq(sc_text_width("\xef\xbc\xa1", 0), 2);	       /* Ａ fullwidth */
	cr_assert_eq(sc_text_width("\xf0\x9f\x98\x80", 0), 2);	       /* 😀 */
	cr_assert_eq(sc_text_width("\033", 0), 4);		       /* \x1b */
	cr_assert_eq(sc_text_width("\xc2\x9b", 0), 8);		       /* \xc2\x9b */
	/* Escaped for an ASCII terminal: each byte is four columns. */
	cr_assert_eq(sc_text_width("\xe6\x97\xa5", SC_ESCAPE_ASCII), 12);
	cr_assert_eq(sc_text_width("e\xcc\x81", SC_ESCAPE_ASCII), 9);
}

Test(render_hostile, text_list_aligns_cjk)
{
	struct sc_report r;
	_cleanup_free_ char *out = NULL;
	static const char *const names[] = { "abcd", "\xe6\x97\xa5\xe6\x9c\xac" };

	sc_report_init(&r, "list");
	r.has_list = true;
	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		struct sc_listed *l = SC_APPEND(r.listed, r.n_listed);

		l->pid = 77;
		l->running = true;
		l->ref.runtime = SC_RT_RUNC;
		l->ref.id = sc_xstrdup(names[i]);
		l->cgroup = sc_xstrdup("/c");
		l->cmdline = sc_xstrdup("init");
		for (int t = 0; t < _SC_NS_MAX; t++)
			l->private_ns[t] = -1;
	}
	out = render_text(&r, false);
	/* Display columns: the CJK name's code points count twice. */
	{
		const char *a = strstr(out, "abcd"), *b = strstr(out, names[1]);
		const char *ca, *cb;
		size_t wa = 0, wb = 0;

		cr_assert(a && b, "%s", out);
		ca = strstr(a, "/c");
		cb = strstr(b, "/c");
		cr_assert(ca && cb, "%s", out);
		for (const char *p = a; p < ca; p++)
			wa += ((unsigned char)*p & 0xc0) != 0x80;
		for (const char *p = b; p < cb; p++)
			wb += ((unsigned char)*p & 0xc0) != 0x80;
		/* "日本" is two code points but four columns. */
		cr_assert_eq(wa, wb + 2, "%s", out);
	}
	sc_report_done(&r);
}
