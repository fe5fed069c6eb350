/* string: the C library's memory and string primitives for the freestanding image. */
#include "lib/string.h"

#include <stdint.h>

/*
 * The bulk as REP STOSQ: one instruction the CPU (or an emulator's helper) runs at memory
 * speed, where a byte loop costs an instruction or more per byte; zeroing 512 MiB of guest
 * RAM took 7 s under QEMU's TCG as a byte loop.
 */
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
	size_t quads = n / 8;
	__asm__ volatile("rep stosq" : "+D"(d), "+c"(quads) : "a"(pattern) : "memory");
	for (n &= 7; n; n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* A quad at any address: x86 loads and stores need no alignment (SDM Vol. 1, 4.1.1). */
typedef uint64_t __attribute__((aligned(1), may_alias)) unaligned_u64;

/*
 * 64 bytes per step as eight quads, then bytes: loading a payload copies tens of MiB into
 * guest RAM (a Linux vmlinux: 57 MiB), which took a byte loop ~0.3 s under QEMU's TCG
 * (docs/performance.md).
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	for (; n >= 64; n -= 64, d += 64, s += 64) {
		unaligned_u64 *dq = (unaligned_u64 *)d;
		const unaligned_u64 *sq = (const unaligned_u64 *)s;
		uint64_t a = sq[0], b = sq[1], c = sq[2], e = sq[3];
		uint64_t f = sq[4], g = sq[5], h = sq[6], i = sq[7];
		dq[0] = a, dq[1] = b, dq[2] = c, dq[3] = e;
		dq[4] = f, dq[5] = g, dq[6] = h, dq[7] = i;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d < (uintptr_t)s) {
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
