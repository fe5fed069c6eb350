/* boot: multiboot v1 header, 32-bit entry, identity paging and the switch to long mode. */
#include "layout.h"

/*
 * The loader (QEMU's -kernel, or nestor's multiboot loader) enters in 32-bit protected
 * mode, paging off, EAX = magic, EBX = multiboot info (Multiboot Specification 0.6.96,
 * 3.2). The GDTR it leaves may be invalid, so the first thing is a GDT of our own.
 */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory information */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.code32
	.globl multiboot_entry
multiboot_entry:
	cli
	cld
	mov %eax, mb_magic
	mov %ebx, mb_info_addr
	lgdt gdt_desc
	ljmp $GDT_CODE32, $1f
1:	mov $GDT_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs

	/* BSS is not guaranteed to be zeroed by every loader. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov $boot_stack_top, %esp

	call build_page_tables
	xor %esi, %esi			/* ESI = 0: the bootstrap processor */
	jmp enter_long_mode

/*
 * Identity map of the first 8 GiB with 2 MiB pages: RAM, the APIC/IOAPIC pages and the
 * addresses the wild-access guest touches. 3 GiB and up is mapped uncached (PCD|PWT)
 * because that is where the platform's MMIO lives (SDM Vol. 3A, 11.12.3). Every entry
 * is user-accessible too, so user_run() (user.c) can run test code at CPL 3.
 */
build_page_tables:
	mov $pdpt, %eax
	or $(PTE_P | PTE_W | PTE_U), %eax
	mov %eax, pml4

	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $page_dirs, %eax
	or $(PTE_P | PTE_W | PTE_U), %eax
	mov %eax, pdpt(, %ecx, 8)
	inc %ecx
	cmp $IDMAP_GIB, %ecx
	jb 1b

	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_U | PTE_PS), %eax
	mov %ecx, %edx
	shr $11, %edx
	cmp $(3 * 512), %ecx
	jb 3f
	or $(PTE_PWT | PTE_PCD), %eax
3:	mov %eax, page_dirs(, %ecx, 8)
	mov %edx, page_dirs + 4(, %ecx, 8)
	inc %ecx
	cmp $(IDMAP_GIB * 512), %ecx
	jb 2b
	ret

/* Application processors arrive here from the real-mode trampoline (smp.c). */
	.globl ap_entry32
ap_entry32:
	mov $GDT_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $1, %esi			/* ESI = 1: an application processor */
	/* fall through */

/* PAE, CR3, EFER.LME, then CR0.PG activates IA-32e mode (SDM Vol. 3A, 9.8.5). No stack used. */
enter_long_mode:
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $(1 << 8), %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	lgdt gdt_desc
	ljmp $GDT_CODE64, $start64

	.code64
start64:
	mov $GDT_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	test %esi, %esi
	jnz 1f
	mov $boot_stack_top, %rsp
	call guest_start
	jmp halt_forever

	/* Each AP takes the next CPU index and the stack that goes with it. */
1:	mov $1, %eax
	lock xadd %eax, ap_next_index(%rip)
	cmp $MAX_CPUS, %eax
	jae halt_forever
	mov %eax, %edi
	mov %rax, %rsp
	shl $AP_STACK_SHIFT, %rsp
	add $ap_stacks, %rsp
	call ap_start

	.globl halt_forever
halt_forever:
	cli
	hlt
	jmp halt_forever

	.section .data
	.balign 8
	.globl gdt, gdt_desc
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* GDT_CODE32: flat 32-bit code */
	.quad 0x00cf92000000ffff	/* GDT_DATA: flat data */
	.quad 0x00af9a000000ffff	/* GDT_CODE64: 64-bit code (L=1) */
	.quad 0x00affa000000ffff	/* GDT_UCODE64: 64-bit code, DPL 3 */
	.quad 0x00cff2000000ffff	/* GDT_UDATA: flat data, DPL 3 */
	.quad 0, 0			/* GDT_TSS: written by user_setup() */
gdt_end:
	.balign 8
gdt_desc:
	.word gdt_end - gdt - 1
	.quad gdt

	.globl mb_magic, mb_info_addr
mb_magic:	.long 0
mb_info_addr:	.long 0
ap_next_index:	.long 1

	.section .bss
	.balign 4096
	.globl pml4
pml4:		.skip 4096
pdpt:		.skip 4096
page_dirs:	.skip 4096 * IDMAP_GIB
	.balign 16
boot_stack:	.skip BOOT_STACK_SIZE
boot_stack_top:
	/* ap_stacks + index << AP_STACK_SHIFT is the top of AP index's stack (index >= 1). */
	.balign 16
ap_stacks:	.skip (MAX_CPUS - 1) << AP_STACK_SHIFT
