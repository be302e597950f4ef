/* SPDX-License-Identifier: MIT */
/* The Prometheus text exposition format, for node_exporter's textfile
 * collector: each check's status, the boot verdict and the cgroup mode
 * and controllers per target, and the run's own numbers. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "checks.h"
#include "render.h"
#include "sanitize.h"
#include "util.h"

/* The format (prometheus.io/docs/instrumenting/exposition_formats/):
 * "# HELP name text" and "# TYPE name gauge" once per family, before its
 * samples, which follow one another; a sample is name{label="value",...}
 * value. Label values escape backslash, double quote and newline as \\,
 * \" and \n, and must be UTF-8. The textfile collector (node_exporter
 * collector/textfile.go) refuses a file with client-side timestamps and
 * fails the whole scrape on a series collected twice, so there are no
 * timestamps, and every series is checked against those written.
 *
 * Statuses, verdicts and modes are state sets, as node_exporter's
 * node_systemd_unit_state: one series per possible value, 1 for the one
 * that holds, 0 for the others, so that a change of state is a change of
 * value, never a series that appears while another goes stale. */

/* ---- the set of series written ------------------------------------------------ */

struct series_set {
	char **v; /* open addressing, NULL free */
	size_t n, cap;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Takes s; false (and frees it) when it was there already. */
static bool set_add(struct series_set *set, char *s)
{
	if (2 * (set->n + 1) > set->cap) {
		struct series_set grown = { .cap = set->cap ? 2 * set->cap : 256 };

		grown.v = sc_xcalloc(grown.cap, sizeof(char *));
		for (size_t i = 0; i < set->cap; i++)
			if (set->v[i]) {
				size_t j = hash(set->v[i]) & (grown.cap - 1);
				while (grown.v[j])
					j = (j + 1) & (grown.cap - 1);
				grown.v[j] = set->v[i];
			}
		grown.n = set->n;
		free(set->v);
		*set = grown;
	}
	for (size_t j = hash(s) & (set->cap - 1);; j = (j + 1) & (set->cap - 1)) {
		if (!set->v[j]) {
			set->v[j] = s;
			set->n++;
			return true;
		}
		if (streq(set->v[j], s)) {
			free(s);
			return false;
		}
	}
}

static void set_done(struct series_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->v[i]);
	free(set->v);
}

/* ---- writing ------------------------------------------------------------------ */

struct prom {
	FILE *out;
	struct series_set seen;
	const char *family, *help; /* static; family NULL once written */
	/* The sample being built. */
	char *buf;
	size_t len;
	FILE *m;
	unsigned n_labels;
};

/* The next samples' family: its HELP and TYPE are written before its
 * first sample (none for a family without samples). */
static void family(struct prom *p, const char *name, const char *help)
{
	p->family = name;
	p->help = help;
}

static void sample_begin(struct prom *p, const char *name)
{
	p->buf = NULL;
	p->len = 0;
	p->m = open_memstream(&p->buf, &p->len);
	if (!p->m)
		abort(); /* out of memory, as every allocation of the tool */
	fputs(name, p->m);
	p->n_labels = 0;
}

/* A label value as the format takes it: backslash, quote and newline
 * escaped; every other control, DEL, the C1 controls and each byte that
 * is not part of valid UTF-8 become the text \xNN (its backslash
 * escaped), the escape the text output shows. */
static void label_value(FILE *f, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		unsigned char b = (unsigned char)s[i];
		int len;

		if (b == '\\' || b == '"') {
			fputc('\\', f);
			fputc(b, f);
			i++;
			continue;
		}
		if (b == '\n') {
			fputs("\\n", f);
			i++;
			continue;
		}
		if (b < 0x20 || b == 0x7f) {
			fprintf(f, "\\\\x%02x", b);
			i++;
			continue;
		}
		if (b < 0x80) {
			fputc(b, f);
			i++;
			continue;
		}
		len = sc_utf8_len(s + i, n - i);
		if (len <= 0 || (len == 2 && b == 0xc2 && (unsigned char)s[i + 1] < 0xa0)) {
			int k = len > 0 ? len : 1;
			for (int j = 0; j < k; j++)
				fprintf(f, "\\\\x%02x", (unsigned char)s[i + j]);
			i += (size_t)k;
			continue;
		}
		fwrite(s + i, 1, (size_t)len, f);
		i += (size_t)len;
	}
}

static void label(struct prom *p, const char *name, const char *value)
{
	fprintf(p->m, "%s%s=\"", p->n_labels++ ? "," : "{", name);
	label_value(p->m, value);
	fputc('"', p->m);
}

static void sample_end(struct prom *p, int64_t value)
{
	if (p->n_labels)
		fputc('}', p->m);
	if (fclose(p->m) != 0)
		abort();
	p->m = NULL;
	if (set_add(&p->seen, p->buf)) {
		/* Our own texts: no backslash or newline to escape. */
		if (p->family)
			fprintf(p->out, "# HELP %s %s\n# TYPE %s gauge\n", p->family, p->help,
				p->family);
		p->family = NULL;
		fprintf(p->out, "%s %" PRId64 "\n", p->buf, value);
	}
	p->buf = NULL;
}

static void sample(struct prom *p, const char *name, int64_t value)
{
	sample_begin(p, name);
	sample_end(p, value);
}

/* ---- the report's parts ------------------------------------------------------- */

enum { HOST_CHECKS, OTHER_CHECKS, ALL_CHECKS };

/* Whose series: the host, the report's container, each of --all's. */
struct target {
	char *label;
	const struct sc_report *r;
	int which; /* of r's checks: HOST_CHECKS, OTHER_CHECKS, ALL_CHECKS */
	const struct sc_cgroup_facts *cgroup; /* what it sees, or NULL */
	const struct sc_container_ref *ref;   /* a container's, or NULL */
	const struct sc_boot_result *boot;    /* NULL: no verdict */
};

static bool is_host_check(const struct sc_check *c)
{
	for (const struct sc_check_def *d = sc_host_checks; d->id; d++)
		if (streq(d->id, c->id))
			return true;
	return false;
}

static void add_target(struct target **v, size_t *n, const struct sc_report *r,
		       const struct sc_container_ref *ref, const struct sc_container_facts *c)
{
	struct target *t = SC_APPEND(*v, *n);

	t->r = r;
	t->ref = ref;
	t->boot = r->boot;
	if (c && c->inside_ok)
		t->cgroup = &c->inside.cgroup;
	if (ref)
		t->label = sc_render_target_name(ref);
	else
		/* boot --bundle: a prediction for a bundle, no container. */
		t->label = sc_xstrdup(r->boot_env && r->boot_env->source ? r->boot_env->source
									 : r->verb);
	/* Two containers of one name (two state roots of a runtime): the
	 * second goes by its ID, and by its place if that is taken too. */
	for (size_t i = 0; i + 1 < *n; i++)
		if (streq((*v)[i].label, t->label)) {
			free(t->label);
			t->label = ref && ref->id ? sc_xasprintf("%s:%s",
								 sc_runtime_to_string(ref->runtime),
								 ref->id)
						  : sc_xasprintf("%zu", *n);
			for (size_t j = 0; j + 1 < *n; j++)
				if (streq((*v)[j].label, t->label)) {
					free(t->label);
					t->label = sc_xasprintf("%s#%zu", (*v)[i].label, *n);
					break;
				}
			break;
		}
}

static bool target_has(const struct target *t, const struct sc_check *c)
{
	return t->which == ALL_CHECKS || (t->which == HOST_CHECKS) == is_host_check(c);
}

/* ---- the families --------------------------------------------------------------- */

static void checks_families(struct prom *p, const struct target *t, size_t n)
{
	family(p, "sysctr_check_status",
	       "Each check's status per target: 1 for the status it has, 0 for the others.");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < t[i].r->n_checks; j++) {
			const struct sc_check *c = &t[i].r->checks[j];

			if (!target_has(&t[i], c))
				continue;
			for (int s = 0; s < _SC_STATUS_MAX; s++) {
				sample_begin(p, "sysctr_check_status");
				label(p, "target", t[i].label);
				label(p, "check", c->id);
				label(p, "area", c->section);
				label(p, "status", sc_status_to_string(s));
				sample_end(p, c->status == (enum sc_status)s);
			}
		}
	family(p, "sysctr_check_ignored",
	       "1 when a check is ignored (--ignore): shown, not counted in the exit code.");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < t[i].r->n_checks; j++) {
			const struct sc_check *c = &t[i].r->checks[j];

			if (!target_has(&t[i], c))
				continue;
			sample_begin(p, "sysctr_check_ignored");
			label(p, "target", t[i].label);
			label(p, "check", c->id);
			sample_end(p, c->ignored);
		}
}

static void boot_family(struct prom *p, const struct target *t, size_t n)
{
	family(p, "sysctr_check_boot_verdict",
	       "Would systemd boot as PID 1 in the target: 1 for the verdict, 0 for the others.");
	for (size_t i = 0; i < n; i++) {
		if (!t[i].boot)
			continue;
		for (int v = SC_BOOT_UNKNOWN; v <= SC_BOOT_FAILS; v++) {
			sample_begin(p, "sysctr_check_boot_verdict");
			label(p, "target", t[i].label);
			label(p, "verdict", sc_boot_verdict_to_string((enum sc_boot_verdict)v));
			sample_end(p, t[i].boot->verdict == (enum sc_boot_verdict)v);
		}
	}
}

static void cgroup_families(struct prom *p, const struct target *t, size_t n)
{
	family(p, "sysctr_check_cgroup_mode",
	       "The cgroup mode the target sees (systemd's view of /sys/fs/cgroup): 1 for the "
	       "mode, 0 for the others.");
	for (size_t i = 0; i < n; i++) {
		if (!t[i].cgroup)
			continue;
		for (int m = 0; sc_cgroup_mode_from_string(
					sc_cgroup_mode_to_string((enum sc_cgroup_mode)m)) == m;
		     m++) {
			sample_begin(p, "sysctr_check_cgroup_mode");
			label(p, "target", t[i].label);
			label(p, "mode", sc_cgroup_mode_to_string((enum sc_cgroup_mode)m));
			sample_end(p, t[i].cgroup->mode == (enum sc_cgroup_mode)m);
		}
	}
	family(p, "sysctr_check_cgroup_controller_info",
	       "Each cgroup controller the target's kernel has, and where it is usable "
	       "(v1, v2, unbound, disabled...).");
	for (size_t i = 0; i < n; i++) {
		if (!t[i].cgroup)
			continue;
		for (size_t j = 0; j < t[i].cgroup->n_controllers; j++) {
			const struct sc_controller *c = &t[i].cgroup->controllers[j];

			sample_begin(p, "sysctr_check_cgroup_controller_info");
			label(p, "target", t[i].label);
			label(p, "controller", c->name);
			label(p, "where", sc_ctrl_where_to_string(c->where));
			sample_end(p, 1);
		}
	}
}

static void target_info(struct prom *p, const char *target, const struct sc_container_ref *ref)
{
	sample_begin(p, "sysctr_check_target_info");
	label(p, "target", target);
	label(p, "runtime", sc_runtime_to_string(ref->runtime));
	label(p, "id", ref->id);
	label(p, "name", ref->name);
	if (ref->rootless) {
		_cleanup_free_ char *uid = sc_xasprintf("%u", (unsigned)ref->uid);
		label(p, "rootless_uid", uid);
	}
	sample_end(p, 1);
}

static void run_families(struct prom *p, const struct sc_report *r, const struct target *t,
			 size_t n)
{
	struct sc_summary s;
	size_t n_targets = 0;

	sc_report_summary(r, &s);
	family(p, "sysctr_check_info", "sysctr-check's version, the command run and its root.");
	sample_begin(p, "sysctr_check_info");
	label(p, "version", SC_VERSION);
	label(p, "command", r->verb);
	label(p, "root", r->host ? r->host->root_path : NULL);
	sample_end(p, 1);

	family(p, "sysctr_check_last_run_timestamp_seconds",
	       "When the report was made, in seconds since the epoch.");
	sample(p, "sysctr_check_last_run_timestamp_seconds", sc_render_timestamp());

	family(p, "sysctr_check_exit_code",
	       "The run's exit code: 0 nothing failed, 1 a check failed (or warned, with "
	       "--strict).");
	sample(p, "sysctr_check_exit_code", sc_report_exit_code(r, r->strict));

	family(p, "sysctr_check_checks",
	       "Checks of the run by status, the ignored ones (--ignore) apart.");
	for (int i = 0; i < _SC_STATUS_MAX; i++) {
		sample_begin(p, "sysctr_check_checks");
		label(p, "status", sc_status_to_string(i));
		sample_end(p, s.counts[i]);
	}
	sample_begin(p, "sysctr_check_checks");
	label(p, "status", "ignored");
	sample_end(p, s.ignored);

	family(p, "sysctr_check_target_info",
	       "Each container of the report (or that `list` found) by runtime, ID and name.");
	for (size_t i = 0; i < n; i++)
		if (t[i].ref) {
			target_info(p, t[i].label, t[i].ref);
			n_targets++;
		}
	for (size_t i = 0; i < r->n_listed; i++) {
		_cleanup_free_ char *name = sc_render_target_name(&r->listed[i].ref);
		target_info(p, name, &r->listed[i].ref);
		n_targets++;
	}
	family(p, "sysctr_check_targets", "How many containers the report is about.");
	sample(p, "sysctr_check_targets", (int64_t)n_targets);
}

int sc_render_prometheus(const struct sc_report *r, FILE *out)
{
	struct prom p = { .out = out };
	struct target *t = NULL;
	size_t n = 0;
	bool others = false;

	if (r->host) {
		struct target *h = SC_APPEND(t, n);

		h->label = sc_xstrdup("host");
		h->r = r;
		h->which = HOST_CHECKS;
		h->cgroup = &r->host->cgroup;
	}
	for (size_t i = 0; i < r->n_checks; i++)
		others |= !is_host_check(&r->checks[i]);
	if (r->container || r->boot || others) {
		add_target(&t, &n, r, r->container ? &r->container->ref : NULL, r->container);
		t[n - 1].which = OTHER_CHECKS;
	}
	for (size_t i = 0; i < r->n_subs; i++) {
		add_target(&t, &n, &r->subs[i], &r->subs[i].target, r->subs[i].container);
		t[n - 1].which = ALL_CHECKS;
	}

	run_families(&p, r, t, n);
	checks_families(&p, t, n);
	boot_family(&p, t, n);
	cgroup_families(&p, t, n);

	for (size_t i = 0; i < n; i++)
		free(t[i].label);
	free(t);
	set_done(&p.seen);
	return ferror(out) ? -EIO : 0;
}
