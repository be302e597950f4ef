/* SPDX-License-Identifier: MIT */
/* Block devices named through libblkid: a device number (from io.max,
 * blkio.throttle.* or a mount's major:minor) to its /dev name, filesystem
 * type, label and UUID. Read-only; a failed lookup is a fact, not an error. */
#pragma once

#include <stdbool.h>

struct sc_blkdev {
	unsigned major, minor;
	char *devname; /* "/dev/vda"; NULL when no block device has that number */
	char *fstype;  /* superblock TYPE ("ext4"), NULL when none was found */
	char *label;
	char *uuid;
	int err; /* positive errno of the lookup or the probe, 0 when both worked */
};

/* Fill ret for major:minor. Never uses blkid's cache (it would write
 * /run/blkid/blkid.tab): the name comes from sysfs (blkid_devno_to_devname)
 * and the superblock from a probe of the device opened read-only.
 * Returns 0, or -ENODEV (no such block device) / another -errno, with
 * ret filled as far as it got in both cases. */
int sc_blkdev_describe(unsigned major, unsigned minor, struct sc_blkdev *ret);
void sc_blkdev_done(struct sc_blkdev *d);
/* "/dev/vda (ext4, LABEL=root, UUID=...)" or "8:0 (no block device)"; allocated. */
char *sc_blkdev_to_string(const struct sc_blkdev *d);
