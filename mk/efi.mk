# The freestanding nestor image: every NESTOR_C / NESTOR_ASM source, linked by lld.
NESTOR_OBJS = $(NESTOR_C:%.c=$(BUILD)/obj/%.o) $(NESTOR_ASM:%.asm=$(BUILD)/obj/%.o)

$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(NESTOR_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

-include $(NESTOR_OBJS:.o=.d)

# Compiles every nestor source freestanding without linking: proves a file builds
# for the image (no libc, no SSE) before the image itself uses it.
.PHONY: objs
objs: $(NESTOR_OBJS)
