# pg_accountability: PGXS build, plus the throwaway-cluster targets.
#
#   make          build the extension
#   make install  install it into the PostgreSQL found by $(PG_CONFIG)
#   make demo     install what is missing, build, start a throwaway cluster,
#                 run the demo transcript, clean up
#   make test     lint, a short fuzz pass (FUZZ_SECONDS=10 per harness), then
#                 the same as demo and every test (pg_regress, pgTAP,
#                 isolation, harness checks) on one major (PG_MAJOR=15 by
#                 default; 17 and 18 are built from Debian's sources)
#   make test-all lint and the fuzz pass once, then every test on 15, 17
#                 and 18: the full test command, what CI runs
#   make deb      the Debian package postgresql-15-accountability (debian/,
#                 pg_buildext) built in a temporary copy; .deb files in
#                 DEB_OUT (default .build/deb/)
#   make installcheck  the pg_regress and isolation suites against a
#                 running server where the extension is installed (PGXS)
#   make bench    the same, then the performance figures
#   make bench-scale  the same cluster, durable, then a national history
#                 (31 provinces, SCALE_EVENTS case events, default 50 M)
#                 and its capacity figures; not part of make test
#
# Quality gates (README "Development"):
#   make lint     cppcheck and clang-tidy over extension/*.c, clean
#   make fuzz     the libFuzzer harnesses of tests/fuzz/, FUZZ_SECONDS each
#                 (default 60), failing on any finding
#   make sanitize every suite against the library built with
#                 -fsanitize=address,undefined, failing on any report
#   make coverage every suite against the library built with --coverage;
#                 gcov line and branch coverage of extension/*.c per file
#
# All of them work on a fresh Debian 12 machine as root or as a user with
# sudo: tests/harness.sh installs the Debian packages first, so they must
# not depend on PGXS being present when make starts.

EXTENSION   = pg_accountability
MODULE_big  = pg_accountability
PGFILEDESC  = "pg_accountability - cadre error tolerance and clarification workflow"

# The source tree: "." in place, the VPATH directory in a separate build
# tree (pg_buildext builds each major in build-MAJOR/).
ifdef VPATH
SRCDIR     := $(VPATH)
else
SRCDIR     := .
endif

# One source for the version: the control file's default_version.
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" $(SRCDIR)/$(EXTENSION).control)

# The C sources, by concern: extension/ (module, decision procedure, report
# figures), core/ (pure C, no PostgreSQL headers), types/, workflow/,
# support/ (the SPI and column-lookup helpers every trigger shares).
C_SOURCES  := $(patsubst $(SRCDIR)/%,%,$(sort $(wildcard $(SRCDIR)/extension/*.c $(SRCDIR)/extension/*/*.c)))
C_HEADERS  := $(sort $(wildcard $(SRCDIR)/extension/*.h $(SRCDIR)/extension/*/*.h))
OBJS        = $(C_SOURCES:.c=.o)

# The install script of the current version is assembled from the pieces
# of extension/schema/ (one per concern, in the order of their numbers).
# Released scripts (pg_accountability--1.0.sql, and the update scripts of
# past releases) are committed files of their own, never edited.
SCHEMA_PIECES := $(sort $(wildcard $(SRCDIR)/extension/schema/*.sql))
INSTALL_built := extension/$(EXTENSION)--$(EXTVERSION).sql

# The update scripts to the current version are assembled too: each is a
# template, extension/upgrade/FROM--TO.sql, whose "-- @include PIECE REGION"
# lines name regions of the schema pieces (extension/upgrade/assemble.awk),
# so an update states a changed object by naming the one place that holds
# its definition.  At a release the assembled scripts are committed into
# extension/ beside the install script, and their templates removed.
UPGRADE_TEMPLATES := $(sort $(wildcard $(SRCDIR)/extension/upgrade/*--*.sql))
UPGRADES_built := $(patsubst $(SRCDIR)/extension/upgrade/%.sql,extension/$(EXTENSION)--%.sql,$(UPGRADE_TEMPLATES))

DATA_built  = $(INSTALL_built) $(UPGRADES_built)
EXTRA_CLEAN += $(addsuffix .new,$(UPGRADES_built))
DATA        = $(patsubst $(SRCDIR)/%,%,$(filter-out $(addprefix $(SRCDIR)/,$(DATA_built)),$(wildcard $(SRCDIR)/extension/$(EXTENSION)--*.sql)))

# make installcheck: the pg_regress suite (sql/, expected/) and the
# isolation specs (tests/isolation/), against a running server.
REGRESS       = $(sort $(basename $(notdir $(wildcard $(SRCDIR)/sql/*.sql))))
REGRESS_OPTS  = --load-extension=$(EXTENSION)
ISOLATION     = $(sort $(basename $(notdir $(wildcard $(SRCDIR)/tests/isolation/specs/*.spec))))
ISOLATION_OPTS = --inputdir=$(SRCDIR)/tests/isolation --load-extension=$(EXTENSION)

# -Wextra, less the one warning PostgreSQL's own headers trigger
# (storage/bufpage.h has an inline function with an unused parameter).
# The test harness adds -Werror.
PG_CPPFLAGS += -I$(SRCDIR)/extension
PG_CFLAGS  += -Wextra -Wno-unused-parameter

PG_CONFIG  ?= pg_config
FUZZ_SECONDS ?= 60
PGXS       := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

.PHONY: demo test test-all bench bench-scale deps lint fuzz sanitize coverage

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install:
	@echo "PostgreSQL server development files not found: run 'make test' or 'make demo'," >&2
	@echo "which install postgresql-server-dev-15 first, or set PG_CONFIG." >&2
	@exit 1
endif

# The offline verifier of the ledger (issue 15): a program of its own over
# the pure ledger core, built with the module and installed into $(bindir).
# PGXS builds one MODULE_big or one PROGRAM, not both, hence these rules.
VERIFIER     = pg_accountability_verify
VERIFIER_SRC = $(addprefix $(SRCDIR)/,verifier/pg_accountability_verify.c verifier/json_reader.c extension/core/sha256.c extension/core/ledger_format.c extension/core/write_model.c)

ifneq ($(wildcard $(PGXS)),)
all: $(VERIFIER)

$(VERIFIER): $(VERIFIER_SRC) $(SRCDIR)/verifier/json_reader.h $(SRCDIR)/extension/core/ledger_core.h $(SRCDIR)/extension/core/core.h
	$(CC) $(CFLAGS) -std=gnu99 -I$(SRCDIR)/extension $(VERIFIER_SRC) -o $@

.PHONY: install-verifier uninstall-verifier
install: install-verifier
install-verifier: $(VERIFIER)
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) $(VERIFIER) '$(DESTDIR)$(bindir)/$(VERIFIER)'
uninstall: uninstall-verifier
uninstall-verifier:
	rm -f '$(DESTDIR)$(bindir)/$(VERIFIER)'
clean: clean-verifier
.PHONY: clean-verifier
clean-verifier:
	rm -f $(VERIFIER)
endif

# Objects depend on the headers too, and land beside their sources' paths.
$(OBJS): $(C_HEADERS) | object-dirs
.PHONY: object-dirs
object-dirs:
	@mkdir -p $(sort $(dir $(OBJS)))

$(INSTALL_built): $(SCHEMA_PIECES) $(SRCDIR)/$(EXTENSION).control
	@mkdir -p $(@D)
	{ printf -- '-- %s\n' 'pg_accountability $(EXTVERSION), assembled by make from extension/schema/*.sql: edit those, not this file.'; \
	  cat $(SCHEMA_PIECES); } > $@

# Written whole or not at all: awk stops the build at a missing region.
$(UPGRADES_built): extension/$(EXTENSION)--%.sql: $(SRCDIR)/extension/upgrade/%.sql $(SRCDIR)/extension/upgrade/assemble.awk $(SCHEMA_PIECES)
	@mkdir -p $(@D)
	{ printf -- '-- %s\n' 'pg_accountability $*, assembled by make from extension/upgrade/$*.sql and extension/schema/*.sql: edit those, not this file.'; \
	  awk -v schema=$(SRCDIR)/extension/schema -f $(SRCDIR)/extension/upgrade/assemble.awk $<; } > $@.new
	mv $@.new $@

deps:
	tests/harness.sh deps

demo:
	tests/harness.sh demo

test:
	tests/harness.sh test

# Every suite on every supported major (15, 17, 18): what CI runs.
test-all:
	tests/harness.sh test-all

bench:
	tests/harness.sh bench

# SCALE_EVENTS=N make bench-scale (and SCALE_PROVINCES, SCALE_SUBJECTS,
# SCALE_WORKERS, SCALE_PGBENCH_TRANSACTIONS): see tests/bench/scale.sh
export SCALE_EVENTS SCALE_PROVINCES SCALE_SUBJECTS SCALE_WORKERS SCALE_PGBENCH_TRANSACTIONS
bench-scale:
	tests/harness.sh bench-scale

lint:
	tests/harness.sh lint

# FUZZ_SECONDS=N make fuzz, or make fuzz FUZZ_SECONDS=N
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/harness.sh fuzz

sanitize:
	tests/harness.sh sanitize

coverage:
	tests/harness.sh coverage

# make deb: the Debian package postgresql-15-accountability, built by
# dpkg-buildpackage with pg_buildext (debian/) in a temporary copy of the
# tree, installing the missing build dependencies first; the .deb files
# land in DEB_OUT (default .build/deb/, git-ignored) and their paths are
# printed.  See debian/make-deb.sh.
DEB_OUT ?= $(CURDIR)/.build/deb
.PHONY: deb
deb:
	DEB_OUT='$(DEB_OUT)' $(SRCDIR)/debian/make-deb.sh
