/* acpi_madt: the Multiple APIC Description Table (LAPICs, IOAPIC, overrides, NMI). */
#include "devices/firmware/acpi_madt.h"

#include "devices/firmware/acpi_sdt.h"
#include "lib/string.h"

#define MADT_PCAT_COMPAT 1u
#define MADT_LAPIC_ENABLED 1u
#define MADT_ALL_PROCESSORS 0xFFu

/* ISA IRQ 0 (PIT) -> GSI 2 and the SCI, level/active-high, are the only overrides. */
#define MADT_OVERRIDES 2u

size_t acpi_madt_size(const struct acpi_platform *p)
{
	return sizeof(struct acpi_madt) + p->ncpus * sizeof(struct madt_lapic) +
	       sizeof(struct madt_ioapic) + MADT_OVERRIDES * sizeof(struct madt_override) +
	       sizeof(struct madt_lapic_nmi);
}

static void put_override(uint8_t *at, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	struct madt_override o = {
		.type = MADT_TYPE_OVERRIDE, .length = sizeof(o), .bus = 0, .source = irq,
		.gsi = gsi, .flags = flags,
	};
	memcpy(at, &o, sizeof(o));
}

/*
 * Without overrides, ISA IRQ n is GSI n (5.2.12.5). The PIT's IRQ0 sits on pin 2 of
 * the IOAPIC as on every PC chipset (pin 0 carries the 8259's INTR), so Linux routes
 * the timer through GSI 2. The SCI is level triggered (4.8.1.1: a shareable, level
 * interrupt); it is declared active high here because nestor's IOAPIC pin is driven
 * directly, with no inverter between the PM block and the pin.
 */
void acpi_madt_build(uint8_t *buf, const struct acpi_platform *p)
{
	size_t len = acpi_madt_size(p);
	struct acpi_madt m;
	uint8_t *at = buf + sizeof(m);

	memset(buf, 0, len);
	for (unsigned i = 0; i < p->ncpus; i++) {
		struct madt_lapic l = {
			.type = MADT_TYPE_LAPIC, .length = sizeof(l), .processor_uid = (uint8_t)i,
			.apic_id = (uint8_t)i, .flags = MADT_LAPIC_ENABLED,
		};
		memcpy(at, &l, sizeof(l));
		at += sizeof(l);
	}
	struct madt_ioapic io = {
		.type = MADT_TYPE_IOAPIC, .length = sizeof(io), .ioapic_id = p->ioapic_id,
		.address = ACPI_IOAPIC_BASE, .gsi_base = 0,
	};
	memcpy(at, &io, sizeof(io));
	at += sizeof(io);
	put_override(at, 0, 2, MPS_POLARITY_HIGH | MPS_TRIGGER_EDGE);
	at += sizeof(struct madt_override);
	put_override(at, p->sci_irq, p->sci_irq, MPS_POLARITY_HIGH | MPS_TRIGGER_LEVEL);
	at += sizeof(struct madt_override);
	/* LINT1 of every LAPIC is the NMI input, as wired on PCs (SDM Vol. 3, 11.5.1). */
	struct madt_lapic_nmi nmi = {
		.type = MADT_TYPE_LAPIC_NMI, .length = sizeof(nmi),
		.processor_uid = MADT_ALL_PROCESSORS,
		.flags = MPS_POLARITY_HIGH | MPS_TRIGGER_EDGE, .lint = 1,
	};
	memcpy(at, &nmi, sizeof(nmi));

	acpi_header_init(&m.header, "APIC", (uint32_t)len, 5);
	m.lapic_address = ACPI_LAPIC_BASE;
	m.flags = MADT_PCAT_COMPAT;
	memcpy(buf, &m, sizeof(m));
	acpi_table_seal(buf);
}
