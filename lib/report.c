/* SPDX-License-Identifier: MIT */
/* Report model operations: running a rule table, --ignore, the summary
 * and the exit code that CI gates read. */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>

#include "image.h"
#include "report.h"
#include "util.h"

static const char *const status_names[_SC_STATUS_MAX] = {
	[SC_PASS] = "pass", [SC_INFO] = "info", [SC_SKIP] = "skip",
	[SC_WARN] = "warn", [SC_FAIL] = "fail", [SC_ERROR] = "error",
};

SC_STRING_TABLE(sc_status, enum sc_status, status_names, "error")

void sc_report_init(struct sc_report *r, const char *verb)
{
	*r = (struct sc_report){ .verb = verb, .sections = SC_SECTION_ALL };
}

void sc_check_done(struct sc_check *c)
{
	free(c->summary);
	free(c->remedy);
	for (size_t i = 0; i < c->n_evidence; i++) {
		free(c->evidence[i].what);
		free(c->evidence[i].value);
	}
	free(c->evidence);
}

void sc_report_done(struct sc_report *r)
{
	for (size_t i = 0; i < r->n_checks; i++)
		sc_check_done(&r->checks[i]);
	free(r->checks);
	if (r->host) {
		sc_host_facts_done(r->host);
		free(r->host);
	}
	if (r->container) {
		sc_container_facts_done(r->container);
		free(r->container);
	}
	sc_limits_free(r->limits);
	if (r->boot) {
		sc_boot_result_done(r->boot);
		free(r->boot);
	}
	if (r->fix) {
		sc_fix_done(r->fix);
		free(r->fix);
	}
	if (r->boot_env) {
		sc_boot_env_done(r->boot_env);
		free(r->boot_env);
	}
	if (r->image) {
		sc_image_facts_done(r->image);
		free(r->image);
	}
	sc_listed_free(r->listed, r->n_listed);
	for (size_t i = 0; i < r->n_subs; i++)
		sc_report_done(&r->subs[i]);
	free(r->subs);
	sc_container_ref_done(&r->target);
	sc_strv_free(r->notes);
	*r = (struct sc_report){};
}

void sc_report_run(struct sc_report *r, const struct sc_check_def *table, const void *facts)
{
	for (size_t i = 0; table[i].id; i++) {
		struct sc_check *c = SC_APPEND(r->checks, r->n_checks);

		c->id = table[i].id;
		c->section = table[i].section;
		/* A rule that forgets to set a status must not pass. */
		c->status = SC_ERROR;
		table[i].run(facts, c);
		if (!c->summary)
			c->summary = sc_xstrdup("rule gave no result");
	}
}

void sc_report_ignore(struct sc_report *r, char *const *patterns)
{
	for (size_t i = 0; i < r->n_checks; i++)
		for (char *const *p = patterns; p && *p; p++)
			if (fnmatch(*p, r->checks[i].id, 0) == 0)
				r->checks[i].ignored = true;
	for (size_t i = 0; i < r->n_subs; i++)
		sc_report_ignore(&r->subs[i], patterns);
}

void sc_report_only(struct sc_report *r, char *const *patterns)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_checks; i++) {
		bool keep = false;

		for (char *const *p = patterns; p && *p && !keep; p++)
			keep = fnmatch(*p, r->checks[i].id, 0) == 0;
		if (keep)
			r->checks[n++] = r->checks[i];
		else
			sc_check_done(&r->checks[i]);
	}
	r->n_checks = n;
	for (size_t i = 0; i < r->n_subs; i++)
		sc_report_only(&r->subs[i], patterns);
}

void sc_report_summary(const struct sc_report *r, struct sc_summary *ret)
{
	struct sc_summary s = {};

	for (size_t i = 0; i < r->n_checks; i++) {
		if (r->checks[i].ignored)
			s.ignored++;
		else
			s.counts[r->checks[i].status]++;
	}
	for (size_t i = 0; i < r->n_subs; i++) {
		struct sc_summary t;

		sc_report_summary(&r->subs[i], &t);
		for (int j = 0; j < _SC_STATUS_MAX; j++)
			s.counts[j] += t.counts[j];
		s.ignored += t.ignored;
	}
	*ret = s;
}

int sc_report_exit_code(const struct sc_report *r, bool strict)
{
	struct sc_summary s;

	if (r->state_unreadable)
		return 3;
	sc_report_summary(r, &s);
	if (s.counts[SC_FAIL] || s.counts[SC_ERROR])
		return 1;
	if (strict && s.counts[SC_WARN])
		return 1;
	return 0;
}

static char *vformat(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		abort();
	return p;
}

void sc_check_set(struct sc_check *c, enum sc_status s, const char *fmt, ...)
{
	va_list ap;

	c->status = s;
	free(c->summary);
	va_start(ap, fmt);
	c->summary = vformat(fmt, ap);
	va_end(ap);
}

void sc_check_remedy(struct sc_check *c, const char *fmt, ...)
{
	va_list ap;

	free(c->remedy);
	va_start(ap, fmt);
	c->remedy = vformat(fmt, ap);
	va_end(ap);
}

void sc_check_evidence(struct sc_check *c, const char *what, const char *fmt, ...)
{
	struct sc_evidence *e = SC_APPEND(c->evidence, c->n_evidence);
	va_list ap;

	e->what = sc_xstrdup(what);
	va_start(ap, fmt);
	e->value = vformat(fmt, ap);
	va_end(ap);
}
