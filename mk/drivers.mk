# drivers/: nestor's own hardware: console, local APIC, TSC, host ACPI, ending the run.
NESTOR_C += drivers/uart16550.c drivers/console.c drivers/lapic.c drivers/tsc.c \
	drivers/host_acpi.c drivers/run_end.c

UNIT_TESTS += test_host_acpi
UNIT_SRCS_test_host_acpi := drivers/host_acpi.c lib/format.c lib/log.c
UNIT_CFLAGS_test_host_acpi := -no-pie -fno-pie
