/* acpi_dsdt: the Differentiated System Description Table, as small as Linux accepts. */
#include "devices/firmware/acpi_dsdt.h"

#include "devices/firmware/acpi_sdt.h"
#include "lib/string.h"

/*
 * The objects nestor's guests need from AML: \_S5, which Linux's acpi_power_off()
 * evaluates for the SLP_TYP value, writes SLP_TYP and then SLP_TYP|SLP_EN to PM1a_CNT
 * (ACPI 6.4, 7.4.2 \_Sx and 4.8.3.2.1 PM1 Control), and the PM block turns that write into
 * the end of the run; and the keyboard controller, \_SB.KBD_. Other devices (UART, PIT,
 * RTC, PCI) are found by Linux's legacy probing, so the DSDT declares none of them.
 *
 * The AML below is assembled by hand. Opcodes from ACPI 6.4, 20.3 (AML byte values):
 */
#define AML_ZERO_OP 0x00	/* ZeroOp: the constant 0 */
#define AML_ONE_OP 0x01		/* OneOp: the constant 1 */
#define AML_NAME_OP 0x08	/* DefName := NameOp NameString DataRefObject (20.2.5.1) */
#define AML_BYTE_PREFIX 0x0A	/* ByteConst := BytePrefix ByteData (20.2.3) */
#define AML_PACKAGE_OP 0x12	/* DefPackage := PackageOp PkgLength NumElements ElementList */
#define AML_DWORD_PREFIX 0x0C	/* DWordConst := DWordPrefix DWordData */
#define AML_SCOPE_OP 0x10	/* DefScope := ScopeOp PkgLength NameString TermList */
#define AML_BUFFER_OP 0x11	/* DefBuffer := BufferOp PkgLength BufferSize ByteList */
#define AML_EXT_OP_PREFIX 0x5B
#define AML_DEVICE_OP 0x82	/* DefDevice := ExtOpPrefix DeviceOp PkgLength NameString TermList */

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

static void aml_bytes(struct aml *a, const void *p, size_t n)
{
	memcpy(a->p + a->len, p, n);
	a->len += n;
}

/* Opens an object with a one-byte PkgLength; aml_close() patches it. */
static size_t aml_open(struct aml *a)
{
	aml_byte(a, 0);
	return a->len - 1;
}

static void aml_close(struct aml *a, size_t pkglen_at)
{
	a->p[pkglen_at] = (uint8_t)(a->len - pkglen_at);
}

/*
 * Name (_S5, Package (4) { slp_typ, slp_typ, 0, 0 }): SLP_TYPa for PM1a_CNT,
 * SLP_TYPb for the (absent) PM1b_CNT, then two reserved elements.
 * Emitted: 08 '_S5_' 12 <pkglen> 04 <slp_typ> <slp_typ> 00 00.
 */
static void aml_s5(struct aml *a, uint8_t slp_typ)
{
	aml_byte(a, AML_NAME_OP);
	aml_bytes(a, "_S5_", 4);		/* NameSeg: 4 chars, '_' padded */
	aml_byte(a, AML_PACKAGE_OP);
	size_t pkglen = aml_open(a);
	aml_byte(a, 4);				/* NumElements */
	aml_integer(a, slp_typ);
	aml_integer(a, slp_typ);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_close(a, pkglen);
	_Static_assert(1 + 1 + 4 * 2 <= AML_PKGLEN_1BYTE_MAX, "one-byte PkgLength");
}

/*
 * The PS/2 keyboard controller nestor emulates (devices/i8042.c: ports 0x60 and 0x64, ISA
 * IRQ 1, no auxiliary port):
 *   Scope (\_SB) { Device (KBD) { Name (_HID, EisaId ("PNP0303"))
 *     Name (_CRS, ResourceTemplate () { IO (Decode16, 0x60, 0x60, 1, 1)
 *                                       IO (Decode16, 0x64, 0x64, 1, 1) IRQNoFlags () {1} }) } }
 * Without it Linux probes the ports directly and, finding no PNP0F13 mouse to say there is no
 * AUX port, tests one: the loop-back answered without IRQ 12, it waits out 250 ms for the IRQ
 * (i8042_check_aux). With a keyboard and no mouse described it sets i8042_noaux instead.
 */
static void aml_keyboard(struct aml *a)
{
	/* ACPI 6.4, 6.4.2.5 I/O port descriptor (small item 0x47), 6.4.2.1 IRQ descriptor without
	 * flags (0x22: edge, active high), 6.4.2.9 end tag (0x79, checksum 0: "ignore"). */
	static const uint8_t crs[] = { 0x47, 0x01, 0x60, 0x00, 0x60, 0x00, 0x01, 0x01,
				       0x47, 0x01, 0x64, 0x00, 0x64, 0x00, 0x01, 0x01,
				       0x22, 0x02, 0x00, 0x79, 0x00 };
	/* EisaId ("PNP0303"): three 5-bit letters, then the hex digits, stored big-endian. */
	static const uint8_t pnp0303[] = { 0x41, 0xD0, 0x03, 0x03 };

	aml_byte(a, AML_SCOPE_OP);
	size_t scope = aml_open(a);
	aml_bytes(a, "_SB_", 4);	/* at the root already: iasl drops the '\\' too */
	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_DEVICE_OP);
	size_t dev = aml_open(a);
	aml_bytes(a, "KBD_", 4);
	aml_byte(a, AML_NAME_OP);
	aml_bytes(a, "_HID", 4);
	aml_byte(a, AML_DWORD_PREFIX);
	aml_bytes(a, pnp0303, sizeof(pnp0303));
	aml_byte(a, AML_NAME_OP);
	aml_bytes(a, "_CRS", 4);
	aml_byte(a, AML_BUFFER_OP);
	size_t buf = aml_open(a);
	aml_integer(a, sizeof(crs));
	aml_bytes(a, crs, sizeof(crs));
	aml_close(a, buf);
	aml_close(a, dev);
	aml_close(a, scope);
	_Static_assert(1 + 4 + 2 + 1 + 4 + 10 + 6 + 1 + 2 + sizeof(crs) <= AML_PKGLEN_1BYTE_MAX,
		       "one-byte PkgLengths");
}

size_t acpi_dsdt_build(uint8_t *buf, const struct acpi_platform *p)
{
	struct acpi_header h;
	struct aml a = { .p = buf, .len = sizeof(h) };

	memset(buf, 0, ACPI_DSDT_MAX);
	aml_s5(&a, (uint8_t)(p->s5_slp_typ & 7));
	aml_keyboard(&a);
	/* Revision 2: integers are 64 bits wide in this definition block (5.2.11.1). */
	acpi_header_init(&h, "DSDT", (uint32_t)a.len, 2);
	memcpy(buf, &h, sizeof(h));
	acpi_table_seal(buf);
	return a.len;
}
