# decode: x86 instruction decoder, MMIO instruction emulation, guest page walker.
DECODE_PURE := arch/x86/decode/cursor.c arch/x86/decode/prefixes.c arch/x86/decode/modrm.c \
  arch/x86/decode/vex.c arch/x86/decode/decode.c arch/x86/decode/map_onebyte.c \
  arch/x86/decode/refine_onebyte.c arch/x86/decode/map_x87.c arch/x86/decode/map_0f.c \
  arch/x86/decode/refine_0f.c arch/x86/decode/map_three_byte.c arch/x86/decode/map_vex.c
NESTOR_C += $(DECODE_PURE)
