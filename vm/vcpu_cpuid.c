/* vcpu_cpuid: what CPUID tells a guest: the host's answer, filtered to nestor's platform. */
#include "vm/vcpu_cpuid.h"

#include "vm/vm.h"

#define BIT(n) (1u << (n))
#define CR4_OSXSAVE (1ull << 18)

/* CPUID.1:ECX / EDX (SDM Vol. 2A, Table 3-10/3-11). */
#define L1_ECX_DTES64 BIT(2)
#define L1_ECX_MONITOR BIT(3)
#define L1_ECX_DSCPL BIT(4)
#define L1_ECX_VMX BIT(5)
#define L1_ECX_SMX BIT(6)
#define L1_ECX_EST BIT(7)
#define L1_ECX_TM2 BIT(8)
#define L1_ECX_PDCM BIT(15)
#define L1_ECX_X2APIC BIT(21)
#define L1_ECX_TSC_DEADLINE BIT(24)
#define L1_ECX_OSXSAVE BIT(27)
#define L1_ECX_HYPERVISOR BIT(31)
#define L1_EDX_DS BIT(21)
#define L1_EDX_ACPI BIT(22)
#define L1_EDX_HTT BIT(28)
#define L1_EDX_TM BIT(29)
#define L1_EDX_PBE BIT(31)
/* CPUID.7.0:EBX[1]: IA32_TSC_ADJUST (SDM Vol. 3B 18.17.3), not modelled. */
#define L7_EBX_TSC_ADJUST BIT(1)
/* CPUID.7.0:EDX speculation-control bits whose MSRs nestor does not model. */
#define L7_EDX_SPEC_MSRS (BIT(26) | BIT(27) | BIT(29) | BIT(31))
/* CPUID.(EAX=0Dh,ECX=1):EAX[3]: XSAVES/XRSTORS and IA32_XSS (SDM Vol. 1, 13.2). */
#define LD1_EAX_XSAVES BIT(3)
#define LD1_EAX_XSAVEC BIT(1)
/* An XSAVE area starts with the 512-byte legacy region and the 64-byte header. */
#define XSAVE_LEGACY_AND_HEADER 576u
/* CPUID.(0Dh,i):ECX[1]: component i starts 64-byte aligned in the compacted format. */
#define XSAVE_COMPONENT_ALIGNED BIT(1)
/* Components with a CPUID.(0Dh,i) description that nestor looks at (AMX TILEDATA is 18). */
#define XSAVE_COMPONENTS 32
/* CPUID.80000001h:ECX (APM Vol. 3, E.4.2). */
#define X1_ECX_SVM BIT(2)
#define X1_ECX_SKINIT BIT(12)
#define X1_ECX_TOPOEXT BIT(22)
#define X1_ECX_PERFCTR BIT(23)
/* CPUID.80000008h:EBX: IBPB, IBRS, STIBP, SSBD, VIRT_SSBD. */
#define X8_EBX_SPEC_MSRS (BIT(12) | BIT(14) | BIT(15) | BIT(24) | BIT(25))

#define HYPERVISOR_LEAF 0x40000000u

/* Bits needed to number n CPUs (the x2APIC topology shift). */
static uint32_t bits_for(unsigned n)
{
	uint32_t b = 0;
	while ((1u << b) < n)
		b++;
	return b;
}

void cpuid_filter(unsigned id, unsigned nvcpus, uint64_t guest_cr4, uint32_t leaf,
		  uint32_t subleaf, struct cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		r->ebx = (r->ebx & 0x0000ffffu) | (id << 24) | ((nvcpus & 0xff) << 16);
		r->ecx &= ~(L1_ECX_DTES64 | L1_ECX_MONITOR | L1_ECX_DSCPL | L1_ECX_VMX |
			    L1_ECX_SMX | L1_ECX_EST | L1_ECX_TM2 | L1_ECX_PDCM | L1_ECX_OSXSAVE);
		/* The vLAPIC does x2APIC and TSC-deadline whatever the host has. */
		r->ecx |= L1_ECX_X2APIC | L1_ECX_TSC_DEADLINE | L1_ECX_HYPERVISOR;
		if (guest_cr4 & CR4_OSXSAVE)
			r->ecx |= L1_ECX_OSXSAVE;
		r->edx &= ~(L1_EDX_DS | L1_EDX_ACPI | L1_EDX_TM | L1_EDX_PBE | L1_EDX_HTT);
		if (nvcpus > 1)
			r->edx |= L1_EDX_HTT;
		break;
	case 4:
		/* Cores per package - 1 in EAX[31:26]; one core per vCPU. */
		if (r->eax & 0x1f)
			r->eax = (r->eax & 0x03ffffffu) | ((nvcpus - 1) << 26);
		break;
	case 5:	/* MONITOR/MWAIT: hidden */
	case 6:	/* thermal and power management */
	case 0xa:	/* architectural performance monitoring */
		r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	case 7:
		if (subleaf == 0) {
			r->ebx &= ~L7_EBX_TSC_ADJUST;
			r->edx &= ~L7_EDX_SPEC_MSRS;
		}
		break;
	case 0xd:
		/*
		 * nestor does not model IA32_XSS (nor switch it between host and guest), so the
		 * supervisor state components XSAVES manages are not offered: no XSAVES, and no
		 * XSS-settable bits in ECX:EDX. Linux then uses XSAVEOPT/XSAVEC with XCR0 only.
		 */
		if (subleaf == 1) {
			r->eax &= ~LD1_EAX_XSAVES;
			r->ecx = r->edx = 0;
		}
		break;
	case 0xb:
	case 0x1f:
		/* x2APIC topology (SDM Vol. 3A 9.9): SMT level of 1, then all vCPUs as cores. */
		r->edx = id;
		if (subleaf == 0) {
			r->eax = 0;
			r->ebx = 1;
			r->ecx = 0 | (1u << 8);
		} else if (subleaf == 1) {
			r->eax = bits_for(nvcpus);
			r->ebx = nvcpus;
			r->ecx = 1 | (2u << 8);
		} else {
			r->eax = r->ebx = 0;
			r->ecx = subleaf;
		}
		break;
	case HYPERVISOR_LEAF:
		r->eax = HYPERVISOR_LEAF + 1;
		r->ebx = 0x7473656e;	/* "nestornestor" */
		r->ecx = 0x656e726f;
		r->edx = 0x726f7473;
		break;
	case HYPERVISOR_LEAF + 1:
		r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	case 0x80000001:
		r->ecx &= ~(X1_ECX_SVM | X1_ECX_SKINIT | X1_ECX_TOPOEXT | X1_ECX_PERFCTR);
		break;
	case 0x80000008:
		r->ebx &= ~X8_EBX_SPEC_MSRS;
		/* AMD core count: ECX[7:0] = cores - 1, [15:12] = APIC-ID bits for cores. */
		r->ecx = (r->ecx & ~0xf0ffu) | ((nvcpus - 1) & 0xff) | (bits_for(nvcpus) << 12);
		break;
	case 0x8000000a:	/* SVM features: SVM is hidden */
	case 0x8000001e:	/* topology extensions: hidden with TOPOEXT */
		r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	default:
		break;
	}
}

uint32_t xsave_compacted_size(uint64_t xfeatures, const struct cpuid_regs *components,
			      unsigned count)
{
	uint32_t size = XSAVE_LEGACY_AND_HEADER;

	for (unsigned i = 2; i < count && i < 64; i++) {
		if (!(xfeatures & (1ull << i)))
			continue;
		if (components[i].ecx & XSAVE_COMPONENT_ALIGNED)
			size = (size + 63) & ~63u;
		size += components[i].eax;
	}
	return size;
}

/*
 * CPUID.(0Dh,1):EBX is the size of an XSAVEC/XSAVES area for XCR0 | IA32_XSS, which is
 * the compacted format (SDM Vol. 1, 13.4.3); Linux checks it against the sum of the
 * component sizes. Bochs reports the standard-format size there, so nestor computes the
 * value from the components, as the hardware does. IA32_XSS is 0 for guests (hidden),
 * and XCR0 is the guest's own: nestor never switches it (vmx_xsetbv.c; SVM does not
 * intercept XSETBV). XGETBV needs CR4.OSXSAVE on the host side too.
 */
static void cpuid_fix_xsavec_size(struct cpuid_regs *r)
{
	struct cpuid_regs components[XSAVE_COMPONENTS];

	if (!(r->eax & LD1_EAX_XSAVEC) || !(read_cr4() & CR4_OSXSAVE))
		return;
	for (unsigned i = 2; i < XSAVE_COMPONENTS; i++)
		components[i] = cpuid(0xd, i);
	r->ebx = xsave_compacted_size(xgetbv(0), components, XSAVE_COMPONENTS);
}

void vcpu_cpuid(struct vcpu *v, uint64_t guest_cr4, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *out)
{
	bool hv = leaf == HYPERVISOR_LEAF || leaf == HYPERVISOR_LEAF + 1;
	*out = hv ? (struct cpuid_regs){ 0, 0, 0, 0 } : cpuid(leaf, subleaf);
	cpuid_filter(v->id, v->vm->nvcpus, guest_cr4, leaf, subleaf, out);
	if (leaf == 0xd && subleaf == 1)
		cpuid_fix_xsavec_size(out);
}
