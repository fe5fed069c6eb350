/* acpi_dsdt: the Differentiated System Description Table, as small as Linux accepts. */
#include "devices/firmware/acpi_dsdt.h"

#include "devices/firmware/acpi_sdt.h"
#include "lib/string.h"

/*
 * The only object nestor's guests need from AML is \_S5: Linux's acpi_power_off()
 * evaluates it for the SLP_TYP value, writes SLP_TYP and then SLP_TYP|SLP_EN to
 * PM1a_CNT (ACPI 6.4, 7.4.2 \_Sx and 4.8.3.2.1 PM1 Control), and the PM block turns
 * that write into the end of the run. Devices (UART, PIT, RTC, PCI) are found by
 * Linux's legacy probing, so the DSDT declares none of them.
 *
 * The AML below is assembled by hand. Opcodes from ACPI 6.4, 20.3 (AML byte values):
 */
#define AML_ZERO_OP 0x00	/* ZeroOp: the constant 0 */
#define AML_ONE_OP 0x01		/* OneOp: the constant 1 */
#define AML_NAME_OP 0x08	/* DefName := NameOp NameString DataRefObject (20.2.5.1) */
#define AML_BYTE_PREFIX 0x0A	/* ByteConst := BytePrefix ByteData (20.2.3) */
#define AML_PACKAGE_OP 0x12	/* DefPackage := PackageOp PkgLength NumElements ElementList */

/* PkgLength in its one-byte form: bits 7:6 = 0 (no follow bytes), 5:0 = length (20.2.4). */
#define AML_PKGLEN_1BYTE_MAX 63u

struct aml {
	uint8_t *p;
	size_t len;
};

static void aml_byte(struct aml *a, uint8_t b)
{
	a->p[a->len++] = b;
}

/* The shortest encoding of a small integer, as iasl emits it. */
static void aml_integer(struct aml *a, uint8_t v)
{
	if (v == 0) {
		aml_byte(a, AML_ZERO_OP);
	} else if (v == 1) {
		aml_byte(a, AML_ONE_OP);
	} else {
		aml_byte(a, AML_BYTE_PREFIX);
		aml_byte(a, v);
	}
}

/*
 * Name (_S5, Package (4) { slp_typ, slp_typ, 0, 0 }): SLP_TYPa for PM1a_CNT,
 * SLP_TYPb for the (absent) PM1b_CNT, then two reserved elements.
 * Emitted: 08 '_S5_' 12 <pkglen> 04 <slp_typ> <slp_typ> 00 00.
 */
static void aml_s5(struct aml *a, uint8_t slp_typ)
{
	aml_byte(a, AML_NAME_OP);
	memcpy(a->p + a->len, "_S5_", 4);	/* NameSeg: 4 chars, '_' padded */
	a->len += 4;
	aml_byte(a, AML_PACKAGE_OP);
	size_t pkglen_at = a->len;
	aml_byte(a, 0);				/* PkgLength, patched below */
	aml_byte(a, 4);				/* NumElements */
	aml_integer(a, slp_typ);
	aml_integer(a, slp_typ);
	aml_integer(a, 0);
	aml_integer(a, 0);
	/* PkgLength counts itself and everything after it up to the package's end. */
	a->p[pkglen_at] = (uint8_t)(a->len - pkglen_at);
	_Static_assert(1 + 1 + 4 * 2 <= AML_PKGLEN_1BYTE_MAX, "one-byte PkgLength");
}

size_t acpi_dsdt_build(uint8_t *buf, const struct acpi_platform *p)
{
	struct acpi_header h;
	struct aml a = { .p = buf, .len = sizeof(h) };

	memset(buf, 0, ACPI_DSDT_MAX);
	aml_s5(&a, (uint8_t)(p->s5_slp_typ & 7));
	/* Revision 2: integers are 64 bits wide in this definition block (5.2.11.1). */
	acpi_header_init(&h, "DSDT", (uint32_t)a.len, 2);
	memcpy(buf, &h, sizeof(h));
	acpi_table_seal(buf);
	return a.len;
}
