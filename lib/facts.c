/* SPDX-License-Identifier: MIT */
/* Read helpers shared by the probes: each failure other than "absent" is
 * kept as a fact so that reports can say what could not be observed. */
#include "facts.h"
#include "util.h"

void sc_errlist_add(struct sc_errlist *l, const char *path, int err)
{
	struct sc_read_error *e;

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < l->n; i++)
		if (streq(l->v[i].path, path))
			return;
	e = SC_APPEND(l->v, l->n);
	e->path = sc_xstrdup(path);
	e->err = err;
}

void sc_errlist_done(struct sc_errlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	*l = (struct sc_errlist){};
}

int sc_errlist_find(const struct sc_errlist *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (streq(l->v[i].path, path))
			return l->v[i].err;
	return 0;
}

int sc_probe_read(struct sc_root *root, struct sc_errlist *errs, const char *path, char **ret)
{
	int k = sc_root_read(root, path, SC_READ_MAX, ret, NULL);

	if (k < 0 && k != -ENOENT && errs)
		sc_errlist_add(errs, path, k);
	return k;
}

int sc_probe_read_line(struct sc_root *root, struct sc_errlist *errs, const char *path, char **ret)
{
	int k = sc_root_read_line(root, path, ret);

	if (k < 0 && k != -ENOENT && errs)
		sc_errlist_add(errs, path, k);
	return k;
}

int sc_probe_read_list(struct sc_root *root, struct sc_errlist *errs, const char *path, char ***ret)
{
	_cleanup_free_ char *data = NULL;
	int k;

	k = sc_probe_read(root, errs, path, &data);
	if (k < 0)
		return k;
	*ret = sc_strv_split(data, " \t\n");
	return 0;
}
