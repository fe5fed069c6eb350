/* loader_status: names for loader outcomes and payload kinds, for logs and reports. */
#include "devices/loaders/loader.h"

static const char *const status_names[LOADER_STATUS_COUNT] = {
	[LOADER_OK] = "ok",
	[LOADER_ERR_NO_KERNEL] = "no kernel file",
	[LOADER_ERR_UNKNOWN_FORMAT] = "unknown payload format",
	[LOADER_ERR_MEMORY] = "unsupported guest RAM size",
	[LOADER_ERR_FIRMWARE] = "firmware tables not written",
	[LOADER_ERR_ELF_HEADER] = "bad ELF header",
	[LOADER_ERR_ELF_TRUNCATED] = "truncated ELF",
	[LOADER_ERR_ELF_MACHINE] = "wrong ELF class or machine",
	[LOADER_ERR_SEGMENT_FILE] = "segment outside the file",
	[LOADER_ERR_SEGMENT_RAM] = "payload outside guest RAM",
	[LOADER_ERR_SEGMENT_OVERLAP] = "payload over nestor's tables",
	[LOADER_ERR_NO_SEGMENTS] = "nothing to load",
	[LOADER_ERR_ENTRY] = "entry point outside the image",
	[LOADER_ERR_PVH_NOTE] = "bad PVH note",
	[LOADER_ERR_MULTIBOOT_HEADER] = "bad multiboot header",
	[LOADER_ERR_BZIMAGE_HEADER] = "unsupported bzImage",
	[LOADER_ERR_INITRD_TOO_LARGE] = "initrd too large",
	[LOADER_ERR_CMDLINE_TOO_LONG] = "command line too long",
};

const char *loader_status_name(enum loader_status s)
{
	if ((unsigned)s >= LOADER_STATUS_COUNT)
		return "invalid status";
	return status_names[s];
}

const char *payload_kind_name(enum payload_kind k)
{
	switch (k) {
	case PAYLOAD_PVH:
		return "Linux PVH";
	case PAYLOAD_MULTIBOOT:
		return "multiboot";
	case PAYLOAD_BZIMAGE:
		return "bzImage";
	default:
		return "none";
	}
}
