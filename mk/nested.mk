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
