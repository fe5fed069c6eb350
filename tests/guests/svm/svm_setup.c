/* svm_setup: SVM on, the host save area, L2's nested page table, maps, IDT and the sample. */
#include "guest.h"
#include "svm_guest.h"

#include "lib/format.h"
#include "lib/string.h"

#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_PAT 0x277
#define VM_CR_SVMDIS (1u << 4)
#define EFER_SVME (1ull << 12)
#define NPT_TABLE 0x7		/* P | RW | US: nested walks are user accesses (APM 15.25.5) */
#define NPT_LEAF_2M 0x87

struct vmcb svm_vmcb __attribute__((aligned(4096)));
static uint8_t hsave[4096] __attribute__((aligned(4096)));
static uint8_t iopm[SVM_IOPM_SIZE] __attribute__((aligned(4096)));
static uint8_t msrpm[SVM_MSRPM_SIZE] __attribute__((aligned(4096)));
static uint64_t npt_pml4[512] __attribute__((aligned(4096)));
static uint64_t npt_pdpt[512] __attribute__((aligned(4096)));
static uint64_t npt_pd[512] __attribute__((aligned(4096)));
static struct idt_gate l2_idt[256] __attribute__((aligned(16)));
static uint8_t l2_stack[4096] __attribute__((aligned(16)));

static uint64_t pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;	/* identity-mapped (boot.S) */
}

/* L2's guest-physical space is this guest's first GiB, 2-MiB pages. */
static void build_npt(void)
{
	npt_pml4[0] = pa(npt_pdpt) | NPT_TABLE;
	npt_pdpt[0] = pa(npt_pd) | NPT_TABLE;
	for (uint64_t i = 0; i < 512; i++)
		npt_pd[i] = (i << 21) | NPT_LEAF_2M;
}

/* Every vector of L2's IDT ends in an intercepted HLT. */
static void build_l2_idt(void)
{
	uint64_t a = pa(l2_event);
	for (unsigned v = 0; v < 256; v++)
		l2_idt[v] = svm_idt_gate(a);
}

static void read_features(struct nsvm_features *f)
{
	struct nsvm_cpuid c = {
		.f1_ecx = cpuid(1, 0).ecx,
		.f7_ebx = cpuid(7, 0).ebx,
		.f7_ecx = cpuid(7, 0).ecx,
		.e1_ecx = cpuid(0x80000001, 0).ecx,
		.e1_edx = cpuid(0x80000001, 0).edx,
	};
	if (cpuid(0, 0).eax < 7)
		c.f7_ebx = c.f7_ecx = 0;
	struct cpuid_regs svm = cpuid(0x8000000a, 0);
	nsvm_features_from_cpuid(f, svm.ebx, svm.edx, cpuid(0x80000008, 0).eax, &c);
}

/* A page below MAXPHYADDR that is not RAM: 16 MiB past the top of RAM, below any MMIO. */
static uint64_t outside_ram(const struct svm_env *e)
{
	uint64_t top = e->ranges[1].base + e->ranges[1].size;
	return ((top + 0x1fffff) & ~0x1fffffull) + 0x1000000;
}

static void fill_sample(struct svm_env *e)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr;
	asm volatile("sgdt %0" : "=m"(gdtr));
	e->sample = (struct nsvm_sample){
		.vmcb_pa = pa(&svm_vmcb), .iopm_pa = pa(iopm), .msrpm_pa = pa(msrpm),
		.ncr3 = pa(npt_pml4), .cr3 = read_cr3(), .rip = pa(l2_entry),
		.rsp = pa(l2_stack + sizeof(l2_stack)), .rax = 0x5a5a0000,
		.gdt_base = gdtr.base, .gdt_limit = gdtr.limit,
		.idt_base = pa(l2_idt), .idt_limit = sizeof(l2_idt) - 1,
		.cs_sel = GDT_CODE64, .ds_sel = GDT_DATA, .pat = rdmsr(MSR_PAT),
		.outside_ram_pa = outside_ram(e),
	};
	e->run = (struct nsvm_vmrun){ .rax = pa(&svm_vmcb), .efer = rdmsr(MSR_EFER),
				      .cr0 = read_cr0(), .rflags = read_rflags(), .cpl = 0 };
}

bool svm_env_init(struct svm_env *e, char *why, unsigned why_size)
{
	uint64_t vm_cr = 0;
	if (!(cpuid(0x80000001, 0).ecx & (1u << 2))) {
		fmt_snprintf(why, why_size, "CPUID 8000_0001h.ECX.SVM[2] = 0");
		return false;
	}
	if (cpuid(0x80000000, 0).eax < 0x8000000a) {
		fmt_snprintf(why, why_size, "no CPUID leaf 8000_000Ah");
		return false;
	}
	/* rdmsr_safe returns the vector raised, -1 for none. */
	if (rdmsr_safe(MSR_VM_CR, &vm_cr) == -1 && (vm_cr & VM_CR_SVMDIS)) {
		fmt_snprintf(why, why_size, "VM_CR.SVMDIS = 1 (%#lx)", (unsigned long)vm_cr);
		return false;
	}
	read_features(&e->feat);
	e->ranges[0] = (struct nsvm_range){ 0, (uint64_t)bootinfo.mem_lower_kb << 10 };
	e->ranges[1] = (struct nsvm_range){ 0x100000, (uint64_t)bootinfo.mem_upper_kb << 10 };
	e->ram = (struct nsvm_ram){ e->ranges, 2 };

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, pa(hsave));
	memset(iopm, 0xff, sizeof(iopm));
	memset(msrpm, 0xff, sizeof(msrpm));
	build_npt();
	build_l2_idt();
	fill_sample(e);
	return true;
}
