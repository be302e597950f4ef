/* SPDX-License-Identifier: MIT */
/* Every committed fuzz input, corpus and reproducer alike, through its
 * target: a crash, a leak (SANITIZE=1) or a hang found by `make fuzz` is
 * a unit test from the moment its reproducer is committed under
 * tests/fuzz/regress/TARGET/. */
#include <criterion/criterion.h>
#include <dirent.h>

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

#define REPLAY(name)                                                                          \
	Test(fuzz_replay, name, .timeout = 120)                                               \
	{                                                                                     \
		size_t n = replay_dir(SC_SRCDIR "/tests/fuzz/corpus/" #name, sc_fuzz_##name); \
		n += replay_dir(SC_SRCDIR "/tests/fuzz/regress/" #name, sc_fuzz_##name);      \
		cr_assert_gt(n, 0, "no corpus for " #name);                                   \
	}
SC_FUZZ_TARGETS(REPLAY)
