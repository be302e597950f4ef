/* SPDX-License-Identifier: MIT */
/* The fuzz targets (targets.c): one per parser of untrusted bytes,
 * shared by the libFuzzer binaries and the unit tests' replay. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int sc_fuzz_snapshot(const uint8_t *data, size_t size);
int sc_fuzz_mountinfo(const uint8_t *data, size_t size);
int sc_fuzz_cgroup(const uint8_t *data, size_t size);
int sc_fuzz_proc(const uint8_t *data, size_t size);
int sc_fuzz_runtime(const uint8_t *data, size_t size);
int sc_fuzz_bundle(const uint8_t *data, size_t size);
int sc_fuzz_osrelease(const uint8_t *data, size_t size);
int sc_fuzz_dbus(const uint8_t *data, size_t size);

#define SC_FUZZ_TARGETS(X) \
	X(snapshot)        \
	X(mountinfo) X(cgroup) X(proc) X(runtime) X(bundle) X(osrelease) X(dbus)
