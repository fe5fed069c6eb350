/* fuzz_mmio_emul: MMIO and string-I/O emulation of any instruction on any vCPU and page-table state. */
#include <string.h>

#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/decode/port_emul.h"
#include "tests/fuzz/fuzz.h"

/*
 * The input gives the vCPU (mode, CPL, RFLAGS, paging controls and CR3, each GPR as a
 * small number, an MMIO address, a RAM address or any value), the faulting GPA, the
 * instruction bytes and then the contents of guest RAM's first pages (page tables and
 * string operands). One of three entry points runs: x86_emulate_mmio on the decoded
 * bytes, x86_emulate_mmio_at_rip (fetch through the guest's page tables, then emulate),
 * or x86_emulate_string_io_at_rip for an I/O exit the input describes.
 *
 * Beyond "no crash" (ASan: every guest-memory access stays inside guest RAM), checked:
 *  - the status is one of the documented ones, with a reason;
 *  - bits of RFLAGS other than the arithmetic flags never change (RF only clears, on
 *    success);
 *  - success of a non-string instruction moves RIP by exactly its length, wrapped at
 *    the code-segment size;
 *  - failure of a non-string instruction changes no register, RIP or RFLAGS and writes
 *    nothing to MMIO (the documented "nothing of the guest state is changed");
 *  - every MMIO access has size 1, 2, 4 or 8, lies outside guest RAM, and for a
 *    non-string instruction on the faulting page; out.mmio_accesses counts them all;
 *  - every port access of an INS/OUTS is the port and size the exit named.
 */

#define RFLAGS_RF (1ull << 16)	/* cleared by a completed instruction (SDM 18.3.1.1) */
#define RAM_SIZE 0x10000u
#define RAM_FILL 0x8000u	/* input bytes fill [0, RAM_FILL); code goes at 0x8000 */
#define LAPIC 0xfee00000ull
#define IOAPIC 0xfec00000ull

static struct guest_mem ram;
static uint64_t fault_gpa;
static bool string_insn;
static unsigned mmio_seen, mmio_writes;
static struct x86_port_access port_access;

static void check_mmio(uint64_t gpa, unsigned size)
{
	mmio_seen++;
	FUZZ_CHECK(size == 1 || size == 2 || size == 4 || size == 8, "MMIO size %u", size);
	FUZZ_CHECK(gpa >= RAM_SIZE, "MMIO access to RAM at %#llx", (unsigned long long)gpa);
	FUZZ_CHECK(string_insn || ((gpa ^ fault_gpa) & ~0xfffull) == 0,
		   "MMIO access at %#llx, fault at %#llx", (unsigned long long)gpa,
		   (unsigned long long)fault_gpa);
	FUZZ_CHECK(string_insn || ((gpa + size - 1) ^ fault_gpa) >> 12 == 0,
		   "MMIO access at %#llx size %u crosses the page", (unsigned long long)gpa, size);
}

static uint64_t mmio_read(void *ctx, uint64_t gpa, unsigned size)
{
	(void)ctx;
	check_mmio(gpa, size);
	return (gpa * 0x9e3779b97f4a7c15ull) >> (64 - 8 * size);	/* any value, zero-extended */
}

static void mmio_write(void *ctx, uint64_t gpa, unsigned size, uint64_t value)
{
	(void)ctx;
	(void)value;
	check_mmio(gpa, size);
	mmio_writes++;
}

static void check_port(uint16_t port, unsigned size)
{
	FUZZ_CHECK(port == port_access.port && size == port_access.size,
		   "port %#x size %u, the exit named %#x size %u", port, size, port_access.port,
		   port_access.size);
}

static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
	(void)ctx;
	check_port(port, size);
	return 0x5a5a5a5au & (size == 4 ? ~0u : (1u << 8 * size) - 1);
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
	(void)ctx;
	(void)value;
	check_port(port, size);
}

static uint64_t pick_value(struct fuzz_in *in)
{
	uint8_t sel = fuzz_u8(in);
	switch (sel & 3) {
	case 0: return sel >> 2;
	case 1: return ((sel & 4) ? IOAPIC : LAPIC) + (fuzz_u16(in) & 0xfff);
	case 2: return fuzz_u16(in) % RAM_SIZE;
	default: return fuzz_u64(in);
	}
}

static bool is_string(uint8_t map, uint8_t opcode)
{
	return map == X86_MAP_ONEBYTE && ((opcode >= 0xa4 && opcode <= 0xa7) ||
					   (opcode >= 0xaa && opcode <= 0xaf) ||
					   (opcode >= 0x6c && opcode <= 0x6f));
}

static void setup_paging(struct fuzz_in *in, struct x86_emul_cpu *cpu)
{
	uint8_t p = fuzz_u8(in);
	struct guest_paging *pg = &cpu->paging;

	pg->cr0 = X86_CR0_PE | ((p & 0x10) ? X86_CR0_WP : 0);
	pg->cr3 = (uint64_t)(fuzz_u8(in) & 7) << 12;
	pg->maxphyaddr = (p & 0x80) ? 36 : 0;
	switch (p & 7) {
	case 0: break;					/* paging off */
	case 1: pg->cr0 |= X86_CR0_PG; break;		/* 32-bit */
	case 2: pg->cr0 |= X86_CR0_PG; pg->cr4 |= X86_CR4_PSE; break;
	case 3: pg->cr0 |= X86_CR0_PG; pg->cr4 |= X86_CR4_PAE; break;
	case 4: pg->cr0 |= X86_CR0_PG; pg->cr4 |= X86_CR4_PAE;	/* 4-level */
		pg->efer |= X86_EFER_LME | X86_EFER_LMA; break;
	case 5: pg->cr0 |= X86_CR0_PG; pg->cr4 |= X86_CR4_PAE | X86_CR4_LA57;
		pg->efer |= X86_EFER_LME | X86_EFER_LMA; break;
	default: pg->cr0 |= X86_CR0_PG; pg->cr4 |= X86_CR4_PAE;
		pg->efer |= X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE; break;
	}
	if (p & 0x20)
		pg->cr4 |= X86_CR4_SMEP;
	if (p & 0x40)
		pg->cr4 |= X86_CR4_SMAP;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum x86_mode modes[4] = { X86_MODE_64, X86_MODE_32, X86_MODE_16, X86_MODE_64 };
	struct fuzz_in in = { data, size, 0 };
	struct x86_mmio_ops mmio = { mmio_read, mmio_write, NULL };
	struct x86_port_ops io = { port_in, port_out, NULL };
	struct x86_gprs gprs, before;
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	struct x86_insn insn;
	enum x86_emul_status st;
	uint8_t code[X86_INSN_MAX_LEN];
	uint8_t head = fuzz_u8(&in), entry = head >> 4 & 3;
	uint64_t rip0, rflags0;

	fuzz_quiet_log();
	if (!ram.hva) {
		ram.hva = malloc(RAM_SIZE);
		ram.size = RAM_SIZE;
	}
	memset(ram.hva, 0, RAM_SIZE);
	memset(&cpu, 0, sizeof(cpu));
	cpu.gprs = &gprs;
	cpu.mem = &ram;
	cpu.mode = modes[head & 3];
	cpu.cpl = (head >> 2) & 3;
	cpu.rflags = (fuzz_u32(&in) | 2u) & 0x3f7fd7u;
	cpu.rip = 0x8000 | (fuzz_u16(&in) & 0xfff);
	setup_paging(&in, &cpu);
	for (unsigned s = 0; s < X86_SEG_COUNT; s++)
		cpu.seg_base[s] = (head & 0x80) ? pick_value(&in) : 0;
	for (unsigned r = 0; r < GPR_COUNT; r++)
		gprs.r[r] = pick_value(&in);
	fault_gpa = pick_value(&in);
	if (fault_gpa < RAM_SIZE)	/* nested-page faults happen outside RAM only */
		fault_gpa += LAPIC;
	port_access.port = fuzz_u16(&in);
	port_access.size = (uint8_t)(1u << (fuzz_u8(&in) % 3));
	port_access.in = head & 0x40;
	for (unsigned i = 0; i < X86_INSN_MAX_LEN; i++)
		code[i] = fuzz_u8(&in);
	memcpy(ram.hva + 0x8000 + (cpu.rip & 0xfff), code, X86_INSN_MAX_LEN);
	if (in.i < in.n)
		memcpy(ram.hva, in.p + in.i, in.n - in.i < RAM_FILL ? in.n - in.i : RAM_FILL);

	before = gprs;
	rip0 = cpu.rip;
	rflags0 = cpu.rflags;
	mmio_seen = mmio_writes = 0;
	if (entry == 0) {
		if (x86_decode(code, sizeof(code), cpu.mode, 0, &insn) != X86_DECODE_OK)
			return 0;
		string_insn = is_string(insn.map, insn.opcode);
		st = x86_emulate_mmio(&cpu, &insn, fault_gpa, &mmio, &out);
	} else if (entry == 1 || entry == 3) {
		/* Without paging or segment bases the fetch finds exactly code[]. */
		string_insn = (cpu.paging.cr0 & X86_CR0_PG) || (head & 0x80) ||
			      x86_decode(code, sizeof(code), cpu.mode, 0, &insn) != X86_DECODE_OK ||
			      is_string(insn.map, insn.opcode);
		st = x86_emulate_mmio_at_rip(&cpu, (head & 0x20) ? X86_DECODE_AMD : 0, fault_gpa,
					     &mmio, &out);
		string_insn = is_string(out.map, out.opcode);
	} else {
		string_insn = true;
		st = x86_emulate_string_io_at_rip(&cpu, (head & 0x20) ? X86_DECODE_AMD : 0,
						  &port_access, &io, &mmio, &out);
	}

	FUZZ_CHECK(st <= X86_EMUL_BAD_ACCESS && st == out.status && out.why, "status %d/%d", st,
		   out.status);
	FUZZ_CHECK(!((cpu.rflags ^ rflags0) & ~(RFLAGS_ARITH | RFLAGS_RF)) &&
		   (st == X86_EMUL_OK || !((cpu.rflags ^ rflags0) & RFLAGS_RF)),
		   "RFLAGS %#llx -> %#llx (%s)", (unsigned long long)rflags0,
		   (unsigned long long)cpu.rflags, out.why);
	FUZZ_CHECK(out.mmio_accesses == mmio_seen, "%u MMIO accesses counted, %u made",
		   out.mmio_accesses, mmio_seen);
	if (string_insn)
		return 0;
	if (st == X86_EMUL_OK) {
		uint64_t mask = cpu.mode == X86_MODE_64 ? ~0ull :
				cpu.mode == X86_MODE_32 ? 0xffffffffull : 0xffffull;
		FUZZ_CHECK(cpu.rip == ((rip0 + out.len) & mask), "RIP %#llx -> %#llx, length %u",
			   (unsigned long long)rip0, (unsigned long long)cpu.rip, out.len);
	} else {
		FUZZ_CHECK(!memcmp(&gprs, &before, sizeof(gprs)) && cpu.rip == rip0 &&
			   cpu.rflags == rflags0 && mmio_writes == 0,
			   "%s (%s) changed the guest: RIP %#llx -> %#llx, %u MMIO writes",
			   x86_emul_status_name(st), out.why, (unsigned long long)rip0,
			   (unsigned long long)cpu.rip, mmio_writes);
	}
	return 0;
}
