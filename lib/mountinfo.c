/* SPDX-License-Identifier: MIT */
/* The mountinfo parser and mount table look-ups. Parsing is on strings
 * only; reading the file is the caller's business (through sc_root). */
#include <stdio.h>

#include "mountinfo.h"
#include "util.h"

char *sc_unescape_octal(const char *s)
{
	char *r = sc_xmalloc(strlen(s) + 1), *o = r;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else
			*o++ = *s++;
	}
	*o = 0;
	return r;
}

static void mount_done(struct sc_mount *m)
{
	free(m->root);
	free(m->mountpoint);
	free(m->options);
	free(m->optional);
	free(m->fstype);
	free(m->source);
	free(m->super_options);
}

/* One line: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue" */
static int parse_line(const char *line, struct sc_mount *ret)
{
	_cleanup_strv_free_ char **f = sc_strv_split(line, " \t");
	size_t n = sc_strv_length(f), sep = 0;
	struct sc_mount m = {};
	char *end;

	if (n < 10)
		return -EINVAL;
	for (size_t i = 6; i < n; i++)
		if (streq(f[i], "-")) {
			sep = i;
			break;
		}
	/* After the separator: fstype, source, super options. Older kernels
	 * may omit nothing here; a missing field means a bad line. */
	if (sep == 0 || sep + 3 > n)
		return -EINVAL;

	errno = 0;
	m.id = (int)strtol(f[0], &end, 10);
	if (*end || errno)
		return -EINVAL;
	m.parent = (int)strtol(f[1], &end, 10);
	if (*end || errno)
		return -EINVAL;
	if (sscanf(f[2], "%u:%u", &m.major, &m.minor) != 2)
		return -EINVAL;

	m.root = sc_unescape_octal(f[3]);
	m.mountpoint = sc_unescape_octal(f[4]);
	m.options = sc_xstrdup(f[5]);
	{
		_cleanup_strv_builder_ struct sc_strv_builder opt = {};
		_cleanup_strv_free_ char **l = NULL;

		for (size_t i = 6; i < sep; i++)
			sc_strv_builder_push(&opt, f[i]);
		l = sc_strv_builder_take(&opt);
		m.optional = sc_strv_join(l, " ");
	}
	m.fstype = sc_unescape_octal(f[sep + 1]);
	m.source = sc_unescape_octal(f[sep + 2]);
	m.super_options = sep + 3 < n ? sc_unescape_octal(f[sep + 3]) : sc_xstrdup("");
	*ret = m;
	return 0;
}

void sc_mountinfo_parse(const char *text, struct sc_mounts *ret)
{
	struct sc_mounts t = {};

	for (const char *l = text; l && *l;) {
		const char *eol = strchrnul(l, '\n');
		_cleanup_free_ char *line = sc_xstrndup(l, (size_t)(eol - l));
		struct sc_mount m;

		if (*sc_strstrip(line)) {
			if (parse_line(line, &m) < 0)
				t.n_bad++;
			else
				*SC_APPEND(t.v, t.n) = m;
		}
		l = *eol ? eol + 1 : eol;
	}
	*ret = t;
}

void sc_mounts_done(struct sc_mounts *m)
{
	for (size_t i = 0; i < m->n; i++)
		mount_done(&m->v[i]);
	free(m->v);
	*m = (struct sc_mounts){};
}

static bool list_has(const char *list, const char *opt)
{
	size_t ol = strlen(opt);
	bool prefix = ol > 0 && opt[ol - 1] == '=';

	for (const char *p = list; p && *p;) {
		const char *e = strchrnul(p, ',');
		size_t l = (size_t)(e - p);

		if (prefix ? (l >= ol && strncmp(p, opt, ol) == 0)
			   : (l == ol && strncmp(p, opt, ol) == 0))
			return true;
		p = *e ? e + 1 : e;
	}
	return false;
}

bool sc_mount_has_option(const struct sc_mount *m, const char *opt)
{
	return list_has(m->options, opt) || list_has(m->super_options, opt);
}

static char *list_value(const char *list, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = list; p && *p;) {
		const char *e = strchrnul(p, ',');

		if ((size_t)(e - p) > kl && strncmp(p, key, kl) == 0 && p[kl] == '=')
			return sc_xstrndup(p + kl + 1, (size_t)(e - p) - kl - 1);
		p = *e ? e + 1 : e;
	}
	return NULL;
}

char *sc_mount_option_value(const struct sc_mount *m, const char *key)
{
	char *v = list_value(m->options, key);
	return v ? v : list_value(m->super_options, key);
}

bool sc_mount_is_read_only(const struct sc_mount *m)
{
	/* Either the mount (bind mounts, "mount -o remount,bind,ro") or the
	 * superblock can be read-only: both stop writes. */
	return list_has(m->options, "ro") || list_has(m->super_options, "ro");
}

/* Among the mounts at one mount point, the visible one is the one no
 * other mount at the same point is stacked on. */
static const struct sc_mount *top_of(const struct sc_mounts *t, const struct sc_mount *m)
{
	/* Bounded: a corrupt table with a parent cycle must not loop. */
	for (size_t guard = 0; guard <= t->n; guard++) {
		const struct sc_mount *over = NULL;

		for (size_t i = 0; i < t->n; i++)
			if (t->v[i].parent == m->id && &t->v[i] != m &&
			    streq(t->v[i].mountpoint, m->mountpoint)) {
				over = &t->v[i];
				break;
			}
		if (!over)
			return m;
		m = over;
	}
	return m;
}

const struct sc_mount *sc_mounts_at(const struct sc_mounts *t, const char *mountpoint)
{
	for (size_t i = 0; i < t->n; i++)
		if (streq(t->v[i].mountpoint, mountpoint))
			return top_of(t, &t->v[i]);
	return NULL;
}

const struct sc_mount *sc_mounts_containing(const struct sc_mounts *t, const char *path)
{
	const struct sc_mount *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < t->n; i++) {
		const char *mp = t->v[i].mountpoint;
		size_t l = strlen(mp);
		bool match;

		if (streq(mp, "/"))
			match = true, l = 0;
		else
			match = strncmp(path, mp, l) == 0 && (path[l] == 0 || path[l] == '/');
		if (match && (!best || l > best_len)) {
			best = &t->v[i];
			best_len = l;
		}
	}
	return best ? top_of(t, best) : NULL;
}
