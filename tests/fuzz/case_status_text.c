/* Harness: text input of accountability.case_status (see codeset_text.h). */
#include "codeset_text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_codeset_text(&case_status_codes, data, size);
	return 0;
}
