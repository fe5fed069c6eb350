/* nsvm: the pure inputs of nested SVM: what L1 is offered, its RAM, its state at VMRUN. */
#ifndef NESTOR_NESTED_SVM_NSVM_H
#define NESTOR_NESTED_SVM_NSVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The CPUID words L1 sees whose bits decide which CR4 and EFER bits are MBZ in a vmcb12
 * (APM Vol. 2, 3.1.3 and 3.1.7; Vol. 3, Appendix E).
 */
struct nsvm_cpuid {
	uint32_t f1_ecx;	/* 0000_0001h.ECX: PCID 17, XSAVE 26 */
	uint32_t f7_ebx;	/* 0000_0007h.0.EBX: FSGSBASE 0, SMEP 7, SMAP 20 */
	uint32_t f7_ecx;	/* 0000_0007h.0.ECX: UMIP 2, PKU 3, CET_SS 7, LA57 16 */
	uint32_t e1_ecx;	/* 8000_0001h.ECX: SVM 2, TCE 17 */
	uint32_t e1_edx;	/* 8000_0001h.EDX: NX 20, FFXSR 25, LM 29 */
};

#define NSVM_F1_ECX_PCID (1u << 17)
#define NSVM_F1_ECX_XSAVE (1u << 26)
#define NSVM_F7_EBX_FSGSBASE (1u << 0)
#define NSVM_F7_EBX_SMEP (1u << 7)
#define NSVM_F7_EBX_SMAP (1u << 20)
#define NSVM_F7_ECX_UMIP (1u << 2)
#define NSVM_F7_ECX_PKU (1u << 3)
#define NSVM_F7_ECX_CET_SS (1u << 7)
#define NSVM_F7_ECX_LA57 (1u << 16)
#define NSVM_E1_ECX_TCE (1u << 17)
#define NSVM_E1_EDX_NX (1u << 20)
#define NSVM_E1_EDX_FFXSR (1u << 25)
#define NSVM_E1_EDX_LM (1u << 29)

/*
 * The SVM features nestor offers L1 (CPUID 8000_000Ah, APM Vol. 3, E.4.10). A feature
 * that is not offered is not honoured: its vmcb12 bits are ignored, never checked.
 */
struct nsvm_features {
	bool npt;		/* EDX[0] nested paging */
	bool lbr_virt;		/* EDX[1] LBR virtualization */
	bool nrips;		/* EDX[3] NRIP save */
	bool vmcb_clean;	/* EDX[5] VMCB clean bits */
	bool flushbyasid;	/* EDX[6] TLB_CONTROL 3 and 7 */
	bool v_vmsave_vmload;	/* EDX[15] */
	bool vgif;		/* EDX[16] */
	uint32_t nasid;		/* EBX: ASIDs 0..nasid-1 (0 is the host's) */
	uint8_t maxphyaddr;	/* 8000_0008h.EAX[7:0] */
	struct nsvm_cpuid cpuid;
};

#define NSVM_SVM_EDX_NPT (1u << 0)
#define NSVM_SVM_EDX_LBRV (1u << 1)
#define NSVM_SVM_EDX_NRIPS (1u << 3)
#define NSVM_SVM_EDX_VMCB_CLEAN (1u << 5)
#define NSVM_SVM_EDX_FLUSHBYASID (1u << 6)
#define NSVM_SVM_EDX_V_VMSAVE_VMLOAD (1u << 15)
#define NSVM_SVM_EDX_VGIF (1u << 16)

/* Fills *f from the leaves L1 reads: 8000_000Ah EBX/EDX, 8000_0008h EAX, and *c. */
void nsvm_features_from_cpuid(struct nsvm_features *f, uint32_t svm_ebx, uint32_t svm_edx,
			      uint32_t leaf_80000008_eax, const struct nsvm_cpuid *c);

/* True when pa fits L1's physical address width (bits maxphyaddr..63 clear). */
bool nsvm_pa_legal(const struct nsvm_features *f, uint64_t pa);

/* L1's RAM as guest-physical ranges, for nestor's own address checks. */
struct nsvm_range {
	uint64_t base, size;
};

struct nsvm_ram {
	const struct nsvm_range *ranges;
	size_t count;
};

/* True when every byte of [base, base + len) is RAM (adjacent ranges may be crossed). */
bool nsvm_ram_contains(const struct nsvm_ram *ram, uint64_t base, uint64_t len);

/* L1's state when it executes VMRUN (the instruction's own checks read it). */
struct nsvm_vmrun {
	uint64_t rax;		/* the VMCB address: RAX, or EAX under a 32-bit address size */
	uint64_t efer, cr0, rflags;
	uint8_t cpl;
};

/* What a VMRUN does: enter the guest, fault, or exit at once with VMEXIT_INVALID. */
enum nsvm_outcome {
	NSVM_RUN,		/* every check passed: the guest runs */
	NSVM_UD,		/* #UD raised by the VMRUN instruction */
	NSVM_GP,		/* #GP(0) raised by the VMRUN instruction */
	NSVM_VMEXIT_INVALID,	/* #VMEXIT with EXITCODE = VMEXIT_INVALID (-1) */
};

/* "run", "#UD", "#GP(0)", "#VMEXIT(INVALID)" */
const char *nsvm_outcome_name(enum nsvm_outcome o);
/* One word for machine-read lines: "run", "ud", "gp", "vmexit-invalid". */
const char *nsvm_outcome_token(enum nsvm_outcome o);

#endif
