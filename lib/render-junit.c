/* SPDX-License-Identifier: MIT */
/* JUnit XML: one <testcase> per check. */
#include <errno.h>

#include "render.h"

int sc_render_junit(const struct sc_report *r, FILE *out)
{
	return -EOPNOTSUPP;
}
