/* vmx_nested_ept: shadow EPT: L1's EPT composed with nestor's RAM mapping, filled on demand. */
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "nested/vmx/nvmx_ept.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/vm.h"

#define ADDR_MASK 0x000ffffffffff000ull
#define EPT_TABLE 0x7ull		/* non-leaf entries allow everything: L1's leaf decides */
#define EPT_LEAF_2M (1ull << 7)
#define EPTP_WB_4LEVEL (6ull | (3ull << 3))
#define SEPT_REPEAT_LIMIT 8
#define SZ_2M (1ull << 21)

static uint64_t table_alloc(struct vmx_sept *s)
{
	uint64_t p;
	if (s->npages == SEPT_MAX_PAGES || !(p = page_alloc(&nestor_pages, 1, 1)))
		return 0;
	s->pages[s->npages++] = p;
	return p;
}

/* Gives every table back; the CPU's cached translations of the old tree go with INVEPT. */
void vmx_sept_drop(struct vcpu *v, const char *why)
{
	struct vmx_sept *s = &vmx_nested_of(v)->sept;

	for (unsigned i = 0; i < s->npages; i++)
		page_free(&nestor_pages, s->pages[i], 1);
	if (s->npages)
		s->drops++;
	s->npages = 0;
	s->repeats = 0;
	s->root = 0;
	s->l1_eptp = 0;
	invept(INVEPT_ALL_CONTEXTS, 0);
	log_debug("nvmx: vcpu%u: shadow EPT dropped (%s)", v->id, why);
}

/* The shadow root for vmcs12's EPTP; another EPTP than the one shadowed starts afresh. */
uint64_t vmx_sept_eptp(struct vcpu *v, uint64_t l1_eptp)
{
	struct vmx_sept *s = &vmx_nested_of(v)->sept;

	if (s->root && s->l1_eptp != (l1_eptp & ADDR_MASK))
		vmx_sept_drop(v, "another EPTP");
	if (!s->root) {
		s->root = table_alloc(s);
		s->l1_eptp = l1_eptp & ADDR_MASK;
	}
	return s->root | EPTP_WB_4LEVEL;
}

/* One leaf: 4 KiB, or 2 MiB where the PDE is free. False when out of table pages. */
static bool sept_map(struct vmx_sept *s, uint64_t gpa, uint64_t hpa, uint64_t leaf_flags,
		     bool large)
{
	uint64_t *t = (uint64_t *)(uintptr_t)s->root;

	for (unsigned level = 4; level > 1; level--) {
		uint64_t *e = &t[(gpa >> (12 + 9 * (level - 1))) & 511];
		if (level == 2 && large && (!(*e & 7) || (*e & EPT_LEAF_2M))) {
			*e = (hpa & ~(SZ_2M - 1)) | leaf_flags | EPT_LEAF_2M;
			return true;
		}
		if (!(*e & 7) || (*e & EPT_LEAF_2M)) {
			uint64_t p = table_alloc(s);
			if (!p)
				return false;
			if (*e & EPT_LEAF_2M)
				invept(INVEPT_ALL_CONTEXTS, 0);	/* a 2 MiB translation goes */
			*e = p | EPT_TABLE;
		}
		t = (uint64_t *)(uintptr_t)(*e & ADDR_MASK);
	}
	t[(gpa >> 12) & 511] = (hpa & ADDR_MASK) | leaf_flags;
	return true;
}

/* Maps L2's page with L1's rights and memory type; 2 MiB when L1's leaf is at least that
 * and L1's 2 MiB range is RAM at a 2 MiB-aligned host address. */
static bool fill(struct vcpu *v, uint64_t l2_gpa, const struct nvmx_ept_walk *w)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	const struct guest_mem *m = &v->vm->mem;
	uint64_t flags = w->rights | ((uint64_t)w->memtype << 3) | (w->ipat ? 1ull << 6 : 0);
	uint64_t l1_2m = w->l1_gpa & ~(SZ_2M - 1);
	uint64_t hpa = (uint64_t)(uintptr_t)m->hva + (w->l1_gpa & ~0xfffull);
	bool large = w->page_size >= SZ_2M && (vmx_nested_vm(v)->host.ept_vpid & EPT_CAP_2M) &&
		     guest_mem_contains(m, l1_2m, SZ_2M) &&
		     !(((uint64_t)(uintptr_t)m->hva + l1_2m) & (SZ_2M - 1));

	if (!sept_map(&nx->sept, l2_gpa, hpa, flags, large)) {
		vmx_sept_drop(v, "out of table pages");
		vmcs_write(VMCS_EPT_POINTER, vmx_sept_eptp(v, nx->v12->ept_pointer));
		return sept_map(&nx->sept, l2_gpa, hpa, flags, large);
	}
	nx->sept.fills++;
	return true;
}

static enum vcpu_nested_exit reflect(struct vcpu *v, const struct nvmx_exit *e)
{
	return vmx_nested_vmexit(v, e, false) ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
}

/*
 * An EPT violation of vmcs02 while L1 uses EPT: L1's walk decides (28.2.3). Allowed:
 * the shadow gets the translation and L2 goes on (with the event it was delivering);
 * a violation or misconfiguration of L1's tables: reflected, with bits 5:3 of the
 * qualification from L1's entries (27.2.1). A translation to L1 memory that is not RAM
 * (a device of L1's platform mapped into L2) is not emulated: the VM stops, named.
 */
enum vcpu_nested_exit vmx_sept_exit(struct vcpu *v, const struct nvmx_exit *e)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	struct vmx_sept *s = &nx->sept;
	struct nvmx_exit r = *e;
	struct nvmx_ept_walk w;
	struct nvmx_env env;
	enum nvmx_ept_result res;

	if ((e->reason & 0xffff) == NVMX_EXIT_EPT_MISCONFIG) {
		vm_stop_vcpu(v, "nvmx: shadow EPT misconfiguration at L2 address %#llx (nestor bug)",
			     (unsigned long long)e->guest_phys);
		return NESTED_EXIT_STOP;
	}
	vmx_nested_env(v, &env);
	res = nvmx_ept_translate(nx->v12->ept_pointer, e->guest_phys, nvmx_ept_access(e->qual),
				 env.caps, &env, &w);
	if (res == NVMX_EPT_OK) {
		if (!guest_mem_contains(&v->vm->mem, w.l1_gpa & ~0xfffull, 4096)) {
			vm_stop_vcpu(v, "nvmx: L2 address %#llx is L1 address %#llx, not L1 RAM: L1's "
				     "EPT maps a device into L2, which nestor does not emulate",
				     (unsigned long long)e->guest_phys, (unsigned long long)w.l1_gpa);
			return NESTED_EXIT_STOP;
		}
		s->repeats = s->last_gpa == (e->guest_phys & ~0xfffull) ? s->repeats + 1 : 0;
		s->last_gpa = e->guest_phys & ~0xfffull;
		if (s->repeats > SEPT_REPEAT_LIMIT || !fill(v, e->guest_phys, &w)) {
			vm_stop_vcpu(v, "nvmx: shadow EPT cannot map L2 address %#llx (L1 %#llx, "
				     "rights %u, %u times)", (unsigned long long)e->guest_phys,
				     (unsigned long long)w.l1_gpa, w.rights, s->repeats);
			return NESTED_EXIT_STOP;
		}
		nx->st.l0_by_reason[NVMX_EXIT_EPT_VIOLATION]++;
		/* L2 goes on with the event it was delivering (27.2.4). */
		if (e->idt_info & INTR_INFO_VALID) {
			vmcs_write(VMCS_ENTRY_INTR_INFO, e->idt_info & ~INTR_INFO_NMI_UNBLOCKED_BY_IRET);
			if (e->idt_info & INTR_INFO_ERROR_VALID)
				vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, e->idt_error);
			vmcs_write(VMCS_ENTRY_INSTRUCTION_LEN, e->insn_len);
		}
		if (((e->qual >> 12) & 1) && (vmcs_read(VMCS_PIN_CONTROLS) & PIN_VIRTUAL_NMIS))
			vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
				   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
		return NESTED_EXIT_DONE;
	}
	s->repeats = 0;
	if (res == NVMX_EPT_VIOLATION) {
		r.qual = nvmx_ept_violation_qual(e->qual, &w);
		return reflect(v, &r);
	}
	if (res == NVMX_EPT_BAD_TABLE)
		log_warn("nvmx: vcpu%u: L1's EPT table entry at %#llx is not L1 RAM: reflected as "
			 "an EPT misconfiguration", v->id, (unsigned long long)w.table_gpa);
	r.reason = NVMX_EXIT_EPT_MISCONFIG;
	r.qual = 0;
	r.guest_linear = 0;
	return reflect(v, &r);
}
