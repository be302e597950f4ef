/* SPDX-License-Identifier: MIT */
/* Small helpers every file uses: cleanup attributes, ownership transfer,
 * array sizes and string comparisons. No state, no I/O. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* An enum's names, from a designated-initializer table of strings (as
 * systemd's string-table.h): name##_to_string() gives fallback for a value
 * outside the table or without a name; name##_from_string() the value, or
 * -EINVAL. Each table is then the one place a name is written. */
#define SC_STRING_TABLE_TO_STRING(name, type, table, fallback)                                \
	const char *name##_to_string(type i)                                                  \
	{                                                                                     \
		return (size_t)i < ELEMENTSOF(table) && (table)[i] ? (table)[i] : (fallback); \
	}
#define SC_STRING_TABLE_FROM_STRING(name, table)                        \
	int name##_from_string(const char *s)                           \
	{                                                               \
		for (size_t i_ = 0; s && i_ < ELEMENTSOF(table); i_++)  \
			if ((table)[i_] && strcmp((table)[i_], s) == 0) \
				return (int)i_;                         \
		return -EINVAL;                                         \
	}
#define SC_STRING_TABLE(name, type, table, fallback)           \
	SC_STRING_TABLE_TO_STRING(name, type, table, fallback) \
	SC_STRING_TABLE_FROM_STRING(name, table)

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _pure_ __attribute__((pure))

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Take ownership of a pointer or fd: the cleanup handler of the old
 * variable then sees NULL / -1 and does nothing. */
#define TAKE_PTR(p)                      \
	({                               \
		__typeof__(p) _p_ = (p); \
		(p) = NULL;              \
		_p_;                     \
	})
#define TAKE_FD(fd)              \
	({                       \
		int _fd_ = (fd); \
		(fd) = -1;       \
		_fd_;            \
	})

#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) \
	static inline void func##p(type *p)     \
	{                                       \
		if (*p)                         \
			func(*p);               \
	}

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static inline bool streq_ptr(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static inline const char *startswith(const char *s, const char *prefix)
{
	size_t l = strlen(prefix);
	return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}

static inline bool strcaseeq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static inline bool endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static inline bool isempty(const char *s)
{
	return !s || !*s;
}

static inline const char *strna(const char *s)
{
	return s ? s : "n/a";
}

/* Allocation failures abort: a diagnostic tool has nothing sensible to
 * report when it cannot allocate a few bytes, and the alternative is
 * unchecked NULLs. */
void *sc_xmalloc(size_t n);
void *sc_xcalloc(size_t n, size_t m);
void *sc_xrealloc(void *p, size_t n);
char *sc_xstrdup(const char *s);
char *sc_xstrndup(const char *s, size_t n);
char *sc_xasprintf(const char *fmt, ...) _printf_(1, 2);

/* Room for element n (0-based) of an array of size-byte elements:
 * the capacity doubles (malloc_usable_size() tells what the block holds,
 * so any malloc'd array can be grown), so n appends cost O(n) in all. */
void *sc_grow(void *p, size_t n, size_t size);

/* Grow an array of n elements by one, returning the new slot (zeroed). */
#define SC_APPEND(array, n)                                        \
	({                                                         \
		(array) = sc_grow((array), (n), sizeof(*(array))); \
		memset(&(array)[(n)], 0, sizeof(*(array)));        \
		&(array)[(n)++];                                   \
	})
