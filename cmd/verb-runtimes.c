/* SPDX-License-Identifier: MIT */
/* `sysctr-check runtimes`: the runtimes whose state the tool reads, how a
 * TARGET names their containers and where their state is (with the
 * --state-root overrides), from the runtime table (lib/runtime.c). The
 * completions read their TARGET prefixes from here. */
#include <jansson.h>

#include "cli.h"
#include "sanitize.h"
#include "util.h"

static int write_runtimes(FILE *f, void *data)
{
	const struct cli *cli = data;

	if (cli->format == SC_FORMAT_JSON) {
		json_t *a = json_array();
		int k;

		for (size_t i = SC_RT_NONE + 1; i < _SC_RT_MAX; i++) {
			const struct sc_runtime_def *d = &sc_runtimes[i];

			json_array_append_new(
				a, sc_json_pack("{s:s,s:o,s:s,s:o,s:s}", "name", d->name, "alias",
						d->alias ? json_string(d->alias) : json_null(),
						"target", d->target, "state_root",
						sc_json_string(cli->state_roots.dir[i]), "reads",
						d->state));
		}
		k = json_dumpf(a, f, JSON_INDENT(2));
		json_decref(a);
		fputc('\n', f);
		return k < 0 ? -EIO : 0;
	}
	fprintf(f, "%-11s %-16s %-28s %s\n", "RUNTIME", "TARGET", "STATE ROOT", "ALSO");
	for (size_t i = SC_RT_NONE + 1; i < _SC_RT_MAX; i++) {
		const struct sc_runtime_def *d = &sc_runtimes[i];
		_cleanup_free_ char *t = sc_xasprintf("%s:%s", d->name, d->target);
		_cleanup_free_ char *dir = sc_text_escape(cli->state_roots.dir[i], 0);

		fprintf(f, "%-11s %-16s %-28s %s\n", d->name, t, dir ? dir : "-",
			d->alias ? d->alias : "");
	}
	return ferror(f) ? -EIO : 0;
}

int verb_runtimes(struct cli *cli)
{
	return cli_emit(cli, write_runtimes, cli) < 0 ? EXIT_NOPROBE : EXIT_OK;
}
