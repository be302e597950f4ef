/* SPDX-License-Identifier: MIT */
/* The documentation against the binary: every check id, long option and
 * command that sysctr-check knows is in the man page, the README and the
 * bash, zsh and fish completions; every docs/ file and rule id that a
 * check table, the code or the man page cites exists. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "testlib.h"
#include "util.h"

#define MAN "man/sysctr-check.1"
#define README "README.md"
#define BASH "completions/sysctr-check.bash"
#define ZSH "completions/_sysctr-check"
#define FISH "completions/sysctr-check.fish"

TestSuite(docs, .timeout = 60);

static char *doc(const char *rel)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/%s", SC_SRCDIR, rel);
	char *s = read_whole_file(p, NULL);

	cr_assert_not_null(s, "cannot read %s", p);
	return s;
}

/* The man page source as a reader sees the words: font changes, "\&"
 * and "\-" (the ASCII minus of option names and ids) resolved. */
static char *roff_plain(const char *s)
{
	char *o = sc_xmalloc(strlen(s) + 1), *p = o;

	while (*s) {
		if (s[0] != '\\') {
			*p++ = *s++;
			continue;
		}
		if (s[1] == '-') {
			*p++ = '-';
			s += 2;
		} else if (s[1] == '&') {
			s += 2;
		} else if (s[1] == 'e') {
			*p++ = '\\';
			s += 2;
		} else if (s[1] == 'f' && s[2] == '(' && s[3] && s[4]) {
			s += 5;
		} else if (s[1] == 'f' && s[2] == '[') {
			const char *end = strchr(s, ']');
			s = end ? end + 1 : s + 3;
		} else if (s[1] == 'f' && s[2]) {
			s += 3;
		} else if (s[1] == '(' && s[2] == 'a' && s[3] == 'q') {
			*p++ = '\'';
			s += 4;
		} else {
			*p++ = *s++;
		}
	}
	*p = 0;
	return o;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* w occurs in text as a whole word: "limits.cpu" is not found in
 * "limits.cpuset", "--color" not in "--no-color", but a sentence may end
 * with "limits.cpu.". */
static bool has_word(const char *text, const char *w)
{
	size_t l = strlen(w);

	for (const char *p = strstr(text, w); p; p = strstr(p + 1, w)) {
		char before = p > text ? p[-1] : ' ';
		char after = p[l];

		if (word_char(before) || before == '.')
			continue;
		if (word_char(after) || (after == '.' && word_char(p[l + 1])))
			continue;
		return true;
	}
	return false;
}

/* The text of man page section ".SH NAME", up to the next ".SH". */
static char *man_section(const char *man, const char *name)
{
	_cleanup_free_ char *head = sc_xasprintf("\n.SH %s\n", name);
	const char *start = strstr(man, head), *end;

	cr_assert_not_null(start, MAN ": no section .SH %s", name);
	start += strlen(head);
	end = strstr(start, "\n.SH ");
	return end ? sc_xstrndup(start, (size_t)(end - start)) : sc_xstrdup(start);
}

/* ---- what the binary knows ---------------------------------------------------- */

static char **strv_new(void)
{
	return sc_xcalloc(1, sizeof(char *));
}

static void strv_add_unique(char ***v, const char *s, size_t n)
{
	_cleanup_free_ char *x = sc_xstrndup(s, n);

	if (!sc_strv_contains(*v, x))
		sc_strv_push(v, x);
}

static char *help_text(void)
{
	struct run_result r;
	char *out;

	run_tool(&r, (const char *const[]){ "--help", NULL });
	cr_assert_eq(r.status, 0, "--help exited %d: %s", r.status, r.err);
	out = sc_xstrdup(r.out);
	run_result_done(&r);
	return out;
}

/* Commands: the first word of each line of the "Commands:" block. */
static char **help_verbs(void)
{
	_cleanup_free_ char *help = help_text();
	const char *p = strstr(help, "\nCommands:\n");
	char **v = strv_new();

	cr_assert_not_null(p, "--help has no \"Commands:\" block:\n%s", help);
	p += strlen("\nCommands:\n");
	while (*p == ' ') {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " \n");
		strv_add_unique(&v, p, n);
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	cr_assert_geq(sc_strv_length(v), 6, "only %zu commands parsed from --help",
		      sc_strv_length(v));
	return v;
}

/* Every "--name" that --help mentions as an option. */
static char **help_long_options(void)
{
	_cleanup_free_ char *help = help_text();
	char **v = strv_new();

	for (const char *p = strstr(help, "--"); p; p = strstr(p + 2, "--")) {
		size_t n;

		if (p > help && p[-1] != ' ' && p[-1] != ',')
			continue;
		if (!(p[2] >= 'a' && p[2] <= 'z'))
			continue;
		n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
		strv_add_unique(&v, p, n);
	}
	cr_assert_geq(sc_strv_length(v), 10, "only %zu long options parsed from --help",
		      sc_strv_length(v));
	return v;
}

/* Every long option of the option table in cmd/options.c, as "--name":
 * the ones --help forgets are options too. */
static char **getopt_long_options(void)
{
	_cleanup_free_ char *src = doc("cmd/options.c");
	const char *p = strstr(src, "cli_options[] = {"), *end;
	char **v = strv_new();

	cr_assert_not_null(p, "cmd/options.c: no \"cli_options[] = {\" table");
	end = strstr(p, "\n};");
	cr_assert_not_null(end);
	for (p = strstr(p, "] = { \""); p && p < end; p = strstr(p + 1, "] = { \"")) {
		const char *name = p + 7;
		size_t n = strcspn(name, "\"");
		_cleanup_free_ char *opt = sc_xasprintf("--%.*s", (int)n, name);

		strv_add_unique(&v, opt, strlen(opt));
	}
	cr_assert_geq(sc_strv_length(v), 20, "only %zu options in cmd/options.c",
		      sc_strv_length(v));
	return v;
}

static char **check_ids(void)
{
	struct run_result r;
	json_error_t e;
	json_t *doc_, *a, *x;
	char **v = strv_new();
	size_t i;

	run_tool(&r, (const char *const[]){ "--json", "checks", NULL });
	cr_assert_eq(r.status, 0, "--json checks exited %d: %s", r.status, r.err);
	doc_ = json_loads(r.out, 0, &e);
	a = json_object_get(doc_, "checks");
	cr_assert(json_is_array(a), "--json checks has no .checks array: %s", e.text);
	json_array_foreach(a, i, x)
	{
		const char *id = json_string_value(json_object_get(x, "id"));

		cr_assert_not_null(id, "entry %zu of --json checks has no id", i);
		sc_strv_push(&v, id);
	}
	json_decref(doc_);
	run_result_done(&r);
	cr_assert_geq(sc_strv_length(v), 30, "only %zu check ids", sc_strv_length(v));
	return v;
}

/* ---- what each document declares ---------------------------------------------- */

/* The man page's COMMANDS entries: the first word after the font macro
 * of each line following ".TP" ("boot" from ".BI boot " TARGET""). */
static char **man_commands(const char *plain_commands)
{
	char **v = strv_new();

	for (const char *p = strstr(plain_commands, ".TP\n"); p; p = strstr(p + 1, ".TP\n")) {
		const char *l = p + 4;
		size_t n;

		if (*l == '.')
			l += strcspn(l, " \n");
		l += strspn(l, " \"");
		n = strcspn(l, " \"\n");
		if (n)
			strv_add_unique(&v, l, n);
	}
	return v;
}

/* bash: the words of the `local verbs="..."` line. */
static char **bash_verbs(const char *bash)
{
	const char *p = strstr(bash, "verbs=\"");
	char **v = strv_new();

	cr_assert_not_null(p, BASH ": no verbs=\"...\" list");
	p += strlen("verbs=\"");
	while (*p && *p != '"') {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " \"");
		if (n)
			strv_add_unique(&v, p, n);
		p += n;
	}
	return v;
}

/* zsh: the 'NAME:description' entries of the verbs=( ... ) array. */
static char **zsh_verbs(const char *zsh)
{
	const char *p = strstr(zsh, "verbs=(\n"), *end;
	char **v = strv_new();

	cr_assert_not_null(p, ZSH ": no verbs=( ... ) array");
	end = strstr(p, "\n  )");
	cr_assert_not_null(end, ZSH ": verbs=( not closed");
	for (p = strchr(p, '\''); p && p < end; p = strchr(p, '\'')) {
		size_t n = strcspn(p + 1, ":'");

		strv_add_unique(&v, p + 1, n);
		p = strchr(p + 1, '\'');
		if (!p)
			break;
		p++;
	}
	return v;
}

/* fish: "-a NAME" of the lines conditioned on __sysctr_check_needs_verb. */
static char **fish_verbs(const char *fish)
{
	const char *key = "-n __sysctr_check_needs_verb -a ";
	char **v = strv_new();

	for (const char *p = strstr(fish, key); p; p = strstr(p + 1, key)) {
		const char *name = p + strlen(key);

		strv_add_unique(&v, name, strcspn(name, " \n"));
	}
	return v;
}

/* The "--name" words of the lines that follow ".TP" in the man page's
 * OPTIONS section: the options that have an entry of their own. */
static char **man_option_entries(const char *plain_options)
{
	char **v = strv_new();

	for (const char *p = strstr(plain_options, ".TP\n"); p; p = strstr(p + 1, ".TP\n")) {
		const char *l = p + 4, *eol = l + strcspn(l, "\n");

		for (const char *o = strstr(l, "--"); o && o < eol; o = strstr(o + 2, "--"))
			strv_add_unique(&v, o,
					2 + strspn(o + 2, "abcdefghijklmnopqrstuvwxyz0123456789-"));
	}
	return v;
}

/* bash: the words of the `local opts="..."` list. */
static char **bash_opts(const char *bash)
{
	const char *p = strstr(bash, "opts=\"");
	char **v = strv_new();

	cr_assert_not_null(p, BASH ": no opts=\"...\" list");
	p += strlen("opts=\"");
	while (*p && *p != '"') {
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n\"");
		if (n)
			strv_add_unique(&v, p, n);
		p += n;
	}
	return v;
}

/* zsh: an _arguments spec for the option: "--name" after one of ' , ) *
 * and followed by "[" (a description), "=[", or "}"/"=}" (the end of a
 * {-x,--name} pair). */
static bool zsh_has_spec(const char *zsh, const char *opt)
{
	static const char *const tails[] = { "[", "=[", "=-[", "}", "=}" };

	for (size_t i = 0; i < ELEMENTSOF(tails); i++) {
		_cleanup_free_ char *w = sc_xasprintf("%s%s", opt, tails[i]);

		for (const char *p = strstr(zsh, w); p; p = strstr(p + 1, w))
			if (p > zsh && strchr("',)*", p[-1]))
				return true;
	}
	return false;
}

/* fish: a `complete ... -l name` line. */
static bool fish_has_long(const char *fish, const char *opt)
{
	_cleanup_free_ char *w = sc_xasprintf("-l %s", opt + 2);

	return has_word(fish, w);
}

/* ---- the tests ---------------------------------------------------------------- */

Test(docs, check_ids_in_man_page)
{
	_cleanup_strv_free_ char **ids = check_ids();
	_cleanup_free_ char *man = doc(MAN);
	_cleanup_free_ char *plain = roff_plain(man);
	_cleanup_free_ char *checks = man_section(plain, "CHECKS");

	for (char **id = ids; *id; id++)
		cr_expect(has_word(checks, *id),
			  "check id %s (sysctr-check checks) is not in the CHECKS section of " MAN,
			  *id);
}

Test(docs, check_ids_in_readme)
{
	_cleanup_strv_free_ char **ids = check_ids();
	_cleanup_free_ char *readme = doc(README);

	for (char **id = ids; *id; id++)
		cr_expect(has_word(readme, *id),
			  "check id %s (sysctr-check checks) is not in " README, *id);
}

static void expect_options_documented(char **opts, const char *origin)
{
	_cleanup_free_ char *man = doc(MAN);
	_cleanup_free_ char *plain = roff_plain(man);
	_cleanup_free_ char *options = man_section(plain, "OPTIONS");
	_cleanup_strv_free_ char **entries = man_option_entries(options);
	_cleanup_free_ char *bash = doc(BASH);
	_cleanup_strv_free_ char **b = bash_opts(bash);
	_cleanup_free_ char *zsh = doc(ZSH);
	_cleanup_free_ char *fish = doc(FISH);

	for (char **o = opts; *o; o++) {
		cr_expect(sc_strv_contains(entries, *o),
			  "option %s (%s) has no entry in the OPTIONS section of " MAN, *o, origin);
		cr_expect(sc_strv_contains(b, *o), "option %s (%s) is not in " BASH " opts=", *o,
			  origin);
		cr_expect(zsh_has_spec(zsh, *o), "option %s (%s) has no _arguments spec in " ZSH,
			  *o, origin);
		cr_expect(fish_has_long(fish, *o), "option %s (%s) is not in " FISH " (-l %s)", *o,
			  origin, *o + 2);
	}
}

Test(docs, help_options_documented)
{
	_cleanup_strv_free_ char **opts = help_long_options();

	expect_options_documented(opts, "--help");
}

Test(docs, getopt_options_documented)
{
	_cleanup_strv_free_ char **opts = getopt_long_options();

	expect_options_documented(opts, "cmd/main.c");
}

Test(docs, verbs_in_man_page)
{
	_cleanup_strv_free_ char **verbs = help_verbs();
	_cleanup_free_ char *man = doc(MAN);
	_cleanup_free_ char *plain = roff_plain(man);
	_cleanup_free_ char *synopsis = man_section(plain, "SYNOPSIS");
	_cleanup_free_ char *commands = man_section(plain, "COMMANDS");
	_cleanup_strv_free_ char **entries = man_commands(commands);

	for (char **v = verbs; *v; v++) {
		cr_expect(has_word(synopsis, *v),
			  "command %s (--help) is not in the SYNOPSIS of " MAN, *v);
		cr_expect(sc_strv_contains(entries, *v),
			  "command %s (--help) has no entry in the COMMANDS section of " MAN, *v);
	}
}

Test(docs, verbs_in_completions)
{
	_cleanup_strv_free_ char **verbs = help_verbs();
	_cleanup_free_ char *bash = doc(BASH);
	_cleanup_free_ char *zsh = doc(ZSH);
	_cleanup_free_ char *fish = doc(FISH);
	_cleanup_strv_free_ char **b = bash_verbs(bash);
	_cleanup_strv_free_ char **z = zsh_verbs(zsh);
	_cleanup_strv_free_ char **f = fish_verbs(fish);

	for (char **v = verbs; *v; v++) {
		cr_expect(sc_strv_contains(b, *v),
			  "command %s (--help) is not in " BASH " verbs=", *v);
		cr_expect(sc_strv_contains(z, *v),
			  "command %s (--help) is not in " ZSH " verbs=(...)", *v);
		cr_expect(sc_strv_contains(f, *v),
			  "command %s (--help) is not completed by " FISH
			  " (-n __sysctr_check_needs_verb -a %s)",
			  *v, *v);
	}
}

/* The parsers above must find what is there, or the tests prove nothing. */
Test(docs, parsers_see_the_documents)
{
	_cleanup_free_ char *man = doc(MAN);
	_cleanup_free_ char *plain = roff_plain(man);
	_cleanup_free_ char *commands = man_section(plain, "COMMANDS");
	_cleanup_strv_free_ char **entries = man_commands(commands);
	_cleanup_free_ char *bash = doc(BASH);
	_cleanup_free_ char *zsh = doc(ZSH);
	_cleanup_free_ char *fish = doc(FISH);
	_cleanup_strv_free_ char **b = bash_verbs(bash);
	_cleanup_strv_free_ char **z = zsh_verbs(zsh);
	_cleanup_strv_free_ char **f = fish_verbs(fish);

	cr_expect(sc_strv_contains(entries, "host") && sc_strv_contains(entries, "checks"));
	cr_expect(sc_strv_contains(b, "host") && sc_strv_contains(b, "checks"));
	cr_expect(sc_strv_contains(z, "host") && sc_strv_contains(z, "checks"));
	cr_expect(sc_strv_contains(f, "host") && sc_strv_contains(f, "checks"));
	{
		_cleanup_free_ char *options = man_section(plain, "OPTIONS");
		_cleanup_strv_free_ char **o = man_option_entries(options);
		_cleanup_strv_free_ char **bo = bash_opts(bash);

		cr_expect(sc_strv_contains(o, "--json") && sc_strv_contains(o, "--version"));
		cr_expect(sc_strv_contains(bo, "--json") && sc_strv_contains(bo, "--version"));
		cr_expect(zsh_has_spec(zsh, "--json") && zsh_has_spec(zsh, "--root") &&
			  zsh_has_spec(zsh, "--record") && zsh_has_spec(zsh, "--no-color"));
		cr_expect(!zsh_has_spec(zsh, "--bundl"));
	}

	cr_expect(has_word("a limits.cpu.", "limits.cpu"));
	cr_expect(!has_word("limits.cpuset", "limits.cpu"));
	cr_expect(!has_word("--no-color", "--color"));
	cr_expect(has_word("--color,", "--color"));
	cr_expect(!has_word("cgroup.name-systemd2", "cgroup.name-systemd"));
	{
		_cleanup_free_ char *p =
			roff_plain(".B cgroup.name\\-systemd\n\\fB\\-\\-root\\fR\\&.");
		cr_expect_str_eq(p, ".B cgroup.name-systemd\n--root.");
	}
}

/* ---- citations of docs/ --------------------------------------------------------- */

/* The anchor GitHub gives a Markdown heading: lower case, punctuation
 * other than "-" and "_" dropped, spaces to "-". "## R9" is "r9". */
static char *heading_slug(const char *h, size_t n)
{
	char *o = sc_xmalloc(n + 1), *p = o;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (isalnum(c) || c == '-' || c == '_')
			*p++ = (char)tolower(c);
		else if (c == ' ')
			*p++ = '-';
		else if (c >= 0x80)
			*p++ = (char)c;
	}
	*p = 0;
	return o;
}

/* The anchors of every heading of docs/NAME, NULL if there is no such file. */
static char **doc_anchors(const char *name)
{
	_cleanup_free_ char *path = sc_xasprintf("%s/docs/%s", SC_SRCDIR, name);
	_cleanup_free_ char *text = read_whole_file(path, NULL);
	char **v;
	bool fence = false;

	if (!text)
		return NULL;
	v = strv_new();
	for (char *line = text, *next; line && *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) : strlen(line);
		if (next)
			next++;
		if (len >= 3 && strncmp(line, "```", 3) == 0)
			fence = !fence;
		if (fence || line[0] != '#')
			continue;
		{
			size_t lvl = strspn(line, "#");
			_cleanup_free_ char *slug = NULL;

			if (lvl > 6 || line[lvl] != ' ')
				continue;
			slug = heading_slug(line + lvl + 1, len - lvl - 1);
			sc_strv_push(&v, slug);
		}
	}
	return v;
}

/* Checks every "docs/NAME.md" and "docs/NAME.md#anchor" in text: the file
 * exists and has a heading with that anchor. In a file under docs/ the
 * relative links "](NAME.md#anchor)" and "](#anchor)" count too (self is
 * that file's name). Returns how many citations it checked. */
static unsigned expect_doc_citations(const char *origin, const char *text, const char *self)
{
	static const char *const forms[] = { "docs/([a-z0-9_-]+\\.md)(#[a-z0-9_-]+)?",
					     "\\]\\(([a-z0-9_-]+\\.md)?(#[a-z0-9_-]+)?\\)" };
	unsigned n = 0;

	for (size_t f = 0; f < ELEMENTSOF(forms); f++) {
		regex_t re;
		regmatch_t m[3];

		if (f == 1 && !self)
			break;
		cr_assert_eq(regcomp(&re, forms[f], REG_EXTENDED), 0);
		for (const char *p = text; regexec(&re, p, 3, m, p == text ? 0 : REG_NOTBOL) == 0;
		     p += m[0].rm_eo) {
			_cleanup_free_ char *file =
				m[1].rm_so >= 0 ? sc_xstrndup(p + m[1].rm_so,
							      (size_t)(m[1].rm_eo - m[1].rm_so))
						: sc_xstrdup(self);
			_cleanup_free_ char *anchor =
				m[2].rm_so >= 0 ? sc_xstrndup(p + m[2].rm_so + 1,
							      (size_t)(m[2].rm_eo - m[2].rm_so - 1))
						: NULL;
			_cleanup_strv_free_ char **anchors = NULL;

			/* "](http://...)" and the like match neither group. */
			if (f == 1 && m[1].rm_so < 0 && m[2].rm_so < 0)
				continue;
			n++;
			anchors = doc_anchors(file);
			cr_expect_not_null(anchors, "%s cites docs/%s, which does not exist",
					   origin, file);
			if (anchors && anchor)
				cr_expect(sc_strv_contains(anchors, anchor),
					  "%s cites docs/%s#%s: no heading with that anchor there "
					  "(a rule is a heading \"## R9\", anchor \"#r9\")",
					  origin, file, anchor);
		}
		regfree(&re);
	}
	return n;
}

/* A citation in the old forms, of documents that are not in the tree
 * ("systemd-boot-rules.md §4", "rule R9"): NULL if there is none. */
static const char *stale_citation(const char *text)
{
	static const char *const stale[] = { "systemd-boot-rules.md", "architecture.md",
					     "lab-notes.md", "\xc2\xa7" };
	regex_t re;
	regmatch_t m;
	const char *hit = NULL;

	for (size_t i = 0; i < ELEMENTSOF(stale); i++)
		if (strstr(text, stale[i]))
			return stale[i];
	/* A bare rule id: "R9", "R5b", not part of a word or an anchor. */
	cr_assert_eq(regcomp(&re, "(^|[^#A-Za-z0-9_/.-])R[0-9]+b?([^A-Za-z0-9_]|$)", REG_EXTENDED),
		     0);
	if (regexec(&re, text, 1, &m, 0) == 0)
		hit = "a bare rule id (cite R9 as docs/boot-rules.md#r9)";
	regfree(&re);
	return hit;
}

/* What every check's reference cites exists: the table is what `checks
 * --json` prints and what --json reports carry. */
Test(docs, check_references_resolve)
{
	unsigned cited = 0;

	for (const struct sc_check_table *t = sc_check_tables; t->name; t++)
		for (const struct sc_check_def *d = t->defs; d->id; d++) {
			_cleanup_free_ char *origin =
				sc_xasprintf("check %s (%s table)", d->id, t->name);
			const char *stale;

			cr_expect_not_null(d->reference, "%s has no reference", origin);
			if (!d->reference)
				continue;
			stale = stale_citation(d->reference);
			cr_expect_null(stale, "%s: reference \"%s\" cites %s", origin, d->reference,
				       stale);
			cited += expect_doc_citations(origin, d->reference, NULL);
		}
	cr_expect_geq(cited, 5, "only %u check references cite docs/", cited);
}

/* Every file that can cite a document: the sources (comments, the boot
 * rule table, evidence strings), the man page, the tests, the READMEs and
 * docs/ itself. */
Test(docs, source_citations_resolve)
{
	static const char *const dirs[] = { "lib",
					    "cmd",
					    "man",
					    "tests",
					    "docs",
					    ".",
					    "tests/fixtures",
					    "tests/fixtures/images",
					    "tests/e2e" };
	unsigned cited = 0, files = 0;

	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *dir = sc_xasprintf("%s/%s", SC_SRCDIR, dirs[i]);
		DIR *d = opendir(dir);

		cr_assert_not_null(d, "%s", dir);
		for (struct dirent *de; (de = readdir(d));) {
			bool in_docs = streq(dirs[i], "docs");
			_cleanup_free_ char *origin = NULL, *path = NULL, *text = NULL;

			if (fnmatch("*.[ch]", de->d_name, 0) && fnmatch("*.md", de->d_name, 0) &&
			    fnmatch("*.1", de->d_name, 0))
				continue;
			origin = sc_xasprintf("%s/%s", dirs[i], de->d_name);
			path = sc_xasprintf("%s/%s", SC_SRCDIR, origin);
			text = read_whole_file(path, NULL);
			cr_assert_not_null(text, "%s", path);
			files++;
			cited += expect_doc_citations(origin, text, in_docs ? de->d_name : NULL);
			/* What users read: no citation of a document that is not
			 * in the tree (tests/ name their own R1.. cases). */
			if (!strncmp(origin, "lib/", 4) || !strncmp(origin, "cmd/", 4) ||
			    !strncmp(origin, "man/", 4)) {
				const char *stale = stale_citation(text);

				cr_expect_null(stale, "%s cites %s", origin, stale);
			}
		}
		closedir(d);
	}
	cr_expect_geq(files, 50);
	cr_expect_geq(cited, 40, "only %u citations of docs/ found", cited);
}

/* The checker above must catch what it is for. */
Test(docs, citation_checker_catches_mistakes)
{
	cr_expect_str_eq(heading_slug("R9", 2), "r9");
	cr_expect_str_eq(heading_slug("The setns child and its deadline", 32),
			 "the-setns-child-and-its-deadline");
	cr_expect_str_eq(heading_slug("`boot`: R5b, too!", 17), "boot-r5b-too");
	cr_expect_not_null(stale_citation("systemd-boot-rules.md R9"));
	cr_expect_not_null(stale_citation("rules R6, R7"));
	cr_expect_not_null(stale_citation("R5b; cgroup-util.c"));
	cr_expect_null(stale_citation("docs/boot-rules.md#r9; CAP_SYS_ADMIN; io.max"));
	cr_expect_null(stale_citation("docs/boot-rules.md#r5b, matrix */*-v2ro-*"));
	{
		_cleanup_strv_free_ char **a = doc_anchors("boot-rules.md");

		cr_assert_not_null(a, "docs/boot-rules.md is missing");
		for (const char *const *r = (const char *const[]){ "r2", "r5", "r5b", "r9", "r19",
								   "r23", "image-version", NULL };
		     *r; r++)
			cr_expect(sc_strv_contains(a, *r), "docs/boot-rules.md: no heading #%s",
				  *r);
	}
}
