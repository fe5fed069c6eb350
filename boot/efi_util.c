/* efi_util: small helpers over GNU-EFI used only while boot services exist. */
#include "boot/efi_util.h"

#include <efilib.h>

const char *efi_status_name(EFI_STATUS s)
{
	switch (s) {
	case EFI_SUCCESS: return "success";
	case EFI_LOAD_ERROR: return "load error";
	case EFI_INVALID_PARAMETER: return "invalid parameter";
	case EFI_UNSUPPORTED: return "unsupported";
	case EFI_BUFFER_TOO_SMALL: return "buffer too small";
	case EFI_NOT_READY: return "not ready";
	case EFI_DEVICE_ERROR: return "device error";
	case EFI_OUT_OF_RESOURCES: return "out of resources";
	case EFI_VOLUME_CORRUPTED: return "volume corrupted";
	case EFI_NOT_FOUND: return "not found";
	case EFI_ACCESS_DENIED: return "access denied";
	default: return "other error";
	}
}

int efi_ucs2_to_ascii(const CHAR16 *in, size_t in_chars, char *out, size_t out_size)
{
	size_t n = 0;
	for (size_t i = 0; i < in_chars && in[i]; i++) {
		if (in[i] > 0x7e || n + 1 >= out_size)
			return 0;
		out[n++] = (char)in[i];
	}
	out[n] = 0;
	return 1;
}

void efi_ascii_to_ucs2(const char *in, CHAR16 *out, size_t out_chars)
{
	size_t i = 0;
	for (; in[i] && i + 1 < out_chars; i++)
		out[i] = (CHAR16)(in[i] == '/' ? '\\' : in[i]);
	out[i] = 0;
}

EFI_STATUS efi_alloc_pages(size_t npages, EFI_PHYSICAL_ADDRESS max, EFI_PHYSICAL_ADDRESS *out)
{
	*out = max ? max : 0;
	/* EfiLoaderData: the firmware leaves it alone after ExitBootServices. */
	return uefi_call_wrapper(BS->AllocatePages, 4, max ? AllocateMaxAddress : AllocateAnyPages,
				 EfiLoaderData, npages, out);
}
