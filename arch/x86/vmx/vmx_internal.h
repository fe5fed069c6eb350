/* vmx_internal: state and helpers shared by the VMX backend's files. */
#ifndef NESTOR_ARCH_X86_VMX_VMX_INTERNAL_H
#define NESTOR_ARCH_X86_VMX_VMX_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/guest_entry.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "vm/vcpu.h"

/* Computed by vmx_supported() on the boot CPU; every CPU of the machine is alike. */
extern struct vmx_config vmx_cfg;

/* Per physical CPU. */
struct vmx_cpu {
	uint64_t vmxon_pa;
};

/* Per VM: shared by all its vCPUs. */
struct vmx_vm {
	uint64_t eptp;
	uint64_t msr_bitmap_pa;		/* 4 KiB */
	uint64_t io_bitmap_a_pa;	/* ports 0000-7fff, every bit set */
	uint64_t io_bitmap_b_pa;	/* ports 8000-ffff */
};

/* Per vCPU. */
struct vmx_vcpu {
	uint64_t vmcs_pa;
	uint8_t *vapic;			/* virtual-APIC page: VTPR at offset 0x80 */
	bool has_entry;			/* boot vCPU: start from `entry` */
	struct guest_entry entry;
	bool launched;			/* VMRESUME from now on (SDM 26.1) */
	uint32_t proc;			/* primary controls as last written */
	/* The last interrupt injected, to requeue it if IDT-vectoring info says it was not
	 * delivered (SDM 27.2.4). */
	uint8_t last_source;		/* enum apic_source */
	/* VTPR as nestor wrote it at the last entry: a different value after the exit means
	 * the guest wrote CR8 (no exit with TPR shadow). */
	uint8_t entry_vtpr;
	uint16_t vpid;
};

static inline struct vmx_vcpu *vmx_of(struct vcpu *v)
{
	return (struct vmx_vcpu *)v->arch;
}

#define VAPIC_TPR 0x80

/* vmx_entry.asm */
enum vmx_status vmx_enter(struct x86_gprs *gprs, uint64_t launched);
void vmx_exit_stub(void);

/* vmx_vmcs.c: makes the vCPU's VMCS current on this CPU and fills it. */
bool vmx_vmcs_setup(struct vcpu *v);
/* vmx_guest_state.c */
void vmx_guest_set_entry(const struct guest_entry *e);
void vmx_guest_set_sipi(uint8_t vector);
/* vmx_exits.c: handles the exit; false when the vCPU must stop. */
bool vmx_handle_exit(struct vcpu *v, uint32_t reason);
/* vmx_exit_names.c */
const char *vmx_exit_name(uint32_t basic_reason);
const char *vmx_insn_error_name(uint32_t error);
/* vmx_emul.c: the guest state the decoder and emulator work on, RIP advance, injection. */
void vmx_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu);
bool vmx_guest_long_mode(void);
void vmx_complete_instruction(uint64_t next_rip);
void vmx_skip_instruction(struct vcpu *v);
void vmx_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
bool vmx_finish_emulation(struct vcpu *v, enum x86_emul_status st, const struct x86_emul_cpu *cpu,
			  const struct x86_emul_outcome *out);
/* vmx_mmio.c, vmx_xsetbv.c: exits with more to them than a few lines. */
bool vmx_exit_ept_violation(struct vcpu *v);
bool vmx_exit_string_io(struct vcpu *v, uint16_t port, unsigned size, bool in);
bool vmx_exit_xsetbv(struct vcpu *v);
/* vmx_cr.c: CR0/CR4 writes that hit the guest/host mask. */
bool vmx_exit_cr_access(struct vcpu *v);
/* vmx_msr.c: RDMSR (write false) or WRMSR. */
bool vmx_exit_msr(struct vcpu *v, bool write);
/* vmx_tpr.c: TPR shadow before entry and after exit, and the SDM 26.2.1.1 invariant. */
void vmx_tpr_before_entry(struct vcpu *v, uint8_t tpr, uint8_t threshold);
void vmx_tpr_after_exit(struct vcpu *v);
/* vmx_fail.c: VMfail and entry-failure exits, reported and ending the VM. */
void vmx_report_vmfail(struct vcpu *v, const char *insn, enum vmx_status st);
void vmx_report_entry_failure(struct vcpu *v, uint32_t reason);
void vmx_log_guest_state(const struct vcpu *v);

#endif
