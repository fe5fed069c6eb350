/* efi_files: reading whole files from the volume nestor was loaded from. */
#include "boot/efi_files.h"

#include <efilib.h>

#include "boot/efi_util.h"
#include "lib/log.h"

EFI_FILE_HANDLE efi_boot_volume(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS s = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					 (void **)&li);
	if (EFI_ERROR(s)) {
		log_error("boot: no loaded-image protocol: %s", efi_status_name(s));
		return NULL;
	}
	EFI_FILE_HANDLE root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		log_warn("boot: the boot device has no file system (no \\nestor.cfg, no payloads)");
	return root;
}

EFI_STATUS efi_read_file(EFI_FILE_HANDLE root, const char *path, uint8_t **data, size_t *size)
{
	CHAR16 wpath[256];
	EFI_FILE_HANDLE f;

	efi_ascii_to_ucs2(path, wpath, sizeof(wpath) / sizeof(wpath[0]));
	EFI_STATUS s = uefi_call_wrapper(root->Open, 5, root, &f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s))
		return s;

	EFI_FILE_INFO *info = LibFileInfo(f);
	if (!info) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_DEVICE_ERROR;
	}
	UINTN len = info->FileSize;
	FreePool(info);

	EFI_PHYSICAL_ADDRESS pa;
	/* Below 4 GiB: loaders copy from here into guest RAM with 32-bit-safe addresses. */
	s = efi_alloc_pages((len + 4095) / 4096 + 1, 0xffffffffull, &pa);
	if (EFI_ERROR(s)) {
		uefi_call_wrapper(f->Close, 1, f);
		return s;
	}
	UINTN got = len;
	s = uefi_call_wrapper(f->Read, 3, f, &got, (void *)pa);
	uefi_call_wrapper(f->Close, 1, f);
	if (EFI_ERROR(s))
		return s;
	if (got != len)
		return EFI_DEVICE_ERROR;
	((uint8_t *)pa)[len] = 0;	/* text files can be parsed as C strings */
	*data = (uint8_t *)pa;
	*size = len;
	return EFI_SUCCESS;
}
