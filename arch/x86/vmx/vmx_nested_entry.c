/* vmx_nested_entry: L1's VMLAUNCH/VMRESUME after 26.1: the check catalogue, vmcs02, into L2. */
#include "apic/apic_vm.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "lib/string.h"
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

#define EFER_LMA (1ull << 10)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)

static bool l1_read(void *ctx, uint64_t gpa, void *buf, unsigned len)
{
	struct vcpu *v = ctx;
	return guest_mem_read(&v->vm->mem, gpa, buf, len);
}

static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/*
 * 26.4 fails an element "if the MSR write would cause #GP". nestor loads these MSRs for
 * L2 (what a VMM puts in its lists: EFER, PAT, the SYSCALL/SYSENTER MSRs, TSC_AUX) with
 * WRMSR's own rules; any other MSR it refuses, which fails the entry with exit 34.
 */
static bool msr_ok(void *ctx, uint32_t index, uint64_t value)
{
	struct vcpu *v = ctx;

	switch (index) {
	case 0xc0000080: return !(value & ~vmx_nested_vm(v)->caps.efer_valid);
	case 0x277: return vcpu_msr_pat_valid(value);
	case 0x174: case 0xc0000081: return true;
	case 0x175: case 0x176: case 0xc0000100: case 0xc0000101: case 0xc0000102:
	case 0xc0000082: case 0xc0000083:
		return canonical(value);
	case 0xc0000084: case 0xc0000103: return !(value >> 32);
	default: return false;
	}
}

void vmx_nested_env(struct vcpu *v, struct nvmx_env *env)
{
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);

	*env = (struct nvmx_env){
		.caps = &vmx_nested_vm(v)->caps,
		.l1_lma = v->guest_mode || (vmcs_read(VMCS_GUEST_EFER) & EFER_LMA),
		.l1_x2apic = vlapic_mode(l) == VLAPIC_MODE_X2APIC,
		.vmcs12_gpa = vmx_nested_of(v)->n.current,
		.read = l1_read,
		.msr_write_ok = msr_ok,
		.ctx = v,
	};
}

/* The VM-entry MSR-load area (26.4), already checked element by element: into vmcs02's
 * image for the MSRs the VMCS switches, into the CPU for the others (they are L2's now,
 * and stay so for L1 unless its exit MSR-load area says otherwise, as on hardware). */
static void entry_msr_load(struct vcpu *v, const struct vmcs12 *v12, struct vmcs12 *img)
{
	for (uint32_t i = 0; i < v12->entry_msr_load_count; i++) {
		uint64_t e[2];
		if (!guest_mem_read(&v->vm->mem, v12->entry_msr_load_addr + 16ull * i, e, 16))
			return;
		switch ((uint32_t)e[0]) {
		case 0xc0000080: img->guest_efer = e[1]; break;
		case 0x277: img->guest_pat = e[1]; break;
		case 0x174: img->guest_sysenter_cs = (uint32_t)e[1]; break;
		case 0x175: img->guest_sysenter_esp = e[1]; break;
		case 0x176: img->guest_sysenter_eip = e[1]; break;
		default: wrmsr((uint32_t)e[0], e[1]); break;
		}
	}
}

/*
 * The MSRs whose vmcs02 bit follows L1's bitmap: those nestor passes, and the x2APIC TPR
 * (808h), which nestor intercepts for L1 but which vmcs12's "virtualize x2APIC mode" makes
 * an access to L1's virtual-APIC page for L2 (SDM 29.5): vmcs02, with that control and L1's
 * page, lets the CPU virtualize it (nvmx_msr_intercept02 decides). Intercepted, it reached
 * nestor's x2APIC handler and wrote L2's TPR into L1's own vLAPIC.
 */
static uint32_t merged_msr(const struct vmx_nested_vm *nv, unsigned i)
{
	return i < nv->npass ? nv->pass_msrs[i] : 0x808;
}

/* vmcs02's MSR bitmap: nestor's, with the MSRs above following L1's bitmap. */
static void merge_msr_bitmap(struct vcpu *v, const struct vmcs12 *v12)
{
	const struct vmx_nested_vm *nv = vmx_nested_vm(v);
	const uint8_t *l0 = (const uint8_t *)(uintptr_t)((const struct vmx_vm *)v->vm->arch)->msr_bitmap_pa;
	uint8_t *b = vmx_nested_of(v)->msr_bitmap02;

	for (unsigned i = 0; i <= nv->npass; i++) {
		uint32_t msr = merged_msr(nv, i);
		unsigned base = msr >= 0xc0000000u ? 1024 : 0, idx = msr & 0x1fff;
		for (unsigned w = 0; w < 2; w++) {
			unsigned byte = base + w * 2048 + idx / 8, bit = 1u << (idx % 8);
			uint8_t l1 = 0xff;
			if (v12->proc_controls & PROC_MSR_BITMAPS)
				guest_mem_read(&v->vm->mem, v12->msr_bitmap + byte, &l1, 1);
			if (nvmx_msr_intercept02(v12, msr, l0[byte] & bit, l1 & bit))
				b[byte] |= (uint8_t)bit;
			else
				b[byte] &= (uint8_t)~bit;
		}
	}
}

static void fill_l0(struct vcpu *v, const struct vmcs12 *v12, struct nvmx_l0 *l0)
{
	const struct vmx_nested_vm *nv = vmx_nested_vm(v);
	const struct vmx_vm *xv = v->vm->arch;
	struct vmx_nested *nx = vmx_nested_of(v);

	*l0 = (struct nvmx_l0){
		.pin_must1 = VMX_CTL_MUST1(nv->host.true_pin),
		.proc_must1 = VMX_CTL_MUST1(nv->host.true_proc),
		.proc2_must1 = VMX_CTL_MUST1(nv->host.proc2),
		.exit_must1 = VMX_CTL_MUST1(nv->host.true_exit),
		.entry_must1 = VMX_CTL_MUST1(nv->host.true_entry),
		.vpid = vmx_cfg.vpid,
		.vpid02 = nx->vpid02,
		.eptp = (nvmx_proc2(v12) & PROC2_EPT) ? vmx_sept_eptp(v, v12->ept_pointer) : xv->eptp,
		.msr_bitmap = (uint64_t)(uintptr_t)nx->msr_bitmap02,
		.io_bitmap_a = xv->io_bitmap_a_pa,
		.io_bitmap_b = xv->io_bitmap_b_pa,
		.tsc_offset = vmcs_read(VMCS_TSC_OFFSET),
		.ram_hpa = (uint64_t)(uintptr_t)v->vm->mem.hva,
		.ram_size = v->vm->mem.size,
		.l1_efer = vmcs_read(VMCS_GUEST_EFER),
		.l1_pat = vmcs_read(VMCS_GUEST_PAT),
	};
	/* PAE paging without EPT: the CPU would read the PDPTEs at entry (26.3.2.4); with
	 * nestor's EPT in vmcs02 they come from the VMCS, so nestor reads them. */
	if (!(nvmx_proc2(v12) & PROC2_EPT) && (v12->guest_cr0 & CR0_PG) &&
	    (v12->guest_cr4 & CR4_PAE) && !(v12->entry_controls & ENTRY_IA32E_GUEST))
		guest_mem_read(&v->vm->mem, v12->guest_cr3 & ~0x1full, l0->pdpte, sizeof(l0->pdpte));
}

/* L2's linear mappings live under VPID 02: flushed when vmcs12 gives no VPID (entries
 * then invalidate, 28.3.3.1) or another one than last time. */
static void flush_l2_tlb(struct vcpu *v, const struct vmcs12 *v12)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	uint16_t vpid12 = (nvmx_proc2(v12) & PROC2_VPID) ? v12->vpid : 0;

	if (vmx_cfg.vpid && (!vpid12 || vpid12 != nx->last_vpid12))
		invvpid(vmx_cfg.invvpid_single ? INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXTS,
			nx->vpid02);
	nx->last_vpid12 = vpid12;
}

static bool switch_to_l2(struct vcpu *v, const struct vmcs12 *img, bool resume)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmx_nested *nx = vmx_nested_of(v);
	enum vmx_status st;

	nx->proc01 = x->proc;
	if (!nx->launched02) {
		*(volatile uint32_t *)(uintptr_t)nx->vmcs02_pa = vmx_cfg.revision;
		vmclear(nx->vmcs02_pa);
	}
	st = vmptrld(nx->vmcs02_pa);
	if (st != VMX_OK) {
		vm_stop_vcpu(v, "nvmx: VMPTRLD of vmcs02 failed");
		return false;
	}
	vmx_nested_write_vmcs02(vmx_nested_vm(v), img);
	/* nestor's host state never changes on this CPU: once per fresh vmcs02. */
	if (!nx->launched02)
		vmx_vmcs_host_state(v->cpu);
	x->vmcs_pa = nx->vmcs02_pa;
	x->launched = nx->launched02;
	x->proc = nx->proc02 = img->proc_controls;
	nx->l1_rsp = v->gprs.r[GPR_RSP];
	v->gprs.r[GPR_RSP] = img->guest_rsp;
	nx->run_pending = true;
	nx->launching = !resume;
	nx->v12_gpa = nx->n.current;
	v->guest_mode = true;
	return true;
}

/*
 * VMLAUNCH / VMRESUME past 26.1: nestor works on its own copy of vmcs12 (what L1 writes
 * to the region while the entry is checked cannot change what was checked); the catalogue
 * runs in the personality's mode; a failing rule is one log line, counted, and L1 gets
 * the SDM's outcome. Otherwise vmcs02 is built and L2 entered at the next VM entry.
 */
bool vmx_nested_enter(struct vcpu *v, bool resume)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	const struct vmx_nested_vm *nv = vmx_nested_vm(v);
	const struct vmcs12 *mem12 = guest_mem_ptr(&v->vm->mem, nx->n.current, 4096);
	struct vmcs12 *v12 = nx->v12, img;
	struct nvmx_result r;
	struct nvmx_env env;
	struct nvmx_l0 l0;
	const char *why = NULL;
	char line[400];
	uint64_t t0 = rdtsc();
	bool ok;

	v->stats.l1_vmentries++;
	vmcs12_copy(v12, mem12);
	vmx_nested_env(v, &env);
	nvmx_check_vmentry(v12, &env, nv->mode, &r);
	if (r.check) {
		v->stats.l1_vmentry_fails++;
		nvmx_result_format(&r, v12, &env, line, sizeof(line));
		log_warn("nvmx: vcpu%u rip %#llx: %s refused: %s", v->id,
			 (unsigned long long)nx->l1_rip, resume ? "VMRESUME" : "VMLAUNCH", line);
		return vmx_nested_entry_failed(v, &r.out);
	}
	fill_l0(v, v12, &l0);
	if (!nvmx_merge(v12, &l0, &img, &why)) {
		struct nvmx_outcome o = { NVMX_VMFAIL_VALID, VMXERR_ENTRY_INVALID_CONTROLS, 0 };
		v->stats.l1_vmentry_fails++;
		log_warn("nvmx: vcpu%u rip %#llx: %s refused: %s -> VMfailValid(7)", v->id,
			 (unsigned long long)nx->l1_rip, resume ? "VMRESUME" : "VMLAUNCH", why);
		return vmx_nested_entry_failed(v, &o);
	}
	entry_msr_load(v, v12, &img);
	merge_msr_bitmap(v, v12);
	flush_l2_tlb(v, v12);
	ok = switch_to_l2(v, &img, resume);
	nx->st.tsc_entry += rdtsc() - t0;
	return ok;
}
