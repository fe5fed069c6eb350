/* svm_guest: what the svm_vmrun guest sets up to issue VMRUN as a hypervisor (L1) would. */
#ifndef GUEST_SVM_GUEST_H
#define GUEST_SVM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/svm/vmcb.h"
#include "layout.h"
#include "nested/svm/nsvm_sample.h"

struct svm_env {
	struct nsvm_features feat;	/* from the CPUID this guest sees */
	struct nsvm_range ranges[2];	/* its RAM, from the multiboot memory sizes */
	struct nsvm_ram ram;
	struct nsvm_sample sample;	/* where the sample VMCB's pieces are */
	struct nsvm_vmrun run;		/* this guest's real state at VMRUN */
};

extern struct vmcb svm_vmcb;

/* SVM present and enabled: EFER.SVME, VM_HSAVE_PA, NPT, maps, L2's IDT. False: *why says. */
bool svm_env_init(struct svm_env *e, char *why, unsigned why_size);

/* CPL 3: a GDT with user segments and a TSS, a DPL-3 gate back, user-accessible pages. */
void svm_ring3_init(void);
uint64_t svm_ring3_stack_top(void);

/* svm_asm.S */
void svm_vmrun_gif(uint64_t vmcb_pa);
void svm_vmrun_plain(uint64_t vmcb_pa);
void svm_vmrun_ring3(uint64_t vmcb_pa, uint64_t user_rsp);
extern const char l2_entry[], l2_vmmcall[], l2_event[];

/* An L2 IDT entry: a 64-bit interrupt gate (SDM Vol. 3A 6.14.1) into GDT_CODE64. The test
 * kernels run identity-mapped, so a handler's address is also its L2 address. */
struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

#define SVM_GATE_INTERRUPT 0x8e	/* present, DPL 0, 64-bit interrupt gate */

static inline struct idt_gate svm_idt_gate(uint64_t handler)
{
	return (struct idt_gate){ (uint16_t)handler, GDT_CODE64, 0, SVM_GATE_INTERRUPT,
				  (uint16_t)(handler >> 16), (uint32_t)(handler >> 32), 0 };
}

#endif
