/* vmx_nested_switch: back to L1: the exit into vmcs12, L1's host state into vmcs01, MSR areas. */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "lib/string.h"
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

#define VMX_ABORT_SAVING_MSRS 1u
#define VMX_ABORT_LOADING_MSRS 4u

/* MSRs no VMCS switches, live in the CPU for L1 and L2 alike (STAR, LSTAR, CSTAR, SFMASK,
 * KERNEL_GS_BASE, TSC_AUX): a VM exit leaves them as L2 had them (27.5). */
static bool cpu_switched_msr(uint32_t msr)
{
	return (msr >= 0xc0000081u && msr <= 0xc0000084u) || msr == 0xc0000102u ||
	       msr == 0xc0000103u;
}

/* An MSR of L2 for the VM-exit MSR-store area: the VMCS's, the CPU's, or nestor's model. */
static bool l2_msr(struct vcpu *v, const struct vmcs12 *l2, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case 0xc0000080: *value = l2->guest_efer; return true;
	case 0x277: *value = l2->guest_pat; return true;
	case 0xc0000100: *value = l2->guest_fs_base; return true;
	case 0xc0000101: *value = l2->guest_gs_base; return true;
	case 0x174: *value = l2->guest_sysenter_cs; return true;
	case 0x175: *value = l2->guest_sysenter_esp; return true;
	case 0x176: *value = l2->guest_sysenter_eip; return true;
	default:
		if (cpu_switched_msr(msr)) {
			*value = rdmsr(msr);
			return true;
		}
		return vcpu_msr_read(v, msr, value) == MSR_OK;
	}
}

/* A VMX abort (27.7): the indicator goes into the vmcs12 region, L1 would shut down. */
static bool vmx_abort(struct vcpu *v, uint32_t indicator, const char *what, uint32_t msr)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	guest_mem_write(&v->vm->mem, nx->v12_gpa + 4, &indicator, 4);
	vm_stop_vcpu(v, "nvmx: VMX abort %u: %s MSR %#x (L1 shuts down)", indicator, what, msr);
	return false;
}

static bool exit_msr_store(struct vcpu *v, const struct vmcs12 *v12, const struct vmcs12 *l2)
{
	for (uint32_t i = 0; i < v12->exit_msr_store_count; i++) {
		uint64_t at = v12->exit_msr_store_addr + 16ull * i, value;
		uint32_t index;
		if (!guest_mem_read(&v->vm->mem, at, &index, 4) || !l2_msr(v, l2, index, &value) ||
		    !guest_mem_write(&v->vm->mem, at + 8, &value, 8))
			return vmx_abort(v, VMX_ABORT_SAVING_MSRS, "VM-exit MSR-store area,", index);
	}
	return true;
}

/* The VM-exit MSR-load area (27.6): into L1 as its WRMSR would (vmcs01 is current). */
static bool exit_msr_load(struct vcpu *v, const struct vmcs12 *v12)
{
	for (uint32_t i = 0; i < v12->exit_msr_load_count; i++) {
		uint64_t e[2];
		bool ok;
		if (!guest_mem_read(&v->vm->mem, v12->exit_msr_load_addr + 16ull * i, e, 16))
			return vmx_abort(v, VMX_ABORT_LOADING_MSRS, "VM-exit MSR-load area not RAM,", 0);
		switch ((uint32_t)e[0]) {
		case 0xc0000080: ok = vmx_set_reg(v, VCPU_EFER, e[1]); break;
		case 0x277: ok = vcpu_msr_pat_valid(e[1]) && vmx_set_reg(v, VCPU_PAT, e[1]); break;
		case 0xc0000100: vmcs_write(VMCS_GUEST_FS_BASE, e[1]); ok = true; break;
		case 0xc0000101: vmcs_write(VMCS_GUEST_GS_BASE, e[1]); ok = true; break;
		case 0x174: vmcs_write(VMCS_GUEST_SYSENTER_CS, e[1]); ok = true; break;
		case 0x175: vmcs_write(VMCS_GUEST_SYSENTER_ESP, e[1]); ok = true; break;
		case 0x176: vmcs_write(VMCS_GUEST_SYSENTER_EIP, e[1]); ok = true; break;
		default:
			if (cpu_switched_msr((uint32_t)e[0])) {
				wrmsr((uint32_t)e[0], e[1]);
				ok = true;
			} else {
				ok = vcpu_msr_write(v, (uint32_t)e[0], e[1]) == MSR_OK;
			}
			break;
		}
		if (!ok)
			return vmx_abort(v, VMX_ABORT_LOADING_MSRS, "VM-exit MSR-load of",
					 (uint32_t)e[0]);
	}
	return true;
}

static void write_segments(const struct vmcs12 *l1)
{
	const uint16_t sels[8] = { l1->guest_es_sel, l1->guest_cs_sel, l1->guest_ss_sel,
				   l1->guest_ds_sel, l1->guest_fs_sel, l1->guest_gs_sel,
				   l1->guest_ldtr_sel, l1->guest_tr_sel };
	const uint64_t bases[8] = { l1->guest_es_base, l1->guest_cs_base, l1->guest_ss_base,
				    l1->guest_ds_base, l1->guest_fs_base, l1->guest_gs_base,
				    l1->guest_ldtr_base, l1->guest_tr_base };
	const uint32_t limits[8] = { l1->guest_es_limit, l1->guest_cs_limit, l1->guest_ss_limit,
				     l1->guest_ds_limit, l1->guest_fs_limit, l1->guest_gs_limit,
				     l1->guest_ldtr_limit, l1->guest_tr_limit };
	const uint32_t ars[8] = { l1->guest_es_ar, l1->guest_cs_ar, l1->guest_ss_ar,
				  l1->guest_ds_ar, l1->guest_fs_ar, l1->guest_gs_ar,
				  l1->guest_ldtr_ar, l1->guest_tr_ar };
	for (unsigned s = 0; s < 8; s++) {
		vmcs_write(VMCS_GUEST_ES_SEL + 2 * s, sels[s]);
		vmcs_write(VMCS_GUEST_ES_BASE + 2 * s, bases[s]);
		vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * s, limits[s]);
		vmcs_write(VMCS_GUEST_ES_AR + 2 * s, ars[s]);
	}
	vmcs_write(VMCS_GUEST_GDTR_BASE, l1->guest_gdtr_base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, l1->guest_gdtr_limit);
	vmcs_write(VMCS_GUEST_IDTR_BASE, l1->guest_idtr_base);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, l1->guest_idtr_limit);
}

/* vmcs01 current again, with L1's state after the exit (27.5) in its guest fields. */
static bool switch_to_l1(struct vcpu *v, const struct vmcs12 *l1)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmx_nested *nx = vmx_nested_of(v);
	uint32_t entry;

	if (vmptrld(x->vmcs01_pa) != VMX_OK) {
		vm_stop_vcpu(v, "nvmx: VMPTRLD of vmcs01 failed");
		return false;
	}
	x->vmcs_pa = x->vmcs01_pa;
	x->launched = true;
	x->proc = nx->proc01;
	v->guest_mode = false;
	nx->run_pending = false;
	vmcs_write(VMCS_CR0_SHADOW, l1->guest_cr0);
	vmcs_write(VMCS_GUEST_CR0, l1->guest_cr0 | vmx_cfg.guest_cr0_set);
	vmcs_write(VMCS_CR4_SHADOW, l1->guest_cr4);
	vmcs_write(VMCS_GUEST_CR4, l1->guest_cr4 | vmx_cfg.guest_cr4_set);
	vmcs_write(VMCS_GUEST_DR7, l1->guest_dr7);
	vmcs_write(VMCS_GUEST_DEBUGCTL, l1->guest_debugctl);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, l1->guest_sysenter_cs);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, l1->guest_sysenter_esp);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, l1->guest_sysenter_eip);
	vmcs_write(VMCS_GUEST_EFER, l1->guest_efer);
	vmcs_write(VMCS_GUEST_PAT, l1->guest_pat);
	entry = (uint32_t)vmcs_read(VMCS_ENTRY_CONTROLS) & ~ENTRY_IA32E_GUEST;
	vmcs_write(VMCS_ENTRY_CONTROLS, entry | (l1->entry_controls & ENTRY_IA32E_GUEST));
	write_segments(l1);
	vmcs_write(VMCS_GUEST_RIP, l1->guest_rip);
	vmcs_write(VMCS_GUEST_RFLAGS, l1->guest_rflags);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, l1->guest_interruptibility);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, l1->guest_activity_state);
	vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	v->gprs.r[GPR_RSP] = l1->guest_rsp;
	/* CR3 last: it loads PAE PDPTEs for a 32-bit L1 and drops L1's cached translations. */
	vmx_set_reg(v, VCPU_CR3, l1->guest_cr3);
	return true;
}

/* vmcs12 back into L1's region (nestor worked on its copy since the entry). */
static void write_back(struct vcpu *v)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	struct vmcs12 *mem12 = guest_mem_ptr(&v->vm->mem, nx->v12_gpa, sizeof(*nx->v12));
	if (mem12)
		vmcs12_copy(mem12, nx->v12);
}

bool vmx_nested_vmexit(struct vcpu *v, const struct nvmx_exit *e, bool nmi_exit)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	const struct vmx_nested_vm *nv = vmx_nested_vm(v);
	struct vmcs12 l2, l1;
	bool vpid = nvmx_proc2(nx->v12) & PROC2_VPID, ok;
	uint64_t t0 = rdtsc();

	/* The VMLAUNCH happened (the CPU took vmcs02, or L2 exits before its first
	 * instruction): the VMCS is launched (24.11.3). */
	if (nx->launching)
		nx->v12->launch_state = VMCS12_LAUNCH_LAUNCHED;
	nx->launching = false;
	vmcs12_copy(&l2, nx->v12);	/* fields the host has not: as vmcs12 had them */
	vmx_nested_read_guest(nv, &l2);
	l2.guest_rsp = v->gprs.r[GPR_RSP];
	if (!exit_msr_store(v, nx->v12, &l2))
		return false;
	nvmx_save_exit(nx->v12, &l2, e);
	nvmx_host_state(nx->v12, &l2, &nv->caps, nmi_exit, &l1);
	write_back(v);
	v->stats.l2_reflected++;
	nx->st.l1_by_reason[(e->reason & 0xffff) < 64 ? (e->reason & 0xffff) : 64]++;
	if (!switch_to_l1(v, &l1))
		return false;
	/* Without VPID in vmcs12 a VM exit invalidates L1's linear mappings (28.3.3.1). */
	if (!vpid && vmx_cfg.vpid)
		invvpid(vmx_cfg.invvpid_single ? INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXTS,
			vmx_of(v)->vpid);
	ok = exit_msr_load(v, nx->v12);
	nx->st.tsc_exit += rdtsc() - t0;
	nx->st.n_exit++;
	return ok;
}

/*
 * An entry that failed after 26.1 (vmcs01 current, L2 never ran): VMfailValid(N) into
 * vmcs12 with L1 after its instruction, or a VM-entry failure exit (26.8): exit reason
 * with bit 31, the qualification, and L1's host state as after a VM exit (the CR0 bits an
 * exit keeps are L1's own here). The MSR-load elements before a failing one stay loaded.
 */
bool vmx_nested_entry_failed(struct vcpu *v, const struct nvmx_outcome *o)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	struct vmcs12 *v12 = nx->v12, cur, l1;
	struct nvmx_outcome out = *o;

	if (out.kind == NVMX_NOT_RAM) {
		/* nestor safety rows: the outcome of the SDM stage the memory belongs to. */
		out.kind = NVMX_ENTRY_EXIT;
		out.code = EXIT_REASON_INVALID_GUEST_STATE;
	}
	if (out.kind == NVMX_VMFAIL_VALID) {
		uint32_t err = out.code;
		guest_mem_write(&v->vm->mem, nx->n.current + offsetof(struct vmcs12, instruction_error),
				&err, 4);
		vmx_nested_vmx_result(v, NVMX_I_FAIL_VALID, nx->l1_rip, nx->l1_insn_len);
		return true;
	}
	nx->v12_gpa = nx->n.current;
	for (uint32_t i = 0; out.code == EXIT_REASON_MSR_LOADING && i + 1 < out.qual &&
			    i < v12->entry_msr_load_count; i++) {
		uint64_t e[2];
		if (guest_mem_read(&v->vm->mem, v12->entry_msr_load_addr + 16ull * i, e, 16) &&
		    cpu_switched_msr((uint32_t)e[0]))
			wrmsr((uint32_t)e[0], e[1]);
	}
	v12->exit_reason = EXIT_REASON_ENTRY_FAILURE | out.code;
	v12->exit_qualification = out.qual;
	vmcs12_clear(&cur);
	cur.guest_cr0 = vmcs_read(VMCS_GUEST_CR0);
	cur.guest_efer = vmcs_read(VMCS_GUEST_EFER);
	cur.guest_pat = vmcs_read(VMCS_GUEST_PAT);
	nvmx_host_state(v12, &cur, &vmx_nested_vm(v)->caps, false, &l1);
	write_back(v);
	nx->proc01 = vmx_of(v)->proc;
	nx->st.l1_by_reason[out.code]++;
	return switch_to_l1(v, &l1) && exit_msr_load(v, v12);
}
