# The interrupt stress guest (tests/guests/stress.c + tests/guests/stress/): every source at
# once on 2 CPUs, each interrupt counted (docs/reliability.md, "Stress").
#   make stress [STRESS_EVENTS=N] [STRESS_SEED=S]   the long run under nestor on QEMU/SVM
# make check runs a bounded version in every guest tier (GUESTS in tests/integration/guestlib.py).

STRESS_OBJS := $(addprefix $(GUEST_OUT)/obj/tests/guests/stress/,channel.o rng.o senders.o \
	timer.o handlers.o epoch.o check.o summary.o)
$(GUEST_OUT)/stress.elf64: $(STRESS_OBJS)
-include $(GUEST_OUT)/obj/tests/guests/stress/*.d

STRESS_EVENTS  ?= 1000000
STRESS_SEED    ?= 0x57e55
STRESS_TIMEOUT ?= 1800

.PHONY: stress
stress: $(BUILD)/nestor.efi $(GUEST_OUT)/stress.elf | deps
	$(PYTHON) tools/stress-run --events $(STRESS_EVENTS) --seed $(STRESS_SEED) \
	  --timeout $(STRESS_TIMEOUT) $(STRESS_ARGS)
