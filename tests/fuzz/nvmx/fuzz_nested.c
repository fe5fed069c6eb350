/* fuzz_nested: properties of vmcs02 from a passing vmcs12, of exit routing and reflection, of the EPT walk. */
#include "tests/fuzz/nvmx/fuzz_nested.h"

#include <string.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_ept.h"
#include "nested/vmx/nvmx_exit.h"
#include "nested/vmx/nvmx_merge.h"
#include "nested/vmx/nvmx_offer.h"
#include "tests/nvmx/nvmx_hosts.h"

#define CHECK(x) do { if (!(x)) { __builtin_trap(); } } while (0)

void fuzz_offer_caps(struct nvmx_fixture *f, unsigned flavor)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	char why[128];

	CHECK(nvmx_offer(&h, (enum nvmx_flavor)(flavor ? flavor : NVMX_FLAVOR_HYPERV), NULL,
			 &f->caps, why, sizeof(why)));
}

static uint64_t take(const uint8_t *data, size_t size, size_t at)
{
	uint64_t x = 0;
	for (unsigned i = 0; i < 8; i++)
		x |= (uint64_t)(at + i < size ? data[at + i] : 0) << (8 * i);
	return x;
}

/* vmcs02 against the host's capability model: nestor's checks passing must mean the CPU
 * takes vmcs02 (L1 RAM at host address 0, so memory reads stay the fixture's). */
static void merge_property(struct nvmx_fixture *f, struct vmcs12 *v02)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	struct nvmx_caps host = { .msrs = h.msrs, .maxphyaddr = 40, .linear_bits = 48,
				  .efer_valid = 0xd01 };
	struct nvmx_l0 l0 = {
		.pin_must1 = VMX_CTL_MUST1(h.msrs.true_pin),
		.proc_must1 = VMX_CTL_MUST1(h.msrs.true_proc),
		.proc2_must1 = VMX_CTL_MUST1(h.msrs.proc2),
		.exit_must1 = VMX_CTL_MUST1(h.msrs.true_exit),
		.entry_must1 = VMX_CTL_MUST1(h.msrs.true_entry),
		.vpid = true, .vpid02 = 0x101,
		.eptp = f->layout.ept_root | 0x1e, .msr_bitmap = f->layout.msr_bitmap,
		.io_bitmap_a = f->layout.io_a, .io_bitmap_b = f->layout.io_b,
		.tsc_offset = 7, .ram_hpa = 0, .ram_size = 1ull << 30,
		.l1_efer = 0xd01, .l1_pat = 0x0007040600070406ull,
	};
	struct nvmx_env env = f->env;
	struct nvmx_result r;
	const char *why = NULL;
	const void *pdptes = f->layout.ptr(f->layout.ctx, f->v.guest_cr3 & ~0x1full, 32);

	if (pdptes)
		memcpy(l0.pdpte, pdptes, 32);
	if (!nvmx_merge(&f->v, &l0, v02, &why))
		return;		/* refused cleanly: a virtual-APIC page beyond the fake RAM */
	for (unsigned i = 0; i < vmcs12_field_count; i++)
		if (VMCS_ENC_TYPE(vmcs12_fields[i].encoding) == 3)
			vmcs12_set(v02, &vmcs12_fields[i], vmcs12_get(&f->v, &vmcs12_fields[i]));
	/* nestor loads vmcs12's MSR-load area itself: vmcs02's is empty. */
	env.caps = &host;
	nvmx_check_vmentry(v02, &env, NVMX_MODE_ALL, &r);
	CHECK(!r.check);
	CHECK(v02->pin_controls & PIN_EXTINT_EXITING);
	CHECK(v02->proc_controls & PROC_IO_BITMAPS);
	CHECK((v02->proc_controls & PROC_TPR_SHADOW) ||
	      (v02->proc_controls & (PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING)) ==
		      (PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING));
}

static void exit_property(struct nvmx_fixture *f, const struct vmcs12 *v02, const uint8_t *data,
			  size_t size)
{
	uint64_t gpr[16];
	struct nvmx_exit e = {
		.reason = (uint32_t)take(data, size, size > 40 ? size - 40 : 0) & 0x8000ffff,
		.qual = take(data, size, size > 32 ? size - 32 : 0),
		.guest_phys = take(data, size, size > 24 ? size - 24 : 0),
		.intr_info = (uint32_t)take(data, size, size > 16 ? size - 16 : 0),
		.intr_error = (uint32_t)take(data, size, size > 12 ? size - 12 : 0),
	};
	struct vmcs12 l2 = *v02, l1;
	struct nvmx_ept_walk w;

	for (unsigned i = 0; i < 16; i++)
		gpr[i] = take(data, size, 2 + 8 * i);
	(void)nvmx_exit_route(&f->v, &e, gpr, &f->env);
	(void)nvmx_ept_translate(f->v.ept_pointer, e.guest_phys, e.qual & 7, &f->caps, &f->env, &w);
	l2.guest_cr0 ^= e.qual;
	l2.guest_efer ^= e.guest_phys;
	nvmx_save_exit(&f->v, &l2, &e);
	CHECK(f->v.exit_reason == e.reason);
	CHECK(!(f->v.entry_intr_info & INTR_INFO_VALID));
	CHECK(!!(f->v.entry_controls & ENTRY_IA32E_GUEST) == !!(l2.guest_efer & (1ull << 10)));
	nvmx_host_state(&f->v, &l2, &f->caps, e.intr_info & 1, &l1);
	/* L1 after any exit is in VMX operation: CR0/CR4 within the fixed bits, RFLAGS 2. */
	CHECK((l1.guest_cr0 & f->caps.msrs.cr0_fixed0) == f->caps.msrs.cr0_fixed0);
	CHECK(!(l1.guest_cr0 & ~f->caps.msrs.cr0_fixed1));
	CHECK((l1.guest_cr4 & f->caps.msrs.cr4_fixed0) == f->caps.msrs.cr4_fixed0);
	CHECK(!(l1.guest_cr4 & ~f->caps.msrs.cr4_fixed1));
	CHECK(l1.guest_rflags == 2 && l1.guest_dr7 == 0x400);
	CHECK(l1.guest_tr_ar == 0x8b && (l1.guest_ldtr_ar & AR_UNUSABLE));
}

void fuzz_nested(struct nvmx_fixture *f, const uint8_t *data, size_t size)
{
	static struct vmcs12 v02;

	merge_property(f, &v02);
	exit_property(f, &v02, data, size);
}
