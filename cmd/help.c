/* SPDX-License-Identifier: MIT */
/* --help, COMMAND --help, help COMMAND and --version. The options each
 * verb's help lists come from the option table (options.c), filtered by
 * what the verb uses, so that help and the usage errors agree. */
#include <blkid.h>
#include <fcntl.h>
#include <jansson.h>
#include <libsmartcols.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "build-info.h"
#include "cli.h"
#include "sanitize.h"
#include "text-wrap.h"
#include "util.h"

static const struct {
	const char *verb;
	const char *about; /* wrapped at 79 columns */
	const char *examples;
} verb_help[] = {
	{ "host",
	  "The host alone: the cgroup mode (legacy, hybrid or unified) and every\n"
	  "cgroup mount, where each controller lives and whether it is enabled, the\n"
	  "init system and its delegation, and which systemd versions could boot in\n"
	  "a container here. With --image DIR, the same for an unpacked host image,\n"
	  "predicted before it boots.\n",
	  "  sysctr-check host\n"
	  "  sysctr-check -o prometheus --output-file /var/lib/node-exporter/sc.prom host\n"
	  "  sysctr-check --strict host --image /srv/images/golden/rootfs\n" },
	{ "report",
	  "The main job: the host, and for a TARGET the container from outside and\n"
	  "inside, its delegation, its limits against what free, lscpu, nproc and top\n"
	  "show in it, and the boot verdict. --all: every running container, one\n"
	  "summary and one exit code.\n",
	  "  sysctr-check report docker:web\n"
	  "  sysctr-check -q report --all\n"
	  "  sysctr-check -o junit --output-file report.xml report --all\n" },
	{ "list", "Every container the runtimes' state names, with its PID, state and cgroup.\n",
	  "  sysctr-check list\n"
	  "  sysctr-check -j list | jq -r '.containers[].target'\n" },
	{ "container",
	  "One container from outside (its namespaces, capabilities, cgroup) and\n"
	  "from inside (entering its namespaces in a forked child): the cgroup\n"
	  "mounts it sees, and whether its cgroup subtree is really its own.\n",
	  "  sysctr-check container runc:web\n" },
	{ "limits",
	  "The effective memory, swap, CPU, cpuset, pids and block I/O limits (the\n"
	  "smallest along every ancestor cgroup) against what free, lscpu, nproc,\n"
	  "top and uptime read inside the container, and whether lxcfs covers them.\n",
	  "  sysctr-check limits docker:db\n" },
	{ "boot",
	  "Would systemd, in the version the image holds, boot as PID 1 there:\n"
	  "boots, degraded (named units fail) or fails (PID 1 exits, freezes or\n"
	  "hangs), with the message systemd prints and the remedy. --bundle DIR\n"
	  "predicts for an OCI bundle before it runs. --fix: the smallest changes\n"
	  "that make it boot, in the runtime's terms (--apply-to FILE: the patched\n"
	  "config.json of a bundle).\n",
	  "  sysctr-check boot docker:web\n"
	  "  sysctr-check boot --bundle /srv/bundles/web\n"
	  "  sysctr-check boot --fix --bundle /srv/bundles/web --apply-to /tmp/config.json\n"
	  "  sysctr-check -j boot --all | jq -r '.containers[].boot.verdict'\n" },
	{ "checks", "Every check id, its verb and what it checks: what --ignore and --only name.\n",
	  "  sysctr-check checks\n"
	  "  sysctr-check -j checks | jq -r '.checks[].id'\n" },
	{ "runtimes",
	  "The container runtimes whose state the tool reads, how a TARGET names\n"
	  "their containers, and where their state is (with --state-root).\n",
	  "  sysctr-check runtimes\n"
	  "  sysctr-check --state-root podman=/run/user/1000/crun runtimes\n" },
};

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

/* "  -o, --output FORMAT      text, ..." with the help wrapped under
 * its column when the two do not fit in 79. */
static void help_option(FILE *f, const struct cli_option *o)
{
	_cleanup_free_ char *left = NULL;
	const char *arg = "";

	if (o->arg == ARG_REQUIRED)
		arg = " ";
	else if (o->arg == ARG_OPTIONAL)
		arg = "[=";
	left = sc_xasprintf("  %c%c%s--%s%s%s%s", o->short_name ? '-' : ' ',
			    o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
			    o->name, arg, o->value_name ? o->value_name : "",
			    o->arg == ARG_OPTIONAL ? "]" : "");
	if (strlen(left) <= 24)
		fprintf(f, "%-25s%s\n", left, o->help);
	else
		fprintf(f, "%s\n%-25s%s\n", left, "", o->help);
}

static void help_options(FILE *f, unsigned uses)
{
	fputs("\nOptions:\n", f);
	for (size_t i = 0; i < _OPT_MAX; i++)
		if (cli_options[i].used_by & uses)
			help_option(f, &cli_options[i]);
}

static void help_exit(FILE *f)
{
	fputs("\n"
	      "Exit status: 0 nothing failed, 1 a check failed (or warned with --strict),\n"
	      "2 usage error, 3 could not probe.\n",
	      f);
}

static void help_text(FILE *f, const struct sc_verb *v)
{
	if (v) {
		fprintf(f, "Usage: sysctr-check [OPTIONS] %s\n\n", v->usage);
		for (size_t i = 0; i < ELEMENTSOF(verb_help); i++)
			if (streq(verb_help[i].verb, v->name))
				fputs(verb_help[i].about, f);
		if (v->min_args || v->bundle || v->all || streq(v->name, "report"))
			help_targets(f);
		help_options(f, cli_verb_uses(v));
		for (size_t i = 0; i < ELEMENTSOF(verb_help); i++)
			if (streq(verb_help[i].verb, v->name))
				fprintf(f, "\nExamples:\n%s", verb_help[i].examples);
		help_exit(f);
		return;
	}
	fputs("Usage: sysctr-check [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Will systemd run in this container, and why not? Probes cgroups, delegation,\n"
	      "limits and namespaces of the host and its containers. Read-only.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (const struct sc_verb *s = sc_verbs; s->name; s++)
		fprintf(f, "  %-28s %s\n", s->usage, s->help);
	fprintf(f, "  %-28s %s\n", "help [COMMAND]", "this help, or a command's own");
	help_targets(f);
	/* Every option, each verb takes the ones it uses. */
	help_options(f, ~0u);
	fputs("\n"
	      "sysctr-check COMMAND --help: a command's own options and examples.\n"
	      "JSON schema: " SC_SCHEMA_DIR "/sysctr-check.schema.json\n"
	      "Configuration: " CLI_CONFIG_DEFAULT " (KEY = VALUE; see sysctr-check(1))\n",
	      f);
	help_exit(f);
}

/* Where the text of a help line goes on when it wraps: an option's help
 * at its column, else after the first gap of two spaces ("  report
 * [TARGET]   the main job"), else under its first word. */
static size_t hang_of(const char *line)
{
	size_t lead = strspn(line, " ");
	const char *gap = strstr(line + lead, "  ");

	if (line[lead] == '-' && strlen(line) > 25 && line[24] == ' ' && line[25] != ' ')
		return 25;
	if (gap && gap[strspn(gap, " ")])
		return (size_t)(gap - line) + strspn(gap, " ");
	return lead;
}

/* The lines of text (each ends with '\n'), empty ones too. */
static char **split_lines(const char *text)
{
	_cleanup_strv_builder_ struct sc_strv_builder b = {};

	for (const char *end; *text; text = end + (*end == '\n')) {
		end = text + strcspn(text, "\n");
		sc_strv_builder_consume(&b, sc_xstrndup(text, (size_t)(end - text)));
	}
	return sc_strv_builder_take(&b);
}

/* text fitted to width: a paragraph (lines that start in column 0) with
 * a line wider than that is filled again; any other wide line wraps
 * under its own text. The help is written for 80 columns, and at 80 or
 * more nothing changes. */
static void fit_lines(FILE *f, const char *text, unsigned width)
{
	_cleanup_strv_free_ char **lines = split_lines(text);
	size_t n = sc_strv_length(lines);

	for (size_t i = 0; i < n;) {
		size_t j = i, hang;
		bool wide = false;
		_cleanup_free_ char *para = NULL, *w = NULL;

		/* A paragraph: lines i..j-1. */
		if (lines[i][0] && lines[i][0] != ' ')
			while (j < n && lines[j][0] && lines[j][0] != ' ')
				wide |= sc_text_width(lines[j++], 0) > width;
		else
			wide = sc_text_width(lines[j++], 0) > width;
		if (!wide) {
			for (; i < j; i++)
				fprintf(f, "%s\n", lines[i]);
			continue;
		}
		{
			char *saved = lines[j];

			lines[j] = NULL;
			para = sc_strv_join(lines + i, " ");
			lines[j] = saved;
		}
		hang = hang_of(para);
		if (hang > width / 2)
			hang = strspn(para, " ");
		w = sc_wrap_string(para, width, 0, hang, 0, 0);
		fprintf(f, "%s\n", w);
		i = j;
	}
}

/* What writer prints, fitted to the width of f. */
static int fitted(FILE *f, void (*writer)(FILE *, const void *), const void *data)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&buf, &size);

	if (!mem)
		return -ENOMEM;
	writer(mem, data);
	if (fclose(mem) != 0)
		return -ENOMEM;
	fit_lines(f, buf, cli_width(f));
	return ferror(f) ? -EIO : 0;
}

static void help_writer(FILE *f, const void *data)
{
	help_text(f, data);
}

void cli_help(FILE *f, const struct sc_verb *v)
{
	(void)fitted(f, help_writer, v);
}

/* Whether openat2(RESOLVE_IN_ROOT), which the read layer confines paths
 * with, works here; else the read layer walks paths itself. */
static const char *openat2_state(void)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));

	if (fd >= 0) {
		close(fd);
		return "openat2";
	}
	return errno == ENOSYS ? "fallback (no openat2: kernel < 5.6)"
			       : "fallback (openat2 refused)";
}

static const char *smartcols_version(void)
{
	const char *v = NULL;

	return scols_get_library_version(&v) >= 0 && v ? v : "unknown";
}

static void version_text(FILE *f, const void *data)
{
	const char *blkid_ver = NULL, *blkid_date = NULL;
	const char *confine = data;

	(void)blkid_get_library_version(&blkid_ver, &blkid_date);
	fprintf(f, "%s %s%s%s\n", SC_TOOL_NAME, SC_VERSION, isempty(SC_COMMIT) ? "" : " (",
		isempty(SC_COMMIT) ? "" : SC_COMMIT ")");
	fprintf(f, "compiler: %s\n", SC_COMPILER);
	fprintf(f, "jansson %s (built with %s), libblkid %s (%s)\n", jansson_version_str(),
		JANSSON_VERSION, blkid_ver ? blkid_ver : "unknown",
		blkid_date ? blkid_date : "unknown");
	fprintf(f, "libsmartcols %s\n", smartcols_version());
	fprintf(f, "path confinement: %s\n", confine);
	fprintf(f, "JSON schema %d: %s/sysctr-check.schema.json\n", SC_SCHEMA_VERSION,
		SC_SCHEMA_DIR);
}

int cli_print_version(const struct cli *cli, FILE *f)
{
	const char *blkid_ver = NULL, *blkid_date = NULL;
	const char *confine = openat2_state();
	int k = 0;

	(void)blkid_get_library_version(&blkid_ver, &blkid_date);
	if (cli->format == SC_FORMAT_JSON) {
		json_t *doc = json_pack(
			"{s:s,s:s,s:s?,s:s,s:{s:{s:s,s:s},s:{s:s,s:s}},s:s,s:s,s:i}", "name",
			SC_TOOL_NAME, "version", SC_VERSION, "commit",
			isempty(SC_COMMIT) ? NULL : SC_COMMIT, "compiler", SC_COMPILER, "libraries",
			"jansson", "runtime", jansson_version_str(), "built", JANSSON_VERSION,
			"libblkid", "runtime", blkid_ver ? blkid_ver : "unknown", "date",
			blkid_date ? blkid_date : "unknown", "path_confinement", confine, "schema",
			SC_SCHEMA_DIR "/sysctr-check.schema.json", "schema_version",
			SC_SCHEMA_VERSION);

		if (!doc)
			return -ENOMEM;
		sc_json_set(json_object_get(doc, "libraries"), "libsmartcols",
			    sc_json_pack("{s:s}", "runtime", smartcols_version()));
		k = json_dumpf(doc, f, JSON_INDENT(2));
		json_decref(doc);
		fputc('\n', f);
		return k < 0 ? -EIO : 0;
	}
	return fitted(f, version_text, confine);
}
