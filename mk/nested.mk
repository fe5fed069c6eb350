# nested/: nested virtualization. nested/vmx/: vmcs12 and the VM-entry check catalogue (pure).
NVMX_PURE := nested/vmx/vmcs12.c nested/vmx/vmcs12_copy.c nested/vmx/nvmx_check_exec.c nested/vmx/nvmx_check_exit_entry.c \
	nested/vmx/nvmx_check_host.c nested/vmx/nvmx_check_guest_regs.c \
	nested/vmx/nvmx_check_guest_seg.c nested/vmx/nvmx_check_guest_state.c \
	nested/vmx/nvmx_check_msr.c nested/vmx/nvmx_check_table.c nested/vmx/nvmx_check_eval.c \
	nested/vmx/nvmx_check_format.c nested/vmx/nvmx_offer.c \
	nested/vmx/nvmx_operand.c nested/vmx/nvmx_insn.c nested/vmx/nvmx_insn_vmxon.c \
	nested/vmx/nvmx_insn_rw.c nested/vmx/nvmx_insn_inv.c nested/vmx/nvmx_exit_route.c \
	nested/vmx/nvmx_merge.c nested/vmx/nvmx_reflect.c nested/vmx/nvmx_ept.c
# Linked into nestor: the VMX backend's nested code runs on them (arch/x86/vmx/vmx_nested*.c).
NESTOR_C += $(NVMX_PURE)

# The valid vmcs12, one mutation per row and the fake L1 (shared with tests/fuzz and the
# differential kernel).
NVMX_CASES := tests/nvmx/nvmx_valid.c tests/nvmx/nvmx_mutations.c
NVMX_TEST_SRCS := $(NVMX_PURE) $(NVMX_CASES) tests/nvmx/nvmx_fixture.c lib/format.c

UNIT_TESTS += test_nvmx_checks test_nvmx_vmcs12 test_nvmx_offer test_nvmx_insn test_nvmx_exit
UNIT_SRCS_test_nvmx_checks := $(NVMX_TEST_SRCS)
UNIT_SRCS_test_nvmx_vmcs12 := $(NVMX_TEST_SRCS)
UNIT_SRCS_test_nvmx_offer := $(NVMX_TEST_SRCS)
UNIT_SRCS_test_nvmx_insn := $(NVMX_TEST_SRCS)
UNIT_SRCS_test_nvmx_exit := $(NVMX_TEST_SRCS)

# docs/nested-vmx-checks.md: its catalogue section is generated from the table.
#   make nvmx-doc        rewrite the section
#   make nvmx-doc-check  (in make check) fail when the committed doc differs
NVMX_DOC := docs/nested-vmx-checks.md
$(BUILD)/nvmx/gen_checks_doc: tests/nvmx/gen_checks_doc.c $(NVMX_PURE) lib/format.c | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^

.PHONY: nvmx-doc nvmx-doc-check
nvmx-doc: $(BUILD)/nvmx/gen_checks_doc
	$< $(NVMX_DOC) > $(BUILD)/nvmx/doc.md && cp $(BUILD)/nvmx/doc.md $(NVMX_DOC)

nvmx-doc-check: $(BUILD)/nvmx/gen_checks_doc
	@$< $(NVMX_DOC) > $(BUILD)/nvmx/doc.md
	@if cmp -s $(BUILD)/nvmx/doc.md $(NVMX_DOC); then echo "nvmx-doc-check: $(NVMX_DOC) matches the table"; \
	 else echo "nvmx-doc-check: $(NVMX_DOC) differs from the table (run make nvmx-doc):"; \
	 diff -u $(NVMX_DOC) $(BUILD)/nvmx/doc.md | head -40; exit 1; fi

CHECK_PREREQS += nvmx-doc-check

# tests/fuzz/nvmx: libFuzzer (clang) over VMREAD/VMWRITE and the check table.
#   make fuzz-nvmx FUZZ_S=N   run N seconds (default 300)
#   make fuzz-nvmx-check      a bounded 20 s run, part of make check
# The committed corpus is copied to build/, so a run never writes into the tree; a crash
# leaves its input in build/fuzz/nvmx/ (commit it to the corpus as a regression input).
NVMX_FUZZ_DIR := $(BUILD)/fuzz/nvmx
NVMX_FUZZ_SRCS := tests/fuzz/nvmx/fuzz_nvmx.c tests/fuzz/nvmx/fuzz_nested.c $(NVMX_PURE) $(NVMX_CASES) tests/nvmx/nvmx_fixture.c lib/format.c
$(NVMX_FUZZ_DIR)/fuzz_nvmx: $(NVMX_FUZZ_SRCS) $(wildcard nested/vmx/*.h tests/nvmx/*.h) | deps
	@mkdir -p $(@D)
	clang -std=gnu11 -O1 -g -I. -DNESTOR_HOST_TEST -Wall -Wextra -Werror \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $(NVMX_FUZZ_SRCS)

define nvmx_fuzz_run
	@rm -rf $(NVMX_FUZZ_DIR)/corpus && mkdir -p $(NVMX_FUZZ_DIR)/corpus && cp tests/fuzz/nvmx/corpus/* $(NVMX_FUZZ_DIR)/corpus/
	@cd $(NVMX_FUZZ_DIR) && { ./fuzz_nvmx -max_total_time=$(1) -max_len=512 -print_final_stats=1 \
	  corpus >run.log 2>&1; st=$$?; tail -8 run.log; \
	  if [ $$st -ne 0 ]; then echo "fuzz-nvmx: FAILED (status $$st), see $(NVMX_FUZZ_DIR)/run.log"; exit 1; fi; \
	  echo "fuzz-nvmx: $(1) s, no crash, properties held"; }
endef

.PHONY: fuzz-nvmx fuzz-nvmx-check
fuzz-nvmx: $(NVMX_FUZZ_DIR)/fuzz_nvmx
	$(call nvmx_fuzz_run,$(or $(FUZZ_S),300))

fuzz-nvmx-check: $(NVMX_FUZZ_DIR)/fuzz_nvmx
	$(call nvmx_fuzz_run,20)

CHECK_PREREQS += fuzz-nvmx-check

# ---- the differential kernel (tests/guests/nvmx_diff.c) ---------------------------------
# An L1 test kernel that VMLAUNCHes the valid vmcs12, every row's mutation and random
# multi-field cases, and prints each outcome beside the table's (the table compiled in).
NVMX_DIFF_OBJS := $(GUEST_OUT)/obj/tests/guests/nvmx_diff_entry.o $(GUEST_OUT)/obj/tests/guests/nvmx_l1.o \
	$(addprefix $(GUEST_OUT)/obj/,$(NVMX_PURE:.c=.o) $(NVMX_CASES:.c=.o) arch/x86/vmx/vmx_cap_read.o)
$(GUEST_OUT)/nvmx_diff.elf64: $(NVMX_DIFF_OBJS)

# The benchmark kernel: an L2 CPUID loop and the least a VMM does per exit (make bench-nested).
NVMX_BENCH_OBJS := $(GUEST_OUT)/obj/tests/guests/nvmx_bench_entry.o \
	$(GUEST_OUT)/obj/tests/guests/nvmx_l1.o \
	$(addprefix $(GUEST_OUT)/obj/,$(NVMX_PURE:.c=.o) $(NVMX_CASES:.c=.o) arch/x86/vmx/vmx_cap_read.o)
$(GUEST_OUT)/nvmx_bench.elf64: $(NVMX_BENCH_OBJS)

# The runtime kernel: L2 exits and what L1 sees of them, on Bochs alone and under nestor.
NVMX_RT_OBJS := $(GUEST_OUT)/obj/tests/guests/nvmx_rt_entry.o \
	$(GUEST_OUT)/obj/tests/guests/nvmx_l1.o \
	$(addprefix $(GUEST_OUT)/obj/,$(NVMX_PURE:.c=.o) $(NVMX_CASES:.c=.o) arch/x86/vmx/vmx_cap_read.o)
$(GUEST_OUT)/nvmx_rt.elf64: $(NVMX_RT_OBJS)
# test_nvmx_bochs.py (make check) boots it: build it with the other prerequisites.
CHECK_PREREQS += $(GUEST_OUT)/nvmx_rt.elf $(NVMX_GRUB)

# Bochs alone needs a loader for a multiboot kernel: GRUB's EFI image (Debian's
# grub-efi-amd64-bin) with the multiboot module, on the FAT boot volume.
NVMX_GRUB := $(BUILD)/nvmx/grubx64.efi
$(NVMX_GRUB): | deps
	@mkdir -p $(@D)
	printf 'search --no-floppy --file /nvmx.cfg --set=root\nconfigfile /nvmx.cfg\n' > $(@D)/grub-embed.cfg
	grub-mkstandalone -O x86_64-efi -o $@ --modules="multiboot part_msdos fat search search_fs_file configfile" \
	  --locales= --fonts= --themes= "boot/grub/grub.cfg=$(@D)/grub-embed.cfg"

# `make differential`: the kernel under Bochs alone (corei7_ivy_bridge_3770k); prints
# every case, cases run and agreement. NVMX_SEED / NVMX_RANDOM choose the random cases.
.PHONY: differential
differential: $(BUILD)/nestor.efi $(GUEST_OUT)/nvmx_diff.elf $(NVMX_GRUB) | deps
	$(PYTHON) tools/nvmx-diff --kernel $(GUEST_OUT)/nvmx_diff.elf --grub $(NVMX_GRUB) \
	  --seed $(or $(NVMX_SEED),1) --random $(or $(NVMX_RANDOM),64) $(NVMX_DIFF_ARGS)

# `make bench-nested`: the nested benchmark (tools/bench-nested): an L2 CPUID loop under the
# emulator alone vs nestor as L0, exits per L2 exit and where they come from. Both sides, one
# after the other (one emulator at a time): VMX on Bochs (minutes), then SVM on QEMU (about
# 20 s). BENCH_NESTED_VENDOR=vmx or =svm runs one; BENCH_NESTED_ARGS go to each.
BENCH_NESTED_VENDOR ?= vmx svm
BENCH_NESTED_KERNEL_vmx := $(GUEST_OUT)/nvmx_bench.elf
BENCH_NESTED_KERNEL_svm := $(GUEST_OUT)/svm_bench.elf
BENCH_NESTED_PREREQS_vmx := $(BENCH_NESTED_KERNEL_vmx) $(NVMX_GRUB)
BENCH_NESTED_PREREQS_svm := $(BENCH_NESTED_KERNEL_svm)
BENCH_NESTED_FLAGS_vmx := --grub $(NVMX_GRUB)
.PHONY: bench-nested
bench-nested: $(BUILD)/nestor.efi $(foreach v,$(BENCH_NESTED_VENDOR),$(BENCH_NESTED_PREREQS_$(v))) | deps
	@for v in $(BENCH_NESTED_VENDOR); do case $$v in vmx|svm) ;; \
	  *) echo "bench-nested: BENCH_NESTED_VENDOR takes vmx and/or svm, not $$v"; exit 1;; esac; done
	$(foreach v,$(BENCH_NESTED_VENDOR),$(PYTHON) tools/bench-nested --vendor $(v) \
	  --kernel $(BENCH_NESTED_KERNEL_$(v)) $(BENCH_NESTED_FLAGS_$(v)) $(BENCH_NESTED_ARGS) &&) true

# `make check-nvmx`: Debian's kvm_intel in L1 under nestor on Bochs (seed 000 with both
# personalities, its two fixes, the L2 payloads; tests/integration/test_nvmx_l1.py). About
# 16 minutes of single L1 boots one after the other (marked `hours`: it once took hours), not
# in make check; its bounded part there is test_nvmx_bochs.py and the differential.
.PHONY: check-nvmx
check-nvmx: $(BUILD)/nestor.efi l1 | deps
	$(PYTHON) -m pytest -v -m hours tests/integration/test_nvmx_l1.py $(PYTEST_ARGS)

# In make check: about 70 s of Bochs; fails on a disagreement the doc does not explain.
CHECK_PREREQS += differential
