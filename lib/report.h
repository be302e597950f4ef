/* SPDX-License-Identifier: MIT */
/* The report model: the facts a verb collected and the check results
 * judged from them. Checks fill it, renderers read it, nothing else. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "boot.h"
#include "container.h"
#include "host.h"

struct sc_image_facts;

#define SC_SCHEMA_VERSION 1

/* Ordered by severity: the summary and exit code use this order. */
enum sc_status {
	SC_PASS,
	SC_INFO, /* a fact worth knowing, neither good nor bad */
	SC_SKIP, /* does not apply here */
	SC_WARN,
	SC_FAIL,
	SC_ERROR, /* could not observe: never silently a pass */
	_SC_STATUS_MAX,
};
const char *sc_status_to_string(enum sc_status s);
int sc_status_from_string(const char *s);

/* What the renderers show of the facts collected (a section whose facts
 * are missing is not shown). */
enum sc_section {
	SC_SECTION_HOST = 1u << 0,	   /* text: every host fact; JSON: "host" */
	SC_SECTION_HOST_SUMMARY = 1u << 1, /* text: one line; JSON: "host" */
	SC_SECTION_HOST_LINE = 1u << 2,	   /* text: one line; JSON: nothing */
	SC_SECTION_CONTAINER = 1u << 3,
	SC_SECTION_LIST = 1u << 4,
	SC_SECTION_LIMITS = 1u << 5,
	SC_SECTION_BOOT = 1u << 6,
	SC_SECTION_ALL = (1u << 7) - 1 - SC_SECTION_HOST_SUMMARY - SC_SECTION_HOST_LINE,
	SC_SECTION_IMAGE = 1u << 7, /* host --image: the image and its prediction */
};

struct sc_evidence {
	char *what;  /* a file path or a fact name */
	char *value; /* what it said */
};

struct sc_check {
	const char *id;	     /* static, from a check table: stable API */
	const char *section; /* static */
	enum sc_status status;
	char *summary;
	char *remedy; /* NULL when there is nothing to do */
	struct sc_evidence *evidence;
	size_t n_evidence;
	bool ignored; /* --ignore: shown, but not counted */
};

/* A check table entry: the rule, its id and where its truth comes from. */
struct sc_check_def {
	const char *id;
	const char *section;
	const char *title;     /* what it checks, one line (man page, `checks`) */
	const char *reference; /* evidence for the rule: kernel doc, source */
	void (*run)(const void *facts, struct sc_check *c);
};

struct sc_summary {
	unsigned counts[_SC_STATUS_MAX];
	unsigned ignored;
};

struct sc_report {
	const char *verb;
	unsigned sections;		      /* enum sc_section: what the renderers show */
	bool strict;			      /* --strict: warnings fail (shown in the summary) */
	struct sc_host_facts *host;	      /* owned, may be NULL */
	struct sc_container_facts *container; /* owned, may be NULL */
	struct sc_limits *limits;	      /* owned, may be NULL */
	struct sc_boot_result *boot;	      /* owned, may be NULL */
	struct sc_boot_env *boot_env;	      /* owned: what the verdict was reached on */
	struct sc_image_facts *image;	      /* owned: host --image, NULL otherwise */
	struct sc_fix *fix;		      /* owned: boot --fix, or NULL */
	bool has_list;			      /* `list`: the table below */
	struct sc_listed *listed;
	size_t n_listed;
	struct sc_check *checks;
	size_t n_checks;
	/* --all: one report per running container (its facts, sections and
	 * checks; the host's facts are this report's), counted in this
	 * report's summary and exit code. */
	struct sc_report *subs;
	size_t n_subs;
	bool all;
	struct sc_container_ref target; /* a sub: the container it is about */
	/* What could not be read and why, one line each (not root: the
	 * runtimes' state); with none of their state readable at all, the
	 * report could not observe what it is about: exit 3. */
	char **notes;
	bool state_unreadable;
};

/* A report shows every section whose facts are there; a verb's report
 * (sc_verb_report_init()) only that verb's sections. */
void sc_report_init(struct sc_report *r, const char *verb);
void sc_report_done(struct sc_report *r);

/* Run every rule of a table (terminated by an entry with id NULL) on
 * facts, appending results. */
void sc_report_run(struct sc_report *r, const struct sc_check_def *table, const void *facts);

/* Mark checks matching any of the glob patterns as ignored (subs too). */
void sc_report_ignore(struct sc_report *r, char *const *patterns);
/* --only: drops the checks no pattern matches (fnmatch), in r and its
 * subs, so that neither the renderers nor the summary see them. */
void sc_report_only(struct sc_report *r, char *const *patterns);
/* One summary over r's checks and those of its subs. */
void sc_report_summary(const struct sc_report *r, struct sc_summary *ret);
/* 0 when nothing (not ignored) failed or errored, 1 otherwise; with
 * strict, warnings fail too; 3 when state_unreadable. */
int sc_report_exit_code(const struct sc_report *r, bool strict);

/* Helpers for rules. */
void sc_check_set(struct sc_check *c, enum sc_status s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sc_check_remedy(struct sc_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sc_check_evidence(struct sc_check *c, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sc_check_done(struct sc_check *c);

/* Every check table of the tool, for `checks`, --ignore validation and
 * the man page (checks-registry.c). */
struct sc_check_table {
	const char *name;
	const struct sc_check_def *defs; /* terminated by id NULL */
};
extern const struct sc_check_table sc_check_tables[]; /* terminated by name NULL */
/* Whether a pattern (glob) matches at least one known check id. */
bool sc_check_pattern_known(const char *pattern);

/* The host rules (checks-host.c). */
extern const struct sc_check_def sc_host_checks[];
/* The boot verdict as a check (input: struct sc_boot_result). */
extern const struct sc_check_def sc_boot_checks[];
