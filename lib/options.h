/* options: nestor's boot options, from EFI load options and \nestor.cfg. */
#ifndef NESTOR_LIB_OPTIONS_H
#define NESTOR_LIB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/log.h"

/* A deliberate fault for testing the crash path (option fault=...). */
enum debug_fault {
	FAULT_NONE,
	FAULT_PAGE,	/* read an unmapped address: #PF */
	FAULT_GP,	/* non-canonical address: #GP */
	FAULT_UD,	/* ud2: #UD */
	FAULT_DIVIDE,	/* divide by zero: #DE */
	FAULT_PANIC,	/* call panic() */
	FAULT_VMWRITE,	/* VMX: a VMWRITE to a field that does not exist, before the first entry */
	FAULT_INVEPT,	/* VMX: an INVEPT of a reserved type, before the first entry */
};

/*
 * What L1 is offered (design.md "Personalities"; vm/personality.c holds each one's table,
 * docs/personalities.md lists them). The value indexes the table; the default is none.
 */
enum personality_id {
	PERSONALITY_NONE,	/* a plain guest of nestor: "nestornestor" leaves, no VMX or SVM */
	PERSONALITY_NATIVE,	/* a bare CPU: no hypervisor bit, no hypervisor leaves */
	PERSONALITY_KVM,	/* KVM's guest interface: KVMKVMKVM leaves, KVM hypercalls */
	PERSONALITY_HYPERV,	/* "Microsoft Hv" leaves, no enlightenment recommended */
	PERSONALITY_COUNT
};

/* Nested paging for L1's own guests (NPT / EPT) when L1 is offered virtualization. */
enum nested_paging {
	NESTED_PAGING_ON,
	NESTED_PAGING_OFF,	/* not offered: L1 falls back to shadow paging */
};

/*
 * The guest's ACPI PM timer (option pm-timer=). host: the host's own PM timer port, which the
 * host firmware's FADT names, is given to the guest and its reads do not exit (a read-only
 * counter: docs/devices.md); emulated: nestor's model at 0x608, every read an exit.
 */
enum pm_timer_mode {
	PM_TIMER_HOST,
	PM_TIMER_EMULATED,
};

/* The vIOAPIC model (apic/vioapic.h): some guests and VMMs need the older one. */
enum ioapic_model {
	IOAPIC_V20,	/* version 0x20, with the EOI register: Directed EOI is offered */
	IOAPIC_V11,	/* version 0x11, no EOI register: Directed EOI is not offered */
};

/*
 * Hardware APIC virtualization (option apicv=). off: the seeds' configuration (VMX TPR
 * shadow without virtual-interrupt delivery, SVM V_TPR without AVIC), even on CPUs that
 * offer more; on: VMX APICv / SVM AVIC, for backends that implement it.
 */
enum apicv_mode {
	APICV_OFF,
	APICV_ON,
};

/* Nested VMX: whether L1 is offered EPT (shadow EPT) or not (L1 uses shadow paging). */
enum nested_ept {
	NESTED_EPT_ON,
	NESTED_EPT_OFF,
};

#define OPTIONS_PATH_MAX 128
#define OPTIONS_STRING_MAX 2048	/* Linux x86 COMMAND_LINE_SIZE */

struct nestor_options {
	enum log_level log_level;
	enum debug_fault fault;
	unsigned smp;			/* CPUs to use; 0 means all the host has */
	unsigned mem_mb;		/* guest RAM in MiB */
	enum personality_id personality;
	enum ioapic_model ioapic;
	enum apicv_mode apicv;
	unsigned storm_guard;		/* ioapic-storm-guard=: re-deliveries before throttling, 0 off */
	enum nested_paging nested_paging;
	char kernel[OPTIONS_PATH_MAX];	/* payload file on the boot volume */
	char initrd[OPTIONS_PATH_MAX];
	char append[OPTIONS_STRING_MAX];	/* payload command line */
	enum nested_ept nested_ept;
	enum pm_timer_mode pm_timer;
};

void options_set_defaults(struct nestor_options *o);

/*
 * Parses whitespace-separated key=value words into *o. A value may be double-quoted to
 * hold spaces ("append=\"console=ttyS0 quiet\""); '#' starts a comment to the end of
 * the line. On the first error returns false with a one-line explanation in err.
 * A leading word without '=' that ends in ".efi" is the image path some loaders put
 * first in the load options, and is skipped.
 */
bool options_parse(struct nestor_options *o, const char *text, size_t len, char *err,
		   size_t errlen);

/* Logs every option and its value, one line each (so a run log says how it was run). */
void options_log(const struct nestor_options *o);

#endif
