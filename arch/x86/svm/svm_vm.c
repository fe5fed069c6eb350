/* svm_vm: per-VM SVM state: nested page tables and the I/O and MSR permission maps. */
#include "arch/x86/pagetable.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "arch/x86/svm/svm_permmap.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/msr_table.h"
#include "vm/vm.h"

/*
 * Nested page-table entries (APM Vol. 2 15.25.5): ordinary long-mode entries. The
 * U bit must be set at every level: nested walks are user accesses, and QEMU's SVM
 * model faults without it (emulators.md).
 */
static const struct pt_format npt_format = {
	.table = 0x7,			/* P | RW | US */
	.leaf_4k = 0x7,
	.leaf_2m = 0x7 | PT_LARGE,
};

/* APM 15.11: clears the read and/or write bit of an MSR nestor lets the guest access. */
static void svm_msrpm_allow(void *map, uint32_t msr, bool read, bool write)
{
	uint8_t *msrpm = map;
	uint32_t byte;
	unsigned shift;
	if (svm_msrpm_locate(msr, &byte, &shift))
		msrpm[byte] &= (uint8_t)~(((read ? 1u : 0) | (write ? 2u : 0)) << shift);
}

bool svm_vm_init(struct vm *vm)
{
	struct svm_vm *s = (struct svm_vm *)page_alloc(&nestor_pages, 1, 1);
	uint64_t iopm = page_alloc(&nestor_pages, 3, 1);
	uint64_t iopm01 = page_alloc(&nestor_pages, 3, 1);
	uint64_t msrpm = page_alloc(&nestor_pages, 2, 1);
	uint64_t ncr3 = pt_alloc_root();
	if (!s || !iopm || !iopm01 || !msrpm || !ncr3) {
		log_error("svm: out of pages for the VM's tables");
		return false;
	}
	/* Guest RAM only: everything else (LAPIC, IOAPIC, holes) faults to nestor. */
	if (!pt_map(ncr3, &npt_format, 0, (uint64_t)(uintptr_t)vm->mem.hva, vm->mem.size)) {
		log_error("svm: out of pages for the nested page tables");
		return false;
	}
	/* Every port traps: the platform is nestor's devices, but for the host PM timer when it
	 * is passed to L1. L2's map keeps that one too: L1 decides what L2 reaches, and its
	 * map is merged with nestor's only by the exit path (svm_nested_exit.c). */
	memset((void *)iopm, 0xff, 3 * 4096);
	memset((void *)iopm01, 0xff, 3 * 4096);
	vm_io_permmap_passthrough(vm, (uint8_t *)iopm01);
	memset((void *)msrpm, 0xff, 2 * 4096);
	msr_table_passthrough(svm_msrpm_allow, (void *)msrpm);
	s->ncr3 = ncr3;
	s->iopm_pa = iopm;
	s->iopm01_pa = iopm01;
	s->msrpm_pa = msrpm;
	vm->arch = s;
	svm_nested_offer(vm);
	log_info("svm: nested paging maps %llu MiB of guest RAM at host %#llx",
		 (unsigned long long)(vm->mem.size >> 20),
		 (unsigned long long)(uintptr_t)vm->mem.hva);
	return true;
}
