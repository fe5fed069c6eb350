# decode: x86 instruction decoder, MMIO instruction emulation, guest page walker.
DECODE_PURE := arch/x86/decode/cursor.c arch/x86/decode/prefixes.c arch/x86/decode/modrm.c \
  arch/x86/decode/vex.c arch/x86/decode/decode.c arch/x86/decode/map_onebyte.c \
  arch/x86/decode/refine_onebyte.c arch/x86/decode/map_x87.c arch/x86/decode/map_0f.c \
  arch/x86/decode/refine_0f.c arch/x86/decode/map_three_byte.c arch/x86/decode/map_vex.c
EMUL_PURE := arch/x86/decode/mmio_emul.c arch/x86/decode/emul_regs.c arch/x86/decode/emul_addr.c \
  arch/x86/decode/emul_flags.c arch/x86/decode/emul_alu.c arch/x86/decode/emul_move.c \
  arch/x86/decode/emul_bits.c arch/x86/decode/emul_string.c arch/x86/decode/fetch_decode.c \
  arch/x86/decode/emul_string_operand.c arch/x86/decode/emul_string_io.c
WALK_PURE := arch/x86/guest_walk.c arch/x86/guest_walk_32bit.c arch/x86/guest_walk_rights.c \
  arch/x86/guest_walk_fetch.c
NESTOR_C += $(DECODE_PURE) $(WALK_PURE) $(EMUL_PURE)

UNIT_TESTS += test_decode
UNIT_SRCS_test_decode := $(DECODE_PURE)

UNIT_TESTS += test_mmio_emul
UNIT_SRCS_test_mmio_emul := $(EMUL_PURE) $(DECODE_PURE) $(WALK_PURE) lib/guest_mem.c

# Flags compared with the host CPU executing the same opcodes (x86-64 hosts only).
UNIT_TESTS += test_mmio_emul_flags
UNIT_SRCS_test_mmio_emul_flags := $(EMUL_PURE) $(DECODE_PURE) $(WALK_PURE) lib/guest_mem.c

UNIT_TESTS += test_guest_walk
UNIT_SRCS_test_guest_walk := $(WALK_PURE) $(DECODE_PURE) lib/guest_mem.c

# Differential testing against Capstone (host only).
DECODE_DIFF_SRCS := tests/unit/decode/diff.c tests/unit/decode/diff_nestor.c \
  tests/unit/decode/corpus.c tests/unit/decode/allowlist.c

UNIT_TESTS += test_decode_capstone
UNIT_SRCS_test_decode_capstone := $(DECODE_PURE) $(DECODE_DIFF_SRCS)
UNIT_LIBS_test_decode_capstone := -lcapstone

# `make decode-diff`: the large corpus. Zydis (libzydis-dev) joins as a second referee
# when its header is installed. Extra ELF files: DECODE_DIFF_FILES="a.out lib.so".
DECODE_DIFF_RANDOM ?= 3000000
DECODE_DIFF_TOOLS  ?= qemu-system-x86_64 bochs-bin gcc nasm ld.lld
DECODE_DIFF_FILES  ?= $(shell for t in $(DECODE_DIFF_TOOLS); do command -v $$t; done) \
  $(shell $(HOSTCC) -m32 -print-file-name=libc.so.6 2>/dev/null | grep /)
DECODE_DIFF_ZYDIS  := $(shell echo '\#include <Zydis/Zydis.h>' | $(HOSTCC) -E -x c - >/dev/null 2>&1 && echo yes)

$(BUILD)/decode/decode_diff: tests/unit/decode/decode_diff.c $(DECODE_DIFF_SRCS) $(DECODE_PURE) | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -O2 $(if $(DECODE_DIFF_ZYDIS),-DDIFF_WITH_ZYDIS) -o $@ \
	  tests/unit/decode/decode_diff.c $(DECODE_DIFF_SRCS) $(DECODE_PURE) \
	  -lcapstone $(if $(DECODE_DIFF_ZYDIS),-lZydis)

.PHONY: decode-diff
decode-diff: $(BUILD)/decode/decode_diff
	$< $(if $(DECODE_DIFF_ZYDIS),--zydis) --random=$(DECODE_DIFF_RANDOM) $(DECODE_DIFF_FILES)
	$< --amd $(if $(DECODE_DIFF_ZYDIS),--zydis) --random=$(DECODE_DIFF_RANDOM) $(DECODE_DIFF_FILES)

UNIT_TESTS += test_port_emul
UNIT_SRCS_test_port_emul := $(EMUL_PURE) $(DECODE_PURE) $(WALK_PURE) lib/guest_mem.c
