/* vlapic_mmio: the xAPIC view, the 4 KiB register page as an mmio_bus device (SDM 11.4.1). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/*
 * Registers are 32 bits wide on 16-byte boundaries and should be accessed with aligned
 * 32-bit loads (SDM 11.4.1). Narrower reads inside the first dword return its bytes;
 * anything reaching into bytes 4..15 of a slot reads 0. An offset with no register
 * sets "illegal register address" in the ESR (SDM 11.5.3), as hardware does.
 */
static uint64_t vlapic_mmio_read(void *dev, uint64_t offset, unsigned size)
{
	struct vlapic *v = dev;
	unsigned reg = (unsigned)offset & ~0xfu, byte = (unsigned)offset & 0xf;
	uint64_t value;

	if (vlapic_mode(v) != VLAPIC_MODE_XAPIC) {
		/* Disabled or x2APIC: the page is not decoded and reads float high. */
		apic_note_bad_access(v->vm, "xAPIC read outside xAPIC mode", offset, size);
		return size_mask(size);
	}
	if (offset >= APIC_PAGE_SIZE || size == 0 || byte + size > 4) {
		apic_note_bad_access(v->vm, "xAPIC read with bad size/alignment", offset, size);
		return 0;
	}
	if (reg == APIC_REG_SELF_IPI || vlapic_reg_read(v, reg, &value) != APIC_ACCESS_OK) {
		vlapic_set_error(v, APIC_ESR_ILLEGAL_REGISTER);
		return 0;
	}
	return (value >> (byte * 8)) & size_mask(size);
}

/* Only aligned 32-bit writes reach a register; others are dropped (and counted). */
static void vlapic_mmio_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
	struct vlapic *v = dev;
	unsigned reg = (unsigned)offset & ~0xfu;

	if (vlapic_mode(v) != VLAPIC_MODE_XAPIC) {
		apic_note_bad_access(v->vm, "xAPIC write outside xAPIC mode", offset, value);
		return;
	}
	if (offset >= APIC_PAGE_SIZE || (offset & 0xf) || size != 4) {
		apic_note_bad_access(v->vm, "xAPIC write with bad size/alignment", offset, size);
		return;
	}
	if (vlapic_reg_read_only(reg))
		return;
	if (reg == APIC_REG_SELF_IPI ||
	    vlapic_reg_write(v, reg, (uint32_t)value) != APIC_ACCESS_OK)
		vlapic_set_error(v, APIC_ESR_ILLEGAL_REGISTER);
}

const struct mmio_bus_ops vlapic_mmio_ops = {
	.read = vlapic_mmio_read,
	.write = vlapic_mmio_write,
};
