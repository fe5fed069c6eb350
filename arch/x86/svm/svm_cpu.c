/* svm_cpu: turning SVM on for one physical CPU. */
#include "arch/x86/caps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/svm_internal.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/page_alloc.h"

#define MSR_EFER 0xc0000080
#define EFER_SVME (1ull << 12)
#define EFER_NXE (1ull << 11)
#define MSR_VM_HSAVE_PA 0xc0010117

bool svm_has_nrips;
unsigned svm_host_nasid;
bool svm_host_nx;
bool svm_host_vgif;

bool svm_supported(const struct cpu_caps *caps, char *why, size_t len)
{
	svm_has_nrips = caps->svm.nrips;
	svm_host_nasid = caps->svm.nasid;
	svm_host_vgif = caps->svm.vgif;
	if (!caps->svm.present) {
		fmt_snprintf(why, len, "no SVM (CPUID 8000_0001h:ECX[2] clear)");
		return false;
	}
	if (caps->svm.disabled_by_bios) {
		fmt_snprintf(why, len, "SVM disabled by firmware (VM_CR.SVMDIS)");
		return false;
	}
	/* Guest RAM is mapped through nested paging only; there is no shadow paging. */
	if (!caps->svm.npt) {
		fmt_snprintf(why, len, "no nested paging (CPUID 8000_000Ah:EDX[0] clear)");
		return false;
	}
	return true;
}

bool svm_cpu_enable(struct percpu *cpu)
{
	struct svm_cpu *s = (struct svm_cpu *)page_alloc(&nestor_pages, 1, 1);
	uint64_t hsave = page_alloc(&nestor_pages, 1, 1);
	uint64_t host_vmcb = page_alloc(&nestor_pages, 1, 1);
	if (!s || !hsave || !host_vmcb) {
		log_error("svm: cpu %u: out of pages", cpu->index);
		return false;
	}
	s->hsave_pa = hsave;
	s->host_vmcb_pa = host_vmcb;
	/* APM Vol. 2 15.4: VMRUN is #UD unless EFER.SVME = 1. EFER.NXE too where the CPU
	 * has NX: nestor's own tables set no NX bit, and with it the shadows of L1's nested
	 * page tables can carry L1's no-execute (15.25.5: NX in nested tables follows the
	 * host's EFER.NXE). */
	uint64_t efer = rdmsr(MSR_EFER) | EFER_SVME;
	svm_host_nx = cpuid(0x80000001, 0).edx & (1u << 20);
	if (svm_host_nx)
		efer |= EFER_NXE;
	wrmsr(MSR_EFER, efer);
	/* 15.30.4: VMRUN stores host state in the page VM_HSAVE_PA names. */
	wrmsr(MSR_VM_HSAVE_PA, hsave);
	cpu->virt = s;
	return true;
}
