/* vmx_nested: nested VMX in the backend: L1's VMX operation, vmcs02, reflected exits, shadow EPT. */
#ifndef NESTOR_ARCH_X86_VMX_VMX_NESTED_H
#define NESTOR_ARCH_X86_VMX_VMX_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include "nested/vmx/nvmx_exit.h"
#include "nested/vmx/nvmx_insn.h"
#include "nested/vmx/nvmx_merge.h"
#include "nested/vmx/nvmx_offer.h"
#include "vm/vcpu.h"
#include "vm/vcpu_nested.h"

struct vlapic;
struct apic_decision;

/* A vmcs12 field as nestor moves it between an image and vmcs02. */
struct vmx_nested_field {
	uint16_t enc, off;
	uint8_t width;
};

/* Per VM: what L1 is offered (the same on every vCPU, as kvm_intel requires). */
struct vmx_nested_vm {
	enum nvmx_flavor flavor;
	enum nvmx_mode mode;
	struct nvmx_caps caps;
	struct vmx_cap_msrs host;	/* the host's, for vmcs02 */
	/* MSRs nestor's own bitmap passes (read or write): vmcs02's bitmap follows L1's
	 * for these at every entry, and intercepts everything else. */
	uint32_t pass_msrs[32];
	unsigned npass;
	/* vmcs02's fields the host has, computed once (vmx_nested_vmcs.c): every control and
	 * guest-state field nestor writes, and the guest-state fields it reads back. */
	struct vmx_nested_field written[200], guest[120];
	unsigned nwritten, nguest;
};

/* Shadow EPT: L1's EPT composed with nestor's, built on demand (vmx_nested_ept.c). */
#define SEPT_MAX_PAGES 1536
struct vmx_sept {
	uint64_t l1_eptp;		/* the vmcs12 EPTP the tree shadows (0: none) */
	uint64_t root;			/* host-physical PML4 */
	unsigned npages;
	uint64_t pages[SEPT_MAX_PAGES];	/* every table page, to give back */
	uint64_t last_gpa;		/* the last address filled, and how often in a row */
	unsigned repeats;
	uint64_t fills, drops;
};

/* Where L1's VMX instructions and L2's exits went, for the report and the benchmark. */
struct vmx_nested_stats {
	uint64_t insns[11];		/* per enum nvmx_insn */
	uint64_t vmfails, faults;
	uint64_t l0_by_reason[65];	/* L2 exits nestor kept (basic reason, 64 = other) */
	uint64_t l1_by_reason[65];	/* L2 exits reflected to L1 */
	uint64_t synth_intr, synth_nmi;	/* exits made for L1's own interrupts and NMIs */
	uint64_t l2_exc_given_back;	/* L2's #DB / #AC L1 does not intercept, given back */
	uint64_t hw_entry_fails;	/* vmcs02 refused by the CPU (kvm flavor: the CPU's check) */
	/* TSC cycles nestor spent (on Bochs: emulated instructions): L1's VMREAD/VMWRITE,
	 * the emulated entry (checks, vmcs02) and the reflected exit (vmcs12, vmcs01). */
	uint64_t tsc_rw, tsc_entry, tsc_exit, n_exit;
};

/* Per vCPU. */
struct vmx_nested {
	struct nvmx_vcpu n;		/* VMXON state, current-VMCS pointer */
	uint64_t feature_control;	/* IA32_FEATURE_CONTROL as L1 sees it */
	uint64_t vmcs02_pa;
	bool launched02;		/* vmcs02 was launched: VMRESUME */
	uint32_t proc01;		/* vmcs01's primary controls while L2 runs */
	uint32_t proc02;		/* vmcs02's, without nestor's window bits */
	uint8_t *msr_bitmap02;
	uint64_t v12_gpa;		/* the vmcs12 L2 runs from */
	struct vmcs12 *v12;		/* nestor's checked copy of it (its own page) */
	bool launching;			/* entered by VMLAUNCH: launched once vmcs02 ran */
	bool run_pending;		/* entered, vmcs02 not run yet */
	uint64_t l1_rip, l1_rsp;	/* L1 at its VMLAUNCH/VMRESUME (a refused vmcs02 returns) */
	unsigned l1_insn_len;
	uint16_t vpid02;
	uint16_t last_vpid12;
	struct vmx_sept sept;
	struct vmx_nested_stats st;
};

/* vmx_nested.c: set-up and the hooks of vm/vcpu_nested.h. */
bool vmx_nested_vm_init(struct vm *vm, const struct vmx_cap_msrs *host);
bool vmx_nested_vcpu_init(struct vcpu *v);
extern const struct vcpu_nested_ops vmx_nested_ops;
/* INIT of a vCPU (vcpu_entry.c resets it): L2 and VMX operation are gone, vmcs01 current. */
void vmx_nested_reset(struct vcpu *v);
const struct vmx_nested_vm *vmx_nested_vm(const struct vcpu *v);

/* vmx_nested_insn.c: an L1 exit for a VMX instruction (reasons 19-27, 50, 53). */
bool vmx_nested_insn(struct vcpu *v, enum nvmx_insn insn);
/* Sets L1's RFLAGS for VMsucceed / VMfailInvalid / VMfailValid and moves past the
 * instruction (len bytes at rip). */
void vmx_nested_vmx_result(struct vcpu *v, uint8_t kind, uint64_t rip, unsigned len);

/* vmx_nested_entry.c: VMLAUNCH/VMRESUME after 26.1 (checks, vmcs02, switch to L2). */
bool vmx_nested_enter(struct vcpu *v, bool resume);
/* The vmcs12 env for checks and walks (L1 memory, L1's state). */
void vmx_nested_env(struct vcpu *v, struct nvmx_env *env);

/* vmx_nested_exit.c: the `exit` hook. */
enum vcpu_nested_exit vmx_nested_exit(struct vcpu *v);

/* vmx_nested_switch.c: back to L1 with an exit into vmcs12 (27.2-27.5, MSR areas). */
bool vmx_nested_vmexit(struct vcpu *v, const struct nvmx_exit *e, bool nmi_exit);
/* An L1 VM entry that failed after 26.1 with an exit (33/34) or VMfailValid. */
bool vmx_nested_entry_failed(struct vcpu *v, const struct nvmx_outcome *o);

/* vmx_nested_events.c: L1's interrupts while L2 runs, and the decision applied to vmcs02. */
void vmx_nested_check_events(struct vcpu *v, struct vlapic *l);
void vmx_nested_apply_decision(struct vcpu *v, struct vlapic *l, const struct apic_decision *d);

/* vmx_nested_ept.c */
uint64_t vmx_sept_eptp(struct vcpu *v, uint64_t l1_eptp);
void vmx_sept_drop(struct vcpu *v, const char *why);
/* An EPT exit of vmcs02 with L1's EPT: fill, reflect, or stop. */
enum vcpu_nested_exit vmx_sept_exit(struct vcpu *v, const struct nvmx_exit *e);

/* vmx_nested_vmcs.c: vmcs02's fields to and from an image. */
void vmx_nested_fields_init(struct vmx_nested_vm *nv);
void vmx_nested_write_vmcs02(const struct vmx_nested_vm *nv, const struct vmcs12 *img);
void vmx_nested_read_guest(const struct vmx_nested_vm *nv, struct vmcs12 *img);
void vmx_nested_read_exit(struct nvmx_exit *e);

#endif
