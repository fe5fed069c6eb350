/* mb_aout: a flat multiboot kernel described by the a.out kludge (flag 16). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00010003		/* a.out kludge, page-align modules, memory info */

	.code32
	.text
	.globl image_start
image_start:
	jmp	aout_start
	.balign	4
header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	header			/* header_addr */
	.long	image_start		/* load_addr */
	.long	load_end		/* load_end_addr */
	.long	bss_end			/* bss_end_addr */
	.long	aout_start		/* entry_addr */
aout_start:
	cmpl	$0x2BADB002, %eax
1:	hlt
	jmp	1b
	.ascii	"AOUT-DATA"
	.balign	16
load_end:
	.bss
	.skip	0x1800
bss_end:
