/* SPDX-License-Identifier: MIT */
/* The libFuzzer entry point of one target, chosen at build time with
 * -DSC_FUZZ_ENTRY=sc_fuzz_NAME (make fuzz). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return SC_FUZZ_ENTRY(data, size);
}
