/* SPDX-License-Identifier: MIT */
/* The Prometheus text exposition format, for node_exporter's textfile
 * collector. */
#include <errno.h>

#include "render.h"

int sc_render_prometheus(const struct sc_report *r, FILE *out)
{
	return -EOPNOTSUPP;
}
