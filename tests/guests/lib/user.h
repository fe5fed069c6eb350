/* user: running a piece of test code at CPL 3 and coming back. */
#ifndef GUEST_USER_H
#define GUEST_USER_H

/* The vector user code raises to return to user_run()'s caller (a DPL-3 gate). */
#define USER_RETURN_VECTOR 0x80

#ifndef __ASSEMBLER__
#include <stdint.h>

#define RFLAGS_IOPL3 (3ull << 12)

/*
 * Runs fn at CPL 3 on a stack of its own, with RFLAGS = rflags (bit 1 forced; pass
 * RFLAGS_IOPL3 to allow port I/O), until it returns; then back at CPL 0 with interrupts
 * disabled. The BSP only. Every page is user-accessible (boot.S), so fn may touch
 * anything the kernel can, except privileged instructions.
 */
void user_run(void (*fn)(void), uint64_t rflags);

#endif
#endif
