/* Harness: text input of accountability.tolerance_outcome (see codeset_text.h). */
#include "codeset_text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codeset_text(&tolerance_outcome_codes, data, size);
	return 0;
}
