/*
 * mbdump: a multiboot kernel that reports what its boot loader gave it. It prints EAX,
 * EBX and hex dumps of the multiboot information, the module list with the strings
 * after it, the start of module 0 and the memory map to COM1, then leaves QEMU
 * through the isa-debug-exit port. test_loader_multiboot_qemu boots it under QEMU's
 * -kernel and compares QEMU's layout with nestor's.
 */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003
#define COM1 0x3F8
#define DEBUG_EXIT 0xF4

	.code32
	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.globl mb_start
mb_start:
	movl	$stack_top, %esp
	movl	%ebx, %ebp			/* the information structure, kept throughout */
	movl	%eax, %edx
	movl	$s_eax, %esi
	call	put_word_line			/* "EAX xxxxxxxx" */
	movl	%ebp, %edx
	movl	$s_ebx, %esi
	call	put_word_line			/* "EBX xxxxxxxx" */
	movl	%ebp, %esi
	movl	$88, %ecx
	call	dump				/* the information structure */
	movl	24(%ebp), %esi			/* mods_addr ... */
	movl	64(%ebp), %ecx			/* ... up to boot_loader_name + 16 */
	subl	%esi, %ecx
	addl	$16, %ecx
	call	dump
	movl	24(%ebp), %eax
	movl	(%eax), %esi			/* module 0: its first 64 bytes */
	movl	$64, %ecx
	call	dump
	movl	48(%ebp), %esi			/* mmap_addr, mmap_length */
	movl	44(%ebp), %ecx
	call	dump
	movb	$0x10, %al
	outb	%al, $DEBUG_EXIT
1:	hlt
	jmp	1b

/* AL to COM1 (QEMU's UART takes bytes as fast as they come). */
putc:
	pushl	%edx
	movw	$COM1, %dx
	outb	%al, %dx
	popl	%edx
	ret

/* The NUL-terminated string at ESI; ESI ends past it. */
puts:
	pushl	%eax
2:	lodsb
	testb	%al, %al
	jz	3f
	call	putc
	jmp	2b
3:	popl	%eax
	ret

/* AL as two hex digits. */
put_hex8:
	pushl	%eax
	pushl	%ebx
	movzbl	%al, %ebx
	shrl	$4, %ebx
	movb	hex(%ebx), %al
	call	putc
	movl	4(%esp), %ebx
	andl	$0xF, %ebx
	movb	hex(%ebx), %al
	call	putc
	popl	%ebx
	popl	%eax
	ret

/* EDX as eight hex digits. */
put_hex32:
	pushl	%eax
	pushl	%ecx
	movl	$4, %ecx
4:	roll	$8, %edx
	movb	%dl, %al
	call	put_hex8
	loop	4b
	popl	%ecx
	popl	%eax
	ret

/* The string at ESI, EDX in hex, a newline. */
put_word_line:
	call	puts
	call	put_hex32
	movb	$'\n', %al
	call	putc
	ret

/* "DUMP <addr> <len>", the ECX bytes at ESI in hex (32 a line), "END". */
dump:
	pushl	%esi
	pushl	%esi
	movl	$s_dump, %esi
	call	puts
	popl	%edx
	call	put_hex32
	movb	$' ', %al
	call	putc
	movl	%ecx, %edx
	call	put_hex32
	popl	%esi
	xorl	%ebx, %ebx
5:	testl	%ecx, %ecx
	jz	6f
	testb	$31, %bl
	jnz	7f
	movb	$'\n', %al
	call	putc
7:	lodsb
	call	put_hex8
	incl	%ebx
	decl	%ecx
	jmp	5b
6:	movl	$s_end, %esi
	call	puts
	ret

	.section .rodata
hex:	.ascii	"0123456789abcdef"
s_eax:	.asciz	"EAX "
s_ebx:	.asciz	"EBX "
s_dump:	.asciz	"DUMP "
s_end:	.asciz	"\nEND\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
