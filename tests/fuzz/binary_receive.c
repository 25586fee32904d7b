/*
 * Harness: the binary input check of both one-byte types
 * (codeset_check_binary, format 1 on the wire).
 *
 * The first input byte chooses the type; the rest is the value as the
 * client sent it.  Checked besides memory safety: the verdict is exactly
 * the specification (two bytes, version 1, a code of the type), the code
 * reported is the second byte whenever there are two, and an accepted
 * value is what the send function would have written for that code.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const CodeSet *set;
	char	   *wire;
	size_t		len;
	int			code = -1;
	CodeBinaryCheck verdict;
	CodeBinaryCheck expected;

	if (size == 0)
		return 0;
	set = (data[0] & 1) ? &tolerance_outcome_codes : &case_status_codes;
	len = size - 1;
	wire = fuzz_copy(data + 1, len);

	verdict = codeset_check_binary(set, (const unsigned char *) wire, len, &code);

	if (len != CODE_BINARY_LENGTH)
		expected = CODE_BINARY_BAD_LENGTH;
	else if ((unsigned char) wire[0] != CODE_BINARY_FORMAT_VERSION)
		expected = CODE_BINARY_BAD_VERSION;
	else if ((unsigned char) wire[1] < 1 || (unsigned char) wire[1] > set->count)
		expected = CODE_BINARY_BAD_CODE;
	else
		expected = CODE_BINARY_OK;

	FUZZ_CHECK(verdict == expected);
	if (len == CODE_BINARY_LENGTH)
		FUZZ_CHECK(code == (unsigned char) wire[1]);
	else
		FUZZ_CHECK(code == 0);
	if (verdict == CODE_BINARY_OK)
	{
		FUZZ_CHECK(codeset_is_valid(set, code));
		FUZZ_CHECK(codeset_label(set, code, OUTPUT_LANGUAGE_EN) != NULL);
		/* what codeset_send writes for the code */
		FUZZ_CHECK(wire[0] == CODE_BINARY_FORMAT_VERSION && (unsigned char) wire[1] == code);
	}
	free(wire);
	return 0;
}
