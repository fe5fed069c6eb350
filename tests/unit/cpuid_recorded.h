/* cpuid_recorded: host CPUID answers nestor saw (log=debug), replayed by the unit tests. */
#ifndef NESTOR_TESTS_UNIT_CPUID_RECORDED_H
#define NESTOR_TESTS_UNIT_CPUID_RECORDED_H

#include <stddef.h>
#include <stdint.h>

#include "vm/cpuid_model.h"

struct cpuid_record {
	uint32_t leaf, subleaf;
	struct cpuid_regs r;
};

struct recorded_cpu {
	const char *name;
	const struct cpuid_record *rows;
	size_t n;
	uint64_t xcr0;
};

/*
 * A leaf without subleaves answers the same whatever ECX says: a subleaf that was not
 * recorded reads as subleaf 0 when only subleaf 0 was, else 0. A leaf not recorded reads 0.
 */
static inline void recorded_query(void *ctx, uint32_t leaf, uint32_t subleaf,
				  struct cpuid_regs *out)
{
	const struct recorded_cpu *c = ctx;
	const struct cpuid_record *sub0 = NULL;
	unsigned subs = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->rows[i].leaf != leaf)
			continue;
		if (c->rows[i].subleaf == subleaf) {
			*out = c->rows[i].r;
			return;
		}
		subs++;
		if (c->rows[i].subleaf == 0)
			sub0 = &c->rows[i];
	}
	*out = (sub0 && subs == 1) ? sub0->r : (struct cpuid_regs){ 0, 0, 0, 0 };
}

static inline uint64_t recorded_xcr0(void *ctx)
{
	return ((const struct recorded_cpu *)ctx)->xcr0;
}

static inline struct cpuid_host recorded_host(struct recorded_cpu *c)
{
	return (struct cpuid_host){ recorded_query, recorded_xcr0, c };
}

/* QEMU 7.2 TCG, -cpu max (AuthenticAMD, SVM, LA57, PKU, MPX): nestor's host on SVM. */
static const struct cpuid_record qemu_max_rows[] = {
	{ 0, 0, { 0xd, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x1, 0, { 0x60fb1, 0x20800, 0xf6d8320b, 0x1fcbfbfd } },
	{ 0x2, 0, { 0, 0, 0, 0 } },
	{ 0x3, 0, { 0, 0, 0, 0 } },
	{ 0x4, 0, { 0, 0, 0, 0 } },
	{ 0x4, 1, { 0, 0, 0, 0 } },
	{ 0x4, 2, { 0, 0, 0, 0 } },
	{ 0x4, 3, { 0, 0, 0, 0 } },
	{ 0x4, 4, { 0, 0, 0, 0 } },
	{ 0x4, 5, { 0, 0, 0, 0 } },
	{ 0x4, 6, { 0, 0, 0, 0 } },
	{ 0x4, 7, { 0, 0, 0, 0 } },
	{ 0x5, 0, { 0, 0, 0x3, 0 } },
	{ 0x6, 0, { 0x4, 0, 0, 0 } },
	{ 0x7, 0, { 0, 0x1d843a9, 0x8001020c, 0 } },
	{ 0x7, 1, { 0, 0, 0, 0 } },
	{ 0x8, 0, { 0, 0, 0, 0 } },
	{ 0x9, 0, { 0, 0, 0, 0 } },
	{ 0xa, 0, { 0, 0, 0, 0 } },
	{ 0xb, 0, { 0, 0x1, 0x100, 0 } },
	{ 0xb, 1, { 0x1, 0x2, 0x201, 0 } },
	{ 0xb, 2, { 0, 0, 0x2, 0 } },
	{ 0xc, 0, { 0, 0, 0, 0 } },
	{ 0xd, 0, { 0x21f, 0x240, 0xa88, 0 } },
	{ 0xd, 1, { 0x5, 0x3c8, 0, 0 } },
	{ 0xd, 2, { 0x100, 0x240, 0, 0 } },
	{ 0xd, 3, { 0x40, 0x3c0, 0, 0 } },
	{ 0xd, 4, { 0x40, 0x400, 0, 0 } },
	{ 0xd, 5, { 0, 0, 0, 0 } },
	{ 0xd, 6, { 0, 0, 0, 0 } },
	{ 0xd, 7, { 0, 0, 0, 0 } },
	{ 0xd, 8, { 0, 0, 0, 0 } },
	{ 0xd, 9, { 0x8, 0xa80, 0, 0 } },
	{ 0xd, 10, { 0, 0, 0, 0 } },
	{ 0xd, 11, { 0, 0, 0, 0 } },
	{ 0xd, 12, { 0, 0, 0, 0 } },
	{ 0xd, 13, { 0, 0, 0, 0 } },
	{ 0xd, 14, { 0, 0, 0, 0 } },
	{ 0xd, 15, { 0, 0, 0, 0 } },
	{ 0xd, 16, { 0, 0, 0, 0 } },
	{ 0xd, 17, { 0, 0, 0, 0 } },
	{ 0xd, 18, { 0, 0, 0, 0 } },
	{ 0x80000000, 0, { 0x8000000a, 0x68747541, 0x444d4163, 0x69746e65 } },
	{ 0x80000001, 0, { 0x60fb1, 0, 0x77, 0xedd3fbfd } },
	{ 0x80000002, 0, { 0x554d4551, 0x47435420, 0x55504320, 0x72657620 } },
	{ 0x80000003, 0, { 0x6e6f6973, 0x352e3220, 0x2b, 0 } },
	{ 0x80000004, 0, { 0, 0, 0, 0 } },
	{ 0x80000005, 0, { 0x1ff01ff, 0x1ff01ff, 0x40020140, 0x40020140 } },
	{ 0x80000006, 0, { 0, 0x42004200, 0x2008140, 0x808140 } },
	{ 0x80000007, 0, { 0, 0, 0, 0 } },
	{ 0x80000008, 0, { 0x3928, 0, 0x1001, 0 } },
	{ 0x80000009, 0, { 0, 0, 0, 0 } },
	{ 0x8000000a, 0, { 0x1, 0x10, 0, 0x10010001 } },
};

/* Bochs 2.7 corei7_skylake_x (GenuineIntel, VMX, AVX-512, XSAVEC/XSAVES): nestor's host on VMX. */
static const struct cpuid_record skylake_x_rows[] = {
	{ 0, 0, { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x1, 0, { 0x50654, 0x10800, 0x77faf3bf, 0xbfebfbff } },
	{ 0x2, 0, { 0x76036301, 0xf0b5ff, 0, 0xc30000 } },
	{ 0x3, 0, { 0, 0, 0, 0 } },
	{ 0x4, 0, { 0x1c004121, 0x1c0003f, 0x3f, 0 } },
	{ 0x4, 1, { 0x1c004122, 0x1c0003f, 0x3f, 0 } },
	{ 0x4, 2, { 0x1c004143, 0x3c0003f, 0x3ff, 0 } },
	{ 0x4, 3, { 0x1c03c163, 0x280003f, 0x2fff, 0x4 } },
	{ 0x4, 4, { 0, 0, 0, 0 } },
	{ 0x4, 5, { 0, 0, 0, 0 } },
	{ 0x4, 6, { 0, 0, 0, 0 } },
	{ 0x4, 7, { 0, 0, 0, 0 } },
	{ 0x5, 0, { 0x40, 0x40, 0x3, 0x2020 } },
	{ 0x6, 0, { 0x75, 0x2, 0x9, 0 } },
	{ 0x7, 0, { 0, 0xd19f27eb, 0, 0 } },
	{ 0x7, 1, { 0, 0, 0, 0 } },
	{ 0x8, 0, { 0, 0, 0, 0 } },
	{ 0x9, 0, { 0, 0, 0, 0 } },
	{ 0xa, 0, { 0x7300404, 0, 0, 0x603 } },
	{ 0xb, 0, { 0x1, 0x2, 0, 0 } },
	{ 0xb, 1, { 0, 0, 0x1, 0 } },
	{ 0xb, 2, { 0, 0, 0x2, 0 } },
	{ 0xc, 0, { 0, 0, 0, 0 } },
	{ 0xd, 0, { 0xe7, 0x240, 0xa80, 0 } },
	{ 0xd, 1, { 0xf, 0, 0, 0 } },
	{ 0xd, 2, { 0x100, 0x240, 0, 0 } },
	{ 0xd, 3, { 0, 0, 0, 0 } },
	{ 0xd, 4, { 0, 0, 0, 0 } },
	{ 0xd, 5, { 0x40, 0x440, 0, 0 } },
	{ 0xd, 6, { 0x200, 0x480, 0, 0 } },
	{ 0xd, 7, { 0x400, 0x680, 0, 0 } },
	{ 0xd, 8, { 0, 0, 0, 0 } },
	{ 0xd, 9, { 0, 0, 0, 0 } },
	{ 0xd, 10, { 0, 0, 0, 0 } },
	{ 0xd, 11, { 0, 0, 0, 0 } },
	{ 0xd, 12, { 0, 0, 0, 0 } },
	{ 0xd, 13, { 0, 0, 0, 0 } },
	{ 0xd, 14, { 0, 0, 0, 0 } },
	{ 0xd, 15, { 0, 0, 0, 0 } },
	{ 0xd, 16, { 0, 0, 0, 0 } },
	{ 0xd, 17, { 0, 0, 0, 0 } },
	{ 0xd, 18, { 0, 0, 0, 0 } },
	{ 0xe, 0, { 0, 0, 0, 0 } },
	{ 0xf, 0, { 0, 0, 0, 0 } },
	{ 0x10, 0, { 0, 0, 0, 0 } },
	{ 0x11, 0, { 0, 0, 0, 0 } },
	{ 0x12, 0, { 0, 0, 0, 0 } },
	{ 0x13, 0, { 0, 0, 0, 0 } },
	{ 0x14, 0, { 0, 0, 0, 0 } },
	{ 0x15, 0, { 0x2, 0x124, 0, 0 } },
	{ 0x16, 0, { 0xdac, 0xfa0, 0x64, 0 } },
	{ 0x80000000, 0, { 0x80000008, 0, 0, 0 } },
	{ 0x80000001, 0, { 0, 0, 0x121, 0x2c100800 } },
	{ 0x80000002, 0, { 0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865 } },
	{ 0x80000003, 0, { 0x37692029, 0x3038372d, 0x43205830, 0x40205550 } },
	{ 0x80000004, 0, { 0x352e3320, 0x7a484730, 0, 0 } },
	{ 0x80000005, 0, { 0, 0, 0, 0 } },
	{ 0x80000006, 0, { 0, 0, 0x1006040, 0 } },
	{ 0x80000007, 0, { 0, 0, 0, 0x100 } },
	{ 0x80000008, 0, { 0x3028, 0, 0, 0 } },
};

/* Bochs 2.7 corei7_ivy_bridge_3770k (GenuineIntel, VMX, AVX, no XSAVEC). */
static const struct cpuid_record ivy_bridge_rows[] = {
	{ 0, 0, { 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x1, 0, { 0x306a9, 0x10800, 0x77bae3bf, 0xbfebfbff } },
	{ 0x2, 0, { 0x76035a01, 0xf0b2ff, 0, 0xca0000 } },
	{ 0x3, 0, { 0, 0, 0, 0 } },
	{ 0x4, 0, { 0x1c004121, 0x1c0003f, 0x3f, 0 } },
	{ 0x4, 1, { 0x1c004122, 0x1c0003f, 0x3f, 0 } },
	{ 0x4, 2, { 0x1c004143, 0x1c0003f, 0x1ff, 0 } },
	{ 0x4, 3, { 0x1c03c163, 0x3c0003f, 0x1fff, 0x6 } },
	{ 0x4, 4, { 0, 0, 0, 0 } },
	{ 0x4, 5, { 0, 0, 0, 0 } },
	{ 0x4, 6, { 0, 0, 0, 0 } },
	{ 0x4, 7, { 0, 0, 0, 0 } },
	{ 0x5, 0, { 0x40, 0x40, 0x3, 0x1120 } },
	{ 0x6, 0, { 0x77, 0x2, 0x9, 0 } },
	{ 0x7, 0, { 0, 0x281, 0, 0 } },
	{ 0x7, 1, { 0, 0, 0, 0 } },
	{ 0x8, 0, { 0, 0, 0, 0 } },
	{ 0x9, 0, { 0, 0, 0, 0 } },
	{ 0xa, 0, { 0x7300403, 0, 0, 0x603 } },
	{ 0xb, 0, { 0x1, 0x2, 0, 0 } },
	{ 0xb, 1, { 0, 0, 0x1, 0 } },
	{ 0xb, 2, { 0, 0, 0x2, 0 } },
	{ 0xc, 0, { 0, 0, 0, 0 } },
	{ 0xd, 0, { 0x7, 0x240, 0x340, 0 } },
	{ 0xd, 1, { 0x1, 0, 0, 0 } },
	{ 0xd, 2, { 0x100, 0x240, 0, 0 } },
	{ 0xd, 3, { 0, 0, 0, 0 } },
	{ 0xd, 4, { 0, 0, 0, 0 } },
	{ 0xd, 5, { 0, 0, 0, 0 } },
	{ 0xd, 6, { 0, 0, 0, 0 } },
	{ 0xd, 7, { 0, 0, 0, 0 } },
	{ 0xd, 8, { 0, 0, 0, 0 } },
	{ 0xd, 9, { 0, 0, 0, 0 } },
	{ 0xd, 10, { 0, 0, 0, 0 } },
	{ 0xd, 11, { 0, 0, 0, 0 } },
	{ 0xd, 12, { 0, 0, 0, 0 } },
	{ 0xd, 13, { 0, 0, 0, 0 } },
	{ 0xd, 14, { 0, 0, 0, 0 } },
	{ 0xd, 15, { 0, 0, 0, 0 } },
	{ 0xd, 16, { 0, 0, 0, 0 } },
	{ 0xd, 17, { 0, 0, 0, 0 } },
	{ 0xd, 18, { 0, 0, 0, 0 } },
	{ 0x80000000, 0, { 0x80000008, 0, 0, 0 } },
	{ 0x80000001, 0, { 0, 0, 0x1, 0x28100800 } },
	{ 0x80000002, 0, { 0x20202020, 0x49202020, 0x6c65746e, 0x20295228 } },
	{ 0x80000003, 0, { 0x65726f43, 0x294d5428, 0x2d376920, 0x30373733 } },
	{ 0x80000004, 0, { 0x5043204b, 0x20402055, 0x30352e33, 0x7a4847 } },
	{ 0x80000005, 0, { 0, 0, 0, 0 } },
	{ 0x80000006, 0, { 0, 0, 0x1006040, 0 } },
	{ 0x80000007, 0, { 0, 0, 0, 0x100 } },
	{ 0x80000008, 0, { 0x3028, 0, 0, 0 } },
};

#endif
