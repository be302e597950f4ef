/* SPDX-License-Identifier: MIT */
/* `sysctr-check limits TARGET`: the container's effective limits, what
 * free/lscpu/nproc/top/uptime show inside, lxcfs, and the limits rules. */
#include "checks.h"
#include "cli.h"
#include "util.h"

/* Shared by `limits` and `report TARGET`: r holds the host and the
 * container facts already. */
int cli_probe_limits(struct sc_root *root, struct sc_report *r)
{
	struct sc_limits *l;

	if (!r->host || !r->container)
		return EXIT_NOPROBE;
	l = sc_xcalloc(1, sizeof(*l));
	sc_limits_probe(root, r->host, r->container, l);
	/* The probe collects and derives; the verdicts are the checks'. */
	sc_limits_judge(l);
	r->limits = l;
	sc_report_run(r, sc_limits_checks, l);
	return EXIT_OK;
}

int verb_limits(struct cli *cli)
{
	_cleanup_root_ struct sc_root *root = cli_open_root(cli);
	struct sc_report r;
	int ret;

	if (!root)
		return EXIT_NOPROBE;
	sc_report_init(&r, "limits");
	ret = cli_probe_host(root, &r);
	if (ret == EXIT_OK)
		ret = cli_probe_container(cli, root, cli->args[0], &r);
	if (ret == EXIT_OK)
		ret = cli_probe_limits(root, &r);
	if (ret == EXIT_OK) {
		/* This verb judges limits only: the host's and the container's
		 * rules are `host`'s and `container`'s, and the container's
		 * facts are summed up in the limits section. */
		size_t n = 0;
		for (size_t i = 0; i < r.n_checks; i++) {
			if (startswith(r.checks[i].id, "limits."))
				r.checks[n++] = r.checks[i];
			else
				sc_check_done(&r.checks[i]);
		}
		r.n_checks = n;
		sc_container_facts_done(r.container);
		free(r.container);
		r.container = NULL;
		ret = cli_finish(cli, &r, root);
	}
	sc_report_done(&r);
	return ret;
}
