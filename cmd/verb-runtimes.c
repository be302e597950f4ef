/* SPDX-License-Identifier: MIT */
/* `sysctr-check runtimes`: the runtimes whose state the tool reads, how a
 * TARGET names their containers and where their state is (with the
 * --state-root overrides), from the runtime table (lib/runtime.c). The
 * completions read their TARGET prefixes from here. */
#include <jansson.h>

#include "cli.h"
#include "render-text.h"
#include "sanitize.h"
#include "util.h"

/* RUNTIME, TARGET, STATE ROOT, ALSO; the completions read the first and
 * last columns of the lines that do not start with a space. */
static int write_text(const struct cli *cli, FILE *f)
{
	static const char *const head[] = { "RUNTIME", "TARGET", "STATE ROOT", "ALSO" };
	struct sc_text_opts o;
	struct sc_escaped_file esc;
	struct sc_text_out t;
	int k;

	cli_text_opts(cli, f, &o);
	k = sc_text_open(&t, &esc, &o, f);
	if (k < 0)
		return k;
	{
		_cleanup_table_ struct sc_table *tb = sc_table_new(&t, ELEMENTSOF(head), head);

		for (size_t i = SC_RT_NONE + 1; i < _SC_RT_MAX; i++) {
			const struct sc_runtime_def *d = &sc_runtimes[i];
			_cleanup_free_ char *target = sc_xasprintf("%s:%s", d->name, d->target);

			sc_table_add(tb, (const char *const[]){ d->name, target,
								cli->state_roots.dir[i]
									? cli->state_roots.dir[i]
									: "-",
								d->alias ? d->alias : "" });
		}
		sc_table_wrap(tb, 2);
		sc_table_print(tb, 0);
	}
	k = sc_text_close(&t);
	return k < 0 || ferror(f) ? -EIO : 0;
}

static int write_runtimes(FILE *f, void *data)
{
	const struct cli *cli = data;

	if (cli->format == SC_FORMAT_JSON) {
		json_t *a = json_array();
		int k;

		for (size_t i = SC_RT_NONE + 1; i < _SC_RT_MAX; i++) {
			const struct sc_runtime_def *d = &sc_runtimes[i];

			_cleanup_free_ char *user =
				cli->state_roots.fixed[i] ? NULL
				: d->user_runtime_dir
					? sc_xasprintf("/run/user/UID/%s", d->user_runtime_dir)
				: d->user_home_dir ? sc_xasprintf("HOME/%s", d->user_home_dir)
						   : NULL;

			json_array_append_new(
				a,
				sc_json_pack("{s:s,s:o,s:s,s:o,s:o,s:s}", "name", d->name, "alias",
					     d->alias ? json_string(d->alias) : json_null(),
					     "target", d->target, "state_root",
					     sc_json_string(cli->state_roots.dir[i]),
					     "rootless_state_root", sc_json_string(user), "reads",
					     d->state));
		}
		k = json_dumpf(a, f, JSON_INDENT(2));
		json_decref(a);
		fputc('\n', f);
		return k < 0 ? -EIO : 0;
	}
	return write_text(cli, f);
}

int verb_runtimes(struct cli *cli)
{
	return cli_emit(cli, write_runtimes, cli) < 0 ? EXIT_NOPROBE : EXIT_OK;
}
