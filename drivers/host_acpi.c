/* host_acpi: the host firmware's ACPI tables, read for the CPU and I/O APIC list (MADT) and the PM timer (FADT). */
#include "drivers/host_acpi.h"

#include <stddef.h>

#include "lib/format.h"
#include "lib/log.h"
#include "lib/string.h"

#define ACPI_HEADER_LEN 36
#define ACPI_TABLE_MAX_LEN (1u << 20)	/* sanity bound: no real MADT/XSDT comes close */

/* ACPI 6.5, 5.2.12: MADT interrupt controller structure types. */
#define MADT_LOCAL_APIC 0
#define MADT_IO_APIC 1
#define MADT_INT_OVERRIDE 2
#define MADT_LOCAL_X2APIC 9
#define MADT_LAPIC_ENABLED 1u
#define MADT_LAPIC_ONLINE_CAPABLE 2u

/* ACPI 6.5, 5.2.9, Table 5.9: FADT field offsets. */
#define FADT_PM_TMR_BLK 76
#define FADT_PM_TMR_LEN 91
#define FADT_FLAGS 112
#define FADT_X_PM_TMR_BLK 208	/* Generic Address Structure, 12 bytes */
#define FADT_TMR_VAL_EXT (1u << 8)
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define GAS_SYSTEM_IO 1

static const void *phys(uint64_t pa)
{
	return (const void *)(uintptr_t)pa;
}

static uint32_t read32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t read64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

/* A table header at pa with a sane length and a valid checksum, or NULL. */
static const uint8_t *acpi_table(uint64_t pa, uint32_t *len)
{
	if (!pa)
		return NULL;
	const uint8_t *t = phys(pa);
	uint32_t l = read32(t + 4);
	if (l < ACPI_HEADER_LEN || l > ACPI_TABLE_MAX_LEN) {
		log_warn("host ACPI: table %.4s at %#llx has a bad length %u; skipped",
			 (const char *)t, (unsigned long long)pa, l);
		return NULL;
	}
	if (!checksum_ok(t, l)) {
		log_warn("host ACPI: table %.4s at %#llx has a bad checksum; skipped",
			 (const char *)t, (unsigned long long)pa);
		return NULL;
	}
	*len = l;
	return t;
}

static void madt_add_cpu(struct host_acpi *out, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & (MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAPABLE)) ||
	    out->ncpus == HOST_ACPI_MAX_CPUS) {
		out->ncpus_ignored++;
		return;
	}
	out->apic_ids[out->ncpus++] = apic_id;
}

static void madt_parse(const uint8_t *t, uint32_t len, struct host_acpi *out)
{
	if (len < ACPI_HEADER_LEN + 8) {
		log_warn("host ACPI: MADT too short (%u bytes)", len);
		return;
	}
	out->has_madt = true;
	out->lapic_address = read32(t + 36);
	out->pcat_compat = read32(t + 40) & 1;
	for (uint32_t off = ACPI_HEADER_LEN + 8; off + 2 <= len;) {
		uint8_t type = t[off], elen = t[off + 1];
		if (elen < 2 || off + elen > len) {
			log_warn("host ACPI: MADT entry at offset %u has a bad length %u; rest ignored",
				 off, elen);
			return;
		}
		const uint8_t *e = t + off;
		if (type == MADT_LOCAL_APIC && elen >= 8)
			madt_add_cpu(out, e[3], read32(e + 4));
		else if (type == MADT_LOCAL_X2APIC && elen >= 16)
			madt_add_cpu(out, read32(e + 4), read32(e + 8));
		else if (type == MADT_IO_APIC && elen >= 12 && out->nioapics < HOST_ACPI_MAX_IOAPICS)
			out->ioapics[out->nioapics++] =
				(struct host_ioapic){ e[2], read32(e + 4), read32(e + 8) };
		else if (type == MADT_INT_OVERRIDE && elen >= 10)
			out->noverrides++;
		off += elen;
	}
}

/*
 * The PM timer block: X_PM_TMR_BLK when the table is long enough to have it and it is set
 * (5.2.9: it then supersedes PM_TMR_BLK), else PM_TMR_BLK with PM_TMR_LEN 4. Only a system
 * I/O block of 4 ports is kept: that is what can be handed to a guest through the I/O
 * permission map.
 */
static void fadt_parse(const uint8_t *t, uint32_t len, struct host_acpi *out)
{
	if (len < FADT_FLAGS + 4) {
		log_warn("host ACPI: FADT too short (%u bytes)", len);
		return;
	}
	out->has_fadt = true;
	uint32_t flags = read32(t + FADT_FLAGS);
	if (flags & FADT_HW_REDUCED_ACPI)
		return;
	uint64_t port = 0;
	if (len >= FADT_X_PM_TMR_BLK + 12 && read64(t + FADT_X_PM_TMR_BLK + 4)) {
		if (t[FADT_X_PM_TMR_BLK] != GAS_SYSTEM_IO)
			return;
		port = read64(t + FADT_X_PM_TMR_BLK + 4);
	} else if (t[FADT_PM_TMR_LEN] == 4) {
		port = read32(t + FADT_PM_TMR_BLK);
	}
	if (port > 0xfffc)
		return;
	out->pm_tmr_port = (uint16_t)port;
	out->pm_tmr_32bit = flags & FADT_TMR_VAL_EXT;
}

void host_acpi_parse(uint64_t rsdp_pa, struct host_acpi *out)
{
	memset(out, 0, sizeof(*out));
	if (!rsdp_pa)
		return;
	const uint8_t *rsdp = phys(rsdp_pa);
	if (memcmp(rsdp, "RSD PTR ", 8) || !checksum_ok(rsdp, 20)) {
		log_warn("host ACPI: RSDP at %#llx is invalid; ignored", (unsigned long long)rsdp_pa);
		return;
	}
	out->has_rsdp = true;
	out->revision = rsdp[15];

	/* ACPI 6.5, 5.2.5.3: revision >= 2 has a 64-bit XSDT address, checked over 36 bytes. */
	bool xsdt = out->revision >= 2 && read32(rsdp + 20) >= 36 &&
		    checksum_ok(rsdp, read32(rsdp + 20)) && read64(rsdp + 24);
	uint32_t root_len;
	const uint8_t *root = acpi_table(xsdt ? read64(rsdp + 24) : read32(rsdp + 16), &root_len);
	if (!root || memcmp(root, xsdt ? "XSDT" : "RSDT", 4)) {
		log_warn("host ACPI: no valid %s", xsdt ? "XSDT" : "RSDT");
		return;
	}
	unsigned entry = xsdt ? 8 : 4;
	for (uint32_t off = ACPI_HEADER_LEN; off + entry <= root_len; off += entry) {
		uint64_t pa = xsdt ? read64(root + off) : read32(root + off);
		uint32_t len;
		const uint8_t *t = acpi_table(pa, &len);
		if (t && !memcmp(t, "APIC", 4) && !out->has_madt)
			madt_parse(t, len, out);
		else if (t && !memcmp(t, "FACP", 4) && !out->has_fadt)
			fadt_parse(t, len, out);
	}
}

void host_acpi_log(const struct host_acpi *a)
{
	if (a->pm_tmr_port)
		log_info("host: ACPI PM timer at port %#x (%u-bit)", a->pm_tmr_port,
			 a->pm_tmr_32bit ? 32 : 24);
	else
		log_info("host: no ACPI PM timer in I/O space (%s)",
			 a->has_fadt ? "the FADT names none" : "no FADT");
	if (!a->has_madt) {
		log_info("host: no ACPI MADT from the firmware (%s): CPUs unknown",
			 a->has_rsdp ? "tables present, MADT missing" : "no RSDP published");
		return;
	}
	char ids[160];
	size_t n = 0;
	ids[0] = 0;
	for (unsigned i = 0; i < a->ncpus && n + 12 < sizeof(ids); i++)
		n += (size_t)fmt_snprintf(ids + n, sizeof(ids) - n, "%s%u", i ? "," : "",
					  a->apic_ids[i]);
	log_info("host: ACPI rev %u MADT: %u CPU%s (APIC IDs %s), LAPIC at %#llx, %u I/O APIC%s, "
		 "%u overrides%s",
		 a->revision, a->ncpus, a->ncpus == 1 ? "" : "s", ids,
		 (unsigned long long)a->lapic_address, a->nioapics, a->nioapics == 1 ? "" : "s",
		 a->noverrides, a->pcat_compat ? ", 8259 pair present" : "");
	for (unsigned i = 0; i < a->nioapics; i++)
		log_info("host: I/O APIC id %u at %#x, GSI base %u", a->ioapics[i].id,
			 a->ioapics[i].address, a->ioapics[i].gsi_base);
	if (a->ncpus_ignored)
		log_info("host: %u local APIC entries ignored (disabled or beyond %u)",
			 a->ncpus_ignored, HOST_ACPI_MAX_CPUS);
}
