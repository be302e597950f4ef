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
