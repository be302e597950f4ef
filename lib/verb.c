/* SPDX-License-Identifier: MIT */
/* The verb table and the one pipeline every verb runs: probe the facts
 * the verb names, run the rule tables it names, and tell the renderers
 * which sections to show. No verb deletes what another computed. */
#include <stdarg.h>
#include <sys/stat.h>

#include "checks.h"
#include "util.h"
#include "verb.h"

#define HOST SC_FACT_HOST
#define CONTAINER SC_FACT_CONTAINER
#define LIMITS SC_FACT_LIMITS
#define BOOT SC_FACT_BOOT
#define LIST SC_FACT_LIST

const struct sc_verb sc_verbs[] = {
	{ "host", "host", "cgroup mode, mounts, controllers and host checks", 0, 0, .facts = HOST,
	  .judge = HOST, .sections = SC_SECTION_HOST },
	/* The main job: the host, and with a TARGET everything about it,
	 * ending with the boot verdict. */
	{ "report", "report [TARGET]", "the host, and a container when given: everything", 0, 1,
	  .facts = HOST, .target_facts = CONTAINER | LIMITS | BOOT,
	  .judge = HOST | CONTAINER | LIMITS | BOOT,
	  .sections = SC_SECTION_HOST | SC_SECTION_CONTAINER | SC_SECTION_LIMITS | SC_SECTION_BOOT,
	  .all = true },
	/* `list` is about containers: the host's facts are `host`'s. */
	{ "list", "list", "every container on this host", 0, 0, .facts = HOST | LIST,
	  .sections = SC_SECTION_HOST_LINE | SC_SECTION_LIST },
	/* The container verb judges the container: host rules are `host`'s. */
	{ "container", "container TARGET", "outside and inside, and its cgroup delegation", 1, 1,
	  .facts = HOST | CONTAINER, .judge = CONTAINER,
	  .sections = SC_SECTION_HOST_SUMMARY | SC_SECTION_CONTAINER },
	/* Limits only: the container's facts are summed up in the limits
	 * section. */
	{ "limits", "limits TARGET", "real limits vs what free, lscpu, nproc, top show", 1, 1,
	  .facts = HOST | CONTAINER | LIMITS, .judge = LIMITS,
	  .sections = SC_SECTION_HOST_SUMMARY | SC_SECTION_LIMITS },
	/* The verdict is this verb's only judgement. */
	{ "boot", "boot TARGET | --bundle DIR", "systemd as PID 1: boots, degraded or fails, why",
	  0, 1, .facts = HOST | BOOT, .target_facts = CONTAINER, .judge = BOOT,
	  .sections = SC_SECTION_HOST_SUMMARY | SC_SECTION_CONTAINER | SC_SECTION_BOOT,
	  .bundle = true, .all = true },
	{ "checks", "checks", "list every check id with what it checks", 0, 0, .custom = true },
	{ "runtimes", "runtimes", "the runtimes, their TARGET prefixes and state", 0, 0,
	  .custom = true },
	{},
};

#undef HOST
#undef CONTAINER
#undef LIMITS
#undef BOOT
#undef LIST

const struct sc_verb *sc_verb_find(const char *name)
{
	for (const struct sc_verb *v = sc_verbs; v->name; v++)
		if (streq(v->name, name))
			return v;
	return NULL;
}

void sc_verb_report_init(const struct sc_verb *v, struct sc_report *r)
{
	sc_report_init(r, v->name);
	r->sections = v->sections;
}

static int fail(char **ret_error, int k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char **ret_error, int k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(ret_error, fmt, ap) < 0)
		abort();
	va_end(ap);
	return k;
}

static int probe_host(struct sc_root *root, bool tree, struct sc_report *r, char **ret_error)
{
	struct sc_host_facts *f = sc_xcalloc(1, sizeof(*f));
	int k;

	k = sc_host_probe(root, f);
	if (k < 0) {
		free(f);
		return fail(ret_error, k, "cannot probe %s: reading /proc/self/mountinfo: %s",
			    sc_root_path(root), sc_strerror(k));
	}
	if (tree)
		sc_cgroup_probe_tree(root, &f->cgroup);
	r->host = f;
	return 0;
}

static int resolve_target(struct sc_root *root, const struct sc_verb_input *in,
			  struct sc_container_ref *ret, char **ret_error)
{
	_cleanup_strv_free_ char **matches = NULL;
	struct sc_container_ref *refs = NULL, ref = {};
	_cleanup_(sc_state_notes_done) struct sc_state_notes notes = {};
	struct sc_target_spec spec;
	size_t n_refs = 0;
	int k;

	if (sc_target_spec_parse(in->target, &spec) < 0)
		return fail(ret_error, -SC_EUSAGE,
			    "invalid target \"%s\" (a PID, RUNTIME:NAME or a name)", in->target);
	(void)sc_runtime_candidates(root, in->state_roots, &spec, &notes, &refs, &n_refs);
	k = sc_target_resolve(&spec, refs, n_refs, &ref, &matches);
	sc_container_refs_free(refs, n_refs);
	sc_target_spec_done(&spec);
	/* LXC keeps no PID on disk: its init is the /proc scan's, by cgroup
	 * (as `list` finds it; tests/vm F1). */
	if (k == -ESRCH && sc_runtimes[ref.runtime].owns_cgroup) {
		struct sc_listed *l = NULL;
		size_t n = 0;

		if (sc_container_list(root, in->state_roots, &l, &n) >= 0)
			for (size_t i = 0; i < n; i++)
				if (l[i].running && l[i].pid > 0 &&
				    l[i].ref.runtime == ref.runtime && streq(l[i].ref.id, ref.id)) {
					ref.pid = l[i].pid;
					ref.start_time = l[i].ref.start_time;
					k = 0;
				}
		sc_listed_free(l, n);
	}
	switch (k) {
	case 0:
		*ret = ref;
		return 0;
	case -ENOTUNIQ: {
		_cleanup_free_ char *l = sc_strv_join(matches, ", ");
		return fail(ret_error, k, "\"%s\" is ambiguous: %s", in->target, l);
	}
	case -ESRCH:
		k = fail(ret_error, k, "container %s:%s is not running",
			 sc_runtime_to_string(ref.runtime), ref.id);
		sc_container_ref_done(&ref);
		return k;
	default:
		/* Not found where the state could not be read: say that. */
		if (notes.refused) {
			_cleanup_free_ char *l = sc_strv_join(notes.lines, "; ");
			return fail(ret_error, -EACCES, "cannot look up \"%s\": %s", in->target, l);
		}
		return fail(ret_error, -ENOENT, "no container \"%s\" (see `sysctr-check list`)",
			    in->target);
	}
}

/* The container's facts for a resolved ref, into r (whose host facts
 * are host). */
static int probe_ref(struct sc_root *root, const struct sc_host_facts *host,
		     const struct sc_verb_input *in, const struct sc_container_ref *ref,
		     struct sc_report *r, char **ret_error)
{
	struct sc_container_facts *f = sc_xcalloc(1, sizeof(*f));
	char *err = NULL;
	int k;

	k = sc_container_probe_root(root, host, ref, in->enter, f, &err);
	if (k < 0) {
		free(f);
		*ret_error = err ? err : sc_xstrdup(sc_strerror(k));
		return k;
	}
	r->container = f;
	return 0;
}

static int probe_container(struct sc_root *root, const struct sc_verb_input *in,
			   struct sc_report *r, char **ret_error)
{
	struct sc_container_ref ref = {};
	int k;

	k = resolve_target(root, in, &ref, ret_error);
	if (k < 0)
		return k;
	k = probe_ref(root, r->host, in, &ref, r, ret_error);
	sc_container_ref_done(&ref);
	return k;
}

/* The notes into the report; no runtime state readable at all, where
 * some exists, is a list that could not be made. */
static void take_notes(struct sc_report *r, struct sc_state_notes *notes)
{
	r->notes = TAKE_PTR(notes->lines);
	r->state_unreadable = notes->refused > 0 && notes->readable == 0;
	sc_state_notes_done(notes);
}

static int probe_list(struct sc_root *root, const struct sc_verb_input *in, struct sc_report *r,
		      char **ret_error)
{
	struct sc_state_notes notes = {};
	int k = sc_container_list_notes(root, in->state_roots, &notes, &r->listed, &r->n_listed);

	if (k < 0) {
		sc_state_notes_done(&notes);
		return fail(ret_error, k, "cannot list /proc: %s", sc_strerror(k));
	}
	r->has_list = true;
	take_notes(r, &notes);
	return 0;
}

static void probe_limits(struct sc_root *root, const struct sc_host_facts *host,
			 struct sc_report *r)
{
	struct sc_limits *l = sc_xcalloc(1, sizeof(*l));

	sc_limits_probe(root, host, r->container, l);
	r->limits = l;
}

/* --fix: a bundle's config.json is read again (what the patch is
 * against); it was read a moment ago, so failing now is a change under
 * our feet: the search then works without it. */
static void fix_boot(const struct sc_verb_input *in, const struct sc_host_facts *host,
		     struct sc_report *r)
{
	_cleanup_root_ struct sc_root *rootfs = NULL;
	_cleanup_free_ char *err = NULL;
	json_t *config = NULL;

	if (in->bundle && sc_boot_bundle_open(in->bundle, &config, &rootfs, &err) < 0)
		config = NULL;
	r->fix = sc_xcalloc(1, sizeof(*r->fix));
	sc_fix_search(host, r->boot_env, r->boot, config, rootfs, r->fix);
	json_decref(config);
}

static int probe_boot(const struct sc_verb_input *in, const struct sc_host_facts *host,
		      struct sc_report *r, char **ret_error)
{
	struct sc_boot_env *e = sc_xcalloc(1, sizeof(*e));
	struct sc_boot_result *b;

	/* --bundle: predicted for a bundle before it runs. */
	if (in->bundle) {
		char *err = NULL;
		int k = sc_boot_env_from_bundle(host, in->bundle, e, &err);

		if (k < 0) {
			free(e);
			*ret_error = err ? err : sc_xstrdup(sc_strerror(k));
			return k;
		}
	} else
		sc_boot_env_from_container(host, r->container, e);
	/* The verdict is a derived fact: the rules over the environment. */
	b = sc_xcalloc(1, sizeof(*b));
	sc_boot_evaluate(e, b);
	r->boot = b;
	r->boot_env = e;
	if (in->fix)
		fix_boot(in, host, r);
	return 0;
}

/* host --image DIR: the image read through its own confined root (never
 * the live system's), the host it predicts, and the rules on both. */
static int run_image(const struct sc_verb *v, const struct sc_verb_input *in, struct sc_report *r,
		     char **ret_error)
{
	_cleanup_root_ struct sc_root *img = NULL;
	struct sc_image_facts *f;
	int k;

	if (!streq(v->name, "host"))
		return fail(ret_error, -SC_EUSAGE, "--image: only host takes it");
	/* A directory only (sc_root_open() refuses a file with -ENOTDIR). */
	k = sc_root_open(in->image, SC_ROOT_IMAGE, &img);
	if (k < 0)
		return fail(ret_error, k, "--image %s: %s", in->image, sc_strerror(k));
	f = sc_xcalloc(1, sizeof(*f));
	k = sc_image_probe(img, f);
	if (k < 0) {
		free(f);
		return fail(ret_error, k, "--image %s: no /etc directory: not a root file system",
			    in->image);
	}
	r->image = f;
	r->host = sc_xcalloc(1, sizeof(*r->host));
	sc_image_predict_host(f, r->host);
	r->sections = SC_SECTION_IMAGE;
	sc_image_judge(r);
	return 0;
}

/* What a verb does for one container once its facts are in r: judge
 * them, then limits and boot with their rules (need: enum sc_fact). */
static int judge_container(const struct sc_verb *v, struct sc_root *root,
			   const struct sc_host_facts *host, const struct sc_verb_input *in,
			   unsigned need, struct sc_report *r, char **ret_error)
{
	int k;

	if (r->container && (v->judge & SC_FACT_CONTAINER)) {
		struct sc_container_check_input ci = { host, r->container };
		sc_report_run(r, sc_container_checks, &ci);
	}
	if (need & SC_FACT_LIMITS) {
		probe_limits(root, host, r);
		/* Each row's verdict, summary and remedy, then the checks. */
		sc_limits_judge(r->limits);
		if (v->judge & SC_FACT_LIMITS)
			sc_report_run(r, sc_limits_checks, r->limits);
	}
	if (need & SC_FACT_BOOT) {
		k = probe_boot(in, host, r, ret_error);
		if (k < 0)
			return k;
		if (v->judge & SC_FACT_BOOT)
			sc_report_run(r, sc_boot_checks, r->boot);
	}
	return 0;
}

/* Inside probes in flight at once for --all. A worker holds one finished
 * probe until this process takes it, so the workers run ahead by one less
 * than their number: with 2 (one per core here) the judging and rendering
 * here waited on a worker at nearly every container. With 4, report --all
 * of 500 containers took 0.95 s instead of 1.00 s on a quiet machine, and
 * 1.30 s instead of 1.51 s with a VM build on the other core. */
#define SC_ALL_WORKERS 4

/* --all: the host once, then every running container as its own report
 * (what `VERB TARGET` gives for it) in r->subs. A container that cannot
 * be probed (it exited meanwhile, no permission) is a report with one
 * error check: the run goes on, the exit code says so. */
static int run_all(const struct sc_verb *v, struct sc_root *root, const struct sc_verb_input *in,
		   struct sc_report *r, char **ret_error)
{
	unsigned need = v->facts | v->target_facts;
	struct sc_listed *listed = NULL;
	size_t n_listed = 0;
	int k;

	struct sc_enter_opts eo = in->enter ? *in->enter : (struct sc_enter_opts){};
	struct sc_verb_input pin = *in;
	struct sc_enter_pool *pool = NULL;
	_cleanup_free_ size_t *run = NULL;
	size_t n_run = 0;

	struct sc_state_notes notes = {};

	r->all = true;
	k = sc_container_list_notes(root, in->state_roots, &notes, &listed, &n_listed);
	if (k < 0) {
		sc_state_notes_done(&notes);
		return fail(ret_error, k, "cannot list /proc: %s", sc_strerror(k));
	}
	take_notes(r, &notes);
	for (size_t i = 0; i < n_listed; i++)
		if (listed[i].running && listed[i].pid > 0)
			*SC_APPEND(run, n_run) = i;
	/* Workers forked now, while this process is small, enter the
	 * containers: one fork of a process holding hundreds of reports
	 * per container was most of the cost. A worker ahead probes the
	 * next container while this one judges the last. */
	if (n_run > 1 && sc_root_is_live(root) &&
	    sc_container_enter_pool_new(SC_ALL_WORKERS, in->enter, &pool) >= 0) {
		eo.pool = pool;
		pin.enter = &eo;
	}
	for (size_t ri = 0; ri < n_run; ri++) {
		size_t i = run[ri];
		struct sc_report *s;
		char *err = NULL;

		if (pool) {
			pid_t pids[SC_ALL_WORKERS];
			unsigned long long starts[SC_ALL_WORKERS];
			size_t np = 0;

			for (size_t j = ri; j < n_run && np < SC_ALL_WORKERS; j++, np++) {
				pids[np] = listed[run[j]].pid;
				starts[np] = listed[run[j]].ref.start_time;
			}
			sc_enter_pool_prefetch(pool, pids, starts, np);
		}
		s = SC_APPEND(r->subs, r->n_subs);
		sc_verb_report_init(v, s);
		s->sections = v->sections &
			      ~(SC_SECTION_HOST | SC_SECTION_HOST_SUMMARY | SC_SECTION_HOST_LINE);
		listed[i].ref.pid = listed[i].pid;
		s->target = listed[i].ref;
		listed[i].ref = (struct sc_container_ref){};
		k = probe_ref(root, r->host, &pin, &s->target, s, &err);
		if (k >= 0)
			k = judge_container(v, root, r->host, &pin, need, s, &err);
		if (k < 0) {
			struct sc_check *c = SC_APPEND(s->checks, s->n_checks);

			c->id = "container.probe";
			c->section = "container";
			sc_check_set(c, SC_ERROR, "could not probe %s:%s: %s",
				     sc_runtime_to_string(s->target.runtime), s->target.id,
				     err ? err : sc_strerror(k));
		}
		free(err);
	}
	sc_enter_pool_free(pool);
	sc_listed_free(listed, n_listed);
	return 0;
}

int sc_verb_run(const struct sc_verb *v, struct sc_root *root, const struct sc_verb_input *in,
		struct sc_report *r, char **ret_error)
{
	unsigned need = v->facts | (in->target ? v->target_facts : 0);
	int k;

	*ret_error = NULL;
	if (v->custom)
		return fail(ret_error, -EINVAL, "%s: not a pipeline verb", v->name);
	if (in->all && (!v->all || in->target || in->bundle))
		return fail(ret_error, -SC_EUSAGE, "--all: %s",
			    v->all ? "no TARGET or --bundle with it"
				   : "only report and boot take it");
	/* Each fact builds on the ones before it. */
	if (!in->all && (need & (SC_FACT_CONTAINER | SC_FACT_LIMITS)) && !in->target)
		return fail(ret_error, -SC_EUSAGE, "usage: sysctr-check [OPTIONS] %s", v->usage);
	if (!in->all && (need & SC_FACT_BOOT) && !in->bundle && !(need & SC_FACT_CONTAINER))
		return fail(ret_error, -SC_EUSAGE, "usage: sysctr-check [OPTIONS] %s", v->usage);

	if (in->image)
		return run_image(v, in, r, ret_error);
	/* The cgroup2 tree below the root: for a report on the host alone. */
	k = probe_host(root, !in->all && !(need & (SC_FACT_CONTAINER | SC_FACT_LIST)), r,
		       ret_error);
	if (k < 0)
		return k;
	if (v->judge & SC_FACT_HOST)
		sc_report_run(r, sc_host_checks, r->host);
	if (in->all)
		return run_all(v, root, in, r, ret_error);

	if (need & SC_FACT_CONTAINER) {
		k = probe_container(root, in, r, ret_error);
		if (k < 0)
			return k;
	}
	if (need & SC_FACT_LIST) {
		k = probe_list(root, in, r, ret_error);
		if (k < 0)
			return k;
	}
	return judge_container(v, root, r->host, in, need, r, ret_error);
}
