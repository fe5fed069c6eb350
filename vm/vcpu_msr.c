/* vcpu_msr: the MSRs every backend answers the same way. */
#include "vm/vcpu_msr.h"

#include "apic/vlapic.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "vm/vm.h"

#define MSR_PLATFORM_ID 0x17
#define MSR_APIC_BASE 0x1b
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_BIOS_SIGN_ID 0x8b
#define MSR_MTRRCAP 0xfe
#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MISC_ENABLE 0x1a0
#define MSR_MTRR_VAR_FIRST 0x200
#define MSR_MTRR_VAR_LAST 0x20f
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_AMD_SYSCFG 0xc0010010
#define MSR_AMD_INT_PENDING_MSG 0xc0010055	/* C1E / SMI-on-IO-trap: none here */
#define MSR_AMD_HWCR 0xc0010015
#define MSR_AMD_VM_CR 0xc0010114
#define MSR_AMD_DE_CFG 0xc0011029

/* 8 variable ranges, fixed ranges, write-combining (SDM Vol. 3A 12.11.2.1). */
#define MTRRCAP_VALUE 0x508ull
/* FEATURE_CONTROL locked with VMX off: VMX stays hidden even to a guest that looks. */
#define FEATURE_CONTROL_LOCKED_OFF 0x1ull
/* VM_CR: SVM disabled and locked, consistent with CPUID hiding SVM. */
#define VM_CR_SVMDIS_LOCKED 0x18ull

const uint32_t vcpu_msr_passthrough[] = {
	0xc0000100, 0xc0000101, 0xc0000102,	/* FS_BASE, GS_BASE, KERNEL_GS_BASE */
	0xc0000081, 0xc0000082, 0xc0000083,	/* STAR, LSTAR, CSTAR */
	0xc0000084,				/* SFMASK */
	0x174, 0x175, 0x176,			/* SYSENTER_CS/ESP/EIP */
	0xc0000103,				/* TSC_AUX (RDTSCP's ECX) */
};
const unsigned vcpu_msr_passthrough_count =
	sizeof(vcpu_msr_passthrough) / sizeof(vcpu_msr_passthrough[0]);

static const uint32_t mtrr_fixed_msrs[11] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a,
					      0x26b, 0x26c, 0x26d, 0x26e, 0x26f };

static int mtrr_fixed_index(uint32_t msr)
{
	for (int i = 0; i < 11; i++)
		if (mtrr_fixed_msrs[i] == msr)
			return i;
	return -1;
}

/* Memory types an MTRR may hold: UC, WC, WT, WP, WB (SDM Vol. 3A Table 12-8). */
static bool mtrr_type_ok(uint64_t t)
{
	return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

static bool mtrr_fixed_ok(uint64_t v)
{
	for (int i = 0; i < 8; i++)
		if (!mtrr_type_ok((v >> (i * 8)) & 0xff))
			return false;
	return true;
}

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

static enum msr_result msr_apic(struct vcpu *v, uint32_t msr, uint64_t *value, bool write)
{
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);
	enum apic_access r = write ? vlapic_msr_write(l, msr, *value) : vlapic_msr_read(l, msr, value);
	return r == APIC_ACCESS_GP ? MSR_GP : MSR_OK;
}

enum msr_result vcpu_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	int fixed = mtrr_fixed_index(msr);
	if (vlapic_handles_msr(msr))
		return msr_apic(v, msr, value, false);
	if (fixed >= 0) {
		*value = v->msrs.mtrr_fixed[fixed];
		return MSR_OK;
	}
	if (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST) {
		*value = v->msrs.mtrr_var[msr - MSR_MTRR_VAR_FIRST];
		return MSR_OK;
	}
	switch (msr) {
	case MSR_MTRRCAP: *value = MTRRCAP_VALUE; return MSR_OK;
	case MSR_MTRR_DEF_TYPE: *value = v->msrs.mtrr_def_type; return MSR_OK;
	case MSR_PLATFORM_ID:
	case MSR_BIOS_SIGN_ID:	/* no microcode revision to report */
	case MSR_MCG_CAP:	/* no machine-check banks */
	case MSR_MCG_STATUS:
	case MSR_AMD_SYSCFG:
	case MSR_AMD_HWCR:
	case MSR_AMD_INT_PENDING_MSG:
		*value = 0;
		return MSR_OK;
	case MSR_MISC_ENABLE: *value = 1; return MSR_OK;	/* fast strings */
	case MSR_FEATURE_CONTROL: *value = FEATURE_CONTROL_LOCKED_OFF; return MSR_OK;
	case MSR_AMD_VM_CR: *value = VM_CR_SVMDIS_LOCKED; return MSR_OK;
	case MSR_AMD_DE_CFG: *value = v->msrs.amd_de_cfg; return MSR_OK;
	default:
		return msr_unknown(v, msr, "read", 0);
	}
}

enum msr_result vcpu_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	int fixed = mtrr_fixed_index(msr);
	if (vlapic_handles_msr(msr))
		return msr_apic(v, msr, &value, true);
	if (fixed >= 0) {
		if (!mtrr_fixed_ok(value))
			return MSR_GP;
		v->msrs.mtrr_fixed[fixed] = value;
		return MSR_OK;
	}
	if (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST) {
		/* Even MSRs are PHYSBASE (type in 7:0, bits 11:8 reserved); odd are PHYSMASK
		 * (valid in bit 11, bits 10:0 reserved). */
		bool base = !(msr & 1);
		if (base ? (!mtrr_type_ok(value & 0xff) || (value & 0xf00)) : (value & 0x7ff))
			return MSR_GP;
		v->msrs.mtrr_var[msr - MSR_MTRR_VAR_FIRST] = value;
		return MSR_OK;
	}
	switch (msr) {
	case MSR_MTRR_DEF_TYPE:
		/* type 7:0, FE bit 10, E bit 11; everything else reserved. */
		if (!mtrr_type_ok(value & 0xff) || (value & ~0xcffull))
			return MSR_GP;
		v->msrs.mtrr_def_type = value;
		return MSR_OK;
	case MSR_BIOS_SIGN_ID:	/* writing it asks for the revision: nothing to load */
	case MSR_MCG_STATUS:
	case MSR_MISC_ENABLE:
	case MSR_AMD_HWCR:
		return MSR_OK;
	case MSR_AMD_DE_CFG:
		v->msrs.amd_de_cfg = value;
		return MSR_OK;
	default:
		return msr_unknown(v, msr, "write", value);
	}
}
