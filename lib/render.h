/* SPDX-License-Identifier: MIT */
/* Renderers: a finished report to text or JSON on a FILE. They only
 * format; no kernel file is read here. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "report.h"

#define SC_TOOL_NAME "sysctr-check"
#ifndef SC_VERSION
#define SC_VERSION "0.1.0"
#endif

/* The output formats of -o/--output. */
enum sc_format {
	SC_FORMAT_TEXT,
	SC_FORMAT_JSON,
	SC_FORMAT_JUNIT,
	SC_FORMAT_PROMETHEUS,
	_SC_FORMAT_MAX,
};
const char *sc_format_to_string(enum sc_format f);
int sc_format_from_string(const char *s); /* enum sc_format, or -EINVAL */

struct sc_text_opts {
	bool color;	/* ANSI colours */
	bool unicode;	/* ✔ ⚠ ✖ symbols, else ASCII tags */
	bool verbose;	/* evidence for passing checks too */
	bool quiet;	/* only the checks that did not pass, and the summary */
	unsigned width; /* columns to fit; 0: 80 */
};

int sc_render_text(const struct sc_report *r, const struct sc_text_opts *o, FILE *out);
int sc_render_json(const struct sc_report *r, FILE *out);
/* JUnit XML: one <testcase> per check (render-junit.c). */
int sc_render_junit(const struct sc_report *r, FILE *out);
/* Prometheus text exposition format, for node_exporter's textfile
 * collector (render-prom.c). */
int sc_render_prometheus(const struct sc_report *r, FILE *out);

/* What the JUnit and Prometheus renderers share (render-out.c): the
 * time a report is stamped with (SOURCE_DATE_EPOCH when set, for
 * reproducible output; else now), and the name of a report's container
 * as a TARGET names it ("runc:NAME", the ID when it has no name). */
int64_t sc_render_timestamp(void);
char *sc_render_target_name(const struct sc_container_ref *ref);

/* The JSON document of a report (new reference). */
json_t *sc_report_to_json(const struct sc_report *r);
json_t *sc_host_facts_to_json(const struct sc_host_facts *f);
json_t *sc_cgroup_facts_to_json(const struct sc_cgroup_facts *cg);
json_t *sc_container_facts_to_json(const struct sc_container_facts *f);
/* A capability mask as runtimes spell it in OCI configs: ["CAP_CHOWN",
 * ...], a number for a bit the tool has no name for. */
json_t *sc_caps_to_json(uint64_t mask);
/* The limits section (render-limits.c). */
json_t *sc_limits_to_json(const struct sc_limits *l);
/* The text sections write to the escaping output of render-text.h. */
struct sc_text_out;
void sc_render_limits_text(const struct sc_limits *l, const struct sc_text_out *t);
/* The boot verdict (render-boot.c). */
/* The state systemd's manager reported (null unless systemd runs). */
struct sc_manager_state;
json_t *sc_manager_to_json(int running, const struct sc_manager_state *s, int err);
json_t *sc_boot_to_json(const struct sc_boot_result *b, const struct sc_boot_env *e);
/* host --image (render-image.c): the image's facts and what they predict
 * (host: the predicted host, for its cgroup2 controllers). */
struct sc_image_facts;
json_t *sc_image_facts_to_json(const struct sc_image_facts *f, const struct sc_host_facts *h);
void sc_render_image_text(const struct sc_image_facts *f, const struct sc_text_out *t);
void sc_render_boot_text(const struct sc_boot_result *b, const struct sc_boot_env *e,
			 const struct sc_text_out *t);
/* boot --fix: .boot.fix, and the text after the verdict. */
json_t *sc_fix_to_json(const struct sc_fix *f);
void sc_render_fix_text(const struct sc_fix *f, const struct sc_text_out *t);
