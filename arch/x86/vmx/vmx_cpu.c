/* vmx_cpu: turning VMX on for one physical CPU, and deciding once whether it can run nestor. */
#include "arch/x86/caps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/page_alloc.h"

#define MSR_FEATURE_CONTROL 0x3a
#define FEATURE_CONTROL_LOCK (1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)
#define CPUID1_ECX_XSAVE (1u << 26)

struct vmx_config vmx_cfg;

void vmx_cap_msrs_read(struct vmx_cap_msrs *m)
{
	m->basic = rdmsr(0x480);
	m->pin = rdmsr(0x481);
	m->proc = rdmsr(0x482);
	m->exit = rdmsr(0x483);
	m->entry = rdmsr(0x484);
	m->misc = rdmsr(0x485);
	m->cr0_fixed0 = rdmsr(0x486);
	m->cr0_fixed1 = rdmsr(0x487);
	m->cr4_fixed0 = rdmsr(0x488);
	m->cr4_fixed1 = rdmsr(0x489);
	/* SDM A.3.3 and A.10: these two exist only when the controls that need them may be 1. */
	m->proc2 = (m->proc >> 32) & (1u << 31) ? rdmsr(0x48b) : 0;
	m->ept_vpid = (m->proc2 >> 32) & ((1u << 1) | (1u << 5)) ? rdmsr(0x48c) : 0;
	if (m->basic & (1ull << 55)) {
		m->true_pin = rdmsr(0x48d);
		m->true_proc = rdmsr(0x48e);
		m->true_exit = rdmsr(0x48f);
		m->true_entry = rdmsr(0x490);
	}
}

bool vmx_supported(const struct cpu_caps *caps, char *why, size_t len)
{
	struct vmx_cap_msrs m;
	if (!caps->vmx.present) {
		fmt_snprintf(why, len, "no VMX (CPUID.1:ECX[5] clear)");
		return false;
	}
	if (caps->vmx.locked_off) {
		fmt_snprintf(why, len, "VMX disabled by firmware: IA32_FEATURE_CONTROL is locked "
			     "with 'enable VMX outside SMX' clear");
		return false;
	}
	vmx_cap_msrs_read(&m);
	log_info("vmx: capability MSRs: pin %#llx/%#llx proc %#llx/%#llx exit %#llx/%#llx entry "
		 "%#llx/%#llx (plain/TRUE) misc %#llx", (unsigned long long)m.pin,
		 (unsigned long long)m.true_pin, (unsigned long long)m.proc,
		 (unsigned long long)m.true_proc, (unsigned long long)m.exit,
		 (unsigned long long)m.true_exit, (unsigned long long)m.entry,
		 (unsigned long long)m.true_entry, (unsigned long long)m.misc);
	if (!vmx_config_compute(&m, &vmx_cfg, why, len))
		return false;
	log_info("vmx: controls pin %#x proc %#x proc2 %#x exit %#x entry %#x, VPID %s",
		 vmx_cfg.pin, vmx_cfg.proc, vmx_cfg.proc2, vmx_cfg.exit, vmx_cfg.entry,
		 vmx_cfg.vpid ? "on" : "off");
	log_info("vmx: CR0 fixed %#llx/%#llx, CR4 fixed %#llx/%#llx; guest masks CR0 %#llx "
		 "CR4 %#llx", (unsigned long long)vmx_cfg.cr0_fixed0,
		 (unsigned long long)vmx_cfg.cr0_fixed1, (unsigned long long)vmx_cfg.cr4_fixed0,
		 (unsigned long long)vmx_cfg.cr4_fixed1, (unsigned long long)vmx_cfg.cr0_mask,
		 (unsigned long long)vmx_cfg.cr4_mask);
	return true;
}

/*
 * SDM Vol. 3C 23.7: VMXON is #GP unless IA32_FEATURE_CONTROL is locked with "enable VMX
 * outside SMX" set. Firmware usually locks it; OVMF under Bochs leaves it 0, so nestor
 * sets and locks it (0x5) itself. Locked with the bit clear, VMX stays off until reset.
 */
static bool vmx_feature_control(unsigned cpu)
{
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
		return true;
	}
	if (fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)
		return true;
	log_error("vmx: cpu %u: IA32_FEATURE_CONTROL %#llx is locked with VMX off", cpu,
		  (unsigned long long)fc);
	return false;
}

/*
 * SDM 23.8 and A.7/A.8: in VMX operation CR0 and CR4 must hold the fixed bits. CR4.OSXSAVE
 * is set too when the CPU has XSAVE: XSETBV always exits (SDM 25.1.2) and nestor executes
 * the guest's XSETBV itself, which needs it; nestor's own code never uses extended state.
 */
static void vmx_fix_control_registers(void)
{
	uint64_t cr0 = (read_cr0() | vmx_cfg.cr0_fixed0) & vmx_cfg.cr0_fixed1;
	uint64_t cr4 = read_cr4() | vmx_cfg.cr4_fixed0 | X86_CR4_VMXE;
	if (cpuid(1, 0).ecx & CPUID1_ECX_XSAVE)
		cr4 |= X86_CR4_OSXSAVE;
	write_cr0(cr0);
	write_cr4(cr4 & vmx_cfg.cr4_fixed1);
}

bool vmx_cpu_enable(struct percpu *cpu)
{
	struct vmx_cpu *x = (struct vmx_cpu *)page_alloc(&nestor_pages, 1, 1);
	uint64_t region = page_alloc(&nestor_pages, 1, 1);
	if (!x || !region) {
		log_error("vmx: cpu %u: out of pages", cpu->index);
		return false;
	}
	if (!vmx_feature_control(cpu->index))
		return false;
	vmx_fix_control_registers();
	/* SDM 24.11.5: the VMXON region starts with the VMCS revision identifier. */
	*(volatile uint32_t *)region = vmx_cfg.revision;
	enum vmx_status st = vmxon(region);
	if (st != VMX_OK) {
		log_error("vmx: cpu %u: VMXON failed (%s)", cpu->index,
			  st == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid");
		return false;
	}
	x->vmxon_pa = region;
	cpu->virt = x;
	return true;
}
