# nested/: nested virtualization. nested/vmx/: vmcs12 and the VM-entry check catalogue (pure).
NVMX_PURE := nested/vmx/vmcs12.c nested/vmx/nvmx_check_exec.c nested/vmx/nvmx_check_exit_entry.c \
	nested/vmx/nvmx_check_host.c nested/vmx/nvmx_check_guest_regs.c \
	nested/vmx/nvmx_check_guest_seg.c nested/vmx/nvmx_check_guest_state.c \
	nested/vmx/nvmx_check_msr.c nested/vmx/nvmx_check_table.c nested/vmx/nvmx_check_eval.c \
	nested/vmx/nvmx_check_format.c
# The valid vmcs12, one mutation per row and the fake L1 (shared with tests/fuzz and the
# differential kernel).
NVMX_CASES := tests/nvmx/nvmx_valid.c tests/nvmx/nvmx_mutations.c
NVMX_TEST_SRCS := $(NVMX_PURE) $(NVMX_CASES) tests/nvmx/nvmx_fixture.c core/format.c

UNIT_TESTS += test_nvmx_checks test_nvmx_vmcs12
UNIT_SRCS_test_nvmx_checks := $(NVMX_TEST_SRCS)
UNIT_SRCS_test_nvmx_vmcs12 := $(NVMX_TEST_SRCS)

# docs/nested-vmx-checks.md: its catalogue section is generated from the table.
#   make nvmx-doc        rewrite the section
#   make nvmx-doc-check  (in make check) fail when the committed doc differs
NVMX_DOC := docs/nested-vmx-checks.md
$(BUILD)/nvmx/gen_checks_doc: tests/nvmx/gen_checks_doc.c $(NVMX_PURE) core/format.c | deps
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
