/* test_nvmx_vmcs12: vmcs12's field table and the VMREAD/VMWRITE width rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "tests/nvmx/nvmx_fixture.h"

static struct nvmx_fixture fx;

static uint64_t width_mask(unsigned w)
{
	return w == VMCS_WIDTH_16 ? 0xffff : w == VMCS_WIDTH_32 ? 0xffffffffull : ~0ull;
}

/* Every field: encoding matches its declared width, no two fields overlap. */
static void test_table_consistent(void **state)
{
	static uint8_t used[sizeof(struct vmcs12)];

	(void)state;
	assert_true(sizeof(struct vmcs12) <= 4096);
	assert_true(vmcs12_field_count > 150);
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];
		unsigned size = f->width == VMCS_WIDTH_16 ? 2 : f->width == VMCS_WIDTH_32 ? 4 : 8;

		assert_int_equal(VMCS_ENC_WIDTH(f->encoding), f->width);
		assert_int_equal(f->encoding & VMCS_ENC_HIGH, 0);
		assert_ptr_equal(vmcs12_field_find(f->encoding), f);
		assert_true(f->offset >= 16 && f->offset + size <= sizeof(struct vmcs12));
		for (unsigned b = 0; b < size; b++) {
			assert_int_equal(used[f->offset + b], 0);
			used[f->offset + b] = 1;
		}
	}
}

/* VMWRITE then VMREAD of every writable field returns the value cut to the field. */
static void test_roundtrip_every_field(void **state)
{
	(void)state;
	nvmx_fixture_init(&fx);
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];
		uint64_t x = 0x8badf00ddeadbeefull ^ (i * 0x9e3779b97f4a7c15ull), back = 0;
		unsigned err = vmcs12_vmwrite(&fx.v, &fx.caps.msrs, f->encoding, 8, x);

		if (VMCS_ENC_TYPE(f->encoding) == VMCS_TYPE_READ_ONLY) {
			assert_int_equal(err, VMXERR_WRITE_READ_ONLY_FIELD);
			continue;
		}
		assert_int_equal(err, 0);
		assert_int_equal(vmcs12_vmread(&fx.v, &fx.caps.msrs, f->encoding, 8, &back), 0);
		assert_int_equal(back, x & width_mask(f->width));
	}
}

/* The high half of a 64-bit field: its own encoding (+1), the low half untouched. */
static void test_high_access(void **state)
{
	uint64_t x;

	(void)state;
	nvmx_fixture_init(&fx);
	assert_int_equal(vmcs12_vmwrite(&fx.v, NULL, VMCS_TSC_OFFSET, 8, 0x1111111122222222ull), 0);
	assert_int_equal(vmcs12_vmwrite(&fx.v, NULL, VMCS_TSC_OFFSET + 1, 8, 0xffffffff33333333ull), 0);
	assert_int_equal(fx.v.tsc_offset, 0x3333333322222222ull);
	assert_int_equal(vmcs12_vmread(&fx.v, NULL, VMCS_TSC_OFFSET + 1, 8, &x), 0);
	assert_int_equal(x, 0x33333333);
	/* No high half for 16-bit, 32-bit or natural-width fields: unsupported component. */
	assert_int_equal(vmcs12_vmread(&fx.v, NULL, VMCS_TPR_THRESHOLD + 1, 8, &x), 12);
	assert_int_equal(vmcs12_vmwrite(&fx.v, NULL, VMCS_GUEST_RIP + 1, 8, 0), 12);
	assert_int_equal(vmcs12_vmread(&fx.v, NULL, VMCS_VPID + 1, 8, &x), 12);
}

/* 32-bit operands: VMREAD truncates, VMWRITE clears the field bits beyond the operand. */
static void test_operand_size(void **state)
{
	uint64_t x;

	(void)state;
	nvmx_fixture_init(&fx);
	assert_int_equal(vmcs12_vmwrite(&fx.v, NULL, VMCS_GUEST_RIP, 4, 0xffffffff12345678ull), 0);
	assert_int_equal(fx.v.guest_rip, 0x12345678);
	fx.v.guest_rsp = 0xaaaabbbbccccddddull;
	assert_int_equal(vmcs12_vmread(&fx.v, NULL, VMCS_GUEST_RSP, 4, &x), 0);
	assert_int_equal(x, 0xccccdddd);
	assert_int_equal(vmcs12_vmwrite(&fx.v, NULL, VMCS_GUEST_CS_SEL, 8, 0x12345), 0);
	assert_int_equal(fx.v.guest_cs_sel, 0x2345);
}

static void test_unsupported_and_read_only(void **state)
{
	uint64_t x;
	struct vmx_cap_msrs caps;

	(void)state;
	nvmx_fixture_init(&fx);
	caps = fx.caps.msrs;
	/* No such field: the executive-VMCS pointer (SMM), bit 12, bits above 14. */
	assert_int_equal(vmcs12_vmread(&fx.v, &caps, 0x200c, 8, &x), 12);
	assert_int_equal(vmcs12_vmread(&fx.v, &caps, 0x1000 | VMCS_GUEST_RIP, 8, &x), 12);
	assert_int_equal(vmcs12_vmread(&fx.v, &caps, 0x10000ull | VMCS_GUEST_RIP, 8, &x), 12);
	assert_int_equal(vmcs12_vmread(&fx.v, &caps, 1ull << 40, 8, &x), 12);
	/* Exit information is read-only unless IA32_VMX_MISC[29]. */
	assert_int_equal(vmcs12_vmwrite(&fx.v, &caps, VMCS_EXIT_REASON, 8, 1), 13);
	assert_int_equal(vmcs12_vmwrite(&fx.v, &caps, VMCS_EXIT_QUALIFICATION, 8, 1), 13);
	caps.misc |= VMX_MISC_VMWRITE_ANY;
	assert_int_equal(vmcs12_vmwrite(&fx.v, &caps, VMCS_EXIT_REASON, 8, 33), 0);
	assert_int_equal(fx.v.exit_reason, 33);
	/* A field of a control L1 cannot use does not exist for L1. */
	caps.proc2 &= ~((uint64_t)PROC2_PML << 32);
	assert_int_equal(vmcs12_vmread(&fx.v, &caps, VMCS_PML_ADDRESS, 8, &x), 12);
	assert_int_equal(vmcs12_vmread(&fx.v, &caps, VMCS_GUEST_PML_INDEX, 8, &x), 12);
	assert_int_equal(vmcs12_vmread(&fx.v, &fx.caps.msrs, VMCS_PML_ADDRESS, 8, &x), 0);
	caps.vmfunc = 0;
	assert_int_equal(vmcs12_vmwrite(&fx.v, &caps, VMCS_EPTP_LIST_ADDR, 8, 0), 12);
}

/* The direct lookup finds exactly what a search of the table finds, for every encoding. */
static void test_find_matches_search(void **state)
{
	(void)state;
	for (uint64_t e = 0; e < 0x10000; e++) {
		const struct vmcs12_field *want = NULL;
		for (unsigned i = 0; i < vmcs12_field_count && !(e & ~0x6fffull); i++)
			if (vmcs12_fields[i].encoding == (e & ~1ull))
				want = &vmcs12_fields[i];
		assert_ptr_equal(vmcs12_field_find(e), want);
	}
	assert_null(vmcs12_field_find(VMCS_GUEST_RIP | (1ull << 32)));
}

/* Copies: the whole struct, and exactly the guest-state fields. */
static void test_copies(void **state)
{
	struct vmcs12 a, b;

	(void)state;
	memset(&a, 0x5a, sizeof(a));
	vmcs12_clear(&b);
	vmcs12_copy_guest(&b, &a);
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];
		bool guest = VMCS_ENC_TYPE(f->encoding) == 2;
		assert_int_equal(vmcs12_get(&b, f) != 0, guest);
	}
	vmcs12_copy(&b, &a);
	assert_memory_equal(&a, &b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_roundtrip_every_field),
		cmocka_unit_test(test_high_access),
		cmocka_unit_test(test_operand_size),
		cmocka_unit_test(test_unsupported_and_read_only),
		cmocka_unit_test(test_find_matches_search),
		cmocka_unit_test(test_copies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
