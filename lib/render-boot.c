/* SPDX-License-Identifier: MIT */
/* The boot verdict rendered: the JSON at .boot (the same shape for live
 * targets and bundles) and the text section that ends a report. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "proc.h"
#include "render-text.h"
#include "util.h"

/* Strings of the model become JSON through sc_json_string() (NULL is
 * null, bytes that are not UTF-8 are escaped), never json_string() or a
 * pack's "s": see render-json.c. */

json_t *sc_boot_to_json(const struct sc_boot_result *b, const struct sc_boot_env *e)
{
	json_t *rules = sc_json_ok(json_array()), *env;

	for (size_t i = 0; i < b->n_hits; i++) {
		const struct sc_boot_hit *h = &b->hits[i];
		sc_json_append(rules, sc_json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "id",
						   sc_json_string(h->id), "effect",
						   sc_boot_verdict_to_string(h->effect), "message",
						   sc_json_string(h->message), "evidence",
						   sc_json_strv(h->evidence), "remedy",
						   sc_json_string(h->remedy), "units",
						   sc_json_strv(h->units), "reference",
						   sc_json_string(h->reference)));
	}
	env = sc_json_pack(
		"{s:o,s:o,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:o,s:b,s:b,s:o,s:b,s:b,s:o,s:o,"
		"s:o,s:s,s:b}",
		"source", sc_json_string(e->source), "runtime", sc_json_string(e->runtime),
		"host_cgroup_mode", sc_cgroup_mode_to_string(e->host_mode), "cgroup_fs",
		sc_boot_cgfs_to_string(e->cgfs), "cgroup_fs_read_only", e->cgfs_ro,
		"hierarchies_read_only", e->hier_ro, "name_systemd", e->has_name_systemd,
		"name_systemd_visible", e->name_systemd_visible, "unified", e->has_unified,
		"host_tree", e->host_tree, "pid1_cgroup", sc_json_string(e->pid1_cgroup),
		"cgroupns", e->cgroupns, "userns", e->userns, "capabilities",
		sc_caps_to_json(e->caps), "no_new_privs", e->nnp, "container_env", e->container_env,
		"run", sc_json_string(e->fs_run), "run_lock", sc_json_string(e->fs_run_lock), "tmp",
		sc_json_string(e->fs_tmp), "dev_console", sc_tristate_to_string(e->dev_console),
		"kernel_modules", e->kernel_modules);
	sc_json_set(env, "container_detected",
		    json_pack("{s:o,s:o,s:o,s:s}", "container_manager",
			      sc_json_string(e->container_manager), "dockerenv",
			      sc_json_string(sc_tristate_to_string(e->dockerenv)), "containerenv",
			      sc_json_string(sc_tristate_to_string(e->containerenv)),
			      "nested_cgroup", sc_tristate_to_string(e->cgroup_nested)));
	return sc_json_pack(
		"{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}", "verdict",
		sc_boot_verdict_to_string(b->verdict), "failure",
		sc_boot_failure_to_string(b->failure)
			? json_string(sc_boot_failure_to_string(b->failure))
			: json_null(),
		"failure_why", sc_json_string(b->failure_why), "systemd_version",
		sc_json_string(b->systemd_version), "cgroup_mode", sc_json_string(b->cgroup_mode),
		"failing_units", sc_json_strv(b->failing_units), "rules", rules, "systemd_running",
		sc_tristate_to_string(b->running), "manager",
		sc_manager_to_json(b->running, &b->now, b->now_error), "environment", env);
}

/* "  rules              ID (effect)" and, under the id, "  LABEL TEXT"
 * lines wrapped under their text. */
static void rule_line(const struct sc_text_out *t, const char *label, const char *text)
{
	size_t col = SC_TEXT_KV_COL + 2 + strlen(label) + 1;

	fprintf(t->f, "%*s%s ", SC_TEXT_KV_COL + 2, "", label);
	sc_text_wrap(t, col, col, text);
	sc_text_nl(t);
}

void sc_render_boot_text(const struct sc_boot_result *b, const struct sc_boot_env *e,
			 const struct sc_text_out *t)
{
	/* Everything goes to out, the escaping FILE (render-text.h). */
	FILE *out = t->f;
	_cleanup_free_ char *units = sc_strv_join(b->failing_units, ", ");
	const char *verdict = sc_boot_verdict_to_string(b->verdict);

	sc_text_heading(t, "Boot");
	fprintf(out, "  %-18s ", "verdict");
	sc_text_sgr(t, SC_ANSI_BOLD);
	fputs(verdict, out);
	sc_text_sgr(t, SC_ANSI_RESET);
	if (b->failure == SC_BOOT_EXITS)
		sc_text_wrap(t, SC_TEXT_KV_COL + strlen(verdict), SC_TEXT_KV_COL,
			     ": PID 1 exits, the container stops");
	else if (b->failure == SC_BOOT_FREEZES)
		sc_text_wrap(t, SC_TEXT_KV_COL + strlen(verdict), SC_TEXT_KV_COL,
			     ": PID 1 freezes, the container runs on and never comes up");
	sc_text_nl(t);
	if (b->failure_why)
		sc_text_kv(t, "", "%s", b->failure_why);
	sc_text_kv(t, "systemd", "%s%s", b->systemd_version ? b->systemd_version : "not found",
		   e->source && streq(e->source, "bundle") ? " (in the bundle's rootfs)"
							   : " (in the image)");
	sc_text_kv(t, "cgroup mode", "%s", b->cgroup_mode);
	sc_text_kv(t, "environment", "%s%s, %s; cgroup namespace %s; CAP_SYS_ADMIN %s; /run %s",
		   sc_boot_cgfs_to_string(e->cgfs), e->cgfs_ro ? " ro" : "",
		   e->host_tree	    ? "the host's tree"
		   : e->has_unified ? "with cgroup2 at unified"
				    : "own",
		   e->cgroupns ? "private" : "host",
		   e->caps & (1ULL << SC_CAP_SYS_ADMIN) ? "yes" : "no",
		   e->fs_run ? e->fs_run : "not mounted");
	if (b->verdict == SC_BOOT_DEGRADED)
		sc_text_kv(t, "failing units", "%s", units);
	if (b->running == SC_YES && b->now_error == 0) {
		_cleanup_free_ char *failed = sc_strv_join(b->now.failed_units, ", ");
		sc_text_kv(t, "now", "systemd %s is PID 1 there already: %s%s%s",
			   strna(b->now.version), strna(b->now.system_state),
			   *failed ? ", failed: " : "", failed);
	} else if (b->running == SC_YES)
		sc_text_kv(t, "now",
			   "systemd is PID 1 there already; its manager did not say how it is "
			   "doing (%s: %s)",
			   sc_errname(b->now_error), sc_strerror(b->now_error));
	for (size_t i = 0; i < b->n_hits; i++) {
		const struct sc_boot_hit *h = &b->hits[i];

		sc_text_kv(t, i == 0 ? "rules" : "", "%s (%s)", h->id,
			   sc_boot_verdict_to_string(h->effect));
		rule_line(t, "systemd says:", h->message);
		for (char **ev = h->evidence; ev && *ev; ev++)
			rule_line(t, "evidence:", *ev);
		if (h->remedy)
			rule_line(t, "remedy:", h->remedy);
	}
}

/* ---- boot --fix ------------------------------------------------------------------ */

json_t *sc_fix_to_json(const struct sc_fix *f)
{
	json_t *changes = sc_json_ok(json_array());

	for (size_t i = 0; i < f->n_changes; i++) {
		const struct sc_fix_change *c = &f->changes[i];
		sc_json_append(changes,
			       sc_json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:i}", "runtime",
					    c->runtime, "changes", sc_json_strv(c->ids), "add",
					    sc_json_strv(c->add), "remove", sc_json_strv(c->remove),
					    "patch",
					    c->patch ? json_deep_copy(c->patch) : json_null(),
					    "grants", sc_json_strv(c->grants), "host",
					    sc_json_strv(c->host), "expected_verdict",
					    sc_boot_verdict_to_string(c->expected_verdict), "rank",
					    (int)c->rank));
	}
	return sc_json_pack("{s:s,s:b,s:o,s:i,s:o}", "from", sc_boot_verdict_to_string(f->from),
			    "host_side", f->host_side, "why", sc_json_string(f->why), "tried",
			    (int)f->tried, "changes", changes);
}

/* s after a label column, wrapped at spaces (and after the commas of a
 * JSON value too long for a line) to fit the width. */
static void wrapped(const struct sc_text_out *t, const char *label, const char *s)
{
	const size_t indent = 21;
	size_t width = t->o && t->o->width ? t->o->width : 80, room, col = 0;
	const char *p = s;
	bool first = true;

	if (width < indent + 30)
		width = indent + 30;
	room = width - indent;
	fprintf(t->f, "  %-18s ", label);
	while (*p) {
		/* The next piece: up to a space, or a comma when too long. */
		size_t n = strcspn(p, " ");
		const char *comma;

		if (n > room) {
			n = room;
			for (comma = p + room - 1; comma > p; comma--)
				if (*comma == ',' || *comma == ':')
					break;
			if (comma > p)
				n = (size_t)(comma - p) + 1;
		}
		if (!first && col + 1 + n > room) {
			sc_text_nl(t);
			fprintf(t->f, "%*s", (int)indent, "");
			col = 0;
		} else if (!first && p[-1] == ' ') {
			fputc(' ', t->f);
			col++;
		}
		fprintf(t->f, "%.*s", (int)n, p);
		col += n;
		first = false;
		p += n;
		if (*p == ' ')
			p++;
	}
	sc_text_nl(t);
}

/* What a set grants, less the changes that grant nothing. */
static char *grants_text(char *const *grants)
{
	struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **v = NULL;

	for (char *const *g = grants; g && *g; g++)
		if (!startswith(*g, "nothing"))
			sc_strv_builder_push(&b, *g);
	v = sc_strv_builder_take(&b);
	return *v ? sc_strv_join(v, "; ") : sc_xstrdup("nothing");
}

static void patch_text(const json_t *patch, const struct sc_text_out *t)
{
	/* One line per operation; a run of "add" to the same array end (a
	 * capability list, mounts) on one line. */
	for (size_t k = 0, n = 0; k < json_array_size(patch); k = n) {
		json_t *o = json_array_get(patch, k);
		const char *opn = strna(json_string_value(json_object_get(o, "op")));
		const char *path = strna(json_string_value(json_object_get(o, "path")));
		struct sc_strv_builder vals = {};
		_cleanup_strv_free_ char **v = NULL;
		_cleanup_free_ char *joined = NULL, *line = NULL;

		for (n = k; n < json_array_size(patch); n++) {
			json_t *q = json_array_get(patch, n), *val;
			if (n > k &&
			    (!streq(opn, "add") || !endswith(path, "/-") ||
			     !streq_ptr(json_string_value(json_object_get(q, "op")), opn) ||
			     !streq_ptr(json_string_value(json_object_get(q, "path")), path)))
				break;
			val = json_object_get(q, "value");
			if (val)
				sc_strv_builder_consume(
					&vals, json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY));
		}
		v = sc_strv_builder_take(&vals);
		joined = sc_strv_join(v, " ");
		line = sc_xasprintf("%s %s%s%s", opn, path, *joined ? " " : "", joined);
		wrapped(t, k ? "" : "  patch", line);
	}
}

/* The best set in full; the others by what they change and grant (the
 * JSON has each in full). */
void sc_render_fix_text(const struct sc_fix *f, const struct sc_text_out *t)
{
	sc_text_heading(t, "Fix");
	wrapped(t, "search", f->why ? f->why : "");
	for (size_t i = 0; i < f->n_changes; i++) {
		const struct sc_fix_change *c = &f->changes[i];
		bool flags = streq(c->runtime, "docker") || streq(c->runtime, "podman") ||
			     streq(c->runtime, "nspawn");
		_cleanup_free_ char *label = sc_xasprintf("%s %zu", i ? "or" : "change", i + 1);
		_cleanup_free_ char *grants = grants_text(c->grants);
		_cleanup_free_ char *ids = sc_strv_join(c->ids, ", ");
		_cleanup_free_ char *head =
			sc_xasprintf("%s, expected %s: %s", c->runtime,
				     sc_boot_verdict_to_string(c->expected_verdict), ids);

		wrapped(t, label, head);
		for (char **h = c->host; i == 0 && h && *h; h++)
			wrapped(t, "  on the host", *h);
		/* Flags are short: every set's; config keys, options and
		 * patches: the first set's. */
		if (flags && c->add && c->add[0]) {
			_cleanup_free_ char *a = sc_strv_join(c->add, " ");
			wrapped(t, "  add", a);
		} else
			for (char **a = c->add; i == 0 && a && *a; a++)
				wrapped(t, "  add", *a);
		if (flags && c->remove && c->remove[0]) {
			_cleanup_free_ char *r = sc_strv_join(c->remove, " ");
			wrapped(t, "  remove", r);
		} else
			for (char **r = c->remove; i == 0 && r && *r; r++)
				wrapped(t, "  remove", *r);
		if (i == 0 && c->patch)
			patch_text(c->patch, t);
		wrapped(t, "  grants", grants);
	}
}
