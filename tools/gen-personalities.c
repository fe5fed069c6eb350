/* gen-personalities: the tables of docs/personalities.md, printed from the tables themselves. */
#include <stdio.h>
#include <string.h>

#include "vm/msr_table.h"
#include "vm/personality.h"

static const char *const fixup_names[] = {
	[CPUID_FIX_NONE] = "",
	[CPUID_FIX_MAX_BASIC] = "EAX: highest basic leaf",
	[CPUID_FIX_FEATURES] = "EBX[31:16] APIC ID, CPU count; HTT; APIC = APIC_BASE.EN; OSXSAVE = CR4",
	[CPUID_FIX_CACHE] = "EAX[31:26] cores - 1",
	[CPUID_FIX_FEATURES_7] = "EAX at most 1; OSPKE = CR4.PKE",
	[CPUID_FIX_TOPOLOGY] = "all: SMT 1, vCPUs as cores, EDX x2APIC ID",
	[CPUID_FIX_XSAVE_MAIN] = "EBX, ECX: sizes for XCR0 / all offered",
	[CPUID_FIX_XSAVE_EXT] = "EBX: compacted size for XCR0",
	[CPUID_FIX_XSAVE_COMPONENT] = "0 unless the component is offered",
	[CPUID_FIX_MAX_EXT] = "EAX: highest extended leaf",
	[CPUID_FIX_EXT_FEATURES] = "EDX[9] = APIC_BASE.EN; EDX[20] NX = !MISC_ENABLE[34]",
	[CPUID_FIX_EXT_TOPOLOGY] = "ECX: cores - 1, APIC-ID bits",
};

static void subleaf(char *buf, size_t n, uint32_t s)
{
	if (s == CPUID_ANY_SUBLEAF)
		snprintf(buf, n, "all");
	else
		snprintf(buf, n, "%u", s);
}

static void regs(const struct cpuid_regs *r)
{
	printf(" %08x | %08x | %08x | %08x |", r->eax, r->ebx, r->ecx, r->edx);
}

/* The rows every personality shares: those of native, which has nothing of its own. */
static void cpu_rows(void)
{
	const struct personality *p = personality_get(PERSONALITY_NATIVE);
	printf("### The CPU (every personality)\n\n");
	printf("Offered: host bits passed on when the host has them. Forced: set whatever the "
	       "host says.\n\n");
	printf("| leaf | subleaf | offered EAX | EBX | ECX | EDX | forced EAX | EBX | ECX | EDX "
	       "| computed | what |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < p->ncpuid; i++) {
		const struct cpuid_rule *r = &p->cpuid[i];
		char s[16];
		subleaf(s, sizeof(s), r->subleaf);
		printf("| %xh | %s |", r->leaf, s);
		regs(&r->offer);
		regs(&r->force);
		printf(" %s | %s |\n", fixup_names[r->fixup], r->what);
	}
	printf("\n");
}

/* A personality's own rows: those native does not have. */
static void own_rows(const struct personality *p)
{
	const struct personality *n = personality_get(PERSONALITY_NATIVE);
	printf("### %s: %s\n\n", p->name, p->summary);
	if (p->ncpuid == n->ncpuid) {
		printf("No leaves of its own: leaf 40000000h is out of range, answered as any leaf "
		       "beyond the highest (Intel: the highest basic leaf; AMD: zeros).\n\n");
		return;
	}
	printf("| leaf | subleaf | EAX | EBX | ECX | EDX | what |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (unsigned i = n->ncpuid; i < p->ncpuid; i++) {
		const struct cpuid_rule *r = &p->cpuid[i];
		char s[16];
		subleaf(s, sizeof(s), r->subleaf);
		printf("| %xh | %s |", r->leaf, s);
		regs(&r->force);
		printf(" %s |\n", r->what);
	}
	printf("\n");
}

static void summary(void)
{
	printf("| personality | hypervisor leaves | hypercalls | IA32_MISC_ENABLE at reset "
	       "| IA32_FEATURE_CONTROL | VM_CR | nested SVM | nested VMX |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (enum personality_id id = 0; id < PERSONALITY_COUNT; id++) {
		const struct personality *p = personality_get(id);
		unsigned hv = 0;
		for (unsigned i = 0; i < p->ncpuid; i++)
			hv += p->cpuid[i].leaf >= 0x40000000 && p->cpuid[i].leaf < 0x50000000;
		printf("| %s | %u | %s | %#llx | %#llx | %#llx | %s | %s |\n", p->name, hv,
		       p->hypercalls == HYPERCALL_KVM ? "KVM (VMCALL and VMMCALL)" : "none (#UD)",
		       (unsigned long long)p->misc_enable,
		       (unsigned long long)p->virt.feature_control,
		       (unsigned long long)p->virt.vm_cr,
		       p->virt.svm ? "offered on SVM (VM_CR then the vCPU's)" : "hidden (EFER.SVME #GP)",
		       p->virt.vmx ? "offered on VMX (nested/vmx/nvmx_offer.c)" : "hidden (#GP)");
	}
	printf("\n");
}

static const char *const kind_names[] = {
	[MSR_KIND_SWITCHED] = "guest state", [MSR_KIND_EXIT_PATH] = "exit path",
	[MSR_KIND_CONST] = "read-only", [MSR_KIND_CONST_WI] = "constant",
	[MSR_KIND_SINK] = "sink", [MSR_KIND_APIC] = "vLAPIC", [MSR_KIND_MTRR] = "kept",
	[MSR_KIND_MISC_ENABLE] = "kept", [MSR_KIND_FEATURE_CONTROL] = "personality",
	[MSR_KIND_VM_CR] = "personality", [MSR_KIND_STORED] = "kept",
	[MSR_KIND_ZERO] = "zero", [MSR_KIND_VM_HSAVE_PA] = "nested SVM",
};

static void msr_rows(void)
{
	static const char *const vendors[] = { "both", "Intel", "AMD" };
	static const char *const reg_names[] = { "EAX", "EBX", "ECX", "EDX" };
	printf("### MSRs (every personality)\n\n");
	printf("| MSR | name | vendor | while CPUID offers | RDMSR / WRMSR | how | what |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < msr_table_count; i++) {
		const struct msr_desc *d = &msr_table[i];
		char range[32], needs[40];
		if (d->first == d->last)
			snprintf(range, sizeof(range), "%xh", d->first);
		else
			snprintf(range, sizeof(range), "%xh-%xh", d->first, d->last);
		if (d->needs.leaf)
			snprintf(needs, sizeof(needs), "%xh.%s[%u]", d->needs.leaf,
				 reg_names[d->needs.reg], d->needs.bit);
		else
			snprintf(needs, sizeof(needs), "always");
		printf("| %s | %s | %s | %s | %s / %s | %s | %s |\n", range, d->name,
		       vendors[d->vendor], needs, d->flags & MSR_PASS_READ ? "no exit" : "exit",
		       d->flags & MSR_PASS_WRITE ? "no exit" : "exit", kind_names[d->kind], d->doc);
	}
	printf("\nEvery other MSR is #GP (logged once per MSR number).\n");
}

/* Every table starts with native's rows, unchanged: the split above relies on it. */
static int check_shared_rows(void)
{
	const struct personality *n = personality_get(PERSONALITY_NATIVE);
	for (enum personality_id id = 0; id < PERSONALITY_COUNT; id++) {
		const struct personality *p = personality_get(id);
		for (unsigned i = 0; i < n->ncpuid; i++) {
			const struct cpuid_rule *a = &p->cpuid[i], *b = &n->cpuid[i];
			if (p->ncpuid < n->ncpuid || a->leaf != b->leaf || a->subleaf != b->subleaf ||
			    memcmp(&a->offer, &b->offer, sizeof(a->offer)) ||
			    memcmp(&a->force, &b->force, sizeof(a->force)) || a->fixup != b->fixup) {
				fprintf(stderr, "gen-personalities: %s's row %u is not the CPU's\n",
					p->name, i);
				return 1;
			}
		}
	}
	return 0;
}

int main(void)
{
	if (check_shared_rows())
		return 1;
	printf("<!-- generated by tools/gen-personalities from vm/personality.c and "
	       "vm/msr_table.c: make personalities-doc -->\n\n");
	summary();
	cpu_rows();
	for (enum personality_id id = 0; id < PERSONALITY_COUNT; id++)
		if (id != PERSONALITY_NATIVE)
			own_rows(personality_get(id));
	own_rows(personality_get(PERSONALITY_NATIVE));
	msr_rows();
	printf("\n<!-- end of the generated tables -->\n");
	return 0;
}
