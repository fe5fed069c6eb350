# vm/: the generic VM model the backends are given: struct vm / vcpu, the CPUID and MSR model,
# port, MMIO and the pre-entry sequence shared by VMX and SVM.

# The CPU model (personalities, CPUID rules, the MSR table and its handlers): no hardware
# access, so the host tests and tools/gen-personalities compile the same files.
VM_MODEL_PURE := vm/personality.c vm/cpuid_model.c vm/cpuid_fixup.c vm/cpuid_xsave.c \
	vm/msr_table.c vm/vcpu_msr.c vm/vcpu_msr_mtrr.c vm/vcpu_msr_misc.c vm/vcpu_cpuid.c \
	vm/hypercall.c vm/exit_tally.c

NESTOR_C += vm/vm.c vm/vm_io.c vm/vcpu_mmio.c vm/vcpu_port.c vm/vcpu_entry.c \
	vm/vcpu_cpuid_host.c vm/vm_cpu_model.c $(VM_MODEL_PURE) \
	vm/vcpu_run.c vm/vcpu_insn.c vm/vcpu_event.c vm/exit_io.c vm/exit_mmio.c \
	vm/exit_insn.c vm/exit_msr.c vm/exit_cr.c vm/exit_xsetbv.c \
	vm/exit_exception.c

UNIT_TESTS += test_vcpu_cpuid test_exit_tally
UNIT_SRCS_test_exit_tally := vm/exit_tally.c lib/format.c
UNIT_SRCS_test_vcpu_cpuid := vm/personality.c vm/cpuid_model.c vm/cpuid_fixup.c vm/cpuid_xsave.c

# The MSR model and the hypercalls over a real apic/ core and the decoder (for VMCALL at RIP).
VM_TEST_SRCS := $(VM_MODEL_PURE) $(APIC_PURE) $(DECODE_PURE) $(EMUL_PURE) $(WALK_PURE) \
	lib/guest_mem.c lib/format.c lib/log.c
UNIT_TESTS += test_vcpu_msr test_hypercall
UNIT_SRCS_test_vcpu_msr = $(VM_TEST_SRCS)
UNIT_SRCS_test_hypercall = $(VM_TEST_SRCS)
