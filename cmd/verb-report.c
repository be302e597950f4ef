/* SPDX-License-Identifier: MIT */
/* `sysctr-check report [TARGET]`: the main job, every section this
 * version knows: the host, and with a TARGET the container too. */
#include "cli.h"
#include "util.h"

int verb_report(struct cli *cli)
{
	_cleanup_root_ struct sc_root *root = cli_open_root(cli);
	struct sc_report r;
	int ret;

	if (!root)
		return EXIT_NOPROBE;
	sc_report_init(&r, "report");
	ret = cli_probe_host(root, &r);
	if (ret == EXIT_OK && cli->args[0])
		ret = cli_probe_container(cli, root, cli->args[0], &r);
	if (ret == EXIT_OK && cli->args[0])
		ret = cli_probe_limits(root, &r);
	/* The report ends with the verdict. */
	if (ret == EXIT_OK && cli->args[0])
		ret = cli_probe_boot(cli, &r);
	if (ret == EXIT_OK)
		ret = cli_finish(cli, &r, root);
	sc_report_done(&r);
	return ret;
}
