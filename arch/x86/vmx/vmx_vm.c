/* vmx_vm: per-VM VMX state: EPT over guest RAM, the MSR bitmap and the I/O bitmaps. */
#include "arch/x86/pagetable.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/msr_table.h"
#include "vm/vm.h"

/*
 * EPT entries (SDM Vol. 3C 28.2.2): bits 2:0 read/write/execute; leaves carry the memory
 * type in bits 5:3 (6 = write-back, guest RAM is ordinary memory) and bit 7 marks a
 * 2 MiB leaf. Anything not mapped (LAPIC, IOAPIC, holes) is an EPT violation that nestor
 * emulates as MMIO.
 */
#define EPT_RWX 0x7ull
#define EPT_MEMTYPE_WB (6ull << 3)
static const struct pt_format ept_format = {
	.table = EPT_RWX,
	.leaf_4k = EPT_RWX | EPT_MEMTYPE_WB,
	.leaf_2m = EPT_RWX | EPT_MEMTYPE_WB | PT_LARGE,
};

/* EPTP (SDM 24.6.11): memory type WB in 2:0, page-walk length - 1 = 3 in 5:3, no A/D. */
#define EPTP_WB_4LEVEL (6ull | (3ull << 3))

/*
 * SDM 24.6.9: one bit per MSR; read bitmaps for 0-1fff and c0000000-c0001fff at 0 and
 * 1 KiB, write bitmaps at 2 and 3 KiB. MSRs outside both ranges always exit.
 */
static void vmx_msr_bitmap_allow(void *map, uint32_t msr, bool read, bool write)
{
	uint8_t *bitmap = map;
	uint32_t base;
	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 1024;
	else
		return;
	uint32_t bit = msr & 0x1fff;
	if (read)
		bitmap[base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	if (write)
		bitmap[base + 2048 + bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

bool vmx_vm_init(struct vm *vm)
{
	struct vmx_vm *x = (struct vmx_vm *)page_alloc(&nestor_pages, 1, 1);
	uint64_t msr_bitmap = page_alloc(&nestor_pages, 1, 1);
	uint64_t io_bitmaps = page_alloc(&nestor_pages, 2, 1);
	uint64_t io_bitmaps01 = page_alloc(&nestor_pages, 2, 1);
	uint64_t ept = pt_alloc_root();
	if (!x || !msr_bitmap || !io_bitmaps || !io_bitmaps01 || !ept) {
		log_error("vmx: out of pages for the VM's tables");
		return false;
	}
	if (!pt_map(ept, &ept_format, 0, (uint64_t)(uintptr_t)vm->mem.hva, vm->mem.size)) {
		log_error("vmx: out of pages for the EPT");
		return false;
	}
	/* Every port exits: the platform is nestor's devices, but for the host PM timer when it
	 * is passed to L1 (bitmaps A and B side by side are one bit per port). L2's bitmaps
	 * keep that one too: L1 decides what L2 reaches (nvmx_exit_route.c). */
	memset((void *)io_bitmaps, 0xff, 2 * 4096);
	memset((void *)io_bitmaps01, 0xff, 2 * 4096);
	vm_io_permmap_passthrough(vm, (uint8_t *)io_bitmaps01);
	memset((void *)msr_bitmap, 0xff, 4096);
	msr_table_passthrough(vmx_msr_bitmap_allow, (void *)msr_bitmap);
	x->eptp = ept | EPTP_WB_4LEVEL;
	x->msr_bitmap_pa = msr_bitmap;
	x->io_bitmap_a_pa = io_bitmaps;
	x->io_bitmap_b_pa = io_bitmaps + 4096;
	x->io_bitmaps01_pa = io_bitmaps01;
	vm->arch = x;
	if (!vmx_nested_vm_init(vm, &vmx_host_msrs))
		return false;
	log_info("vmx: EPT maps %llu MiB of guest RAM at host %#llx",
		 (unsigned long long)(vm->mem.size >> 20),
		 (unsigned long long)(uintptr_t)vm->mem.hva);
	return true;
}
