/* string: the C library's memory and string primitives, provided by core/string.c in nestor. */
#ifndef NESTOR_LIB_STRING_H
#define NESTOR_LIB_STRING_H

#include <stddef.h>

/*
 * Standard signatures on purpose: GCC emits calls to memcpy/memset even in freestanding
 * code, and host unit tests resolve these names to the C library instead of
 * core/string.c (which they never link).
 */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
