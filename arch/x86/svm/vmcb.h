/* vmcb: the AMD virtual machine control block (APM Vol. 2, Appendix B). */
#ifndef NESTOR_ARCH_X86_SVM_VMCB_H
#define NESTOR_ARCH_X86_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

/* Segment register image in the save area (APM Vol. 2, B.2): attrib packs descriptor
 * bits 40-47 (type, S, DPL, P) into 7:0 and bits 52-55 (AVL, L, D/B, G) into 11:8. */
struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmcb_control {
	uint32_t intercept_cr;		/* 0x000: reads 15:0, writes 31:16 */
	uint32_t intercept_dr;		/* 0x004 */
	uint32_t intercept_exceptions;	/* 0x008 */
	uint32_t intercept_misc1;	/* 0x00c: INTR, NMI, ..., SHUTDOWN */
	uint32_t intercept_misc2;	/* 0x010: VMRUN, VMMCALL, ... */
	uint32_t intercept_misc3;	/* 0x014 */
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_threshold;	/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t asid;			/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t reserved_05d[3];
	uint64_t vintr;			/* 0x060: V_TPR, V_IRQ, V_INTR_PRIO, V_INTR_MASKING, ... */
	uint64_t interrupt_shadow;	/* 0x068: bit 0 */
	uint64_t exit_code;		/* 0x070 */
	uint64_t exit_info1;		/* 0x078 */
	uint64_t exit_info2;		/* 0x080 */
	uint64_t exit_int_info;		/* 0x088 */
	uint64_t np_control;		/* 0x090: bit 0 NP_ENABLE */
	uint64_t avic_apic_bar;		/* 0x098 */
	uint64_t ghcb_pa;		/* 0x0a0 */
	uint64_t event_inj;		/* 0x0a8 */
	uint64_t n_cr3;			/* 0x0b0 */
	uint64_t virt_ext;		/* 0x0b8 */
	uint32_t clean_bits;		/* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t next_rip;		/* 0x0c8 */
	uint8_t insn_len;		/* 0x0d0 */
	uint8_t insn_bytes[15];		/* 0x0d1 */
	uint8_t reserved_0e0[0x400 - 0x0e0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;				/* 0x4cb */
	uint32_t reserved_4cc;
	uint64_t efer;				/* 0x4d0 */
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4;				/* 0x548 */
	uint64_t cr3;				/* 0x550 */
	uint64_t cr0;				/* 0x558 */
	uint64_t dr7;				/* 0x560 */
	uint64_t dr6;				/* 0x568 */
	uint64_t rflags;			/* 0x570 */
	uint64_t rip;				/* 0x578 */
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;				/* 0x5d8 */
	uint8_t reserved_5e0[0x5f8 - 0x5e0];
	uint64_t rax;				/* 0x5f8 */
	uint64_t star;				/* 0x600 */
	uint64_t lstar;				/* 0x608 */
	uint64_t cstar;				/* 0x610 */
	uint64_t sfmask;			/* 0x618 */
	uint64_t kernel_gs_base;		/* 0x620 */
	uint64_t sysenter_cs;			/* 0x628 */
	uint64_t sysenter_esp;			/* 0x630 */
	uint64_t sysenter_eip;			/* 0x638 */
	uint64_t cr2;				/* 0x640 */
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;				/* 0x668 */
	/* Loaded and saved by VMRUN/#VMEXIT only with LBR virtualization (APM 15.23). */
	uint64_t dbgctl;			/* 0x670 */
	uint64_t br_from;			/* 0x678 */
	uint64_t br_to;				/* 0x680 */
	uint64_t last_excp_from;		/* 0x688 */
	uint64_t last_excp_to;			/* 0x690 */
	uint8_t reserved_698[0x1000 - 0x698];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(offsetof(struct vmcb, control.exit_code) == 0x070, "vmcb exit_code");
_Static_assert(offsetof(struct vmcb, control.event_inj) == 0x0a8, "vmcb event_inj");
_Static_assert(offsetof(struct vmcb, control.next_rip) == 0x0c8, "vmcb next_rip");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "vmcb cpl");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "vmcb efer");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "vmcb cr4");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "vmcb rip");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "vmcb rsp");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "vmcb rax");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "vmcb cr2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "vmcb g_pat");
_Static_assert(offsetof(struct vmcb, save.last_excp_to) == 0x690, "vmcb last_excp_to");
_Static_assert(offsetof(struct vmcb, save.sysenter_eip) == 0x638, "vmcb sysenter_eip");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "vmcb tr");
_Static_assert(offsetof(struct vmcb, control.n_cr3) == 0x0b0, "vmcb n_cr3");
_Static_assert(offsetof(struct vmcb, control.clean_bits) == 0x0c0, "vmcb clean_bits");
_Static_assert(sizeof(struct vmcb) == 4096, "vmcb size");

/* intercept_misc1 (VMCB 0x00c) */
/* intercept_cr: reads in bits 15:0, writes in 31:16, one bit per CR. */
#define SVM_INTERCEPT_CR0_WRITE (1u << 16)
#define SVM_INTERCEPT_CR4_WRITE (1u << 20)
#define SVM_INTERCEPT_CR8_WRITE (1u << 24)
#define SVM_INTERCEPT_INTR (1u << 0)
#define SVM_INTERCEPT_NMI (1u << 1)
#define SVM_INTERCEPT_SMI (1u << 2)
#define SVM_INTERCEPT_INIT (1u << 3)
#define SVM_INTERCEPT_VINTR (1u << 4)
#define SVM_INTERCEPT_CR0_SEL_WRITE (1u << 5)
#define SVM_INTERCEPT_CPUID (1u << 18)
#define SVM_INTERCEPT_INVD (1u << 22)
#define SVM_INTERCEPT_HLT (1u << 24)
#define SVM_INTERCEPT_INVLPGA (1u << 26)
#define SVM_INTERCEPT_IOIO (1u << 27)
#define SVM_INTERCEPT_MSR (1u << 28)
#define SVM_INTERCEPT_TASK_SWITCH (1u << 29)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* intercept_misc2 (VMCB 0x010) */
#define SVM_INTERCEPT_VMRUN (1u << 0)
#define SVM_INTERCEPT_VMMCALL (1u << 1)
#define SVM_INTERCEPT_VMLOAD (1u << 2)
#define SVM_INTERCEPT_VMSAVE (1u << 3)
#define SVM_INTERCEPT_STGI (1u << 4)
#define SVM_INTERCEPT_CLGI (1u << 5)
#define SVM_INTERCEPT_SKINIT (1u << 6)
#define SVM_INTERCEPT_XSETBV (1u << 13)

/* vintr (VMCB 0x060) */
#define SVM_V_TPR_MASK 0xfull
#define SVM_V_IRQ (1ull << 8)
#define SVM_V_GIF (1ull << 9)
#define SVM_V_INTR_PRIO_SHIFT 16
#define SVM_V_INTR_PRIO_MASK (0xfull << SVM_V_INTR_PRIO_SHIFT)
#define SVM_V_IGN_TPR (1ull << 20)
#define SVM_V_INTR_MASKING (1ull << 24)
#define SVM_V_GIF_ENABLE (1ull << 25)
#define SVM_V_INTR_VECTOR_SHIFT 32
#define SVM_V_INTR_VECTOR_MASK (0xffull << SVM_V_INTR_VECTOR_SHIFT)

/* tlb_control (VMCB 0x05c, APM 15.16) */
#define SVM_TLB_CONTROL_NOTHING 0
#define SVM_TLB_CONTROL_FLUSH_ALL 1
/* np_control (VMCB 0x090) */
#define SVM_NP_ENABLE (1ull << 0)
/* virt_ext (VMCB 0x0b8, APM 15.23 and 15.33.1) */
#define SVM_VIRT_EXT_LBR_ENABLE (1ull << 0)
#define SVM_VIRT_EXT_V_VMSAVE_VMLOAD (1ull << 1)
/* interrupt_shadow (VMCB 0x068): bit 1 is written by the processor on #VMEXIT */
#define SVM_INTERRUPT_SHADOW (1ull << 0)
#define SVM_GUEST_INTERRUPT_MASK (1ull << 1)

/* The permission maps' sizes (APM 15.10.1 and 15.11). */
#define SVM_IOPM_SIZE 0x3000
#define SVM_MSRPM_SIZE 0x2000

/* event_inj and exit_int_info (APM Vol. 2, 15.20) */
#define SVM_EVENT_VALID (1ull << 31)
#define SVM_EVENT_ERROR_VALID (1ull << 11)
#define SVM_EVENT_TYPE_INTR (0ull << 8)
#define SVM_EVENT_TYPE_NMI (2ull << 8)
#define SVM_EVENT_TYPE_EXCEPTION (3ull << 8)
#define SVM_EVENT_TYPE_SOFT_INT (4ull << 8)
#define SVM_EVENT_TYPE_MASK (7ull << 8)
#define SVM_EVENT_VECTOR_MASK 0xffull

/* Exit codes (APM Vol. 2, Appendix C). */
#define SVM_EXIT_READ_CR0 0x000
#define SVM_EXIT_WRITE_CR0 0x010
#define SVM_EXIT_WRITE_CR8 0x018
#define SVM_EXIT_READ_DR0 0x020
#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_INTR 0x060
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_SMI 0x062
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_VINTR 0x064
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_INVD 0x076
#define SVM_EXIT_PAUSE 0x077
#define SVM_EXIT_HLT 0x078
#define SVM_EXIT_INVLPGA 0x07a
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_TASK_SWITCH 0x07d
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_XSETBV 0x08d
#define SVM_EXIT_CR0_SEL_WRITE 0x065
#define SVM_EXIT_CR_WRITE_TRAP_BASE 0x090
#define SVM_EXIT_MISC3_BASE 0x0a0
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffffffffffull

#endif
