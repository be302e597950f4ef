/* SPDX-License-Identifier: MIT */
/* The verbs as data: each names the facts it probes, the rule tables it
 * runs and the sections the renderers show; one pipeline (verb.c) runs
 * probe, judge and leaves rendering to the caller. cmd/ only parses the
 * command line, dispatches and maps errors to exit codes. */
#pragma once

#include <stdbool.h>

#include "report.h"
#include "root.h"
#include "runtime.h"
#include "target.h"

/* Facts a verb collects, and the rule table judging each (host:
 * sc_host_checks, container: sc_container_checks, limits: the limits
 * judge and sc_limits_checks, boot: sc_boot_checks; the list has none).
 * A later fact builds on the earlier ones: container needs host, limits
 * and boot (from a container) need container. */
enum sc_fact {
	SC_FACT_HOST = 1u << 0,
	SC_FACT_CONTAINER = 1u << 1,
	SC_FACT_LIMITS = 1u << 2,
	SC_FACT_BOOT = 1u << 3,
	SC_FACT_LIST = 1u << 4,
};

struct sc_verb {
	const char *name;
	const char *usage; /* after "sysctr-check [OPTIONS] " */
	const char *help;  /* one line for --help and the completions */
	unsigned min_args, max_args;
	unsigned facts;	       /* enum sc_fact: always probed */
	unsigned target_facts; /* enum sc_fact: probed when a TARGET is given */
	unsigned judge;	       /* enum sc_fact: whose rules run */
	unsigned sections;     /* enum sc_section */
	bool bundle;	       /* takes --bundle DIR instead of a TARGET */
	bool all;	       /* takes --all instead of a TARGET */
	bool custom;	       /* no pipeline: cmd/ implements it (checks, runtimes) */
};

extern const struct sc_verb sc_verbs[]; /* terminated by name NULL */
const struct sc_verb *sc_verb_find(const char *name);

/* What the command line gives the pipeline. */
struct sc_verb_input {
	const char *target; /* TARGET, or NULL */
	const char *bundle; /* --bundle DIR, or NULL */
	const char *image;  /* host --image DIR: an unpacked host image, or NULL */
	bool all;	    /* --all: every running container instead of a TARGET */
	bool fix;	    /* boot --fix: the smallest changes that make it boot */
	const struct sc_state_roots *state_roots;
	const struct sc_enter_opts *enter;
};

/* A usage error found by the pipeline (an invalid TARGET): cmd/ maps it
 * to the usage exit code; every other error means "could not probe". */
#define SC_EUSAGE (4096 + 64) /* clear of root.h's SC_E* */

/* A report of verb v: its name and the sections it shows. */
void sc_verb_report_init(const struct sc_verb *v, struct sc_report *r);

/* Run verb v on root into r (sc_verb_report_init()ed). Returns 0,
 * or a negative errno-style code with *ret_error a one-line message. */
int sc_verb_run(const struct sc_verb *v, struct sc_root *root, const struct sc_verb_input *in,
		struct sc_report *r, char **ret_error);
