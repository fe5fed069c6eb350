/* vcpu_mmio: a vCPU's view of MMIO: its own LAPIC page first, then the VM's bus. */
#include "vm/vcpu_mmio.h"

#include "vm/vm.h"

#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define APIC_PAGE 0x1000ull

/* The vLAPIC whose xAPIC page covers gpa, or NULL. */
static struct vlapic *vcpu_mmio_lapic(struct vcpu *v, uint64_t gpa)
{
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);
	if (vlapic_mode(l) != VLAPIC_MODE_XAPIC)
		return 0;
	uint64_t base = vlapic_get_apic_base(l) & APIC_BASE_ADDR_MASK;
	return gpa >= base && gpa - base < APIC_PAGE ? l : 0;
}

static uint64_t vcpu_mmio_read(void *ctx, uint64_t gpa, unsigned size)
{
	struct vcpu *v = ctx;
	struct vlapic *l = vcpu_mmio_lapic(v, gpa);
	if (l)
		return vlapic_mmio_ops.read(l, gpa & (APIC_PAGE - 1), size);
	return mmio_bus_read(&v->vm->mmio, gpa, size);
}

static void vcpu_mmio_write(void *ctx, uint64_t gpa, unsigned size, uint64_t value)
{
	struct vcpu *v = ctx;
	struct vlapic *l = vcpu_mmio_lapic(v, gpa);
	if (l)
		vlapic_mmio_ops.write(l, gpa & (APIC_PAGE - 1), size, value);
	else
		mmio_bus_write(&v->vm->mmio, gpa, size, value);
}

struct x86_mmio_ops vcpu_mmio_ops(struct vcpu *v)
{
	return (struct x86_mmio_ops){ vcpu_mmio_read, vcpu_mmio_write, v };
}
