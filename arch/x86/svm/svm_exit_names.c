/* svm_exit_names: names of SVM exit codes for logs and reports (APM Vol. 2, Appendix C). */
#include "arch/x86/svm/svm_internal.h"

const char *svm_exit_name(uint64_t code)
{
	if (code < 0x10)
		return "CR read";
	if (code < 0x20)
		return code == SVM_EXIT_WRITE_CR8 ? "CR8 write" : "CR write";
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32)
		return "exception";
	switch (code) {
	case SVM_EXIT_INTR: return "INTR";
	case SVM_EXIT_NMI: return "NMI";
	case SVM_EXIT_SMI: return "SMI";
	case SVM_EXIT_INIT: return "INIT";
	case SVM_EXIT_VINTR: return "VINTR";
	case SVM_EXIT_IRET: return "IRET";
	case SVM_EXIT_CPUID: return "CPUID";
	case SVM_EXIT_INVD: return "INVD";
	case SVM_EXIT_PAUSE: return "PAUSE";
	case SVM_EXIT_HLT: return "HLT";
	case SVM_EXIT_INVLPGA: return "INVLPGA";
	case SVM_EXIT_IOIO: return "IOIO";
	case SVM_EXIT_MSR: return "MSR";
	case SVM_EXIT_TASK_SWITCH: return "task switch";
	case SVM_EXIT_SHUTDOWN: return "SHUTDOWN";
	case SVM_EXIT_VMRUN: return "VMRUN";
	case SVM_EXIT_VMMCALL: return "VMMCALL";
	case SVM_EXIT_VMLOAD: return "VMLOAD";
	case SVM_EXIT_VMSAVE: return "VMSAVE";
	case SVM_EXIT_STGI: return "STGI";
	case SVM_EXIT_CLGI: return "CLGI";
	case SVM_EXIT_SKINIT: return "SKINIT";
	case SVM_EXIT_XSETBV: return "XSETBV";
	case SVM_EXIT_NPF: return "NPF";
	case SVM_EXIT_INVALID: return "INVALID (VMRUN consistency check failed)";
	default: return "unknown";
	}
}
