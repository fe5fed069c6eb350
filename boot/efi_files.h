/* efi_files: reading whole files from the volume nestor was loaded from. */
#ifndef NESTOR_BOOT_EFI_FILES_H
#define NESTOR_BOOT_EFI_FILES_H

#include <efi.h>
#include <stddef.h>
#include <stdint.h>

/* Opens the root directory of the boot volume; NULL (logged) when there is none. */
EFI_FILE_HANDLE efi_boot_volume(EFI_HANDLE image);
/*
 * Reads `path` (ASCII, '/' or '\\') into freshly allocated pages. EFI_NOT_FOUND is
 * returned quietly so the caller can treat a missing optional file as absent.
 */
EFI_STATUS efi_read_file(EFI_FILE_HANDLE root, const char *path, uint8_t **data, size_t *size);

#endif
