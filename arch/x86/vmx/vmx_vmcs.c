/* vmx_vmcs: building a vCPU's VMCS: controls, nestor's host state, the first guest state. */
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/hypercall.h"
#include "vm/vm.h"

#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080
#define MSR_FS_BASE 0xc0000100

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint16_t read_selector_ds(void)
{
	uint16_t s;
	__asm__ volatile("mov %%ds, %0" : "=r"(s));
	return s;
}

static uint16_t read_selector_fs(void)
{
	uint16_t s;
	__asm__ volatile("mov %%fs, %0" : "=r"(s));
	return s;
}

static uint16_t read_selector_gs(void)
{
	uint16_t s;
	__asm__ volatile("mov %%gs, %0" : "=r"(s));
	return s;
}

static uint64_t read_idt_base(void)
{
	struct desc_ptr idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	return idtr.base;
}

/*
 * Host state (SDM 26.2.2/26.2.3, loaded at every exit by 27.5): nestor's own GDT, TSS
 * and IDT on this CPU. OVMF under Bochs runs with TR = 0, which VM entry refuses for the
 * host (26.2.3), so the TSS nestor loads in percpu_load() is what makes entries possible.
 * HOST_RSP is written by vmx_enter() right before each entry.
 */
void vmx_vmcs_host_state(struct percpu *cpu)
{
	uint16_t data = read_selector_ds();
	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_CR4, read_cr4());
	vmcs_write(VMCS_HOST_CS_SEL, GDT_SEL_CODE64);
	vmcs_write(VMCS_HOST_SS_SEL, GDT_SEL_DATA);
	vmcs_write(VMCS_HOST_DS_SEL, data);
	vmcs_write(VMCS_HOST_ES_SEL, data);
	vmcs_write(VMCS_HOST_FS_SEL, read_selector_fs());
	vmcs_write(VMCS_HOST_GS_SEL, read_selector_gs());
	vmcs_write(VMCS_HOST_TR_SEL, GDT_SEL_TSS);
	vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmcs_write(VMCS_HOST_GS_BASE, (uint64_t)(uintptr_t)cpu);	/* percpu_this() */
	vmcs_write(VMCS_HOST_TR_BASE, (uint64_t)(uintptr_t)&cpu->tss);
	vmcs_write(VMCS_HOST_GDTR_BASE, (uint64_t)(uintptr_t)cpu->gdt);
	vmcs_write(VMCS_HOST_IDTR_BASE, read_idt_base());
	vmcs_write(VMCS_HOST_SYSENTER_CS, 0);
	vmcs_write(VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmcs_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_stub);
}

/* The execution, exit and entry controls (docs/vmx.md has the table with the reasons). */
static void vmx_vmcs_controls(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	const struct vmx_vm *xv = v->vm->arch;

	x->proc = vmx_cfg.proc;
	vmcs_write(VMCS_PIN_CONTROLS, vmx_cfg.pin);
	vmcs_write(VMCS_PROC_CONTROLS, x->proc);
	vmcs_write(VMCS_PROC2_CONTROLS, vmx_cfg.proc2);
	vmcs_write(VMCS_EXIT_CONTROLS, vmx_cfg.exit);
	vmcs_write(VMCS_ENTRY_CONTROLS, vmx_cfg.entry);
	/* #AC and #DB always: a guest could otherwise loop the CPU in their delivery (SDM
	 * Vol. 3A 6.15, vm/exit_exception.c). VMMCALL is #UD on Intel: intercepted when the
	 * personality answers it (hypercall.c). */
	vmcs_write(VMCS_EXCEPTION_BITMAP,
		   (1u << X86_VECTOR_AC) | (1u << X86_VECTOR_DB) |
		   (vm_hypercalls_need_ud_intercept(v->vm) ? 1u << X86_VECTOR_UD : 0));
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_CR0_MASK, vmx_cfg.cr0_mask);
	vmcs_write(VMCS_CR4_MASK, vmx_cfg.cr4_mask);
	vmcs_write(VMCS_IO_BITMAP_A, xv->io_bitmaps01_pa);
	vmcs_write(VMCS_IO_BITMAP_B, xv->io_bitmaps01_pa + 4096);
	vmcs_write(VMCS_MSR_BITMAP, xv->msr_bitmap_pa);
	vmcs_write(VMCS_TSC_OFFSET, 0);
	vmcs_write(VMCS_EPT_POINTER, xv->eptp);
	if (vmx_cfg.vpid)
		vmcs_write(VMCS_VPID, x->vpid);
	/* TPR shadow without APIC-access page or virtual-interrupt delivery (SDM 29.1). */
	vmcs_write(VMCS_VIRTUAL_APIC_PAGE, (uint64_t)(uintptr_t)x->vapic);
	vmcs_write(VMCS_TPR_THRESHOLD, 0);
	vmcs_write(VMCS_LINK_POINTER, ~0ull);	/* no shadow VMCS (26.3.1.5) */
}

/*
 * SDM 24.11.3: the VMCS is initialized by VMCLEAR (launch state "clear") and made
 * current by VMPTRLD (which checks the revision identifier in its first bytes), on the
 * CPU that runs it; it stays current there for the vCPU's whole life.
 */
bool vmx_vmcs_setup(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	enum vmx_status st;

	*(volatile uint32_t *)(uintptr_t)x->vmcs_pa = vmx_cfg.revision;
	st = vmclear(x->vmcs_pa);
	if (st == VMX_OK)
		st = vmptrld(x->vmcs_pa);
	if (st != VMX_OK) {
		vm_stop_vcpu(v, "VMCLEAR/VMPTRLD of the VMCS at %#llx failed (%s)",
			    (unsigned long long)x->vmcs_pa,
			    st == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid");
		return false;
	}
	vmx_vmcs_controls(v);
	vmx_vmcs_host_state(v->cpu);
	if (x->has_entry) {
		vmx_guest_set_entry(&x->entry);
		v->state = VCPU_RUNNABLE;
	} else {
		vmx_guest_set_sipi(0);
		v->state = VCPU_WAIT_FOR_SIPI;
	}
	x->launched = false;
	return true;
}

bool vmx_vcpu_init(struct vcpu *v, const struct guest_entry *entry)
{
	struct vmx_vcpu *x = (struct vmx_vcpu *)page_alloc(&nestor_pages, 1, 1);
	uint64_t vmcs = page_alloc(&nestor_pages, 1, 1);
	uint64_t vapic = page_alloc(&nestor_pages, 1, 1);
	if (!x || !vmcs || !vapic) {
		log_error("vmx: vcpu%u: out of pages", v->id);
		return false;
	}
	x->vmcs_pa = x->vmcs01_pa = vmcs;
	x->vapic = (uint8_t *)(uintptr_t)vapic;
	x->vpid = (uint16_t)(v->id + 1);	/* VPID 0 is the host's (SDM 26.2.1.1) */
	if (entry) {
		x->entry = *entry;
		x->has_entry = true;
		v->gprs = entry->gprs;
		v->state = VCPU_RUNNABLE;
	} else {
		v->state = VCPU_WAIT_FOR_SIPI;
	}
	v->arch = x;
	v->ops = &vmx_vcpu_ops;
	return vmx_nested_vcpu_init(v);
}
