# Toolchain and flags for the freestanding nestor image.
CC       := gcc
NASM     := nasm
LD       := ld.lld
OBJCOPY  := objcopy

EFI_INC  := /usr/include/efi
EFI_LIB  := /usr/lib
EFI_LDS  := $(EFI_LIB)/elf_x86_64_efi.lds
EFI_CRT0 := $(EFI_LIB)/crt0-efi-x86_64.o

# -mno-red-zone: interrupts and exceptions push onto the current stack in ring 0.
# -mgeneral-regs-only: nestor never touches SSE/AVX state, so guest FPU state is never
#  clobbered by host code. -fno-omit-frame-pointer: panic() walks RBP for the backtrace, and
#  -fno-optimize-sibling-calls keeps tail-calling functions in it.
NESTOR_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -fpic -fshort-wchar \
  -mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
  -fno-optimize-sibling-calls \
  -fno-strict-aliasing -fno-asynchronous-unwind-tables -fno-ident \
  -ffile-prefix-map=$(CURDIR)=. \
  -Wall -Wextra -Werror -Wno-unused-parameter -Wundef -Wstrict-prototypes \
  -I. -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -DEFI_FUNCTION_WRAPPER -MMD -MP
NASMFLAGS := -f elf64 -g -F dwarf

# V=1 shows full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif
