/* pit8254_latch: the 8254's read side: counter latch, read-back of count and status, reads. */
#include "devices/pit8254.h"

#include "devices/dev_log.h"

static uint8_t pit_status_byte(const struct pit8254 *p, const struct pit_channel *ch)
{
	return (uint8_t)((pit_channel_out(ch, p->now_ns) ? 0x80 : 0) | (ch->null_count ? 0x40 : 0) |
			 ch->access << 4 | ch->mode << 1);
}

/* A second latch command before the first latch is read is ignored (8254 datasheet). */
void pit_latch_count(struct pit8254 *p, struct pit_channel *ch)
{
	if (ch->count_latched)
		return;
	ch->latch = pit_channel_count(ch, p->now_ns);
	ch->count_latched = true;
	ch->latch_msb_next = false;
}

static void pit_latch_status(struct pit8254 *p, struct pit_channel *ch)
{
	if (ch->status_latched)
		return;
	ch->status = pit_status_byte(p, ch);
	ch->status_latched = true;
}

/* Read-back (SC=11): bit 5 clear latches counts, bit 4 clear latches status, bits 3:1 pick. */
void pit_read_back(struct pit8254 *p, uint8_t value)
{
	if (value & 1) {
		p->stats.rejected++;
		dev_log_once(&p->logged, PIT_LOG_READBACK_RESERVED, LOG_DEBUG,
			     "pit: read-back command %#x sets reserved bit 0 (ignored)", value);
	}
	for (unsigned c = 0; c < PIT_CHANNELS; c++) {
		if (!(value & (2u << c)))
			continue;
		if (!(value & 0x20))
			pit_latch_count(p, &p->ch[c]);
		if (!(value & 0x10))
			pit_latch_status(p, &p->ch[c]);
	}
}

static uint8_t pit_byte_of(uint16_t value, bool msb)
{
	return (uint8_t)(msb ? value >> 8 : value);
}

/* Latched status first, then a latched count, else the live counter. */
uint8_t pit_read_count(struct pit8254 *p, unsigned c)
{
	struct pit_channel *ch = &p->ch[c];
	uint8_t byte;

	p->stats.reads++;
	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	if (ch->count_latched) {
		if (ch->access == PIT_ACCESS_WORD) {
			byte = pit_byte_of(ch->latch, ch->latch_msb_next);
			ch->count_latched = !ch->latch_msb_next;
			ch->latch_msb_next = !ch->latch_msb_next;
			return byte;
		}
		ch->count_latched = false;
		return pit_byte_of(ch->latch, ch->access == PIT_ACCESS_MSB);
	}
	if (ch->access == PIT_ACCESS_WORD) {
		byte = pit_byte_of(pit_channel_count(ch, p->now_ns), ch->read_msb_next);
		ch->read_msb_next = !ch->read_msb_next;
		return byte;
	}
	return pit_byte_of(pit_channel_count(ch, p->now_ns), ch->access == PIT_ACCESS_MSB);
}
