/* e820: the guest's physical memory map, and the three encodings its loaders hand over. */
#include "devices/firmware/e820.h"

#include "devices/firmware/acpi_platform.h"
#include "lib/log.h"
#include "lib/string.h"

#define PAGE_MASK 0xFFFull
#define MMIO_PAGE 0x1000ull

static void add(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	m->e[m->n].addr = addr;
	m->e[m->n].size = size;
	m->e[m->n].type = type;
	m->n++;
}

bool e820_build(uint64_t mem, struct e820_map *out)
{
	out->n = 0;
	if (mem < E820_MEM_MIN || mem > E820_MEM_MAX || (mem & PAGE_MASK)) {
		log_error("e820: guest RAM of %#llx bytes is not supported (page-aligned, "
			  "%#llx to %#llx)", (unsigned long long)mem, E820_MEM_MIN, E820_MEM_MAX);
		return false;
	}
	add(out, 0, E820_LOW_RAM_END, E820_RAM);
	add(out, E820_LOW_RAM_END, E820_HIGH_RAM_BASE - E820_LOW_RAM_END, E820_RESERVED);
	add(out, E820_HIGH_RAM_BASE, mem - E820_HIGH_RAM_BASE, E820_RAM);
	add(out, ACPI_IOAPIC_BASE, MMIO_PAGE, E820_RESERVED);
	add(out, ACPI_LAPIC_BASE, MMIO_PAGE, E820_RESERVED);
	return true;
}

/*
 * The PVH and zero-page encodings are the same three fields (addr, size, type), the
 * PVH one followed by 4 reserved bytes that must be zero: one writer, two strides.
 */
static unsigned encode_plain(const struct e820_map *m, uint8_t *out, unsigned max, size_t stride)
{
	if (m->n > max)
		return 0;
	memset(out, 0, m->n * stride);
	for (unsigned i = 0; i < m->n; i++) {
		struct boot_e820_entry e = { m->e[i].addr, m->e[i].size, m->e[i].type };
		memcpy(out + i * stride, &e, sizeof(e));
	}
	return m->n;
}

unsigned e820_to_pvh(const struct e820_map *m, struct hvm_memmap_table_entry *out, unsigned max)
{
	return encode_plain(m, (uint8_t *)out, max, sizeof(*out));
}

unsigned e820_to_zeropage(const struct e820_map *m, struct boot_e820_entry *out, unsigned max)
{
	return encode_plain(m, (uint8_t *)out, max, sizeof(*out));
}

unsigned e820_to_multiboot(const struct e820_map *m, struct multiboot_mmap_entry *out,
			   unsigned max)
{
	if (m->n > max)
		return 0;
	for (unsigned i = 0; i < m->n; i++) {
		out[i].size = sizeof(out[i]) - sizeof(out[i].size);
		out[i].addr = m->e[i].addr;
		out[i].len = m->e[i].size;
		out[i].type = m->e[i].type;
	}
	return m->n;
}

/* End of the RAM run that contains `addr`, following adjacent RAM entries; addr if none. */
static uint64_t ram_run_end(const struct e820_map *m, uint64_t addr)
{
	bool grew = true;

	while (grew) {
		grew = false;
		for (unsigned i = 0; i < m->n; i++) {
			const struct e820_entry *e = &m->e[i];
			if (e->type == E820_RAM && e->addr <= addr && addr < e->addr + e->size) {
				addr = e->addr + e->size;
				grew = true;
			}
		}
	}
	return addr;
}

void e820_multiboot_mem(const struct e820_map *m, uint32_t *lower_kib, uint32_t *upper_kib)
{
	*lower_kib = (uint32_t)(ram_run_end(m, 0) >> 10);
	*upper_kib = (uint32_t)((ram_run_end(m, E820_HIGH_RAM_BASE) - E820_HIGH_RAM_BASE) >> 10);
}
