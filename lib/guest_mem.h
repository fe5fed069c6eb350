/* guest_mem: a VM's RAM as seen from nestor, with every guest address range-checked. */
#ifndef NESTOR_LIB_GUEST_MEM_H
#define NESTOR_LIB_GUEST_MEM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A VM's RAM is one contiguous block of host memory: guest-physical [0, size) is backed
 * by hva[0, size). Anything outside it is not RAM (it is MMIO, or nothing). Every access
 * nestor makes on a guest's behalf goes through these helpers, so a wild guest address
 * is refused here rather than dereferenced.
 */
struct guest_mem {
	uint8_t *hva;
	uint64_t size;
	/*
	 * Optional: another guest-physical space in front of this RAM, e.g. a nested guest's,
	 * which L1's nested page tables map onto L1's RAM. translate() gives the RAM address
	 * of one guest-physical address, or false; an access through such a view must stay in
	 * one 4-KiB page. NULL for a VM's own RAM.
	 */
	bool (*translate)(const struct guest_mem *m, uint64_t gpa, uint64_t *ram_gpa);
	void *ctx;
};

void *guest_mem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len);

/* True iff [gpa, gpa+len) lies inside guest RAM (overflow-safe). */
static inline bool guest_mem_contains(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	if (m->translate)
		return guest_mem_ptr(m, gpa, len) != 0;
	return len <= m->size && gpa <= m->size - len;
}

/* Host pointer for [gpa, gpa+len), or NULL when any byte of it is outside guest RAM. */
bool guest_mem_read(const struct guest_mem *m, uint64_t gpa, void *dst, uint64_t len);
bool guest_mem_write(const struct guest_mem *m, uint64_t gpa, const void *src, uint64_t len);
bool guest_mem_fill(const struct guest_mem *m, uint64_t gpa, uint8_t byte, uint64_t len);

#endif
