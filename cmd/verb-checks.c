/* SPDX-License-Identifier: MIT */
/* `sysctr-check checks`: every check id, its section and what it checks,
 * so that --ignore, --only and CI configurations can name them. */
#include <jansson.h>

#include "build-info.h"
#include "cli.h"
#include "render-text.h"
#include "sanitize.h"
#include "util.h"

/* ID, verb, title: one line a check, the title wrapped under its column
 * (the completions read the ids from the lines that do not start with a
 * space). */
static int write_text(const struct cli *cli, FILE *f)
{
	struct sc_text_opts o;
	struct sc_escaped_file esc;
	struct sc_text_out t;
	int k;

	cli_text_opts(cli, f, &o);
	k = sc_text_open(&t, &esc, &o, f);
	if (k < 0)
		return k;
	{
		_cleanup_table_ struct sc_table *tb = sc_table_new(&t, 3, NULL);

		for (const struct sc_check_table *tab = sc_check_tables; tab->name; tab++)
			for (const struct sc_check_def *d = tab->defs; d->id; d++)
				sc_table_add(tb,
					     (const char *const[]){ d->id, tab->name, d->title });
		sc_table_wrap(tb, 2);
		sc_table_print(tb, 0);
	}
	k = sc_text_close(&t);
	return k < 0 || ferror(f) ? -EIO : 0;
}

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
	return write_text(cli, f);
}

int verb_checks(struct cli *cli)
{
	return cli_emit(cli, write_checks, cli) < 0 ? EXIT_NOPROBE : EXIT_OK;
}
