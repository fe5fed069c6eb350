/* cmos_layout: the memory-size and CPU-count bytes firmware leaves in CMOS, as QEMU fills them. */
#include "devices/rtc_cmos.h"

#define KIB 1024ull
#define MIB (1024 * KIB)

static void cmos_put16(struct rtc_cmos *r, uint8_t index, uint64_t value)
{
	if (value > 0xffff)
		value = 0xffff;
	r->ram[index] = (uint8_t)value;
	r->ram[index + 1] = (uint8_t)(value >> 8);
}

/*
 * 0x15/0x16 base memory in KiB (at most 640); 0x17/0x18 and 0x30/0x31 KiB above 1 MiB
 * (at most 65535); 0x34/0x35 64 KiB units between 16 MiB and 4 GiB; 0x5b-0x5d 64 KiB
 * units above 4 GiB. Older loaders and test kernels size memory from these.
 */
void cmos_set_memory_sizes(struct rtc_cmos *r, uint64_t below_4g, uint64_t above_4g)
{
	uint64_t base_kib = below_4g / KIB < 640 ? below_4g / KIB : 640;
	uint64_t ext_kib = below_4g > MIB ? (below_4g - MIB) / KIB : 0;
	uint64_t above_16m = below_4g > 16 * MIB ? (below_4g - 16 * MIB) / (64 * KIB) : 0;
	uint64_t above_4g_units = above_4g / (64 * KIB);

	cmos_put16(r, 0x15, base_kib);
	cmos_put16(r, 0x17, ext_kib);
	cmos_put16(r, 0x30, ext_kib);
	cmos_put16(r, 0x34, above_16m);
	if (above_4g_units > 0xffffff)
		above_4g_units = 0xffffff;
	r->ram[0x5b] = (uint8_t)above_4g_units;
	r->ram[0x5c] = (uint8_t)(above_4g_units >> 8);
	r->ram[0x5d] = (uint8_t)(above_4g_units >> 16);
}

/* 0x5f: number of CPUs minus one (QEMU's convention, read by SeaBIOS). */
void cmos_set_cpu_count(struct rtc_cmos *r, unsigned cpus)
{
	r->ram[0x5f] = (uint8_t)(cpus ? cpus - 1 : 0);
}
