/* nvmx_l1: the L1 side shared by the nested-VMX test kernels (nvmx_diff, nvmx_bench). */
#include "tests/guests/nvmx_l1.h"

#include "guest.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "lib/string.h"

#define PAGES 40
static uint8_t pages[PAGES][4096] __attribute__((aligned(4096)));
static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t host_stack[16384] __attribute__((aligned(16)));
static uint64_t ept_pml4[512] __attribute__((aligned(4096)));
static uint64_t ept_pdpt[512] __attribute__((aligned(4096)));
static uint64_t ept_pd[4][512] __attribute__((aligned(4096)));

struct nvmx_l1_kit nk;

void vmcs_access_failed(enum vmcs_field field, enum vmx_status st, int write)
{
	(void)field, (void)st, (void)write;
	nk.write_failed = true;
}

#define PAGE(n) ((uint64_t)(uintptr_t)pages[n])

static void *mem_ptr(void *ctx, uint64_t gpa, unsigned len)
{
	(void)ctx, (void)len;
	return (void *)(uintptr_t)gpa;
}

/* L1 RAM as the table sees it here: the low 256 MiB (the runs give at least that). */
#define RAM_TOP (1ull << 28)
static bool mem_read(void *ctx, uint64_t gpa, void *buf, unsigned len)
{
	(void)ctx;
	if (gpa >= RAM_TOP || len > RAM_TOP - gpa)
		return false;
	memcpy(buf, (void *)(uintptr_t)gpa, len);
	return true;
}

/* The MSRs the cases load: SYSENTER_CS any 32-bit value, ESP/EIP canonical. */
static bool msr_ok(void *ctx, uint32_t index, uint64_t value)
{
	(void)ctx;
	if (index == 0x174)
		return !(value >> 32);
	if (index == 0x175 || index == 0x176)
		return (uint64_t)((int64_t)(value << 16) >> 16) == value;
	return false;
}

struct dtr { uint16_t limit; uint64_t base; } __attribute__((packed));

void nvmx_l1_read_caps(void)
{
	struct nvmx_caps *c = &nk.caps;
	struct cpuid_regs q;

	vmx_cap_msrs_read(&c->msrs);
	q = cpuid(0x80000008, 0);
	c->maxphyaddr = q.eax & 0xff;
	c->linear_bits = (q.eax >> 8) & 0xff;
	q = cpuid(0x80000001, 0);
	c->efer_valid = 0x501 | ((q.edx & (1u << 20)) ? 0x800 : 0);
	q = cpuid(7, 0);
	c->mpx = q.ebx & (1u << 14);
	c->rtm = q.ebx & (1u << 11);
	c->sgx = q.ebx & (1u << 2);
	c->debugctl_valid = 0x3;
	q = cpuid(0xa, 0);
	c->perf_global_ctrl_valid = ((1ull << ((q.eax >> 8) & 0xff)) - 1) |
				    (((1ull << (q.edx & 0x1f)) - 1) << 32);
}

void nvmx_l1_build_ept(void)
{
	ept_pml4[0] = (uint64_t)(uintptr_t)ept_pdpt | 7;
	for (int i = 0; i < 4; i++) {
		ept_pdpt[i] = (uint64_t)(uintptr_t)ept_pd[i] | 7;
		for (int j = 0; j < 512; j++)
			ept_pd[i][j] = ((uint64_t)i << 30) | ((uint64_t)j << 21) | (6u << 3) |
				       (1u << 7) | 5;
	}
}

void nvmx_l1_ept_writable(uint64_t gpa, bool writable)
{
	uint64_t *e = &ept_pd[(gpa >> 30) & 3][(gpa >> 21) & 511];
	*e = (*e & ~7ull) | (writable ? 7 : 5);
	invept(2, 0);		/* all contexts: no cached translation keeps the old rights */
}

void nvmx_l1_build_layout(uint64_t guest_rip, uint64_t host_rip)
{
	struct nvmx_layout *l = &nk.lay;
	struct dtr g, i;

	asm volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(i));
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
	l->msr_load = PAGE(12);
	l->msr_store = PAGE(15);
	l->shadow = PAGE(16);
	l->pdpt = PAGE(17);
	l->guest_gdt = PAGE(18);
	l->guest_idt = PAGE(19);
	l->guest_tss = PAGE(20);
	/* Not RAM for the table, below 4 GiB (a PAE CR3 holds 32 bits), never launched. */
	l->not_ram = 0xc0000000ull;
	l->ept_root = (uint64_t)(uintptr_t)ept_pml4;
	l->guest_cr3 = read_cr3();
	l->guest_rip = guest_rip;
	l->guest_rsp = PAGE(22) - 16;
	l->host_cr0 = read_cr0();
	l->host_cr3 = read_cr3();
	l->host_cr4 = read_cr4();
	l->host_efer = rdmsr(MSR_EFER);
	l->host_pat = rdmsr(0x277);
	l->host_rip = host_rip;
	l->host_rsp = (uint64_t)(uintptr_t)(host_stack + sizeof(host_stack));
	l->host_gdt = g.base;
	l->host_idt = i.base;
	l->host_tr_base = PAGE(21);
	l->host_cs = 0x18;			/* GDT_CODE64 */
	l->host_ds = 0x10;
	l->host_tr = 0x28;			/* never loaded from the GDT (27.5.2) */
	l->ptr = mem_ptr;
	nk.env.caps = &nk.caps;
	nk.env.read = mem_read;
	nk.env.msr_write_ok = msr_ok;
}

bool nvmx_l1_vmx_on(void)
{
	uint64_t fc = rdmsr(0x3a), pa = (uint64_t)(uintptr_t)vmxon_region;
	const struct vmx_cap_msrs *m = &nk.caps.msrs;

	/* IA32_FEATURE_CONTROL: lock with VMX outside SMX when the firmware left it open. */
	if (!(fc & 1))
		wrmsr(0x3a, fc | 5);
	write_cr0((read_cr0() | m->cr0_fixed0) & m->cr0_fixed1);
	write_cr4((read_cr4() | m->cr4_fixed0) & m->cr4_fixed1);
	*(uint32_t *)vmxon_region = (uint32_t)(m->basic & VMX_BASIC_REVISION_MASK);
	return vmxon(pa) == VMX_OK;
}

void nvmx_l1_load_vmcs(void)
{
	uint64_t pa = nk.lay.vmcs12;

	memset((void *)(uintptr_t)pa, 0, 4096);
	*(uint32_t *)(uintptr_t)pa = (uint32_t)(nk.caps.msrs.basic & VMX_BASIC_REVISION_MASK);
	vmclear(pa);
	vmptrld(pa);
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];

		if (VMCS_ENC_TYPE(f->encoding) == VMCS_TYPE_READ_ONLY ||
		    !vmcs12_field_exists(f, &nk.caps.msrs))
			continue;
		vmcs_write(f->encoding, vmcs12_get(&nk.v, f));
	}
	nk.write_failed = false;
}
