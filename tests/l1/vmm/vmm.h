/* vmm: the L1 test VMM's state: one VM on /dev/kvm, its vCPU threads, devices and counters. */
#ifndef L1VMM_VMM_H
#define L1VMM_VMM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "apic/apic_vm.h"
#include "arch/x86/guest_entry.h"
#include "lib/guest_mem.h"
#include "lib/io_bus.h"
#include "devices/platform.h"

#define VMM_MAX_VCPUS	8
#define VMM_EXIT_REASONS 64	/* KVM_EXIT_* numbers seen in the run loop */

/* The exit status of l1vmm and the word of its result line (docs/l1.md). */
enum vmm_result {
	RESULT_PASS = 0,	/* the payload ended the way its scenario expects */
	RESULT_FAIL = 1,	/* the payload reported a failed check */
	RESULT_ERROR = 2,	/* the VMM could not run the payload, or it ended oddly */
	RESULT_REPRODUCED = 3,	/* a named livelock or a VM-entry failure: a seed's symptom */
};

enum irqchip_mode { IRQCHIP_KERNEL, IRQCHIP_SPLIT };

/* How a scenario's payload is expected to end. */
enum payload_end {
	END_DEBUG_EXIT,		/* writes its verdict (0x10 pass, 0x11 fail) to port 0xf4 */
	END_SHUTDOWN,		/* triple faults on purpose: KVM_EXIT_SHUTDOWN is the pass */
	END_POWEROFF,		/* ACPI S5 after printing the scenario's marker (Linux) */
};

struct scenario {
	const char *name;
	const char *payload;	/* file name under the payload directory */
	const char *initrd;	/* NULL: none */
	const char *cmdline;	/* the payload's command line */
	enum payload_end end;
	const char *marker;	/* END_POWEROFF: a payload line that must have been printed */
	unsigned mem_mb;	/* guest RAM; 0: the default */
	const char *about;
};

struct vmm_options {
	const char *scenario;
	enum irqchip_mode irqchip;
	unsigned ioapic_version;	/* 0x11 or 0x20 (split irqchip) */
	unsigned vcpus;
	unsigned timeout_s;		/* whole run */
	unsigned stall_s;		/* watchdog: seconds without payload progress */
	unsigned livelock_rate;		/* watchdog: repeats per second that name a loop */
	unsigned mem_mb;
	const char *payload_dir;
	const char *append;		/* extra payload command-line words */
	bool x2apic;			/* CPUID offers x2APIC to the payload */
	bool verbose;
};

struct vcpu {
	unsigned index;
	int fd;
	int stats_fd;			/* KVM_GET_STATS_FD, -1 when not offered */
	struct kvm_run *run;
	pthread_t thread;
	bool started;
	uint64_t exits[VMM_EXIT_REASONS];	/* by KVM_EXIT_* (atomic adds) */
	uint64_t extint_injected;
};

struct vmm {
	struct vmm_options opt;
	const struct scenario *scenario;
	int kvm_fd, vm_fd;
	int run_size;
	struct guest_mem mem;
	unsigned nvcpus;
	struct vcpu vcpu[VMM_MAX_VCPUS];

	/* Devices: nestor's platform, and in split mode nestor's vIOAPIC and vPIC. */
	pthread_mutex_t dev_lock;
	struct io_bus io;
	struct platform platform;
	struct apic_vm apic;		/* only .ioapic, .pic and .cfg are used */
	uint64_t routes[VIOAPIC_PINS];	/* RTE each pin's installed MSI route mirrors; 0: none */
	uint64_t start_ns;

	/* Progress of the payload, for the watchdog: console bytes and debug-port writes. */
	uint64_t progress;
	bool marker_seen;
	uint64_t console_lines;
};

extern struct vmm vmm;

/* main.c: ends the process once, from any thread, with the one result line. */
void vmm_finish(enum vmm_result r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
void vmm_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t vmm_now_ns(void);

/* options.c */
bool vmm_options_parse(struct vmm_options *o, int argc, char **argv, bool *list);
void vmm_options_usage(void);

/* scenarios.c */
const struct scenario *scenario_find(const char *name);
void scenario_list(void);

/* kvm_vm.c: the VM, its memory, the interrupt controllers, CPUID. */
long kvm_must(int fd, unsigned long request, void *arg, const char *what);
void vm_set_cpuid(struct vmm *m, struct vcpu *v);
void vm_create(struct vmm *m);
void vm_load_payload(struct vmm *m, struct guest_entry *entry);

/* kvm_vcpu.c */
void vcpu_create(struct vmm *m, struct vcpu *v, const struct guest_entry *entry);
void vcpu_start(struct vmm *m, struct vcpu *v);
void vcpu_kick(struct vcpu *v);

/* exits.c */
const char *exit_name(unsigned reason);
void exit_report_abnormal(struct vcpu *v);

/* devices.c: nestor's platform in user space, and the ISA IRQ wiring of both modes. */
void devices_create(struct vmm *m);
void devices_port_io(struct vmm *m, struct vcpu *v);
void devices_mmio(struct vmm *m, struct vcpu *v);
void *devices_timer_thread(void *arg);

/* split_irq.c: the split irqchip: vIOAPIC routes and EOIs, the vPIC's ExtINT. */
void split_irq_create(struct vmm *m);
void split_irq_routes_update(struct vmm *m);
void split_irq_eoi(struct vmm *m, uint8_t vector);
void split_irq_before_run(struct vmm *m, struct vcpu *v);

/* kvm_stats.c: a vCPU's cumulative counters from KVM_GET_STATS_FD, by name. */
#define KVM_STATS_MAX	96
struct kvm_stats {
	unsigned n;
	char name[KVM_STATS_MAX][40];
	uint64_t offset[KVM_STATS_MAX];	/* in the file, of each counter's u64 */
};
bool kvm_stats_open(struct kvm_stats *s, int fd);
/* values[i] += vCPU's counter i (sums over vCPUs when called for each). */
void kvm_stats_add(const struct kvm_stats *s, int fd, uint64_t *values);

/* watchdog.c */
void *watchdog_thread(void *arg);
void watchdog_report_totals(struct vmm *m);
void progress_note(struct vmm *m);

#endif
