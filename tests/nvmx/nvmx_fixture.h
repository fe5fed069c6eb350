/* nvmx_fixture: a capability model offering every control the table knows, and a fake L1 RAM. */
#ifndef NESTOR_TESTS_NVMX_FIXTURE_H
#define NESTOR_TESTS_NVMX_FIXTURE_H

#include "tests/nvmx/nvmx_cases.h"

#define NVMX_FIX_RAM_BASE 0x100000ull
#define NVMX_FIX_RAM_PAGES 64

struct nvmx_fixture {
	struct nvmx_caps caps;
	struct nvmx_layout layout;
	struct nvmx_env env;
	struct vmcs12 v;
	struct nvmx_case c;
	uint8_t ram[NVMX_FIX_RAM_PAGES * 4096];
};

/* The caps, layout and env; then the valid vmcs12 (and its memory). */
void nvmx_fixture_init(struct nvmx_fixture *f);
void nvmx_fixture_valid(struct nvmx_fixture *f);

#endif
