/* SPDX-License-Identifier: MIT */
/* The rule tables beyond the host's, and what their rules are given. */
#pragma once

#include "container.h"
#include "image.h"
#include "report.h"

/* A container rule sees the container and the host it runs on. */
struct sc_container_check_input {
	const struct sc_host_facts *host;
	const struct sc_container_facts *c;
};

extern const struct sc_check_def sc_container_checks[];
/* The limit-visibility rules judge a struct sc_limits (limits-model.h). Run
 * sc_limits_judge() on it first, after sc_limits_probe() (or
 * sc_limits_derive()): it fills each row's verdict, summary and remedy,
 * lxcfs_alive and uptime_verdict, which the rules and renderers read. */
void sc_limits_judge(struct sc_limits *l);
extern const struct sc_check_def sc_limits_checks[];

/* An image rule sees the image's facts and the host they predict. */
struct sc_image_check_input {
	const struct sc_image_facts *img;
	const struct sc_host_facts *host;
};
extern const struct sc_check_def sc_image_checks[];
/* `host --image`: the layout rules of the host table on r->host (the
 * prediction), then the image table on r->image. */
void sc_image_judge(struct sc_report *r);
/* boot --fix (checks-fix.c): the smallest sets of changes that turn the
 * verdict r (fails or degraded) of environment e into boots, searched
 * over the boot rules and said in e's runtime's terms. With a bundle's
 * config.json and rootfs, each set is an RFC 6902 patch of config.json,
 * and its expected verdict is the patched copy's, judged again. */
void sc_fix_search(const struct sc_host_facts *h, const struct sc_boot_env *e,
		   const struct sc_boot_result *r, const json_t *config, struct sc_root *rootfs,
		   struct sc_fix *ret);
