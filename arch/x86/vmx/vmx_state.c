/* vmx_state: the guest state in the VMCS as the shared exit handlers see it (vm/vcpu_arch.h). */
#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vcpu_arch.h"
#include "vm/vm.h"

bool vmx_guest_long_mode(void)
{
	return vmcs_read(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_GUEST;
}

/* CR2 and DR6 are not in the VMCS (SDM 24.4.1): the guest's live in the registers, which
 * nestor's own code never changes (no #PF and no debug exceptions in VMX root here). */
static void write_cr2(uint64_t value)
{
	__asm__ volatile("mov %0, %%cr2" ::"r"(value) : "memory");
}

static uint64_t read_dr6(void)
{
	uint64_t v;
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static void write_dr6(uint64_t value)
{
	__asm__ volatile("mov %0, %%dr6" ::"r"(value) : "memory");
}

/* A control register as the guest reads it: the shadow for the bits nestor owns (the
 * guest/host mask), the register for the others (SDM 25.3, MOV from CR0/CR4). */
static uint64_t guest_view(enum vmcs_field reg, enum vmcs_field shadow, uint64_t mask)
{
	return (vmcs_read(reg) & ~mask) | (vmcs_read(shadow) & mask);
}

uint64_t vmx_get_reg(struct vcpu *v, enum vcpu_reg r)
{
	(void)v;
	switch (r) {
	case VCPU_RIP: return vmcs_read(VMCS_GUEST_RIP);
	case VCPU_RFLAGS: return vmcs_read(VMCS_GUEST_RFLAGS);
	case VCPU_CR0: return guest_view(VMCS_GUEST_CR0, VMCS_CR0_SHADOW, vmx_cfg.cr0_mask);
	case VCPU_CR2: return read_cr2();
	case VCPU_CR3: return vmcs_read(VMCS_GUEST_CR3);
	case VCPU_CR4: return guest_view(VMCS_GUEST_CR4, VMCS_CR4_SHADOW, vmx_cfg.cr4_mask);
	case VCPU_EFER: return vmcs_read(VMCS_GUEST_EFER);
	case VCPU_PAT: return vmcs_read(VMCS_GUEST_PAT);
	case VCPU_DR6: return read_dr6();
	case VCPU_DR7: return vmcs_read(VMCS_GUEST_DR7);
	case VCPU_TSC_OFFSET: return vmcs_read(VMCS_TSC_OFFSET);
	default: return 0;
	}
}

/*
 * An emulated CR write changes translations the way the real instruction would; with
 * VPID the guest's cached translations survive VM exits, so they are dropped here
 * (SDM 28.3.3). Without VPID every entry and exit already flushes them.
 */
static void vmx_flush_guest_tlb(struct vcpu *v)
{
	if (!vmx_cfg.vpid)
		return;
	if (vmx_cfg.invvpid_single)
		vmx_invvpid_checked(INVVPID_SINGLE_CONTEXT, vmx_of(v)->vpid);
	else
		vmx_invvpid_checked(INVVPID_ALL_CONTEXTS, 0);
}

/*
 * PAE paging with EPT takes the four PDPTEs from the VMCS at entry (SDM 26.3.2.4), not
 * from memory, so an emulated write that turns PAE paging on or changes it loads them
 * here, as MOV to CR does (SDM Vol. 3A 4.4.1). A table outside guest RAM reads as zeros
 * (not present): the guest then faults on its first access instead of nestor crashing.
 */
static void vmx_load_pdptes(struct vcpu *v)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
	uint64_t pdpte[4] = { 0, 0, 0, 0 };
	if (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE) || vmx_guest_long_mode())
		return;
	guest_mem_read(&v->vm->mem, vmcs_read(VMCS_GUEST_CR3) & 0xffffffe0ull, pdpte,
		       sizeof(pdpte));
	for (unsigned i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

/*
 * FS/GS base and SYSENTER are the VMCS's guest-state fields (SDM 24.4.1, loaded at entry
 * and saved at exit); KERNEL_GS_BASE, the SYSCALL MSRs and TSC_AUX are not switched at all
 * and stay the guest's in the registers (docs/vmx.md).
 */
static uint32_t vmx_switched_field(uint32_t msr)
{
	switch (msr) {
	case 0x174: return VMCS_GUEST_SYSENTER_CS;
	case 0x175: return VMCS_GUEST_SYSENTER_ESP;
	case 0x176: return VMCS_GUEST_SYSENTER_EIP;
	case 0xc0000100: return VMCS_GUEST_FS_BASE;
	case 0xc0000101: return VMCS_GUEST_GS_BASE;
	default: return 0;
	}
}

void vmx_switched_msr(struct vcpu *v, uint32_t msr, uint64_t *value, bool write)
{
	uint32_t field = vmx_switched_field(msr);
	(void)v;
	if (field && write)
		vmcs_write(field, *value);
	else if (field)
		*value = vmcs_read(field);
	else if (write)
		wrmsr(msr, *value);
	else
		*value = rdmsr(msr);
}

/*
 * CR0/CR4: the guest's value goes into the read shadow and, with VMX's fixed-1 bits
 * added, into the register (SDM 26.3.1.1); a value the CPU cannot hold in VMX operation
 * (a fixed-0 bit) is refused. EFER: the "IA-32e mode guest" entry control must equal
 * EFER.LMA (26.3.1.1), so it follows.
 */
bool vmx_set_reg(struct vcpu *v, enum vcpu_reg r, uint64_t value)
{
	switch (r) {
	case VCPU_RIP: vmcs_write(VMCS_GUEST_RIP, value); return true;
	case VCPU_RFLAGS: vmcs_write(VMCS_GUEST_RFLAGS, value); return true;
	case VCPU_CR2: write_cr2(value); return true;
	case VCPU_DR6: write_dr6(value); return true;
	case VCPU_DR7: vmcs_write(VMCS_GUEST_DR7, value); return true;
	case VCPU_PAT: vmcs_write(VMCS_GUEST_PAT, value); return true;
	case VCPU_TSC_OFFSET: vmcs_write(VMCS_TSC_OFFSET, value); return true;
	case VCPU_CR3: vmcs_write(VMCS_GUEST_CR3, value); break;
	case VCPU_CR0:
		if ((value | vmx_cfg.guest_cr0_set) & ~vmx_cfg.cr0_fixed1)
			return false;
		vmcs_write(VMCS_CR0_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR0, value | vmx_cfg.guest_cr0_set);
		break;
	case VCPU_CR4:
		/* CR4.VMXE is L1's own when VMX is offered (the CPU's stays set). */
		if (value & vmx_cfg.cr4_forbidden & ~(vmx_of(v)->nested ? X86_CR4_VMXE : 0))
			return false;
		vmcs_write(VMCS_CR4_SHADOW, value);
		vmcs_write(VMCS_GUEST_CR4, value | vmx_cfg.guest_cr4_set);
		break;
	case VCPU_EFER: {
		uint64_t entry = vmcs_read(VMCS_ENTRY_CONTROLS) & ~ENTRY_IA32E_GUEST;
		vmcs_write(VMCS_GUEST_EFER, value);
		vmcs_write(VMCS_ENTRY_CONTROLS, entry | ((value & X86_EFER_LMA) ? ENTRY_IA32E_GUEST : 0));
		break;
	}
	default:
		return false;
	}
	vmx_load_pdptes(v);
	vmx_flush_guest_tlb(v);
	return true;
}

/*
 * The CPU's own view (not the read shadows): CR0/CR4 as they drive paging, EFER from the
 * VMCS (saved on every exit), and CPL = SS.DPL (SDM Vol. 3A 5.5). On exit the "IA-32e mode
 * guest" entry control holds EFER.LMA (IA32_VMX_MISC[5], SDM A.6).
 */
void vmx_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu)
{
	uint32_t cs_ar = (uint32_t)vmcs_read(VMCS_GUEST_CS_AR);
	cpu->gprs = &v->gprs;
	cpu->rip = vmcs_read(VMCS_GUEST_RIP);
	cpu->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	cpu->mode = x86_mode_from_cs(vmx_guest_long_mode(), cs_ar & AR_L, cs_ar & AR_DB);
	cpu->cpl = vmx_cpl(v);
	cpu->seg_base[X86_SEG_ES] = vmcs_read(VMCS_GUEST_ES_BASE);
	cpu->seg_base[X86_SEG_CS] = vmcs_read(VMCS_GUEST_CS_BASE);
	cpu->seg_base[X86_SEG_SS] = vmcs_read(VMCS_GUEST_SS_BASE);
	cpu->seg_base[X86_SEG_DS] = vmcs_read(VMCS_GUEST_DS_BASE);
	cpu->seg_base[X86_SEG_FS] = vmcs_read(VMCS_GUEST_FS_BASE);
	cpu->seg_base[X86_SEG_GS] = vmcs_read(VMCS_GUEST_GS_BASE);
	cpu->mem = &v->vm->mem;
	cpu->paging = (struct guest_paging){ vmcs_read(VMCS_GUEST_CR0), vmcs_read(VMCS_GUEST_CR3),
					     vmcs_read(VMCS_GUEST_CR4),
					     vmcs_read(VMCS_GUEST_EFER), 0 };
}

unsigned vmx_cpl(struct vcpu *v)
{
	(void)v;
	return ((uint32_t)vmcs_read(VMCS_GUEST_SS_AR) >> AR_DPL_SHIFT) & 3;
}

bool vmx_long_mode_code(struct vcpu *v)
{
	(void)v;
	return vmx_guest_long_mode() && (vmcs_read(VMCS_GUEST_CS_AR) & AR_L);
}

/* Valid for every instruction-caused exit nestor completes (SDM 27.2.5). */
unsigned vmx_exit_insn_len(struct vcpu *v)
{
	(void)v;
	return (unsigned)vmcs_read(VMCS_EXIT_INSTRUCTION_LEN);
}

void vmx_clear_interrupt_shadow(struct vcpu *v)
{
	(void)v;
	uint32_t intr = (uint32_t)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   intr & ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/*
 * VM-entry event injection (SDM 26.5.1): the type numbers are vcpu_event's. In real mode
 * no error code is pushed, and 26.2.1.3 refuses one there; software events need their
 * instruction length (26.2.1.3).
 */
void vmx_inject(struct vcpu *v, const struct vcpu_event *ev)
{
	(void)v;
	uint32_t info = ev->vector | ((uint32_t)ev->type << 8) | INTR_INFO_VALID;
	if (ev->has_error && (vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_ERROR_VALID;
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, ev->error);
	}
	if (ev->type >= VCPU_EVENT_SOFT_INT)
		vmcs_write(VMCS_ENTRY_INSTRUCTION_LEN, ev->insn_len);
	vmcs_write(VMCS_ENTRY_INTR_INFO, info);
}

/*
 * IDT-vectoring information (SDM 27.2.4) in the same format. An NMI that never reached
 * the guest does not block NMIs yet (26.3.1.5 would refuse to inject it again while the
 * VMCS claims it does).
 */
void vmx_undelivered_event(struct vcpu *v, struct vcpu_event *ev)
{
	(void)v;
	uint32_t info = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	*ev = (struct vcpu_event){ 0 };
	if (!(info & INTR_INFO_VALID))
		return;
	ev->valid = true;
	ev->vector = (uint8_t)(info & INTR_INFO_VECTOR_MASK);
	ev->type = (uint8_t)((info & INTR_INFO_TYPE_MASK) >> 8);
	ev->has_error = info & INTR_INFO_ERROR_VALID;
	if (ev->has_error)
		ev->error = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERROR);
	ev->insn_len = (uint8_t)vmcs_read(VMCS_EXIT_INSTRUCTION_LEN);
	if (ev->type == VCPU_EVENT_NMI)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & ~INTERRUPTIBILITY_NMI);
}
