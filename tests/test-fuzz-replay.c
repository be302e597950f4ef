/* SPDX-License-Identifier: MIT */
/* Every committed fuzz input, corpus and reproducer alike, through its
 * target: a crash, a leak (SANITIZE=1) or a hang found by `make fuzz` is
 * a unit test from the moment its reproducer is committed under
 * tests/fuzz/regress/TARGET/. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "testlib.h"
#include "util.h"

static size_t replay_dir(const char *dir, int (*fn)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	size_t n = 0;

	if (!d)
		return 0;
	for (struct dirent *de; (de = readdir(d));) {
		_cleanup_free_ char *p = NULL, *data = NULL;
		size_t size = 0;

		if (de->d_name[0] == '.')
			continue;
		p = sc_xasprintf("%s/%s", dir, de->d_name);
		data = read_whole_file(p, &size);
		cr_assert_not_null(data, "%s unreadable", p);
		fn((const uint8_t *)data, size);
		n++;
	}
	closedir(d);
	return n;
}

/* The CLI targets print the tool's one-line errors for the bad inputs
 * they feed it ("no container"): expected, and in make check's output
 * they read like failures. Standard error goes to a file for the replay
 * (a sanitizer's report too: $TMPDIR/sysctr-fuzz-replay.NAME.stderr). */
static int stderr_to_file(const char *name, char **ret_path)
{
	const char *tmp = getenv("TMPDIR");
	char *p = sc_xasprintf("%s/sysctr-fuzz-replay.%s.stderr", tmp && *tmp ? tmp : "/tmp", name);
	int saved = dup(2), fd;

	fflush(stderr);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0, "%s: %s", p, strerror(errno));
	cr_assert_geq(saved, 0);
	dup2(fd, 2);
	close(fd);
	*ret_path = p;
	return saved;
}

static void stderr_restore(int saved, char *path)
{
	struct stat st;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (stat(path, &st) == 0 && st.st_size == 0)
		unlink(path);
	else
		/* stderr: the targets send stdout to /dev/null. */
		fprintf(stderr,
			"info: fuzz_replay: what the replayed inputs printed on stderr is in %s\n",
			path);
	free(path);
}

#define REPLAY(name)                                                                          \
	Test(fuzz_replay, name, .timeout = 120)                                               \
	{                                                                                     \
		char *log;                                                                    \
		int saved = stderr_to_file(#name, &log);                                      \
		size_t n = replay_dir(SC_SRCDIR "/tests/fuzz/corpus/" #name, sc_fuzz_##name); \
		n += replay_dir(SC_SRCDIR "/tests/fuzz/regress/" #name, sc_fuzz_##name);      \
		stderr_restore(saved, log);                                                   \
		cr_assert_gt(n, 0, "no corpus for " #name);                                   \
	}
SC_FUZZ_TARGETS(REPLAY)
