/* cursor: bounded reading of instruction bytes, with the 15-byte limit. */
#include "arch/x86/decode/decode_internal.h"

bool decoder_peek(struct decoder *d, size_t ahead, uint8_t *out)
{
	size_t at = d->pos + ahead;

	if (d->error != X86_DECODE_OK)
		return false;
	/* Byte 16 is never fetched: the CPU raises #GP once an instruction exceeds 15. */
	if (at >= X86_INSN_MAX_LEN) {
		d->error = X86_DECODE_TOO_LONG;
		return false;
	}
	if (at >= d->avail) {
		d->error = X86_DECODE_TRUNCATED;
		return false;
	}
	*out = d->bytes[at];
	return true;
}

bool decoder_next(struct decoder *d, uint8_t *out)
{
	if (!decoder_peek(d, 0, out))
		return false;
	d->insn->bytes[d->pos++] = *out;
	return true;
}

bool decoder_next_le(struct decoder *d, unsigned size, uint64_t *out)
{
	uint64_t value = 0;

	for (unsigned i = 0; i < size; i++) {
		uint8_t b;
		if (!decoder_next(d, &b))
			return false;
		value |= (uint64_t)b << (8 * i);
	}
	*out = value;
	return true;
}
