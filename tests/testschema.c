/* SPDX-License-Identifier: MIT */
/* Runs tests/schema-validate.py (python3-jsonschema) on a batch of
 * documents and turns its JSON results into Criterion assertions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testschema.h"
#include "testlib.h"
#include "util.h"

#define HOW_TO_INSTALL "apt-get install python3-jsonschema (make check does it as root)"

static char *read_stream(FILE *f)
{
	char *buf = NULL;
	size_t len = 0;
	char chunk[65536];
	size_t n;

	rewind(f);
	buf = sc_xstrdup("");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = sc_xrealloc(buf, len + n + 1);
		memcpy(buf + len, chunk, n);
		len += n;
		buf[len] = 0;
	}
	return buf;
}

/* "NAME: /path: message (schema #/...)" for each error, "; "-separated. */
static char *describe(const char *name, json_t *errors)
{
	char *msg = sc_xstrdup("");
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
	{
		char *next;

		if (i == 10) {
			next = sc_xasprintf("%s; ... %zu errors in all", msg,
					    json_array_size(errors));
			free(msg);
			return next;
		}
		next = sc_xasprintf("%s%s%s: %s: %s (schema %s)", msg, i ? "; " : "", name,
				    json_string_value(json_object_get(e, "path")),
				    json_string_value(json_object_get(e, "message")),
				    json_string_value(json_object_get(e, "schema_path")));
		free(msg);
		msg = next;
	}
	if (!*msg) {
		free(msg);
		msg = sc_xasprintf("%s: invalid", name);
	}
	return msg;
}

void schema_validate(const struct schema_doc *docs, size_t n, char **ret_errors)
{
	const char *argv[] = { SCHEMA_PYTHON,	 "-I",	      SC_SRCDIR "/tests/schema-validate.py",
			       "--json-results", SCHEMA_FILE, NULL };
	const char *env[] = { "LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin", NULL };
	FILE *in = tmpfile(), *out = tmpfile(), *err = tmpfile();
	_cleanup_free_ char *out_text = NULL, *err_text = NULL;
	json_t *results;
	json_error_t jerr;
	size_t invalid = 0;
	int status;
	pid_t pid;

	cr_assert(in && out && err, "tmpfile: %m");
	if (access(SCHEMA_PYTHON, X_OK) < 0)
		cr_assert_fail("schema validation needs %s with python3-jsonschema: %s",
			       SCHEMA_PYTHON, HOW_TO_INSTALL);
	/* One document a line: JSON_COMPACT escapes every newline. */
	for (size_t i = 0; i < n; i++) {
		json_t *line = json_pack("{s:s,s:O}", "name", docs[i].name, "doc", docs[i].doc);

		cr_assert_not_null(line, "%s: no document", docs[i].name);
		cr_assert_eq(json_dumpf(line, in, JSON_COMPACT), 0);
		fputc('\n', in);
		json_decref(line);
	}
	cr_assert_eq(fflush(in), 0);
	rewind(in);

	pid = fork();
	cr_assert_geq(pid, 0, "fork: %m");
	if (pid == 0) {
		dup2(fileno(in), 0);
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execve(argv[0], (char *const *)argv, (char *const *)env);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	out_text = read_stream(out);
	err_text = read_stream(err);
	fclose(in);
	fclose(out);
	fclose(err);

	/* 2: invalid schema, unreadable input or no jsonschema; 127: no
	 * interpreter. Either way nothing was validated: fail, never pass. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		cr_assert_fail(
			"schema validation did not run (%s exit %d): %s%s", SCHEMA_PYTHON,
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), err_text,
			WIFEXITED(status) && WEXITSTATUS(status) == 127 ? HOW_TO_INSTALL : "");
	results = json_loads(out_text, 0, &jerr);
	cr_assert(json_is_array(results) && json_array_size(results) == n,
		  "schema-validate.py: %zu results expected, got: %.300s (%s)", n, out_text,
		  jerr.text);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(results, i);

		ret_errors[i] = json_is_true(json_object_get(r, "valid"))
					? NULL
					: describe(docs[i].name, json_object_get(r, "errors"));
		invalid += !!ret_errors[i];
	}
	json_decref(results);
	cr_assert_eq(WEXITSTATUS(status) == 0, invalid == 0,
		     "schema-validate.py: exit %d with %zu invalid documents", WEXITSTATUS(status),
		     invalid);
}

void schema_assert_all_valid(const struct schema_doc *docs, size_t n)
{
	_cleanup_free_ char **errors = sc_xcalloc(n + 1, sizeof(char *));
	_cleanup_free_ char *all = sc_xstrdup("");
	size_t bad = 0;

	schema_validate(docs, n, errors);
	for (size_t i = 0; i < n; i++) {
		if (errors[i]) {
			char *next = sc_xasprintf("%s\n  %s", all, errors[i]);

			free(all);
			all = next;
			bad++;
		}
		free(errors[i]);
	}
	cr_assert_eq(bad, 0, "%zu of %zu documents do not match %s:%s", bad, n, SCHEMA_FILE, all);
}

void schema_assert_valid(const char *name, json_t *doc)
{
	schema_assert_all_valid(&(struct schema_doc){ name, doc }, 1);
}
