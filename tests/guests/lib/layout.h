/* layout: fixed addresses and sizes shared by the guests' assembly and C code. */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define GDT_CODE32		0x08
#define GDT_DATA		0x10
#define GDT_CODE64		0x18
#define GDT_UCODE64		0x23		/* index 4, RPL 3: 64-bit code, DPL 3 */
#define GDT_UDATA		0x2b		/* index 5, RPL 3: flat data, DPL 3 */
#define GDT_TSS			0x30		/* index 6 and 7: the BSP's 64-bit TSS (user.c) */
#define GDT_ENTRIES		8

#define PTE_P			0x001
#define PTE_W			0x002
#define PTE_U			0x004
#define PTE_PWT			0x008
#define PTE_PCD			0x010
#define PTE_PS			0x080

#define CR0_PE			0x00000001
#define CR0_PG			0x80000000
#define CR4_PAE			0x00000020

#define IDMAP_GIB		8		/* identity-mapped guest-physical space */
#define MAX_CPUS		8
#define BOOT_STACK_SIZE		0x4000
#define AP_STACK_SHIFT		14		/* 16 KiB per AP stack */

/* The SIPI vector is the trampoline's page number: it must sit below 1 MiB, 4 KiB aligned. */
#define TRAMPOLINE_BASE		0x8000

#endif
