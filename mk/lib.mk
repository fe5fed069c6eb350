# lib/: the bottom layer every other uses (log, format, string, spinlock, page allocator,
# buses, guest memory, symbols, boot options and the boot hand-off); it includes nothing above it.
LIB_PURE := lib/page_alloc.c lib/format.c lib/log.c lib/guest_mem.c lib/io_bus.c lib/mmio_bus.c \
	lib/startup_phases.c
NESTOR_C += $(LIB_PURE) lib/string.c lib/symbols.c lib/symbols_image.c lib/options.c

UNIT_TESTS += test_format test_log test_buses test_page_alloc test_symbols test_options \
	test_startup_phases
UNIT_SRCS_test_startup_phases := lib/startup_phases.c lib/format.c
UNIT_SRCS_test_format := lib/format.c
UNIT_SRCS_test_log    := lib/format.c lib/log.c
UNIT_SRCS_test_buses  := lib/format.c lib/log.c lib/io_bus.c lib/mmio_bus.c lib/guest_mem.c
UNIT_SRCS_test_page_alloc := lib/page_alloc.c lib/format.c lib/log.c
UNIT_SRCS_test_symbols := lib/symbols.c
UNIT_SRCS_test_options := lib/options.c lib/format.c lib/log.c
