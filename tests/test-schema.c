/* SPDX-License-Identifier: MIT */
/* The JSON output against man/sysctr-check.schema.json: the schema itself
 * is well-formed, every fixture's report conforms, and a broken document
 * does not. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>

#include "jsonschema.h"
#include "testlib.h"
#include "util.h"

#define SCHEMA SC_SRCDIR "/man/sysctr-check.schema.json"

static json_t *load_schema(void)
{
	json_error_t err;
	json_t *s = json_load_file(SCHEMA, 0, &err);

	cr_assert_not_null(s, "%s:%d: %s", SCHEMA, err.line, err.text);
	return s;
}

static json_t *report_json(const char *const *args, int want_status)
{
	struct run_result r;
	json_error_t err;
	json_t *doc;

	run_tool(&r, args);
	cr_assert_eq(r.status, want_status, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, &err);
	cr_assert_not_null(doc, "invalid JSON: %s", err.text);
	run_result_done(&r);
	return doc;
}

Test(schema, is_valid_schema)
{
	json_t *s = load_schema();
	char *msg = NULL;

	cr_assert_eq(sc_schema_check(s, &msg), 0, "%s", msg);
	free(msg);
	json_decref(s);
}

/* Every fixture tree (a directory with a metadata file and a mountinfo). */
Test(schema, every_fixture_conforms)
{
	json_t *s = load_schema();
	DIR *d = opendir(SC_SRCDIR "/tests/fixtures");
	unsigned n = 0;

	cr_assert_not_null(d);
	for (struct dirent *de; (de = readdir(d));) {
		_cleanup_free_ char *dir = NULL, *mi = NULL;
		char *msg = NULL;
		json_t *doc;
		struct run_result r;

		/* The hostile tree is not a host: test-hostile.c covers it. */
		if (de->d_name[0] == '.' || streq(de->d_name, "hostile"))
			continue;
		dir = sc_xasprintf("%s/tests/fixtures/%s", SC_SRCDIR, de->d_name);
		mi = sc_xasprintf("%s/proc/self/mountinfo", dir);
		if (access(mi, F_OK) < 0)
			continue;
		run_tool(&r, (const char *const[]){ "--json", "--root", dir, "host", NULL });
		cr_assert(r.status == 0 || r.status == 1, "%s: exit %d: %s", de->d_name, r.status,
			  r.err);
		doc = json_loads(r.out, 0, NULL);
		cr_assert_not_null(doc, "%s: invalid JSON", de->d_name);
		cr_expect_eq(sc_schema_validate(s, doc, &msg), 0, "%s: %s", de->d_name, msg);
		free(msg);
		json_decref(doc);
		run_result_done(&r);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 1, "no fixture found");
	json_decref(s);
}

Test(schema, live_host_conforms)
{
	json_t *s = load_schema();
	json_t *doc;
	char *msg = NULL;
	struct run_result r;

	run_tool(&r, (const char *const[]){ "--json", "report", NULL });
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	cr_assert_eq(sc_schema_validate(s, doc, &msg), 0, "%s", msg);
	free(msg);
	json_decref(doc);
	run_result_done(&r);
	json_decref(s);
}

Test(schema, broken_documents_are_rejected)
{
	json_t *s = load_schema();
	json_t *doc = report_json(
		(const char *const[]){ "--json", "--root", FIXTURE("this-machine"), "host", NULL },
		0);
	json_t *checks = json_object_get(doc, "checks");
	char *msg = NULL;

	cr_assert_eq(sc_schema_validate(s, doc, NULL), 0);

	json_object_set_new(json_array_get(checks, 0), "status", json_string("maybe"));
	cr_assert_lt(sc_schema_validate(s, doc, &msg), 0);
	cr_assert(strstr(msg, "/checks/0/status"), "%s", msg);
	free(msg);
	json_object_set_new(json_array_get(checks, 0), "status", json_string("pass"));

	json_object_set_new(json_object_get(json_object_get(doc, "host"), "cgroup"), "mode",
			    json_string("v3"));
	cr_assert_lt(sc_schema_validate(s, doc, NULL), 0);
	json_object_set_new(json_object_get(json_object_get(doc, "host"), "cgroup"), "mode",
			    json_string("hybrid"));

	json_object_set_new(doc, "unexpected_key", json_true());
	cr_assert_lt(sc_schema_validate(s, doc, NULL), 0);
	json_decref(doc);
	json_decref(s);
}
