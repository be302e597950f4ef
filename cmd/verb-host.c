/* SPDX-License-Identifier: MIT */
/* `sysctr-check host`: probe the host root, run the host rules. */
#include "cli.h"
#include "util.h"

/* Shared by `host` and `report`: fills r with the host facts and checks.
 * Returns an exit code other than EXIT_OK when nothing could be probed. */
int cli_probe_host(struct sc_root *root, struct sc_report *r)
{
	struct sc_host_facts *f = sc_xcalloc(1, sizeof(*f));
	int k;

	k = sc_host_probe(root, f);
	if (k < 0) {
		cli_error("cannot probe %s: reading /proc/self/mountinfo: %s", sc_root_path(root),
			  sc_strerror(k));
		free(f);
		return EXIT_NOPROBE;
	}
	r->host = f;
	sc_report_run(r, sc_host_checks, f);
	return EXIT_OK;
}

int verb_host(struct cli *cli)
{
	_cleanup_root_ struct sc_root *root = cli_open_root(cli);
	struct sc_report r;
	int ret;

	if (!root)
		return EXIT_NOPROBE;
	sc_report_init(&r, "host");
	ret = cli_probe_host(root, &r);
	if (ret == EXIT_OK)
		ret = cli_finish(cli, &r, root);
	sc_report_done(&r);
	return ret;
}
