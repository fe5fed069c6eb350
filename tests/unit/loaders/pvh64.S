/* pvh64: a tiny 64-bit ELF with a Xen PVH entry note, as a Linux vmlinux carries one. */
	.code32
	.text
	.globl pvh_start
pvh_start:
	/* 32-bit protected mode, EBX = hvm_start_info: spin, the test only loads us. */
	movl	$0x336ec578, %eax
	cmpl	(%ebx), %eax
1:	hlt
	jmp	1b

	.data
	.globl fixture_data
fixture_data:
	.ascii	"PVH-DATA"

	.bss
	.globl fixture_bss
fixture_bss:
	.skip	0x3000

/* Xen public/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY (18) in a note named "Xen". */
	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* namesz: "Xen\0" */
	.long	2f - 1f			/* descsz */
	.long	18			/* type */
	.asciz	"Xen"
	.balign	4
1:
#ifdef PVH_ENTRY_QUAD
	.quad	pvh_start		/* older x86-64 kernels: _ASM_PTR */
#else
	.long	pvh_start		/* current kernels */
#endif
2:	.balign	4
