/* SPDX-License-Identifier: MIT */
/* The JSON output against man/sysctr-check.schema.json, as
 * python3-jsonschema sees it: the schema itself is well-formed, every
 * fixture's report conforms, and a broken document does not. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>

#include "testlib.h"
#include "testschema.h"
#include "util.h"

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

/* The 2020-12 meta-schema, and no keyword that no validator knows. */
Test(schema, is_valid_schema)
{
	schema_validate(NULL, 0, NULL);
}

/* Every fixture tree (a directory with a metadata file and a mountinfo),
 * validated in one batch. */
Test(schema, every_fixture_conforms)
{
	DIR *d = opendir(SC_SRCDIR "/tests/fixtures");
	struct schema_doc docs[64];
	char *names[64];
	char *errors[64];
	size_t n = 0;

	cr_assert_not_null(d);
	for (struct dirent *de; (de = readdir(d));) {
		_cleanup_free_ char *dir = NULL, *mi = NULL;
		struct run_result r;

		/* The hostile tree is not a host: test-hostile.c covers it. */
		if (de->d_name[0] == '.' || streq(de->d_name, "hostile"))
			continue;
		dir = sc_xasprintf("%s/tests/fixtures/%s", SC_SRCDIR, de->d_name);
		mi = sc_xasprintf("%s/proc/self/mountinfo", dir);
		if (access(mi, F_OK) < 0)
			continue;
		cr_assert_lt(n, ELEMENTSOF(docs), "more fixtures than this test holds");
		run_tool(&r, (const char *const[]){ "--json", "--root", dir, "host", NULL });
		cr_assert(r.status == 0 || r.status == 1, "%s: exit %d: %s", de->d_name, r.status,
			  r.err);
		names[n] = sc_xasprintf("fixture %s (host --json)", de->d_name);
		docs[n] = (struct schema_doc){ names[n], json_loads(r.out, 0, NULL) };
		cr_assert_not_null(docs[n].doc, "%s: invalid JSON", de->d_name);
		run_result_done(&r);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 1, "no fixture found");
	schema_validate(docs, n, errors);
	for (size_t i = 0; i < n; i++) {
		cr_expect_null(errors[i], "%s", errors[i]);
		free(errors[i]);
		free(names[i]);
		json_decref(docs[i].doc);
	}
}

Test(schema, live_host_conforms)
{
	json_t *doc;
	struct run_result r;

	run_tool(&r, (const char *const[]){ "--json", "report", NULL });
	cr_assert(r.status == 0 || r.status == 1, "exit %d: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert_not_null(doc);
	schema_assert_valid("report --json (live host)", doc);
	json_decref(doc);
	run_result_done(&r);
}

/* Each broken copy alone, all in one batch: the intact document must
 * pass, each break must be rejected, and the message must name the path. */
Test(schema, broken_documents_are_rejected)
{
	json_t *doc = report_json(
		(const char *const[]){ "--json", "--root", FIXTURE("this-machine"), "host", NULL },
		0);
	json_t *bad_status = json_deep_copy(doc), *bad_mode = json_deep_copy(doc),
	       *bad_key = json_deep_copy(doc);
	struct schema_doc docs[] = {
		{ "intact", doc },
		{ "status maybe", bad_status },
		{ "cgroup mode v3", bad_mode },
		{ "unexpected key", bad_key },
	};
	char *errors[ELEMENTSOF(docs)];

	json_object_set_new(json_array_get(json_object_get(bad_status, "checks"), 0), "status",
			    json_string("maybe"));
	json_object_set_new(json_object_get(json_object_get(bad_mode, "host"), "cgroup"), "mode",
			    json_string("v3"));
	json_object_set_new(bad_key, "unexpected_key", json_true());

	schema_validate(docs, ELEMENTSOF(docs), errors);
	cr_assert_null(errors[0], "%s", errors[0]);
	for (size_t i = 1; i < ELEMENTSOF(docs); i++)
		cr_assert_not_null(errors[i], "%s: accepted", docs[i].name);
	cr_assert(strstr(errors[1], "status maybe: /checks/0/status: "), "%s", errors[1]);
	cr_assert(strstr(errors[2], "/host/cgroup/mode"), "%s", errors[2]);
	cr_assert(strstr(errors[3], "unexpected_key"), "%s", errors[3]);
	for (size_t i = 0; i < ELEMENTSOF(docs); i++) {
		free(errors[i]);
		json_decref(docs[i].doc);
	}
}

/* The validator itself: a schema error is not a document error, and a
 * document is rejected only by a constraint the schema states. */
Test(schema, validator_rejects_what_it_must)
{
	json_t *doc = report_json(
		(const char *const[]){ "--json", "--root", FIXTURE("this-machine"), "host", NULL },
		0);
	json_t *wrong_type = json_deep_copy(doc);
	struct schema_doc docs[] = {
		{ "schema_version 2", json_pack("{s:i}", "schema_version", 2) },
		{ "empty object", json_object() },
		{ "array", json_array() },
		{ "tool.version a number", wrong_type },
	};
	char *errors[ELEMENTSOF(docs)];

	json_object_set_new(json_object_get(wrong_type, "tool"), "version", json_integer(1));
	schema_validate(docs, ELEMENTSOF(docs), errors);
	for (size_t i = 0; i < ELEMENTSOF(docs); i++) {
		cr_assert_not_null(errors[i], "%s: accepted", docs[i].name);
		free(errors[i]);
		json_decref(docs[i].doc);
	}
	json_decref(doc);
}
