/* SPDX-License-Identifier: MIT */
/* Test helpers: temporary trees and running the binary under test. */
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "util.h"

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = sc_xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = 0;
}

static int run_tool_uid(struct run_result *r, const char *const *args, const char *const *env,
			uid_t uid);

int run_tool_env(struct run_result *r, const char *const *args, const char *const *env)
{
	return run_tool_uid(r, args, env, 0);
}

int run_tool_as(struct run_result *r, uid_t uid, const char *const *args)
{
	return run_tool_uid(r, args, NULL, uid);
}

static int run_tool_uid(struct run_result *r, const char *const *args, const char *const *env,
			uid_t uid)
{
	int out[2], err[2];
	size_t n = 0, lo = 0, le = 0;
	const char **argv;
	pid_t pid;
	int status;
	time_t deadline = time(NULL) + 30;

	*r = (struct run_result){ .out = sc_xstrdup(""), .err = sc_xstrdup("") };
	while (args[n])
		n++;
	argv = sc_xcalloc(n + 2, sizeof(char *));
	argv[0] = SC_BINARY;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = args[i];

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		/* Extra variables first: getenv() takes the first match. */
		const char *base_env[64];
		size_t e = 0;

		for (const char *const *x = env; x && *x && e < 60; x++)
			base_env[e++] = *x;
		base_env[e++] = "LC_ALL=C.UTF-8";
		base_env[e++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
		/* A site's /etc/sysctr-check.conf must not change the tests. */
		base_env[e++] = "SYSCTR_CHECK_CONFIG=/dev/null";
		base_env[e] = NULL;
		dup2(out[1], 1);
		dup2(err[1], 2);
		/* Another user: no supplementary groups, its own group. */
		if (uid && (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 || setuid(uid) < 0))
			_exit(125);
		/* Relative fixture paths in golden files need a fixed cwd. */
		if (chdir(SC_SRCDIR) < 0)
			_exit(126);
		execve(SC_BINARY, (char *const *)argv, (char *const *)base_env);
		_exit(127);
	}
	free(argv);
	close(out[1]);
	close(err[1]);

	struct pollfd p[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	int open_fds = 2;
	while (open_fds > 0) {
		char buf[65536];

		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(p, 2, 1000) < 0)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t k;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			k = read(p[i].fd, buf, sizeof(buf));
			if (k <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0)
				append(&r->out, &lo, buf, (size_t)k);
			else
				append(&r->err, &le, buf, (size_t)k);
		}
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return r->status;
}

int run_tool(struct run_result *r, const char *const *args)
{
	return run_tool_env(r, args, NULL);
}

void run_result_done(struct run_result *r)
{
	free(r->out);
	free(r->err);
}

char *make_tempdir(void)
{
	const char *t = getenv("TMPDIR");
	char *p = sc_xasprintf("%s/sysctr-test.XXXXXX", t ? t : "/tmp");

	if (!mkdtemp(p))
		abort();
	return p;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void rm_rf(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkdir_parents(const char *path)
{
	char *p = sc_xstrdup(path);

	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	free(p);
}

void write_file(const char *dir, const char *rel, const char *content)
{
	char *p = sc_xasprintf("%s/%s", dir, rel);
	FILE *f;

	mkdir_parents(p);
	f = fopen(p, "we");
	if (!f)
		abort();
	fputs(content, f);
	fclose(f);
	free(p);
}

void make_symlink(const char *dir, const char *rel, const char *target)
{
	char *p = sc_xasprintf("%s/%s", dir, rel);

	mkdir_parents(p);
	if (symlink(target, p) < 0)
		abort();
	free(p);
}

char *read_whole_file(const char *path, size_t *ret_size)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	char tmp[65536];
	size_t k;

	if (!f)
		return NULL;
	buf = sc_xstrdup("");
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		append(&buf, &len, tmp, k);
	fclose(f);
	if (ret_size)
		*ret_size = len;
	return buf;
}

bool is_root(void)
{
	return geteuid() == 0;
}
