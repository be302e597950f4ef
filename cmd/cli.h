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

#define CLI_CONFIG_DEFAULT "/etc/sysctr-check.conf"

/* ---- options (options.c) ---- */

enum cli_opt {
	OPT_OUTPUT,
	OPT_JSON,
	OPT_OUTPUT_FILE,
	OPT_ROOT,
	OPT_IMAGE,
	OPT_STRICT,
	OPT_QUIET,
	OPT_IGNORE,
	OPT_ONLY,
	OPT_RECORD,
	OPT_BUNDLE,
	OPT_ALL,
	OPT_FIX,
	OPT_APPLY_TO,
	OPT_TIMEOUT,
	OPT_STATE_ROOT,
	OPT_VERBOSE,
	OPT_COLOR,
	OPT_NO_COLOR,
	OPT_ASCII,
	OPT_CONFIG,
	OPT_HELP,
	OPT_VERSION,
	_OPT_MAX,
};

enum cli_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

/* Which verbs use an option (cli_verb_uses()). */
enum {
	USE_ALL = 1u << 0,    /* every verb */
	USE_PROBE = 1u << 1,  /* the verbs that probe (not checks, runtimes) */
	USE_CHECKS = 1u << 2, /* the verbs that judge: their checks count */
	USE_ENTER = 1u << 3,  /* the verbs that enter a container */
	USE_STATE = 1u << 4,  /* the verbs that read runtime state */
	USE_BUNDLE = 1u << 5,
	USE_ALLCT = 1u << 6, /* --all */
	USE_IMAGE = 1u << 7, /* host --image */
	USE_FIX = 1u << 8,   /* boot --fix, --apply-to */
};

struct cli_option {
	const char *name;
	char short_name;
	enum cli_arg arg;
	unsigned used_by;
	const char *value_name;
	const char *help;
	const char *config_key; /* NULL: not in the configuration file */
};

extern const struct cli_option cli_options[_OPT_MAX];

struct cli_seen {
	enum cli_opt id;
	char *as;	   /* as typed: "--ign", "-i" */
	const char *value; /* NULL: none given */
};

struct cli {
	enum sc_format format; /* -o/--output, -j */
	bool quiet;
	int color; /* -1 auto, 0 never, 1 always */
	bool ascii;
	bool strict;
	bool verbose;
	bool help, version;
	const char *verb; /* the command's name, once known */
	const char *root;
	const char *output_file; /* --output-file FILE, "-" or NULL: stdout */
	const char *image;	 /* host --image DIR */
	const char *record;
	const char *bundle;	 /* boot --bundle DIR */
	const char *config;	 /* --config FILE */
	const char *config_path; /* the configuration file read, or NULL */
	bool all;		 /* report/boot --all */
	bool fix;		 /* boot --fix */
	const char *apply_to;	 /* boot --fix --bundle DIR --apply-to FILE */
	char **ignore;
	char **only;
	char **args; /* the verb's own arguments */
	struct sc_state_roots state_roots;
	char **state_root_args; /* --state-root values given */
	struct sc_enter_opts enter;

	struct cli_seen *seen; /* the command line's options, in order */
	size_t n_seen;
	char **positional;    /* COMMAND ARGS... */
	char **config_values; /* owned copies of the configuration's values */
};

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Later cli_error()s still print, but the first is the one a JSON error
 * document carries. */
void cli_error_freeze(void);

/* Parses argv into cli->seen and cli->positional (options may come
 * before and after COMMAND); the output format is applied at once.
 * Returns 0 or -EINVAL after printing the first error. */
int cli_parse(struct cli *cli, int argc, char **argv);
/* Reads the configuration file (--config, $SYSCTR_CHECK_CONFIG, or
 * CLI_CONFIG_DEFAULT when it exists). */
int cli_load_config(struct cli *cli);
/* Applies the command line's options, after the configuration. */
int cli_apply_seen(struct cli *cli);
bool cli_seen(const struct cli *cli, enum cli_opt id);
/* A usage error for an option the verb does not use, or a format it
 * cannot give. */
int cli_check_verb(struct cli *cli, const struct sc_verb *v);
unsigned cli_verb_uses(const struct sc_verb *v);
bool cli_verb_takes_format(const struct sc_verb *v, enum sc_format f);
void cli_done(struct cli *cli);

/* ---- help and version (help.c) ---- */

/* The global help (v NULL) or one verb's. */
void cli_help(FILE *f, const struct sc_verb *v);
int cli_print_version(const struct cli *cli, FILE *f);

/* ---- output (main.c) ---- */

/* Opens the root (--root or "/"), starts recording when asked. Prints a
 * one-line error and returns NULL when it cannot. */
struct sc_root *cli_open_root(const struct cli *cli);
/* Runs writer on standard output or --output-file (written to a
 * temporary file and renamed, never half-written). Returns 0 or prints
 * the error and returns a negative errno. */
int cli_emit(const struct cli *cli, int (*writer)(FILE *f, void *data), void *data);
/* The text options for output to out: colour, symbols, the width to fit. */
void cli_text_opts(const struct cli *cli, FILE *out, struct sc_text_opts *ret);
/* The columns output to out must fit: the terminal's, $COLUMNS, or 80. */
unsigned cli_width(FILE *out);
/* Renders the report to stdout or --output-file and returns the exit
 * code. */
int cli_finish(const struct cli *cli, struct sc_report *r, struct sc_root *root);

/* The verbs cmd/ implements itself; the others run sc_verb_run(). */
int verb_checks(struct cli *cli);
int verb_runtimes(struct cli *cli);
