/* SPDX-License-Identifier: MIT */
/* Line breaking for the text output (text-wrap.h): spaces first, then
 * inside a word that no line could hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "text-wrap.h"
#include "util.h"

/* Bytes of the character at s (of n): a valid UTF-8 sequence, else one
 * byte (shown as its escape, never split). */
static size_t char_len(const char *s, size_t n)
{
	int k = sc_utf8_len(s, n);

	return k > 0 ? (size_t)k : 1;
}

/* How much of the word w (n bytes) to put on a line of room columns
 * when the whole does not fit: never 0 and never n with SC_WRAP_HARD
 * (the rest goes on the next line). */
static size_t cut_word(const char *w, size_t n, size_t room, unsigned wrap_flags,
		       unsigned esc_flags)
{
	const char *breaks = wrap_flags & SC_WRAP_HARD ? "/,:-" : ",";
	size_t best = 0, first = 0, i;

	for (i = 1; i + 1 < n; i++) {
		if (!strchr(breaks, w[i]))
			continue;
		if (!first)
			first = i + 1;
		if (sc_text_nwidth(w, i + 1, esc_flags) <= room)
			best = i + 1;
	}
	if (best)
		return best;
	if (!(wrap_flags & SC_WRAP_HARD))
		/* Overflow as little as the word allows. */
		return first ? first : n;
	/* Between two characters: as many as fit, at least one. */
	for (i = char_len(w, n); i < n;) {
		size_t k = char_len(w + i, n - i);

		if (sc_text_nwidth(w, i + k, esc_flags) > room)
			break;
		i += k;
	}
	return i;
}

size_t sc_wrap_line(const char *s, size_t room, bool fresh, unsigned wrap_flags, unsigned esc_flags,
		    const char **ret_next)
{
	size_t end = 0, used = 0, i = 0;

	while (s[i]) {
		size_t gap = strspn(s + i, " ");
		size_t n = strcspn(s + i + gap, " ");
		size_t w;

		if (!n)
			break; /* only spaces left */
		w = sc_text_nwidth(s + i + gap, n, esc_flags);
		if (used + gap + w <= room) {
			used += gap + w;
			i += gap + n;
			end = i;
			continue;
		}
		if (end)
			break; /* the word starts the next line */
		if (!fresh) {
			*ret_next = s;
			return 0;
		}
		/* A fresh line, and its first word is wider than it. */
		end = i + gap +
		      cut_word(s + i + gap, n, room > used + gap ? room - used - gap : 0,
			       wrap_flags, esc_flags);
		break;
	}
	*ret_next = s + end + strspn(s + end, " ");
	return end;
}

char *sc_wrap_string(const char *s, size_t width, size_t col, size_t indent, unsigned wrap_flags,
		     unsigned esc_flags)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	bool fresh = col <= indent;

	if (!f)
		abort(); /* out of memory, as every allocation of the tool */
	while (*s) {
		const char *next;
		size_t n = sc_wrap_line(s, width > col ? width - col : 0, fresh, wrap_flags,
					esc_flags, &next);

		fwrite(s, 1, n, f);
		s = next;
		if (!*s)
			break;
		fprintf(f, "\n%*s", (int)indent, "");
		col = indent;
		fresh = true;
	}
	if (fclose(f) != 0)
		abort();
	return buf;
}
