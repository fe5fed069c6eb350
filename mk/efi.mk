# The freestanding nestor image: every NESTOR_C / NESTOR_ASM source, linked by lld.
NESTOR_OBJS = $(NESTOR_C:%.c=$(BUILD)/obj/%.o) $(NESTOR_ASM:%.asm=$(BUILD)/obj/%.o)

$(BUILD)/obj/%.o: %.c mk/config.mk | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(NESTOR_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm mk/config.mk | deps
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

-include $(NESTOR_OBJS:.o=.d)

# Compiles every nestor source freestanding without linking: proves a file builds
# for the image (no libc, no SSE) before the image itself uses it.
.PHONY: objs
objs: $(NESTOR_OBJS)

# Two links. The first uses an empty symbol table and exists only to learn where every
# function lands; tools/gen-symtab turns that into build/gen/symtab.c, and the second
# link uses it. The table is data placed after .text, so no function moves between the
# links; gen-symtab --same checks that instead of assuming it.
# --apply-dynamic-relocs: GNU-EFI's _relocate adds the load base to the value stored in
# place and ignores r_addend (lib/x86_64/reloc.c); lld leaves 0 there unless asked.
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic --build-id=none --apply-dynamic-relocs \
  -T $(EFI_LDS)
EFI_LIBS := -L$(EFI_LIB) -lefi -lgnuefi

$(BUILD)/nestor.pass1.so: $(NESTOR_OBJS) $(BUILD)/obj/lib/symtab_empty.o mk/efi.mk
	@echo "  LD      $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(NESTOR_OBJS) $(BUILD)/obj/lib/symtab_empty.o $(EFI_LIBS) -o $@

$(BUILD)/gen/nestor.pass1.nm: $(BUILD)/nestor.pass1.so
	@mkdir -p $(@D)
	$(Q)nm -n $< > $@

$(BUILD)/gen/symtab.c: $(BUILD)/gen/nestor.pass1.nm tools/gen-symtab
	@echo "  GEN     $@"
	$(Q)$(PYTHON) tools/gen-symtab $< $@

$(BUILD)/obj/gen/symtab.o: $(BUILD)/gen/symtab.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(NESTOR_CFLAGS) -c $< -o $@

$(BUILD)/nestor.so: $(NESTOR_OBJS) $(BUILD)/obj/gen/symtab.o $(BUILD)/gen/nestor.pass1.nm mk/efi.mk
	@echo "  LD      $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(NESTOR_OBJS) $(BUILD)/obj/gen/symtab.o $(EFI_LIBS) -o $@
	$(Q)nm -n $@ > $(BUILD)/gen/nestor.nm
	$(Q)$(PYTHON) tools/gen-symtab --same $(BUILD)/gen/nestor.pass1.nm $(BUILD)/gen/nestor.nm

# PE32+ EFI application (subsystem 10). Only the sections the loader needs are copied.
$(BUILD)/nestor.efi: $(BUILD)/nestor.so
	@echo "  EFI     $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	  -j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"
