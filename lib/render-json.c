/* SPDX-License-Identifier: MIT */
/* The JSON renderer: the report as one document, keys snake_case and
 * stable (schema/sysctr-check.schema.json documents every one). */
#include <inttypes.h>
#include <stdio.h>

#include "render.h"
#include "util.h"

static json_t *strv_or_null(char *const *l)
{
	json_t *a;

	if (!l)
		return json_null();
	a = json_array();
	for (char *const *i = l; *i; i++)
		json_array_append_new(a, json_string(*i));
	return a;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *tristate(int t)
{
	return json_string(sc_tristate_to_string(t));
}

static json_t *statfs_json(const struct sc_statfs_fact *s)
{
	char hex[32];
	const char *name = s->err ? NULL : sc_fs_magic_name(s->magic);

	snprintf(hex, sizeof(hex), "0x%" PRIx64, s->magic);
	return json_pack("{s:s,s:o,s:o,s:o}", "path", s->path, "fs",
			 s->err ? json_null() : json_string(name ? name : "unknown"), "magic",
			 s->err ? json_null() : json_string(hex), "error",
			 s->err ? json_string(sc_errname(s->err)) : json_null());
}

json_t *sc_cgroup_facts_to_json(const struct sc_cgroup_facts *cg)
{
	json_t *o, *mounts = json_array(), *ctls = json_array(), *odd = json_array();

	for (size_t i = 0; i < cg->n_mounts; i++) {
		const struct sc_cgroup_mount *m = &cg->mounts[i];

		json_array_append_new(
			mounts,
			json_pack("{s:s,s:s,s:i,s:s,s:b,s:o,s:o,s:b,s:b,s:s,s:s}", "mountpoint",
				  m->mountpoint, "fstype", m->version == 2 ? "cgroup2" : "cgroup",
				  "version", m->version, "root", m->root, "read_only", m->read_only,
				  "controllers", strv_or_null(m->controllers), "name",
				  string_or_null(m->name), "nsdelegate", m->nsdelegate,
				  "memory_recursiveprot", m->memory_recursiveprot, "options",
				  m->options, "super_options", m->super_options));
	}
	for (size_t i = 0; i < cg->n_controllers; i++) {
		const struct sc_controller *c = &cg->controllers[i];

		json_array_append_new(
			ctls,
			json_pack("{s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o}", "name", c->name,
				  "v2_name", string_or_null(c->v2_name), "where",
				  sc_ctrl_where_to_string(c->where), "hierarchy_id",
				  c->hierarchy >= 0 ? json_integer(c->hierarchy) : json_null(),
				  "num_cgroups",
				  c->num_cgroups >= 0 ? json_integer(c->num_cgroups) : json_null(),
				  "enabled",
				  c->enabled >= 0 ? json_boolean(c->enabled) : json_null(),
				  "v1_mountpoint", string_or_null(c->v1_mountpoint), "co_mounted",
				  strv_or_null(c->co_mounted), "v2_available", c->v2_available,
				  "v2_enabled", c->v2_enabled, "note", string_or_null(c->note)));
	}
	for (size_t i = 0; i < cg->n_oddities; i++)
		json_array_append_new(odd, json_pack("{s:s,s:s}", "id", cg->oddities[i].id,
						     "detail", cg->oddities[i].detail));

	o = json_pack("{s:s,s:o,s:[o,o,o],s:o,s:o,s:o,s:{s:o,s:o},s:o,s:o,s:{s:o,s:o},s:o}", "mode",
		      sc_cgroup_mode_to_string(cg->mode), "v2_path", string_or_null(cg->v2_path),
		      "statfs", statfs_json(&cg->fs_root), statfs_json(&cg->fs_unified),
		      statfs_json(&cg->fs_systemd), "oddities", odd, "mounts", mounts,
		      "controllers", ctls, "v2", "controllers", strv_or_null(cg->v2_controllers),
		      "subtree_control", strv_or_null(cg->v2_subtree_control), "features",
		      strv_or_null(cg->features), "delegate", strv_or_null(cg->delegate),
		      "swap_accounting", "state", tristate(cg->swap_accounting), "evidence",
		      string_or_null(cg->swap_evidence), "in_cgroupns", tristate(cg->in_cgroupns));
	return o;
}

static json_t *errors_json(const struct sc_errlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "path", l->v[i].path, "errno",
						   sc_errname(l->v[i].err), "message",
						   sc_strerror(l->v[i].err)));
	return a;
}

json_t *sc_host_facts_to_json(const struct sc_host_facts *f)
{
	json_t *params = json_array(), *ns = json_array();

	for (size_t i = 0; i < f->n_params; i++)
		json_array_append_new(params,
				      json_pack("{s:s,s:o}", "key", f->params[i].key, "value",
						string_or_null(f->params[i].value)));
	for (int t = 0; t < _SC_NS_MAX; t++)
		json_array_append_new(
			ns, json_pack("{s:s,s:b,s:o,s:o}", "type", sc_ns_type_to_string(t),
				      "supported", f->ns[t].supported, "inode",
				      f->ns[t].inode ? json_integer((json_int_t)f->ns[t].inode)
						     : json_null(),
				      "initial", tristate(f->ns[t].initial)));

	return json_pack(
		"{s:{s:o,s:o,s:o},s:o,s:o,s:o,s:{s:o,s:o,s:o},s:{s:o},s:{s:o,s:o,s:o},s:o}",
		"kernel", "release", string_or_null(f->kernel_release), "cmdline",
		string_or_null(f->cmdline), "cmdline_params", params, "cgroup",
		sc_cgroup_facts_to_json(&f->cgroup), "namespaces", ns, "max_user_namespaces",
		f->max_user_namespaces >= 0 ? json_integer(f->max_user_namespaces) : json_null(),
		"init", "pid1_name", string_or_null(f->pid1_name), "systemd_running",
		tristate(f->systemd_running), "system", string_or_null(f->init_system), "lxcfs",
		"mountpoints", strv_or_null(f->lxcfs_mountpoints), "container", "detect_virt",
		string_or_null(f->container), "evidence", string_or_null(f->container_evidence),
		"namespaces_say", tristate(f->ns_says_container), "read_errors",
		errors_json(&f->errors));
}

static json_t *check_json(const struct sc_check *c)
{
	json_t *ev = json_array();

	for (size_t i = 0; i < c->n_evidence; i++)
		json_array_append_new(ev, json_pack("{s:s,s:s}", "what", c->evidence[i].what,
						    "value", c->evidence[i].value));
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:b}", "id", c->id, "section", c->section,
			 "status", sc_status_to_string(c->status), "summary", c->summary,
			 "evidence", ev, "remedy", string_or_null(c->remedy), "ignored",
			 c->ignored);
}

json_t *sc_report_to_json(const struct sc_report *r)
{
	json_t *doc, *checks = json_array(), *summary = json_object();
	struct sc_summary s;

	for (size_t i = 0; i < r->n_checks; i++)
		json_array_append_new(checks, check_json(&r->checks[i]));
	sc_report_summary(r, &s);
	for (int i = 0; i < _SC_STATUS_MAX; i++)
		json_object_set_new(summary, sc_status_to_string(i), json_integer(s.counts[i]));
	json_object_set_new(summary, "ignored", json_integer(s.ignored));
	json_object_set_new(summary, "strict", json_boolean(r->strict));
	json_object_set_new(summary, "exit_code", json_integer(sc_report_exit_code(r, r->strict)));

	doc = json_pack("{s:i,s:{s:s,s:s},s:s}", "schema_version", SC_SCHEMA_VERSION, "tool",
			"name", SC_TOOL_NAME, "version", SC_VERSION, "command", r->verb);
	if (r->host) {
		json_object_set_new(doc, "root",
				    json_pack("{s:s,s:b,s:i}", "path", r->host->root_path, "live",
					      r->host->live, "euid", r->host->euid));
		json_object_set_new(doc, "host", sc_host_facts_to_json(r->host));
	}
	json_object_set_new(doc, "checks", checks);
	json_object_set_new(doc, "summary", summary);
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
