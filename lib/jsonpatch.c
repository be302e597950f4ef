/* SPDX-License-Identifier: MIT */
/* JSON Patch (RFC 6902) and JSON Pointer (RFC 6901) on jansson values.
 * Every operation works on a copy; a failed one leaves nothing behind. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpatch.h"
#include "util.h"

char *sc_json_pointer_escape(const char *token)
{
	size_t n = 0;
	char *r, *p;

	for (const char *s = token; *s; s++)
		n += (*s == '~' || *s == '/') ? 2 : 1;
	r = p = sc_xcalloc(1, n + 1);
	for (const char *s = token; *s; s++) {
		if (*s == '~' || *s == '/') {
			*p++ = '~';
			*p++ = *s == '~' ? '0' : '1';
		} else
			*p++ = *s;
	}
	return r;
}

/* The pointer's tokens, unescaped (RFC 6901 section 4); NULL for a
 * pointer that does not start with "/" or has a bad escape. "" is the
 * whole document: an empty list. */
static char **pointer_tokens(const char *ptr)
{
	struct sc_strv_builder b = {};

	if (*ptr && *ptr != '/')
		return NULL;
	while (*ptr == '/') {
		const char *end = strchr(ptr + 1, '/');
		size_t len = end ? (size_t)(end - ptr - 1) : strlen(ptr + 1);
		char *t = sc_xcalloc(1, len + 1), *q = t;

		for (size_t i = 1; i <= len; i++) {
			if (ptr[i] != '~') {
				*q++ = ptr[i];
				continue;
			}
			if (i + 1 > len || (ptr[i + 1] != '0' && ptr[i + 1] != '1')) {
				free(t);
				sc_strv_builder_done(&b);
				return NULL;
			}
			*q++ = ptr[++i] == '0' ? '~' : '/';
		}
		sc_strv_builder_consume(&b, t);
		ptr += len + 1;
	}
	return sc_strv_builder_take(&b);
}

/* An array index: digits, no leading zero (RFC 6901 section 4). */
static int array_index(const char *t, size_t *ret)
{
	size_t v = 0;

	if (!*t || (t[0] == '0' && t[1]) || strspn(t, "0123456789") != strlen(t) || strlen(t) > 9)
		return -EINVAL;
	for (const char *p = t; *p; p++)
		v = v * 10 + (size_t)(*p - '0');
	*ret = v;
	return 0;
}

/* The value at tokens[0..n), or NULL. */
static json_t *walk(json_t *doc, char **tok, size_t n)
{
	json_t *v = doc;

	for (size_t i = 0; v && i < n; i++) {
		size_t k;

		if (json_is_object(v))
			v = json_object_get(v, tok[i]);
		else if (json_is_array(v) && array_index(tok[i], &k) == 0)
			v = json_array_get(v, k);
		else
			v = NULL;
	}
	return v;
}

struct target {
	json_t *parent; /* NULL: the whole document */
	const char *key;
};

static int resolve(json_t *doc, const char *ptr, char ***ret_tok, struct target *ret)
{
	char **tok = pointer_tokens(ptr);
	size_t n;

	if (!tok)
		return -EINVAL;
	n = sc_strv_length(tok);
	*ret = (struct target){};
	if (n > 0) {
		ret->parent = walk(doc, tok, n - 1);
		ret->key = tok[n - 1];
		if (!ret->parent || (!json_is_object(ret->parent) && !json_is_array(ret->parent))) {
			sc_strv_free(tok);
			return -ENOENT;
		}
	}
	*ret_tok = tok;
	return 0;
}

/* add: into an object (set), an array (insert; "-" appends), or the root. */
static int op_add(json_t **doc, const char *ptr, json_t *value)
{
	_cleanup_strv_free_ char **tok = NULL;
	struct target t;
	size_t k;
	int r = resolve(*doc, ptr, &tok, &t);

	if (r < 0)
		return r;
	if (!t.parent) {
		json_decref(*doc);
		*doc = json_deep_copy(value);
		return 0;
	}
	if (json_is_object(t.parent))
		return json_object_set_new(t.parent, t.key, json_deep_copy(value)) ? -ENOMEM : 0;
	if (streq(t.key, "-"))
		return json_array_append_new(t.parent, json_deep_copy(value)) ? -ENOMEM : 0;
	if (array_index(t.key, &k) < 0)
		return -EINVAL;
	if (k > json_array_size(t.parent))
		return -ENOENT;
	return json_array_insert_new(t.parent, k, json_deep_copy(value)) ? -ENOMEM : 0;
}

/* remove (and take: move's source): the value must exist. */
static int op_remove(json_t **doc, const char *ptr, json_t **ret_taken)
{
	_cleanup_strv_free_ char **tok = NULL;
	struct target t;
	json_t *v;
	size_t k;
	int r = resolve(*doc, ptr, &tok, &t);

	if (r < 0)
		return r;
	if (!t.parent)
		return -EINVAL; /* removing the whole document */
	if (json_is_object(t.parent)) {
		v = json_object_get(t.parent, t.key);
		if (!v)
			return -ENOENT;
		if (ret_taken)
			*ret_taken = json_incref(v);
		json_object_del(t.parent, t.key);
		return 0;
	}
	if (array_index(t.key, &k) < 0)
		return -EINVAL;
	v = json_array_get(t.parent, k);
	if (!v)
		return -ENOENT;
	if (ret_taken)
		*ret_taken = json_incref(v);
	json_array_remove(t.parent, k);
	return 0;
}

static const char *member(const json_t *op, const char *key)
{
	return json_string_value(json_object_get(op, key));
}

int sc_json_patch_apply(const json_t *doc, const json_t *patch, json_t **ret, char **ret_error)
{
	json_t *d;
	int r;

	*ret = NULL;
	*ret_error = NULL;
	d = json_deep_copy(doc);
	if (!d) {
		*ret_error = sc_xstrdup("no document");
		return -EINVAL;
	}
	r = sc_json_patch_apply_in_place(&d, patch, ret_error);
	if (r < 0) {
		json_decref(d);
		return r;
	}
	*ret = d;
	return 0;
}

int sc_json_patch_apply_in_place(json_t **doc, const json_t *patch, char **ret_error)
{
	json_t *op;
	size_t i;

	*ret_error = NULL;
	if (!json_is_array(patch)) {
		*ret_error = sc_xstrdup("the patch is not an array of operations");
		return -EINVAL;
	}
	json_array_foreach(patch, i, op)
	{
		const char *name = member(op, "op"), *path = member(op, "path"),
			   *from = member(op, "from");
		json_t *value = json_object_get(op, "value"), *v = NULL;
		int r;

		if (!json_is_object(op) || !name || !path)
			r = -EINVAL;
		else if (streq(name, "add"))
			r = value ? op_add(doc, path, value) : -EINVAL;
		else if (streq(name, "remove"))
			r = op_remove(doc, path, NULL);
		else if (streq(name, "replace")) {
			_cleanup_strv_free_ char **tok = pointer_tokens(path);
			/* The target must exist (RFC 6902 section 4.3). */
			r = !value				    ? -EINVAL
			    : !tok				    ? -EINVAL
			    : !walk(*doc, tok, sc_strv_length(tok)) ? -ENOENT
								    : 0;
			if (r == 0 && *path)
				r = op_remove(doc, path, NULL);
			if (r == 0)
				r = op_add(doc, path, value);
		} else if (streq(name, "move") || streq(name, "copy")) {
			_cleanup_strv_free_ char **tok = from ? pointer_tokens(from) : NULL;
			json_t *src = tok ? walk(*doc, tok, sc_strv_length(tok)) : NULL;

			/* A value cannot move into its own child. */
			if (!tok)
				r = -EINVAL;
			else if (!src)
				r = -ENOENT;
			else if (streq(name, "move") && startswith(path, from) &&
				 (path[strlen(from)] == '/'))
				r = -EINVAL;
			else if (streq(name, "copy")) {
				v = json_deep_copy(src);
				r = op_add(doc, path, v);
			} else {
				r = op_remove(doc, from, &v);
				if (r == 0)
					r = op_add(doc, path, v);
			}
			json_decref(v);
		} else if (streq(name, "test")) {
			_cleanup_strv_free_ char **tok = pointer_tokens(path);
			json_t *have = tok ? walk(*doc, tok, sc_strv_length(tok)) : NULL;

			r = !value || !tok	      ? -EINVAL
			    : !have		      ? -ENOENT
			    : json_equal(have, value) ? 0
						      : -ECANCELED;
		} else
			r = -EINVAL;
		if (r < 0) {
			*ret_error = sc_xasprintf("operation %zu (%s %s): %s", i, name ? name : "?",
						  path ? path : "?",
						  r == -ENOENT	    ? "no such path"
						  : r == -ECANCELED ? "test failed"
								    : "invalid operation");
			return r;
		}
	}
	return 0;
}
