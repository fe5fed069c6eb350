/* nvmx_exit_route: which L2 exits L1 wants, from vmcs12's controls (SDM 25.1, 25.2). */
#include "nested/vmx/nvmx_exit.h"

#define X86_VECTOR_PF 14u
#define CR0_PE 1ull
#define CR0_TS (1ull << 3)
#define PROC2_RDRAND_EXITING (1u << 11)
#define PROC2_RDSEED_EXITING_BIT (1u << 16)
#define GPR_RCX 1

static bool bit_set(const struct nvmx_env *env, uint64_t page, unsigned bit)
{
	uint8_t byte;

	if (!env->read(env->ctx, page + bit / 8, &byte, 1))
		return true;	/* not RAM: all ones, the exit is L1's */
	return byte & (1u << (bit % 8));
}

/* 25.1.3: with I/O bitmaps, any port of the access set in bitmap A (0-7FFF) or B;
 * an access that wraps past FFFFH exits. Without them, unconditional I/O exiting. */
static bool io_wanted(const struct vmcs12 *v, uint64_t qual, const struct nvmx_env *env)
{
	unsigned port = (unsigned)(qual >> 16) & 0xffff, size = (unsigned)(qual & 7) + 1;

	if (!(v->proc_controls & PROC_IO_BITMAPS))
		return v->proc_controls & PROC_UNCOND_IO_EXITING;
	if (port + size > 0x10000)
		return true;
	for (unsigned p = port; p < port + size; p++)
		if (bit_set(env, p < 0x8000 ? v->io_bitmap_a : v->io_bitmap_b, p & 0x7fff))
			return true;
	return false;
}

/* 25.1.3 (24.6.9): read bitmaps for 0-1FFF and C0000000-C0001FFF at 0 and 1 KiB, write
 * bitmaps at 2 and 3 KiB; any other MSR exits, as does every one without MSR bitmaps. */
static bool msr_wanted(const struct vmcs12 *v, uint32_t msr, bool write,
		       const struct nvmx_env *env)
{
	unsigned base;

	if (!(v->proc_controls & PROC_MSR_BITMAPS))
		return true;
	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		base = 1024;
	else
		return true;
	return bit_set(env, v->msr_bitmap, (base + (write ? 2048 : 0)) * 8 + (msr & 0x1fff));
}

/* 25.1.3, control-register accesses: the guest/host masks and read shadows, the CR3-target
 * values, CR3/CR8 load and store exiting. */
static bool cr_wanted(const struct vmcs12 *v, uint64_t qual, const uint64_t *gpr)
{
	unsigned cr = qual & 15, type = (qual >> 4) & 3;
	uint64_t val = gpr[(qual >> 8) & 15], src = (qual >> 16) & 0xffff;

	switch (type) {
	case 0:	/* MOV to CR */
		if (cr == 0)
			return (val ^ v->cr0_shadow) & v->cr0_mask;
		if (cr == 4)
			return (val ^ v->cr4_shadow) & v->cr4_mask;
		if (cr == 8)
			return v->proc_controls & PROC_CR8_LOAD_EXITING;
		if (!(v->proc_controls & PROC_CR3_LOAD_EXITING))
			return false;
		{
			const uint64_t t[4] = { v->cr3_target0, v->cr3_target1, v->cr3_target2,
						v->cr3_target3 };
			for (unsigned i = 0; i < v->cr3_target_count && i < 4; i++)
				if (t[i] == val)
					return false;
		}
		return true;
	case 1:	/* MOV from CR */
		return cr == 3 ? (v->proc_controls & PROC_CR3_STORE_EXITING)
			       : (v->proc_controls & PROC_CR8_STORE_EXITING);
	case 2:	/* CLTS */
		return (v->cr0_mask & CR0_TS) && (v->cr0_shadow & CR0_TS);
	default:	/* LMSW: PE only set (never cleared), MP/EM/TS changed */
		return ((v->cr0_mask & CR0_PE) && !(v->cr0_shadow & CR0_PE) && (src & CR0_PE)) ||
		       (v->cr0_mask & 0xe & (v->cr0_shadow ^ src));
	}
}

/* 25.2: an exception exits when its bit is set; #PF by the error-code mask and match. */
static bool exception_wanted(const struct vmcs12 *v, const struct nvmx_exit *e)
{
	unsigned type = (e->intr_info >> 8) & 7, vector = e->intr_info & 0xff;
	bool bit = v->exception_bitmap & (1u << (vector & 31));

	if (type == 2)		/* a real NMI is nestor's; L1's come as synthesized exits */
		return false;
	if (vector == X86_VECTOR_PF)
		return bit == ((e->intr_error & v->pf_error_mask) == v->pf_error_match);
	return bit;
}

static enum nvmx_route l1_if(bool wanted)
{
	return wanted ? NVMX_TO_L1 : NVMX_TO_L0;
}

enum nvmx_route nvmx_exit_route(const struct vmcs12 *v, const struct nvmx_exit *e,
				const uint64_t *gpr, const struct nvmx_env *env)
{
	uint32_t proc = v->proc_controls, proc2 = nvmx_proc2(v);

	switch (e->reason & 0xffff) {
	case NVMX_EXIT_EXCEPTION_NMI: return l1_if(exception_wanted(v, e));
	case NVMX_EXIT_EXTINT:
	case NVMX_EXIT_INIT:
	case NVMX_EXIT_SIPI:
	case NVMX_EXIT_PREEMPTION_TIMER:
		return NVMX_TO_L0;	/* the physical CPU's events are nestor's */
	case NVMX_EXIT_IRQ_WINDOW: return l1_if(proc & PROC_IRQ_WINDOW_EXITING);
	case NVMX_EXIT_NMI_WINDOW: return l1_if(proc & PROC_NMI_WINDOW_EXITING);
	case NVMX_EXIT_HLT: return l1_if(proc & PROC_HLT_EXITING);
	case NVMX_EXIT_INVLPG: return l1_if(proc & PROC_INVLPG_EXITING);
	case NVMX_EXIT_RDPMC: return l1_if(proc & PROC_RDPMC_EXITING);
	case NVMX_EXIT_RDTSC:
	case NVMX_EXIT_RDTSCP: return l1_if(proc & PROC_RDTSC_EXITING);
	case NVMX_EXIT_CR_ACCESS: return l1_if(cr_wanted(v, e->qual, gpr));
	case NVMX_EXIT_MOV_DR: return l1_if(proc & PROC_MOV_DR_EXITING);
	case NVMX_EXIT_IO: return l1_if(io_wanted(v, e->qual, env));
	case NVMX_EXIT_RDMSR:
	case NVMX_EXIT_WRMSR:
		return l1_if(msr_wanted(v, (uint32_t)gpr[GPR_RCX],
					(e->reason & 0xffff) == NVMX_EXIT_WRMSR, env));
	case NVMX_EXIT_MWAIT: return l1_if(proc & PROC_MWAIT_EXITING);
	case NVMX_EXIT_MONITOR: return l1_if(proc & PROC_MONITOR_EXITING);
	case NVMX_EXIT_MTF: return l1_if(proc & PROC_MONITOR_TRAP_FLAG);
	case NVMX_EXIT_PAUSE:
		return l1_if((proc & PROC_PAUSE_EXITING) || (proc2 & PROC2_PAUSE_LOOP_EXITING));
	case NVMX_EXIT_TPR_BELOW_THRESHOLD: return l1_if(proc & PROC_TPR_SHADOW);
	case NVMX_EXIT_GDTR_IDTR:
	case NVMX_EXIT_LDTR_TR: return l1_if(proc2 & PROC2_DESC_TABLE_EXITING);
	case NVMX_EXIT_EPT_VIOLATION:
	case NVMX_EXIT_EPT_MISCONFIG:
		return (proc2 & PROC2_EPT) ? NVMX_EPT_WALK : NVMX_TO_L0;
	case NVMX_EXIT_WBINVD: return l1_if(proc2 & PROC2_WBINVD_EXITING);
	case NVMX_EXIT_RDRAND: return l1_if(proc2 & PROC2_RDRAND_EXITING);
	case NVMX_EXIT_RDSEED: return l1_if(proc2 & PROC2_RDSEED_EXITING_BIT);
	case NVMX_EXIT_INVPCID:
		return l1_if((proc & PROC_INVLPG_EXITING) && (proc2 & PROC2_INVPCID));
	default:
		/* Unconditional (25.1.2): triple fault, task switch, CPUID, GETSEC, INVD,
		 * VMCALL and the VMX instructions, XSETBV, ...; and whatever else vmcs02 took
		 * that nestor did not add: L1 configured it. */
		return NVMX_TO_L1;
	}
}
