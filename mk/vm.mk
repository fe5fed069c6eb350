# vm/: the generic VM model the backends are given: struct vm / vcpu, the CPUID and MSR model,
# port, MMIO and the pre-entry sequence shared by VMX and SVM.
NESTOR_C += vm/vm.c vm/vm_io.c vm/vcpu_cpuid.c vm/vcpu_msr.c vm/vcpu_mmio.c vm/vcpu_port.c \
	vm/vcpu_entry.c

UNIT_TESTS += test_vcpu_cpuid
UNIT_SRCS_test_vcpu_cpuid := vm/vcpu_cpuid.c
