/* guest_mem: a VM's RAM as seen from nestor, with every guest address range-checked. */
#include "lib/guest_mem.h"

#include "lib/string.h"

void *guest_mem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	if (m->translate) {
		uint64_t ram;
		if (len == 0 || len > 4096 || ((gpa ^ (gpa + len - 1)) & ~0xfffull) ||
		    !m->translate(m, gpa, &ram))
			return NULL;
		gpa = ram;
	}
	if (len > m->size || gpa > m->size - len)
		return NULL;
	return m->hva + gpa;
}

bool guest_mem_read(const struct guest_mem *m, uint64_t gpa, void *dst, uint64_t len)
{
	void *p = guest_mem_ptr(m, gpa, len);
	if (!p)
		return false;
	memcpy(dst, p, len);
	return true;
}

bool guest_mem_write(const struct guest_mem *m, uint64_t gpa, const void *src, uint64_t len)
{
	void *p = guest_mem_ptr(m, gpa, len);
	if (!p)
		return false;
	memcpy(p, src, len);
	return true;
}

bool guest_mem_fill(const struct guest_mem *m, uint64_t gpa, uint8_t byte, uint64_t len)
{
	void *p = guest_mem_ptr(m, gpa, len);
	if (!p)
		return false;
	memset(p, byte, len);
	return true;
}
