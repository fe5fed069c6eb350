/* vmcs12: the field table and VMREAD/VMWRITE width rules over nestor's vmcs12 layout. */
#include "nested/vmx/vmcs12.h"

#include "arch/x86/vmx/vmx_caps.h"

#define FIELD64(enc, m) { enc, offsetof(struct vmcs12, m), VMCS_WIDTH_64, #m },
#define FIELDNAT(enc, m) { enc, offsetof(struct vmcs12, m), VMCS_WIDTH_NATURAL, #m },
#define FIELD32(enc, m) { enc, offsetof(struct vmcs12, m), VMCS_WIDTH_32, #m },
#define FIELD16(enc, m) { enc, offsetof(struct vmcs12, m), VMCS_WIDTH_16, #m },

const struct vmcs12_field vmcs12_fields[] = {
	VMCS12_FIELDS_64(FIELD64)
	VMCS12_FIELDS_NATURAL(FIELDNAT)
	VMCS12_FIELDS_32(FIELD32)
	VMCS12_FIELDS_16(FIELD16)
};
const unsigned vmcs12_field_count = sizeof(vmcs12_fields) / sizeof(vmcs12_fields[0]);

/*
 * Direct lookup (VMREAD/VMWRITE run on every L1 exit of a nested guest): a slot from the
 * encoding's width, type and index (24.11.2; every index here is below 32), holding the
 * field's position in the table + 1.
 */
#define SLOT(enc) ((VMCS_ENC_WIDTH(enc) << 7) | (VMCS_ENC_TYPE(enc) << 5) | (((enc) >> 1) & 31))
#define FIELD_NUM(enc, m) FIELD_##m,
enum { VMCS12_FIELDS_64(FIELD_NUM) VMCS12_FIELDS_NATURAL(FIELD_NUM) VMCS12_FIELDS_32(FIELD_NUM)
       VMCS12_FIELDS_16(FIELD_NUM) FIELD_COUNT };
#define FIELD_SLOT(enc, m) [SLOT(enc)] = FIELD_##m + 1,
static const uint8_t slots[512] = {
	VMCS12_FIELDS_64(FIELD_SLOT) VMCS12_FIELDS_NATURAL(FIELD_SLOT)
	VMCS12_FIELDS_32(FIELD_SLOT) VMCS12_FIELDS_16(FIELD_SLOT)
};
_Static_assert(FIELD_COUNT < 256, "slots hold a field number in a byte");

const struct vmcs12_field *vmcs12_field_find(uint64_t encoding)
{
	const struct vmcs12_field *f;
	uint64_t e = encoding & ~(uint64_t)VMCS_ENC_HIGH;

	/* Bits 63:15 and bit 12 are never set in an encoding (24.11.2): no such field. */
	if ((encoding & ~0x6fffull) || ((e >> 1) & 0x1ff) > 31)
		return NULL;
	if (!slots[SLOT(e)])
		return NULL;
	f = &vmcs12_fields[slots[SLOT(e)] - 1];
	return f->encoding == e ? f : NULL;
}

/* Which capability MSR and allowed-1 bit a field depends on (SDM 24.6-24.8, A.3-A.5). */
enum need_msr { NEED_NONE, NEED_PIN, NEED_PROC, NEED_PROC2, NEED_EXIT, NEED_ENTRY, NEED_VMFUNC };

struct field_need {
	uint16_t encoding;
	uint8_t msr;
	uint32_t bit;
};

static const struct field_need needs[] = {
	{ VMCS_VPID, NEED_PROC2, PROC2_VPID },
	{ VMCS_POSTED_INTR_NV, NEED_PIN, PIN_POSTED_INTERRUPTS },
	{ VMCS_POSTED_INTR_DESC, NEED_PIN, PIN_POSTED_INTERRUPTS },
	{ VMCS_EPTP_INDEX, NEED_PROC2, PROC2_EPT_VE },
	{ VMCS_VE_INFO_ADDR, NEED_PROC2, PROC2_EPT_VE },
	{ VMCS_GUEST_INTR_STATUS, NEED_PROC2, PROC2_VIRT_INTR_DELIVERY },
	{ VMCS_EOI_EXIT_BITMAP0, NEED_PROC2, PROC2_VIRT_INTR_DELIVERY },
	{ VMCS_EOI_EXIT_BITMAP1, NEED_PROC2, PROC2_VIRT_INTR_DELIVERY },
	{ VMCS_EOI_EXIT_BITMAP2, NEED_PROC2, PROC2_VIRT_INTR_DELIVERY },
	{ VMCS_EOI_EXIT_BITMAP3, NEED_PROC2, PROC2_VIRT_INTR_DELIVERY },
	{ VMCS_GUEST_PML_INDEX, NEED_PROC2, PROC2_PML },
	{ VMCS_PML_ADDRESS, NEED_PROC2, PROC2_PML },
	{ VMCS_VIRTUAL_APIC_PAGE, NEED_PROC, PROC_TPR_SHADOW },
	{ VMCS_TPR_THRESHOLD, NEED_PROC, PROC_TPR_SHADOW },
	{ VMCS_APIC_ACCESS_ADDR, NEED_PROC2, PROC2_VIRT_APIC_ACCESSES },
	{ VMCS_VMFUNC_CONTROLS, NEED_PROC2, PROC2_VMFUNC },
	{ VMCS_EPTP_LIST_ADDR, NEED_VMFUNC, (uint32_t)VMFUNC_EPTP_SWITCHING },
	{ VMCS_EPT_POINTER, NEED_PROC2, PROC2_EPT },
	{ VMCS_GUEST_PDPTE0, NEED_PROC2, PROC2_EPT },
	{ VMCS_GUEST_PDPTE1, NEED_PROC2, PROC2_EPT },
	{ VMCS_GUEST_PDPTE2, NEED_PROC2, PROC2_EPT },
	{ VMCS_GUEST_PDPTE3, NEED_PROC2, PROC2_EPT },
	{ VMCS_VMREAD_BITMAP, NEED_PROC2, PROC2_VMCS_SHADOWING },
	{ VMCS_VMWRITE_BITMAP, NEED_PROC2, PROC2_VMCS_SHADOWING },
	{ VMCS_XSS_EXIT_BITMAP, NEED_PROC2, PROC2_XSAVES },
	{ VMCS_TSC_MULTIPLIER, NEED_PROC2, PROC2_TSC_SCALING },
	{ VMCS_PLE_GAP, NEED_PROC2, PROC2_PAUSE_LOOP_EXITING },
	{ VMCS_PLE_WINDOW, NEED_PROC2, PROC2_PAUSE_LOOP_EXITING },
	{ VMCS_PROC2_CONTROLS, NEED_PROC, PROC_SECONDARY },
	{ VMCS_PREEMPTION_TIMER, NEED_PIN, PIN_PREEMPTION_TIMER },
	{ VMCS_GUEST_PERF_GLOBAL_CTRL, NEED_ENTRY, ENTRY_LOAD_PERF_GLOBAL_CTRL },
	{ VMCS_HOST_PERF_GLOBAL_CTRL, NEED_EXIT, EXIT_LOAD_PERF_GLOBAL_CTRL },
	{ VMCS_GUEST_PAT, NEED_ENTRY, ENTRY_LOAD_PAT },
	{ VMCS_HOST_PAT, NEED_EXIT, EXIT_LOAD_PAT },
	{ VMCS_GUEST_EFER, NEED_ENTRY, ENTRY_LOAD_EFER },
	{ VMCS_HOST_EFER, NEED_EXIT, EXIT_LOAD_EFER },
	{ VMCS_GUEST_BNDCFGS, NEED_ENTRY, ENTRY_LOAD_BNDCFGS },
};

static uint32_t may1(const struct vmx_cap_msrs *c, uint8_t msr)
{
	switch (msr) {
	case NEED_PIN: return VMX_CTL_MAY1(c->pin);
	case NEED_PROC: return VMX_CTL_MAY1(c->proc);
	case NEED_PROC2: return VMX_CTL_MAY1(c->proc2);
	case NEED_EXIT: return VMX_CTL_MAY1(c->exit);
	case NEED_ENTRY: return VMX_CTL_MAY1(c->entry);
	case NEED_VMFUNC: return (uint32_t)c->vmfunc;
	default: return ~0u;
	}
}

bool vmcs12_field_exists(const struct vmcs12_field *f, const struct vmx_cap_msrs *caps)
{
	if (!caps)
		return true;
	for (unsigned i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (needs[i].encoding == f->encoding)
			return may1(caps, needs[i].msr) & needs[i].bit;
	return true;
}

uint64_t vmcs12_get(const struct vmcs12 *v, const struct vmcs12_field *f)
{
	const uint8_t *p = (const uint8_t *)v + f->offset;

	switch (f->width) {
	case VMCS_WIDTH_16: return *(const uint16_t *)p;
	case VMCS_WIDTH_32: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

void vmcs12_set(struct vmcs12 *v, const struct vmcs12_field *f, uint64_t value)
{
	uint8_t *p = (uint8_t *)v + f->offset;

	switch (f->width) {
	case VMCS_WIDTH_16: *(uint16_t *)p = (uint16_t)value; break;
	case VMCS_WIDTH_32: *(uint32_t *)p = (uint32_t)value; break;
	default: *(uint64_t *)p = value; break;
	}
}

/* The field an access names, or NULL: a high access exists only for 64-bit fields. */
static const struct vmcs12_field *lookup(const struct vmx_cap_msrs *caps, uint64_t encoding)
{
	const struct vmcs12_field *f = vmcs12_field_find(encoding);

	if (!f || !vmcs12_field_exists(f, caps))
		return NULL;
	if ((encoding & VMCS_ENC_HIGH) && f->width != VMCS_WIDTH_64)
		return NULL;
	return f;
}

static uint64_t opsize_mask(unsigned opsize)
{
	return opsize >= 8 ? ~0ull : 0xffffffffull;
}

unsigned vmcs12_vmread(const struct vmcs12 *v, const struct vmx_cap_msrs *caps,
		       uint64_t encoding, unsigned opsize, uint64_t *value)
{
	const struct vmcs12_field *f = lookup(caps, encoding);
	uint64_t x;

	if (!f)
		return VMXERR_UNSUPPORTED_FIELD;
	x = vmcs12_get(v, f);
	/* A high access reads bits 63:32 into bits 31:0; a field narrower than the
	 * operand is zero-extended, a wider one truncated to the operand (30.3 VMREAD). */
	if (encoding & VMCS_ENC_HIGH)
		x >>= 32;
	*value = x & opsize_mask(opsize);
	return 0;
}

unsigned vmcs12_vmwrite(struct vmcs12 *v, const struct vmx_cap_msrs *caps, uint64_t encoding,
			unsigned opsize, uint64_t value)
{
	const struct vmcs12_field *f = lookup(caps, encoding);
	uint64_t old;

	if (!f)
		return VMXERR_UNSUPPORTED_FIELD;
	if (VMCS_ENC_TYPE(f->encoding) == VMCS_TYPE_READ_ONLY &&
	    !(caps && (caps->misc & VMX_MISC_VMWRITE_ANY)))
		return VMXERR_WRITE_READ_ONLY_FIELD;
	/* 30.3 VMWRITE: high bits of the source beyond the field are ignored; field bits
	 * beyond the operand are cleared. A high access writes bits 63:32 only. */
	value &= opsize_mask(opsize);
	if (encoding & VMCS_ENC_HIGH) {
		old = vmcs12_get(v, f);
		value = (old & 0xffffffffull) | ((value & 0xffffffffull) << 32);
	}
	vmcs12_set(v, f, value);
	return 0;
}
