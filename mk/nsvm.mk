# mk/nsvm.mk: nested SVM's pure groundwork (nested/svm/): VMRUN's check table, the
# vmcb12 -> vmcb02 merge, exit reflection; its host tests, generated doc, fuzz target and
# the L1 test kernel that runs the same table on a CPU (docs/nested-svm-checks.md).
#
#   make nsvm-doc        regenerate docs/nested-svm-checks.md's tables from the table
#   make nsvm-doc-check  fail when the committed doc differs (in make check)
#   make fuzz-nsvm       libFuzzer run of FUZZ_S seconds (default 20; make check runs it
#                        once per build of the fuzz target)
#   make nsvm-objs       compile nested/svm/ freestanding, as nestor will
#   make svm-vmrun-check the L1 test kernel on bare QEMU (pytest; also in make integration)

# The checks, merge and reflection nestor will link, and the sample/mutations the tests,
# the fuzz target and the L1 kernel share (pure, so also compiled freestanding).
NSVM_PURE := nested/svm/nsvm_base.c nested/svm/nsvm_masks.c nested/svm/nsvm_fields.c \
	nested/svm/nsvm_check_run.c nested/svm/nsvm_check_table.c nested/svm/nsvm_check_vmrun.c \
	nested/svm/nsvm_check_control.c nested/svm/nsvm_check_save.c nested/svm/nsvm_check_npt.c \
	nested/svm/nsvm_check_nestor.c nested/svm/nsvm_merge.c nested/svm/nsvm_reflect.c \
	nested/svm/nsvm_exit_owner.c nested/svm/nsvm_permmap.c nested/svm/nsvm_npt.c \
	nested/nested_watch.c
NSVM_SAMPLE := nested/svm/nsvm_sample.c nested/svm/nsvm_mutations.c \
	nested/svm/nsvm_mutate_vmrun.c nested/svm/nsvm_mutate_control.c nested/svm/nsvm_mutate_save.c
NSVM_SRCS := $(NSVM_PURE) $(NSVM_SAMPLE)
# nestor links the runtime's pure half.
NESTOR_C += $(NSVM_PURE)

NSVM_UNIT_TESTS := test_nsvm_check test_nsvm_merge test_nsvm_exit test_nsvm_npt test_nested_watch
UNIT_TESTS += $(NSVM_UNIT_TESTS)
$(foreach t,$(NSVM_UNIT_TESTS),$(eval UNIT_SRCS_$(t) := $(NSVM_SRCS) lib/format.c))

.PHONY: nsvm-objs nsvm-doc nsvm-doc-check fuzz-nsvm svm-vmrun-check
nsvm-objs: $(NSVM_SRCS:%.c=$(BUILD)/obj/%.o)

# ---- docs/nested-svm-checks.md, generated from the table ---------------------------------
NSVM_DOC := docs/nested-svm-checks.md
NSVM_DOC_TOOL := $(BUILD)/nsvm/nsvm_checks_doc

$(NSVM_DOC_TOOL): tools/nsvm_checks_doc.c $(NSVM_SRCS) lib/format.c | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ tools/nsvm_checks_doc.c $(NSVM_SRCS) lib/format.c

nsvm-doc: $(NSVM_DOC_TOOL)
	$(NSVM_DOC_TOOL) $(NSVM_DOC) > $(BUILD)/nsvm/doc.md
	mv $(BUILD)/nsvm/doc.md $(NSVM_DOC)

nsvm-doc-check: $(NSVM_DOC_TOOL)
	@$(NSVM_DOC_TOOL) $(NSVM_DOC) > $(BUILD)/nsvm/doc.md
	@if cmp -s $(BUILD)/nsvm/doc.md $(NSVM_DOC); then echo "nsvm-doc-check: $(NSVM_DOC) matches the table"; \
	 else diff -u $(NSVM_DOC) $(BUILD)/nsvm/doc.md | head -40; \
	      echo "nsvm-doc-check: $(NSVM_DOC) differs from the check table: run make nsvm-doc"; exit 1; fi

-include $(BUILD)/nsvm/nsvm_checks_doc.d

# ---- libFuzzer (clang from Debian) ---------------------------------------------------------
FUZZ_CC ?= clang
FUZZ_S ?= 20
NSVM_FUZZ_DIR := $(BUILD)/fuzz/nsvm
NSVM_FUZZ := $(NSVM_FUZZ_DIR)/fuzz_nsvm

$(NSVM_FUZZ): tests/fuzz/nsvm/fuzz_nsvm.c $(NSVM_SRCS) lib/format.c | deps
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -Wall -Wextra -Werror -I. -DNESTOR_HOST_TEST \
	  -o $@ tests/fuzz/nsvm/fuzz_nsvm.c $(NSVM_SRCS) lib/format.c

# The corpus grows in build/ across runs; a crash leaves its input in $(NSVM_FUZZ_DIR).
define nsvm_fuzz_run
	@mkdir -p $(NSVM_FUZZ_DIR)/corpus
	@echo "fuzz-nsvm: $(FUZZ_S) s, corpus $(NSVM_FUZZ_DIR)/corpus"
	@cd $(NSVM_FUZZ_DIR) && ./fuzz_nsvm -max_total_time=$(FUZZ_S) -print_final_stats=1 \
	  -artifact_prefix=./ corpus > fuzz.log 2>&1; status=$$?; \
	  grep -E '^Done|^fuzz_nsvm:|average_exec_per_sec|new_units_added|ERROR|SUMMARY|property|breaks' fuzz.log; \
	  if [ $$status -ne 0 ]; then echo "fuzz-nsvm: FAILED (log: $(NSVM_FUZZ_DIR)/fuzz.log)"; exit 1; fi
endef

fuzz-nsvm: $(NSVM_FUZZ)
	$(nsvm_fuzz_run)

# make check fuzzes once per build of the target (a stamp, not a phony target: `check`
# makes CHECK_PREREQS twice, and a second 20 s would add nothing).
$(NSVM_FUZZ_DIR)/check.stamp: $(NSVM_FUZZ)
	$(nsvm_fuzz_run)
	@touch $@

CHECK_PREREQS += nsvm-objs nsvm-doc-check $(NSVM_FUZZ_DIR)/check.stamp

# ---- the L1 test kernel: VMRUN with every case of the table (tests/guests/svm_vmrun.c) ----
# Built by the guest rules of mk/guests.mk, with the table and its helpers linked in.
NSVM_GUEST := $(GUEST_OUT)/svm_vmrun.elf
NSVM_GUEST_OBJS := $(addprefix $(GUEST_OUT)/obj/,$(NSVM_SRCS:.c=.o) \
	tests/guests/svm/svm_setup.o tests/guests/svm/svm_ring3.o tests/guests/svm/svm_asm.o)
$(GUEST_OUT)/svm_vmrun.elf64: $(NSVM_GUEST_OBJS)

# The benchmark kernel: an L2 CPUID loop and the least an SVM hypervisor does per exit
# (tests/guests/svm_bench.c, make bench-nested): the sample VMCB and the shared set-up.
NSVM_BENCH := $(GUEST_OUT)/svm_bench.elf
NSVM_BENCH_OBJS := $(addprefix $(GUEST_OUT)/obj/,nested/svm/nsvm_sample.o nested/svm/nsvm_base.o \
	tests/guests/svm_bench_entry.o tests/guests/svm/svm_setup.o tests/guests/svm/svm_asm.o)
$(GUEST_OUT)/svm_bench.elf64: $(NSVM_BENCH_OBJS)

# L2's own #DB with L1 not intercepting it, then intercepting it (tests/guests/svm_l2db.c).
NSVM_L2DB := $(GUEST_OUT)/svm_l2db.elf
NSVM_L2DB_OBJS := $(addprefix $(GUEST_OUT)/obj/,nested/svm/nsvm_sample.o nested/svm/nsvm_base.o \
	tests/guests/svm_l2db_entry.o tests/guests/svm/svm_setup.o tests/guests/svm/svm_asm.o)
$(GUEST_OUT)/svm_l2db.elf64: $(NSVM_L2DB_OBJS)

guests: $(NSVM_GUEST) $(NSVM_BENCH) $(NSVM_L2DB)
CHECK_PREREQS += $(NSVM_GUEST) $(NSVM_BENCH) $(NSVM_L2DB)
-include $(GUEST_OUT)/obj/nested/svm/*.d $(GUEST_OUT)/obj/tests/guests/svm/*.d

svm-vmrun-check: $(NSVM_GUEST) $(NSVM_DOC_TOOL) | deps
	$(PYTHON) -m pytest tests/integration/test_svm_vmrun_reference.py $(PYTEST_ARGS)
