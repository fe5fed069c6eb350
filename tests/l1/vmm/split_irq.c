/* split_irq: the split irqchip's user-space half: nestor's vIOAPIC and vPIC driving KVM's LAPICs. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "apic/apic_msg.h"
#include "apic/apic_regs.h"
#include "vmm.h"

#define MSI_ADDR_BASE	0xfee00000u
#define MSI_DEST_SHIFT	12
#define MSI_LOGICAL	(1u << 2)
#define MSI_DM_SHIFT	8
#define MSI_LEVEL_ASSERT (1u << 14)
#define MSI_TRIGGER_LEVEL (1u << 15)
/* Never hold a pin: a user-space IOAPIC re-delivers a level line still asserted at EOI. */
#define NO_STORM_GUARD	0xffffffffu

/* The MSI an IOAPIC redirection entry sends (82093AA 3.2.4 into SDM 11.11.1/11.11.2). */
static void rte_to_msi(uint64_t rte, uint32_t *address, uint32_t *data)
{
	unsigned mode = (unsigned)(rte >> VIOAPIC_RTE_DM_SHIFT) & 7;

	*address = MSI_ADDR_BASE | (uint32_t)(rte >> VIOAPIC_RTE_DEST_SHIFT) << MSI_DEST_SHIFT |
		   ((rte & VIOAPIC_RTE_LOGICAL) ? MSI_LOGICAL : 0);
	*data = (uint32_t)(rte & VIOAPIC_RTE_VECTOR) | mode << MSI_DM_SHIFT |
		((rte & VIOAPIC_RTE_LEVEL) ? MSI_TRIGGER_LEVEL | MSI_LEVEL_ASSERT : 0);
}

/*
 * nestor's vIOAPIC and vPIC call into their APIC VM for delivery and wake-ups; in the VMM
 * these few functions stand for it. An IOAPIC message becomes KVM_SIGNAL_MSI to the
 * in-kernel LAPICs; the vPIC's output wakes vCPU 0, which injects the ExtINT itself.
 */
unsigned apic_deliver_msg(struct apic_vm *vm, const struct apic_msg *msg)
{
	struct kvm_msi msi = { 0 };
	(void)vm;

	msi.address_lo = MSI_ADDR_BASE | (msg->dest & 0xff) << MSI_DEST_SHIFT |
			 (msg->logical ? MSI_LOGICAL : 0);
	msi.data = msg->vector | msg->mode << MSI_DM_SHIFT |
		   (msg->level ? MSI_TRIGGER_LEVEL | MSI_LEVEL_ASSERT : 0);
	int r = ioctl(vmm.vm_fd, KVM_SIGNAL_MSI, &msi);
	if (r < 0)
		vmm_say("KVM_SIGNAL_MSI vector %#x: %s", msg->vector, strerror(errno));
	return r > 0 ? (unsigned)r : 0;
}

void apic_note_bad_access(struct apic_vm *vm, const char *what, uint64_t a, uint64_t b)
{
	(void)vm;
	vmm_say("device: %s (%#llx, %#llx)", what, (unsigned long long)a, (unsigned long long)b);
}

/* The 8259's INT goes to the BSP, whose LINT0 KVM checks itself before the window opens. */
bool vlapic_lint0_accepts_pic(const struct vlapic *v)
{
	return v == &vmm.apic.vcpu[0];
}

void vlapic_notify(struct vlapic *v)
{
	unsigned index = (unsigned)(v - vmm.apic.vcpu);

	if (index < vmm.nvcpus)
		vcpu_kick(&vmm.vcpu[index]);
}

void split_irq_create(struct vmm *m)
{
	m->apic.cfg.nr_vcpus = 1;	/* vPIC wake-ups: the BSP only */
	vioapic_init(&m->apic.ioapic, &m->apic, m->opt.ioapic_version == 0x20, NO_STORM_GUARD);
	m->apic.ioapic.id = m->nvcpus << 24;	/* the MADT's IOAPIC ID (acpi_platform) */
	vpic_init(&m->apic.pic, &m->apic);
	if (!io_bus_register(&m->io, 0x20, 2, "pic-master", &vpic_io_ops, &m->apic.pic) ||
	    !io_bus_register(&m->io, 0xa0, 2, "pic-slave", &vpic_io_ops, &m->apic.pic) ||
	    !io_bus_register(&m->io, 0x4d0, 2, "pic-elcr", &vpic_io_ops, &m->apic.pic))
		vmm_finish(RESULT_ERROR, "the 8259's ports could not be registered");
	vmm_say("split irqchip: IOAPIC version %#x (%s EOI register), 8259 ExtINT by KVM_INTERRUPT",
		m->opt.ioapic_version, m->opt.ioapic_version == 0x20 ? "with" : "without");
}

/*
 * KVM decides which vectors exit on EOI (KVM_EXIT_IOAPIC_EOI) from the MSI routes of the
 * first 24 GSIs (kvm_scan_ioapic_routes), so each unmasked pin gets a route mirroring its
 * redirection entry, as QEMU installs them; a masked pin keeps its last route. Called with
 * dev_lock held after every IOAPIC write.
 */
void split_irq_routes_update(struct vmm *m)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[VIOAPIC_PINS];
	} table = { 0 };
	bool changed = false;

	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = m->apic.ioapic.pin[pin].rte &
			       ~(VIOAPIC_RTE_REMOTE_IRR | VIOAPIC_RTE_DELIVS);
		if (!(rte & VIOAPIC_RTE_MASKED) && rte != m->routes[pin]) {
			m->routes[pin] = rte;
			changed = true;
		}
	}
	if (!changed)
		return;
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		if (!m->routes[pin])
			continue;
		struct kvm_irq_routing_entry *e = &table.e[table.r.nr++];
		e->gsi = pin;
		e->type = KVM_IRQ_ROUTING_MSI;
		rte_to_msi(m->routes[pin], &e->u.msi.address_lo, &e->u.msi.data);
	}
	if (ioctl(m->vm_fd, KVM_SET_GSI_ROUTING, &table) < 0)
		vmm_say("KVM_SET_GSI_ROUTING: %s", strerror(errno));
}

/* KVM_EXIT_IOAPIC_EOI: a LAPIC EOI of a vector KVM was told is level-triggered. */
void split_irq_eoi(struct vmm *m, uint8_t vector)
{
	pthread_mutex_lock(&m->dev_lock);
	vioapic_eoi(&m->apic.ioapic, vector);
	pthread_mutex_unlock(&m->dev_lock);
}

/*
 * Before each KVM_RUN of the BSP: with the 8259's INT up, inject its vector when KVM said
 * at the last exit that it can take one (ready_for_interrupt_injection, IF set), else ask
 * KVM for an exit when it can (request_interrupt_window), as QEMU's kvm_arch_pre_run does.
 */
void split_irq_before_run(struct vmm *m, struct vcpu *v)
{
	struct kvm_run *run = v->run;

	if (v->index != 0)
		return;
	pthread_mutex_lock(&m->dev_lock);
	bool want = vpic_has_output(&m->apic.pic);
	if (want && run->ready_for_interrupt_injection && run->if_flag) {
		struct kvm_interrupt irq = { .irq = vpic_intack(&m->apic.pic) };
		if (ioctl(v->fd, KVM_INTERRUPT, &irq) < 0)
			vmm_say("KVM_INTERRUPT %#x: %s", irq.irq, strerror(errno));
		else
			v->extint_injected++;
		want = vpic_has_output(&m->apic.pic);
	}
	run->request_interrupt_window = want;
	pthread_mutex_unlock(&m->dev_lock);
}
