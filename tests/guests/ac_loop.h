/* ac_loop: the selectors, vectors and bits shared by ac_loop.c and its 32-bit code, ac_loop32.S. */
#ifndef GUEST_AC_LOOP_H
#define GUEST_AC_LOOP_H

/*
 * The AP's GDT in legacy protected mode (ac_loop.c builds it): flat segments for CPL 0
 * and CPL 3, and a 32-bit TSS.
 */
#define AC32_CS0	0x08	/* flat 32-bit code, DPL 0 */
#define AC32_DS0	0x10	/* flat data, DPL 0, B = 1 (32-bit ESP) */
#define AC32_CS3	0x1b	/* index 3, RPL 3: flat 32-bit code, DPL 3 */
#define AC32_DS3	0x23	/* index 4, RPL 3: flat data, DPL 3, B = 1 */
#define AC32_TSS	0x28	/* index 5: a 32-bit TSS (SDM Vol. 3A 8.2.1) */
#define AC32_GDT_ENTRIES 6

#define AC_VECTOR	17	/* #AC */
#define AC32_VEC_NEXT	0x20	/* INT from CPL 3 back to CPL 0 after the probe (DPL-3 gate) */
#define AC32_IDT_ENTRIES 0x21

#define AC32_CR0_AM	(1 << 18)
#define AC32_EFLAGS_AC	(1 << 18)
#define AC32_EFLAGS_FIXED 0x2	/* bit 1 reads as 1 */
#define AC32_MSR_EFER	0xc0000080
#define AC32_EFER_LME	(1 << 8)
#define AC32_EFER_LMA	(1 << 10)

/* ac32_unexpected holds this bit and the vector of an exception no test expected. */
#define AC32_UNEXPECTED	0x100

#endif
