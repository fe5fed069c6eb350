/* cpuid_cpu_rows: the CPU nestor models, as CPUID rows every personality's table starts with. */
#ifndef NESTOR_VM_CPUID_CPU_ROWS_H
#define NESTOR_VM_CPUID_CPU_ROWS_H

#include "vm/cpuid_model.h"

#define B(n) (1u << (n))
#define ALL 0xffffffffu
#define REGS(a, b, c, d) { (a), (b), (c), (d) }
#define NONE REGS(0, 0, 0, 0)

/*
 * An offer bit is a feature nestor lets through because it models what the feature
 * implies: nothing (an instruction the CPU runs in guest mode), or the MSRs and state
 * vm/vcpu_msr.c and the backends keep. Everything else the host has stays hidden: no
 * PMU, thermal or power management, debug store, MONITOR/MWAIT, SMX, PCONFIG, TME,
 * speculation-control or capability MSRs, IA32_TSC_ADJUST, MPX, Processor Trace, SGX,
 * CET, AMX/XFD, WAITPKG, Key Locker, UINTR, ENQCMD, IBS, LWP, OSVW, TOPOEXT, SEV.
 * VMX and SVM are hidden here; a personality may offer them (struct personality_virt).
 */

/* CPUID.1:ECX: SSE3 PCLMULQDQ SSSE3 FMA CX16 PCID SSE4.1 SSE4.2 MOVBE POPCNT AES XSAVE AVX
 * F16C RDRAND. */
#define CPU_L1_ECX (B(0) | B(1) | B(9) | B(12) | B(13) | B(17) | B(19) | B(20) | B(22) | \
		    B(23) | B(25) | B(26) | B(28) | B(29) | B(30))
/* x2APIC and TSC-deadline: the vLAPIC has both, whatever the host. */
#define CPU_L1_ECX_FORCE (B(21) | B(24))
/* CPUID.1:EDX: FPU VME DE PSE TSC MSR PAE MCE CX8, SEP MTRR PGE MCA CMOV PAT PSE36 CLFSH,
 * MMX FXSR SSE SSE2 SS. APIC is the vLAPIC's (forced; cleared while APIC_BASE.EN = 0). */
#define CPU_L1_EDX (B(0) | B(1) | B(2) | B(3) | B(4) | B(5) | B(6) | B(7) | B(8) | B(11) | \
		    B(12) | B(13) | B(14) | B(15) | B(16) | B(17) | B(19) | B(23) | B(24) | \
		    B(25) | B(26) | B(27))
#define CPU_L1_EDX_FORCE B(9)
/* CPUID.7.0:EBX: FSGSBASE BMI1 HLE AVX2 FDP_EXCPTN_ONLY SMEP BMI2 ERMS INVPCID RTM
 * ZERO_FCS_FDS AVX512F/DQ RDSEED ADX SMAP AVX512IFMA CLFLUSHOPT CLWB AVX512PF/ER/CD SHA
 * AVX512BW/VL. */
#define CPU_L7_EBX (B(0) | B(3) | B(4) | B(5) | B(6) | B(7) | B(8) | B(9) | B(10) | B(11) | \
		    B(13) | B(16) | B(17) | B(18) | B(19) | B(20) | B(21) | B(23) | B(24) | \
		    B(26) | B(27) | B(28) | B(29) | B(30) | B(31))
/* CPUID.7.0:ECX: PREFETCHWT1 AVX512VBMI UMIP PKU AVX512_VBMI2 GFNI VAES VPCLMULQDQ
 * AVX512_VNNI AVX512_BITALG AVX512_VPOPCNTDQ LA57 RDPID CLDEMOTE MOVDIRI MOVDIR64B. */
#define CPU_L7_ECX (B(0) | B(1) | B(2) | B(3) | B(6) | B(8) | B(9) | B(10) | B(11) | B(12) | \
		    B(14) | B(16) | B(22) | B(25) | B(27) | B(28))
/* CPUID.7.0:EDX: AVX512_4VNNIW AVX512_4FMAPS FSRM AVX512_VP2INTERSECT MD_CLEAR SERIALIZE
 * TSXLDTRK AVX512_FP16. */
#define CPU_L7_EDX (B(2) | B(3) | B(4) | B(8) | B(10) | B(14) | B(16) | B(23))
/* CPUID.7.1:EAX: AVX-VNNI, AVX512_BF16. */
#define CPU_L71_EAX (B(4) | B(5))
/* XCR0 components: x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM, PKRU (no MPX, no AMX). */
#define CPU_XCR0 (B(0) | B(1) | B(2) | B(5) | B(6) | B(7) | B(9))
/* CPUID.(0Dh,1):EAX: XSAVEOPT XSAVEC XGETBV1 (XSAVES needs IA32_XSS: hidden). */
#define CPU_XSAVE1_EAX (B(0) | B(1) | B(2))
/* CPUID.80000001h:ECX: LAHF_LM CMP_LEGACY ABM SSE4A MISALIGNSSE 3DNOWPREFETCH XOP FMA4 TBM. */
#define CPU_X1_ECX (B(0) | B(1) | B(5) | B(6) | B(7) | B(8) | B(11) | B(16) | B(21))
/* CPUID.80000001h:EDX: AMD's copies of leaf 1 EDX (APIC among them), SYSCALL, NX, MMXEXT,
 * FFXSR, 1 GiB pages, RDTSCP, LM, 3DNow!. */
#define CPU_X1_EDX (0x0183f3ffu | B(11) | B(20) | B(22) | B(25) | B(26) | B(27) | B(29) | \
		    B(30) | B(31))
/* CPUID.80000008h:EBX: CLZERO, XSaveErPtr, WBNOINVD. */
#define CPU_X8_EBX (B(0) | B(2) | B(9))

#define NESTOR_CPU_ROWS \
	{ 0x0, CPUID_ANY_SUBLEAF, REGS(0, ALL, ALL, ALL), NONE, CPUID_FIX_MAX_BASIC, \
	  "vendor; highest basic leaf: the host's, at most the table's" }, \
	{ 0x1, CPUID_ANY_SUBLEAF, REGS(ALL, 0xffff, CPU_L1_ECX, CPU_L1_EDX), \
	  REGS(0, 0, CPU_L1_ECX_FORCE, CPU_L1_EDX_FORCE), CPUID_FIX_FEATURES, \
	  "signature; features as listed; APIC ID, CPU count and HTT of the vCPU" }, \
	{ 0x2, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "cache and TLB descriptors (host)" }, \
	{ 0x4, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_CACHE, \
	  "cache parameters (host), one core per vCPU" }, \
	{ 0x7, 0, REGS(ALL, CPU_L7_EBX, CPU_L7_ECX, CPU_L7_EDX), NONE, CPUID_FIX_FEATURES_7, \
	  "structured features as listed; highest subleaf at most 1" }, \
	{ 0x7, 1, REGS(CPU_L71_EAX, 0, 0, 0), NONE, CPUID_FIX_NONE, "AVX-VNNI, AVX512_BF16" }, \
	{ 0xa, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, \
	  "architectural performance monitoring: version 0, no counters" }, \
	{ 0xb, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_TOPOLOGY, \
	  "x2APIC topology: SMT level of 1, every vCPU a core" }, \
	{ 0xd, 0, REGS(CPU_XCR0, 0, 0, 0), NONE, CPUID_FIX_XSAVE_MAIN, \
	  "XCR0 components as listed; sizes computed for them" }, \
	{ 0xd, 1, REGS(CPU_XSAVE1_EAX, 0, 0, 0), NONE, CPUID_FIX_XSAVE_EXT, \
	  "XSAVEOPT XSAVEC XGETBV1; compacted size for XCR0; no IA32_XSS components" }, \
	{ 0xd, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_XSAVE_COMPONENT, \
	  "size and offset of each offered component (host)" }, \
	{ 0x15, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "TSC / crystal clock ratio (host: the guest's TSC is the host's)" }, \
	{ 0x16, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "processor frequencies (host)" }, \
	{ 0x1f, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_TOPOLOGY, "V2 topology, as leaf 0Bh" }, \
	{ 0x80000000, CPUID_ANY_SUBLEAF, REGS(0, ALL, ALL, ALL), NONE, CPUID_FIX_MAX_EXT, \
	  "highest extended leaf: the host's, at most the table's; vendor (AMD)" }, \
	{ 0x80000001, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, CPU_X1_ECX, CPU_X1_EDX), NONE, \
	  CPUID_FIX_EXT_FEATURES, "extended signature; features as listed" }, \
	{ 0x80000002, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "brand string (host)" }, \
	{ 0x80000003, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "brand string (host)" }, \
	{ 0x80000004, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "brand string (host)" }, \
	{ 0x80000005, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "L1 cache and TLB (host)" }, \
	{ 0x80000006, CPUID_ANY_SUBLEAF, REGS(ALL, ALL, ALL, ALL), NONE, CPUID_FIX_NONE, \
	  "L2/L3 cache and TLB (host)" }, \
	{ 0x80000007, CPUID_ANY_SUBLEAF, REGS(0, 0, 0, B(8)), NONE, CPUID_FIX_NONE, \
	  "invariant TSC only" }, \
	{ 0x80000008, CPUID_ANY_SUBLEAF, REGS(ALL, CPU_X8_EBX, 0, 0), NONE, \
	  CPUID_FIX_EXT_TOPOLOGY, "address sizes (host); CLZERO XSaveErPtr WBNOINVD; vCPU count" }, \
	{ 0x8000000a, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, \
	  "SVM features: none (SVM is not offered)" }

/* Offers the hypervisor bit: CPUID.1:ECX[31] (SDM Vol. 2A Table 3-10: reserved, 0 on CPUs). */
#define HYPERVISOR_PRESENT_ROW \
	{ 0x1, CPUID_ANY_SUBLEAF, NONE, REGS(0, 0, B(31), 0), CPUID_FIX_NONE, \
	  "hypervisor present (ECX[31])" }

/* Four characters of a signature, little-endian as CPUID returns them. */
#define SIG4(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | \
			  (uint32_t)(d) << 24)

#endif
