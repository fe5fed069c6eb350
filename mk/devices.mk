# devices/: the guest-visible platform (port-I/O device models) and its host tests.
DEVICES_HELPERS := devices/clock_ticks.c devices/io_split.c devices/line_buffer.c
DEVICES_PURE    := $(DEVICES_HELPERS)
NESTOR_C        += $(DEVICES_PURE)

UNIT_TESTS += test_dev_helpers
UNIT_SRCS_test_dev_helpers := $(DEVICES_HELPERS)
