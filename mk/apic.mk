# apic/: the interrupt-virtualization core (vLAPIC, vIOAPIC, vPIC, arbitration, inhibits).
APIC_PURE := $(sort $(wildcard apic/*.c))
NESTOR_C  += $(APIC_PURE)

# Every apic test compiles the whole core plus what it logs through.
APIC_TEST_SRCS := $(APIC_PURE) core/format.c core/log.c
