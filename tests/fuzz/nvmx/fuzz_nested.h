/* fuzz_nested: the nested runtime's pure parts under the fuzzer (merge, exit routing, reflection, EPT). */
#ifndef NESTOR_TESTS_FUZZ_NVMX_FUZZ_NESTED_H
#define NESTOR_TESTS_FUZZ_NVMX_FUZZ_NESTED_H

#include <stddef.h>
#include <stdint.h>

#include "tests/nvmx/nvmx_fixture.h"

/* The fixture's caps become what nestor offers on Bochs ivy bridge (flavor 0-3). */
void fuzz_offer_caps(struct nvmx_fixture *f, unsigned flavor);
/* For a vmcs12 that passed every check: vmcs02 must pass the host's checks; an exit built
 * from the input is routed, saved into vmcs12 and gives an L1 state that satisfies VMX
 * operation's fixed bits; L1's EPT is walked at an input address. Traps on a violation. */
void fuzz_nested(struct nvmx_fixture *f, const uint8_t *data, size_t size);

#endif
