/* lapic: local APIC access in xAPIC (MMIO) or x2APIC (MSR) mode, IPIs and EOI. */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_BASE		0xfee00000ul

/* Register offsets in the xAPIC page (SDM Vol. 3A, Table 10-1); x2APIC MSR = 0x800 + off/16. */
#define APIC_ID			0x020
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_PPR		0x0a0
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SPIV		0x0f0
#define APIC_ISR		0x100
#define APIC_TMR		0x180
#define APIC_IRR		0x200
#define APIC_ESR		0x280
#define APIC_ICR_LOW		0x300
#define X2APIC_ICR_MSR		0x830	/* the whole ICR as one MSR in x2APIC mode */
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_THERMAL	0x330
#define APIC_LVT_PERF		0x340
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INIT		0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0
#define APIC_SELF_IPI		0x3f0	/* x2APIC mode only */

#define APIC_BASE_BSP		(1u << 8)
#define APIC_BASE_EXTD		(1u << 10)	/* x2APIC mode */
#define APIC_BASE_ENABLE	(1u << 11)

#define APIC_VERSION_DIRECTED_EOI (1u << 24)	/* "suppress EOI broadcast" supported */

#define SPIV_ENABLE		(1u << 8)
#define SPIV_DIRECTED_EOI	(1u << 12)
#define SPURIOUS_VECTOR		0xff

#define LVT_MASKED		(1u << 16)
#define LVT_LEVEL		(1u << 15)
#define LVT_TIMER_PERIODIC	(1u << 17)
#define LVT_TIMER_TSC_DEADLINE	(2u << 17)
#define LVT_DM_NMI		(4u << 8)
#define LVT_DM_EXTINT		(7u << 8)

/* ICR fields (SDM Vol. 3A, 10.6.1). */
#define ICR_DM_FIXED		(0u << 8)
#define ICR_DM_LOWEST		(1u << 8)
#define ICR_DM_NMI		(4u << 8)
#define ICR_DM_INIT		(5u << 8)
#define ICR_DM_STARTUP		(6u << 8)
#define ICR_DEST_LOGICAL	(1u << 11)
#define ICR_BUSY		(1u << 12)	/* delivery status, xAPIC only */
#define ICR_ASSERT		(1u << 14)
#define ICR_LEVEL		(1u << 15)
#define ICR_SELF		(1u << 18)
#define ICR_ALL_INCLUDING_SELF	(2u << 18)
#define ICR_ALL_EXCLUDING_SELF	(3u << 18)

uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t val);

uint32_t lapic_id(void);
/* Software-enables the APIC with all LVT entries masked and TPR 0. */
void lapic_setup(void);
void lapic_eoi(void);

struct irq_frame;
/* An IDT handler (idt_set_handler) that only signals EOI: the delivery is already recorded. */
void lapic_eoi_handler(struct irq_frame *frame);

/* Sends an IPI: icr_low holds vector, mode and shorthand; dest is an APIC ID or logical mask. */
void lapic_send_ipi(uint32_t dest, uint32_t icr_low);
void lapic_self_ipi(unsigned vector);

/* Tests the bit of a vector in the ISR, IRR or TMR register bank. */
bool lapic_vector_bit(unsigned bank, unsigned vector);

/* Switches this CPU between xAPIC and x2APIC mode through APIC_BASE (SDM Vol. 3A, 10.12.5). */
bool lapic_x2apic_supported(void);
void lapic_enter_x2apic(void);
void lapic_leave_x2apic(void);

#endif
