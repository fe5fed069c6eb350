/* vmx_nested: nested VMX set-up per VM and vCPU, and its hooks into the shared model. */
#include "arch/x86/vmx/vmx_nested.h"

#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/personality.h"
#include "vm/vm.h"

#define MSR_FEATURE_CONTROL 0x3au
#define MSR_DEBUGCTL 0x1d9u
#define CPUID1_ECX_VMX (1u << 5)
#define CR4_SMXE (1ull << 14)

const struct vmx_nested_vm *vmx_nested_vm(const struct vcpu *v)
{
	return ((const struct vmx_vm *)v->vm->arch)->nested;
}

/* What L1's CPUID offers that the offer depends on (nestor passes these through). */
static void host_facts(struct nvmx_host *h)
{
	struct cpuid_regs x8 = cpuid(0x80000008, 0), x1 = cpuid(0x80000001, 0), l7 = cpuid(7, 0);

	h->maxphyaddr = (uint8_t)(x8.eax & 0xff);
	h->linear_bits = (uint8_t)((x8.eax >> 8) & 0xff);
	h->efer_valid = 0x501 | ((x1.edx & (1u << 20)) ? 0x800 : 0);	/* SCE LME LMA (NXE) */
	/* CR4: everything VMX operation allows but SMXE (SMX is hidden). */
	h->cr4_allowed = h->msrs.cr4_fixed1 & ~CR4_SMXE;
	h->mpx = l7.ebx & (1u << 14);
	h->rtm = l7.ebx & (1u << 11);
	h->sgx = l7.ebx & (1u << 2);
}

/* The MSRs nestor's own bitmap lets through (read or write): vmcs02 follows L1 there. */
static void collect_pass_msrs(struct vmx_nested_vm *nv, const uint8_t *bitmap)
{
	static const uint32_t bases[2] = { 0, 0xc0000000u };
	for (unsigned r = 0; r < 2; r++) {
		for (uint32_t i = 0; i < 0x2000 && nv->npass < 32; i++) {
			unsigned byte = r * 1024 + i / 8, bit = i % 8;
			bool rd = bitmap[byte] & (1u << bit), wr = bitmap[byte + 2048] & (1u << bit);
			if (!rd || !wr)
				nv->pass_msrs[nv->npass++] = bases[r] + i;
		}
	}
}

bool vmx_nested_vm_init(struct vm *vm, const struct vmx_cap_msrs *host)
{
	struct vmx_vm *xv = vm->arch;
	struct nvmx_offer_opts o = { .no_ept = !vm->nested.paging };
	/* The flavours are the personalities that offer VMX, in the same order. */
	_Static_assert((int)NVMX_FLAVOR_HYPERV == (int)PERSONALITY_HYPERV &&
		       (int)NVMX_FLAVOR_KVM == (int)PERSONALITY_KVM &&
		       (int)NVMX_FLAVOR_NATIVE == (int)PERSONALITY_NATIVE, "flavour = personality");
	enum nvmx_flavor f = vm->personality->virt.vmx ? (enum nvmx_flavor)vm->personality->id
						       : NVMX_FLAVOR_NONE;
	struct nvmx_host h = { .msrs = *host };
	struct vmx_nested_vm *nv;
	char why[160];

	xv->nested = NULL;
	if (f == NVMX_FLAVOR_NONE)
		return true;
	nv = (struct vmx_nested_vm *)page_alloc(&nestor_pages, 1, 1);
	if (!nv) {
		log_error("nvmx: out of pages");
		return false;
	}
	host_facts(&h);
	if (!nvmx_offer(&h, f, &o, &nv->caps, why, sizeof(why))) {
		log_error("nvmx: personality %s: %s", nvmx_flavor_name(f), why);
		return false;
	}
	nv->flavor = f;
	nv->mode = nvmx_flavor_mode(f);
	nv->host = *host;
	collect_pass_msrs(nv, (const uint8_t *)(uintptr_t)xv->msr_bitmap_pa);
	vmx_nested_fields_init(nv);
	xv->nested = nv;
	log_info("nvmx: VMX for L1 (%s, %s checks, EPT %s): basic %#llx pin %#llx proc %#llx "
		 "proc2 %#llx exit %#llx entry %#llx misc %#llx ept/vpid %#llx",
		 nvmx_flavor_name(f), nv->mode == NVMX_MODE_KVM ? "KVM 6.1's" : "every",
		 o.no_ept ? "off" : "on", (unsigned long long)nv->caps.msrs.basic,
		 (unsigned long long)nv->caps.msrs.true_pin, (unsigned long long)nv->caps.msrs.true_proc,
		 (unsigned long long)nv->caps.msrs.proc2, (unsigned long long)nv->caps.msrs.true_exit,
		 (unsigned long long)nv->caps.msrs.true_entry, (unsigned long long)nv->caps.msrs.misc,
		 (unsigned long long)nv->caps.msrs.ept_vpid);
	return true;
}

bool vmx_nested_vcpu_init(struct vcpu *v)
{
	const struct vmx_vm *xv = v->vm->arch;
	size_t npages = (sizeof(struct vmx_nested) + 4095) / 4096;
	struct vmx_nested *nx;
	uint64_t vmcs02, bitmap, copy;

	if (!xv->nested)
		return true;
	nx = (struct vmx_nested *)page_alloc(&nestor_pages, npages, 1);
	vmcs02 = page_alloc(&nestor_pages, 1, 1);
	bitmap = page_alloc(&nestor_pages, 1, 1);
	copy = page_alloc(&nestor_pages, 1, 1);
	if (!nx || !vmcs02 || !bitmap || !copy) {
		log_error("nvmx: vcpu%u: out of pages", v->id);
		return false;
	}
	nx->n = (struct nvmx_vcpu){ false, 0, NVMX_NO_VMCS };
	nx->feature_control = NVMX_FEATURE_CONTROL_RESET;
	nx->vmcs02_pa = vmcs02;
	nx->msr_bitmap02 = (uint8_t *)(uintptr_t)bitmap;
	memcpy(nx->msr_bitmap02, (const void *)(uintptr_t)xv->msr_bitmap_pa, 4096);
	nx->v12 = (struct vmcs12 *)(uintptr_t)copy;
	nx->vpid02 = (uint16_t)(0x100 + v->id);	/* L1's vCPUs use id + 1 */
	vmx_of(v)->nested = nx;
	v->nested = &vmx_nested_ops;
	return true;
}

/*
 * nestor resets a vCPU on INIT as if VMX were off: the SDM blocks INIT in VMX root
 * operation and makes it an exit (reason 3) from L2 (23.8, 25.2); Linux sends INIT only to
 * bring up its APs, before anything runs VMX, so this is the simple, safe approximation
 * (docs/nested-vmx.md). IA32_FEATURE_CONTROL keeps its value (INIT does not change it).
 */
void vmx_nested_reset(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmx_nested *nx = vmx_nested_of(v);

	if (v->guest_mode) {
		vmptrld(x->vmcs01_pa);
		x->vmcs_pa = x->vmcs01_pa;
		x->launched = true;
		x->proc = nx->proc01;
		vmcs_write(VMCS_PROC_CONTROLS, x->proc);
		v->guest_mode = false;
		log_warn("nvmx: vcpu%u: INIT while L2 ran: L2 dropped, L1 reset", v->id);
	}
	nx->n = (struct nvmx_vcpu){ false, 0, NVMX_NO_VMCS };
	nx->run_pending = nx->launching = false;
}

/* IA32_FEATURE_CONTROL and the capability MSRs 480H-491H (read-only). */
static enum vcpu_nested_msr nested_msr(struct vcpu *v, uint32_t msr, uint64_t *value, bool write)
{
	struct vmx_nested *nx = vmx_nested_of(v);

	if (msr == MSR_FEATURE_CONTROL) {
		if (!write) {
			*value = nx->feature_control;
			return NESTED_MSR_OK;
		}
		return nvmx_feature_control_write(&nx->feature_control, *value) ? NESTED_MSR_OK
										 : NESTED_MSR_GP;
	}
	/* IA32_DEBUGCTL: kvm_intel reads it on every KVM_RUN (the host's value to restore);
	 * it exists with no bit nestor supports (the offer says so: debugctl_valid 0). */
	if (msr == MSR_DEBUGCTL) {
		if (!write)
			*value = 0;
		return (!write || !*value) ? NESTED_MSR_OK : NESTED_MSR_GP;
	}
	if (msr < 0x480 || msr > 0x491)
		return NESTED_MSR_NOT_MINE;
	if (write || !nvmx_caps_msr(&vmx_nested_vm(v)->caps, msr, value))
		return NESTED_MSR_GP;
	return NESTED_MSR_OK;
}

static void nested_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	(void)v, (void)subleaf;
	if (leaf == 1)
		r->ecx |= CPUID1_ECX_VMX;
}

/* SDM 23.8: in VMX operation, CR0 and CR4 keep the bits IA32_VMX_CR*_FIXED* fix (#GP). */
static bool nested_cr_ok(struct vcpu *v, unsigned cr, uint64_t value)
{
	const struct vmx_cap_msrs *m = &vmx_nested_vm(v)->caps.msrs;

	if (!vmx_nested_of(v)->n.vmxon)
		return true;
	if (cr == 0)
		return (value & m->cr0_fixed0) == m->cr0_fixed0 && !(value & ~m->cr0_fixed1);
	if (cr == 4)
		return (value & m->cr4_fixed0) == m->cr4_fixed0 && !(value & ~m->cr4_fixed1);
	return true;
}

static void top_reasons(const uint64_t *by, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (unsigned r = 0; r < 65 && n + 24 < len; r++)
		if (by[r])
			n += (size_t)fmt_snprintf(buf + n, len - n, " %u=%llu", r,
						  (unsigned long long)by[r]);
}

static void nested_report(struct vcpu *v)
{
	const struct vmx_nested *nx = vmx_of((struct vcpu *)v)->nested;
	const struct vmx_nested_stats *s = &nx->st;
	char l0[200], l1[200];

	log_info("report: vcpu%u nvmx: VMXON=%llu VMCLEAR=%llu VMPTRLD=%llu VMREAD=%llu "
		 "VMWRITE=%llu VMLAUNCH=%llu VMRESUME=%llu INVEPT=%llu INVVPID=%llu, VMfail=%llu "
		 "faults=%llu, CPU-refused vmcs02=%llu", v->id,
		 (unsigned long long)s->insns[NVMX_VMXON], (unsigned long long)s->insns[NVMX_VMCLEAR],
		 (unsigned long long)s->insns[NVMX_VMPTRLD], (unsigned long long)s->insns[NVMX_VMREAD],
		 (unsigned long long)s->insns[NVMX_VMWRITE], (unsigned long long)s->insns[NVMX_VMLAUNCH],
		 (unsigned long long)s->insns[NVMX_VMRESUME], (unsigned long long)s->insns[NVMX_INVEPT],
		 (unsigned long long)s->insns[NVMX_INVVPID], (unsigned long long)s->vmfails,
		 (unsigned long long)s->faults, (unsigned long long)s->hw_entry_fails);
	top_reasons(s->l1_by_reason, l1, sizeof(l1));
	top_reasons(s->l0_by_reason, l0, sizeof(l0));
	log_info("report: vcpu%u nvmx: L2 exits to L1 by reason:%s; kept by nestor:%s; "
		 "synthesized interrupt=%llu nmi=%llu; L2's own #DB/#AC given back to L2=%llu; "
		 "shadow EPT fills=%llu drops=%llu pages=%u",
		 v->id, l1[0] ? l1 : " none", l0[0] ? l0 : " none",
		 (unsigned long long)s->synth_intr, (unsigned long long)s->synth_nmi,
		 (unsigned long long)s->l2_exc_given_back,
		 (unsigned long long)nx->sept.fills, (unsigned long long)nx->sept.drops,
		 nx->sept.npages);
	/* On Bochs the TSC counts instructions: the cost of each path in nestor. */
	log_info("report: vcpu%u nvmx: TSC per VMREAD/VMWRITE %llu, per emulated entry %llu, "
		 "per reflected exit %llu", v->id,
		 (unsigned long long)(s->tsc_rw / ((s->insns[NVMX_VMREAD] + s->insns[NVMX_VMWRITE]) ?: 1)),
		 (unsigned long long)(s->tsc_entry / ((s->insns[NVMX_VMLAUNCH] + s->insns[NVMX_VMRESUME]) ?: 1)),
		 (unsigned long long)(s->tsc_exit / (s->n_exit ?: 1)));
}

const struct vcpu_nested_ops vmx_nested_ops = {
	.exit = vmx_nested_exit,
	.check_events = vmx_nested_check_events,
	.msr = nested_msr,
	.cpuid = nested_cpuid,
	.cr_ok = nested_cr_ok,
	.report = nested_report,
};
