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
#include "vm/vcpu_arch.h"

/* Computed by vmx_supported() on the boot CPU; every CPU of the machine is alike. */
extern struct vmx_config vmx_cfg;
extern struct vmx_cap_msrs vmx_host_msrs;	/* as vmx_supported() read them */

/* Per physical CPU. */
struct vmx_cpu {
	uint64_t vmxon_pa;
};

/* Per VM: shared by all its vCPUs. */
struct vmx_vm {
	uint64_t eptp;
	uint64_t msr_bitmap_pa;		/* 4 KiB */
	uint64_t io_bitmap_a_pa;	/* ports 0000-7fff, every bit set: vmcs02's (L2) */
	uint64_t io_bitmap_b_pa;	/* ports 8000-ffff */
	uint64_t io_bitmaps01_pa;	/* A and B of vmcs01: every port but those passed to L1 */
	struct vmx_nested_vm *nested;	/* VMX offered to L1 (vmx_nested.h), or NULL */
};

/* Per vCPU. */
struct vmx_vcpu {
	/* The VMCS of the level that runs: vmcs01 (L1's, nestor's own) today; with nested
	 * VMX, the vmcs02 nestor builds for L2 while v->guest_mode (vm/vcpu_nested.h). */
	uint64_t vmcs_pa;
	uint64_t vmcs01_pa;
	uint8_t *vapic;			/* virtual-APIC page: VTPR at offset 0x80 */
	bool has_entry;			/* boot vCPU: start from `entry` */
	struct guest_entry entry;
	bool launched;			/* VMRESUME from now on (SDM 26.1) */
	uint32_t proc;			/* primary controls as last written */
	uint32_t exit_reason;		/* of the last exit (SDM 27.2.1) */
	/* VTPR as nestor wrote it at the last entry: a different value after the exit means
	 * the guest wrote CR8 (no exit with TPR shadow). */
	uint8_t entry_vtpr;
	uint16_t vpid;
	struct vmx_nested *nested;	/* nested VMX for L1 (vmx_nested.h), NULL: not offered */
};

static inline struct vmx_vcpu *vmx_of(struct vcpu *v)
{
	return (struct vmx_vcpu *)v->arch;
}

static inline struct vmx_nested *vmx_nested_of(struct vcpu *v)
{
	return vmx_of(v)->nested;
}

#define VAPIC_TPR 0x80
/* Not an exit reason: vmcs02's VMLAUNCH/VMRESUME failed (the nested exit hook says so). */
#define VMX_EXIT_NESTED_VMFAIL 0xfffeu

/* vmx_entry.asm */
enum vmx_status vmx_enter(struct x86_gprs *gprs, uint64_t launched);
void vmx_exit_stub(void);

/* vmx_vmcs.c: makes the vCPU's VMCS current on this CPU and fills it. */
bool vmx_vmcs_setup(struct vcpu *v);
/* nestor's host state into the current VMCS (vmcs01 and vmcs02 alike). */
void vmx_vmcs_host_state(struct percpu *cpu);
/* vmx_guest_state.c */
void vmx_guest_set_entry(const struct guest_entry *e);
void vmx_guest_set_sipi(uint8_t vector);
/* vmx_exits.c: decodes the exit and hands it to the shared handlers; false: stop. */
bool vmx_handle_exit(struct vcpu *v, uint32_t reason);
/* #AC, #DB and INT1 exits (reason 0, interruption information `info`) given back to the
 * guest that runs, L1 or L2 (vm/exit_exception.c); *handled false for any other event. */
bool vmx_exit_ac_db(struct vcpu *v, uint32_t info, bool *handled);
/* vmx_exit_names.c */
const char *vmx_exit_name(uint32_t basic_reason);
const char *vmx_insn_error_name(uint32_t error);
/* vmx_run.c: the backend's accessors (vm/vcpu_arch.h). */
extern const struct vcpu_arch_ops vmx_vcpu_ops;
/* vmx_state.c: the guest state in the VMCS for the shared exit handlers. */
bool vmx_guest_long_mode(void);
uint64_t vmx_get_reg(struct vcpu *v, enum vcpu_reg r);
bool vmx_set_reg(struct vcpu *v, enum vcpu_reg r, uint64_t value);
void vmx_switched_msr(struct vcpu *v, uint32_t msr, uint64_t *value, bool write);
void vmx_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu);
unsigned vmx_cpl(struct vcpu *v);
bool vmx_long_mode_code(struct vcpu *v);
unsigned vmx_exit_insn_len(struct vcpu *v);
void vmx_clear_interrupt_shadow(struct vcpu *v);
void vmx_inject(struct vcpu *v, const struct vcpu_event *ev);
void vmx_undelivered_event(struct vcpu *v, struct vcpu_event *ev);
/* vmx_tpr.c: TPR shadow before entry and after exit, and the SDM 26.2.1.1 invariant. */
void vmx_tpr_before_entry(struct vcpu *v, uint8_t tpr, uint8_t threshold);
void vmx_tpr_after_exit(struct vcpu *v);
/* vmx_fail.c: VMfail and entry-failure exits, reported and ending the VM. */
void vmx_report_vmfail(struct vcpu *v, const char *insn, enum vmx_status st);
void vmx_report_entry_failure(struct vcpu *v, uint32_t reason);
void vmx_log_guest_state(const struct vcpu *v);
/* INVEPT / INVVPID whose failure is reported and stops the VM, like a failed VMREAD/VMWRITE. */
void vmx_invept_checked(uint64_t type, uint64_t eptp);
void vmx_invvpid_checked(uint64_t type, uint16_t vpid);

#endif
