/* SPDX-License-Identifier: MIT */
/* `sysctr-check checks`: every check id, its section and what it checks,
 * so that --ignore, --only and CI configurations can name them. */
#include <jansson.h>

#include "build-info.h"
#include "cli.h"
#include "sanitize.h"
#include "util.h"

static int write_checks(FILE *f, void *data)
{
	const struct cli *cli = data;
	int k;

	if (cli->format == SC_FORMAT_JSON) {
		json_t *a = json_array(), *doc;

		for (const struct sc_check_table *t = sc_check_tables; t->name; t++)
			for (const struct sc_check_def *d = t->defs; d->id; d++)
				json_array_append_new(
					a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", d->id, "verb",
						     t->name, "section", d->section, "title",
						     d->title, "reference", d->reference));
		/* Its own schema, installed next to the report's. */
		doc = sc_json_pack("{s:s,s:i,s:{s:s,s:s},s:o}", "$schema",
				   SC_SCHEMA_DIR "/sysctr-check-checks.schema.json",
				   "schema_version", SC_SCHEMA_VERSION, "tool", "name",
				   SC_TOOL_NAME, "version", SC_VERSION, "checks", a);
		if (!doc)
			return -ENOMEM;
		k = json_dumpf(doc, f, JSON_INDENT(2));
		json_decref(doc);
		fputc('\n', f);
		return k < 0 ? -EIO : 0;
	}
	for (const struct sc_check_table *t = sc_check_tables; t->name; t++)
		for (const struct sc_check_def *d = t->defs; d->id; d++)
			fprintf(f, "%-32s %-6s %s\n", d->id, t->name, d->title);
	return ferror(f) ? -EIO : 0;
}

int verb_checks(struct cli *cli)
{
	return cli_emit(cli, write_checks, cli) < 0 ? EXIT_NOPROBE : EXIT_OK;
}
