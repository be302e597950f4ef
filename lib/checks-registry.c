/* SPDX-License-Identifier: MIT */
/* The check registry: every rule table of the tool, by name, for `checks`,
 * --ignore validation and the man page. The one place that knows them all. */
#include <fnmatch.h>

#include "checks.h"
#include "report.h"

const struct sc_check_table sc_check_tables[] = {
	{ "host", sc_host_checks },
	{ "container", sc_container_checks },
	{ "limits", sc_limits_checks },
	{ "boot", sc_boot_checks },
	{ "image", sc_image_checks }, /* host --image */
	{},
};

bool sc_check_pattern_known(const char *pattern)
{
	for (const struct sc_check_table *t = sc_check_tables; t->name; t++)
		for (const struct sc_check_def *d = t->defs; d->id; d++)
			if (fnmatch(pattern, d->id, 0) == 0)
				return true;
	return false;
}
