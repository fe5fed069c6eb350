/* payload: the guest's firmware tables and its payload, from the files nestor read at boot. */
#include "core/vm_build.h"
#include "devices/loaders/loader.h"
#include "lib/boot_info.h"
#include "lib/log.h"
#include "vm/vm.h"

bool payload_load(struct vm *vm, const struct boot_info *bi, struct guest_entry *entry)
{
	struct acpi_platform platform;
	acpi_platform_defaults(&platform, vm->nvcpus);
	if (vm->pm_timer_port) {
		platform.pm_tmr_port = vm->pm_timer_port;
		platform.pm_tmr_32bit = vm->pm_timer_32bit;
	}
	struct loader_result r;
	enum loader_status st = loader_load(&vm->mem, bi->files, bi->nfiles, bi->options.append,
					    &platform, &r);
	if (st != LOADER_OK) {
		log_error("payload: %s: %s", bi->options.kernel, loader_status_name(st));
		return false;
	}
	log_info("payload: %s as %s at [%#llx, %#llx), entry %#llx (%s mode)%s",
		 bi->options.kernel, payload_kind_name(r.kind), (unsigned long long)r.image_start,
		 (unsigned long long)r.image_end, (unsigned long long)r.entry.rip,
		 r.entry.long_mode ? "64-bit" : "32-bit protected",
		 r.initrd_size ? ", with initrd" : "");
	*entry = r.entry;
	return true;
}
