/* SPDX-License-Identifier: MIT */
/* `host --image` rendered: the image's facts and the host they predict,
 * each with the file and line it comes from, as the JSON at .image and
 * the text sections before the checks. */
#include <stdio.h>
#include <stdlib.h>

#include "image.h"
#include "render-text.h"
#include "util.h"

/* Strings of the model become JSON through sc_json_string() (NULL is
 * null, bytes that are not UTF-8 are escaped): see render-json.c. */

static json_t *val_json(const struct sc_image_val *v)
{
	return sc_json_pack("{s:o,s:o,s:b}", "value", sc_json_string(v->value), "source",
			    sc_json_string(v->source), "default", v->dflt);
}

static json_t *kernels_json(const struct sc_image_facts *f)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < f->n_kernels; i++) {
		const struct sc_image_kernel *k = &f->kernels[i];
		json_t *opts = sc_json_ok(json_array());

		for (unsigned o = 0; o < _SC_KC_MAX && !k->config_err; o++) {
			char v[2] = { k->opts[o].value, 0 };
			sc_json_append(opts,
				       sc_json_pack("{s:s,s:o,s:o}", "name", k->opts[o].name,
						    "value",
						    k->opts[o].value ? json_string(v) : json_null(),
						    "line",
						    k->opts[o].line ? json_integer(k->opts[o].line)
								    : json_null()));
		}
		sc_json_append(a,
			       sc_json_pack("{s:o,s:o,s:o,s:o,s:o}", "release",
					    sc_json_string(k->release), "image",
					    sc_json_string(k->image), "config",
					    sc_json_string(k->config), "config_error",
					    k->config_err ? json_string(sc_errname(k->config_err))
							  : json_null(),
					    "options", opts));
	}
	return a;
}

static json_t *controllers_json(const struct sc_image_facts *f)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < f->n_controllers; i++) {
		const struct sc_image_ctrl *c = &f->controllers[i];

		sc_json_append(
			a, sc_json_pack("{s:s,s:o,s:s,s:o,s:o}", "name", c->name, "v2_name",
					sc_json_string(c->v2_name), "where",
					c->unknown ? "unknown" : sc_ctrl_where_to_string(c->where),
					"mountpoint", sc_json_string(c->mountpoint), "source",
					sc_json_string(c->source)));
	}
	return a;
}

static json_t *engines_json(const struct sc_image_facts *f)
{
	json_t *a = sc_json_ok(json_array());

	for (size_t i = 0; i < _SC_ENGINE_MAX; i++) {
		const struct sc_image_engine *e = &f->engines[i];

		sc_json_append(
			a, sc_json_pack("{s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "name",
					sc_engine_to_string(i), "installed", e->installed, "binary",
					sc_json_string(e->binary), "enabled", val_json(&e->enabled),
					"config", val_json(&e->config), "cgroup_driver",
					val_json(&e->cgroup_driver), "cgroupns",
					val_json(&e->cgroupns), "runtime", val_json(&e->runtime),
					"runtimes", sc_json_strv_or_null(e->runtimes),
					"userns_remap", val_json(&e->userns_remap)));
	}
	return a;
}

json_t *sc_image_facts_to_json(const struct sc_image_facts *f, const struct sc_host_facts *h)
{
	json_t *params = sc_json_ok(json_array()), *errs = sc_json_ok(json_array());

	for (size_t i = 0; i < f->n_params; i++)
		sc_json_append(params,
			       sc_json_pack("{s:o,s:o}", "key", sc_json_string(f->params[i].key),
					    "value", sc_json_string(f->params[i].value)));
	for (size_t i = 0; i < f->errors.n; i++)
		sc_json_append(errs, sc_json_pack("{s:o,s:s}", "path",
						  sc_json_string(f->errors.v[i].path), "error",
						  sc_errname(f->errors.v[i].err)));
	return sc_json_pack(
		"{s:o,s:o,s:{s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o},s:{s:s,s:o,s:o,s:o,s:o,s:o},"
		"s:o,s:{s:b,s:o},s:{s:o,s:o,s:o,s:o,s:o,s:o},s:o}",
		"path", sc_json_string(f->path), "kernels", kernels_json(f), "boot", "loader",
		sc_json_string(f->loader), "cmdline", val_json(&f->cmdline), "cmdline_params",
		params, "cmdline_also", sc_json_strv(f->cmdline_also), "init", "system",
		val_json(&f->init), "systemd_version", val_json(&f->systemd_version),
		"default_hierarchy", val_json(&f->default_hierarchy), "rc_cgroup_mode",
		val_json(&f->rc_cgroup_mode), "cgroup", "mode", sc_cgroup_mode_to_string(f->mode),
		"why", sc_json_string(f->mode_why), "source", sc_json_string(f->mode_source),
		"v2_path", sc_json_string(f->v2_path), "v2_controllers",
		sc_json_strv_or_null(h ? h->cgroup.v2_controllers : NULL), "controllers",
		controllers_json(f), "engines", engines_json(f), "lxcfs", "installed",
		f->lxcfs_installed, "enabled", val_json(&f->lxcfs_enabled), "rootless", "delegate",
		val_json(&f->delegate), "subuid", val_json(&f->subuid), "subgid",
		val_json(&f->subgid), "max_user_namespaces", val_json(&f->max_user_ns),
		"unprivileged_userns_clone", val_json(&f->userns_clone),
		"apparmor_restrict_unprivileged_userns", val_json(&f->apparmor_userns),
		"read_errors", errs);
}

/* ---- text -------------------------------------------------------------------- */

static void kv(const struct sc_text_out *t, const char *key, const char *fmt, ...) _printf_(3, 4);
static void kv(const struct sc_text_out *t, const char *key, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;

	fprintf(t->f, "  %-20s ", key);
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort(); /* out of memory, as every allocation of the tool */
	va_end(ap);
	/* Wrapped under the value column (render-text.h). */
	sc_text_wrap(t, 23 > 3 + sc_text_cell_width(t, key) ? 23 : 3 + sc_text_cell_width(t, key),
		     23, s);
	sc_text_nl(t);
}

static void kv_val(const struct sc_text_out *t, const char *key, const struct sc_image_val *v)
{
	if (!v->value && !v->source) {
		kv(t, key, "unknown");
		return;
	}
	kv(t, key, "%s  [%s%s]", v->value ? v->value : "unknown", strna(v->source),
	   v->dflt ? "; default" : "");
}

void sc_render_image_text(const struct sc_image_facts *f, const struct sc_text_out *t)
{
	sc_text_heading(t, "Image (predicted from its files; nothing in it was run)");
	kv(t, "root", "%s", f->path);
	if (!f->n_kernels)
		kv(t, "kernel", "none in /boot or /usr/lib/modules");
	for (size_t i = 0; i < f->n_kernels; i++) {
		const struct sc_image_kernel *k = &f->kernels[i];

		kv(t, i ? "" : "kernel", "%s%s  [%s%s%s]", k->release,
		   i ? "" : " (booted: the newest)", k->config ? k->config : "no config",
		   k->config_err ? ": " : "", k->config_err ? sc_strerror(k->config_err) : "");
	}
	kv(t, "boot loader", "%s", f->loader ? f->loader : "none found");
	kv_val(t, "command line", &f->cmdline);
	for (char **a = f->cmdline_also; a && *a; a++)
		kv(t, a == f->cmdline_also ? "also found" : "", "%s", *a);
	kv_val(t, "init", &f->init);
	if (f->systemd.found)
		kv_val(t, "systemd", &f->systemd_version);
	if (f->default_hierarchy.value)
		kv_val(t, "default hierarchy", &f->default_hierarchy);
	if (f->rc_cgroup_mode.value)
		kv_val(t, "rc_cgroup_mode", &f->rc_cgroup_mode);

	sc_text_heading(t, "Predicted cgroups");
	kv(t, "mode", "%s: %s  [%s]", sc_cgroup_mode_to_string(f->mode), strna(f->mode_why),
	   strna(f->mode_source));
	kv(t, "cgroup2", "%s", f->v2_path ? f->v2_path : "not mounted");
	{
		_cleanup_table_ struct sc_table *tb = sc_table_new(
			t, 4, (const char *const[]){ "CONTROLLER", "WHERE", "MOUNT", "FROM" });

		for (size_t i = 0; i < f->n_controllers; i++) {
			const struct sc_image_ctrl *c = &f->controllers[i];

			sc_table_add(tb, (const char *const[]){
						 c->name,
						 c->unknown ? "unknown"
							    : sc_ctrl_where_to_string(c->where),
						 c->mountpoint ? c->mountpoint : "-",
						 c->source ? c->source : "-" });
		}
		sc_table_wrap(tb, 2);
		sc_table_wrap(tb, 3);
		sc_table_print(tb, 2);
	}

	sc_text_heading(t, "Engines");
	for (size_t i = 0; i < _SC_ENGINE_MAX; i++) {
		const struct sc_image_engine *e = &f->engines[i];
		const char *name = sc_engine_to_string(i);

		if (!e->installed) {
			kv(t, name, "not installed");
			continue;
		}
		kv(t, name, "installed  [%s]", e->binary);
		kv_val(t, "  started at boot", &e->enabled);
		if (e->config.value)
			kv_val(t, "  configuration", &e->config);
		if (e->cgroup_driver.value || e->cgroup_driver.source)
			kv_val(t, "  cgroup driver", &e->cgroup_driver);
		if (e->cgroupns.value || e->cgroupns.source)
			kv_val(t, "  cgroupns", &e->cgroupns);
		if (e->runtime.value)
			kv_val(t, "  runtime", &e->runtime);
		if (e->runtimes && *e->runtimes) {
			_cleanup_free_ char *l = sc_strv_join(e->runtimes, ", ");
			kv(t, "  runtimes", "%s", l);
		}
		if (e->userns_remap.value)
			kv_val(t, "  userns-remap", &e->userns_remap);
	}
	if (f->lxcfs_installed)
		kv_val(t, "lxcfs", &f->lxcfs_enabled);
	else
		kv(t, "lxcfs", "not installed");

	sc_text_heading(t, "Rootless");
	kv_val(t, "Delegate=", &f->delegate);
	kv_val(t, "/etc/subuid", &f->subuid);
	kv_val(t, "/etc/subgid", &f->subgid);
	kv_val(t, "max_user_namespaces", &f->max_user_ns);
	if (f->userns_clone.value)
		kv_val(t, "userns_clone", &f->userns_clone);
	if (f->apparmor_userns.value)
		kv_val(t, "apparmor userns", &f->apparmor_userns);
	for (size_t i = 0; i < f->errors.n; i++)
		kv(t, i == 0 ? "unreadable" : "", "%s: %s", f->errors.v[i].path,
		   sc_strerror(f->errors.v[i].err));
}
