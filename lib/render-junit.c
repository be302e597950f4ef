/* SPDX-License-Identifier: MIT */
/* JUnit XML: one <testsuite> per part of a report (the host, each
 * container), one <testcase> per check, as CI systems read it. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "checks.h"
#include "render.h"
#include "sanitize.h"
#include "util.h"

/* The format has no standard; what its consumers agree on (Jenkins'
 * junit plugin and its XSD, GitLab, junitparser, Ant's JUnit task):
 * <testsuites> holds <testsuite name tests failures errors skipped
 * timestamp hostname>, each holds <properties> and <testcase classname
 * name>, and a test case that did not pass holds one <failure>, <error>
 * or <skipped> with a message attribute and its details as text.
 *
 * How a check's status maps:
 *   pass, info       passed (the summary in <system-out>)
 *   warn             passed, or <failure type="warn"> with --strict: as
 *                    the exit code counts it
 *   fail             <failure type="fail">
 *   error            <error type="error">: the check could not observe,
 *                    which CI systems show apart from a failure
 *   skip             <skipped>
 *   ignored          <skipped> whatever its status (--ignore: shown, not
 *                    counted)
 * The check's area is the classname and its id the name; the suite's
 * name says which part of the report (host, runc:NAME) it is. */

enum outcome {
	PASSED,
	FAILED,
	ERRORED,
	SKIPPED,
};

static enum outcome outcome_of(const struct sc_check *c, bool strict)
{
	if (c->ignored)
		return SKIPPED;
	switch (c->status) {
	case SC_FAIL:
		return FAILED;
	case SC_WARN:
		return strict ? FAILED : PASSED;
	case SC_ERROR:
		return ERRORED;
	case SC_SKIP:
		return SKIPPED;
	default:
		return PASSED;
	}
}

/* Writes s as XML character data (attr: as an attribute value between
 * double quotes). XML 1.0 (section 2.2) allows tab, newline, carriage
 * return and the code points from U+0020 up but the surrogates and
 * U+FFFE, U+FFFF: every other C0 control, DEL, the C1 controls and each
 * byte that is not part of valid UTF-8 are written as the text \xNN,
 * the escape the text output shows. A parser normalises a raw carriage
 * return to a newline, and in an attribute tab and newline to spaces:
 * those are character references, so the value reads back as it was.
 * '>' is always &gt;, so "]]>" cannot end anything. */
static void xml_put(FILE *out, const char *s, bool attr)
{
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		unsigned char b = (unsigned char)s[i];
		int len;

		switch (b) {
		case '&':
			fputs("&amp;", out);
			i++;
			continue;
		case '<':
			fputs("&lt;", out);
			i++;
			continue;
		case '>':
			fputs("&gt;", out);
			i++;
			continue;
		case '"':
			fputs("&quot;", out);
			i++;
			continue;
		case '\r':
			fputs("&#13;", out);
			i++;
			continue;
		case '\n':
		case '\t':
			if (attr)
				fprintf(out, "&#%u;", b);
			else
				fputc(b, out);
			i++;
			continue;
		}
		if (b < 0x20 || b == 0x7f) {
			fprintf(out, "\\x%02x", b);
			i++;
			continue;
		}
		if (b < 0x80) {
			fputc(b, out);
			i++;
			continue;
		}
		len = sc_utf8_len(s + i, n - i);
		/* C1 controls are c2 80..c2 9f; U+FFFE and U+FFFF are ef bf be/bf. */
		if (len <= 0 || (len == 2 && b == 0xc2 && (unsigned char)s[i + 1] < 0xa0) ||
		    (len == 3 && b == 0xef && (unsigned char)s[i + 1] == 0xbf &&
		     (unsigned char)s[i + 2] >= 0xbe)) {
			int k = len > 0 ? len : 1;
			for (int j = 0; j < k; j++)
				fprintf(out, "\\x%02x", (unsigned char)s[i + j]);
			i += (size_t)k;
			continue;
		}
		fwrite(s + i, 1, (size_t)len, out);
		i += (size_t)len;
	}
}

static void xml_attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	xml_put(out, value, true);
	fputc('"', out);
}

static void xml_attr_u(FILE *out, const char *name, unsigned value)
{
	fprintf(out, " %s=\"%u\"", name, value);
}

/* One part of the report: a suite. */
struct part {
	char *name;
	const struct sc_report *r;
	int which;			/* HOST_CHECKS, OTHER_CHECKS, ALL_CHECKS of r */
	const struct sc_report *target; /* its container's report, or NULL */
	unsigned counts[4];		/* enum outcome */
	unsigned tests;
};

enum { HOST_CHECKS, OTHER_CHECKS, ALL_CHECKS };

static bool is_host_check(const struct sc_check *c)
{
	for (const struct sc_check_def *d = sc_host_checks; d->id; d++)
		if (streq(d->id, c->id))
			return true;
	return false;
}

static bool in_part(const struct part *p, const struct sc_check *c)
{
	return p->which == ALL_CHECKS || (p->which == HOST_CHECKS) == is_host_check(c);
}

static void part_count(struct part *p, bool strict)
{
	for (size_t i = 0; i < p->r->n_checks; i++)
		if (in_part(p, &p->r->checks[i])) {
			p->counts[outcome_of(&p->r->checks[i], strict)]++;
			p->tests++;
		}
}

/* What the check says, as text: its status and summary, the evidence,
 * the remedy. */
static void check_body(FILE *out, const struct sc_check *c)
{
	fprintf(out, "%s%s: ", sc_status_to_string(c->status), c->ignored ? " (ignored)" : "");
	xml_put(out, c->summary, false);
	fputc('\n', out);
	for (size_t i = 0; i < c->n_evidence; i++) {
		fputs(i == 0 ? "evidence: " : "          ", out);
		xml_put(out, c->evidence[i].what, false);
		fputs(": ", out);
		xml_put(out, c->evidence[i].value, false);
		fputc('\n', out);
	}
	if (c->remedy) {
		fputs("remedy: ", out);
		xml_put(out, c->remedy, false);
		fputc('\n', out);
	}
}

static void render_case(FILE *out, const struct sc_check *c, bool strict)
{
	enum outcome o = outcome_of(c, strict);
	_cleanup_free_ char *msg = NULL;

	fputs("    <testcase", out);
	xml_attr(out, "classname", c->section);
	xml_attr(out, "name", c->id);
	fputs(">\n", out);
	switch (o) {
	case FAILED:
	case ERRORED:
		fprintf(out, "      <%s", o == FAILED ? "failure" : "error");
		xml_attr(out, "type", sc_status_to_string(c->status));
		xml_attr(out, "message", c->summary);
		fputc('>', out);
		check_body(out, c);
		fprintf(out, "</%s>\n", o == FAILED ? "failure" : "error");
		break;
	case SKIPPED:
		msg = c->ignored ? sc_xasprintf("ignored (--ignore): %s: %s",
						sc_status_to_string(c->status),
						c->summary ? c->summary : "")
				 : NULL;
		fputs("      <skipped", out);
		xml_attr(out, "message", msg ? msg : c->summary);
		fputs("/>\n", out);
		/* The details, as for a passed check. */
		__attribute__((fallthrough));
	case PASSED:
		fputs("      <system-out>", out);
		check_body(out, c);
		fputs("</system-out>\n", out);
		break;
	}
	fputs("    </testcase>\n", out);
}

static void property(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fputs("      <property", out);
	xml_attr(out, "name", name);
	xml_attr(out, "value", value);
	fputs("/>\n", out);
}

static void render_suite(FILE *out, const struct sc_report *top, const struct part *p, unsigned id,
			 const char *stamp)
{
	const struct sc_report *t = p->target;

	fputs("  <testsuite", out);
	xml_attr(out, "name", p->name);
	xml_attr_u(out, "id", id);
	xml_attr(out, "package", SC_TOOL_NAME);
	xml_attr_u(out, "tests", p->tests);
	xml_attr_u(out, "failures", p->counts[FAILED]);
	xml_attr_u(out, "errors", p->counts[ERRORED]);
	xml_attr_u(out, "skipped", p->counts[SKIPPED]);
	xml_attr(out, "timestamp", stamp);
	xml_attr(out, "hostname",
		 top->host && top->host->hostname ? top->host->hostname : "unknown");
	fputs(">\n    <properties>\n", out);
	property(out, "version", SC_VERSION);
	property(out, "command", top->verb);
	if (top->host)
		property(out, "root", top->host->root_path);
	/* The host's cgroup mode, or the one the container sees. */
	if (!t && top->host)
		property(out, "cgroup.mode", sc_cgroup_mode_to_string(top->host->cgroup.mode));
	else if (t && t->container && t->container->inside_ok)
		property(out, "cgroup.mode",
			 sc_cgroup_mode_to_string(t->container->inside.cgroup.mode));
	if (t && t->container) {
		_cleanup_free_ char *pid = sc_xasprintf("%d", (int)t->container->ref.pid);

		property(out, "target.runtime", sc_runtime_to_string(t->container->ref.runtime));
		property(out, "target.id", t->container->ref.id);
		property(out, "target.name", t->container->ref.name);
		property(out, "target.pid", pid);
		if (t->container->ref.rootless) {
			_cleanup_free_ char *uid =
				sc_xasprintf("%u", (unsigned)t->container->ref.uid);
			property(out, "target.rootless_uid", uid);
		}
	}
	if (t && t->boot) {
		property(out, "boot.verdict", sc_boot_verdict_to_string(t->boot->verdict));
		property(out, "boot.failure", sc_boot_failure_to_string(t->boot->failure));
	}
	if (top->strict)
		property(out, "strict", "true");
	fputs("    </properties>\n", out);
	for (size_t i = 0; i < p->r->n_checks; i++)
		if (in_part(p, &p->r->checks[i]))
			render_case(out, &p->r->checks[i], top->strict);
	fputs("  </testsuite>\n", out);
}

/* The part a report's container checks make: named after its target,
 * or "bundle" for a boot prediction from --bundle. */
static char *part_name(const struct sc_report *r, const struct sc_container_ref *ref)
{
	if (ref && (ref->id || ref->name))
		return sc_render_target_name(ref);
	if (r->container)
		return sc_render_target_name(&r->container->ref);
	if (r->boot_env && r->boot_env->source && streq(r->boot_env->source, "bundle"))
		return sc_xstrdup("bundle");
	return sc_xstrdup(r->verb);
}

int sc_render_junit(const struct sc_report *r, FILE *out)
{
	struct part *parts = NULL;
	size_t n_parts = 0;
	unsigned total[4] = {}, tests = 0;
	char stamp[32];
	time_t now = (time_t)sc_render_timestamp();
	struct tm tm;
	int k = 0;

	/* The host's checks, then those of the report's container, then
	 * each of --all's: empty parts are left out. */
	parts = sc_xcalloc(r->n_subs + 2, sizeof(*parts));
	parts[n_parts++] =
		(struct part){ .name = sc_xstrdup("host"), .r = r, .which = HOST_CHECKS };
	parts[n_parts++] = (struct part){
		.name = part_name(r, NULL), .r = r, .which = OTHER_CHECKS, .target = r
	};
	for (size_t i = 0; i < r->n_subs; i++)
		parts[n_parts++] =
			(struct part){ .name = part_name(&r->subs[i], &r->subs[i].target),
				       .r = &r->subs[i],
				       .which = ALL_CHECKS,
				       .target = &r->subs[i] };
	for (size_t i = 0; i < n_parts; i++) {
		part_count(&parts[i], r->strict);
		tests += parts[i].tests;
		for (int j = 0; j < 4; j++)
			total[j] += parts[i].counts[j];
	}

	/* xs:dateTime without a zone, as Jenkins' XSD has it: UTC. */
	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(stamp, sizeof(stamp), "1970-01-01T00:00:00");

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
	{
		_cleanup_free_ char *name = sc_xasprintf("%s %s", SC_TOOL_NAME, r->verb);
		xml_attr(out, "name", name);
	}
	xml_attr_u(out, "tests", tests);
	xml_attr_u(out, "failures", total[FAILED]);
	xml_attr_u(out, "errors", total[ERRORED]);
	xml_attr_u(out, "skipped", total[SKIPPED]);
	xml_attr(out, "timestamp", stamp);
	fputs(">\n", out);
	for (size_t i = 0, id = 0; i < n_parts; i++)
		if (parts[i].tests > 0 || (parts[i].target && parts[i].which == ALL_CHECKS))
			render_suite(out, r, &parts[i], (unsigned)id++, stamp);
	fputs("</testsuites>\n", out);

	for (size_t i = 0; i < n_parts; i++)
		free(parts[i].name);
	free(parts);
	if (ferror(out))
		k = -EIO;
	return k;
}
