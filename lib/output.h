/* SPDX-License-Identifier: MIT */
/* Output files (--output, --record): written whole or not at all, and
 * never over anything that is not a regular file. */
#pragma once

#include <stdio.h>

enum {
	/* Refuse an existing file (-EEXIST) instead of replacing it. */
	SC_OUTPUT_NO_REPLACE = 1 << 0,
};

typedef int (*sc_output_writer_t)(FILE *f, void *data);

/* Writes path through a temporary file in the same directory, fsync()ed,
 * then moved into place. An existing path is replaced only when it is a
 * regular file; a symlink (never followed), a device, a FIFO, a socket
 * or a directory is refused with -SC_ENOTREG and left as it was, also
 * when one appears while the file is being written. A new file is
 * created 0600; a replaced regular file keeps its permission bits
 * (0777 of them). The writer's error,
 * or the first write error, is returned; nothing is left behind then. */
int sc_output_write(const char *path, unsigned flags, sc_output_writer_t writer, void *data);
