/* wild_access: loads and stores to guest-physical addresses where no RAM or device is. */
#include "guest.h"
#include "fwcfg.h"

const char guest_name[] = "wild_access";

#define GIB		0x40000000ull
#define PATTERN64	0x5a5aa5a5c3c33c3cull
#define HPET_LIKE	0xfed00000ull	/* an HPET on QEMU, nothing on a platform without one */

/* Lives in RAM; the wild addresses below alias it if a VMM wraps addresses modulo RAM size. */
static volatile uint64_t canary[4] = {
	0x0123456789abcdefull, 0xfedcba9876543210ull, 0x1111222233334444ull, 0x5555666677778888ull,
};

static bool canary_intact(void)
{
	return canary[0] == 0x0123456789abcdefull && canary[1] == 0xfedcba9876543210ull &&
	       canary[2] == 0x1111222233334444ull && canary[3] == 0x5555666677778888ull;
}

static uint64_t ram_top(void)
{
	if (fwcfg_present())
		return fwcfg_read_le(FW_CFG_RAM_SIZE, 8);
	return ((uint64_t)bootinfo.mem_upper_kb + 1024) * 1024;
}

/* Every width of load at one address: none may fault; the values are reported. */
static void probe_reads(struct multi_check *m, const char *what, uintptr_t addr)
{
	uint8_t b;
	uint32_t l;
	uint64_t q, q2;
	int v8 = read8_safe(addr, &b), v32 = read32_safe(addr + 4, &l);
	int v64 = read64_safe(addr + 8, &q), v64b = read64_safe(addr + 8, &q2);

	report_info("%s %#lx reads: byte %#x dword %#x qword %#lx", what, (unsigned long)addr, b, l,
		    (unsigned long)q);
	multi_case(m, v8 < 0 && v32 < 0 && v64 < 0 && v64b < 0, "%s %#lx: %s/%s/%s", what,
		   (unsigned long)addr, fault_name(v8), fault_name(v32), fault_name(v64));
	multi_case(m, q == q2, "%s %#lx: two reads gave %#lx then %#lx", what, (unsigned long)addr,
		   (unsigned long)q, (unsigned long)q2);
}

static void probe_write(struct multi_check *faults, struct multi_check *stored, const char *what,
			uintptr_t addr)
{
	uint64_t back = 0;
	int w64 = write64_safe(addr, PATTERN64);
	int w32 = write32_safe(addr + 8, (uint32_t)PATTERN64);
	int w8 = write8_safe(addr + 16, 0x5a);
	int r = read64_safe(addr, &back);

	multi_case(faults, w64 < 0 && w32 < 0 && w8 < 0 && r < 0, "%s %#lx: %s/%s/%s/%s", what,
		   (unsigned long)addr, fault_name(w64), fault_name(w32), fault_name(w8),
		   fault_name(r));
	multi_case(stored, back != PATTERN64, "%s %#lx kept the written pattern", what,
		   (unsigned long)addr);
}

/* A string instruction on a wild address: an MMIO decoder's hard case. Reported only. */
static void probe_string_read(uintptr_t addr)
{
	uint64_t buf[4] = { 1, 2, 3, 4 };
	uintptr_t src = addr, dst = (uintptr_t)buf;
	uint64_t n = 4;

	fault_begin();
	asm volatile("1: rep movsq\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : "+S"(src), "+D"(dst), "+c"(n) : : "memory");
	report_info("rep movsq from %#lx: %s, copied %#lx %#lx", (unsigned long)addr,
		    fault_name(fault_end()), (unsigned long)buf[0], (unsigned long)buf[3]);
}

void guest_main(void)
{
	uint64_t top = ram_top();
	uint64_t low = top <= GIB ? GIB : (top + GIB - 1) & ~(GIB - 1);
	uintptr_t offset = (uintptr_t)canary & (GIB - 1);

	report_info("RAM %#lx bytes, probing %#lx, %#lx and %#lx", (unsigned long)top,
		    (unsigned long)(low + offset), (unsigned long)HPET_LIKE,
		    (unsigned long)(4 * GIB + offset));
	if (low >= 3 * GIB) {
		report_fail("ram-layout", "RAM %#lx leaves no hole below 3 GiB to probe", (unsigned long)top);
		return;
	}

	struct multi_check reads, writes, stored;
	multi_begin(&reads, "wild-reads-complete");
	probe_reads(&reads, "beyond RAM", low + offset);
	probe_reads(&reads, "HPET window", HPET_LIKE);
	probe_reads(&reads, "above 4 GiB", 4 * GIB + offset);
	multi_end(&reads);

	multi_begin(&writes, "wild-writes-complete");
	multi_begin(&stored, "wild-writes-not-stored");
	probe_write(&writes, &stored, "beyond RAM", low + offset);
	probe_write(&writes, &stored, "above 4 GiB", 4 * GIB + offset);
	multi_end(&writes);
	multi_end(&stored);
	/* The HPET's first register is read-only: a store there is harmless where one exists. */
	report_check(write32_safe(HPET_LIKE, 0) < 0, "wild-write-hpet-window", "store faulted");

	report_check(canary_intact(), "ram-not-aliased", "a wild store changed RAM at %#lx",
		     (unsigned long)(uintptr_t)canary);
	probe_string_read(low + offset);
	report_check(canary_intact(), "ram-intact-at-end", "canary changed");
}
