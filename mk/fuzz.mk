# mk/fuzz.mk: libFuzzer targets (tests/fuzz/), built with clang, ASan and UBSan (docs/reliability.md).
#
# A target is tests/fuzz/<name>.c plus the very same project sources the image links;
# adding one is one line, in the fragment that owns those sources (any mk/*.mk: the
# Makefile instantiates the rules after reading every fragment):
#   $(call fuzz_target,fuzz_foo,$(FOO_PURE) lib/format.c lib/log.c)
# which is short for FUZZ_TARGETS += fuzz_foo and FUZZ_SRCS_fuzz_foo := <sources>.
# Optional: FUZZ_LIBS_<name> (host libraries), FUZZ_MAXLEN_<name> (libFuzzer -max_len),
# FUZZ_SEEDS_<name> (generated seed files: rules that build them go beside the line).
# Inputs: tests/fuzz/corpus/<name>/ (seeds, read-only), tests/fuzz/regressions/<name>/
# (every crash found, replayed by `make check`), build/fuzz/work/<name>/ (what runs add).
#
#   make fuzz-build            build every target
#   make fuzz-replay           run every target once over its seeds and regressions
#   make fuzz FUZZ_S=N         fuzz each target N seconds (one after another), print the table
#   make fuzz FUZZ_CPU_S=N     the same, each target until it has used N CPU-seconds
#   make fuzz-check            the `make check` tier: replay, then FUZZ_CHECK_S seconds each
#   make fuzz-one FUZZ_TARGET=name FUZZ_S=N   one target only
#   make fuzz-seeds            rewrite tests/fuzz/corpus from tests/fuzz/gen-seeds

FUZZ_CC      ?= clang
FUZZ_S       ?= 60
FUZZ_CHECK_S ?= 10
FUZZ_DIR     := $(BUILD)/fuzz
# -Wno-missing-field-initializers: clang (unlike gcc, which builds the image) also warns on
# the decoder's designated-initializer tables.
FUZZ_CFLAGS  := -std=gnu11 -O1 -g -I. -DNESTOR_HOST_TEST -Wall -Wextra -Werror -Wno-unused-function \
	-Wno-missing-field-initializers \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Source lists by reference (=), so they may come from fragments read after this one.
FUZZ_TARGETS += fuzz_vlapic fuzz_vioapic fuzz_vpic
FUZZ_SRCS_fuzz_vlapic  = $(APIC_TEST_SRCS)
FUZZ_SRCS_fuzz_vioapic = $(APIC_TEST_SRCS)
FUZZ_SRCS_fuzz_vpic    = $(APIC_TEST_SRCS)

FUZZ_TARGETS += fuzz_platform
FUZZ_SRCS_fuzz_platform = $(UNIT_SRCS_test_dev_platform)

FUZZ_TARGETS += fuzz_decode fuzz_mmio_emul
FUZZ_SRCS_fuzz_decode    = $(DECODE_PURE) $(filter-out %/corpus.c,$(DECODE_DIFF_SRCS))
FUZZ_LIBS_fuzz_decode    = -lcapstone
FUZZ_MAXLEN_fuzz_decode  = 32
FUZZ_SRCS_fuzz_mmio_emul = $(UNIT_SRCS_test_mmio_emul) $(UNIT_SRCS_test_log)

FUZZ_TARGETS += fuzz_loader fuzz_firmware fuzz_options
FUZZ_SRCS_fuzz_loader   = $(FIRMWARE_C) $(LOADERS_C) $(LOG_C)
FUZZ_MAXLEN_fuzz_loader = 65536
# The loader tests' fixture kernels are seeds as they are (rule in mk/loaders.mk).
FUZZ_SEEDS_fuzz_loader  = $(FUZZ_DIR)/seeds/fuzz_loader/.stamp
FUZZ_SRCS_fuzz_firmware = $(FIRMWARE_C) $(LOG_C)
FUZZ_SRCS_fuzz_options  = $(UNIT_SRCS_test_options)

# One compiler run per target compiles and links all its sources, so there is no per-object
# dependency file: every project header is a prerequisite instead.
FUZZ_HEADERS = $(wildcard */*.h */*/*.h */*/*/*.h)

define fuzz_target_rule
$(FUZZ_DIR)/bin/$(1): tests/fuzz/$(1).c $$(FUZZ_SRCS_$(1)) $$(FUZZ_HEADERS) mk/fuzz.mk | deps
	@mkdir -p $$(@D)
	@echo "  FUZZCC  $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ tests/fuzz/$(1).c $$(FUZZ_SRCS_$(1)) $$(FUZZ_LIBS_$(1))
endef

# The Makefile instantiates fuzz_target_rule after every fragment is read, so a fragment
# read after this one (and its source lists) can still add targets.
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_DIR)/bin/%)
FUZZ_ARGS = $(foreach t,$(FUZZ_TARGETS),$(t):$(or $(FUZZ_MAXLEN_$(t)),4096))

.PHONY: fuzz fuzz-build fuzz-replay fuzz-check fuzz-one fuzz-seeds
# Rewrites tests/fuzz/corpus from tests/fuzz/gen-seeds (the committed seeds are its output).
fuzz-seeds:
	$(PYTHON) tests/fuzz/gen-seeds tests/fuzz/corpus

fuzz-build: $(FUZZ_BINS)

fuzz-replay: fuzz-build $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SEEDS_$(t)))
	@./tools/fuzz-run --build $(FUZZ_DIR) --replay $(FUZZ_ARGS)

# FUZZ_CPU_S=N instead: each target until it has used N CPU-seconds (for loaded machines);
# FUZZ_JOBS=N: up to N targets at once, but never more than one core busy (tools/fuzz-run).
FUZZ_JOBS   ?= 1
FUZZ_BUDGET = $(if $(FUZZ_CPU_S),--cpu-seconds $(FUZZ_CPU_S),--seconds $(FUZZ_S)) --jobs $(FUZZ_JOBS)

fuzz: fuzz-build $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SEEDS_$(t)))
	@./tools/fuzz-run --build $(FUZZ_DIR) $(FUZZ_BUDGET) $(FUZZ_ARGS)

fuzz-one: fuzz-build $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SEEDS_$(t)))
	@./tools/fuzz-run --build $(FUZZ_DIR) $(FUZZ_BUDGET) $(filter $(FUZZ_TARGET):%,$(FUZZ_ARGS))

fuzz-check: fuzz-build $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SEEDS_$(t)))
	@./tools/fuzz-run --build $(FUZZ_DIR) --replay $(FUZZ_ARGS)
	@./tools/fuzz-run --build $(FUZZ_DIR) --seconds $(FUZZ_CHECK_S) $(FUZZ_ARGS)

CHECK_PREREQS += fuzz-check
