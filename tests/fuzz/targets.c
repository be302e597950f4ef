/* SPDX-License-Identifier: MIT */
/* Fuzz targets: every parser of bytes that a container or a snapshot
 * controls. Each sc_fuzz_NAME() is linked into a libFuzzer binary
 * (tests/fuzz/driver.c) and into the unit tests, which replay the
 * committed corpora and every reproducer (tests/test-fuzz-replay.c). */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "limits-model.h"
#include "manager.h"
#include "mountinfo.h"
#include "proc.h"
#include "root.h"
#include "runtime.h"
#include "systemd.h"
#include "util.h"

/* The input as a C string (parsers take NUL-terminated text; a NUL in
 * the input ends it, as it would a file read by sc_root_read()). */
static char *text_of(const uint8_t *data, size_t size)
{
	return sc_xstrndup((const char *)data, size);
}

/* The CLI without its main(): `sysctr-check ARGS...` in this process,
 * its standard output to /dev/null. */
int sc_cli_main(int argc, char **argv);

static void quiet(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	/* stdout only: libFuzzer reports on stderr (run.sh closes the
	 * target's with -close_fd_mask=2, keeping its own). */
	if (!freopen("/dev/null", "w", stdout))
		abort();
}

static void run_cli(const char *const *args)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"sysctr-check";
	for (; *args && argc < 15; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	optind = 0; /* getopt_long() starts afresh */
	(void)sc_cli_main(argc, argv);
	fflush(stdout);
}

/* The bytes as a file the CLI can open by name: a memfd, named through
 * /proc/self/fd. Returns the fd (-1 on failure). */
static int memfile(const uint8_t *data, size_t size, char path[static 64])
{
	int fd = memfd_create("sc-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* A snapshot, replayed end to end: the report with a container (the
 * corpus holds recordings of runc:fz), the JSON report, boot, limits and
 * list, as `--root FILE` runs them. */
int sc_fuzz_snapshot(const uint8_t *data, size_t size)
{
	char path[64];
	int fd;

	quiet();
	fd = memfile(data, size, path);
	if (fd < 0)
		return 0;
	run_cli((const char *const[]){ "--root", path, "--color", "report", "runc:fz", NULL });
	run_cli((const char *const[]){ "--root", path, "--json", "report", "runc:fz", NULL });
	run_cli((const char *const[]){ "--root", path, "boot", "runc:fz", NULL });
	run_cli((const char *const[]){ "--root", path, "--json", "limits", "runc:fz", NULL });
	run_cli((const char *const[]){ "--root", path, "list", NULL });
	run_cli((const char *const[]){ "--root", path, "--json", "host", NULL });
	close(fd);
	return 0;
}

int sc_fuzz_mountinfo(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *t = text_of(data, size);
	struct sc_mounts m = {};

	sc_mountinfo_parse(t, &m);
	for (size_t i = 0; i < m.n; i++) {
		_cleanup_free_ char *v = sc_mount_option_value(&m.v[i], "mode");

		(void)sc_mount_is_read_only(&m.v[i]);
		(void)sc_mounts_containing(&m, m.v[i].mountpoint);
		(void)sc_mounts_at(&m, m.v[i].mountpoint);
	}
	(void)sc_mounts_containing(&m, "/sys/fs/cgroup/unified");
	sc_mounts_done(&m);
	free(sc_unescape_octal(t));
	return 0;
}

/* cgroup and limit files: /proc/cgroups, /proc/PID/cgroup, cpusets,
 * cpu.max, memory.max, io.max, blkio throttle files. */
int sc_fuzz_cgroup(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *t = text_of(data, size);
	struct sc_controller *ctl = NULL;
	struct sc_cgroup_line *lines = NULL;
	struct sc_io_limit *io = NULL;
	struct sc_cpuset cs = {};
	size_t n = 0, n_io = 0;
	uint64_t a, b;

	if (sc_proc_cgroups_parse(t, &ctl, &n) >= 0) {
		for (size_t i = 0; i < n; i++)
			free(ctl[i].name);
		free(ctl);
	}
	n = 0;
	if (sc_cgroup_lines_parse(t, &lines, &n) >= 0) {
		(void)sc_cgroup_line_find(lines, n, "memory");
		(void)sc_cgroup_line_find(lines, n, "");
		sc_cgroup_lines_free(lines, n);
	}
	if (sc_cpuset_parse(t, &cs) >= 0) {
		free(sc_cpuset_format(&cs));
		free(sc_cpuset_format_lscpu(&cs));
		(void)sc_cpuset_count(&cs);
		sc_cpuset_done(&cs);
	}
	(void)sc_cpulist_count(t);
	(void)sc_cpu_max_parse(t, &a, &b);
	(void)sc_limit_parse_value(t, &a);
	(void)sc_io_max_merge(t, "/a", &io, &n_io);
	(void)sc_blkio_throttle_merge(t, 0, "/b", &io, &n_io);
	sc_io_limits_free(io, n_io);
	return 0;
}

/* /proc files: stat, uid_map, meminfo, cpuinfo, stat, uptime. */
int sc_fuzz_proc(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *t = text_of(data, size);
	struct sc_id_range *m = NULL;
	struct sc_proc_stat st;
	size_t n = 0;
	uint64_t v;
	uint32_t out;

	if (sc_id_map_parse(t, &m, &n) >= 0) {
		(void)sc_id_map_to_outside(m, n, 0, &out);
		(void)sc_id_map_to_outside(m, n, 4294967295u, &out);
		(void)sc_id_map_is_identity(m, n);
		free(m);
	}
	(void)sc_proc_stat_parse(t, &st);
	(void)sc_meminfo_get(t, "MemTotal", &v);
	(void)sc_memory_stat_get(t, "hierarchical_memory_limit", &v);
	(void)sc_cpuinfo_count(t);
	(void)sc_proc_stat_cpus(t);
	(void)sc_uptime_parse(t, &v);
	(void)sc_cap_from_name(t);
	return 0;
}

/* Runtime state files, and target names. */
int sc_fuzz_runtime(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *t = text_of(data, size);
	struct sc_container_ref ref = {}, *v = NULL;
	struct sc_target_spec spec;
	size_t n = 0;

	if (sc_parse_runc_state(t, &ref) >= 0)
		sc_container_ref_done(&ref);
	ref = (struct sc_container_ref){};
	if (sc_parse_crun_status(t, &ref) >= 0)
		sc_container_ref_done(&ref);
	ref = (struct sc_container_ref){};
	if (sc_parse_docker_config(t, &ref) >= 0)
		sc_container_ref_done(&ref);
	ref = (struct sc_container_ref){};
	if (sc_parse_nspawn_machine("m", t, &ref) >= 0)
		sc_container_ref_done(&ref);
	if (sc_parse_podman_containers(t, &v, &n) >= 0)
		sc_container_refs_free(v, n);
	if (size < 4096 && sc_target_spec_parse(t, &spec) >= 0)
		sc_target_spec_done(&spec);
	return 0;
}

/* An OCI bundle: the input is config.json, the rootfs an empty tree
 * made once; `boot --bundle` reads both. */
int sc_fuzz_bundle(const uint8_t *data, size_t size)
{
	static char dir[] = "/tmp/sc-fuzz-bundle.XXXXXX";
	static bool made;
	char cfg[64];
	int fd;

	quiet();
	if (!made) {
		char p[128];

		if (!mkdtemp(dir))
			abort();
		snprintf(p, sizeof(p), "%s/rootfs", dir);
		(void)mkdir(p, 0755);
		made = true;
	}
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	fd = open(cfg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	run_cli((const char *const[]){ "boot", "--bundle", dir, NULL });
	run_cli((const char *const[]){ "--json", "boot", "--bundle", dir, NULL });
	return 0;
}

/* os-release and the names and strings the systemd finder reads, in an
 * image replayed from a snapshot: the input is the content of
 * os-release, of the dpkg status and the banner, and a library name. */
int sc_fuzz_osrelease(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *t = text_of(data, size);
	struct sc_systemd_version v;
	struct sc_systemd_image img;
	struct sc_root *r = NULL;
	json_t *snap;

	free(sc_systemd_version_from_banner(t));
	free(sc_systemd_version_from_library(t));
	free(sc_systemd_version_from_dpkg(t));
	(void)sc_systemd_version_parse(t, &v);
	snap = json_pack("{s:i,s:{s:s%,s:s%},s:{s:[s,s%]},s:{s:{s:s%,s:s%}}}", "format", 1, "files",
			 "/etc/os-release", (const char *)data, size, "/var/lib/dpkg/status",
			 (const char *)data, size, "dirs", "/usr/lib/x86_64-linux-gnu/systemd",
			 "libsystemd-shared-252.so", (const char *)data, size, "search",
			 "/usr/lib/systemd/systemd", " running in %ssystem mode",
			 (const char *)data, size, "default-hierarchy=", (const char *)data, size);
	if (!snap)
		return 0; /* not UTF-8: the other targets see such bytes */
	if (sc_root_open_snapshot(snap, "fuzz", &r) >= 0) {
		sc_systemd_probe(r, &img);
		sc_systemd_image_done(&img);
		sc_root_free(r);
	}
	json_decref(snap);
	return 0;
}

/* A D-Bus stream from a container's systemd: every message in it. */
int sc_fuzz_dbus(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (size - off >= 16) {
		struct sc_dbus_message m = {};
		_cleanup_free_ uint8_t *copy = NULL;
		size_t len;
		char *s = NULL, **names = NULL;

		if (sc_dbus_message_size(data + off, &len) < 0 || len > size - off)
			break;
		/* An exact-size copy: ASan sees any read past the message. */
		copy = sc_xmalloc(len);
		memcpy(copy, data + off, len);
		if (sc_dbus_message_parse(copy, len, &m) >= 0) {
			if (sc_dbus_body_variant_string(&m, &s) >= 0)
				free(s);
			if (sc_dbus_body_unit_names(&m, "failed", &names) >= 0)
				sc_strv_free(names);
			sc_dbus_message_done(&m);
		}
		off += len;
	}
	return 0;
}
