/* apic_msg: an interrupt message on the (virtual) APIC bus and its delivery to local APICs. */
#ifndef NESTOR_APIC_APIC_MSG_H
#define NESTOR_APIC_APIC_MSG_H

#include <stdbool.h>
#include <stdint.h>

struct apic_vm;
struct vlapic;

/*
 * One format for the I/O APIC's redirection messages and the ICR's IPIs (SDM 11.6.1,
 * 82093AA 3.2.4). An 8-bit destination (xAPIC format, I/O APIC) and a 32-bit x2APIC
 * destination are matched differently, so the sender says which one it used.
 */
struct apic_msg {
	uint32_t dest;
	bool logical;
	bool x2apic_format;	/* 32-bit x2APIC destination (ICR in x2APIC mode) */
	unsigned shorthand;	/* APIC_SH_*, only from an ICR */
	unsigned mode;		/* APIC_DM_* */
	uint8_t vector;
	bool level;		/* level-triggered (sets TMR) */
	struct vlapic *source;	/* the sending local APIC, or NULL for the I/O APIC */
};

bool vlapic_match_dest(const struct vlapic *v, const struct apic_msg *m);
/* Delivers to every matching local APIC (one for lowest priority); returns how many. */
unsigned apic_deliver_msg(struct apic_vm *vm, const struct apic_msg *m);

#endif
