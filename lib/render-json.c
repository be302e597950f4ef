/* SPDX-License-Identifier: MIT */
/* The JSON renderer: the report as one document, keys snake_case and
 * stable (schema/sysctr-check.schema.json documents every one). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>

#include "render.h"
#include "sanitize.h"
#include "util.h"

/* Nearly every string here came from a container, an image or a
 * snapshot, and jansson refuses one that is not UTF-8 (json_string()
 * returns NULL, json_pack() fails, json_object_set_new() then drops the
 * key): so every string of the model becomes JSON through
 * sc_json_string() (which escapes invalid bytes as \xNN), packs use "s"
 * only for literals and the *_to_string() names of enums (not for
 * strerror(): a Latin-1 locale translates it to Latin-1), and every pack,
 * append and set aborts rather than drop a value (sanitize.h). */

/* NULL is JSON null. */

static json_t *tristate(int t)
{
	return json_string(sc_tristate_to_string(t));
}

static json_t *statfs_json(const struct sc_statfs_fact *s)
{
	char hex[32];
	const char *name = s->err ? NULL : sc_fs_magic_name(s->magic);

	snprintf(hex, sizeof(hex), "0x%" PRIx64, s->magic);
	return sc_json_pack("{s:o,s:o,s:o,s:o}", "path", sc_json_string(s->path), "fs",
			    s->err ? json_null() : json_string(name ? name : "unknown"), "magic",
			    s->err ? json_null() : json_string(hex), "error",
			    s->err ? json_string(sc_errname(s->err)) : json_null());
}

json_t *sc_cgroup_facts_to_json(const struct sc_cgroup_facts *cg)
{
	json_t *o, *mounts = sc_json_ok(json_array()), *ctls = sc_json_ok(json_array()),
		   *odd = sc_json_ok(json_array()), *tree;

	for (size_t i = 0; i < cg->n_mounts; i++) {
		const struct sc_cgroup_mount *m = &cg->mounts[i];

		sc_json_append(mounts,
			       sc_json_pack("{s:o,s:s,s:i,s:o,s:b,s:o,s:o,s:b,s:b,s:o,s:o}",
					    "mountpoint", sc_json_string(m->mountpoint), "fstype",
					    m->version == 2 ? "cgroup2" : "cgroup", "version",
					    m->version, "root", sc_json_string(m->root),
					    "read_only", m->read_only, "controllers",
					    sc_json_strv_or_null(m->controllers), "name",
					    sc_json_string(m->name), "nsdelegate", m->nsdelegate,
					    "memory_recursiveprot", m->memory_recursiveprot,
					    "options", sc_json_string(m->options), "super_options",
					    sc_json_string(m->super_options)));
	}
	for (size_t i = 0; i < cg->n_controllers; i++) {
		const struct sc_controller *c = &cg->controllers[i];

		sc_json_append(
			ctls,
			sc_json_pack(
				"{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o}", "name",
				sc_json_string(c->name), "v2_name", sc_json_string(c->v2_name),
				"where", sc_ctrl_where_to_string(c->where), "hierarchy_id",
				c->hierarchy >= 0 ? json_integer(c->hierarchy) : json_null(),
				"num_cgroups",
				c->num_cgroups >= 0 ? json_integer(c->num_cgroups) : json_null(),
				"enabled", c->enabled >= 0 ? json_boolean(c->enabled) : json_null(),
				"v1_mountpoint", sc_json_string(c->v1_mountpoint), "co_mounted",
				sc_json_strv_or_null(c->co_mounted), "v2_available",
				c->v2_available, "v2_enabled", c->v2_enabled, "note",
				sc_json_string(c->note)));
	}
	for (size_t i = 0; i < cg->n_oddities; i++)
		sc_json_append(odd,
			       sc_json_pack("{s:o,s:o}", "id", sc_json_string(cg->oddities[i].id),
					    "detail", sc_json_string(cg->oddities[i].detail)));

	tree = sc_json_ok(json_array());
	for (size_t i = 0; i < cg->n_v2_tree; i++)
		sc_json_append(tree,
			       sc_json_pack("{s:o,s:o}", "path",
					    sc_json_string(cg->v2_tree[i].path), "subtree_control",
					    sc_json_strv_or_null(cg->v2_tree[i].subtree_control)));
	o = sc_json_pack(
		"{s:s,s:o,s:[o,o,o],s:o,s:o,s:o,s:{s:o,s:o,s:o},s:o,s:o,s:{s:o,s:o},s:o}", "mode",
		sc_cgroup_mode_to_string(cg->mode), "v2_path", sc_json_string(cg->v2_path),
		"statfs", statfs_json(&cg->fs_root), statfs_json(&cg->fs_unified),
		statfs_json(&cg->fs_systemd), "oddities", odd, "mounts", mounts, "controllers",
		ctls, "v2", "controllers", sc_json_strv_or_null(cg->v2_controllers),
		"subtree_control", sc_json_strv_or_null(cg->v2_subtree_control), "tree", tree,
		"features", sc_json_strv_or_null(cg->features), "delegate",
		sc_json_strv_or_null(cg->delegate), "swap_accounting", "state",
		tristate(cg->swap_accounting), "evidence", sc_json_string(cg->swap_evidence),
		"in_cgroupns", tristate(cg->in_cgroupns));
	return o;
}

static json_t *errors_json(const struct sc_errlist *l)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < l->n; i++)
		sc_json_append(a,
			       sc_json_pack("{s:o,s:s,s:o}", "path", sc_json_string(l->v[i].path),
					    "errno", sc_errname(l->v[i].err), "message",
					    sc_json_string(sc_strerror(l->v[i].err))));
	return a;
}

json_t *sc_host_facts_to_json(const struct sc_host_facts *f)
{
	json_t *params = sc_json_ok(json_array()), *ns = sc_json_ok(json_array());

	for (size_t i = 0; i < f->n_params; i++)
		sc_json_append(params,
			       sc_json_pack("{s:o,s:o}", "key", sc_json_string(f->params[i].key),
					    "value", sc_json_string(f->params[i].value)));
	for (int t = 0; t < _SC_NS_MAX; t++)
		sc_json_append(
			ns, sc_json_pack("{s:s,s:b,s:o,s:o}", "type", sc_ns_type_to_string(t),
					 "supported", f->ns[t].supported, "inode",
					 f->ns[t].inode ? json_integer((json_int_t)f->ns[t].inode)
							: json_null(),
					 "initial", tristate(f->ns[t].initial)));

	return sc_json_pack(
		"{s:{s:o,s:o,s:o},s:o,s:o,s:o,s:{s:o,s:o,s:o},s:{s:o},s:{s:o,s:o,s:o},s:o}",
		"kernel", "release", sc_json_string(f->kernel_release), "cmdline",
		sc_json_string(f->cmdline), "cmdline_params", params, "cgroup",
		sc_cgroup_facts_to_json(&f->cgroup), "namespaces", ns, "max_user_namespaces",
		f->max_user_namespaces >= 0 ? json_integer(f->max_user_namespaces) : json_null(),
		"init", "pid1_name", sc_json_string(f->pid1_name), "systemd_running",
		tristate(f->systemd_running), "system", sc_json_string(f->init_system), "lxcfs",
		"mountpoints", sc_json_strv_or_null(f->lxcfs_mountpoints), "container",
		"detect_virt", sc_json_string(f->container), "evidence",
		sc_json_string(f->container_evidence), "namespaces_say",
		tristate(f->ns_says_container), "read_errors", errors_json(&f->errors));
}

static json_t *idmap_json(const struct sc_id_range *m, size_t n)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < n; i++)
		sc_json_append(a, sc_json_pack("{s:I,s:I,s:I}", "inside", (json_int_t)m[i].inside,
					       "outside", (json_int_t)m[i].outside, "count",
					       (json_int_t)m[i].count));
	return a;
}

static json_t *cgroup_lines_json(const struct sc_cgroup_line *v, size_t n)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < n; i++)
		sc_json_append(a, sc_json_pack("{s:i,s:o,s:o}", "hierarchy", v[i].hierarchy,
					       "controllers", sc_json_string(v[i].controllers),
					       "path", sc_json_string(v[i].path)));
	return a;
}

static json_t *ref_json(const struct sc_container_ref *r)
{
	return sc_json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "runtime",
			    sc_runtime_to_string(r->runtime), "id", sc_json_string(r->id), "name",
			    sc_json_string(r->name), "pid",
			    r->pid > 0 ? json_integer(r->pid) : json_null(), "bundle",
			    sc_json_string(r->bundle), "state_file", sc_json_string(r->state_file),
			    "rootless_uid", r->rootless ? json_integer(r->uid) : json_null());
}

static json_t *seccomp_json(int mode)
{
	return mode == 0   ? json_string("disabled")
	       : mode == 1 ? json_string("strict")
	       : mode == 2 ? json_string("filter")
			   : json_null();
}

static json_t *outside_json(const struct sc_container_facts *f)
{
	const struct sc_proc_facts *p = &f->proc;
	json_t *ns = sc_json_ok(json_array());

	for (int t = 0; t < _SC_NS_MAX; t++) {
		int priv = sc_proc_ns_private(p, t);
		sc_json_append(
			ns,
			sc_json_pack("{s:s,s:o,s:o}", "type", sc_ns_type_to_string(t), "inode",
				     p->ns[t] ? json_integer((json_int_t)p->ns[t]) : json_null(),
				     "private", priv < 0 ? json_null() : json_boolean(priv)));
	}
	return sc_json_pack(
		"{s:i,s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o,s:o},s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,"
		"s:o}",
		"pid", (int)p->pid, "comm", sc_json_string(p->comm), "cmdline",
		sc_json_string(p->cmdline), "start_time",
		p->stat.start_time ? json_integer((json_int_t)p->stat.start_time) : json_null(),
		"capabilities", "effective",
		p->caps_known ? sc_caps_to_json(p->cap_eff) : json_null(), "permitted",
		p->caps_known ? sc_caps_to_json(p->cap_prm) : json_null(), "bounding",
		p->caps_known ? sc_caps_to_json(p->cap_bnd) : json_null(), "inheritable",
		p->caps_known ? sc_caps_to_json(p->cap_inh) : json_null(), "ambient",
		p->caps_known ? sc_caps_to_json(p->cap_amb) : json_null(), "seccomp",
		seccomp_json(p->seccomp), "no_new_privs",
		p->no_new_privs < 0 ? json_null() : json_boolean(p->no_new_privs), "uid_map",
		idmap_json(p->uid_map, p->n_uid_map), "gid_map",
		idmap_json(p->gid_map, p->n_gid_map), "container_env",
		sc_json_string(p->container_env), "environ_readable",
		json_boolean(p->environ_readable), "namespaces", ns, "cgroups",
		cgroup_lines_json(p->cgroups, p->n_cgroups), "cpus_allowed",
		sc_json_string(p->cpus_allowed), "root_uid",
		f->root_mapped ? json_integer(f->root_uid) : json_null(), "read_errors",
		errors_json(&p->errors));
}

static json_t *cgroup2_json(const struct sc_container_facts *f)
{
	json_t *chain;

	if (!f->cg2_path)
		return json_null();
	chain = sc_json_ok(json_array());
	for (size_t i = 0; i < f->n_chain; i++)
		sc_json_append(chain,
			       sc_json_pack("{s:o,s:o}", "path", sc_json_string(f->chain[i].path),
					    "subtree_control",
					    sc_json_strv_or_null(f->chain[i].subtree_control)));
	return sc_json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "path", sc_json_string(f->cg2_path),
		"host_dir", sc_json_string(f->cg2_host_dir), "ancestors", chain, "controllers",
		sc_json_strv_or_null(f->cg2_controllers), "type", sc_json_string(f->cg2_type),
		"owner_uid", f->cg2_stat_known ? json_integer(f->cg2_uid) : json_null(),
		"owner_gid", f->cg2_stat_known ? json_integer(f->cg2_gid) : json_null(),
		"delegate_not_owned", sc_json_strv_or_null(f->cg2_delegate_not_owned));
}

static json_t *systemd_image_json(const struct sc_systemd_image *s)
{
	return sc_json_pack("{s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o}}", "found", s->found,
			    "version", sc_json_string(s->version), "major",
			    s->v.major >= 0 ? json_integer(s->v.major) : json_null(), "minor",
			    s->v.minor >= 0 ? json_integer(s->v.minor) : json_null(), "source",
			    sc_json_string(s->source), "method", sc_json_string(s->method),
			    "default_hierarchy", sc_json_string(s->default_hierarchy), "init",
			    "path", sc_json_string(s->init_path), "chain",
			    sc_json_strv_or_null(s->init_chain), "is_systemd",
			    tristate(s->init_is_systemd), "error",
			    s->init_error ? json_string(sc_errname(s->init_error)) : json_null());
}

static json_t *inside_json(const struct sc_container_facts *f)
{
	const struct sc_inside_facts *i = &f->inside;
	json_t *hier;

	if (!f->inside_ok)
		return sc_json_pack("{s:b,s:o,s:o}", "ok", 0, "error",
				    sc_json_string(f->inside_error), "timed_out",
				    sc_json_strv_or_null(f->timed_out));
	hier = sc_json_ok(json_array());
	for (size_t k = 0; k < i->n_hier; k++) {
		const struct sc_inside_hierarchy *h = &i->hier[k];
		sc_json_append(hier, sc_json_pack("{s:i,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:b}",
						  "hierarchy", h->hierarchy, "controllers",
						  sc_json_string(h->controllers), "cgroup",
						  sc_json_string(h->cgroup), "mountpoint",
						  sc_json_string(h->mountpoint), "mount_root",
						  sc_json_string(h->mount_root), "dir",
						  sc_json_string(h->dir), "visible", h->visible,
						  "read_only", h->read_only, "own", h->own));
	}
	return sc_json_pack(
		"{s:b,s:o,s:o,s:o,s:o,s:o,s:{s:b,s:o,s:o,s:o,s:o,s:o,s:o},"
		"s:{s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:o,s:o,s:o},s:o,s:{s:o,s:o,s:o},"
		"s:o,s:o,s:o,s:o,s:o}",
		"ok", 1, "error", json_null(), "timed_out", sc_json_strv_or_null(f->timed_out),
		"cgroup", sc_cgroup_facts_to_json(&i->cgroup), "pid1_cgroups",
		cgroup_lines_json(i->pid1_cgroups, i->n_pid1_cgroups), "hierarchies", hier,
		"own_cgroup2", "known", i->own2.known, "type", sc_json_string(i->own2.type),
		"controllers", sc_json_strv_or_null(i->own2.controllers), "subtree_control",
		sc_json_strv_or_null(i->own2.subtree_control), "owner_uid",
		i->own2.stat_known ? json_integer(i->own2.uid) : json_null(), "owner_gid",
		i->own2.stat_known ? json_integer(i->own2.gid) : json_null(), "delegate_not_owned",
		sc_json_strv_or_null(i->own2.delegate_not_owned), "api_filesystems", "run",
		sc_json_string(i->fs_run), "run_lock", sc_json_string(i->fs_run_lock), "tmp",
		sc_json_string(i->fs_tmp), "dev_shm", sc_json_string(i->fs_dev_shm), "proc",
		i->proc_mounted, "sys", i->sys_mounted, "dev", i->dev_mounted, "sys_read_only",
		tristate(i->sys_read_only), "proc_sys_read_only", tristate(i->proc_sys_read_only),
		"dev_console", tristate(i->dev_console), "lxcfs_mountpoints",
		sc_json_strv_or_null(i->lxcfs_mountpoints), "os_release", "pretty_name",
		sc_json_string(i->os_pretty_name), "id", sc_json_string(i->os_id), "version_id",
		sc_json_string(i->os_version_id), "systemd", systemd_image_json(&i->systemd),
		"systemd_running", tristate(i->systemd_running), "manager",
		sc_manager_to_json(i->systemd_running, &i->manager, i->manager_error), "pid1_comm",
		sc_json_string(i->pid1_comm), "read_errors", errors_json(&i->errors));
}

json_t *sc_container_facts_to_json(const struct sc_container_facts *f)
{
	return sc_json_pack("{s:o,s:o,s:o,s:o}", "target", ref_json(&f->ref), "outside",
			    outside_json(f), "cgroup2", cgroup2_json(f), "inside", inside_json(f));
}

static json_t *list_json(const struct sc_report *r)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < r->n_listed; i++) {
		const struct sc_listed *l = &r->listed[i];
		json_t *ns = sc_json_ok(json_object());

		for (int t = 0; t < _SC_NS_MAX; t++)
			sc_json_set(ns, sc_ns_type_to_string(t),
				    l->private_ns[t] < 0 ? json_null()
							 : json_boolean(l->private_ns[t]));
		sc_json_append(a, sc_json_pack("{s:o,s:b,s:o,s:o,s:o}", "target", ref_json(&l->ref),
					       "running", l->running, "cgroup",
					       sc_json_string(l->cgroup), "private_namespaces", ns,
					       "cmdline", sc_json_string(l->cmdline)));
	}
	return a;
}

static json_t *check_json(const struct sc_check *c)
{
	json_t *ev = sc_json_ok(json_array());

	for (size_t i = 0; i < c->n_evidence; i++)
		sc_json_append(ev, sc_json_pack("{s:o,s:o}", "what",
						sc_json_string(c->evidence[i].what), "value",
						sc_json_string(c->evidence[i].value)));
	/* id and section are static (a check table); the summary quotes facts. */
	return sc_json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:b}", "id", c->id, "section", c->section,
			    "status", sc_status_to_string(c->status), "summary",
			    sc_json_string(c->summary), "evidence", ev, "remedy",
			    sc_json_string(c->remedy), "ignored", c->ignored);
}

static json_t *checks_json(const struct sc_report *r)
{
	json_t *checks = sc_json_ok(json_array());

	for (size_t i = 0; i < r->n_checks; i++)
		sc_json_append(checks, check_json(&r->checks[i]));
	return checks;
}

static json_t *summary_json(const struct sc_report *r)
{
	json_t *summary = sc_json_ok(json_object());
	struct sc_summary s;

	sc_report_summary(r, &s);
	for (int i = 0; i < _SC_STATUS_MAX; i++)
		sc_json_set(summary, sc_status_to_string(i), json_integer(s.counts[i]));
	sc_json_set(summary, "ignored", json_integer(s.ignored));
	sc_json_set(summary, "strict", json_boolean(r->strict));
	sc_json_set(summary, "exit_code", json_integer(sc_report_exit_code(r, r->strict)));
	return summary;
}

/* The sections of one container (a report's own, or a sub's with --all). */
static void container_sections(json_t *doc, const struct sc_report *r)
{
	if (r->container && (r->sections & SC_SECTION_CONTAINER))
		sc_json_set(doc, "container", sc_container_facts_to_json(r->container));
	if (r->limits && (r->sections & SC_SECTION_LIMITS))
		sc_json_set(doc, "limits", sc_limits_to_json(r->limits));
	if (r->boot && (r->sections & SC_SECTION_BOOT)) {
		json_t *boot = sc_boot_to_json(r->boot, r->boot_env);
		if (r->fix)
			sc_json_set(boot, "fix", sc_fix_to_json(r->fix));
		sc_json_set(doc, "boot", boot);
	}
}

json_t *sc_report_to_json(const struct sc_report *r)
{
	json_t *doc;

	doc = sc_json_pack("{s:i,s:{s:s,s:s},s:o}", "schema_version", SC_SCHEMA_VERSION, "tool",
			   "name", SC_TOOL_NAME, "version", SC_VERSION, "command",
			   sc_json_string(r->verb));
	if (r->host) {
		sc_json_set(doc, "root",
			    sc_json_pack("{s:o,s:b,s:i}", "path",
					 sc_json_string(r->host->root_path), "live", r->host->live,
					 "euid", r->host->euid));
		if (r->sections & (SC_SECTION_HOST | SC_SECTION_HOST_SUMMARY))
			sc_json_set(doc, "host", sc_host_facts_to_json(r->host));
	}
	if (r->image && (r->sections & SC_SECTION_IMAGE))
		sc_json_set(doc, "image", sc_image_facts_to_json(r->image, r->host));
	if (r->has_list && (r->sections & SC_SECTION_LIST))
		sc_json_set(doc, "containers", list_json(r));
	/* --all: what `VERB TARGET` gives, once per container. */
	if (r->all) {
		json_t *a = sc_json_ok(json_array());

		for (size_t i = 0; i < r->n_subs; i++) {
			const struct sc_report *sub = &r->subs[i];
			json_t *e = sc_json_pack("{s:o}", "target", ref_json(&sub->target));

			container_sections(e, sub);
			sc_json_set(e, "checks", checks_json(sub));
			sc_json_set(e, "summary", summary_json(sub));
			sc_json_append(a, e);
		}
		sc_json_set(doc, "containers", a);
	}
	container_sections(doc, r);
	if (r->notes) {
		json_t *a = sc_json_ok(json_array());

		for (char **n = r->notes; *n; n++)
			sc_json_append(a, sc_json_string(*n));
		sc_json_set(doc, "notes", a);
	}
	sc_json_set(doc, "checks", checks_json(r));
	sc_json_set(doc, "summary", summary_json(r));
	return doc;
}

int sc_render_json(const struct sc_report *r, FILE *out)
{
	json_t *doc = sc_report_to_json(r);
	int k;

	k = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (k < 0 || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}
