/* pit8254: the 8254's write side: control words and byte-wise counts, and its port block. */
#include "devices/pit8254.h"

#include "devices/dev_log.h"
#include "lib/string.h"

static void pit_channel_reset(struct pit_channel *ch, bool gate, uint64_t now_ns)
{
	memset(ch, 0, sizeof(*ch));
	ch->mode = 3;
	ch->access = PIT_ACCESS_WORD;
	ch->reload = 0x10000;
	ch->loaded = true;
	ch->running = true;
	ch->gate = gate;
	ch->out_idle = true;
	ch->run_ns = now_ns;
}

/*
 * A control word stops the channel until a count arrives: OUT goes low in mode 0 and
 * high in the others, and the counter keeps showing where it stopped. BCD counting
 * is not modelled: the request is logged and the channel counts in binary.
 */
static void pit_write_control(struct pit8254 *p, uint8_t value)
{
	unsigned c = value >> 6;
	struct pit_channel *ch;
	uint8_t access = (value >> 4) & 3, mode = (value >> 1) & 7;

	p->stats.control_writes++;
	if (c == 3) {
		pit_read_back(p, value);
		return;
	}
	ch = &p->ch[c];
	if (access == PIT_ACCESS_LATCH) {
		pit_latch_count(p, ch);
		return;
	}
	if (value & 1) {
		p->stats.rejected++;
		dev_log_once(&p->logged, PIT_LOG_BCD, LOG_WARN,
			     "pit: channel %u: BCD counting is not supported; counting in binary", c);
	}
	ch->frozen_count = pit_channel_count(ch, p->now_ns);
	ch->mode = mode > 5 ? mode - 4 : mode;
	ch->access = access;
	ch->loaded = false;
	ch->running = false;
	ch->null_count = true;
	ch->out_idle = ch->mode != 0;
	ch->write_msb_next = false;
	ch->read_msb_next = false;
}

/* Loading a count starts modes 0, 2, 3 and 4 now; modes 1 and 5 wait for a gate trigger. */
static void pit_load_count(struct pit8254 *p, unsigned c, uint32_t value)
{
	struct pit_channel *ch = &p->ch[c];
	uint32_t n = value ? value : 0x10000;

	p->stats.count_writes++;
	if (pit_mode_is_periodic(ch->mode) && n == 1) {
		p->stats.rejected++;
		dev_log_once(&p->logged, PIT_LOG_ILLEGAL_COUNT, LOG_WARN,
			     "pit: channel %u: count 1 is illegal in mode %u; using 2", c, ch->mode);
		n = 2;
	}
	ch->reload = n;
	ch->loaded = true;
	ch->edges_done = 0;
	ch->ticks_before = 0;
	ch->run_ns = p->now_ns;
	if (pit_mode_is_gate_triggered(ch->mode)) {
		ch->running = false;
		ch->out_idle = true;
		ch->frozen_count = (uint16_t)n;
		return;
	}
	ch->running = true;
	ch->null_count = false;
}

static void pit_write_count(struct pit8254 *p, unsigned c, uint8_t value)
{
	struct pit_channel *ch = &p->ch[c];

	switch (ch->access) {
	case PIT_ACCESS_LSB:
		pit_load_count(p, c, value);
		break;
	case PIT_ACCESS_MSB:
		pit_load_count(p, c, (uint32_t)value << 8);
		break;
	default:
		if (!ch->write_msb_next) {
			ch->write_lsb = value;
			ch->write_msb_next = true;
			/* Mode 0: writing the first byte stops the count (8254 datasheet). */
			if (ch->mode == 0 && ch->running) {
				ch->frozen_count = pit_channel_count(ch, p->now_ns);
				ch->running = false;
				ch->out_idle = false;
			}
			break;
		}
		ch->write_msb_next = false;
		pit_load_count(p, c, ch->write_lsb | (uint32_t)value << 8);
		break;
	}
}

static uint8_t pit8254_read_byte(void *dev, unsigned offset)
{
	struct pit8254 *p = dev;

	if (offset < PIT_CHANNELS)
		return pit_read_count(p, offset);
	dev_log_once(&p->logged, PIT_LOG_CONTROL_READ, LOG_DEBUG,
		     "pit: port 0x43 is write-only; reads return 0xff");
	return 0xff;
}

static void pit8254_write_byte(void *dev, unsigned offset, uint8_t value)
{
	struct pit8254 *p = dev;

	if (offset < PIT_CHANNELS)
		pit_write_count(p, offset, value);
	else
		pit_write_control(p, value);
}

void pit8254_init(struct pit8254 *p, unsigned irq, const struct irq_line_sink *irq_sink,
		  uint64_t now_ns)
{
	memset(p, 0, sizeof(*p));
	for (unsigned c = 0; c < PIT_CHANNELS; c++)
		pit_channel_reset(&p->ch[c], c != 2, now_ns);
	io_byte_block_init(&p->io, PIT_BASE, PIT_PORT_COUNT, pit8254_read_byte, pit8254_write_byte, p);
	p->now_ns = now_ns;
	dev_irq_init(&p->irq, irq_sink, irq);
}
