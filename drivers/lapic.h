/* lapic: nestor's own use of the host's local APIC (IPIs, its timer, EOI). */
#ifndef NESTOR_DRIVERS_LAPIC_H
#define NESTOR_DRIVERS_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Host interrupt vectors nestor uses. */
#define LAPIC_VECTOR_TIMER 0xf0		/* nestor's one-shot timer */
#define LAPIC_VECTOR_KICK 0xf1		/* another CPU wants this one out of guest mode */
#define LAPIC_VECTOR_ERROR 0xfe
#define LAPIC_VECTOR_SPURIOUS 0xff

/* Enables this CPU's LAPIC in whatever mode (xAPIC/x2APIC) the firmware left it. */
void lapic_init(void);
uint32_t lapic_id(void);
bool lapic_x2apic_mode(void);
void lapic_eoi(void);
/* INIT, then two STARTUPs with the SDM's delays (Vol. 3A 9.4.4.1). */
void lapic_start_ap(uint32_t apic_id, uint8_t sipi_vector);
/* A fixed IPI with `vector` to one CPU. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
/* One-shot timer interrupt LAPIC_VECTOR_TIMER in about `ns` nanoseconds; 0 stops it. */
void lapic_timer_arm_ns(uint64_t ns);
/* Measures the LAPIC timer against the TSC (after tsc_calibrate). */
void lapic_timer_calibrate(void);
uint64_t lapic_timer_hz(void);

#endif
