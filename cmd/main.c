/* SPDX-License-Identifier: MIT */
/* sysctr-check's entry point: options, dispatch to the verb table
 * (lib/verb.c), rendering and the exit code. */
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cli.h"
#include "output.h"
#include "root.h"
#include "sanitize.h"
#include "util.h"

/* The verbs cmd/ implements itself; every other one is a row of
 * sc_verbs[] (verb.c) run by the pipeline. */
static const struct {
	const char *name;
	int (*run)(struct cli *cli);
} custom_verbs[] = {
	{ "checks", verb_checks },
	{ "runtimes", verb_runtimes },
};

/* The first error of this run: in JSON mode it is also a document on
 * standard output, so that a jq pipeline sees it. */
static char *first_error;
static bool error_frozen;

void cli_error_freeze(void)
{
	error_frozen = true;
}

/* One line on stderr. Messages carry names from runtime state files, a
 * bundle's config.json and the command line: escaped like the report
 * (a newline in one would also break the one-line promise). */
void cli_error(const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL, *safe = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fputs("sysctr-check: out of memory\n", stderr);
		return;
	}
	safe = sc_text_escape(msg, 0);
	fprintf(stderr, "sysctr-check: %s\n", safe ? safe : msg);
	if (!first_error && !error_frozen)
		first_error = TAKE_PTR(msg);
}

/* {"schema_version", "tool", "command", "error": {"message",
 * "exit_code"}}: what a JSON consumer reads when there is no report. */
static void json_error(const char *verb, int code)
{
	json_t *doc;

	if (!first_error)
		return;
	doc = sc_json_pack("{s:i,s:{s:s,s:s},s:o,s:{s:s,s:i}}", "schema_version", SC_SCHEMA_VERSION,
			   "tool", "name", SC_TOOL_NAME, "version", SC_VERSION, "command",
			   sc_json_string(verb), "error", "message", first_error, "exit_code",
			   code);
	if (doc && json_dumpf(doc, stdout, JSON_INDENT(2)) == 0)
		fputc('\n', stdout);
	json_decref(doc);
	fflush(stdout);
}

struct sc_root *cli_open_root(const struct cli *cli)
{
	struct sc_root *root = NULL;
	const char *path = cli->root ? cli->root : "/";
	int k;

	k = sc_root_open(path, 0, &root);
	if (k == -EBADMSG) {
		cli_error("--root %s: invalid %s", path, SC_ROOT_META);
		return NULL;
	}
	if (k == -ETIMEDOUT) {
		cli_error("cannot open root %s: no answer for %u s (a hung FUSE filesystem?)", path,
			  SC_ROOT_OPEN_IDLE_MS / 1000);
		return NULL;
	}
	if (k < 0) {
		cli_error("cannot open root %s: %s", path, sc_strerror(k));
		return NULL;
	}
	if (cli->record) {
		/* Refuse early rather than after the whole probe. */
		struct stat st;

		if (lstat(cli->record, &st) == 0) {
			cli_error("--record %s: %s", cli->record,
				  S_ISREG(st.st_mode)
					  ? "already exists"
					  : "not a regular file: refusing to replace it");
			sc_root_free(root);
			return NULL;
		}
		(void)sc_root_record_start(root);
	}
	return root;
}

static bool use_color(const struct cli *cli, FILE *out)
{
	const char *term = getenv("TERM");

	if (cli->color >= 0)
		return cli->color;
	/* https://no-color.org: any non-empty NO_COLOR disables colour. */
	if (!isempty(getenv("NO_COLOR")))
		return false;
	if (term && streq(term, "dumb"))
		return false;
	return isatty(fileno(out));
}

/* The columns text must fit: the terminal's (TIOCGWINSZ) when writing
 * to one, else $COLUMNS, else 80, as util-linux's tools do. */
unsigned cli_width(FILE *out)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	unsigned long n;

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (!isempty(env)) {
		errno = 0;
		n = strtoul(env, &end, 10);
		if (!errno && !*end && n > 0 && n < 10000)
			return (unsigned)n;
	}
	return 80;
}

void cli_text_opts(const struct cli *cli, FILE *out, struct sc_text_opts *ret)
{
	*ret = (struct sc_text_opts){
		.color = use_color(cli, out),
		.unicode = !cli->ascii && streq(nl_langinfo(CODESET), "UTF-8"),
		.verbose = cli->verbose,
		.quiet = cli->quiet,
		.width = cli_width(out),
	};
}

static int render(const struct cli *cli, struct sc_report *r, FILE *out)
{
	struct sc_text_opts o;

	cli_text_opts(cli, out, &o);

	switch (cli->format) {
	case SC_FORMAT_JSON:
		return sc_render_json(r, out);
	case SC_FORMAT_JUNIT:
		return sc_render_junit(r, out);
	case SC_FORMAT_PROMETHEUS:
		return sc_render_prometheus(r, out);
	default:
		return sc_render_text(r, &o, out);
	}
}

struct render_job {
	const struct cli *cli;
	struct sc_report *report;
};

static int render_to(FILE *f, void *data)
{
	struct render_job *j = data;

	return render(j->cli, j->report, f);
}

int cli_emit(const struct cli *cli, int (*writer)(FILE *f, void *data), void *data)
{
	int k;

	/* "-" is standard output, as for every tool that takes a file. */
	if (cli->output_file && !streq(cli->output_file, "-")) {
		k = sc_output_write(cli->output_file, 0, writer, data);
		if (k < 0)
			cli_error("--output-file %s: %s", cli->output_file,
				  k == -SC_ENOTREG ? "not a regular file: refusing to replace it"
						   : sc_strerror(k));
		return k;
	}
	k = writer(stdout, data);
	if (fflush(stdout) == EOF && k >= 0)
		k = -errno;
	if (k < 0)
		cli_error("writing the report: %s", sc_strerror(k));
	return k;
}

static int write_record(const struct cli *cli, struct sc_root *root)
{
	json_t *snap;
	int k;

	if (!root || !cli->record)
		return 0;
	snap = sc_root_record_take(root);
	k = snap ? sc_root_snapshot_write(snap, cli->record) : -ENODATA;
	json_decref(snap);
	if (k < 0)
		cli_error("--record %s: %s", cli->record,
			  k == -EEXIST	     ? "already exists"
			  : k == -SC_ENOTREG ? "not a regular file: refusing to replace it"
					     : sc_strerror(k));
	return k;
}

int cli_finish(const struct cli *cli, struct sc_report *r, struct sc_root *root)
{
	struct render_job j = { cli, r };

	r->strict = cli->strict;
	if (cli->only)
		sc_report_only(r, cli->only);
	sc_report_ignore(r, cli->ignore);
	if (write_record(cli, root) < 0)
		return EXIT_NOPROBE;
	if (cli_emit(cli, render_to, &j) < 0)
		return EXIT_NOPROBE;
	return sc_report_exit_code(r, cli->strict);
}

static int write_json(FILE *f, void *data)
{
	if (json_dumpf(data, f, JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}

/* --apply-to OUT: the bundle's config.json with the best change's patch,
 * written atomically to OUT, which is never the original (not the file,
 * nor another name of it) and never anything but a regular file. */
static int apply_fix(const struct cli *cli, const struct sc_report *r, int ret)
{
	_cleanup_free_ char *orig = sc_xasprintf("%s/config.json", cli->bundle);
	struct stat a, b;
	int k;

	if (!r->fix || !r->fix->patched) {
		cli_error("--apply-to %s: nothing written: %s", cli->apply_to,
			  r->fix && r->fix->why ? r->fix->why : "no change found");
		return r->boot && r->boot->verdict == SC_BOOT_BOOTS ? ret : EXIT_CHECKS;
	}
	if (stat(cli->apply_to, &a) == 0 && stat(orig, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		cli_error("--apply-to %s: that is the bundle's own config.json: refusing to "
			  "change the original",
			  cli->apply_to);
		return EXIT_USAGE;
	}
	k = sc_output_write(cli->apply_to, 0, write_json, r->fix->patched);
	if (k < 0) {
		cli_error("--apply-to %s: %s", cli->apply_to,
			  k == -SC_ENOTREG ? "not a regular file: refusing to replace it"
					   : sc_strerror(k));
		return EXIT_NOPROBE;
	}
	return ret;
}

static int run_verb(struct cli *cli, const struct sc_verb *v)
{
	struct sc_verb_input in = {
		.target = cli->args[0],
		.bundle = cli->bundle,
		.image = cli->image,
		.all = cli->all,
		.fix = cli->fix,
		.state_roots = &cli->state_roots,
		.enter = &cli->enter,
	};
	_cleanup_root_ struct sc_root *root = NULL;
	_cleanup_free_ char *err = NULL;
	struct sc_report r;
	int k, ret;

	if (v->custom) {
		for (size_t i = 0; i < ELEMENTSOF(custom_verbs); i++)
			if (streq(custom_verbs[i].name, v->name))
				return custom_verbs[i].run(cli);
		abort();
	}
	if (v->bundle && !cli->all && !cli->bundle == !cli->args[0]) {
		cli_error("usage: sysctr-check [OPTIONS] %s TARGET | %s --bundle DIR", v->name,
			  v->name);
		return EXIT_USAGE;
	}
	root = cli_open_root(cli);
	if (!root)
		return EXIT_NOPROBE;
	sc_verb_report_init(v, &r);
	k = sc_verb_run(v, root, &in, &r, &err);
	if (k < 0) {
		cli_error("%s", err ? err : sc_strerror(k));
		ret = k == -SC_EUSAGE ? EXIT_USAGE : EXIT_NOPROBE;
		/* A failed look-up is when a maintainer most needs to see
		 * the state directories it searched. */
		if (ret == EXIT_NOPROBE && write_record(cli, root) == 0 && cli->record)
			cli_error("--record %s: saved what was read before the error", cli->record);
	} else {
		ret = cli_finish(cli, &r, root);
		if (cli->apply_to && ret < EXIT_USAGE)
			ret = apply_fix(cli, &r, ret);
	}
	sc_report_done(&r);
	return ret;
}

/* Where a runtime's state was given with --state-root, it must exist on
 * the live system: a typo would otherwise read as "no containers". */
static int check_state_roots(const struct cli *cli)
{
	struct stat st;

	if (cli->root)
		return 0;
	for (char **a = cli->state_root_args; a && *a; a++) {
		const char *dir = strchr(*a, '=') + 1;

		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			cli_error("--state-root %s: %s", *a,
				  S_ISDIR(st.st_mode) || errno ? strerror(errno)
							       : "not a directory");
			return -EINVAL;
		}
	}
	return 0;
}

static int run(struct cli *cli, int argc, char **argv)
{
	const struct sc_verb *verb = NULL;
	const char *name;
	size_t nargs;

	if (cli_parse(cli, argc, argv) < 0)
		return EXIT_USAGE;
	name = cli->positional[0];
	/* help [COMMAND], COMMAND --help */
	if (name && streq(name, "help")) {
		if (cli->positional[1] && !(verb = sc_verb_find(cli->positional[1]))) {
			cli_error("help %s: no such command (see --help)", cli->positional[1]);
			return EXIT_USAGE;
		}
		if (cli->positional[1] && cli->positional[2]) {
			cli_error("usage: sysctr-check help [COMMAND]");
			return EXIT_USAGE;
		}
		cli_help(stdout, verb);
		return EXIT_OK;
	}
	if (cli_seen(cli, OPT_HELP)) {
		cli_help(stdout, name ? sc_verb_find(name) : NULL);
		return EXIT_OK;
	}
	if (cli_seen(cli, OPT_VERSION))
		return cli_print_version(cli, stdout) < 0 ? EXIT_NOPROBE : EXIT_OK;
	if (!name) {
		cli_error("no command given (try: sysctr-check report; see --help)");
		return EXIT_USAGE;
	}
	verb = sc_verb_find(name);
	if (!verb) {
		cli_error("unknown command \"%s\" (see --help)", name);
		return EXIT_USAGE;
	}
	cli->verb = verb->name;
	if (cli_load_config(cli) < 0 || cli_apply_seen(cli) < 0 || cli_check_verb(cli, verb) < 0)
		return EXIT_USAGE;
	cli->args = cli->positional + 1;
	nargs = sc_strv_length(cli->args);
	if (nargs < verb->min_args || nargs > verb->max_args) {
		cli_error("usage: sysctr-check [OPTIONS] %s", verb->usage);
		return EXIT_USAGE;
	}
	if (check_state_roots(cli) < 0)
		return EXIT_USAGE;
	return run_verb(cli, verb);
}

int main(int argc, char **argv)
{
	struct cli cli = { .color = -1, .enter = { SC_ENTER_TIMEOUT_MS_DEFAULT, 2 } };
	int ret;

	setlocale(LC_ALL, "");
	/* Numbers in JSON and text must not depend on the locale. */
	setlocale(LC_NUMERIC, "C");
	free(first_error);
	first_error = NULL;
	error_frozen = false;

	sc_state_roots_default(&cli.state_roots);
	ret = run(&cli, argc, argv);
	if (ret >= EXIT_USAGE && cli.format == SC_FORMAT_JSON)
		json_error(cli.verb, ret);
	free(first_error);
	first_error = NULL;
	cli_done(&cli);
	return ret;
}
