/* SPDX-License-Identifier: MIT */
/* Real containers for the root-only integration tests: a busybox rootfs,
 * an OCI bundle from `runc spec` adjusted with jansson, `runc run -d`,
 * and a teardown that always runs. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

struct testctr {
	char *id;
	char *dir;    /* temporary directory holding the bundle */
	char *bundle; /* dir/bundle */
	char *rootfs; /* dir/bundle/rootfs */
	pid_t pid;
	bool started;
};

/* NULL when containers can run here, else why not (for cr_skip_test). */
const char *testctr_unavailable(void);

/* Prepare a bundle: busybox rootfs, config.json from `runc spec` with
 * process.args = sleep. Tweak config and rootfs before testctr_start(). */
void testctr_prepare(struct testctr *c, const char *id_prefix);
json_t *testctr_config(struct testctr *c);		     /* borrowed */
void testctr_config_save(struct testctr *c, json_t *config); /* takes config */
int testctr_start(struct testctr *c);
void testctr_kill(struct testctr *c); /* SIGKILL, keep the state (stopped) */
void testctr_destroy(struct testctr *c);

/* Config helpers. */
void testctr_add_namespace(json_t *config, const char *type);
/* Replace the /sys/fs/cgroup mount: type "cgroup" or "cgroup2", ro or rw. */
void testctr_cgroup_mount(json_t *config, const char *type, bool read_only);
/* Run a shell command, returning its exit status (stdout/err discarded
 * unless out is given). */
int testctr_sh(const char *cmd, char **out);
