/* apic_regs: local APIC register offsets and bit fields (SDM Vol 3A 11.4-11.6, 11.12). */
#ifndef NESTOR_APIC_APIC_REGS_H
#define NESTOR_APIC_APIC_REGS_H

/* xAPIC MMIO offsets; the x2APIC MSR of a register is 0x800 + (offset >> 4) (SDM 11.12.1.2). */
#define APIC_REG_ID		0x020
#define APIC_REG_VERSION	0x030
#define APIC_REG_TPR		0x080
#define APIC_REG_APR		0x090
#define APIC_REG_PPR		0x0a0
#define APIC_REG_EOI		0x0b0
#define APIC_REG_RRD		0x0c0
#define APIC_REG_LDR		0x0d0
#define APIC_REG_DFR		0x0e0
#define APIC_REG_SPIV		0x0f0
#define APIC_REG_ISR0		0x100
#define APIC_REG_TMR0		0x180
#define APIC_REG_IRR0		0x200
#define APIC_REG_ESR		0x280
#define APIC_REG_LVT_CMCI	0x2f0
#define APIC_REG_ICR_LO		0x300
#define APIC_REG_ICR_HI		0x310
#define APIC_REG_LVT_TIMER	0x320
#define APIC_REG_LVT_THERMAL	0x330
#define APIC_REG_LVT_PERF	0x340
#define APIC_REG_LVT_LINT0	0x350
#define APIC_REG_LVT_LINT1	0x360
#define APIC_REG_LVT_ERROR	0x370
#define APIC_REG_TIMER_ICR	0x380
#define APIC_REG_TIMER_CCR	0x390
#define APIC_REG_TIMER_DCR	0x3e0
#define APIC_REG_SELF_IPI	0x3f0	/* x2APIC only */

#define APIC_DEFAULT_BASE	0xfee00000ull
#define APIC_PAGE_SIZE		0x1000u

/* IA32_APIC_BASE (MSR 0x1b), SDM 11.4.4 and 11.12.1. */
#define MSR_IA32_APIC_BASE	0x1b
#define MSR_IA32_TSC_DEADLINE	0x6e0
#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_EXTD		(1ull << 10)
#define APIC_BASE_EN		(1ull << 11)
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull

#define X2APIC_MSR_FIRST	0x800
#define X2APIC_MSR_LAST		0x8ff

/* Version register: 0x14 is an integrated APIC; bits 23:16 = number of LVT entries - 1. */
#define APIC_VERSION_ID		0x14
#define APIC_VERSION_MAXLVT	(6u << 16)
#define APIC_VERSION_EOI_SUPPRESS (1u << 24)

/* Spurious-interrupt vector register (SDM 11.9). */
#define APIC_SPIV_VECTOR	0x000000ffu
#define APIC_SPIV_ENABLE	(1u << 8)
#define APIC_SPIV_FOCUS_OFF	(1u << 9)
#define APIC_SPIV_DIRECTED_EOI	(1u << 12)

/* Destination format register models (SDM 11.6.2.2). */
#define APIC_DFR_FLAT		0xffffffffu
#define APIC_DFR_CLUSTER	0x0fffffffu

/* Error status register bits (SDM 11.5.3). */
#define APIC_ESR_SEND_ILLEGAL_VECTOR	(1u << 5)
#define APIC_ESR_RECV_ILLEGAL_VECTOR	(1u << 6)
#define APIC_ESR_ILLEGAL_REGISTER	(1u << 7)

/* LVT fields (SDM 11.5.1, Figure 11-8). */
#define APIC_LVT_VECTOR		0x000000ffu
#define APIC_LVT_DM_MASK	0x00000700u
#define APIC_LVT_DELIV_STATUS	(1u << 12)
#define APIC_LVT_POLARITY	(1u << 13)
#define APIC_LVT_REMOTE_IRR	(1u << 14)
#define APIC_LVT_LEVEL		(1u << 15)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_TIMER_MODE	(3u << 17)
#define APIC_LVT_TIMER_ONESHOT	(0u << 17)
#define APIC_LVT_TIMER_PERIODIC	(1u << 17)
#define APIC_LVT_TIMER_TSCDL	(2u << 17)

/* Delivery modes, shared by LVT, ICR and I/O APIC entries (bits 10:8). */
#define APIC_DM_FIXED		0u
#define APIC_DM_LOWEST		1u
#define APIC_DM_SMI		2u
#define APIC_DM_NMI		4u
#define APIC_DM_INIT		5u
#define APIC_DM_STARTUP		6u
#define APIC_DM_EXTINT		7u

/* Interrupt command register (SDM 11.6.1, Figure 11-12). */
#define APIC_ICR_VECTOR		0x000000ffu
#define APIC_ICR_DM_SHIFT	8
#define APIC_ICR_LOGICAL	(1u << 11)
#define APIC_ICR_BUSY		(1u << 12)
#define APIC_ICR_ASSERT		(1u << 14)
#define APIC_ICR_LEVEL		(1u << 15)
#define APIC_ICR_SHORTHAND_SHIFT 18
#define APIC_SH_NONE		0u
#define APIC_SH_SELF		1u
#define APIC_SH_ALL		2u
#define APIC_SH_OTHERS		3u
/* Writable bits of ICR low: xAPIC keeps bit 12 read-only; in x2APIC it is reserved. */
#define APIC_ICR_LO_WRITABLE	0x000ccfffu

/* Divide configuration register: bits 0, 1 and 3 (SDM 11.5.4, Figure 11-10). */
#define APIC_DCR_MASK		0x0000000bu

#endif
