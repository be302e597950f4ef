/* SPDX-License-Identifier: MIT */
/* What the verbs of the command line share: parsed options, exit codes,
 * diagnostics and output. Only cmd/ prints to stderr or picks exit codes. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "container.h"
#include "render.h"
#include "report.h"
#include "root.h"
#include "verb.h"

/* Exit codes: part of the interface, CI gates read them. */
enum {
	EXIT_OK = 0,	  /* nothing failed */
	EXIT_CHECKS = 1,  /* a check failed or errored (or warned, with --strict) */
	EXIT_USAGE = 2,	  /* bad command line */
	EXIT_NOPROBE = 3, /* could not probe: no such root/target, permission */
};

struct cli {
	enum sc_format format; /* -o/--output, -j */
	bool quiet;
	int color; /* -1 auto, 0 never, 1 always */
	bool ascii;
	bool strict;
	bool verbose;
	const char *root;
	const char *output_file; /* --output-file FILE, "-" or NULL: stdout */
	const char *image;	 /* host --image DIR */
	const char *record;
	const char *bundle; /* boot --bundle DIR */
	bool all;	    /* report/boot --all */
	char **ignore;
	char **args; /* the verb's own arguments */
	struct sc_state_roots state_roots;
	struct sc_enter_opts enter;
};

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens the root (--root or "/"), starts recording when asked. Prints a
 * one-line error and returns NULL when it cannot. */
struct sc_root *cli_open_root(const struct cli *cli);
/* Renders the report to stdout or --output (written to a temporary file
 * and renamed, never half-written) and returns the exit code. */
int cli_finish(const struct cli *cli, struct sc_report *r, struct sc_root *root);

/* The verbs cmd/ implements itself; the others run sc_verb_run(). */
int verb_checks(struct cli *cli);
int verb_runtimes(struct cli *cli);
