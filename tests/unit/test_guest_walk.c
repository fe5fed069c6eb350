/* test_guest_walk: guest page walks in every paging mode, rights, A/D bits, bad tables, fetch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/decode/insn.h"
#include "arch/x86/guest_walk.h"
#include "tests/unit/decode/guest_ram.h"

#define RAM_SIZE (8u << 20)
#define P 0x1ull
#define RW 0x2ull
#define US 0x4ull
#define A 0x20ull
#define D 0x40ull
#define PS 0x80ull
#define XD (1ull << 63)


static int setup(void **state)
{
	(void)state;
	return guest_ram_setup(RAM_SIZE);
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram.hva + gpa, &v, 8);
}

static uint64_t get64(uint64_t gpa)
{
	uint64_t v;
	memcpy(&v, ram.hva + gpa, 8);
	return v;
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram.hva + gpa, &v, 4);
}

static uint32_t get32(uint64_t gpa)
{
	uint32_t v;
	memcpy(&v, ram.hva + gpa, 4);
	return v;
}

static const struct guest_paging long_mode = {
	.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP,
	.cr3 = 0x100000,
	.cr4 = X86_CR4_PAE,
	.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE,
	.maxphyaddr = 40,
};

/* PML4 at 1 MiB, PDPT at +4K, PD at +8K, PT at +12K: maps 0x40201000 etc. */
static void build_4level(uint64_t leaf_flags)
{
	memset(ram.hva + 0x100000, 0, 0x10000);
	put64(0x100000 + 0 * 8, 0x101000 | P | RW | US);  /* PML4[0] */
	put64(0x101000 + 1 * 8, 0x102000 | P | RW | US);  /* PDPT[1]: 1 GiB */
	put64(0x102000 + 1 * 8, 0x103000 | P | RW | US);  /* PD[1]: 2 MiB */
	put64(0x103000 + 1 * 8, 0x345000 | leaf_flags);   /* PT[1] */
}

#define LIN_4K 0x40201000ull /* PML4 0, PDPT 1, PD 1, PT 1 */

static void test_paging_off(void **state)
{
	(void)state;
	struct guest_paging pg = { .cr0 = X86_CR0_PE };
	struct guest_walk_result r;

	assert_int_equal(guest_walk(&ram, &pg, 0x12345678, GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x12345678);
	assert_int_equal(guest_walk(&ram, &pg, 0x1ffffffffull, 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0xffffffff);
}

static void test_4level_4k_and_error_codes(void **state)
{
	(void)state;
	struct guest_walk_result r;

	build_4level(P | RW | US);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K + 0x123, 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x345123);
	assert_int_equal(r.page_size, 4096);

	/* not present: P = 0 in the error code, W/U/I-D from the access */
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K + 0x1000, GUEST_ACCESS_WRITE, &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_WRITE);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K + 0x1000,
				    GUEST_ACCESS_FETCH | GUEST_ACCESS_USER, &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_USER | X86_PF_FETCH);

	/* non-canonical */
	assert_int_equal(guest_walk(&ram, &long_mode, 0x0000800000000000ull, 0, &r),
			 GUEST_WALK_NONCANONICAL);
	assert_int_equal(guest_walk(&ram, &long_mode, 0xffff800000000000ull, 0, &r),
			 GUEST_WALK_PAGE_FAULT); /* canonical, PML4[256] not present */
}

static void test_4level_large_pages_and_reserved(void **state)
{
	(void)state;
	struct guest_walk_result r;

	build_4level(P | RW);
	put64(0x102000 + 2 * 8, 0x600000 | P | RW | PS); /* PD[2]: 2 MiB page */
	assert_int_equal(guest_walk(&ram, &long_mode, 0x40400000ull + 0x1234, 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x601234);
	assert_int_equal(r.page_size, 2u << 20);

	put64(0x101000 + 2 * 8, 0x80000000ull | P | RW | PS); /* PDPT[2]: 1 GiB page */
	assert_int_equal(guest_walk(&ram, &long_mode, 0x80000000ull + 0x12345678, 0, &r),
			 GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x92345678);
	assert_int_equal(r.page_size, 1ull << 30);

	/* 2 MiB PDE with bit 13 set: reserved */
	put64(0x102000 + 2 * 8, 0x600000 | P | RW | PS | (1ull << 13));
	assert_int_equal(guest_walk(&ram, &long_mode, 0x40400000ull, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD);
	/* an address bit above MAXPHYADDR (40) */
	put64(0x102000 + 2 * 8, (1ull << 45) | 0x600000 | P | RW | PS);
	assert_int_equal(guest_walk(&ram, &long_mode, 0x40400000ull, GUEST_ACCESS_WRITE, &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD | X86_PF_WRITE);
	/* PS in a PML4E is reserved */
	put64(0x100000 + 1 * 8, 0x101000 | P | RW | PS);
	assert_int_equal(guest_walk(&ram, &long_mode, 1ull << 39, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD);
	/* XD without EFER.NXE is reserved */
	struct guest_paging no_nx = long_mode;
	no_nx.efer &= ~X86_EFER_NXE;
	build_4level(P | RW | XD);
	assert_int_equal(guest_walk(&ram, &no_nx, LIN_4K, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K, 0, &r), GUEST_WALK_OK);
}

static void test_rights(void **state)
{
	(void)state;
	struct guest_walk_result r;
	struct guest_paging pg = long_mode;

	/* supervisor page, read-only */
	build_4level(P);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_USER, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_USER);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_WRITE, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_WRITE);
	pg.cr0 &= ~X86_CR0_WP; /* CR0.WP = 0: the supervisor may write read-only pages */
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);

	/* user page, read-only: a user write faults even with WP = 0 */
	build_4level(P | US);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_USER | GUEST_ACCESS_WRITE, &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_WRITE | X86_PF_USER);
	/* R/W clear at a higher level also protects */
	build_4level(P | RW | US);
	put64(0x101000 + 1 * 8, 0x102000 | P | US);
	pg.cr0 |= X86_CR0_WP;
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_WRITE, &r), GUEST_WALK_PAGE_FAULT);

	/* NX */
	build_4level(P | RW | XD);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_FETCH, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_FETCH);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, 0, &r), GUEST_WALK_OK);

	/* SMEP: no supervisor fetch from a user page; SMAP: no data access unless AC */
	build_4level(P | RW | US);
	pg.cr4 |= X86_CR4_SMEP;
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_FETCH, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_FETCH);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_FETCH | GUEST_ACCESS_USER, &r),
			 GUEST_WALK_OK);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, 0, &r), GUEST_WALK_OK);
	pg.cr4 |= X86_CR4_SMAP;
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT);
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, GUEST_ACCESS_AC, &r), GUEST_WALK_OK);
}

static void test_accessed_dirty(void **state)
{
	(void)state;
	struct guest_walk_result r;

	build_4level(P | RW);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K, 0, &r), GUEST_WALK_OK);
	assert_int_equal(get64(0x103008) & (A | D), 0); /* not asked for: untouched */
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K, GUEST_ACCESS_SET_AD, &r), GUEST_WALK_OK);
	assert_int_equal(get64(0x100000) & (A | D), A);
	assert_int_equal(get64(0x101008) & (A | D), A);
	assert_int_equal(get64(0x102008) & (A | D), A);
	assert_int_equal(get64(0x103008) & (A | D), A);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K, GUEST_ACCESS_SET_AD | GUEST_ACCESS_WRITE,
				    &r),
			 GUEST_WALK_OK);
	assert_int_equal(get64(0x103008) & (A | D), A | D);
	assert_int_equal(get64(0x102008) & D, 0); /* D only in the page's own entry */

	/* A faulting walk sets nothing */
	build_4level(P);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K, GUEST_ACCESS_SET_AD | GUEST_ACCESS_WRITE,
				    &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(get64(0x103008) & (A | D), 0);
	assert_int_equal(get64(0x100000) & A, 0);
}

static void test_5level(void **state)
{
	(void)state;
	struct guest_paging pg = long_mode;
	struct guest_walk_result r;
	uint64_t lin = (3ull << 48) | LIN_4K; /* PML5 index 3 */

	pg.cr4 |= X86_CR4_LA57;
	pg.cr3 = 0x200000;
	build_4level(P | RW);
	memset(ram.hva + 0x200000, 0, 4096);
	put64(0x200000 + 3 * 8, 0x100000 | P | RW);
	assert_int_equal(guest_walk(&ram, &pg, lin, 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x345000);
	/* with 4-level paging the same address is not canonical */
	assert_int_equal(guest_walk(&ram, &long_mode, lin, 0, &r), GUEST_WALK_NONCANONICAL);
	assert_int_equal(guest_walk(&ram, &pg, 1ull << 57, 0, &r), GUEST_WALK_NONCANONICAL);
}

static void test_pae(void **state)
{
	(void)state;
	struct guest_paging pg = {
		.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP,
		.cr3 = 0x300020, /* PDPT is 32-byte aligned */
		.cr4 = X86_CR4_PAE,
		.efer = X86_EFER_NXE,
		.maxphyaddr = 36,
	};
	struct guest_walk_result r;

	memset(ram.hva + 0x300000, 0, 0x4000);
	put64(0x300020 + 2 * 8, 0x301000 | P);               /* PDPTE[2]: no R/W or U/S bits */
	put64(0x301000 + 3 * 8, 0x302000 | P | RW | US);      /* PD[3] */
	put64(0x302000 + 4 * 8, 0x456000 | P | RW | US | XD); /* PT[4] */
	put64(0x301000 + 4 * 8, 0x800000 | P | RW | PS);      /* PD[4]: 2 MiB page */
	uint64_t lin = (2ull << 30) | (3ull << 21) | (4ull << 12) | 0x10;

	assert_int_equal(guest_walk(&ram, &pg, lin, GUEST_ACCESS_USER | GUEST_ACCESS_WRITE, &r),
			 GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x456010);
	assert_int_equal(guest_walk(&ram, &pg, lin, GUEST_ACCESS_FETCH, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_FETCH);
	assert_int_equal(guest_walk(&ram, &pg, (2ull << 30) | (4ull << 21) | 0x1234, 0, &r),
			 GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x801234);
	/* upper 32 bits of a linear address do not exist outside long mode */
	assert_int_equal(guest_walk(&ram, &pg, (1ull << 32) | lin, 0, &r), GUEST_WALK_OK);
	/* PDPTE reserved bit 1 (R/W has no meaning there) */
	put64(0x300020 + 2 * 8, 0x301000 | P | RW);
	assert_int_equal(guest_walk(&ram, &pg, lin, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD);
	/* above MAXPHYADDR 36 */
	put64(0x300020 + 2 * 8, (1ull << 36) | 0x301000 | P);
	assert_int_equal(guest_walk(&ram, &pg, lin, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD);
}

static void test_32bit_paging(void **state)
{
	(void)state;
	struct guest_paging pg = {
		.cr0 = X86_CR0_PE | X86_CR0_PG,
		.cr3 = 0x400000,
		.cr4 = X86_CR4_PSE,
		.maxphyaddr = 40,
	};
	struct guest_walk_result r;

	memset(ram.hva + 0x400000, 0, 0x2000);
	put32(0x400000 + 1 * 4, 0x401000 | P | RW | US); /* PDE[1] -> PT */
	put32(0x401000 + 2 * 4, 0x00567000 | P | RW);    /* PTE[2] */
	put32(0x400000 + 2 * 4, 0x00c00000 | P | PS | (0x12 << 13)); /* 4 MiB, PA[39:32] = 0x12 */
	assert_int_equal(guest_walk(&ram, &pg, 0x00402abc, 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x567abc);
	assert_int_equal(guest_walk(&ram, &pg, 0x00402abc, GUEST_ACCESS_USER, &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_USER);
	assert_int_equal(guest_walk(&ram, &pg, 0x00812345, 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x1200c12345ull);
	assert_int_equal(r.page_size, 4u << 20);
	/* no NX in 32-bit paging: fetch faults carry no I/D bit */
	assert_int_equal(guest_walk(&ram, &pg, 0x00c00000, GUEST_ACCESS_FETCH, &r),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, 0);
	/* bit 21 of a 4 MiB PDE is reserved */
	put32(0x400000 + 2 * 4, 0x00c00000 | P | PS | (1u << 21));
	assert_int_equal(guest_walk(&ram, &pg, 0x00812345, 0, &r), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(r.pf_error, X86_PF_PRESENT | X86_PF_RSVD);
	/* without CR4.PSE the PS bit is ignored: the PDE points to a page table */
	pg.cr4 = 0;
	put32(0x400000 + 1 * 4, 0x401000 | P | RW | PS);
	assert_int_equal(guest_walk(&ram, &pg, 0x00402abc, GUEST_ACCESS_SET_AD | GUEST_ACCESS_WRITE,
				    &r),
			 GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x567abc);
	assert_int_equal(get32(0x401008) & (A | D), A | D);
	assert_int_equal(get32(0x400004) & (A | D), A);
}

/* A paging structure outside guest RAM is refused, never dereferenced. */
static void test_tables_outside_ram(void **state)
{
	(void)state;
	struct guest_paging pg = long_mode;
	struct guest_walk_result r;

	pg.cr3 = 0xfffff000ull; /* far beyond 8 MiB */
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, 0, &r), GUEST_WALK_BAD_TABLE);
	assert_int_equal(r.table_gpa, 0xfffff000ull);
	build_4level(P);
	put64(0x102000 + 1 * 8, 0x000ffffffffff000ull | P | RW); /* PD[1] -> the end of space */
	pg = long_mode;
	pg.maxphyaddr = 52;
	assert_int_equal(guest_walk(&ram, &pg, LIN_4K, 0, &r), GUEST_WALK_BAD_TABLE);
	assert_int_equal(r.table_gpa, 0x000ffffffffff000ull + 8);
	/* a PTE table ending exactly at the end of RAM still works */
	build_4level(P);
	put64(0x102000 + 1 * 8, (RAM_SIZE - 4096) | P | RW);
	put64(RAM_SIZE - 4096 + 511 * 8, 0x5000 | P);
	assert_int_equal(guest_walk(&ram, &long_mode, LIN_4K | (511u << 12), 0, &r), GUEST_WALK_OK);
	assert_int_equal(r.gpa, 0x5000);
	struct guest_paging pg32 = { .cr0 = X86_CR0_PG | X86_CR0_PE, .cr3 = 0xffc00000u };
	assert_int_equal(guest_walk(&ram, &pg32, 0, 0, &r), GUEST_WALK_BAD_TABLE);
}

static void test_fetch_across_pages(void **state)
{
	(void)state;
	struct guest_fetch f;
	struct x86_insn insn;
	/* mov rax, imm64 split 3 + 7 over two pages mapped to unrelated frames */
	static const uint8_t movabs[] = { 0x48, 0xb8, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

	build_4level(P | RW | US);
	put64(0x103000 + 2 * 8, 0x700000 | P | RW); /* PT[2]: the next page, elsewhere */
	memcpy(ram.hva + 0x345000 + 4093, movabs, 3);
	memcpy(ram.hva + 0x700000, movabs + 3, 7);
	assert_int_equal(guest_fetch_insn(&ram, &long_mode, X86_MODE_64, 0, LIN_4K + 4093, 0, &f),
			 GUEST_WALK_OK);
	assert_int_equal(f.len, 15);
	assert_memory_equal(f.bytes, movabs, sizeof(movabs));
	assert_int_equal(x86_decode(f.bytes, f.len, X86_MODE_64, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.len, 10);
	assert_int_equal(insn.imm, 0x8877665544332211ull);

	/* second page not present: 3 bytes, #PF for the second page; the decoder needs more */
	put64(0x103000 + 2 * 8, 0);
	assert_int_equal(guest_fetch_insn(&ram, &long_mode, X86_MODE_64, 0, LIN_4K + 4093, 3, &f),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(f.len, 3);
	assert_int_equal(f.fault_linear, LIN_4K + 4096);
	assert_int_equal(f.fault.pf_error, X86_PF_USER | X86_PF_FETCH);
	assert_int_equal(x86_decode(f.bytes, f.len, X86_MODE_64, 0, &insn), X86_DECODE_TRUNCATED);
	/* ... but a short instruction before the boundary decodes fine */
	ram.hva[0x345000 + 4095] = 0xf4; /* HLT */
	assert_int_equal(guest_fetch_insn(&ram, &long_mode, X86_MODE_64, 0, LIN_4K + 4095, 0, &f),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(f.len, 1);
	assert_int_equal(x86_decode(f.bytes, f.len, X86_MODE_64, 0, &insn), X86_DECODE_OK);
}

static void test_fetch_wraps_and_not_ram(void **state)
{
	(void)state;
	struct guest_paging real_mode = { 0 };
	struct guest_fetch f;

	/* 16-bit IP wraps from FFFF to 0 within the segment */
	memset(ram.hva + 0x20000, 0, 0x10000);
	ram.hva[0x2fffe] = 0xb8;
	ram.hva[0x2ffff] = 0x34;
	ram.hva[0x20000] = 0x12;
	assert_int_equal(guest_fetch_insn(&ram, &real_mode, X86_MODE_16, 0x20000, 0xfffe, 0, &f),
			 GUEST_WALK_OK);
	assert_int_equal(f.bytes[0], 0xb8);
	assert_int_equal(f.bytes[1], 0x34);
	assert_int_equal(f.bytes[2], 0x12);

	/* 32-bit EIP wraps at 4 GiB */
	ram.hva[0x1000 - 1] = 0x90;
	ram.hva[0x1000] = 0xcc;
	assert_int_equal(guest_fetch_insn(&ram, &real_mode, X86_MODE_32, 0x1000, 0xffffffffull, 0,
					  &f),
			 GUEST_WALK_OK);
	assert_int_equal(f.bytes[0], 0x90);
	assert_int_equal(f.bytes[1], 0xcc);

	/* code running from outside RAM (ROM/MMIO): a defined refusal */
	assert_int_equal(guest_fetch_insn(&ram, &real_mode, X86_MODE_32, 0, 0xfffffff0ull, 0, &f),
			 GUEST_WALK_NOT_RAM);
	assert_int_equal(f.len, 0);
	/* RAM ending mid-instruction */
	assert_int_equal(guest_fetch_insn(&ram, &real_mode, X86_MODE_32, 0, RAM_SIZE - 5, 0, &f),
			 GUEST_WALK_NOT_RAM);
	assert_int_equal(f.len, 5);
	assert_int_equal(f.fault_linear, RAM_SIZE);
	assert_string_equal(guest_walk_status_name(GUEST_WALK_NOT_RAM), "not guest RAM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paging_off),
		cmocka_unit_test(test_4level_4k_and_error_codes),
		cmocka_unit_test(test_4level_large_pages_and_reserved),
		cmocka_unit_test(test_rights),
		cmocka_unit_test(test_accessed_dirty),
		cmocka_unit_test(test_5level),
		cmocka_unit_test(test_pae),
		cmocka_unit_test(test_32bit_paging),
		cmocka_unit_test(test_tables_outside_ram),
		cmocka_unit_test(test_fetch_across_pages),
		cmocka_unit_test(test_fetch_wraps_and_not_ram),
	};
	return cmocka_run_group_tests(tests, setup, guest_ram_teardown);
}
