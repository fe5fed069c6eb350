# core/: pieces shared by every layer (formatting, logging, buses, guest memory).
CORE_PURE := core/page_alloc.c core/format.c core/log.c core/guest_mem.c core/io_bus.c core/mmio_bus.c
NESTOR_C  += $(CORE_PURE) core/string.c

UNIT_TESTS += test_format test_log test_buses
UNIT_SRCS_test_format := core/format.c
UNIT_SRCS_test_log    := core/format.c core/log.c
UNIT_SRCS_test_buses  := core/format.c core/log.c core/io_bus.c core/mmio_bus.c core/guest_mem.c
NESTOR_C += drivers/uart16550.c drivers/console.c drivers/lapic.c drivers/tsc.c
UNIT_TESTS += test_page_alloc
UNIT_SRCS_test_page_alloc := core/page_alloc.c core/format.c core/log.c
NESTOR_C += core/banner.c core/run_end.c core/panic.c core/main.c core/debug_fault.c \
	core/symbols.c core/symbols_image.c drivers/host_acpi.c
UNIT_TESTS += test_host_acpi test_symbols
UNIT_SRCS_test_host_acpi := drivers/host_acpi.c core/format.c core/log.c
UNIT_CFLAGS_test_host_acpi := -no-pie -fno-pie
UNIT_SRCS_test_symbols := core/symbols.c
NESTOR_C += core/vm.c core/vm_io.c core/vm_build.c core/vcpu_report.c core/vcpu_cpuid.c \
	core/vcpu_msr.c core/vcpu_mmio.c core/vcpu_port.c core/vcpu_entry.c core/payload.c

UNIT_TESTS += test_vcpu_cpuid
UNIT_SRCS_test_vcpu_cpuid := core/vcpu_cpuid.c
