/* SPDX-License-Identifier: MIT */
/* Helpers the Criterion tests share: fixture paths, temporary trees, and
 * running the built binary with its output captured. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#define FIXTURE(name) SC_SRCDIR "/tests/fixtures/" name
#define EXPECTED(name) SC_SRCDIR "/tests/expected/" name

struct run_result {
	int status; /* exit status, or 128+signal */
	char *out;
	char *err;
};

/* Runs SC_BINARY in SC_SRCDIR with argv (argv[0] is not the program: the list is the
 * arguments only, NULL-terminated), with a clean environment (LC_ALL=C.UTF-8,
 * NO_COLOR unset unless set in extra_env). Times out after 30 s. */
int run_tool(struct run_result *r, const char *const *args);
int run_tool_env(struct run_result *r, const char *const *args, const char *const *env);
/* The same as user uid (and group uid, no supplementary groups): the
 * caller must be root. */
int run_tool_as(struct run_result *r, uid_t uid, const char *const *args);
void run_result_done(struct run_result *r);

/* A fresh directory under $TMPDIR, removed by rm_rf(). */
char *make_tempdir(void);
void rm_rf(const char *path);
/* Create dir/rel with content (parents created). */
void write_file(const char *dir, const char *rel, const char *content);
void make_symlink(const char *dir, const char *rel, const char *target);
/* Whole file, NUL-terminated, or NULL. */
char *read_whole_file(const char *path, size_t *ret_size);
bool is_root(void);
