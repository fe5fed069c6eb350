/* fuzz_nvmx: libFuzzer target over vmcs12 VMREAD/VMWRITE and the VM-entry check table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_check_internal.h"
#include "tests/fuzz/nvmx/fuzz_nested.h"
#include "tests/nvmx/nvmx_fixture.h"
#include "tests/nvmx/nvmx_hosts.h"

/*
 * Input: one flag byte (L1 EFER.LMA, x2APIC, IA32_VMX_MISC[29], a table row whose mutation
 * is applied first, and with bit 4 the capabilities nestor offers on Bochs ivy bridge,
 * bits 6:5 the personality, instead of the fixture's everything), then records of 1 + 2 + 8 bytes: an op (VMWRITE / VMREAD / memory
 * poke), an encoding (or RAM offset) and a value. Starting from the valid vmcs12 keeps the
 * fuzzer near the rules instead of failing the first control check every time.
 */
static struct nvmx_fixture fx;

#define CHECK(x) do { if (!(x)) { __builtin_trap(); } } while (0)

static uint64_t rd64(const uint8_t *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

static void write_read(uint16_t enc, uint64_t val, unsigned opsize)
{
	const struct vmx_cap_msrs *caps = &fx.caps.msrs;
	unsigned w = vmcs12_vmwrite(&fx.v, caps, enc, opsize, val);
	uint64_t back = 0;

	CHECK(w == 0 || w == VMXERR_UNSUPPORTED_FIELD || w == VMXERR_WRITE_READ_ONLY_FIELD);
	if (w)
		return;
	/* Property: a successful VMWRITE reads back cut to the field and the operand. */
	CHECK(vmcs12_vmread(&fx.v, caps, enc, 8, &back) == 0);
	const struct vmcs12_field *f = vmcs12_field_find(enc);
	uint64_t m = f->width == VMCS_WIDTH_16 ? 0xffff : f->width == VMCS_WIDTH_32 ? 0xffffffffull : ~0ull;
	if (enc & VMCS_ENC_HIGH)
		m = 0xffffffffull;
	if (opsize == 4)
		m &= 0xffffffffull;
	CHECK(back == (val & m));
}

/* Invariants every vmcs12 that passes all rows must have, restated independently. */
static void check_invariants(const struct vmcs12 *v)
{
	const struct vmx_cap_msrs *m = &fx.caps.msrs;
	uint32_t proc2 = (v->proc_controls & PROC_SECONDARY) ? v->proc2_controls : 0;
	bool ug = proc2 & PROC2_UNRESTRICTED_GUEST;
	bool ia32e = v->entry_controls & ENTRY_IA32E_GUEST;
	uint8_t vtpr = 0;

	if ((v->proc_controls & PROC_TPR_SHADOW) &&
	    !(proc2 & (PROC2_VIRT_APIC_ACCESSES | PROC2_VIRT_INTR_DELIVERY))) {
		CHECK(fx.env.read(fx.env.ctx, v->virtual_apic_page + 0x80, &vtpr, 1));
		CHECK(v->tpr_threshold <= (uint32_t)(vtpr >> 4));
	}
	uint64_t need0 = m->cr0_fixed0 & ~(ug ? 0x80000001ull : 0) & ~0x60000000ull;
	CHECK((v->guest_cr0 & need0) == need0);
	CHECK((v->guest_cr4 & m->cr4_fixed0) == m->cr4_fixed0);
	CHECK(!ia32e || ((v->guest_cr0 >> 31) & 1 && (v->guest_cr4 >> 5) & 1));
	CHECK(v->link_pointer == ~0ull || (!(v->link_pointer & 0xfff) &&
					   v->link_pointer != fx.env.vmcs12_gpa));
	CHECK(v->guest_activity_state <= 3);
	CHECK(v->guest_rflags & 2);
	CHECK(v->host_cs_sel && v->host_tr_sel);
	CHECK(!(v->entry_intr_info & INTR_INFO_VALID) ||
	      (v->entry_intr_info & INTR_INFO_TYPE_MASK) != (1u << 8));
	CHECK(!(proc2 & PROC2_UNRESTRICTED_GUEST) || (proc2 & PROC2_EPT));
	CHECK(((v->guest_tr_ar & 0xf) == 11) || (!ia32e && (v->guest_tr_ar & 0xf) == 3));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nvmx_result r, rk, ra;
	const struct nvmx_check *fails[8];
	char line[600];

	nvmx_fixture_init(&fx);
	if (size < 2)
		return 0;
	if (data[0] & 0x10)
		fuzz_offer_caps(&fx, (data[0] >> 5) & 3);
	nvmx_fixture_valid(&fx);
	fx.env.l1_lma = !(data[0] & 1);
	fx.env.l1_x2apic = data[0] & 2;
	if (data[0] & 4)
		fx.caps.msrs.misc |= VMX_MISC_VMWRITE_ANY;
	if (data[0] & 8)
		nvmx_mutations[data[1] % nvmx_mutation_count].apply(&fx.c);
	for (size_t i = 2; i + 11 <= size; i += 11) {
		uint8_t op = data[i];
		uint16_t enc;
		uint64_t val = rd64(data + i + 3);

		memcpy(&enc, data + i + 1, 2);
		switch (op % 4) {
		case 0: /* VMWRITE to a field of the table (an index keeps hits frequent) */
			write_read(vmcs12_fields[enc % vmcs12_field_count].encoding |
					   ((op >> 2) & 1), val, (op & 0x10) ? 4 : 8);
			break;
		case 1: /* VMWRITE / VMREAD of any encoding */
			write_read(enc, val, 8);
			vmcs12_vmread(&fx.v, &fx.caps.msrs, enc | ((uint64_t)op << 32), 8, &val);
			break;
		case 2: { /* poke L1 RAM (VTPR, MSR entries, revisions, PDPTEs) */
			uint64_t gpa = NVMX_FIX_RAM_BASE + (enc % (sizeof(fx.ram) - 8));
			memcpy(fx.layout.ptr(fx.layout.ctx, gpa, 8), &val, 8);
			break;
		}
		default: /* flip one bit of the raw vmcs12 */
			((uint8_t *)&fx.v)[enc % sizeof(fx.v)] ^= (uint8_t)(1u << (op >> 5));
			break;
		}
	}
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_KVM, &rk);
	unsigned n = nvmx_check_vmentry_all(&fx.v, &fx.env, NVMX_MODE_ALL, &ra, fails, 8);
	nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
	nvmx_result_format(&r, &fx.v, &fx.env, line, 7);
	/* Properties: the collecting mode agrees; KVM's rows are a subset of all rows. */
	CHECK(ra.check == r.check && (n == 0) == (r.check == NULL));
	CHECK(!n || fails[0] == r.check);
	if (!r.check) {
		CHECK(!rk.check);
		check_invariants(&fx.v);
	}
	if (r.check)
		CHECK(r.out.kind == r.check->kind && r.out.code == r.check->code);
	/* The nested runtime on what passed (tests/fuzz/nvmx/fuzz_nested.c): vmcs02, exits. */
	if (!r.check && (data[0] & 0x10))
		fuzz_nested(&fx, data, size);
	return 0;
}
