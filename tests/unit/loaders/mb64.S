/*
 * mb64: a multiboot kernel in the kvm-unit-tests style: linked as x86-64, entered in
 * 32-bit mode through the multiboot header, switching to 64-bit code itself. The
 * build turns it into an ELF32 container with objcopy -O elf32-i386, as
 * kvm-unit-tests does for its x86_64 tests.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000000

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.code32
	.text
	.globl start
start:
	cmpl	$0x2BADB002, %eax
	jmp	start64_would_follow
	.code64
start64_would_follow:
	movabsq	$0x1122334455667788, %rax
1:	hlt
	jmp	1b

	.data
	.ascii	"MB64-DATA"
	.bss
	.skip	0x1000
