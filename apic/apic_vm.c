/* apic_vm: creating a VM's interrupt controllers and the services they share. */
#include <stddef.h>

#include "apic/apic_vm.h"
#include "lib/log.h"
#include "lib/string.h"

#define DEFAULT_MAXPHYADDR 36

bool apic_vm_init(struct apic_vm *vm, const struct apic_vm_config *cfg)
{
	if (cfg->nr_vcpus == 0 || cfg->nr_vcpus > APIC_MAX_VCPUS) {
		log_error("apic: %u vCPUs requested, 1..%u supported", cfg->nr_vcpus, APIC_MAX_VCPUS);
		return false;
	}
	if (cfg->maxphyaddr > 52) {
		log_error("apic: MAXPHYADDR %u is above 52", cfg->maxphyaddr);
		return false;
	}
	memset(vm, 0, sizeof(*vm));
	vm->cfg = *cfg;
	if (!vm->cfg.maxphyaddr)
		vm->cfg.maxphyaddr = DEFAULT_MAXPHYADDR;
	/* The vIOAPIC first: the vLAPIC version register depends on its EOI register. */
	vioapic_init(&vm->ioapic, vm, cfg->ioapic_eoi_register, cfg->storm_threshold);
	vpic_init(&vm->pic, vm);
	for (unsigned i = 0; i < cfg->nr_vcpus; i++)
		vlapic_create(&vm->vcpu[i], vm, i, i == 0);
	if (!cfg->apicv)
		apic_inhibit_set(vm, APIC_INHIBIT_DISABLED, true);
	return true;
}

struct vlapic *apic_vm_vcpu(struct apic_vm *vm, unsigned vcpu_id)
{
	return vcpu_id < vm->cfg.nr_vcpus ? &vm->vcpu[vcpu_id] : NULL;
}

void apic_vm_kick(struct apic_vm *vm, unsigned vcpu_id)
{
	if (vm->cfg.kick)
		vm->cfg.kick(vm->cfg.ctx, vcpu_id);
}

/* Reads other vCPUs' timers without their owners: meant for a report or a single-CPU host. */
uint64_t apic_vm_next_deadline_ns(struct apic_vm *vm)
{
	uint64_t next = UINT64_MAX;
	for (unsigned i = 0; i < vm->cfg.nr_vcpus; i++) {
		uint64_t t = vlapic_timer_next_deadline_ns(&vm->vcpu[i]);
		if (t < next)
			next = t;
	}
	return next;
}

void apic_vm_report(struct apic_vm *vm, const char *who)
{
	uint32_t reasons = apic_inhibit_reasons(vm);

	apic_stats_report(&vm->stats, who);
	for (unsigned r = 0; r < APIC_INHIBIT_COUNT; r++) {
		if (reasons & (1u << r))
			log_info("%s apic: inhibit %s is set", who,
				 apic_inhibit_name((enum apic_inhibit_reason)r));
	}
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		if (vioapic_pin_storm_held(&vm->ioapic, pin))
			log_info("%s ioapic: pin %u held after an interrupt storm", who, pin);
	}
}
