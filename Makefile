# pyhost: the python3 command with the native modules point and hashset
# built in.  GNU make.  `make run` and `make check` install the Debian
# packages they need first (scripts/install-deps), then re-run make so that
# pkg-config is asked only once the packages are there.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

PKG_CONFIG ?= pkg-config
# The embedding flavour of Debian's python3.11; `make PYTHON_PC=python-3.11d-embed`
# builds against the debug interpreter.
PYTHON_PC ?= python3-embed
# The reference interpreter the end-to-end tests compare against.
REFERENCE_PYTHON ?= /usr/bin/python3.11

CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
WARNINGS := -Wall -Wextra -Wpedantic
ifneq ($(CI),)
WARNINGS += -Werror
endif
# U64SET_THREADS: bulk builds of a million keys place them with a second
# thread (src/core/u64set.c; the wheel's modules go without).
BASE_CFLAGS := -std=c11 $(WARNINGS) -MMD -MP -Isrc -DU64SET_THREADS -pthread

PY_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PYTHON_PC) 2>/dev/null)
PY_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir $(PYTHON_PC) 2>/dev/null)
PY_LIBNAME := $(patsubst -l%,%,$(filter -lpython%,\
	$(shell $(PKG_CONFIG) --libs-only-l $(PYTHON_PC) 2>/dev/null)))
READLINE_CFLAGS := $(shell $(PKG_CONFIG) --cflags readline 2>/dev/null)
READLINE_LIBS := $(shell $(PKG_CONFIG) --libs readline 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ifeq ($(SHARED),1)
PY_LIBS := $(shell $(PKG_CONFIG) --libs $(PYTHON_PC) 2>/dev/null)
PY_LINK_MODE :=
else
# Linked as Debian links /usr/bin/python3.11: the non-PIC static library in
# a non-PIE executable (position-independent code costs pure-Python code
# 10-20%), exporting libpython's symbols so that the extension modules in
# lib-dynload still load, with the libraries sysconfig's MODLIBS/LIBS name
# (pkg-config's Libs.private omits expat and zlib).
PY_LIBS := $(PY_LIBDIR)/lib$(PY_LIBNAME).a -lexpat -lz -lm -ldl
PY_LINK_MODE := -no-pie -Xlinker -export-dynamic
endif

BUILD ?= build
PYHOST := $(BUILD)/pyhost

HOST_SRCS := $(wildcard src/host/*.c)
MODULE_SRCS := $(wildcard src/modules/*.c)
CORE_SRCS := $(wildcard src/core/*.c)
HOST_OBJS := $(HOST_SRCS:src/%.c=$(BUILD)/obj/%.o)
MODULE_OBJS := $(MODULE_SRCS:src/%.c=$(BUILD)/obj/%.o)
CORE_OBJS := $(CORE_SRCS:src/%.c=$(BUILD)/obj/%.o)

# The same module sources as ordinary extension modules for a stock
# python3.11, compiled position-independent: make ext here, for the tests
# under python3.11; make develop and make wheel through setuptools
# (setup.py), from the same list of sources and with the same warnings.
VERSION := $(shell sed -n 's/^\#define PYHOST_VERSION "\(.*\)"/\1/p' \
	src/host/version.h)
EXT_SUFFIX := $(shell $(REFERENCE_PYTHON) -c \
	'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' \
	2>/dev/null)
EXT_DIR := $(BUILD)/ext
# Each module's sources come from src/modules/SOURCES, the one list.
MODULE_LIST := src/modules/SOURCES
EXT_MODULES := $(shell sed -n 's/^\([a-z_]*\):.*/\1/p' $(MODULE_LIST))
$(foreach module,$(EXT_MODULES),$(eval EXT_$(module)_SRCS := $(wildcard \
	$(shell sed -n 's/^$(module): //p' $(MODULE_LIST)))))
EXT_TARGETS := $(EXT_MODULES:%=$(EXT_DIR)/%$(EXT_SUFFIX))
PIC_CFLAGS := -fPIC -fvisibility=hidden
VENV := $(BUILD)/venv

# The C that the unit tests link: everything that needs no interpreter.
UNIT_LINKED_OBJS := $(CORE_OBJS) $(BUILD)/obj/host/cmdline.o \
	$(BUILD)/obj/host/app_cmdline.o \
	$(BUILD)/obj/host/history_config.o $(BUILD)/obj/host/history_format.o \
	$(BUILD)/obj/host/source_lines.o $(BUILD)/obj/host/fatal_signal.o \
	$(BUILD)/obj/host/indent_rules.o $(BUILD)/obj/host/auto_indent_config.o \
	$(BUILD)/obj/host/python_lexer.o
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,\
	$(wildcard tests/unit/test_*.c))

.PHONY: all check test run bench deps install uninstall clean format \
	ext develop wheel asan fuzz check-refleak check-valgrind standalone \
	standalone-build bench-standalone standalone-opt standalone-opt-build \
	bench-opt check-opt bundle-app

all: $(PYHOST)

$(PYHOST): $(HOST_OBJS) $(MODULE_OBJS) $(CORE_OBJS)
	$(CC) $(PY_LINK_MODE) $(LDFLAGS) -o $@ $^ $(PY_LIBS) $(READLINE_LIBS)

# The shell's completer is Python (src/host/completion.py), compiled into
# the binary as the bytes of a char array (ISO C caps string literals at
# 4095 characters, which -Wpedantic enforces).
$(BUILD)/gen/host/completion_source.h: src/host/completion.py
	@mkdir -p $(@D)
	od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' > $@

$(BUILD)/obj/host/completion.o: $(BUILD)/gen/host/completion_source.h

# The same for the shell's other Python parts (src/host/NAME.py, as
# NAME_source.h), each run the first time it is needed.
$(BUILD)/gen/host/%_source.h: src/host/%.py
	@mkdir -p $(@D)
	od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' > $@

$(BUILD)/obj/host/colour.o: $(BUILD)/gen/host/colour_traceback_source.h
$(BUILD)/obj/host/signature_hint.o: $(BUILD)/gen/host/signature_hint_source.h

# The standard-library modules pyhost freezes (src/host/frozen_modules.c),
# marshalled by a 3.11 interpreter from the standard library pyhost runs
# with; each code object names FROZEN_FILENAME_PREFIX + its path there.
# scripts/build-standalone sets these for the CPython it builds.
FREEZE_PYTHON ?= $(REFERENCE_PYTHON)
FROZEN_STDLIB ?= $(shell $(REFERENCE_PYTHON) -c \
	'import sysconfig; print(sysconfig.get_path("stdlib"))' 2>/dev/null)
FROZEN_FILENAME_PREFIX ?= $(FROZEN_STDLIB)/
FREEZE_FLAGS ?=
$(BUILD)/gen/host/frozen_modules_data.h: scripts/freeze_modules.py \
		$(addprefix $(FROZEN_STDLIB)/,encodings/__init__.py \
			encodings/aliases.py encodings/utf_8.py)
	@mkdir -p $(@D)
	$(FREEZE_PYTHON) scripts/freeze_modules.py $(FROZEN_STDLIB) \
		"$(FROZEN_FILENAME_PREFIX)" $@ $(FREEZE_FLAGS)

$(BUILD)/obj/host/frozen_modules.o: $(BUILD)/gen/host/frozen_modules_data.h

# The hash-table core is plain C: it never sees Python's headers.
$(BUILD)/obj/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -I$(BUILD)/gen $(PY_CFLAGS) $(READLINE_CFLAGS) \
		$(CFLAGS) -c -o $@ $<

$(BUILD)/pic/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(PIC_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/pic/modules/%.o: src/modules/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(PIC_CFLAGS) $(PY_CFLAGS) $(CFLAGS) -c -o $@ $<

define EXT_RULE
$(EXT_DIR)/$(1)$(EXT_SUFFIX): $(patsubst src/%.c,$(BUILD)/pic/%.o,$(EXT_$(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) -shared $$(LDFLAGS) -o $$@ $$^
endef
$(foreach module,$(EXT_MODULES),$(eval $(call EXT_RULE,$(module))))

ext: $(EXT_TARGETS)

# Like the tutorial's `maturin develop`: a virtual environment in $(VENV)
# with the modules installed editable (`pip install -e .`, built in place
# beside their sources); run it again after changing the C.  A fresh venv
# has pip and setuptools but not `wheel`, which setuptools needs to build:
# it comes from Debian's python3-wheel-whl, with no index, as the rest.
DEBIAN_WHEELS := /usr/share/python-wheels
develop: deps
	test -x $(VENV)/bin/python || $(REFERENCE_PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --no-index --find-links $(DEBIAN_WHEELS) wheel
	$(VENV)/bin/pip install --quiet --no-index --no-build-isolation --editable .
	$(VENV)/bin/python -c 'import point, hashset, hash_set; print("develop: ok")'

# The sdist and the wheel, by setuptools (pyproject.toml, setup.py) under
# Debian's python3-build, without isolation: no network.  build makes the
# wheel from the sdist, so the sdist is known to build.  Then the wheel's
# tag: manylinux, from what its modules import (scripts/manylinux-tag).
DIST := dist
WHEEL_GLOB := $(DIST)/pyhost_modules-$(VERSION)-*.whl
SDIST := $(DIST)/pyhost-modules-$(VERSION).tar.gz
# (setuptools' sdist adds every file an old egg-info's SOURCES.txt lists:
# without one, MANIFEST.in alone decides what the sdist carries.)
wheel: deps
	rm -rf $(WHEEL_GLOB) $(SDIST) src/modules/*.egg-info
	$(REFERENCE_PYTHON) -m build --no-isolation --outdir $(DIST) .
	$(REFERENCE_PYTHON) scripts/manylinux-tag $(WHEEL_GLOB)

$(BUILD)/tests/unit/%: tests/unit/%.c $(UNIT_LINKED_OBJS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) \
		$(CMOCKA_LIBS)

deps:
	@scripts/install-deps

# `check` and `run` do all set-up on a fresh Debian machine.
check: deps
	@$(MAKE) --no-print-directory test

run: deps
	@$(MAKE) --no-print-directory all
	$(PYHOST) $(ARGS)

# Hardening.  The sanitizer build (clang, ASan + UBSan) of the host and
# the unit tests; the interpreter runs with PYTHONMALLOC=malloc so that
# ASan sees Python's allocations, and without leak detection, since
# CPython keeps memory until exit by design (its own ASan advice).
SANITIZE_FLAGS := -O1 -g -fno-omit-frame-pointer -DU64SET_CHECKS \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_BUILD := $(BUILD)/asan
ASAN_ENV := PYTHONMALLOC=malloc PYHOST_SANITIZED=1 \
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1
asan:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC=clang \
		CFLAGS="$(SANITIZE_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
		$(ASAN_BUILD)/pyhost $(UNIT_TESTS:$(BUILD)/%=$(ASAN_BUILD)/%)

# libFuzzer harnesses (tests/fuzz): the core against a reference, and the
# modules' argument handling through the C API.  `make fuzz
# FUZZ_SECONDS=600` for a long run; make check runs them briefly.
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SECONDS ?= 10
FUZZ_FLAGS := -std=c11 -Wall -Wextra -Isrc -g -O1 -fno-omit-frame-pointer -DU64SET_CHECKS \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZERS := $(FUZZ_DIR)/fuzz_u64set $(FUZZ_DIR)/fuzz_hashset
$(FUZZ_DIR)/fuzz_u64set: tests/fuzz/fuzz_u64set.c $(CORE_SRCS) src/core/u64set.h
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_u64set.c $(CORE_SRCS)
$(FUZZ_DIR)/fuzz_hashset: tests/fuzz/fuzz_hashset.c $(MODULE_SRCS) \
		$(CORE_SRCS) $(wildcard src/modules/*.h src/core/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_FLAGS) $(PY_CFLAGS) $(PY_LINK_MODE) \
		-o $@ tests/fuzz/fuzz_hashset.c \
		$(MODULE_SRCS) $(CORE_SRCS) $(PY_LIBS)
fuzz: $(FUZZERS)
	$(REFERENCE_PYTHON) tests/fuzz/run.py --seconds $(FUZZ_SECONDS) $(FUZZERS)

# Reference leaks: the module tests, repeated, in a pyhost built against
# Debian's debug interpreter, watching sys.gettotalrefcount() and
# sys.getallocatedblocks() as CPython's -R option does; a growth of the
# total alone is confirmed on the objects' own reference counts, which
# release-built numpy keeps but the total does not see (tests/refleak.py).
DEBUG_BUILD := $(BUILD)/debug
check-refleak:
	@$(MAKE) --no-print-directory BUILD=$(DEBUG_BUILD) \
		PYTHON_PC=python-3.11d-embed $(DEBUG_BUILD)/pyhost
	$(DEBUG_BUILD)/pyhost tests/refleak.py

# valgrind's memcheck over the unit tests and a script that exercises
# both modules (PYTHONMALLOC=malloc, Debian's python3.supp suppressions).
VALGRIND := valgrind --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite --suppressions=/usr/lib/valgrind/python3.supp \
	--suppressions=tests/valgrind/cpython.supp
check-valgrind: $(PYHOST) $(UNIT_TESTS)
	for test in $(UNIT_TESTS); do \
		U64SET_TEST_SMALL=1 $(VALGRIND) -q $$test || exit 1; done
	PYTHONMALLOC=malloc $(VALGRIND) -q --leak-check=no $(PYHOST) \
		tests/valgrind/workload.py

# Every layer of tests, ending with one line "N passed, N failed".  The
# standalone layers run build/pyhost-standalone, and applications
# bundled from it, in an empty root (root only: otherwise they say they
# skip).
STANDALONE := $(BUILD)/pyhost-standalone
test: $(PYHOST) $(UNIT_TESTS) $(EXT_TARGETS) wheel asan $(FUZZERS) \
		standalone-build
	@$(REFERENCE_PYTHON) tests/run.py --pyhost $(PYHOST) \
		--reference $(REFERENCE_PYTHON) --ext-dir $(EXT_DIR) \
		--wheel $(WHEEL_GLOB) --sdist $(SDIST) \
		--binaries "asan: unit tests::$(UNIT_TESTS:$(BUILD)/%=$(ASAN_BUILD)/%)" \
		--layer "asan: module tests::env $(ASAN_ENV) $(ASAN_BUILD)/pyhost \
			tests/python/run.py" \
		--layer "fuzz: $(FUZZ_SECONDS) s each::$(REFERENCE_PYTHON) \
			tests/fuzz/run.py --seconds $(FUZZ_SECONDS) $(FUZZERS)" \
		--layer "standalone: the file in an empty root::$(REFERENCE_PYTHON) \
			tests/standalone/run.py --exe $(STANDALONE) \
			--reference $(REFERENCE_PYTHON)" \
		--layer "standalone: module tests in an empty root::$(REFERENCE_PYTHON) \
			tests/standalone/run.py --module-tests --exe $(STANDALONE) \
			--reference $(REFERENCE_PYTHON)" \
		--layer "standalone: bundled applications in an empty root::$(REFERENCE_PYTHON) \
			tests/standalone/check_app.py $(STANDALONE)" \
		$(UNIT_TESTS)

# One executable with the standard library and every extension module
# inside (issue 15): CPython built from Debian's python3.11 source package
# (downloaded once into $${PYHOST_CACHE:-~/.cache/pyhost}; the CPython
# build is kept under $(BUILD)/standalone while its recipe is unchanged),
# see scripts/build-standalone.  `make check` builds and tests it.
standalone: deps
	@$(MAKE) --no-print-directory standalone-build

standalone-build:
	scripts/build-standalone $(BUILD)

# The optimised build (issue 18): the same CPython built with PGO (trained
# on CPython's --pgo tests and pyhost's own workloads) and LTO, kept under
# $(BUILD)/standalone-opt while its recipe is unchanged; 40-50 minutes
# on 2 cores, so neither `make` nor `make check` builds it.  Writes
# $(BUILD)/pyhost-opt (the standard library from /usr/lib/python3.11, as
# $(BUILD)/pyhost) and $(BUILD)/pyhost-standalone-opt (one file, as
# $(BUILD)/pyhost-standalone).  `make check-opt` runs the module tests in
# the one and the standalone's tests on the other.
PYHOST_OPT := $(BUILD)/pyhost-opt
STANDALONE_OPT := $(BUILD)/pyhost-standalone-opt
standalone-opt: deps
	@$(MAKE) --no-print-directory standalone-opt-build

standalone-opt-build:
	scripts/build-standalone --opt $(BUILD)

check-opt: standalone-opt
	$(PYHOST_OPT) tests/python/run.py
	$(REFERENCE_PYTHON) tests/standalone/run.py --exe $(STANDALONE_OPT) \
		--reference $(REFERENCE_PYTHON)
	$(REFERENCE_PYTHON) tests/standalone/run.py --module-tests \
		--exe $(STANDALONE_OPT) --reference $(REFERENCE_PYTHON)

# A pure-Python application as one executable that runs it, a copy of
# the standalone file with the application appended (scripts/bundle-app):
#   make bundle-app APP=DIR [APP_MODULE=NAME] [APP_OUT=FILE]
# DIR has a __main__.py, or APP_MODULE names the module to run (as -m).
# Copies $(BUILD)/pyhost-standalone, which `make standalone` builds.
APP_OUT ?= $(BUILD)/$(notdir $(abspath $(APP)))
bundle-app:
	@test -n "$(APP)" || { echo "usage: make bundle-app APP=DIR" \
		"[APP_MODULE=NAME] [APP_OUT=FILE]" >&2; exit 2; }
	PYHOST_STANDALONE=$(BUILD)/pyhost-standalone scripts/bundle-app \
		$(if $(APP_MODULE),-m $(APP_MODULE)) -o $(APP_OUT) $(APP)

# Benchmarks side by side with the built-in set and python3.11; writes
# bench/results.md and bench/chart.svg.  Never part of `check`.
# Its rows on the standalone file and on the optimised build come when
# those exist; `make bench-standalone` measures only the first and `make
# bench-opt` the second beside the default build's start-up and
# pure-Python rows, and they print them.
bench: deps
	@$(MAKE) --no-print-directory all
	$(PYHOST) scripts/bench.py --pyhost $(PYHOST) --reference $(REFERENCE_PYTHON) \
		--standalone $(STANDALONE) --opt $(PYHOST_OPT) \
		--standalone-opt $(STANDALONE_OPT)

bench-standalone: standalone
	$(STANDALONE) scripts/bench.py --only-standalone --pyhost $(PYHOST) \
		--reference $(REFERENCE_PYTHON) --standalone $(STANDALONE)

bench-opt: standalone-opt
	@$(MAKE) --no-print-directory all
	$(PYHOST) scripts/bench.py --only-opt --pyhost $(PYHOST) \
		--reference $(REFERENCE_PYTHON) --opt $(PYHOST_OPT) \
		--standalone-opt $(STANDALONE_OPT)

install: $(PYHOST)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PYHOST) $(DESTDIR)$(BINDIR)/pyhost
	install -m 644 man/pyhost.1 $(DESTDIR)$(MANDIR)/man1/pyhost.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pyhost $(DESTDIR)$(MANDIR)/man1/pyhost.1

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c)

clean:
	rm -rf $(BUILD) $(DIST) src/modules/*.egg-info src/modules/*.so

# (Not the CPython trees that make standalone and standalone-opt build,
# whose Include holds a dtrace script named pydtrace.d.)
-include $(shell find $(BUILD) -path '$(BUILD)/standalone*' -prune \
	-o -name '*.d' -print 2>/dev/null)
