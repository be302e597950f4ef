/* SPDX-License-Identifier: MIT */
/* The command line and the configuration file: one table of options,
 * which verbs use each, a parser whose errors name the option as it was
 * typed, and the site configuration (/etc/sysctr-check.conf) that gives
 * defaults the command line overrides. */
#include <stdarg.h>
#include <sys/stat.h>

#include "cli.h"
#include "sanitize.h"
#include "util.h"

const struct cli_option cli_options[] = {
	[OPT_OUTPUT] = { "output", 'o', ARG_REQUIRED, USE_ALL, "FORMAT",
			 "text (default), json, junit or prometheus", "output" },
	[OPT_JSON] = { "json", 'j', ARG_NONE, USE_ALL, NULL, "the same as -o json", NULL },
	[OPT_OUTPUT_FILE] = { "output-file", 0, ARG_REQUIRED, USE_ALL, "FILE",
			      "write to FILE atomically (new: mode 0600); - is stdout", NULL },
	[OPT_ROOT] = { "root", 'r', ARG_REQUIRED, USE_PROBE, "PATH",
		       "probe a fixture tree or --record snapshot, not /", NULL },
	[OPT_IMAGE] = { "image", 0, ARG_REQUIRED, USE_IMAGE, "DIR",
			"judge an unpacked host image before it boots", NULL },
	[OPT_STRICT] = { "strict", 's', ARG_NONE, USE_CHECKS, NULL, "warnings fail too (exit 1)",
			 "strict" },
	[OPT_QUIET] = { "quiet", 'q', ARG_NONE, USE_CHECKS, NULL,
			"text: only checks that did not pass, and the summary", "quiet" },
	[OPT_IGNORE] = { "ignore", 'i', ARG_REQUIRED, USE_CHECKS, "ID,...",
			 "do not count these checks (globs; all; repeatable)", "ignore" },
	[OPT_ONLY] = { "only", 0, ARG_REQUIRED, USE_CHECKS, "ID,...",
		       "report only these checks (globs; repeatable)", "only" },
	[OPT_RECORD] = { "record", 0, ARG_REQUIRED, USE_PROBE, "FILE",
			 "also save what was read: a snapshot --root replays", NULL },
	[OPT_BUNDLE] = { "bundle", 0, ARG_REQUIRED, USE_BUNDLE, "DIR",
			 "predict for an OCI bundle before it runs", NULL },
	[OPT_ALL] = { "all", 0, ARG_NONE, USE_ALLCT, NULL, "every running container, one summary",
		      NULL },
	[OPT_FIX] = { "fix", 0, ARG_NONE, USE_FIX, NULL,
		      "the smallest changes that make systemd boot", NULL },
	[OPT_APPLY_TO] = { "apply-to", 0, ARG_REQUIRED, USE_FIX, "FILE",
			   "--fix --bundle: write the patched config.json", NULL },
	[OPT_TIMEOUT] = { "timeout", 't', ARG_REQUIRED, USE_ENTER, "SECONDS",
			  "deadline for each read inside a container (default 3)", "timeout" },
	[OPT_STATE_ROOT] = { "state-root", 0, ARG_REQUIRED, USE_STATE, "RUNTIME=DIR",
			     "where a runtime keeps its state (rootless setups)", "state-root" },
	[OPT_VERBOSE] = { "verbose", 'v', ARG_NONE, USE_PROBE, NULL,
			  "text: evidence for passing checks too", "verbose" },
	[OPT_COLOR] = { "color", 0, ARG_OPTIONAL, USE_ALL, "WHEN",
			"auto (default), always or never", "color" },
	[OPT_NO_COLOR] = { "no-color", 0, ARG_NONE, USE_ALL, NULL, "the same as --color=never",
			   NULL },
	[OPT_ASCII] = { "ascii", 0, ARG_NONE, USE_ALL, NULL, "ASCII status tags instead of symbols",
			"ascii" },
	[OPT_CONFIG] = { "config", 0, ARG_REQUIRED, USE_ALL, "FILE",
			 "site defaults (default " CLI_CONFIG_DEFAULT ")", NULL },
	[OPT_HELP] = { "help", 'h', ARG_NONE, USE_ALL, NULL, "this help; COMMAND --help: its own",
		       NULL },
	[OPT_VERSION] = { "version", 'V', ARG_NONE, USE_ALL, NULL,
			  "version and build (with -j: as JSON)", NULL },
};

_Static_assert(sizeof(cli_options) / sizeof(cli_options[0]) == _OPT_MAX,
	       "an option without a table row");

unsigned cli_verb_uses(const struct sc_verb *v)
{
	unsigned f;
	unsigned u = USE_ALL;

	if (!v)
		return u;
	if (streq(v->name, "runtimes"))
		u |= USE_STATE;
	if (v->custom)
		return u;
	f = v->facts | v->target_facts;
	u |= USE_PROBE;
	if (v->judge)
		u |= USE_CHECKS;
	if (f & (SC_FACT_CONTAINER | SC_FACT_LIMITS | SC_FACT_BOOT | SC_FACT_LIST))
		u |= USE_STATE;
	if (f & SC_FACT_CONTAINER)
		u |= USE_ENTER;
	if (v->bundle)
		u |= USE_BUNDLE;
	if (v->all)
		u |= USE_ALLCT;
	if (streq(v->name, "host"))
		u |= USE_IMAGE;
	if (streq(v->name, "boot"))
		u |= USE_FIX;
	return u;
}

bool cli_verb_takes_format(const struct sc_verb *v, enum sc_format f)
{
	if (f == SC_FORMAT_TEXT || f == SC_FORMAT_JSON)
		return true;
	if (!v || v->custom)
		return false;
	/* JUnit is a list of test cases: a verb without checks has none. */
	if (f == SC_FORMAT_JUNIT)
		return v->judge != 0;
	return true;
}

/* ---- values ------------------------------------------------------------------- */

static int usage_error(struct cli *cli, const char *fmt, ...) _printf_(2, 3);
static int usage_error(struct cli *cli, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	cli_error("%s", msg ? msg : "out of memory");
	return -EINVAL;
}

static int parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };

	for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -EINVAL;
}

/* "a, b,c" into patterns, each a known check id or glob; "all" is "*". */
static int push_patterns(struct cli *cli, const char *as, const char *value, char ***list)
{
	_cleanup_free_ char *copy = sc_xstrdup(value);
	char *save = NULL;
	size_t n = 0;

	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		p += strspn(p, " \t");
		for (size_t l = strlen(p); l && (p[l - 1] == ' ' || p[l - 1] == '\t'); l--)
			p[l - 1] = 0;
		if (!*p)
			continue;
		if (streq(p, "all"))
			p = (char *)"*";
		else if (!sc_check_pattern_known(p))
			return usage_error(
				cli, "%s %s: no such check id (see `sysctr-check checks`)", as, p);
		sc_strv_push(list, p);
		n++;
	}
	if (!n)
		return usage_error(cli, "%s \"%s\": expected check ids or globs, comma-separated",
				   as, value);
	return 0;
}

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

/* Applies one option. `as` is how it was written ("--ignore", "-i",
 * "/etc/sysctr-check.conf:3: ignore") for the error message. */
static int apply(struct cli *cli, enum cli_opt id, const char *as, const char *value)
{
	int k;

	switch (id) {
	case OPT_OUTPUT:
		k = sc_format_from_string(value);
		if (k < 0)
			return usage_error(cli,
					   "%s %s: unknown format (text, json, junit, prometheus);"
					   " to write a file: --output-file FILE",
					   as, value);
		cli->format = (enum sc_format)k;
		break;
	case OPT_JSON:
		cli->format = SC_FORMAT_JSON;
		break;
	case OPT_OUTPUT_FILE:
	case OPT_ROOT:
	case OPT_IMAGE:
	case OPT_RECORD:
	case OPT_BUNDLE:
	case OPT_APPLY_TO:
	case OPT_CONFIG:
		if (isempty(value))
			return usage_error(cli, "%s: needs a non-empty path", as);
		if (id == OPT_OUTPUT_FILE)
			cli->output_file = value;
		else if (id == OPT_ROOT)
			cli->root = value;
		else if (id == OPT_IMAGE)
			cli->image = value;
		else if (id == OPT_RECORD)
			cli->record = value;
		else if (id == OPT_BUNDLE)
			cli->bundle = value;
		else if (id == OPT_APPLY_TO)
			cli->apply_to = value;
		else
			cli->config = value;
		break;
	case OPT_STRICT:
	case OPT_QUIET:
	case OPT_VERBOSE:
	case OPT_ASCII:
	case OPT_ALL:
	case OPT_FIX:
	case OPT_HELP:
	case OPT_VERSION: {
		bool b = true;

		if (value) { /* from the configuration file */
			k = parse_bool(value);
			if (k < 0)
				return usage_error(cli, "%s: expected yes or no, got \"%s\"", as,
						   value);
			b = k;
		}
		if (id == OPT_STRICT)
			cli->strict = b;
		else if (id == OPT_QUIET)
			cli->quiet = b;
		else if (id == OPT_VERBOSE)
			cli->verbose = b;
		else if (id == OPT_ASCII)
			cli->ascii = b;
		else if (id == OPT_ALL)
			cli->all = b;
		else if (id == OPT_FIX)
			cli->fix = b;
		else if (id == OPT_HELP)
			cli->help = b;
		else
			cli->version = b;
		break;
	}
	case OPT_IGNORE:
		return push_patterns(cli, as, value, &cli->ignore);
	case OPT_ONLY:
		return push_patterns(cli, as, value, &cli->only);
	case OPT_TIMEOUT: {
		char *end;
		double t;

		errno = 0;
		t = strtod(value, &end);
		if (errno || *end || end == value || !(t > 0) || t > 3600)
			return usage_error(cli,
					   "%s %s: expected seconds, more than 0 and at most 3600",
					   as, value);
		cli->enter.timeout_ms = (unsigned)(t * 1000 + 0.5) ?: 1;
		break;
	}
	case OPT_STATE_ROOT:
		if (sc_state_roots_set(&cli->state_roots, value) < 0) {
			_cleanup_free_ char *names = runtime_names();

			return usage_error(cli,
					   "%s %s: expected RUNTIME=/ABSOLUTE/DIR with RUNTIME "
					   "one of %s",
					   as, value, names);
		}
		sc_strv_push(&cli->state_root_args, value);
		break;
	case OPT_COLOR:
		if (!value || streq(value, "always"))
			cli->color = 1;
		else if (streq(value, "never"))
			cli->color = 0;
		else if (streq(value, "auto"))
			cli->color = -1;
		else
			return usage_error(cli, "%s=%s: WHEN is auto, always or never", as, value);
		break;
	case OPT_NO_COLOR:
		cli->color = 0;
		break;
	case _OPT_MAX:
	default:
		abort();
	}
	return 0;
}

/* ---- the command line ------------------------------------------------------------- */

struct seen {
	enum cli_opt id;
	char *as; /* as typed, for messages */
	const char *value;
};

static void seen_push(struct cli *cli, enum cli_opt id, const char *as, size_t as_len,
		      const char *value)
{
	struct cli_seen *s = SC_APPEND(cli->seen, cli->n_seen);

	s->id = id;
	s->as = sc_xstrndup(as, as_len);
	s->value = value;
}

/* --name[=value]: exact names first, then unambiguous abbreviations, as
 * getopt_long() takes them. */
static int parse_long(struct cli *cli, char **argv, int *i)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	int found = -1, n_found = 0;
	_cleanup_free_ char *typed = sc_xstrndup(argv[*i], len + 2);
	const struct cli_option *o;

	for (size_t j = 0; j < _OPT_MAX; j++) {
		if (strncmp(cli_options[j].name, arg, len) != 0)
			continue;
		if (strlen(cli_options[j].name) == len) {
			found = (int)j;
			n_found = 1;
			break;
		}
		found = (int)j;
		n_found++;
	}
	if (n_found == 0)
		return usage_error(cli, "unknown option %s (see --help)", typed);
	if (n_found > 1) {
		struct sc_strv_builder b = {};
		_cleanup_strv_free_ char **v = NULL;
		_cleanup_free_ char *names = NULL;

		for (size_t j = 0; j < _OPT_MAX; j++)
			if (strncmp(cli_options[j].name, arg, len) == 0)
				sc_strv_builder_consume(&b,
							sc_xasprintf("--%s", cli_options[j].name));
		v = sc_strv_builder_take(&b);
		names = sc_strv_join(v, ", ");
		return usage_error(cli, "option %s is ambiguous (%s)", typed, names);
	}
	o = &cli_options[found];
	if (o->arg == ARG_NONE && eq)
		return usage_error(cli, "option --%s takes no value (got %s)", o->name, argv[*i]);
	if (o->arg == ARG_REQUIRED && !eq) {
		if (!argv[*i + 1])
			return usage_error(cli, "option --%s needs a %s (see --help)", o->name,
					   o->value_name);
		seen_push(cli, (enum cli_opt)found, typed, strlen(typed), argv[++*i]);
		return 0;
	}
	seen_push(cli, (enum cli_opt)found, typed, strlen(typed), eq ? eq + 1 : NULL);
	return 0;
}

/* -abc, -oVALUE, -o VALUE. */
static int parse_short(struct cli *cli, char **argv, int *i)
{
	const char *arg = argv[*i];

	for (size_t c = 1; arg[c]; c++) {
		char as[3] = { '-', arg[c], 0 };
		int found = -1;

		for (size_t j = 0; j < _OPT_MAX; j++)
			if (cli_options[j].short_name && cli_options[j].short_name == arg[c])
				found = (int)j;
		if (found < 0) {
			if ((unsigned char)arg[c] < 0x20 || (unsigned char)arg[c] >= 0x7f)
				return usage_error(cli, "unknown option in %s (see --help)", arg);
			return usage_error(cli, "unknown option %s (see --help)", as);
		}
		if (cli_options[found].arg == ARG_REQUIRED) {
			const char *value = arg[c + 1] ? arg + c + 1 : argv[*i + 1];

			if (!value)
				return usage_error(cli, "option %s needs a %s (see --help)", as,
						   cli_options[found].value_name);
			if (!arg[c + 1])
				++*i;
			seen_push(cli, (enum cli_opt)found, as, 2, value);
			return 0;
		}
		seen_push(cli, (enum cli_opt)found, as, 2, NULL);
	}
	return 0;
}

int cli_parse(struct cli *cli, int argc, char **argv)
{
	struct sc_strv_builder pos = {};
	int ret = 0;

	/* On a usage error, keep reading: a later -j still makes the error a
	 * JSON document, and the first error is the one reported. */
	for (int i = 1; i < argc && argv[i]; i++) {
		const char *a = argv[i];
		int k = 0;

		if (streq(a, "--")) {
			for (i++; i < argc && argv[i]; i++)
				sc_strv_builder_push(&pos, argv[i]);
			break;
		}
		if (startswith(a, "--"))
			k = parse_long(cli, argv, &i);
		else if (a[0] == '-' && a[1])
			k = parse_short(cli, argv, &i);
		else
			sc_strv_builder_push(&pos, a);
		if (k < 0 && !ret) {
			ret = k;
			cli_error_freeze();
		}
	}
	cli->positional = sc_strv_builder_take(&pos);
	/* The output format first, so that any later error speaks it. */
	for (size_t j = 0; j < cli->n_seen; j++) {
		int f = cli->seen[j].id == OPT_JSON	? (int)SC_FORMAT_JSON
			: cli->seen[j].id == OPT_OUTPUT ? sc_format_from_string(cli->seen[j].value)
							: -1;

		if (f >= 0)
			cli->format = (enum sc_format)f;
	}
	return ret;
}

bool cli_seen(const struct cli *cli, enum cli_opt id)
{
	for (size_t j = 0; j < cli->n_seen; j++)
		if (cli->seen[j].id == id)
			return true;
	return false;
}

int cli_apply_seen(struct cli *cli)
{
	for (size_t j = 0; j < cli->n_seen; j++)
		if (apply(cli, cli->seen[j].id, cli->seen[j].as, cli->seen[j].value) < 0)
			return -EINVAL;
	return 0;
}

int cli_check_verb(struct cli *cli, const struct sc_verb *v)
{
	unsigned uses = cli_verb_uses(v);

	for (size_t j = 0; j < cli->n_seen; j++) {
		const struct cli_option *o = &cli_options[cli->seen[j].id];

		if (!(o->used_by & uses))
			return usage_error(cli,
					   "%s: not an option of `%s` (see sysctr-check %s --help)",
					   cli->seen[j].as, v->name, v->name);
	}
	if (!cli_verb_takes_format(v, cli->format))
		return usage_error(cli, "-o %s: `%s` has no %s output (text or json)",
				   sc_format_to_string(cli->format), v->name,
				   sc_format_to_string(cli->format));
	if (cli->format != SC_FORMAT_TEXT &&
	    (cli_seen(cli, OPT_QUIET) || cli_seen(cli, OPT_VERBOSE)))
		return usage_error(cli, "%s: only for text output",
				   cli_seen(cli, OPT_QUIET) ? "--quiet" : "--verbose");
	if (cli->quiet && cli->verbose && cli_seen(cli, OPT_QUIET) && cli_seen(cli, OPT_VERBOSE))
		return usage_error(cli, "--quiet and --verbose: choose one");
	if (cli->apply_to && (!cli->fix || !cli->bundle))
		return usage_error(cli, "--apply-to: only with --fix --bundle DIR");
	if (cli->image && cli->root)
		return usage_error(cli, "--image and --root: choose one");
	if (cli->record && cli->image)
		return usage_error(cli, "--record: not with --image (the image is already a tree)");
	return 0;
}

void cli_done(struct cli *cli)
{
	for (size_t j = 0; j < cli->n_seen; j++)
		free(cli->seen[j].as);
	free(cli->seen);
	sc_strv_free(cli->positional);
	sc_strv_free(cli->ignore);
	sc_strv_free(cli->only);
	sc_strv_free(cli->state_root_args);
	sc_strv_free(cli->config_values);
	*cli = (struct cli){};
}

/* ---- the configuration file ----------------------------------------------------------- */

/* KEY = VALUE lines; # and ; start a comment line. KEY is the long
 * name of an option that has a config key. Command-line options are
 * applied after it: they override its values, and add to its ignores. */
static int load_config_file(struct cli *cli, const char *path, FILE *f)
{
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, f)) >= 0) {
		char *key, *value, *eq;
		_cleanup_free_ char *as = NULL;
		int found = -1;

		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		key = line + strspn(line, " \t");
		if (!*key || *key == '#' || *key == ';')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			cli_error("%s:%u: expected KEY = VALUE", path, lineno);
			return -EINVAL;
		}
		value = eq + 1 + strspn(eq + 1, " \t");
		for (*eq = 0; eq > key && (eq[-1] == ' ' || eq[-1] == '\t'); eq--)
			eq[-1] = 0;
		for (size_t l = strlen(value); l && (value[l - 1] == ' ' || value[l - 1] == '\t');
		     l--)
			value[l - 1] = 0;
		for (size_t j = 0; j < _OPT_MAX; j++)
			if (cli_options[j].config_key && streq(cli_options[j].config_key, key))
				found = (int)j;
		if (found < 0) {
			cli_error("%s:%u: unknown key \"%s\" (see the FILES section of "
				  "sysctr-check(1))",
				  path, lineno, key);
			return -EINVAL;
		}
		/* Copied: the strings outlive the line buffer. */
		sc_strv_push(&cli->config_values, value);
		value = cli->config_values[sc_strv_length(cli->config_values) - 1];
		as = sc_xasprintf("%s:%u: %s", path, lineno, key);
		if (apply(cli, (enum cli_opt)found, as, value) < 0)
			return -EINVAL;
	}
	if (ferror(f)) {
		cli_error("%s: %s", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

int cli_load_config(struct cli *cli)
{
	const char *env = getenv("SYSCTR_CHECK_CONFIG"), *path;
	_cleanup_fclose_ FILE *f = NULL;
	struct stat st;
	bool explicit;

	/* --config is the one option needed before the others apply. */
	for (size_t j = 0; j < cli->n_seen; j++)
		if (cli->seen[j].id == OPT_CONFIG &&
		    apply(cli, OPT_CONFIG, cli->seen[j].as, cli->seen[j].value) < 0)
			return -EINVAL;
	path = cli->config ?: !isempty(env) ? env : CLI_CONFIG_DEFAULT;
	explicit = cli->config || !isempty(env);

	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !explicit)
			return 0;
		cli_error("config %s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fileno(f), &st) < 0 || S_ISDIR(st.st_mode)) {
		cli_error("config %s: %s", path,
			  S_ISDIR(st.st_mode) ? "a directory" : strerror(errno));
		return -EINVAL;
	}
	cli->config_path = path;
	return load_config_file(cli, path, f);
}
