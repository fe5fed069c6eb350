/* vmx_insn: the VMX instructions as C functions, each returning how it ended (SDM 30.2). */
#ifndef NESTOR_ARCH_X86_VMX_VMX_INSN_H
#define NESTOR_ARCH_X86_VMX_VMX_INSN_H

#include <stdint.h>

#include "arch/x86/vmx/vmcs.h"

/*
 * SDM Vol. 3C 30.2: a VMX instruction reports VMsucceed (CF = ZF = 0), VMfailInvalid
 * (CF = 1: there is no current VMCS to hold an error number) or VMfailValid (ZF = 1:
 * the number is in the VM-instruction error field).
 */
enum vmx_status {
	VMX_OK,
	VMX_FAIL_INVALID,
	VMX_FAIL_VALID,
};

static inline enum vmx_status vmx_status_from(uint8_t cf, uint8_t zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

static inline enum vmx_status vmxon(uint64_t pa)
{
	uint8_t cf, zf;
	__asm__ volatile("vmxon %2; setc %0; setz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(pa) : "cc", "memory");
	return vmx_status_from(cf, zf);
}

static inline enum vmx_status vmclear(uint64_t pa)
{
	uint8_t cf, zf;
	__asm__ volatile("vmclear %2; setc %0; setz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(pa) : "cc", "memory");
	return vmx_status_from(cf, zf);
}

static inline enum vmx_status vmptrld(uint64_t pa)
{
	uint8_t cf, zf;
	__asm__ volatile("vmptrld %2; setc %0; setz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(pa) : "cc", "memory");
	return vmx_status_from(cf, zf);
}

/* A failed VMREAD/VMWRITE is a bug in nestor's field list: logged, never silent. */
void vmcs_access_failed(enum vmcs_field field, enum vmx_status st, int write);

static inline uint64_t vmcs_read(enum vmcs_field field)
{
	uint64_t value = 0;
	uint8_t cf, zf;
	__asm__ volatile("vmread %3, %0; setc %1; setz %2"
			 : "=rm"(value), "=qm"(cf), "=qm"(zf) : "r"((uint64_t)field) : "cc");
	if (__builtin_expect(cf | zf, 0))
		vmcs_access_failed(field, vmx_status_from(cf, zf), 0);
	return value;
}

static inline void vmcs_write(enum vmcs_field field, uint64_t value)
{
	uint8_t cf, zf;
	__asm__ volatile("vmwrite %2, %3; setc %0; setz %1"
			 : "=qm"(cf), "=qm"(zf) : "rm"(value), "r"((uint64_t)field) : "cc", "memory");
	if (__builtin_expect(cf | zf, 0))
		vmcs_access_failed(field, vmx_status_from(cf, zf), 1);
}

/* INVEPT / INVVPID types (SDM Vol. 3C 30.3, "INVEPT" and "INVVPID"). */
#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXTS 2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXTS 2

static inline enum vmx_status invept(uint64_t type, uint64_t eptp)
{
	struct { uint64_t eptp, reserved; } desc = { eptp, 0 };
	uint8_t cf, zf;
	__asm__ volatile("invept %2, %3; setc %0; setz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(desc), "r"(type) : "cc", "memory");
	return vmx_status_from(cf, zf);
}

static inline enum vmx_status invvpid(uint64_t type, uint16_t vpid)
{
	struct { uint64_t vpid, linear; } desc = { vpid, 0 };
	uint8_t cf, zf;
	__asm__ volatile("invvpid %2, %3; setc %0; setz %1"
			 : "=qm"(cf), "=qm"(zf) : "m"(desc), "r"(type) : "cc", "memory");
	return vmx_status_from(cf, zf);
}

#endif
