/*
 * replay: a multiboot kernel that stages a guest memory image prepared by nestor's
 * loader and enters it with the entry state loader_load() computed, so that QEMU can
 * boot a real Linux through nestor's tables and boot structures before nestor's own
 * backends exist (test_loader_linux_qemu). Linked at 256 MiB, above everything it
 * copies; its module 0 holds:
 *   header: "RPLY", chunk count, long mode flag, pad, then entry, CR3, RAX, RBX, RSI
 *           (8 bytes each, 56 bytes in all);
 *   chunks: destination, length (4 bytes each), the bytes, padded to 4.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003
#define REPLAY_MAGIC 0x594C5052		/* "RPLY" */
#define DEBUG_EXIT 0xF4

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.code32
	.text
	.globl replay_start
replay_start:
	cli
	cld
	movl	24(%ebx), %eax			/* mods_addr */
	movl	(%eax), %ebp			/* module 0: the image */
	cmpl	$REPLAY_MAGIC, (%ebp)
	jne	fail
	movl	4(%ebp), %edx			/* chunk count */
	leal	56(%ebp), %esi
1:	testl	%edx, %edx
	jz	2f
	movl	(%esi), %edi
	movl	4(%esi), %ecx
	addl	$8, %esi
	rep movsb
	addl	$3, %esi
	andl	$~3, %esi
	decl	%edx
	jmp	1b

	/* Our own GDT: QEMU's multiboot ROM left one in memory we may just have overwritten. */
2:	lgdt	gdt_desc
	movl	$0x18, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	ljmp	$0x08, $3f
3:	cmpl	$0, 8(%ebp)
	jne	4f
	movl	16(%ebp), %ecx			/* 32-bit protected-mode entry */
	movl	32(%ebp), %eax
	movl	48(%ebp), %esi
	movl	40(%ebp), %ebx
	jmp	*%ecx

	/* 64-bit entry: PAE, the loader's CR3, EFER.LME, paging, a 64-bit CS (SDM Vol. 3A, 10.8.5). */
4:	movl	%cr4, %eax
	orl	$0x20, %eax
	movl	%eax, %cr4
	movl	24(%ebp), %eax
	movl	%eax, %cr3
	movl	$0xC0000080, %ecx
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$0x80000001, %eax
	movl	%eax, %cr0
	ljmp	$0x10, $5f
	.code64
5:	movl	%ebp, %ebp
	movq	16(%rbp), %rcx
	movq	32(%rbp), %rax
	movq	48(%rbp), %rsi
	movq	40(%rbp), %rbx
	jmp	*%rcx

	.code32
fail:	movb	$0x11, %al
	outb	%al, $DEBUG_EXIT
6:	hlt
	jmp	6b

	.data
	.balign	8
gdt:	.quad	0
	.quad	0x00CF9A000000FFFF		/* 0x08: flat 32-bit code */
	.quad	0x00AF9A000000FFFF		/* 0x10: 64-bit code (Linux's __BOOT_CS) */
	.quad	0x00CF92000000FFFF		/* 0x18: flat data (Linux's __BOOT_DS) */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt
