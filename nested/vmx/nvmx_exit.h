/* nvmx_exit: an exit from L2: whether L1 wants it (SDM 25.1, 25.2), and reflecting it (27.2-27.5). */
#ifndef NESTOR_NESTED_VMX_NVMX_EXIT_H
#define NESTOR_NESTED_VMX_NVMX_EXIT_H

#include <stdbool.h>
#include <stdint.h>

#include "nested/vmx/nvmx_checks.h"

/* Basic exit reasons (SDM Vol. 3D Appendix C) the nested code names. */
enum {
	NVMX_EXIT_EXCEPTION_NMI = 0, NVMX_EXIT_EXTINT = 1, NVMX_EXIT_TRIPLE_FAULT = 2,
	NVMX_EXIT_INIT = 3, NVMX_EXIT_SIPI = 4, NVMX_EXIT_IRQ_WINDOW = 7,
	NVMX_EXIT_NMI_WINDOW = 8, NVMX_EXIT_TASK_SWITCH = 9, NVMX_EXIT_CPUID = 10,
	NVMX_EXIT_HLT = 12, NVMX_EXIT_INVLPG = 14, NVMX_EXIT_RDPMC = 15, NVMX_EXIT_RDTSC = 16,
	NVMX_EXIT_VMCALL = 18, NVMX_EXIT_VMCLEAR = 19, NVMX_EXIT_VMLAUNCH = 20,
	NVMX_EXIT_VMPTRLD = 21, NVMX_EXIT_VMPTRST = 22, NVMX_EXIT_VMREAD = 23,
	NVMX_EXIT_VMRESUME = 24, NVMX_EXIT_VMWRITE = 25, NVMX_EXIT_VMXOFF = 26,
	NVMX_EXIT_VMXON = 27, NVMX_EXIT_CR_ACCESS = 28, NVMX_EXIT_MOV_DR = 29,
	NVMX_EXIT_IO = 30, NVMX_EXIT_RDMSR = 31, NVMX_EXIT_WRMSR = 32,
	NVMX_EXIT_BAD_GUEST_STATE = 33, NVMX_EXIT_MSR_LOADING = 34, NVMX_EXIT_MWAIT = 36,
	NVMX_EXIT_MTF = 37, NVMX_EXIT_MONITOR = 39, NVMX_EXIT_PAUSE = 40,
	NVMX_EXIT_MACHINE_CHECK = 41, NVMX_EXIT_TPR_BELOW_THRESHOLD = 43,
	NVMX_EXIT_APIC_ACCESS = 44, NVMX_EXIT_GDTR_IDTR = 46, NVMX_EXIT_LDTR_TR = 47,
	NVMX_EXIT_EPT_VIOLATION = 48, NVMX_EXIT_EPT_MISCONFIG = 49, NVMX_EXIT_INVEPT = 50,
	NVMX_EXIT_RDTSCP = 51, NVMX_EXIT_PREEMPTION_TIMER = 52, NVMX_EXIT_INVVPID = 53,
	NVMX_EXIT_WBINVD = 54, NVMX_EXIT_XSETBV = 55, NVMX_EXIT_RDRAND = 57,
	NVMX_EXIT_INVPCID = 58, NVMX_EXIT_RDSEED = 61,
};

/* The exit-information fields of an exit (SDM 24.9, filled as 27.2 says). */
struct nvmx_exit {
	uint32_t reason;	/* full: basic reason in 15:0, bit 31 VM-entry failure */
	uint64_t qual;
	uint64_t guest_linear;
	uint64_t guest_phys;
	uint32_t intr_info, intr_error;
	uint32_t idt_info, idt_error;
	uint32_t insn_len, insn_info;
};

enum nvmx_route {
	NVMX_TO_L1,		/* L1 asked for it: reflect */
	NVMX_TO_L0,		/* nestor's (its own interrupts, windows, intercepts it adds) */
	NVMX_EPT_WALK,		/* an EPT exit with L1's EPT: decided by walking it (nvmx_ept.h) */
};

/*
 * Whether L1 wants the exit vmcs02 just took: the controls of vmcs12 (25.1.2
 * unconditional, 25.1.3 and 25.2 conditional), reading L1's I/O and MSR bitmaps through
 * env->read (a bitmap that is not L1 RAM reads as all ones: the exit is L1's). `gpr` are
 * L2's registers (MOV to CR's source, RDMSR/WRMSR's ECX).
 */
enum nvmx_route nvmx_exit_route(const struct vmcs12 *v, const struct nvmx_exit *e,
				const uint64_t *gpr, const struct nvmx_env *env);

/*
 * 27.2 and 27.3: the exit into vmcs12. The exit-information fields from `e`; L2's state
 * from `v02` (vmcs02's guest fields as the CPU saved them, RSP included) as vmcs12's
 * controls ask (DR7/DEBUGCTL, PAT, EFER only with their save controls; PDPTEs with EPT);
 * "IA-32e mode guest" takes EFER.LMA; the VM-entry interruption information becomes invalid.
 */
void nvmx_save_exit(struct vmcs12 *v12, const struct vmcs12 *v02, const struct nvmx_exit *e);

/*
 * 27.5: L1's state after the exit, from vmcs12's host-state area, as the guest-state
 * fields of vmcs01 in `l1` (CR0/CR3/CR4, DR7 400H, DEBUGCTL 0, SYSENTER, segments with the
 * fixed attributes, GDTR/IDTR with limit FFFFH, RIP, RSP, RFLAGS 2, EFER, PAT, IA-32e mode
 * in entry_controls, no blocking but NMI blocking after an NMI exit). `l2` is L2's state
 * at the exit: the CR0 bits, EFER and PAT a VM exit leaves alone come from there.
 * `caps` gives the bits fixed in VMX operation.
 */
void nvmx_host_state(const struct vmcs12 *v12, const struct vmcs12 *l2,
		     const struct nvmx_caps *caps, bool nmi_exit, struct vmcs12 *l1);

/* The effective secondary controls (0 without "activate secondary controls"). */
static inline uint32_t nvmx_proc2(const struct vmcs12 *v)
{
	return (v->proc_controls & PROC_SECONDARY) ? v->proc2_controls : 0;
}

#endif
