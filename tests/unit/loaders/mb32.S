/* mb32: a multiboot v1 ELF32 kernel, as GRUB and QEMU -kernel load them. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003		/* page-align modules, want memory info */

	.code32
	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.globl mb_start
mb_start:
	cmpl	$0x2BADB002, %eax
1:	hlt
	jmp	1b

	.data
	.ascii	"MB32-DATA"

	.bss
	.skip	0x2000
