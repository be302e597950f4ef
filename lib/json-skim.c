/* SPDX-License-Identifier: MIT */
/* A syntax check of a JSON text (RFC 8259) that keeps only where the
 * top-level members are. Recursive descent, depth capped as jansson caps
 * it (JSON_PARSER_MAX_DEPTH, 2048), UTF-8 checked in strings. */
#include <errno.h>
#include <string.h>

#include "json-skim.h"
#include "sanitize.h"
#include "util.h"

#define SKIM_MAX_DEPTH 2048
#define SKIM_MAX_MEMBERS 1024

struct skim {
	const char *p, *end;
};

static void ws(struct skim *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int skim_string(struct skim *s)
{
	const char *run;

	if (s->p >= s->end || *s->p != '"')
		return -EBADMSG;
	run = ++s->p;
	while (s->p < s->end) {
		unsigned char c = (unsigned char)*s->p;

		if (c == '"') {
			if (!sc_utf8_valid(run, (size_t)(s->p - run)))
				return -EBADMSG;
			s->p++;
			return 0;
		}
		if (c < 0x20)
			return -EBADMSG;
		if (c != '\\') {
			s->p++;
			continue;
		}
		if (!sc_utf8_valid(run, (size_t)(s->p - run)) || ++s->p >= s->end)
			return -EBADMSG;
		c = (unsigned char)*s->p;
		if (c == 'u') {
			if (s->end - s->p < 5)
				return -EBADMSG;
			for (int i = 1; i <= 4; i++)
				if (!is_hex(s->p[i]))
					return -EBADMSG;
			/* jansson refuses U+0000 unless asked to take it. */
			if (strncmp(s->p + 1, "0000", 4) == 0)
				return -EBADMSG;
			s->p += 5;
		} else if (c && strchr("\"\\/bfnrt", c))
			s->p++;
		else
			return -EBADMSG;
		run = s->p;
	}
	return -EBADMSG;
}

static int skim_digits(struct skim *s)
{
	const char *b = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > b ? 0 : -EBADMSG;
}

static int skim_number(struct skim *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (skim_digits(s) < 0)
		return -EBADMSG;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (skim_digits(s) < 0)
			return -EBADMSG;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (skim_digits(s) < 0)
			return -EBADMSG;
	}
	return 0;
}

static int skim_word(struct skim *s, const char *w)
{
	size_t l = strlen(w);

	if ((size_t)(s->end - s->p) < l || memcmp(s->p, w, l) != 0)
		return -EBADMSG;
	s->p += l;
	return 0;
}

static int skim_value(struct skim *s, unsigned depth);

/* After '{' or '['; members are recorded at the top level only. */
static int skim_members(struct skim *s, unsigned depth, bool object, struct sc_json_member **v,
			size_t *n)
{
	char close = object ? '}' : ']';

	ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL, *value;
		size_t key_len = 0;
		int k;

		ws(s);
		if (object) {
			key = s->p + 1;
			k = skim_string(s);
			if (k < 0)
				return k;
			key_len = (size_t)(s->p - 1 - key);
			ws(s);
			if (s->p >= s->end || *s->p != ':')
				return -EBADMSG;
			s->p++;
			ws(s);
		}
		value = s->p;
		k = skim_value(s, depth + 1);
		if (k < 0)
			return k;
		if (v) {
			/* A state file has a dozen: quadratic is fine, unbounded not. */
			if (*n >= SKIM_MAX_MEMBERS)
				return -EBADMSG;
			for (size_t i = 0; i < *n; i++)
				if ((*v)[i].key_len == key_len &&
				    memcmp((*v)[i].key, key, key_len) == 0)
					return -EBADMSG;
			*SC_APPEND(*v, *n) = (struct sc_json_member){ key, key_len, value,
								      (size_t)(s->p - value) };
		}
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == close) {
			s->p++;
			return 0;
		}
		return -EBADMSG;
	}
}

static int skim_value(struct skim *s, unsigned depth)
{
	if (depth > SKIM_MAX_DEPTH || s->p >= s->end)
		return -EBADMSG;
	switch (*s->p) {
	case '{':
	case '[': {
		bool object = *s->p == '{';
		s->p++;
		return skim_members(s, depth, object, NULL, NULL);
	}
	case '"':
		return skim_string(s);
	case 't':
		return skim_word(s, "true");
	case 'f':
		return skim_word(s, "false");
	case 'n':
		return skim_word(s, "null");
	default:
		return skim_number(s);
	}
}

int sc_json_skim_object(const char *text, size_t len, struct sc_json_member **ret)
{
	struct skim s = { text, text + len };
	struct sc_json_member *v = NULL;
	size_t n = 0;
	int k;

	ws(&s);
	if (s.p >= s.end || *s.p != '{') {
		free(v);
		return -EBADMSG;
	}
	s.p++;
	k = skim_members(&s, 1, true, &v, &n);
	ws(&s);
	if (k < 0 || s.p != s.end) {
		free(v);
		return -EBADMSG;
	}
	*ret = v;
	return (int)n;
}

const struct sc_json_member *sc_json_member_find(const struct sc_json_member *m, size_t n,
						 const char *key)
{
	size_t l = strlen(key);

	for (size_t i = 0; i < n; i++)
		if (m[i].key_len == l && memcmp(m[i].key, key, l) == 0)
			return &m[i];
	return NULL;
}

json_t *sc_json_member_load(const struct sc_json_member *m)
{
	return m ? json_loadb(m->value, m->value_len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
			      NULL)
		 : NULL;
}
