# devices/: the guest-visible platform (port-I/O device models) and its host tests.
DEVICES_HELPERS := devices/clock_ticks.c devices/io_split.c devices/line_buffer.c devices/dev_log.c \
		   devices/dev_irq.c
DEVICES_UART    := devices/uart16550.c devices/uart16550_intr.c devices/uart16550_rx.c
DEVICES_FW_CFG  := devices/fw_cfg.c devices/fw_cfg_items.c
DEVICES_EXIT    := devices/debug_exit.c
DEVICES_PIT     := devices/pit8254.c devices/pit8254_latch.c devices/pit8254_counter.c \
		   devices/pit8254_time.c devices/port61.c
DEVICES_RTC     := devices/rtc_cmos.c devices/rtc_clock.c devices/rtc_events.c \
		   devices/rtc_calendar.c devices/cmos_layout.c
DEVICES_RESET   := devices/reset_control.c
DEVICES_PCI     := devices/pci_host.c devices/pci_host_bridge.c
DEVICES_LEGACY  := devices/i8042.c devices/post_port.c
DEVICES_ACPI    := devices/acpi_pm.c devices/acpi_pm_timer.c
DEVICES_TESTDEV := devices/pc_testdev.c
DEVICES_PLATFORM := devices/platform.c devices/platform_stats.c
DEVICES_MODELS  := $(DEVICES_UART) $(DEVICES_FW_CFG) $(DEVICES_EXIT) $(DEVICES_PIT) \
		   $(DEVICES_RTC) $(DEVICES_RESET) $(DEVICES_PCI) $(DEVICES_LEGACY) \
		   $(DEVICES_ACPI) $(DEVICES_TESTDEV)
NESTOR_C        += $(DEVICES_HELPERS) $(DEVICES_MODELS) $(DEVICES_PLATFORM)

# What every device test links besides the device itself: logging and the helpers.
DEVICES_TEST_BASE := lib/format.c lib/log.c $(DEVICES_HELPERS)

UNIT_TESTS += test_dev_helpers test_dev_uart test_dev_fw_cfg test_dev_debug_exit \
	      test_dev_pit test_dev_rtc test_dev_pci test_dev_legacy test_dev_acpi_pm \
	      test_dev_testdev test_dev_platform
UNIT_SRCS_test_dev_helpers    := $(DEVICES_TEST_BASE)
UNIT_SRCS_test_dev_uart       := $(DEVICES_TEST_BASE) $(DEVICES_UART)
UNIT_SRCS_test_dev_fw_cfg     := $(DEVICES_TEST_BASE) $(DEVICES_FW_CFG)
UNIT_SRCS_test_dev_debug_exit := $(DEVICES_TEST_BASE) $(DEVICES_EXIT)
UNIT_SRCS_test_dev_pit        := $(DEVICES_TEST_BASE) $(DEVICES_PIT)
UNIT_SRCS_test_dev_rtc        := $(DEVICES_TEST_BASE) $(DEVICES_RTC)
UNIT_SRCS_test_dev_pci        := $(DEVICES_TEST_BASE) $(DEVICES_PCI) $(DEVICES_RESET)
UNIT_SRCS_test_dev_legacy     := $(DEVICES_TEST_BASE) $(DEVICES_LEGACY) $(DEVICES_RESET)
UNIT_SRCS_test_dev_acpi_pm    := $(DEVICES_TEST_BASE) $(DEVICES_ACPI)
UNIT_SRCS_test_dev_testdev    := $(DEVICES_TEST_BASE) $(DEVICES_TESTDEV)
UNIT_SRCS_test_dev_platform   := $(DEVICES_TEST_BASE) $(DEVICES_MODELS) $(DEVICES_PLATFORM) \
				 lib/io_bus.c
