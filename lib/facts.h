/* SPDX-License-Identifier: MIT */
/* What every probe shares: the list of reads that failed (a failed read is
 * a fact, with its path and errno) and the probe-side read helpers. */
#pragma once

#include <stddef.h>

#include "root.h"

struct sc_read_error {
	char *path;
	int err; /* positive errno or SC_E* */
};

struct sc_errlist {
	struct sc_read_error *v;
	size_t n;
};

void sc_errlist_add(struct sc_errlist *l, const char *path, int err);
void sc_errlist_done(struct sc_errlist *l);
/* The error recorded for path, or 0. */
int sc_errlist_find(const struct sc_errlist *l, const char *path);

/* Read through the root; failures other than ENOENT are recorded in errs.
 * Returns like sc_root_read(). */
int sc_probe_read(struct sc_root *root, struct sc_errlist *errs, const char *path, char **ret);
int sc_probe_read_line(struct sc_root *root, struct sc_errlist *errs, const char *path, char **ret);
/* A whitespace-separated list file ("cpu io memory"), sorted as read. */
int sc_probe_read_list(struct sc_root *root, struct sc_errlist *errs, const char *path,
		       char ***ret);
