/* vcpu_msr: RDMSR/WRMSR as vm/msr_table.c says, the same on every backend. */
#include "vm/vcpu_msr.h"

#include "apic/vlapic.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "vm/msr_table.h"
#include "vm/vcpu_arch.h"
#include "vm/personality.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

bool vcpu_msr_pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (i * 8));
		if (t == 2 || t == 3 || t > 7)	/* SDM Vol. 3A 13.12.2: reserved types */
			return false;
	}
	return true;
}

void vcpu_msrs_reset(struct vcpu *v)
{
	memset(&v->msrs, 0, sizeof(v->msrs));
	v->msrs.misc_enable = v->vm->personality->misc_enable;
}

/* An MSR nobody handles: #GP, and one log line per MSR number so a guest that probes
 * hundreds of MSRs leaves a readable log. */
static enum msr_result msr_unknown(struct vcpu *v, uint32_t msr, const char *what,
				   uint64_t value)
{
	static uint32_t logged[64];
	static unsigned nlogged;
	static struct spinlock lock = SPINLOCK_INIT;	/* every vCPU may get here */
	spin_lock(&lock);
	for (unsigned i = 0; i < nlogged; i++) {
		if (logged[i] == msr) {
			spin_unlock(&lock);
			return MSR_GP;
		}
	}
	if (nlogged < 64)
		logged[nlogged++] = msr;
	spin_unlock(&lock);
	log_info("vcpu%u: %s of unknown MSR %#x (value %#llx) -> #GP (logged once per MSR)",
		 v->id, what, msr, (unsigned long long)value);
	return MSR_GP;
}

/* The row, when the guest's CPU has this MSR: its vendor's, and its CPUID bit offered. */
static const struct msr_desc *msr_of(struct vcpu *v, uint32_t msr)
{
	const struct msr_desc *d = msr_table_find(msr);
	if (!d || d->kind == MSR_KIND_EXIT_PATH)
		return NULL;
	if (d->vendor != MSR_ANY_VENDOR) {
		enum cpuid_vendor cv = vcpu_cpuid_vendor(v);
		if ((d->vendor == MSR_INTEL) != (cv == CPUID_VENDOR_INTEL) ||
		    (d->vendor == MSR_AMD) != (cv == CPUID_VENDOR_AMD))
			return NULL;
	}
	if (d->needs.leaf && !vcpu_cpuid_has(v, 0, d->needs))
		return NULL;
	return d;
}

static enum msr_result msr_apic(struct vcpu *v, uint32_t msr, uint64_t *value, bool write)
{
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);
	enum apic_access r = write ? vlapic_msr_write(l, msr, *value) : vlapic_msr_read(l, msr, value);
	return r == APIC_ACCESS_GP ? MSR_GP : MSR_OK;
}

/* The nested extension's own MSRs first (vm/vcpu_nested.h). */
static bool msr_nested(struct vcpu *v, uint32_t msr, uint64_t *value, bool write,
		       enum msr_result *r)
{
	enum vcpu_nested_msr n;
	if (!v->nested || !v->nested->msr)
		return false;
	n = v->nested->msr(v, msr, value, write);
	*r = n == NESTED_MSR_OK ? MSR_OK : MSR_GP;
	return n != NESTED_MSR_NOT_MINE;
}

enum msr_result vcpu_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	enum msr_result nr;
	if (msr_nested(v, msr, value, false, &nr))
		return nr;
	const struct msr_desc *d = msr_of(v, msr);
	if (!d)
		return msr_unknown(v, msr, "read", 0);
	switch (d->kind) {
	case MSR_KIND_SWITCHED: return MSR_GUEST_STATE;
	case MSR_KIND_CONST:
	case MSR_KIND_CONST_WI: *value = d->value; return MSR_OK;
	case MSR_KIND_SINK: *value = 0; return MSR_OK;
	case MSR_KIND_APIC: return msr_apic(v, msr, value, false);
	case MSR_KIND_MTRR: return vcpu_msr_mtrr_read(v, msr, value);
	case MSR_KIND_MISC_ENABLE: *value = v->msrs.misc_enable; return MSR_OK;
	case MSR_KIND_FEATURE_CONTROL:
		*value = v->vm->personality->virt.feature_control;
		return MSR_OK;
	case MSR_KIND_VM_CR:
		*value = v->vm->nested.svm ? v->msrs.vm_cr : v->vm->personality->virt.vm_cr;
		return MSR_OK;
	case MSR_KIND_VM_HSAVE_PA: *value = v->msrs.vm_hsave_pa; return MSR_OK;
	case MSR_KIND_ZERO: *value = 0; return MSR_OK;
	case MSR_KIND_STORED: *value = v->msrs.amd_de_cfg; return MSR_OK;
	default: return msr_unknown(v, msr, "read", 0);
	}
}

/* The address MSRs the CPU switches: WRMSR checks the address (SDM Vol. 2B WRMSR; APM
 * Vol. 3 WRMSR), which nestor intercepts to do: not every L0 does (QEMU's TCG does not). */
static enum msr_result msr_write_switched(struct vcpu *v, const struct msr_desc *d,
					  uint64_t value)
{
	bool check = (d->flags & MSR_CANONICAL) ||
		     ((d->flags & MSR_CANONICAL_INTEL) &&
		      vcpu_cpuid_vendor(v) == CPUID_VENDOR_INTEL);
	if (check && !vcpu_msr_canonical(v, value))
		return MSR_GP;
	return MSR_GUEST_STATE;
}

/* VM_CR's bits (APM 15.30.1): DPD, R_INIT, DIS_A20M, LOCK, SVMDIS. */
#define VM_CR_LOCK (1ull << 3)
#define VM_CR_SVMDIS (1ull << 4)
#define VM_CR_DEFINED 0x1full
#define EFER_SVME (1ull << 12)

/*
 * VM_CR with nested SVM offered: R/W, SVMDIS and LOCK read-only once LOCK is set, and
 * SVMDIS cannot be set while EFER.SVME is (it would hide SVM under a running hypervisor).
 * Without nested SVM it is the personality's locked value: writes #GP.
 */
static enum msr_result write_vm_cr(struct vcpu *v, uint64_t value)
{
	uint64_t cur = v->msrs.vm_cr;
	if (!v->vm->nested.svm || (value & ~VM_CR_DEFINED))
		return MSR_GP;
	if ((cur & VM_CR_LOCK) && ((cur ^ value) & (VM_CR_SVMDIS | VM_CR_LOCK)))
		return MSR_GP;
	if ((value & VM_CR_SVMDIS) && (v->ops->get_reg(v, VCPU_EFER) & EFER_SVME))
		return MSR_GP;
	v->msrs.vm_cr = value;
	return MSR_OK;
}

/* VM_HSAVE_PA (APM 15.30.4): bits 11:0 zero and within the guest's MAXPHYADDR. nestor keeps
 * L1's host state itself and never writes this page. */
static enum msr_result write_vm_hsave_pa(struct vcpu *v, uint64_t value)
{
	struct cpuid_regs r;
	vcpu_cpuid(v, 0, 0x80000008, 0, &r);
	unsigned maxphyaddr = (r.eax & 0xff) ? (r.eax & 0xff) : 36;
	if ((value & 0xfff) || (value >> maxphyaddr))
		return MSR_GP;
	v->msrs.vm_hsave_pa = value;
	return MSR_OK;
}

enum msr_result vcpu_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	enum msr_result nr;
	if (msr_nested(v, msr, &value, true, &nr))
		return nr;
	const struct msr_desc *d = msr_of(v, msr);
	if (!d)
		return msr_unknown(v, msr, "write", value);
	switch (d->kind) {
	case MSR_KIND_SWITCHED: return msr_write_switched(v, d, value);
	case MSR_KIND_CONST_WI:
	case MSR_KIND_SINK: return MSR_OK;
	case MSR_KIND_APIC: return msr_apic(v, msr, &value, true);
	case MSR_KIND_MTRR: return vcpu_msr_mtrr_write(v, msr, value);
	case MSR_KIND_MISC_ENABLE: return vcpu_msr_misc_enable_write(v, value);
	case MSR_KIND_STORED: v->msrs.amd_de_cfg = value; return MSR_OK;
	case MSR_KIND_VM_CR: return write_vm_cr(v, value);
	case MSR_KIND_VM_HSAVE_PA: return write_vm_hsave_pa(v, value);
	case MSR_KIND_ZERO: return value ? MSR_GP : MSR_OK;
	case MSR_KIND_CONST:		/* read-only */
	case MSR_KIND_FEATURE_CONTROL:	/* locked: SDM Vol. 3C 23.7 */
		return MSR_GP;
	default: return msr_unknown(v, msr, "write", value);
	}
}
