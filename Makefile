# nestor: top-level build.
#
# Each area of the tree has a fragment in mk/ that only adds to the variables below
# (and may define its own extra targets). The generic rules live here, after the
# fragments are included, so every fragment sees the same rules.
#
#   NESTOR_C, NESTOR_ASM   sources linked into build/nestor.efi (freestanding)
#   UNIT_TESTS             names of host cmocka tests: tests/unit/<name>.c
#   UNIT_SRCS_<name>       the project sources that test compiles (the very same files)
#   UNIT_LIBS_<name>       extra host libraries for that test (e.g. -lpthread)
#   CHECK_PREREQS          targets `make check` builds before the integration tier
#   FUZZ_TARGETS           libFuzzer targets: tests/fuzz/<name>.c (mk/fuzz.mk)
#   FUZZ_SRCS_<name>       the project sources that target compiles (the very same files)

BUILD   ?= build
HOSTCC  ?= gcc
PYTHON  ?= /usr/bin/python3
V       ?= 0

NESTOR_C       :=
NESTOR_ASM     :=
UNIT_TESTS     :=
CHECK_PREREQS  :=
FUZZ_TARGETS   :=
# One line adds a fuzz target from any fragment: $(call fuzz_target,NAME,SOURCES...)
fuzz_target = $(eval FUZZ_TARGETS += $(1))$(eval FUZZ_SRCS_$(1) := $(2))

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

include mk/config.mk
include $(filter-out mk/config.mk mk/efi.mk,$(sort $(wildcard mk/*.mk)))
# Last: its rules expand NESTOR_C/NESTOR_ASM in their prerequisites, which must be
# complete by then.
include mk/efi.mk

# ---- host unit tests (cmocka) --------------------------------------------------------
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DNESTOR_HOST_TEST -Wno-unused-function -MMD -MP

define unit_test_rule
$(BUILD)/unit/$(1): tests/unit/$(1).c $$(UNIT_SRCS_$(1)) | deps
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $$(UNIT_CFLAGS_$(1)) -o $$@ tests/unit/$(1).c $$(UNIT_SRCS_$(1)) -lcmocka $$(UNIT_LIBS_$(1))
-include $(BUILD)/unit/$(1).d
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target_rule,$(t))))

UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/%)

.PHONY: all deps unit integration integration-only check check-extra check-layers run bochs bench clean help
all: $(BUILD)/nestor.efi

# The installer is idempotent and cheap when nothing is missing (one dpkg-query per
# package), so every target that needs a tool runs it, as an order-only prerequisite.
deps:
	@./tools/install-deps

# Runs every unit test even when one fails, then fails if any did.
unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || fail=1; done; \
	 if [ $$fail -ne 0 ]; then echo "unit tests: FAILED"; exit 1; fi

integration: $(BUILD)/nestor.efi $(CHECK_PREREQS) | deps
	$(PYTHON) -m pytest tests/integration -m "not hours and not extra" $(PYTEST_ARGS)

# The same without making CHECK_PREREQS again: `check` has just made them (some are timed
# runs, like the bounded fuzzing, that a second pass would only repeat).
integration-only: $(BUILD)/nestor.efi | deps
	$(PYTHON) -m pytest tests/integration -m "not hours and not extra" $(PYTEST_ARGS)

# Tests left out of make check for its time whose ground others there cover in part (the
# marker `extra`, e.g. the l1vmm matrix under nestor with L1 on two vCPUs: make check runs
# it with one, and Linux as L2 with L1 on two vCPUs). About 5 minutes.
check-extra: $(BUILD)/nestor.efi l1 | deps
	$(PYTHON) -m pytest tests/integration -m extra $(PYTEST_ARGS)

# Prerequisites first (the L1 kernel, the test guests, coverage and seed regressions), so
# the unit tier's real-kernel loader checks run too; pytest's summary ends the output.
check: deps
	@./tools/check-layers
	@$(MAKE) --no-print-directory $(BUILD)/nestor.efi $(CHECK_PREREQS)
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory integration-only

# The default scenario, nested: Debian's kernel as L1 under nestor on QEMU's SVM (2 vCPUs,
# `personality=kvm`, which offers SVM with nested paging), its stock kvm_amd loads and the L1
# test VMM (tests/l1/vmm) boots Debian's kernel again as L2 (2 vCPUs, split irqchip) to its
# /init; L2 powers off, then L1, and nestor's run report follows. Single-threaded TCG and the
# TSC rate on L1's command line, as in every nested run (docs/l1.md). The launcher exits
# (status << 1) | 1; a passing run (status 0x10) is 33. RUN_SCENARIO=l1 is the earlier
# default: L1 alone on 2 vCPUs, no SVM offered, /init reports and powers off.
RUN_SCENARIO ?= nested
L1_APPEND := console=ttyS0 panic=-1
L2_RUN    := linux,irqchip=split,vcpus=2,timeout=600,stall=120
ifeq ($(RUN_SCENARIO),nested)
RUN_INITRD  = $(L1_INITRAMFS_L2LINUX)
RUN_APPEND  = $(L1_APPEND) l1.wait=0 l1.run=$(L2_RUN)
RUN_NESTOR  = --smp 2 --personality kvm --accel tcg,thread=single --linux-tsc --mem 1024 \
	      --timeout 900
else ifeq ($(RUN_SCENARIO),l1)
RUN_INITRD  = $(L1_INITRAMFS)
RUN_APPEND  = $(L1_APPEND)
RUN_NESTOR  = --smp 2 --mem 512 --timeout 300
else
$(if $(filter run,$(MAKECMDGOALS)),$(error RUN_SCENARIO=$(RUN_SCENARIO): use nested or l1))
endif
run: $(BUILD)/nestor.efi l1 | deps
	./tools/nestor-run --emulator qemu --kernel $(L1_VMLINUX) --initrd $(RUN_INITRD) \
	  --append "$(RUN_APPEND)" $(RUN_NESTOR) $(RUN_ARGS) || test $$? -eq 33

# Side by side in one run: boot to /init under nestor vs QEMU alone, and nestor's exit rate.
bench: $(BUILD)/nestor.efi l1 | deps
	$(PYTHON) tools/bench-boot --runs $(or $(BENCH_RUNS),3)

# The same under Bochs (Intel VMX, corei7_ivy_bridge_3770k) on one vCPU: Bochs's second CPU
# halves the first one's speed even while idle. About 100 s.
bochs: $(BUILD)/nestor.efi l1 | deps
	./tools/nestor-run --emulator bochs --mem 512 --kernel $(L1_VMLINUX) \
	  --initrd $(L1_INITRAMFS) --append "$(L1_APPEND)" --timeout 600 $(RUN_ARGS) || test $$? -eq 33

# No #include runs up the layer order of mk/layers.txt (docs/architecture.md).
check-layers:
	@./tools/check-layers

clean:
	rm -rf $(BUILD)

help:
	@echo "make run      the default scenario under nestor in QEMU: L1 Linux runs KVM, which boots L2 Linux"
	@echo "              (RUN_SCENARIO=l1: L1 Linux alone)"
	@echo "make bench    boot time under nestor vs QEMU alone, exit rate"
	@echo "make bochs    the same under Bochs (VMX, 1 vCPU)"
	@echo "make check    install what is missing, build, run unit and integration tests"
	@echo "make unit     host unit tests only (cmocka)"
	@echo "make check-extra  the tests make check leaves out for time (marker extra, ~5 min)"
	@echo "make fuzz     every libFuzzer target FUZZ_S seconds (default 60), one table line each"
	@echo "make l1       the L1 payload: Debian's kernel, the initramfs with the KVM variants"
	@echo "make kvm-variants  KVM of L1's release from Debian's source, with/without each seed's fix"
