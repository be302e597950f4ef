# SPDX-License-Identifier: MIT
# sysctr-check: GNU make build. `make run` and `make check` are all a fresh
# Debian machine needs: they install missing build dependencies when run
# as root, or print the command to do so.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
SCHEMADIR ?= $(DATADIR)/sysctr-check
DESTDIR ?=

CC ?= cc
AR ?= ar
PKG_CONFIG ?= pkg-config
CLANG_FORMAT ?= clang-format
CFLAGS ?= -O2 -g
VERSION := 0.1.0

# Where objects go; SANITIZE=1 builds a separate tree with ASan + UBSan.
ifeq ($(SANITIZE),1)
BUILDDIR ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILDDIR ?= build
SAN_FLAGS :=
endif

# Flags the build needs whatever the user's CFLAGS say.
# -iquote: "limits.h" is ours, <limits.h> the C library's. -MMD: each
# object depends on the headers it includes (build/**/*.d).
REQ_CFLAGS := -std=gnu11 -iquote lib -iquote $(BUILDDIR) -MMD -MP -D_GNU_SOURCE -DSC_VERSION='"$(VERSION)"' \
	-Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wno-format-nonliteral -fstack-protector-strong $(SAN_FLAGS)
ifeq ($(WERROR),1)
REQ_CFLAGS += -Werror
endif

V ?= 0
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

DEPS_RUN := jansson blkid smartcols
# bash-completion: tests/completion-bash.sh drives our bash completion with it.
DEPS_CHECK := $(DEPS_RUN) criterion bash-completion
DEB_PKGS := pkg-config libjansson-dev libblkid-dev libsmartcols-dev libcriterion-dev python3-jsonschema bash-completion
# The tests validate every JSON document against the published schema with
# python3-jsonschema (draft 2020-12, tests/schema-validate.py), run by the
# distribution's interpreter: the python3 first on PATH (pyenv, a venv)
# may not have it.
SCHEMA_PYTHON ?= /usr/bin/python3

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

ALL_CFLAGS = $(REQ_CFLAGS) $(call pc_cflags,$(DEPS_RUN)) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS = $(call pc_libs,$(DEPS_RUN))

LIB_SRC := $(sort $(wildcard lib/*.c))
CMD_SRC := $(sort $(wildcard cmd/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILDDIR)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILDDIR)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILDDIR)/%.o)
LIBSC := $(BUILDDIR)/libsysctr.a
BIN := sysctr-check
BUILT_BIN := $(if $(filter 1,$(SANITIZE)),$(BUILDDIR)/$(BIN),$(BIN))
UNIT := $(BUILDDIR)/tests/unit

.DELETE_ON_ERROR:

.PHONY: fuzz fuzz-build
.PHONY: all run check check-unit check-e2e check-vm check-vm-image bench deps deps-check install uninstall clean \
	format format-check lint lint-layers lint-circles update-expected bench-scale

all: $(BUILT_BIN)

# ---- dependencies -----------------------------------------------------------

# Install what is missing (root + apt-get), or say exactly what to run.
# $(1): pkg-config modules; $(2): "jsonschema" if the tests' validator is
# needed too.
define ensure_deps
	@missing=""; \
	command -v $(PKG_CONFIG) >/dev/null 2>&1 || missing="pkg-config"; \
	for p in $(1); do \
		$(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; \
	done; \
	if [ -n "$(2)" ] && ! $(SCHEMA_PYTHON) -c 'from jsonschema import Draft202012Validator' \
			>/dev/null 2>&1; then \
		missing="$$missing python3-jsonschema($(SCHEMA_PYTHON))"; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "sysctr-check: missing build dependencies:$$missing"; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "  installing: apt-get install -y $(DEB_PKGS)"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_PKGS) >/dev/null || \
			{ DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(DEB_PKGS) >/dev/null; } || \
			{ echo "sysctr-check: apt-get failed"; exit 1; }; \
		if [ -n "$(2)" ] && ! $(SCHEMA_PYTHON) -c 'import jsonschema' >/dev/null 2>&1; then \
			echo "sysctr-check: $(SCHEMA_PYTHON) still cannot import jsonschema"; exit 1; \
		fi; \
		else \
			echo "  Debian/Ubuntu: sudo apt-get install $(DEB_PKGS)"; \
			echo "  Fedora/RHEL:   sudo dnf install pkgconf-pkg-config jansson-devel libblkid-devel libsmartcols-devel criterion-devel python3-jsonschema bash-completion"; \
			echo "  Alpine:        sudo apk add pkgconf jansson-dev util-linux-dev criterion-dev py3-jsonschema bash-completion"; \
			exit 1; \
		fi; \
	fi
endef

deps:
	$(call ensure_deps,$(DEPS_RUN))

deps-check:
	$(call ensure_deps,$(DEPS_CHECK),jsonschema)
	$(ensure_format_deps)

# The real consumers of -o junit and -o prometheus, and the contrib/
# checks, that tests/test-formats.c runs: without them its tests skip
# (not root) or fail (root, where this installs them). A package's
# service (prometheus, prometheus-node-exporter) is not started: unless
# the machine has a policy-rc.d already, one that refuses every start is
# in place while apt-get runs. The test starts its own node_exporter on
# 127.0.0.1 and stops it.
DEB_FORMAT_PKGS := libxml2-utils python3-junitparser python3-yaml prometheus \
	prometheus-node-exporter
FORMAT_TOOLS := /usr/bin/xmllint /usr/bin/promtool /usr/bin/prometheus-node-exporter
define ensure_format_deps
	@missing=""; \
	for t in $(FORMAT_TOOLS); do [ -x $$t ] || missing="$$missing $$t"; done; \
	for m in junitparser yaml; do \
		$(SCHEMA_PYTHON) -c "import $$m" >/dev/null 2>&1 || missing="$$missing python3-$$m"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "sysctr-check: missing test consumers:$$missing"; \
			echo "  installing: apt-get install -y --no-install-recommends $(DEB_FORMAT_PKGS)"; \
			policy=/usr/sbin/policy-rc.d; ours=""; \
			if [ ! -e $$policy ]; then \
				printf '#!/bin/sh\nexit 101\n' >$$policy && chmod 0755 $$policy && ours=1; \
			fi; \
			inst="apt-get install -y -q --no-install-recommends $(DEB_FORMAT_PKGS)"; \
			DEBIAN_FRONTEND=noninteractive $$inst >/dev/null || \
			{ DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
			  DEBIAN_FRONTEND=noninteractive $$inst >/dev/null; }; rc=$$?; \
			[ -z "$$ours" ] || rm -f $$policy; \
			[ $$rc = 0 ] || { echo "sysctr-check: apt-get failed"; exit 1; }; \
		else \
			echo "sysctr-check: missing test consumers:$$missing (their tests skip)"; \
			echo "  Debian/Ubuntu: sudo apt-get install $(DEB_FORMAT_PKGS)"; \
		fi; \
	fi
endef

# ---- build ------------------------------------------------------------------

$(BUILDDIR)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# What --version and --help print of the build: rewritten only when it
# changes, so that a new commit rebuilds the two files that include it.
BUILD_INFO := $(BUILDDIR)/build-info.h
GIT_COMMIT = $(shell git -C $(CURDIR) describe --always --dirty --abbrev=12 2>/dev/null)
$(BUILD_INFO): FORCE
	@mkdir -p $(@D)
	@{ echo '/* generated by the Makefile */'; \
	  echo '#define SC_COMMIT "$(GIT_COMMIT)"'; \
	  echo '#define SC_COMPILER "'"$$($(CC) --version 2>/dev/null | head -n1 | tr -d '"\\')"'"'; \
	  echo '#define SC_SCHEMA_DIR "$(SCHEMADIR)"'; } >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILDDIR)/cmd/help.o $(BUILDDIR)/cmd/verb-checks.o: $(BUILD_INFO)
$(BUILDDIR)/tests/fuzz/cli-main.o: $(BUILD_INFO)

.PHONY: FORCE
FORCE:

$(LIBSC): $(LIB_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILT_BIN): $(CMD_OBJ) $(LIBSC)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIBSC) $(LIBS)

# Tests see the source tree and the binary under test.
$(BUILDDIR)/tests/%.o: ALL_CFLAGS += -iquote tests $(call pc_cflags,criterion) \
	-DSC_SRCDIR='"$(CURDIR)"' -DSC_BINARY='"$(CURDIR)/$(BUILT_BIN)"' \
	-DSCHEMA_PYTHON='"$(SCHEMA_PYTHON)"'

# The fuzz targets are linked into the unit tests too (their corpora and
# reproducers are replayed there), with the CLI minus its main().
FUZZ_TARGETS := snapshot mountinfo cgroup proc runtime bundle osrelease dbus
UNIT_FUZZ_OBJ := $(BUILDDIR)/tests/fuzz/targets.o $(BUILDDIR)/tests/fuzz/cli-main.o \
	$(filter-out $(BUILDDIR)/cmd/main.o,$(CMD_OBJ))

$(BUILDDIR)/tests/fuzz/cli-main.o: cmd/main.c Makefile
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -iquote cmd -Dmain=sc_cli_main -Wno-missing-prototypes -c $< -o $@

$(UNIT): $(TEST_OBJ) $(UNIT_FUZZ_OBJ) $(LIBSC)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(UNIT_FUZZ_OBJ) $(LIBSC) $(LIBS) \
		$(call pc_libs,criterion)

# ---- the two commands of the README -------------------------------------------

run: deps
	@$(MAKE) --no-print-directory $(BUILT_BIN)
	./$(BUILT_BIN) report; rc=$$?; [ $$rc -le 1 ] || exit $$rc

check: deps-check
	@$(MAKE) --no-print-directory check-unit

# Criterion's runner keeps a few bytes to its exit: not ours to fix.
ifeq ($(SANITIZE),1)
UNIT_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
endif

# Criterion reports on stderr, among what the tests print (lines marked
# "info:" and "[SKIP]" are not failures); its --json report gives the
# summary, the last line on stdout (tests/check-summary.py). Exit status
# is the runner's.
check-unit: $(BUILT_BIN) $(UNIT)
	@rm -f $(BUILDDIR)/tests/unit.json
	$(UNIT_ENV) $(UNIT) --json=$(BUILDDIR)/tests/unit.json $(CRITERION_FLAGS); rc=$$?; \
		/usr/bin/python3 tests/check-summary.py $(BUILDDIR)/tests/unit.json $$rc

# Golden files: what `host` prints for each fixture tree, and what each
# line of tests/goldens/replays.tsv prints from its snapshot of real runc
# containers (tests/goldens/README.md), with its exit status (0 or 1: a
# check may fail), at 80 columns. Review the diff!
GOLDEN_REPLAYS := tests/goldens/replays.tsv
FIXTURES := $(filter-out hostile,$(notdir $(patsubst %/,%,$(dir $(wildcard tests/fixtures/*/.sysctr-root.json)))))

update-expected: $(BUILT_BIN)
	@mkdir -p tests/expected
	@set -e; for f in $(FIXTURES); do \
		COLUMNS=80 LC_ALL=C.UTF-8 ./$(BUILT_BIN) --root tests/fixtures/$$f host > tests/expected/$$f.host.txt || [ $$? = 1 ]; \
		COLUMNS=80 LC_ALL=C.UTF-8 ./$(BUILT_BIN) --json --root tests/fixtures/$$f host > tests/expected/$$f.host.json || [ $$? = 1 ]; \
		echo "  tests/expected/$$f.host.{txt,json}"; \
	done
	@set -e; grep -v '^#' $(GOLDEN_REPLAYS) | while IFS='	' read -r snap verb args; do \
		[ -n "$$snap" ] || continue; \
		out=tests/expected/snap-$$snap.$$verb; rc=0; jrc=0; \
		COLUMNS=80 LC_ALL=C.UTF-8 ./$(BUILT_BIN) --root tests/fixtures/snapshots/$$snap.json $$args \
			> $$out.txt || rc=$$?; \
		COLUMNS=80 LC_ALL=C.UTF-8 ./$(BUILT_BIN) --json --root tests/fixtures/snapshots/$$snap.json $$args \
			> $$out.json || jrc=$$?; \
		if [ $$rc -gt 1 ] || [ $$rc != $$jrc ]; then \
			echo "$$out: exit status $$rc (text), $$jrc (--json)"; rm -f $$out.txt $$out.json; exit 1; \
		fi; \
		echo $$rc > $$out.exit; \
		echo "  $$out.{txt,json,exit}"; \
	done

# The end-to-end boot matrix (root only, tests/e2e/README.md): real
# systemd in runc containers from debootstrap images (cached outside the
# tree, in $SYSCTR_E2E_CACHE or /var/cache/sysctr-check/e2e), against
# `boot TARGET` and `boot --bundle`; then the Docker recipes
# (tests/e2e/docker-matrix.sh: Debian's docker.io engine, started if it is
# not running) against `boot docker:NAME`. The binary under test is copied
# first: a rebuild during the run must not change it.
check-e2e: deps $(BUILT_BIN)
	@mkdir -p $(BUILDDIR)
	cp $(BUILT_BIN) $(BUILDDIR)/sysctr-check-e2e
	tests/e2e/images.sh
	SYSCTR_CHECK=$(CURDIR)/$(BUILDDIR)/sysctr-check-e2e tests/e2e/matrix.sh --predict $(E2E_FLAGS)
	SYSCTR_CHECK=$(CURDIR)/$(BUILDDIR)/sysctr-check-e2e tests/e2e/docker-matrix.sh $(E2E_DOCKER_FLAGS)

# The lab of real host VMs (root only, tests/vm/README.md): boots each
# host (qemu, TCG) from disks built once and cached in
# /var/cache/sysctr-check/vm, compares `host --json` with what the VM is and
# resolves a container of every engine; one table per host. VM_HOSTS="h1
# h2" picks hosts (default: tests/vm/hosts.sh CHECK_VM_HOSTS); VM_JOBS="lab" or
# "verbs" one job (default both: delegation, limits and boot, jobs/verbs.sh).
check-vm: deps $(BUILT_BIN)
	VM_JOBS="$(VM_JOBS)" tests/vm/check.sh $(VM_HOSTS)

# Issue 15's proof: `host --image` on each lab host's disk against the same
# disk booted, field by field (tests/vm/README.md, "host --image").
check-vm-image: deps $(BUILT_BIN)
	tests/vm/image-check.sh $(VM_HOSTS)

# Ratios against findmnt, lscpu, systemd-detect-virt, runc state and
# nsenter in one hyperfine run, and peak RSS (tests/bench.sh).
bench: $(BUILT_BIN)
	tests/bench.sh $(BUILT_BIN)

# The scale block: N = 1, 100, 500 busybox runc containers, then as many
# Docker ones (root; about 6 minutes): list, report TARGET and report
# --all against runc list, runc state, docker ps and docker inspect
# (tests/bench-scale.sh).
bench-scale: $(BUILT_BIN)
	tests/bench-scale.sh $(if $(SCALE_COMPARE),--compare $(SCALE_COMPARE)) $(BUILT_BIN) $(SCALE_N)

# ---- fuzzing (tests/fuzz/README.md) -------------------------------------------

# libFuzzer with ASan + UBSan: every target for FUZZ_SECONDS on a scratch
# copy of its corpus, FUZZ_JOBS at once; any crash, leak or timeout fails.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_DIR := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=gnu11 -iquote lib -iquote cmd -iquote tests -iquote $(BUILDDIR) -MMD -MP -D_GNU_SOURCE -DSC_VERSION='"$(VERSION)"' -g -O1 \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link $(call pc_cflags,$(DEPS_RUN))
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZ_CMD_OBJ := $(filter-out $(FUZZ_DIR)/cmd/main.o,$(CMD_SRC:%.c=$(FUZZ_DIR)/%.o)) \
	$(FUZZ_DIR)/cmd/cli-main.o
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz-%)

$(FUZZ_DIR)/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# The CLI's build details (build-info.h) are the same for the fuzzers.
$(FUZZ_DIR)/cmd/help.o $(FUZZ_DIR)/cmd/verb-checks.o $(FUZZ_DIR)/cmd/cli-main.o: $(BUILD_INFO)

$(FUZZ_DIR)/cmd/cli-main.o: cmd/main.c Makefile
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Dmain=sc_cli_main -c $< -o $@

$(FUZZ_DIR)/fuzz-%: tests/fuzz/driver.c $(FUZZ_DIR)/tests/fuzz/targets.o $(FUZZ_CMD_OBJ) \
		$(FUZZ_LIB_OBJ)
	$(call msg,LD,$@)
	$(Q)$(FUZZ_CC) $(filter-out -MMD -MP,$(FUZZ_CFLAGS)) -fsanitize=fuzzer \
		-DSC_FUZZ_ENTRY=sc_fuzz_$* -o $@ $< \
		$(FUZZ_DIR)/tests/fuzz/targets.o $(FUZZ_CMD_OBJ) $(FUZZ_LIB_OBJ) $(LIBS)

fuzz-build: deps $(FUZZ_BINS)

fuzz: fuzz-build
	tests/fuzz/run.sh -t $(FUZZ_SECONDS) -j $(FUZZ_JOBS) $(FUZZ_TARGETS)

# ---- install ----------------------------------------------------------------

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/$(BIN)
	install -D -m 0644 man/sysctr-check.1 $(DESTDIR)$(MANDIR)/man1/sysctr-check.1
	install -D -m 0644 completions/sysctr-check.bash $(DESTDIR)$(BASHCOMPDIR)/sysctr-check
	install -D -m 0644 completions/_sysctr-check $(DESTDIR)$(ZSHCOMPDIR)/_sysctr-check
	install -D -m 0644 completions/sysctr-check.fish $(DESTDIR)$(FISHCOMPDIR)/sysctr-check.fish
	install -D -m 0644 man/sysctr-check.schema.json \
		$(DESTDIR)$(SCHEMADIR)/sysctr-check.schema.json
	install -D -m 0644 man/sysctr-check-checks.schema.json \
		$(DESTDIR)$(SCHEMADIR)/sysctr-check-checks.schema.json

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(BIN) $(DESTDIR)$(MANDIR)/man1/sysctr-check.1 \
		$(DESTDIR)$(BASHCOMPDIR)/sysctr-check $(DESTDIR)$(ZSHCOMPDIR)/_sysctr-check \
		$(DESTDIR)$(FISHCOMPDIR)/sysctr-check.fish \
		$(DESTDIR)$(SCHEMADIR)/sysctr-check.schema.json \
		$(DESTDIR)$(SCHEMADIR)/sysctr-check-checks.schema.json
	-rmdir $(DESTDIR)$(SCHEMADIR) 2>/dev/null

# ---- maintenance ------------------------------------------------------------

FORMAT_SRC = $(wildcard lib/*.[ch] cmd/*.[ch] tests/*.[ch] tests/fuzz/*.[ch])

format:
	$(CLANG_FORMAT) -i $(FORMAT_SRC)

format-check:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRC)

# Probes collect facts and never judge (architecture: probes -> facts ->
# checks -> renderers), so no probe may see the rule tables: only the
# files that judge or present judgements may include checks.h. Those are
# checks-*.c (the rules, and checks-registry.c, which lists every table),
# report.c (the report model), verb.c (the pipeline that runs probes, then
# rules) and render*.c (the renderers); every other
# lib/*.c is a probe, and a new file is one unless its name says
# otherwise. No header but checks.h itself may include it either, or a
# probe would reach it through that header.
LINT_NOT_PROBES := $(wildcard lib/checks-*.c lib/report.c lib/verb.c lib/render*.c)
LINT_PROBES = $(filter-out $(LINT_NOT_PROBES),$(wildcard lib/*.c))

lint-layers:
	@bad=$$(grep -l '^[[:space:]]*#[[:space:]]*include[[:space:]]*"checks\.h"' \
		$(LINT_PROBES) $(filter-out lib/checks.h,$(wildcard lib/*.h)) 2>/dev/null); \
	if [ -n "$$bad" ]; then \
		echo "lint: a probe (or a header) includes checks.h: $$bad" | tr '\n' ' '; echo; \
		echo "  probes collect facts; move the judgement to a checks-*.c file"; exit 1; \
	fi

# ... and no circle among the objects (tests/lint-circles.py, with nm).
lint-circles: $(LIBSC)
	@/usr/bin/python3 tests/lint-circles.py $(BUILDDIR)

lint: lint-layers lint-circles
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Ilib lib cmd
	@if command -v mandoc >/dev/null 2>&1; then \
		echo "mandoc -Tlint man/sysctr-check.1"; mandoc -Tlint -W warning man/sysctr-check.1; \
	else \
		echo "groff -man -ww -z man/sysctr-check.1"; \
		out=$$(groff -man -ww -z man/sysctr-check.1 2>&1); [ -z "$$out" ] || { echo "$$out"; exit 1; }; \
	fi

clean:
	rm -rf build build-san build-fuzz $(BIN)

# The header dependencies the compiler wrote (-MMD), for objects only: a
# linked binary's .d would be a target the fuzz-% pattern rule matches.
-include $(shell find $(BUILDDIR) $(FUZZ_DIR) -name '*.o.d' -o -name '*.d' -path '*/lib/*' \
	-o -name '*.d' -path '*/cmd/*' -o -name '*.d' -path '*/tests/*' 2>/dev/null)
