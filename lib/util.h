/* SPDX-License-Identifier: MIT */
/* String lists, parsing of numbers and whitespace, and formatting helpers
 * shared by probes, checks and renderers. Pure functions, no I/O. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* NULL-terminated arrays of owned strings ("strv", as in systemd). */
typedef char **sc_strv;

void sc_strv_free(char **l);
size_t sc_strv_length(char *const *l);
bool sc_strv_contains(char *const *l, const char *s);
/* Appends a copy of s. */
void sc_strv_push(char ***l, const char *s);
/* Appends s, taking ownership. */
void sc_strv_consume(char ***l, char *s);
/* Appending to a strv must find its end first: O(n) per call. Where a
 * list grows with untrusted input (a directory listing, the fields of a
 * mountinfo line), build it with a builder instead: it keeps the length
 * and a capacity that doubles, so an append is O(1) amortised. */
struct sc_strv_builder {
	char **v; /* NULL-terminated whenever n > 0 */
	size_t n, cap;
};
/* Appends s, taking ownership. */
void sc_strv_builder_consume(struct sc_strv_builder *b, char *s);
void sc_strv_builder_push(struct sc_strv_builder *b, const char *s);
/* The list built so far (never NULL: an empty list is { NULL }); the
 * builder is empty afterwards. */
char **sc_strv_builder_take(struct sc_strv_builder *b);
void sc_strv_builder_done(struct sc_strv_builder *b);
#define _cleanup_strv_builder_ _cleanup_(sc_strv_builder_done)
/* Splits s at any of the separator characters, dropping empty fields. */
char **sc_strv_split(const char *s, const char *separators);
/* Joins with sep; returns "" (allocated) for an empty list. */
char *sc_strv_join(char *const *l, const char *sep);
char **sc_strv_copy(char *const *l);
void sc_strv_sort(char **l);
static inline void sc_strv_freep(char ***l)
{
	sc_strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(sc_strv_freep)

/* Strip leading and trailing whitespace in place, returning s. */
char *sc_strstrip(char *s);
/* Parse a whole string as an unsigned decimal number (after trimming
 * whitespace): 0 or -EINVAL/-ERANGE. */
int sc_parse_u64(const char *s, uint64_t *ret);
int sc_parse_int(const char *s, int *ret);

/* "ENOENT" style name of an errno value (positive or negative). */
const char *sc_errno_name(int err);

/* Human sizes: IEC units with one decimal ("100 MiB", "23.4 GiB"). */
char *sc_format_bytes(uint64_t bytes);

/* Find a "key: value" / "key=value" line: returns the value (allocated,
 * trimmed) or NULL. sep is the separator character. */
char *sc_find_field(const char *text, const char *key, char sep);

/* CLOCK_MONOTONIC in milliseconds. */
long long sc_now_ms(void);
/* One read(2) of at most n bytes from fd, once it is readable before
 * deadline (sc_now_ms() time): the bytes read (0 at end of file),
 * -ETIMEDOUT, or -errno. EINTR is retried. */
ssize_t sc_read_by(int fd, void *buf, size_t n, long long deadline);
