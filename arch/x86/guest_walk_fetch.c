/* guest_walk_fetch: the instruction bytes at CS:RIP, page by page. */
#include "arch/x86/guest_walk.h"

#include "lib/string.h"

/*
 * Outside 64-bit mode the instruction pointer wraps at the code-segment size and
 * linear addresses at 4 GiB; in 64-bit mode CS's base is 0 (SDM Vol. 3, 3.4.4).
 */
static uint64_t fetch_linear(enum x86_mode mode, uint64_t cs_base, uint64_t rip, unsigned i)
{
	switch (mode) {
	case X86_MODE_64:
		return rip + i;
	case X86_MODE_32:
		return (cs_base + (uint32_t)(rip + i)) & 0xffffffffull;
	default:
		return (cs_base + (uint16_t)(rip + i)) & 0xffffffffull;
	}
}

enum guest_walk_status guest_fetch_insn(const struct guest_mem *mem, const struct guest_paging *pg,
					enum x86_mode mode, uint64_t cs_base, uint64_t rip,
					unsigned cpl, struct guest_fetch *out)
{
	unsigned access = GUEST_ACCESS_FETCH | (cpl == 3 ? GUEST_ACCESS_USER : 0);

	memset(out, 0, sizeof(*out));
	while (out->len < X86_INSN_MAX_LEN) {
		uint64_t linear = fetch_linear(mode, cs_base, rip, out->len);
		struct guest_walk_result walk;
		enum guest_walk_status st = guest_walk(mem, pg, linear, access, &walk);
		unsigned chunk = 0;

		if (st == GUEST_WALK_OK && !guest_mem_contains(mem, walk.gpa, 1))
			st = GUEST_WALK_NOT_RAM;
		if (st != GUEST_WALK_OK) {
			out->fault_linear = linear;
			out->fault = walk;
			return st;
		}
		/* Copy while the bytes stay on this page and the instruction pointer does not wrap. */
		uint64_t page_left = 4096 - (linear & 0xfff);
		while (out->len + chunk < X86_INSN_MAX_LEN && chunk < page_left &&
		       fetch_linear(mode, cs_base, rip, out->len + chunk) == linear + chunk)
			chunk++;
		if (!guest_mem_contains(mem, walk.gpa, chunk)) /* RAM ends inside this page */
			chunk = (unsigned)(mem->size - walk.gpa);
		guest_mem_read(mem, walk.gpa, out->bytes + out->len, chunk);
		out->len += chunk;
	}
	return GUEST_WALK_OK;
}
