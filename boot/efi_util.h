/* efi_util: small helpers over GNU-EFI used only while boot services exist. */
#ifndef NESTOR_BOOT_EFI_UTIL_H
#define NESTOR_BOOT_EFI_UTIL_H

#include <efi.h>
#include <stddef.h>

/* Human-readable name of an EFI_STATUS for error messages. */
const char *efi_status_name(EFI_STATUS s);
/* Copies a UCS-2 string to ASCII; false if a character is not 7-bit or it does not fit. */
int efi_ucs2_to_ascii(const CHAR16 *in, size_t in_chars, char *out, size_t out_size);
void efi_ascii_to_ucs2(const char *in, CHAR16 *out, size_t out_chars);
/* AllocatePages of nestor's own memory type, below `max` (or anywhere when max is 0). */
EFI_STATUS efi_alloc_pages(size_t npages, EFI_PHYSICAL_ADDRESS max, EFI_PHYSICAL_ADDRESS *out);

#endif
