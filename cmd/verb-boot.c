/* SPDX-License-Identifier: MIT */
/* `sysctr-check boot TARGET` and `boot --bundle DIR`: would systemd boot
 * as PID 1 in that container, or in that OCI bundle on this host? */
#include "cli.h"
#include "util.h"

/* r holds the host facts, and the container's when probing a target. */
int cli_probe_boot(const struct cli *cli, struct sc_report *r)
{
	struct sc_boot_env *e = sc_xcalloc(1, sizeof(*e));
	struct sc_boot_result *b = sc_xcalloc(1, sizeof(*b));

	if (cli->bundle) {
		char *err = NULL;
		int k = sc_boot_env_from_bundle(r->host, cli->bundle, e, &err);

		if (k < 0) {
			cli_error("%s", err ? err : sc_strerror(k));
			free(err);
			free(e);
			free(b);
			return EXIT_NOPROBE;
		}
	} else if (r->container)
		sc_boot_env_from_container(r->host, r->container, e);
	else {
		free(e);
		free(b);
		return EXIT_USAGE;
	}
	sc_boot_evaluate(e, b);
	/* systemd already PID 1 there: what it looks like now, as data. */
	if (r->container && r->container->inside_ok)
		b->running = r->container->inside.systemd_running;
	r->boot = b;
	r->boot_env = e;
	sc_report_run(r, sc_boot_checks, b);
	return EXIT_OK;
}

int verb_boot(struct cli *cli)
{
	_cleanup_root_ struct sc_root *root = NULL;
	struct sc_report r;
	int ret;

	if (!cli->bundle == !cli->args[0]) {
		cli_error("usage: sysctr-check [OPTIONS] boot TARGET | boot --bundle DIR");
		return EXIT_USAGE;
	}
	root = cli_open_root(cli);
	if (!root)
		return EXIT_NOPROBE;
	sc_report_init(&r, "boot");
	ret = cli_probe_host(root, &r);
	/* The verdict is this verb's only judgement. */
	for (size_t i = 0; ret == EXIT_OK && i < r.n_checks; i++)
		sc_check_done(&r.checks[i]);
	r.n_checks = 0;
	if (ret == EXIT_OK && !cli->bundle) {
		ret = cli_probe_container(cli, root, cli->args[0], &r);
		for (size_t i = 0; ret == EXIT_OK && i < r.n_checks; i++)
			sc_check_done(&r.checks[i]);
		r.n_checks = 0;
	}
	if (ret == EXIT_OK)
		ret = cli_probe_boot(cli, &r);
	if (ret == EXIT_OK)
		ret = cli_finish(cli, &r, root);
	sc_report_done(&r);
	return ret;
}
