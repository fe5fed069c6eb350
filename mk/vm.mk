# vm/: the generic VM model the backends are given: struct vm / vcpu, the CPUID and MSR model,
# port, MMIO and the pre-entry sequence shared by VMX and SVM.
NESTOR_C += vm/vm.c vm/vm_io.c vm/vcpu_cpuid.c vm/vcpu_msr.c vm/vcpu_mmio.c vm/vcpu_port.c \
	vm/vcpu_entry.c vm/vcpu_run.c vm/vcpu_insn.c vm/vcpu_event.c vm/exit_io.c vm/exit_mmio.c \
	vm/exit_insn.c vm/exit_msr.c vm/exit_cr.c vm/exit_xsetbv.c

UNIT_TESTS += test_vcpu_cpuid
UNIT_SRCS_test_vcpu_cpuid := vm/vcpu_cpuid.c
