# pg_accountability: PGXS build, plus the throwaway-cluster targets.
#
#   make          build the extension
#   make install  install it into the PostgreSQL found by $(PG_CONFIG)
#   make demo     install what is missing, build, start a throwaway cluster,
#                 run the demo transcript, clean up
#   make test     the same, then every test (pg_regress, pgTAP, isolation)
#   make bench    the same, then the performance figures
#
# demo, test and bench work on a fresh Debian 12 machine as root or as a
# user with sudo: tests/harness.sh installs the Debian packages first, so
# they must not depend on PGXS being present when make starts.

EXTENSION   = pg_accountability
MODULE_big  = pg_accountability
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c)))
DATA        = $(sort $(wildcard extension/pg_accountability--*.sql))
PGFILEDESC  = "pg_accountability - cadre error tolerance and clarification workflow"

# -Wextra, less the one warning PostgreSQL's own headers trigger
# (storage/bufpage.h has an inline function with an unused parameter).
# The test harness adds -Werror.
PG_CFLAGS  += -Wextra -Wno-unused-parameter

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

.PHONY: demo test bench deps

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install:
	@echo "PostgreSQL server development files not found: run 'make test' or 'make demo'," >&2
	@echo "which install postgresql-server-dev-15 first, or set PG_CONFIG." >&2
	@exit 1
endif

# Objects depend on the headers too.
$(OBJS): $(wildcard extension/*.h)

deps:
	tests/harness.sh deps

demo:
	tests/harness.sh demo

test:
	tests/harness.sh test

bench:
	tests/harness.sh bench
