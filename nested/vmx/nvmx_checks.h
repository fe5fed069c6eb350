/* nvmx_checks: the catalogue of VM-entry checks (SDM 26.2-26.4) nestor applies to L1's vmcs12. */
#ifndef NESTOR_NESTED_VMX_NVMX_CHECKS_H
#define NESTOR_NESTED_VMX_NVMX_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nested/vmx/vmcs12.h"

/*
 * The VMX capability model L1 sees: the capability MSRs offered to L1 and the CPUID
 * facts the checks depend on. Everything a check needs that is not in the vmcs12.
 */
struct nvmx_caps {
	struct vmx_cap_msrs msrs;	/* BASIC, controls (+TRUE), MISC, FIXED, EPT/VPID, VMFUNC */
	uint8_t maxphyaddr;		/* CPUID.80000008H:EAX[7:0] offered to L1 */
	uint8_t linear_bits;		/* 48, or 57 with LA57 */
	uint64_t efer_valid;		/* IA32_EFER bits WRMSR accepts (SCE, LME, LMA, NXE...) */
	uint64_t debugctl_valid;	/* IA32_DEBUGCTL bits WRMSR accepts */
	uint64_t perf_global_ctrl_valid;	/* IA32_PERF_GLOBAL_CTRL bits (CPUID.0AH counters) */
	bool mpx;			/* CPUID.(7,0):EBX[14]: IA32_BNDCFGS exists */
	bool rtm;			/* CPUID.(7,0):EBX[11] */
	bool sgx;			/* CPUID.(7,0):EBX[2] */
};

/* L1's state at its VMLAUNCH/VMRESUME, and how nestor reaches L1's memory. */
struct nvmx_env {
	const struct nvmx_caps *caps;
	bool l1_lma;			/* L1's IA32_EFER.LMA (26.2.4) */
	bool l1_x2apic;			/* L1's local APIC in x2APIC mode (26.4) */
	uint64_t vmcs12_gpa;		/* the current-VMCS pointer (26.3.1.5 link pointer) */
	/* Reads L1 guest-physical memory; false: the range is not wholly L1 RAM. Any 64-bit
	 * address can come here (collecting mode runs rules after a failed address rule). */
	bool (*read)(void *ctx, uint64_t gpa, void *buf, unsigned len);
	/* Whether L1's WRMSR of `value` to `index` would succeed (26.4: "would cause #GP"). */
	bool (*msr_write_ok)(void *ctx, uint32_t index, uint64_t value);
	void *ctx;
};

enum nvmx_stage { NVMX_STAGE_CTL, NVMX_STAGE_HOST, NVMX_STAGE_GUEST, NVMX_STAGE_MSR };

enum nvmx_outcome_kind {
	NVMX_ENTERED,		/* every check passed */
	NVMX_VMFAIL_VALID,	/* code = VM-instruction error (7 controls, 8 host state) */
	NVMX_ENTRY_EXIT,	/* code = basic exit reason 33 / 34, qual = exit qualification */
	NVMX_NOT_RAM,		/* nestor safety: a check needs L1 memory that is not RAM */
};

struct nvmx_outcome {
	uint8_t kind;		/* enum nvmx_outcome_kind */
	uint8_t code;
	uint32_t qual;
};

struct nvmx_eval;

/* One row of the catalogue. */
struct nvmx_check {
	const char *name;	/* stable: "ctl.tpr_threshold_vs_vtpr" */
	const char *section;	/* SDM section (VM entries = chapter 26) */
	const char *rule;	/* the rule, short, for docs and logs */
	uint8_t stage;		/* enum nvmx_stage */
	uint8_t kind;		/* enum nvmx_outcome_kind of a failure */
	uint8_t code;		/* 7, 8, 33 or 34 */
	uint8_t qual;		/* reason 33: 0, 2 (PDPTEs) or 4 (link pointer) */
	bool kvm;		/* KVM 6.1 checks it in software (the `kvm` personality) */
	int8_t arg;		/* passed to the predicate (a segment register, a PDPTE ...) */
	bool (*ok)(struct nvmx_eval *e, int arg);	/* true: the rule holds */
	uint16_t show[5];	/* vmcs12 encodings (or NVMX_SHOW_*) printed on failure */
};

/* Pseudo-encodings for values that are not a vmcs12 field (bit 15 set: never a field). */
#define NVMX_SHOW_SEG_SEL 0x8001	/* the guest segment register `arg` names */
#define NVMX_SHOW_SEG_BASE 0x8002
#define NVMX_SHOW_SEG_LIMIT 0x8003
#define NVMX_SHOW_SEG_AR 0x8004
#define NVMX_SHOW_VTPR 0x8010		/* byte 80H of the virtual-APIC page */
#define NVMX_SHOW_LINK_REV 0x8011	/* the first 4 bytes at the VMCS link pointer */
#define NVMX_SHOW_PDPTES 0x8012		/* the PDPTEs read from guest CR3 */
#define NVMX_SHOW_MSR_ENTRY 0x8013	/* index, reserved half and value of the MSR entry */
#define NVMX_SHOW_CAP 0x8020		/* the capability MSR of the entry (controls) */
#define NVMX_SHOW_MAXPHYADDR 0x8021
#define NVMX_SHOW_L1_LMA 0x8022

extern const struct nvmx_check nvmx_checks[];
extern const unsigned nvmx_check_count;

const struct nvmx_check *nvmx_check_find(const char *name);

/* Which checks run: every one (`hyperv`, `native`), or those KVM 6.1 does in software. */
enum nvmx_mode { NVMX_MODE_ALL, NVMX_MODE_KVM };

struct nvmx_result {
	struct nvmx_outcome out;
	const struct nvmx_check *check;	/* the failing entry; NULL when entered */
	uint32_t msr_entry;		/* MSR stage: the failing entry's index, from 0 */
};

/*
 * Runs the catalogue in the SDM's order over `v`: controls, host state, guest state,
 * then the VM-entry MSR-load area entry by entry. The first failing check decides.
 */
void nvmx_check_vmentry(const struct vmcs12 *v, const struct nvmx_env *env,
			enum nvmx_mode mode, struct nvmx_result *r);

/*
 * As above, but records every failing check of the first stage that fails (the SDM lets
 * a CPU report any of them: "these checks may be performed in any order", 26.2, 26.3).
 * Returns how many were stored in `fails` (at most `max`); r gets the first.
 */
unsigned nvmx_check_vmentry_all(const struct vmcs12 *v, const struct nvmx_env *env,
				enum nvmx_mode mode, struct nvmx_result *r,
				const struct nvmx_check **fails, unsigned max);

/* The outcome an entry gives, with the qualification filled in for the MSR stage. */
struct nvmx_outcome nvmx_check_outcome(const struct nvmx_check *c, uint32_t msr_entry);

/* "VMfailValid(7)", "exit 33 qual 4", "entered", "not-RAM" into buf. */
void nvmx_outcome_format(const struct nvmx_outcome *o, char *buf, size_t len);

/*
 * The one log line of a failed check (without vCPU and RIP, which the caller adds):
 * "ctl.tpr_threshold_vs_vtpr (SDM 26.2.1.1): tpr_threshold=0x4 VTPR=0x0 ... -> VMfailValid(7)".
 */
void nvmx_result_format(const struct nvmx_result *r, const struct vmcs12 *v,
			const struct nvmx_env *env, char *buf, size_t len);

#endif
