/* nvmx_fixture: a capability model offering every control the table knows, and a fake L1 RAM. */
#include "tests/nvmx/nvmx_fixture.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "lib/string.h"

#define CTL(must1, may1) ((uint64_t)(may1) << 32 | (uint32_t)(must1))

static void full_caps(struct nvmx_caps *k)
{
	struct vmx_cap_msrs *m = &k->msrs;

	memset(k, 0, sizeof(*k));
	m->basic = VMCS12_REVISION | (4096ull << 32) | ((uint64_t)VMX_MEMTYPE_WB << 50) |
		   VMX_BASIC_TRUE_CTLS;
	m->pin = CTL(0x16, 0xff);
	m->true_pin = CTL(0x16, 0xff);
	m->proc = CTL(0x0401e172, 0xfffbfffe);
	m->true_proc = CTL(0x04006172, 0xfffbfffe);
	m->proc2 = CTL(0, 0x025fffff);
	m->exit = CTL(0x00036dff, 0x00ffffff);
	m->true_exit = CTL(0x00036dfb, 0x00ffffff);
	m->entry = CTL(0x000011ff, 0x0001ffff);
	m->true_entry = CTL(0x000011fb, 0x0001ffff);
	/* LMA stored, HLT / shutdown / wait-for-SIPI, 4 CR3 targets, 512 MSRs per list. */
	m->misc = VMX_MISC_EXIT_STORES_LMA | VMX_MISC_ACTIVITY_HLT | VMX_MISC_ACTIVITY_SHUTDOWN |
		  VMX_MISC_ACTIVITY_WAIT_SIPI | (4ull << 16);
	m->cr0_fixed0 = 0x80000021;
	m->cr0_fixed1 = 0xffffffff;
	m->cr4_fixed0 = 0x2000;
	m->cr4_fixed1 = 0x007727ff;
	/* No accessed/dirty flags: ctl.eptp_accessed_dirty is reachable. */
	m->ept_vpid = EPT_CAP_4LEVEL | EPT_CAP_UC | EPT_CAP_WB | EPT_CAP_2M | EPT_CAP_INVEPT |
		      EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL | VPID_CAP_INVVPID |
		      VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL;
	m->vmfunc = VMFUNC_EPTP_SWITCHING;
	k->maxphyaddr = 40;
	k->linear_bits = 48;
	k->efer_valid = 0xd01;
	k->debugctl_valid = 0xffc3;
	k->perf_global_ctrl_valid = 0x70000000full;
	k->mpx = true;
	k->rtm = true;
	k->sgx = false;
}

static void *ram_ptr(void *ctx, uint64_t gpa, unsigned len)
{
	struct nvmx_fixture *f = ctx;

	/* Any 64-bit address may come here (a rule after a failed address rule): no wrap. */
	if (gpa < NVMX_FIX_RAM_BASE || gpa - NVMX_FIX_RAM_BASE > sizeof(f->ram) ||
	    len > sizeof(f->ram) - (gpa - NVMX_FIX_RAM_BASE))
		return NULL;
	return f->ram + (gpa - NVMX_FIX_RAM_BASE);
}

static bool ram_read(void *ctx, uint64_t gpa, void *buf, unsigned len)
{
	void *p = ram_ptr(ctx, gpa, len);

	if (!p)
		return false;
	memcpy(buf, p, len);
	return true;
}

/* The MSRs the valid case loads, with WRMSR's rules for them; anything else faults. */
static bool msr_ok(void *ctx, uint32_t index, uint64_t value)
{
	(void)ctx;
	switch (index) {
	case 0x174:
		return !(value >> 32);
	case 0x175:
	case 0x176:
		return (uint64_t)((int64_t)(value << 16) >> 16) == value;
	default:
		return false;
	}
}

#define PAGE(n) (NVMX_FIX_RAM_BASE + 0x1000ull * (n))

void nvmx_fixture_init(struct nvmx_fixture *f)
{
	struct nvmx_layout *l = &f->layout;

	memset(f, 0, sizeof(*f));
	full_caps(&f->caps);
	l->vmcs12 = PAGE(0);
	l->vapic = PAGE(1);
	l->apic_access = PAGE(2);
	l->io_a = PAGE(3);
	l->io_b = PAGE(4);
	l->msr_bitmap = PAGE(5);
	l->posted_desc = PAGE(6);
	l->pml = PAGE(7);
	l->eptp_list = PAGE(8);
	l->vmread_bitmap = PAGE(9);
	l->vmwrite_bitmap = PAGE(10);
	l->ve_info = PAGE(11);
	l->msr_load = PAGE(12);		/* 12-14 */
	l->msr_store = PAGE(15);
	l->shadow = PAGE(16);
	l->pdpt = PAGE(17);
	l->ept_root = PAGE(18);
	l->guest_cr3 = PAGE(19);
	l->guest_gdt = PAGE(20);
	l->guest_idt = PAGE(21);
	l->guest_tss = PAGE(22);
	l->guest_rip = PAGE(23);
	l->guest_rsp = PAGE(25) - 16;
	l->not_ram = 0x7ff000000ull;
	l->host_cr0 = 0x80050033;
	l->host_cr3 = PAGE(26);
	l->host_cr4 = 0x20a0;
	l->host_efer = 0xd01;
	l->host_pat = 0x0007040600070406ull;
	l->host_rip = 0xffffffff81000000ull;
	l->host_rsp = 0xffffffff81200000ull;
	l->host_gdt = 0xffffffff81300000ull;
	l->host_idt = 0xffffffff81301000ull;
	l->host_tr_base = 0xffffffff81302000ull;
	l->host_cs = 0x08;
	l->host_ds = 0x10;
	l->host_tr = 0x40;
	l->ptr = ram_ptr;
	l->ctx = f;
	f->env.caps = &f->caps;
	f->env.read = ram_read;
	f->env.msr_write_ok = msr_ok;
	f->env.ctx = f;
	f->c.v = &f->v;
	f->c.caps = &f->caps;
	f->c.l = l;
	f->c.env = &f->env;
}

void nvmx_fixture_valid(struct nvmx_fixture *f)
{
	nvmx_valid_vmcs12(&f->c);
}
