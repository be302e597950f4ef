/* SPDX-License-Identifier: MIT */
/* libblkid behind a small API: device numbers to names and superblock
 * facts. Nothing here writes: no blkid cache, devices opened O_RDONLY. */
#include <blkid.h>
#include <stdio.h>
#include <sys/sysmacros.h>

#include "blkdev.h"
#include "root.h"
#include "util.h"

static char *value_of(blkid_probe pr, const char *name)
{
	const char *v = NULL;

	if (blkid_probe_lookup_value(pr, name, &v, NULL) == 0 && v && *v)
		return sc_xstrdup(v);
	return NULL;
}

int sc_blkdev_describe(unsigned major, unsigned minor, struct sc_blkdev *ret)
{
	struct sc_blkdev d = { .major = major, .minor = minor };
	blkid_probe pr;
	char *name;
	int k;

	/* blkid_devno_to_devname() resolves /sys/dev/block/MAJ:MIN (and
	 * falls back to scanning /dev); it never touches the cache file. */
	name = blkid_devno_to_devname(makedev(major, minor));
	if (!name) {
		d.err = ENODEV;
		*ret = d;
		return -ENODEV;
	}
	d.devname = sc_xstrdup(name);
	free(name);

	/* blkid_new_probe_from_filename() opens the device O_RDONLY; a
	 * safe probe refuses ambiguous results instead of guessing. */
	errno = 0;
	pr = blkid_new_probe_from_filename(d.devname);
	if (!pr) {
		d.err = errno ? errno : EIO;
		k = -d.err;
		*ret = d;
		return k;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL |
						      BLKID_SUBLKS_UUID);
	k = blkid_do_safeprobe(pr);
	if (k == 0) {
		d.fstype = value_of(pr, "TYPE");
		d.label = value_of(pr, "LABEL");
		d.uuid = value_of(pr, "UUID");
	} else if (k < 0)
		d.err = EIO;
	/* k == 1: nothing recognised (a raw or partitioned disk): a fact. */
	blkid_free_probe(pr);
	*ret = d;
	return d.err ? -d.err : 0;
}

void sc_blkdev_done(struct sc_blkdev *d)
{
	free(d->devname);
	free(d->fstype);
	free(d->label);
	free(d->uuid);
	*d = (struct sc_blkdev){};
}

char *sc_blkdev_to_string(const struct sc_blkdev *d)
{
	_cleanup_strv_free_ char **parts = sc_xcalloc(1, sizeof(char *));
	_cleanup_free_ char *extra = NULL;

	if (!d->devname)
		return sc_xasprintf("%u:%u (%s)", d->major, d->minor,
				    d->err == SC_ENOFACT
					    ? "not named: libblkid runs on live hosts only"
					    : "no block device");
	if (d->fstype)
		sc_strv_push(&parts, d->fstype);
	if (d->label)
		sc_strv_consume(&parts, sc_xasprintf("LABEL=%s", d->label));
	if (d->uuid)
		sc_strv_consume(&parts, sc_xasprintf("UUID=%s", d->uuid));
	if (d->err)
		sc_strv_consume(&parts, sc_xasprintf("probe: %s", strerror(d->err)));
	extra = sc_strv_join(parts, ", ");
	return *extra ? sc_xasprintf("%s (%s)", d->devname, extra) : sc_xstrdup(d->devname);
}
