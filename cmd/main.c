/* SPDX-License-Identifier: MIT */
/* sysctr-check's entry point: options, dispatch to the verb table
 * (lib/verb.c), rendering and the exit code. */
#include <fcntl.h>
#include <getopt.h>
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
}

/* "TARGET: a PID, runc:ID, ..." from the runtime table, wrapped. */
static void help_targets(FILE *f)
{
	size_t col = 0;

	fputs("\n", f);
	for (size_t i = 0; i <= _SC_RT_MAX; i++) {
		_cleanup_free_ char *w = NULL;

		if (i == SC_RT_NONE)
			w = sc_xstrdup("TARGET: a PID,");
		else if (i < _SC_RT_MAX)
			w = sc_xasprintf("%s:%s,", sc_runtimes[i].name, sc_runtimes[i].target);
		else
			w = sc_xstrdup("or a bare name or ID looked up in every runtime.");
		if (col && col + 1 + strlen(w) > 79) {
			fputc('\n', f);
			col = 0;
		} else if (col) {
			fputc(' ', f);
			col++;
		}
		fputs(w, f);
		col += strlen(w);
	}
	fputc('\n', f);
}

static void help(FILE *f)
{
	fputs("Usage: sysctr-check [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Will systemd run in this container, and why not? Probes cgroups, delegation,\n"
	      "limits and namespaces of the host and its containers. Read-only.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (const struct sc_verb *v = sc_verbs; v->name; v++)
		fprintf(f, "  %-28s %s\n", v->usage, v->help);
	help_targets(f);
	fputs("\n"
	      "Options:\n"
	      "  -j, --json             JSON output (schema: sysctr-check.schema.json)\n"
	      "  -r, --root PATH        probe a fixture tree or a --record snapshot instead of /\n"
	      "  -s, --strict           warnings fail too (exit 1)\n"
	      "  -i, --ignore ID        do not count check ID (glob; repeatable)\n"
	      "  -o, --output FILE      write the report to FILE (atomically; - is stdout)\n"
	      "      --record FILE      also save what was read as a snapshot (JSON) that\n"
	      "                         --root FILE replays: a bug-report attachment\n"
	      "      --bundle DIR       boot: predict for an OCI bundle before it runs\n"
	      "      --all              report, boot: every running container, one summary\n"
	      "  -t, --timeout SECONDS  deadline for each read inside a container (default 3)\n"
	      "      --state-root RUNTIME=DIR\n"
	      "                         where a runtime keeps its state (rootless setups)\n"
	      "  -v, --verbose          show evidence for passing checks too\n"
	      "      --no-color         no colours (also: NO_COLOR set, or not a terminal)\n"
	      "      --color            colours even when not on a terminal\n"
	      "      --ascii            ASCII status tags instead of symbols\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          version\n"
	      "\n"
	      "Exit status: 0 nothing failed, 1 a check failed (or warned with --strict),\n"
	      "2 usage error, 3 could not probe.\n",
	      f);
}

/* "runc crun ..." : the runtimes that keep state. */
static char *runtime_names(void)
{
	struct sc_strv_builder b = {};
	_cleanup_strv_free_ char **v = NULL;

	for (size_t i = 0; i < _SC_RT_MAX; i++)
		if (sc_runtimes[i].state_root)
			sc_strv_builder_push(&b, sc_runtimes[i].name);
	v = sc_strv_builder_take(&b);
	return sc_strv_join(v, " ");
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
	if (k < 0) {
		cli_error("cannot open root %s: %s", path, sc_strerror(k));
		return NULL;
	}
	if (cli->record) {
		/* Refuse early rather than after the whole probe. */
		if (access(cli->record, F_OK) == 0) {
			cli_error("--record %s: already exists", cli->record);
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
static unsigned terminal_width(FILE *out)
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

static int render(const struct cli *cli, struct sc_report *r, FILE *out)
{
	struct sc_text_opts o = {
		.color = use_color(cli, out),
		.unicode = !cli->ascii && streq(nl_langinfo(CODESET), "UTF-8"),
		.verbose = cli->verbose,
		.quiet = cli->quiet,
		.width = terminal_width(out),
	};

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

static int write_output(const struct cli *cli, struct sc_report *r)
{
	struct render_job j = { cli, r };
	int k;

	k = sc_output_write(cli->output_file, 0, render_to, &j);
	if (k < 0)
		cli_error("--output %s: %s", cli->output_file,
			  k == -SC_ENOTREG ? "not a regular file: refusing to replace it"
					   : sc_strerror(k));
	return k;
}

int cli_finish(const struct cli *cli, struct sc_report *r, struct sc_root *root)
{
	int k;

	r->strict = cli->strict;
	sc_report_ignore(r, cli->ignore);
	if (root && cli->record) {
		json_t *snap = sc_root_record_take(root);

		k = snap ? sc_root_snapshot_write(snap, cli->record) : -ENODATA;
		json_decref(snap);
		if (k < 0) {
			cli_error("--record %s: %s", cli->record,
				  k == -EEXIST ? "already exists" : sc_strerror(k));
			return EXIT_NOPROBE;
		}
	}
	/* "-" is standard output, as for every tool that takes a file. */
	if (cli->output_file && !streq(cli->output_file, "-"))
		k = write_output(cli, r);
	else {
		k = render(cli, r, stdout);
		if (fflush(stdout) == EOF)
			k = -errno;
	}
	if (k < 0) {
		if (!cli->output_file || streq(cli->output_file, "-"))
			cli_error("writing the report: %s", strerror(-k));
		return EXIT_NOPROBE;
	}
	return sc_report_exit_code(r, cli->strict);
}

static int run_verb(struct cli *cli, const struct sc_verb *v)
{
	struct sc_verb_input in = {
		.target = cli->args[0],
		.bundle = cli->bundle,
		.all = cli->all,
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
	} else
		ret = cli_finish(cli, &r, root);
	sc_report_done(&r);
	return ret;
}

int main(int argc, char **argv)
{
	enum {
		OPT_NO_COLOR = 0x100,
		OPT_COLOR,
		OPT_ASCII,
		OPT_RECORD,
		OPT_STATE_ROOT,
		OPT_BUNDLE,
		OPT_ALL
	};
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "root", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "ignore", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "color", no_argument, NULL, OPT_COLOR },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "timeout", required_argument, NULL, 't' },
		{ "state-root", required_argument, NULL, OPT_STATE_ROOT },
		{ "bundle", required_argument, NULL, OPT_BUNDLE },
		{ "all", no_argument, NULL, OPT_ALL },
		{},
	};
	_cleanup_strv_free_ char **ignore = sc_xcalloc(1, sizeof(char *));
	struct cli cli = { .color = -1, .enter = { SC_ENTER_TIMEOUT_MS_DEFAULT, 2 } };
	const struct sc_verb *verb;
	size_t nargs;
	int c;

	setlocale(LC_ALL, "");
	/* Numbers in JSON and text must not depend on the locale. */
	setlocale(LC_NUMERIC, "C");

	opterr = 0;
	sc_state_roots_default(&cli.state_roots);
	while ((c = getopt_long(argc, argv, ":hVjr:si:o:vt:", options, NULL)) >= 0) {
		switch (c) {
		case 'h':
			help(stdout);
			return EXIT_OK;
		case 'V':
			printf("%s %s\n", SC_TOOL_NAME, SC_VERSION);
			return EXIT_OK;
		case 'j':
			cli.format = SC_FORMAT_JSON;
			break;
		case 'r':
			cli.root = optarg;
			break;
		case 's':
			cli.strict = true;
			break;
		case 'i':
			if (!sc_check_pattern_known(optarg)) {
				cli_error(
					"--ignore %s: no such check id (see `sysctr-check checks`)",
					optarg);
				return EXIT_USAGE;
			}
			sc_strv_push(&ignore, optarg);
			break;
		case 'o':
			cli.output_file = optarg;
			break;
		case 'v':
			cli.verbose = true;
			break;
		case OPT_NO_COLOR:
			cli.color = 0;
			break;
		case OPT_COLOR:
			cli.color = 1;
			break;
		case OPT_ASCII:
			cli.ascii = true;
			break;
		case OPT_RECORD:
			cli.record = optarg;
			break;
		case 't': {
			char *end;
			double t;

			errno = 0;
			t = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(t > 0) || t > 3600) {
				cli_error("--timeout %s: a number of seconds between 0 and 3600",
					  optarg);
				return EXIT_USAGE;
			}
			cli.enter.timeout_ms = (unsigned)(t * 1000 + 0.5) ?: 1;
			break;
		}
		case OPT_BUNDLE:
			cli.bundle = optarg;
			break;
		case OPT_ALL:
			cli.all = true;
			break;
		case OPT_STATE_ROOT:
			if (sc_state_roots_set(&cli.state_roots, optarg) < 0) {
				_cleanup_free_ char *names = runtime_names();

				cli_error("--state-root %s: expected RUNTIME=/ABSOLUTE/DIR with "
					  "RUNTIME one of %s",
					  optarg, names);
				return EXIT_USAGE;
			}
			break;
		case ':':
			cli_error("option %s needs an argument (see --help)", argv[optind - 1]);
			return EXIT_USAGE;
		case '?':
		default:
			if (optopt)
				cli_error("unknown option -%c (see --help)", optopt);
			else
				cli_error("unknown option %s (see --help)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	cli.ignore = ignore;

	if (optind >= argc) {
		cli_error("no command given (try: sysctr-check report; see --help)");
		return EXIT_USAGE;
	}
	verb = sc_verb_find(argv[optind]);
	if (!verb) {
		cli_error("unknown command \"%s\" (see --help)", argv[optind]);
		return EXIT_USAGE;
	}
	cli.args = argv + optind + 1;
	nargs = (size_t)(argc - optind - 1);
	if (nargs < verb->min_args || nargs > verb->max_args) {
		cli_error("usage: sysctr-check [OPTIONS] %s", verb->usage);
		return EXIT_USAGE;
	}
	return run_verb(&cli, verb);
}
