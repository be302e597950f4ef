/* SPDX-License-Identifier: MIT */
/* boot --fix: the search over the boot rules on hand-built environments
 * (the sets are minimal, ordered by what they grant, said in each
 * runtime's terms; a host-side cause is named), the JSON Patch (RFC 6902)
 * applier, and `boot --fix --bundle --apply-to` on real bundles: the
 * patched copy is the patch applied, `boot --bundle` predicts boots for
 * it, and hostile bundles and output paths are refused or survived. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "checks.h"
#include "jsonpatch.h"
#include "proc.h"
#include "testlib.h"
#include "testschema.h"
#include "util.h"

#define CAP(n) (1ULL << (n))
static const uint64_t docker_caps = CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) |
				    CAP(8) | CAP(10) | CAP(13) | CAP(18) | CAP(27) | CAP(29) |
				    CAP(31);

/* This hybrid host: a tmpfs on /sys/fs/cgroup, name=systemd mounted. */
static struct sc_cgroup_mount name_systemd = { .mountpoint = (char *)"/sys/fs/cgroup/systemd",
					       .root = (char *)"/",
					       .version = 1,
					       .name = (char *)"systemd" };

static void host_init(struct sc_host_facts *h, enum sc_cgroup_mode mode)
{
	*h = (struct sc_host_facts){};
	h->cgroup.mode = mode;
	h->cgroup.fs_root.magic = mode == SC_CG_UNIFIED ? SC_CGROUP2_SUPER_MAGIC : SC_TMPFS_MAGIC;
	if (mode != SC_CG_UNIFIED) {
		h->cgroup.mounts = &name_systemd;
		h->cgroup.n_mounts = 1;
	}
}

/* A container that boots: cgroup2 read-write in a private cgroupns,
 * tmpfs on /run and /run/lock, Docker's caps and CAP_SYS_ADMIN. */
static void env_init(struct sc_boot_env *e, const char *runtime, const char *version)
{
	*e = (struct sc_boot_env){ .source = "bundle", .runtime = runtime };
	e->host_mode = SC_CG_HYBRID;
	e->kernel_major = 6;
	e->kernel_minor = 1;
	e->cgfs = SC_BOOT_CGFS_CGROUP2;
	e->cgroupns = true;
	e->caps = docker_caps | CAP(SC_CAP_SYS_ADMIN);
	e->container_env = true;
	e->container_env_value = sc_xstrdup("docker");
	e->fs_run = sc_xstrdup("tmpfs");
	e->fs_run_lock = sc_xstrdup("tmpfs");
	e->sys_ro = true;
	e->pid1_cgroup = sc_xstrdup("/");
	e->cgroup_nested = SC_YES;
	e->dockerenv = e->containerenv = SC_NO;
	e->systemd_image_known = true;
	e->systemd.found = true;
	e->systemd.version = sc_xstrdup(version);
	cr_assert_eq(sc_systemd_version_parse(version, &e->systemd.v), 0);
	e->systemd.units = sc_strv_split("dbus.service systemd-journald.service "
					 "systemd-journal-flush.service systemd-logind.service "
					 "systemd-journald.socket systemd-journald-dev-log.socket",
					 " ");
}

/* What plain `docker run` gives on this hybrid host: Docker's read-only
 * v1 binds in the host cgroupns, no /run tmpfs, Docker's caps. */
static void docker_default(struct sc_boot_env *e, const char *version)
{
	env_init(e, "docker", version);
	e->cgfs = SC_BOOT_CGFS_TMPFS;
	e->cgfs_ro = e->hier_ro = true;
	e->has_name_systemd = true;
	e->cgroupns = false;
	free(e->pid1_cgroup);
	e->pid1_cgroup = sc_xstrdup("/docker/0123456789ab");
	e->caps = docker_caps;
	free(e->fs_run);
	free(e->fs_run_lock);
	e->fs_run = e->fs_run_lock = NULL;
	e->container_env = false;
	e->dockerenv = SC_YES;
}

static void search(const struct sc_host_facts *h, const struct sc_boot_env *e, struct sc_fix *f)
{
	struct sc_boot_result r;

	sc_boot_evaluate(e, &r);
	sc_fix_search(h, e, &r, NULL, NULL, f);
	sc_boot_result_done(&r);
}

static bool has_id(const struct sc_fix_change *c, const char *id)
{
	return sc_strv_contains(c->ids, id);
}

static ssize_t index_of(const struct sc_fix *f, const char *id)
{
	for (size_t i = 0; i < f->n_changes; i++)
		if (sc_strv_length(f->changes[i].ids) == 1 && has_id(&f->changes[i], id))
			return (ssize_t)i;
	return -1;
}

/* No reported set contains another that grants as little, the order
 * never grants more first, and every set is expected to boot. */
static void assert_minimal_and_ordered(const struct sc_fix *f)
{
	for (size_t i = 0; i < f->n_changes; i++) {
		const struct sc_fix_change *a = &f->changes[i];

		cr_expect_eq(a->expected_verdict, SC_BOOT_BOOTS, "set %zu", i);
		if (i > 0)
			cr_expect_geq(a->rank, f->changes[i - 1].rank, "set %zu grants less", i);
		for (size_t j = 0; j < f->n_changes; j++) {
			const struct sc_fix_change *b = &f->changes[j];
			bool subset = i != j && b->rank <= a->rank;

			for (char **id = b->ids; subset && id && *id; id++)
				subset = has_id(a, *id);
			cr_expect(!subset, "set %zu contains set %zu, which grants no more", i, j);
		}
	}
}

Test(fix_search, one_tmpfs_before_a_capability)
{
	struct sc_host_facts h;
	struct sc_boot_env e;
	struct sc_fix f;

	host_init(&h, SC_CG_HYBRID);
	env_init(&e, "runc", "252.39");
	e.caps = docker_caps; /* no CAP_SYS_ADMIN: systemd cannot mount /run */
	free(e.fs_run);
	e.fs_run = NULL;
	search(&h, &e, &f);
	cr_assert_eq(f.from, SC_BOOT_FAILS);
	cr_assert_geq(f.n_changes, 2);
	cr_expect_not(f.host_side);
	/* The tmpfs alone, and CAP_SYS_ADMIN alone, both boot; the tmpfs
	 * grants nothing and comes first. */
	cr_expect_eq(sc_strv_length(f.changes[0].ids), 1);
	cr_expect_str_eq(f.changes[0].ids[0], "run-tmpfs");
	cr_expect_str_eq(f.changes[0].runtime, "oci");
	cr_expect_str_eq(f.changes[0].add[0], "a tmpfs mount on /run");
	cr_expect_eq(f.changes[0].rank, 0);
	cr_expect_gt(index_of(&f, "cap-sys-admin"), 0);
	cr_expect_str_eq(f.changes[index_of(&f, "cap-sys-admin")].grants[0], "CAP_SYS_ADMIN");
	assert_minimal_and_ordered(&f);
	sc_fix_done(&f);

	/* The same in Docker's words. */
	e.runtime = "docker";
	search(&h, &e, &f);
	cr_expect_str_eq(f.changes[0].runtime, "docker");
	cr_expect_str_eq(f.changes[0].add[0], "--tmpfs /run");
	cr_expect_str_eq(f.changes[index_of(&f, "cap-sys-admin")].add[0], "--cap-add SYS_ADMIN");
	sc_fix_done(&f);
	sc_boot_env_done(&e);
}

Test(fix_search, plain_docker_run_on_this_host)
{
	struct sc_host_facts h;
	struct sc_boot_env e;
	struct sc_fix f;

	host_init(&h, SC_CG_HYBRID);
	docker_default(&e, "252.39");
	search(&h, &e, &f);
	cr_assert_gt(f.n_changes, 0, "%s", f.why);
	cr_expect_not(f.host_side);
	assert_minimal_and_ordered(&f);
	/* Docker cannot make its own cgroup mount writable: the smallest
	 * set that boots needs /run and more (CAP_SYS_ADMIN, or the host's
	 * tree), never a change Docker has no flag for. */
	for (size_t i = 0; i < f.n_changes; i++) {
		cr_expect_not(has_id(&f.changes[i], "cgroup-writable"));
		cr_expect_not(has_id(&f.changes[i], "cgroup2-private"));
		cr_expect_str_eq(f.changes[i].runtime, "docker");
		cr_expect_null(f.changes[i].patch);
	}
	cr_expect(sc_strv_contains(f.changes[0].add, "--tmpfs /run") ||
			  sc_strv_contains(f.changes[0].add, "--cap-add SYS_ADMIN"),
		  "first: %s", f.changes[0].ids[0]);
	sc_fix_done(&f);
	sc_boot_env_done(&e);
}

Test(fix_search, sys_admin_before_privileged)
{
	struct sc_host_facts h;
	struct sc_boot_env e;
	struct sc_fix f;
	ssize_t adm, priv;

	host_init(&h, SC_CG_UNIFIED);
	env_init(&e, "docker", "257.13");
	e.host_mode = SC_CG_UNIFIED;
	e.caps = docker_caps;
	e.cgfs = SC_BOOT_CGFS_NONE; /* nothing: systemd must mount it */
	search(&h, &e, &f);
	adm = index_of(&f, "cap-sys-admin");
	priv = index_of(&f, "privileged");
	cr_assert_geq(adm, 0, "%s", f.why);
	cr_expect(priv < 0 || adm < priv, "CAP_SYS_ADMIN %zd, --privileged %zd", adm, priv);
	assert_minimal_and_ordered(&f);
	sc_fix_done(&f);
	sc_boot_env_done(&e);
}

/* runc bookworm/all-v1ro-h: 252 cannot pin its compat cgroup in a
 * read-only name=systemd that does not show it. */
Test(fix_search, private_cgroupns_before_the_host_tree)
{
	struct sc_host_facts h;
	struct sc_boot_env e;
	struct sc_fix f;
	ssize_t ns, tree;

	host_init(&h, SC_CG_HYBRID);
	env_init(&e, "runc", "252.39");
	e.cgfs = SC_BOOT_CGFS_TMPFS;
	e.cgfs_ro = e.hier_ro = true;
	e.has_name_systemd = true;
	e.cgroupns = false;
	e.name_systemd_visible = false;
	free(e.pid1_cgroup);
	e.pid1_cgroup = sc_xstrdup("/sc-e2e-x");
	search(&h, &e, &f);
	cr_assert_gt(f.n_changes, 0, "%s", f.why);
	ns = index_of(&f, "cgroupns-private");
	tree = index_of(&f, "host-cgroup-tree-ro");
	cr_expect_eq(ns, 0, "first is %s", f.changes[0].ids[0]);
	cr_expect_str_eq(f.changes[0].grants[0], "nothing (a private cgroup namespace)");
	cr_expect(tree < 0 || ns < tree);
	assert_minimal_and_ordered(&f);
	sc_fix_done(&f);
	sc_boot_env_done(&e);
}

/* systemd >= 258 refuses every tmpfs layout, and Docker on a v1/hybrid
 * host gives nothing else: a host-side cause. runc can mount cgroup2
 * itself on the same host: not one. */
Test(fix_search, host_side_cause)
{
	struct sc_host_facts h;
	struct sc_boot_env e;
	struct sc_fix f;

	host_init(&h, SC_CG_HYBRID);
	docker_default(&e, "262.1");
	search(&h, &e, &f);
	cr_assert_gt(f.n_changes, 0, "%s", f.why);
	cr_expect(f.host_side);
	cr_expect(strstr(f.why, "host-side"), "%s", f.why);
	for (size_t i = 0; i < f.n_changes; i++) {
		cr_expect(has_id(&f.changes[i], "host-cgroup-v2"));
		cr_assert_eq(sc_strv_length(f.changes[i].host), 1);
		cr_expect(strstr(f.changes[i].host[0], "cgroup v2"), "%s", f.changes[i].host[0]);
		cr_expect_eq(f.changes[i].expected_verdict, SC_BOOT_BOOTS);
	}
	sc_fix_done(&f);

	e.runtime = "runc";
	search(&h, &e, &f);
	cr_assert_gt(f.n_changes, 0, "%s", f.why);
	cr_expect_not(f.host_side);
	cr_expect_eq(sc_strv_length(f.changes[0].host), 0);
	cr_expect(has_id(&f.changes[0], "cgroup2-private"), "first: %s",
		  sc_strv_join(f.changes[0].ids, ","));
	sc_fix_done(&f);
	sc_boot_env_done(&e);
}

Test(fix_search, nothing_to_fix)
{
	struct sc_host_facts h;
	struct sc_boot_env e;
	struct sc_fix f;

	host_init(&h, SC_CG_HYBRID);
	env_init(&e, "runc", "257.13");
	search(&h, &e, &f);
	cr_expect_eq(f.from, SC_BOOT_BOOTS);
	cr_expect_eq(f.n_changes, 0);
	cr_expect(strstr(f.why, "nothing to fix"), "%s", f.why);
	sc_fix_done(&f);
	sc_boot_env_done(&e);
}

/* ---- JSON Patch ------------------------------------------------------------------ */

static char *patched(const char *doc, const char *patch, int *ret)
{
	json_t *d = json_loads(doc, 0, NULL), *p = json_loads(patch, 0, NULL), *out = NULL;
	_cleanup_free_ char *err = NULL;
	char *s = NULL;

	cr_assert_not_null(d, "%s", doc);
	cr_assert_not_null(p, "%s", patch);
	*ret = sc_json_patch_apply(d, p, &out, &err);
	if (*ret == 0)
		s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	else
		cr_expect_not_null(err);
	/* The input is never changed. */
	{
		json_t *again = json_loads(doc, 0, NULL);
		cr_expect(json_equal(again, d), "the document changed");
		json_decref(again);
	}
	json_decref(d);
	json_decref(p);
	json_decref(out);
	return s;
}

#define PATCH_OK(doc, patch, want)                                           \
	do {                                                                 \
		int k_;                                                      \
		_cleanup_free_ char *got_ = patched(doc, patch, &k_);        \
		cr_expect_eq(k_, 0, "%s", patch);                            \
		cr_expect_str_eq(got_ ? got_ : "(null)", want, "%s", patch); \
	} while (0)
#define PATCH_ERR(doc, patch, err)                                    \
	do {                                                          \
		int k_;                                               \
		_cleanup_free_ char *got_ = patched(doc, patch, &k_); \
		cr_expect_eq(k_, err, "%s: %d", patch, k_);           \
		cr_expect_null(got_);                                 \
	} while (0)

/* RFC 6902 appendix A, and the corners. */
Test(json_patch, rfc6902_examples)
{
	PATCH_OK("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
		 "{\"baz\":\"qux\",\"foo\":\"bar\"}");
	PATCH_OK("{\"foo\":[\"bar\",\"baz\"]}",
		 "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
		 "{\"foo\":[\"bar\",\"qux\",\"baz\"]}");
	PATCH_OK("{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":1}]",
		 "{\"foo\":[\"bar\",1]}");
	PATCH_OK("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
		 "{\"foo\":\"bar\"}");
	PATCH_OK("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]",
		 "{\"foo\":[\"bar\",\"baz\"]}");
	PATCH_OK("{\"baz\":\"qux\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
		 "{\"baz\":\"boo\"}");
	PATCH_OK("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
		 "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
		 "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}");
	PATCH_OK("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}",
		 "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
		 "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}");
	PATCH_OK("{\"a\":{\"b\":1}}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"}]",
		 "{\"a\":{\"b\":1},\"c\":{\"b\":1}}");
	PATCH_OK("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
		 "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},"
		 "{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
		 "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}");
	/* ~1 is "/", ~0 is "~" (RFC 6901). */
	PATCH_OK("{\"a/b\":1,\"m~n\":2}",
		 "[{\"op\":\"replace\",\"path\":\"/a~1b\",\"value\":3},"
		 "{\"op\":\"remove\",\"path\":\"/m~0n\"}]",
		 "{\"a/b\":3}");
	/* The whole document. */
	PATCH_OK("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]", "[1]");

	PATCH_ERR("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
		  -ECANCELED);
	PATCH_ERR("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":1}]",
		  -ENOENT);
	PATCH_ERR("{\"foo\":[1]}", "[{\"op\":\"add\",\"path\":\"/foo/2\",\"value\":1}]", -ENOENT);
	PATCH_ERR("{\"foo\":[1]}", "[{\"op\":\"add\",\"path\":\"/foo/01\",\"value\":1}]", -EINVAL);
	PATCH_ERR("{\"foo\":1}", "[{\"op\":\"remove\",\"path\":\"/bar\"}]", -ENOENT);
	PATCH_ERR("{\"foo\":1}", "[{\"op\":\"replace\",\"path\":\"/bar\",\"value\":1}]", -ENOENT);
	PATCH_ERR("{\"foo\":1}", "[{\"op\":\"frobnicate\",\"path\":\"/foo\"}]", -EINVAL);
	PATCH_ERR("{\"foo\":1}", "[{\"op\":\"add\",\"path\":\"foo\",\"value\":1}]", -EINVAL);
	PATCH_ERR("{\"foo\":1}", "[{\"op\":\"add\",\"path\":\"/~2\",\"value\":1}]", -EINVAL);
	PATCH_ERR("{\"a\":{\"b\":1}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/c\"}]",
		  -EINVAL);
	PATCH_ERR("{\"foo\":1}", "{\"op\":\"add\"}", -EINVAL);
	/* An error part-way leaves nothing applied. */
	PATCH_ERR("{\"foo\":1}",
		  "[{\"op\":\"add\",\"path\":\"/x\",\"value\":1},{\"op\":\"remove\",\"path\":\"/"
		  "y\"}]",
		  -ENOENT);
}

/* ---- bundles --------------------------------------------------------------------- */

#define RUN(r, ...) run_tool(r, (const char *const[]){ __VA_ARGS__, NULL })

static char *bundle_copy(void)
{
	char *dir = make_tempdir();
	char *cmd = sc_xasprintf("cp %s/tests/fixtures/bundles/runc-spec/config.json %s/ && ln -s "
				 "%s/tests/fixtures/images/debian12 %s/rootfs",
				 SC_SRCDIR, dir, SC_SRCDIR, dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	return dir;
}

static json_t *load(const char *path)
{
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);

	cr_assert_not_null(j, "%s", path);
	return j;
}

/* The patch applied to runc spec's config.json is what --apply-to wrote,
 * and `boot --bundle` predicts boots for that copy. */
Test(fix_bundle, the_patch_boots_the_bundle, .timeout = 60)
{
	_cleanup_free_ char *dir = bundle_copy(), *out = make_tempdir();
	_cleanup_free_ char *orig = sc_xasprintf("%s/config.json", dir);
	_cleanup_free_ char *copy = sc_xasprintf("%s/config.json", out);
	_cleanup_free_ char *link = sc_xasprintf("%s/rootfs", out);
	_cleanup_free_ char *target = sc_xasprintf("%s/tests/fixtures/images/debian12", SC_SRCDIR);
	_cleanup_free_ char *err = NULL;
	struct run_result r;
	json_t *doc, *fix, *first, *config, *applied = NULL, *written;

	RUN(&r, "--json", "boot", "--fix", "--bundle", dir, "--apply-to", copy);
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	schema_assert_valid("boot --fix --bundle", doc);
	run_result_done(&r);
	fix = json_object_get(json_object_get(doc, "boot"), "fix");
	cr_assert_not_null(fix);
	cr_expect_str_eq(json_string_value(json_object_get(fix, "from")), "fails");
	first = json_array_get(json_object_get(fix, "changes"), 0);
	cr_assert_not_null(first);
	cr_expect_str_eq(json_string_value(json_object_get(first, "runtime")), "oci");
	cr_expect_str_eq(json_string_value(json_object_get(first, "expected_verdict")), "boots");
	cr_assert(json_array_size(json_object_get(first, "patch")) > 0);

	config = load(orig);
	cr_assert_eq(sc_json_patch_apply(config, json_object_get(first, "patch"), &applied, &err),
		     0, "%s", err);
	written = load(copy);
	cr_expect(json_equal(applied, written), "--apply-to wrote something else than the patch");
	/* The original is untouched. */
	{
		json_t *again = load(orig);
		cr_expect(json_equal(again, config));
		json_decref(again);
	}

	/* The patched copy, as a bundle of its own. */
	cr_assert_eq(symlink(target, link), 0);
	RUN(&r, "--json", "boot", "--bundle", out);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	{
		json_t *d2 = json_loads(r.out, 0, NULL);
		cr_assert_not_null(d2);
		cr_expect_str_eq(
			json_string_value(json_object_get(json_object_get(d2, "boot"), "verdict")),
			"boots");
		json_decref(d2);
	}
	run_result_done(&r);

	/* Text: the fix comes after the verdict, within 80 columns. */
	RUN(&r, "boot", "--fix", "--bundle", dir);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "\nFix\n"), "%s", r.out);
	cr_expect(strstr(r.out, "Fix") > strstr(r.out, "verdict"));
	{
		const char *fix_text = strstr(r.out, "\nFix\n"), *end = strstr(r.out, "\nChecks");
		for (const char *p = fix_text; p && *p && (!end || p < end);) {
			size_t n = strcspn(p, "\n");
			cr_expect_leq(n, 80, "a Fix line of %zu columns: %.*s", n, (int)n, p);
			p += n + (p[n] ? 1 : 0);
		}
	}
	run_result_done(&r);
	json_decref(applied);
	json_decref(written);
	json_decref(config);
	json_decref(doc);
}

/* Bundles the env edits alone would misjudge: without /sys, CAP_SYS_ADMIN
 * has systemd mount its own sysfs over a read-only cgroup2 (matrix
 * trixie/pw-11); mounting /sys back uncovers it. Each set is judged on
 * the patched config.json itself, so the first change boots there. */
Test(fix_bundle, each_set_judged_on_the_patched_copy, .timeout = 120)
{
	static const char *const edits[] = {
		".mounts |= map(select(.destination != \"/sys\" and .destination != \"/dev\"))"
		" | .mounts |= map(if .destination == \"/sys/fs/cgroup\" then .type = \"cgroup2\" "
		"else . end) | .process.capabilities.effective += [\"CAP_SYS_ADMIN\"] "
		"| .process.capabilities.bounding += [\"CAP_SYS_ADMIN\"] "
		"| .process.capabilities.permitted += [\"CAP_SYS_ADMIN\"]",
		".root.readonly = true | .process.capabilities = {}",
		".mounts += [{\"destination\": \"/run/lock\", \"type\": \"tmpfs\", \"source\": "
		"\"tmpfs\"}] | .linux.namespaces += [{\"type\": \"cgroup\"}]",
	};

	for (size_t i = 0; i < ELEMENTSOF(edits); i++) {
		_cleanup_free_ char *dir = bundle_copy(), *out = make_tempdir();
		_cleanup_free_ char *copy = sc_xasprintf("%s/config.json", out);
		_cleanup_free_ char *link = sc_xasprintf("%s/rootfs", out);
		_cleanup_free_ char *target =
			sc_xasprintf("%s/tests/fixtures/images/debian12", SC_SRCDIR);
		_cleanup_free_ char *cmd =
			sc_xasprintf("jq '%s' %s/config.json > %s/c && mv %s/c %s/config.json",
				     edits[i], dir, dir, dir, dir);
		struct run_result r;
		json_t *doc, *first;

		cr_assert_eq(system(cmd), 0, "%s", edits[i]);
		RUN(&r, "--json", "boot", "--fix", "--bundle", dir, "--apply-to", copy);
		cr_assert_leq(r.status, 1, "%s: exit %d: %s", edits[i], r.status, r.err);
		doc = json_loads(r.out, 0, NULL);
		cr_assert_not_null(doc);
		run_result_done(&r);
		first = json_array_get(
			json_object_get(json_object_get(json_object_get(doc, "boot"), "fix"),
					"changes"),
			0);
		cr_assert_not_null(first, "%s: no change", edits[i]);
		cr_expect_str_eq(json_string_value(json_object_get(first, "expected_verdict")),
				 "boots", "%s", edits[i]);
		cr_assert_eq(symlink(target, link), 0);
		RUN(&r, "boot", "--bundle", out);
		cr_expect_eq(r.status, 0, "%s: the patched copy: exit %d", edits[i], r.status);
		run_result_done(&r);
		json_decref(doc);
	}
}

Test(fix_bundle, apply_to_never_the_original, .timeout = 60)
{
	_cleanup_free_ char *dir = bundle_copy(), *out = make_tempdir();
	_cleanup_free_ char *orig = sc_xasprintf("%s/config.json", dir);
	_cleanup_free_ char *hard = sc_xasprintf("%s/hardlink.json", dir);
	_cleanup_free_ char *sym = sc_xasprintf("%s/sym.json", out);
	_cleanup_free_ char *fifo = sc_xasprintf("%s/fifo", out);
	_cleanup_free_ char *before = NULL, *after = NULL;
	struct run_result r;

	before = read_whole_file(orig, NULL);
	cr_assert_not_null(before);
	RUN(&r, "boot", "--fix", "--bundle", dir, "--apply-to", orig);
	cr_expect_eq(r.status, 2, "exit %d", r.status);
	cr_expect(strstr(r.err, "original"), "%s", r.err);
	run_result_done(&r);
	cr_assert_eq(link(orig, hard), 0);
	RUN(&r, "boot", "--fix", "--bundle", dir, "--apply-to", hard);
	cr_expect_eq(r.status, 2, "a hard link to it: exit %d", r.status);
	run_result_done(&r);
	cr_assert_eq(symlink(orig, sym), 0);
	RUN(&r, "boot", "--fix", "--bundle", dir, "--apply-to", sym);
	cr_expect_neq(r.status, 0);
	cr_expect_neq(r.status, 1, "a symlink to it: exit %d", r.status);
	run_result_done(&r);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	RUN(&r, "boot", "--fix", "--bundle", dir, "--apply-to", fifo);
	cr_expect_eq(r.status, 3, "a FIFO: exit %d", r.status);
	cr_expect(strstr(r.err, "not a regular file"), "%s", r.err);
	run_result_done(&r);
	RUN(&r, "boot", "--fix", "--bundle", dir, "--apply-to", out);
	cr_expect_eq(r.status, 3, "a directory: exit %d", r.status);
	run_result_done(&r);
	after = read_whole_file(orig, NULL);
	cr_assert_not_null(after);
	cr_expect_str_eq(after, before, "the original changed");
}

Test(fix_bundle, options_only_for_boot)
{
	struct run_result r;

	RUN(&r, "host", "--fix");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "not an option of `host`"), "%s", r.err);
	run_result_done(&r);
	RUN(&r, "limits", "--apply-to", "/tmp/x", "1");
	cr_expect_eq(r.status, 2);
	run_result_done(&r);
	RUN(&r, "boot", "--apply-to", "/tmp/x", "--bundle", "/nonexistent");
	cr_expect_eq(r.status, 2, "--apply-to without --fix");
	cr_expect(strstr(r.err, "only with --fix --bundle"), "%s", r.err);
	run_result_done(&r);
	RUN(&r, "boot", "--fix", "--apply-to", "/tmp/x", "1");
	cr_expect_eq(r.status, 2, "--apply-to without --bundle");
	run_result_done(&r);
}

/* config.json of shapes no runtime would take: the search survives, the
 * JSON stays valid, and a change it cannot patch in says so. */
Test(fix_bundle, hostile_bundles, .timeout = 60)
{
	static const char *const edits[] = {
		".mounts = 5",
		".mounts = [1, \"x\", {\"destination\": 7}, {\"destination\": \"/sys/fs/cgroup\", "
		"\"options\": \"ro\"}]",
		".process = [] ",
		".process.capabilities = \"all\"",
		".process.capabilities.effective = {\"a\": 1}",
		".process.env = {\"container\": 1}",
		".linux = null",
		".linux.namespaces = {\"type\": \"cgroup\"}",
		".linux.namespaces += [{\"type\": \"cgroup\", \"path\": \"/proc/1/ns/cgroup\"}]",
		".root.readonly = \"yes\"",
		".mounts += [{\"destination\": \"/run/lock\", \"type\": \"tmpfs\"}]",
	};

	for (size_t i = 0; i < ELEMENTSOF(edits); i++) {
		_cleanup_free_ char *dir = bundle_copy(), *out = make_tempdir();
		_cleanup_free_ char *copy = sc_xasprintf("%s/c.json", out);
		_cleanup_free_ char *cmd =
			sc_xasprintf("jq '%s' %s/config.json > %s/c && mv %s/c %s/config.json",
				     edits[i], dir, dir, dir, dir);
		_cleanup_free_ char *orig = sc_xasprintf("%s/config.json", dir);
		struct run_result r;
		json_t *doc, *changes, *c, *config;
		size_t k;

		cr_assert_eq(system(cmd), 0, "%s", edits[i]);
		RUN(&r, "--json", "boot", "--fix", "--bundle", dir, "--apply-to", copy);
		cr_expect(r.status <= 1, "%s: exit %d: %s", edits[i], r.status, r.err);
		doc = json_loads(r.out, 0, NULL);
		cr_assert_not_null(doc, "%s", edits[i]);
		schema_assert_valid(edits[i], doc);
		config = load(orig);
		changes = json_object_get(json_object_get(json_object_get(doc, "boot"), "fix"),
					  "changes");
		json_array_foreach(changes, k, c)
		{
			json_t *p = json_object_get(c, "patch"), *res = NULL;
			_cleanup_free_ char *err = NULL;

			if (json_is_null(p))
				continue;
			cr_expect_eq(sc_json_patch_apply(config, p, &res, &err), 0, "%s: %s",
				     edits[i], err);
			json_decref(res);
		}
		json_decref(config);
		json_decref(doc);
		run_result_done(&r);
	}
}
