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
#define MSR_VM_HSAVE_PA 0xc0010117

bool svm_supported(const struct cpu_caps *caps, char *why, size_t len)
{
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
	/* APM Vol. 2 15.4: VMRUN is #UD unless EFER.SVME = 1. */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	/* 15.30.4: VMRUN stores host state in the page VM_HSAVE_PA names. */
	wrmsr(MSR_VM_HSAVE_PA, hsave);
	cpu->virt = s;
	return true;
}
