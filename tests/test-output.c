/* SPDX-License-Identifier: MIT */
/* Output files: whole or nothing, and never over anything but a regular
 * file, also when one is planted while the report is being written. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "output.h"
#include "root.h"
#include "testlib.h"
#include "util.h"

static char *dir;

static void setup(void)
{
	dir = make_tempdir();
}

static void teardown(void)
{
	rm_rf(dir);
	free(dir);
}

TestSuite(output, .init = setup, .fini = teardown, .timeout = 10);

static int write_hello(FILE *f, void *data)
{
	fputs("hello\n", f);
	return 0;
}

static int write_fails(FILE *f, void *data)
{
	fputs("half", f);
	return -EIO;
}

/* Plants data (a symlink target, or NULL for a regular file) at the
 * output path while the report is being written. */
struct plant {
	const char *path;
	const char *link_to;
};

static int write_and_plant(FILE *f, void *data)
{
	struct plant *p = data;

	fputs("report\n", f);
	if (p->link_to)
		cr_assert_eq(symlink(p->link_to, p->path), 0);
	else
		write_file("/", p->path + 1, "planted\n");
	return 0;
}

static size_t entries(void)
{
	DIR *d = opendir(dir);
	size_t n = 0;

	cr_assert_not_null(d);
	for (struct dirent *de; (de = readdir(d));)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *content(const char *path)
{
	return read_whole_file(path, NULL);
}

Test(output, new_and_replaced_regular_files)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/report.txt", dir), *c = NULL;
	struct stat st;

	cr_assert_eq(sc_output_write(p, 0, write_hello, NULL), 0);
	c = content(p);
	cr_assert_str_eq(c, "hello\n");
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "a new file is private: %o", st.st_mode & 07777);
	free(c);
	write_file(dir, "report.txt", "old\n");
	cr_assert_eq(sc_output_write(p, 0, write_hello, NULL), 0);
	c = content(p);
	cr_assert_str_eq(c, "hello\n");
	cr_assert_eq(entries(), 1, "no temporary file is left");
}

/* A new file is 0600 whatever the umask; a replaced one keeps the
 * permission bits its owner gave it, never a set-id bit. */
Test(output, modes_new_private_replaced_kept)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/report.txt", dir);
	static const mode_t kept[] = { 0644, 0640, 0600, 0400, 0664 };
	struct stat st;
	mode_t old = umask(0);

	cr_assert_eq(sc_output_write(p, 0, write_hello, NULL), 0);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "umask 0: %o", st.st_mode & 07777);
	cr_assert_eq(unlink(p), 0);
	umask(077);
	cr_assert_eq(sc_output_write(p, 0, write_hello, NULL), 0);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "umask 077: %o", st.st_mode & 07777);
	umask(old);
	for (size_t i = 0; i < ELEMENTSOF(kept); i++) {
		cr_assert_eq(chmod(p, kept[i]), 0);
		cr_assert_eq(sc_output_write(p, 0, write_hello, NULL), 0);
		cr_assert_eq(stat(p, &st), 0);
		cr_assert_eq(st.st_mode & 07777, kept[i], "kept %o, got %o", kept[i],
			     st.st_mode & 07777);
	}
	cr_assert_eq(chmod(p, 04755), 0);
	cr_assert_eq(sc_output_write(p, 0, write_hello, NULL), 0);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0755, "set-id bits are dropped: %o", st.st_mode & 07777);
	cr_assert_eq(entries(), 1);
}

Test(output, no_replace_keeps_the_existing_file)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/snap.json", dir), *c = NULL;

	write_file(dir, "snap.json", "mine\n");
	cr_assert_eq(sc_output_write(p, SC_OUTPUT_NO_REPLACE, write_hello, NULL), -EEXIST);
	c = content(p);
	cr_assert_str_eq(c, "mine\n");
	cr_assert_eq(entries(), 1);
}

Test(output, writer_error_leaves_nothing)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/r", dir), *q = sc_xasprintf("%s/s", dir);
	_cleanup_free_ char *c = NULL;

	cr_assert_eq(sc_output_write(p, 0, write_fails, NULL), -EIO);
	cr_assert_eq(entries(), 0, "no half-written file");
	write_file(dir, "s", "kept\n");
	cr_assert_eq(sc_output_write(q, 0, write_fails, NULL), -EIO);
	c = content(q);
	cr_assert_str_eq(c, "kept\n");
	cr_assert_eq(entries(), 1);
}

Test(output, special_files_are_never_replaced)
{
	_cleanup_free_ char *link = sc_xasprintf("%s/link", dir), *target = NULL;
	_cleanup_free_ char *fifo = sc_xasprintf("%s/fifo", dir);
	_cleanup_free_ char *sub = sc_xasprintf("%s/sub", dir);
	_cleanup_free_ char *dev = sc_xasprintf("%s/null", dir);
	struct stat st;
	size_t n = 3;

	make_symlink(dir, "link", "/proc/self/fd/1");
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(sc_output_write(link, 0, write_hello, NULL), -SC_ENOTREG);
	cr_assert_eq(sc_output_write(fifo, 0, write_hello, NULL), -SC_ENOTREG);
	cr_assert_eq(sc_output_write(sub, 0, write_hello, NULL), -SC_ENOTREG);
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0) {
		n++;
		cr_assert_eq(sc_output_write(dev, 0, write_hello, NULL), -SC_ENOTREG);
		cr_assert_eq(lstat(dev, &st), 0);
		cr_assert(S_ISCHR(st.st_mode), "the device node is still a device node");
	} else
		fprintf(stderr, "[SKIP] output: mknod: %s: the device case needs root\n",
			strerror(errno));
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode));
	cr_assert_eq(entries(), n, "nothing added");
}

Test(output, a_symlink_planted_while_writing_is_put_back)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/report", dir);
	struct plant pl = { p, "/etc/passwd" };
	char target[64] = "";
	struct stat st;

	cr_assert_eq(sc_output_write(p, 0, write_and_plant, &pl), -SC_ENOTREG);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the planted link is where it was");
	cr_assert_gt(readlink(p, target, sizeof(target) - 1), 0);
	cr_assert_str_eq(target, "/etc/passwd");
	cr_assert_eq(entries(), 1, "the temporary file is gone");
}

Test(output, a_regular_file_planted_while_writing_is_replaced)
{
	_cleanup_free_ char *p = sc_xasprintf("%s/report", dir), *c = NULL;
	struct plant pl = { p, NULL };

	cr_assert_eq(sc_output_write(p, 0, write_and_plant, &pl), 0);
	c = content(p);
	cr_assert_str_eq(c, "report\n");
	cr_assert_eq(entries(), 1);
	free(c);
	/* With NO_REPLACE the planted file wins. */
	cr_assert_eq(unlink(p), 0);
	cr_assert_eq(sc_output_write(p, SC_OUTPUT_NO_REPLACE, write_and_plant, &pl), -EEXIST);
	c = content(p);
	cr_assert_str_eq(c, "planted\n");
	cr_assert_eq(entries(), 1);
}

/* The audit's case: as root, `-o /dev/full` turned the device node into
 * a regular file, exit 0. A copy of a device node stands in for it. */
Test(output, cli_refuses_a_device_and_writes_dash_to_stdout)
{
	_cleanup_free_ char *dev = sc_xasprintf("%s/full", dir);
	_cleanup_free_ char *want = sc_xasprintf(
		"sysctr-check: --output-file %s: not a regular file: refusing to replace it\n",
		dev);
	struct run_result r = {};
	struct stat st;

	if (mknod(dev, S_IFCHR | 0666, makedev(1, 7)) < 0)
		cr_skip_test("mknod: %s (needs root)", strerror(errno));
	run_tool(&r, (const char *const[]){ "--root", FIXTURE("this-machine"), "--output-file", dev,
					    "host", NULL });
	cr_assert_eq(r.status, 3, "exit %d", r.status);
	cr_assert_str_eq(r.err, want);
	cr_assert_eq(lstat(dev, &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
	run_result_done(&r);
	run_tool(&r, (const char *const[]){ "--root", FIXTURE("this-machine"), "--json",
					    "--output-file", "-", "host", NULL });
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "\"schema_version\""));
	run_result_done(&r);
	cr_assert_eq(entries(), 1);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	cr_assert_eq(lstat(path, &st), 0, "%s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* What the two file options of the tool leave behind: a private report
 * and snapshot, the mode of a report it replaces, and a one-line error
 * for a symlink, a FIFO or a directory, each left as it was. */
Test(output, cli_file_modes_and_refusals)
{
	_cleanup_free_ char *out = sc_xasprintf("%s/report.json", dir);
	_cleanup_free_ char *rec = sc_xasprintf("%s/snap.json", dir);
	_cleanup_free_ char *link = sc_xasprintf("%s/link", dir);
	_cleanup_free_ char *fifo = sc_xasprintf("%s/fifo", dir);
	_cleanup_free_ char *sub = sc_xasprintf("%s/sub", dir);
	const char *const bad[] = { link, fifo, sub };
	struct run_result r = {};

	run_tool(&r, (const char *const[]){ "--root", FIXTURE("this-machine"), "--json",
					    "--output-file", out, "--record", rec, "host", NULL });
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_result_done(&r);
	cr_assert_eq(mode_of(out), 0600, "--output-file: %o", mode_of(out));
	cr_assert_eq(mode_of(rec), 0600, "--record: %o", mode_of(rec));
	cr_assert_eq(chmod(out, 0644), 0);
	run_tool(&r, (const char *const[]){ "--root", FIXTURE("this-machine"), "--output-file", out,
					    "host", NULL });
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_result_done(&r);
	cr_assert_eq(mode_of(out), 0644, "a replaced report keeps its mode: %o", mode_of(out));

	make_symlink(dir, "link", "report.json");
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	cr_assert_eq(mkdir(sub, 0755), 0);
	for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
		_cleanup_free_ char *want = sc_xasprintf("sysctr-check: --output-file %s: not a "
							 "regular file: refusing to replace it\n",
							 bad[i]);

		run_tool(&r, (const char *const[]){ "--root", FIXTURE("this-machine"),
						    "--output-file", bad[i], "host", NULL });
		cr_assert_eq(r.status, 3, "%s: exit %d", bad[i], r.status);
		cr_assert_str_eq(r.err, want);
		cr_assert_str_eq(r.out, "");
		run_result_done(&r);
		run_tool(&r, (const char *const[]){ "--root", FIXTURE("this-machine"), "--record",
						    bad[i], "host", NULL });
		cr_assert_neq(r.status, 0, "--record %s: exit 0", bad[i]);
		cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
		cr_assert(strstr(r.err, bad[i]), "%s", r.err);
		run_result_done(&r);
	}
	cr_assert_eq(mode_of(fifo), 0644);
	{
		struct stat st;

		cr_assert_eq(lstat(link, &st), 0);
		cr_assert(S_ISLNK(st.st_mode));
		cr_assert_eq(lstat(fifo, &st), 0);
		cr_assert(S_ISFIFO(st.st_mode));
		cr_assert_eq(lstat(sub, &st), 0);
		cr_assert(S_ISDIR(st.st_mode));
	}
	cr_assert_eq(entries(), 5, "report, snapshot, link, fifo, sub: nothing added");
}
