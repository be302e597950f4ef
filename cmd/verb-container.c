/* SPDX-License-Identifier: MIT */
/* `sysctr-check container TARGET` and `list`: resolve a target from the
 * runtimes' state, probe it from outside and inside, run the container
 * and delegation rules. */
#include "checks.h"
#include "cli.h"
#include "util.h"

int cli_probe_container(const struct cli *cli, struct sc_root *root, const char *target,
			struct sc_report *r)
{
	_cleanup_strv_free_ char **matches = NULL;
	struct sc_container_ref *refs = NULL, ref = {};
	struct sc_target_spec spec;
	struct sc_container_facts *f;
	json_t *replay = NULL, *recorded = NULL;
	char *err = NULL, key[32];
	size_t n_refs = 0;
	int k;

	if (sc_target_spec_parse(target, &spec) < 0) {
		cli_error("invalid target \"%s\" (a PID, RUNTIME:NAME or a name)", target);
		return EXIT_USAGE;
	}
	(void)sc_runtime_scan(root, &cli->state_roots, &refs, &n_refs);
	k = sc_target_resolve(&spec, refs, n_refs, &ref, &matches);
	sc_container_refs_free(refs, n_refs);
	if (k == -ENOTUNIQ) {
		_cleanup_free_ char *l = sc_strv_join(matches, ", ");
		cli_error("\"%s\" is ambiguous: %s", target, l);
		sc_target_spec_done(&spec);
		return EXIT_NOPROBE;
	}
	if (k == -ENOENT) {
		cli_error("no container \"%s\" (see `sysctr-check list`)", target);
		sc_target_spec_done(&spec);
		return EXIT_NOPROBE;
	}
	if (k == -ESRCH) {
		cli_error("container %s:%s is not running", sc_runtime_to_string(ref.runtime),
			  ref.id);
		sc_container_ref_done(&ref);
		sc_target_spec_done(&spec);
		return EXIT_NOPROBE;
	}
	sc_target_spec_done(&spec);

	snprintf(key, sizeof(key), "%d", (int)ref.pid);
	replay = json_object_get(sc_root_snapshot_get(root, "inside"), key);
	f = sc_xcalloc(1, sizeof(*f));
	k = sc_container_probe(root, r->host, &ref, &cli->enter, replay,
			       cli->record ? &recorded : NULL, f, &err);
	sc_container_ref_done(&ref);
	if (k < 0) {
		cli_error("%s", err ? err : sc_strerror(k));
		free(err);
		free(f);
		return EXIT_NOPROBE;
	}
	if (recorded)
		sc_root_record_attach(root, "inside", key, recorded);
	r->container = f;
	{
		struct sc_container_check_input in = { r->host, f };
		sc_report_run(r, sc_container_checks, &in);
	}
	return EXIT_OK;
}

int verb_container(struct cli *cli)
{
	_cleanup_root_ struct sc_root *root = cli_open_root(cli);
	struct sc_report r;
	int ret;

	if (!root)
		return EXIT_NOPROBE;
	sc_report_init(&r, "container");
	ret = cli_probe_host(root, &r);
	/* The container verb judges the container: host rules are `host`'s. */
	for (size_t i = 0; ret == EXIT_OK && i < r.n_checks; i++)
		sc_check_done(&r.checks[i]);
	r.n_checks = 0;
	if (ret == EXIT_OK)
		ret = cli_probe_container(cli, root, cli->args[0], &r);
	if (ret == EXIT_OK)
		ret = cli_finish(cli, &r, root);
	sc_report_done(&r);
	return ret;
}

int verb_list(struct cli *cli)
{
	_cleanup_root_ struct sc_root *root = cli_open_root(cli);
	struct sc_report r;
	int k, ret;

	if (!root)
		return EXIT_NOPROBE;
	sc_report_init(&r, "list");
	ret = cli_probe_host(root, &r);
	for (size_t i = 0; ret == EXIT_OK && i < r.n_checks; i++)
		sc_check_done(&r.checks[i]);
	r.n_checks = 0;
	if (ret == EXIT_OK) {
		k = sc_container_list(root, &cli->state_roots, &r.listed, &r.n_listed);
		if (k < 0) {
			cli_error("cannot list /proc: %s", sc_strerror(k));
			ret = EXIT_NOPROBE;
		} else {
			r.has_list = true;
			ret = cli_finish(cli, &r, root);
		}
	}
	sc_report_done(&r);
	return ret;
}
