/* trampoline: the real-mode start of an application processor, copied below 1 MiB. */
#include "layout.h"

/*
 * A SIPI starts the AP in real mode at CS:IP = (vector << 8):0 (SDM Vol. 3A, 8.4.4.1).
 * smp.c copies these bytes to TRAMPOLINE_BASE; every address here is therefore computed
 * as TRAMPOLINE_BASE + offset. The code only reaches 32-bit protected mode and jumps to
 * ap_entry32 in the kernel image, which shares the long-mode switch with the BSP.
 */
#define TRAMP(sym) (TRAMPOLINE_BASE + (sym) - trampoline_start)

	.section .rodata
	.code16
	.globl trampoline_start, trampoline_end
trampoline_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl TRAMP(tramp_gdt_desc)
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $GDT_CODE32, $ap_entry32

	.balign 8
tramp_gdt_desc:
	.word GDT_ENTRIES * 8 - 1	/* the kernel GDT of boot.S */
	.long gdt
trampoline_end:
	.code64
