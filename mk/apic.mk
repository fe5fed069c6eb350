# apic/: the interrupt-virtualization core (vLAPIC, vIOAPIC, vPIC, arbitration, inhibits).
APIC_PURE := $(sort $(wildcard apic/*.c))
NESTOR_C  += $(APIC_PURE)

# Every apic test compiles the whole core plus what it logs through.
APIC_TEST_SRCS := $(APIC_PURE) lib/format.c lib/log.c

# One scenario test per seed document, named after it.
APIC_SEED_TESTS := test_seed_000_25d95b5c761a3f83 test_seed_001_42c9484579bcd42d \
	test_seed_002_de1cbf97973f35a6 test_seed_003_aac2c8559ed01284
APIC_UNIT_TESTS := $(APIC_SEED_TESTS) test_vlapic_regs test_vlapic_ipi test_vioapic test_vpic test_apic_arbiter test_apic_random \
	test_apic_threads

UNIT_TESTS += $(APIC_UNIT_TESTS)
$(foreach t,$(APIC_UNIT_TESTS),$(eval UNIT_SRCS_$(t) := $(APIC_TEST_SRCS)))
UNIT_LIBS_test_apic_threads := -lpthread

# `make seed-regressions`: each seed test is rebuilt with APIC_SEEDnnn_OLD_BEHAVIOUR, which
# puts the seed's old logic back into its named function, and must FAIL there.
define apic_seed_old_rule
$(BUILD)/seed-old/$(1): tests/unit/$(1).c $(APIC_TEST_SRCS) | deps
	@mkdir -p $$(@D)
	$(HOSTCC) $$(UNIT_CFLAGS) -DAPIC_SEED$(2)_OLD_BEHAVIOUR -o $$@ tests/unit/$(1).c $(APIC_TEST_SRCS) -lcmocka
endef
$(foreach t,$(APIC_SEED_TESTS),$(eval $(call apic_seed_old_rule,$(t),$(word 3,$(subst _, ,$(t))))))

.PHONY: seed-regressions
seed-regressions: $(APIC_SEED_TESTS:%=$(BUILD)/seed-old/%)
	@status=0; for t in $(APIC_SEED_TESTS); do \
	  if $(BUILD)/seed-old/$$t >$(BUILD)/seed-old/$$t.log 2>&1; then \
	    echo "seed-regressions: $$t PASSED against the old logic"; status=1; \
	  else \
	    echo "seed-regressions: $$t fails against the old logic, as it must:"; \
	    grep -E '^\[  ERROR|^\[   LINE' $(BUILD)/seed-old/$$t.log | sed 's/^/    /'; \
	  fi; \
	done; exit $$status

# `make coverage`: line coverage of apic/ (gcov through gcovr) over all apic tests.
APIC_COV_DIR := $(BUILD)/coverage/apic
define apic_cov_rule
$(APIC_COV_DIR)/$(1): tests/unit/$(1).c $(APIC_TEST_SRCS) | deps
	@mkdir -p $$(@D)
	@echo "CC (coverage) $(1)"
	@cd $$(@D) && $(HOSTCC) $$(UNIT_CFLAGS) -O0 --coverage -fprofile-update=atomic -I$(CURDIR) -o $(1) \
		$(CURDIR)/tests/unit/$(1).c $(APIC_TEST_SRCS:%=$(CURDIR)/%) -lcmocka $$(UNIT_LIBS_$(1))
endef
$(foreach t,$(APIC_UNIT_TESTS),$(eval $(call apic_cov_rule,$(t))))

.PHONY: coverage coverage-apic
coverage: coverage-apic
coverage-apic: $(APIC_UNIT_TESTS:%=$(APIC_COV_DIR)/%)
	@rm -f $(APIC_COV_DIR)/*.gcda
	@for t in $(APIC_UNIT_TESTS); do \
	  (cd $(APIC_COV_DIR) && ./$$t >/dev/null 2>&1) || { echo "coverage: $$t failed"; exit 1; }; \
	done
	gcovr -r $(CURDIR) --filter '$(CURDIR)/apic/' $(APIC_COV_DIR)

CHECK_PREREQS += coverage-apic seed-regressions

# `make bench-apic`: callgrind instruction counts per round trip and inhibit-toggle counts.
APIC_BENCH_DIR := $(BUILD)/bench/apic
$(APIC_BENCH_DIR)/bench_apic: tests/unit/apic/bench_apic.c $(APIC_TEST_SRCS) | deps
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -g -I. -o $@ $< $(APIC_TEST_SRCS) -lpthread
$(APIC_BENCH_DIR)/bench_apic_naive: tests/unit/apic/bench_apic.c $(APIC_TEST_SRCS) | deps
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -g -I. -DAPIC_SEED001_OLD_BEHAVIOUR -o $@ $< $(APIC_TEST_SRCS) -lpthread

.PHONY: bench-apic
bench-apic: $(APIC_BENCH_DIR)/bench_apic $(APIC_BENCH_DIR)/bench_apic_naive
	./tools/bench-apic $^ $(APIC_BENCH_DIR)
