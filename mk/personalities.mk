# docs/personalities.md: its tables, printed by tools/gen-personalities from the personality
# and MSR tables themselves. `make personalities-doc` rewrites them; the integration tier
# (test_personalities_doc.py, part of `make check`) fails when the committed doc is stale.
GEN_PERSONALITIES := $(BUILD)/tools/gen-personalities
GEN_PERSONALITIES_SRCS := tools/gen-personalities.c vm/personality.c vm/msr_table.c

$(GEN_PERSONALITIES): $(GEN_PERSONALITIES_SRCS) | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(GEN_PERSONALITIES_SRCS)
-include $(BUILD)/tools/gen-personalities.d

.PHONY: personalities-doc
personalities-doc: $(GEN_PERSONALITIES)
	./tools/personalities-doc $(GEN_PERSONALITIES) docs/personalities.md

CHECK_PREREQS += $(GEN_PERSONALITIES)
