/* SPDX-License-Identifier: MIT */
/* `sysctr-check checks`: every check id, its section and what it checks,
 * so that --ignore and CI configurations can name them. */
#include <jansson.h>

#include "cli.h"
#include "util.h"

int verb_checks(struct cli *cli)
{
	if (cli->format == SC_FORMAT_JSON) {
		json_t *a = json_array();
		int k;

		for (const struct sc_check_table *t = sc_check_tables; t->name; t++)
			for (const struct sc_check_def *d = t->defs; d->id; d++)
				json_array_append_new(
					a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", d->id, "verb",
						     t->name, "section", d->section, "title",
						     d->title, "reference", d->reference));
		k = json_dumpf(a, stdout, JSON_INDENT(2));
		json_decref(a);
		fputc('\n', stdout);
		return k < 0 ? EXIT_NOPROBE : EXIT_OK;
	}
	for (const struct sc_check_table *t = sc_check_tables; t->name; t++)
		for (const struct sc_check_def *d = t->defs; d->id; d++)
			printf("%-32s %-6s %s\n", d->id, t->name, d->title);
	return EXIT_OK;
}
