# arch/x86/: CPU-level code (capabilities, descriptor tables, paging, exceptions).
NESTOR_C += arch/x86/caps.c arch/x86/caps_read.c

NESTOR_C += arch/x86/percpu.c arch/x86/idt.c arch/x86/trap.c arch/x86/paging.c \
	arch/x86/takeover.c arch/x86/backtrace.c arch/x86/smp.c arch/x86/pagetable.c \
	arch/x86/panic.c
NESTOR_ASM += arch/x86/entry.asm arch/x86/ap_trampoline.asm
UNIT_TESTS += test_caps
UNIT_SRCS_test_caps := arch/x86/caps.c lib/format.c lib/log.c
UNIT_TESTS += test_pagetable
UNIT_SRCS_test_pagetable := arch/x86/pagetable.c lib/page_alloc.c lib/format.c lib/log.c
NESTOR_C += arch/x86/svm/svm_cpu.c arch/x86/svm/svm_vm.c \
	arch/x86/svm/svm_vmcb.c arch/x86/svm/svm_exits.c arch/x86/svm/svm_exit_names.c \
	arch/x86/svm/svm_state.c arch/x86/svm/svm_run.c
# Nested SVM's runtime (docs/nested-svm.md); the pure parts are nested/ (mk/nsvm.mk).
NESTOR_C += arch/x86/svm/svm_nested_init.c arch/x86/svm/svm_nested_insn.c \
	arch/x86/svm/svm_nested_vmrun.c arch/x86/svm/svm_nested_vmexit.c \
	arch/x86/svm/svm_nested_exit.c arch/x86/svm/svm_npt_shadow.c \
	arch/x86/svm/svm_nested_report.c
NESTOR_ASM += arch/x86/svm/svm_entry.asm
