/* SPDX-License-Identifier: MIT */
/* Tests of lib/util.c: string lists, number parsing, sizes. */
#include <criterion/criterion.h>

#include "util.h"

Test(util, split_join)
{
	_cleanup_strv_free_ char **l = sc_strv_split("  cpu  io\tmemory\n", " \t\n");
	_cleanup_free_ char *j = NULL;

	cr_assert_eq(sc_strv_length(l), 3);
	cr_assert_str_eq(l[0], "cpu");
	cr_assert_str_eq(l[2], "memory");
	j = sc_strv_join(l, ",");
	cr_assert_str_eq(j, "cpu,io,memory");
	cr_assert(sc_strv_contains(l, "io"));
	cr_assert_not(sc_strv_contains(l, "pids"));
}

Test(util, split_empty)
{
	_cleanup_strv_free_ char **l = sc_strv_split("", " ");
	_cleanup_free_ char *j = sc_strv_join(l, " ");

	cr_assert_eq(sc_strv_length(l), 0);
	cr_assert_str_eq(j, "");
}

Test(util, parse_u64)
{
	uint64_t v;

	cr_assert_eq(sc_parse_u64(" 9223372036854771712\n", &v), 0);
	cr_assert_eq(v, 9223372036854771712ULL);
	cr_assert_eq(sc_parse_u64("max", &v), -EINVAL);
	cr_assert_eq(sc_parse_u64("-1", &v), -EINVAL);
	cr_assert_eq(sc_parse_u64("99999999999999999999999", &v), -ERANGE);
	cr_assert_eq(sc_parse_u64("12abc", &v), -EINVAL);
}

Test(util, parse_int)
{
	int v;

	cr_assert_eq(sc_parse_int("-1", &v), 0);
	cr_assert_eq(v, -1);
	cr_assert_eq(sc_parse_int("", &v), -EINVAL);
	cr_assert_eq(sc_parse_int("3000000000", &v), -ERANGE);
}

Test(util, strstrip)
{
	char s[] = " \t hybrid \n";

	cr_assert_str_eq(sc_strstrip(s), "hybrid");
}

Test(util, format_bytes)
{
	const struct {
		uint64_t in;
		const char *out;
	} t[] = {
		{ 0, "0 B" },
		{ 1023, "1023 B" },
		{ 100ULL << 20, "100 MiB" },
		{ 25125000000ULL, "23.4 GiB" },
		{ 1536, "1.5 KiB" },
	};

	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		_cleanup_free_ char *s = sc_format_bytes(t[i].in);
		cr_expect_str_eq(s, t[i].out, "%llu", (unsigned long long)t[i].in);
	}
}

Test(util, find_field)
{
	const char *status = "Name:\tbash\nTracerPid:\t0\nCpus_allowed_list:\t0-1\n";
	_cleanup_free_ char *a = sc_find_field(status, "Cpus_allowed_list", ':');
	_cleanup_free_ char *b = sc_find_field(status, "Nope", ':');

	cr_assert_str_eq(a, "0-1");
	cr_assert_null(b);
}

Test(util, errno_name)
{
	cr_assert_str_eq(sc_errno_name(-ENOENT), "ENOENT");
	cr_assert_str_eq(sc_errno_name(EACCES), "EACCES");
}
