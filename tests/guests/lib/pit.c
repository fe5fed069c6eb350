/* pit: 8254 programming through the control word at 0x43 (8254 datasheet, modes 0 and 2). */
#include "pit.h"

#include "x86.h"

#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_CONTROL	0x43
#define PORT_61		0x61		/* bit 0: channel 2 gate, bit 1: speaker, bit 5: OUT2 */

#define CW_CHANNEL(n)	((n) << 6)
#define CW_LOHI		(3u << 4)	/* access low byte then high byte */
#define CW_MODE0	(0u << 1)	/* interrupt on terminal count */
#define CW_MODE2	(2u << 1)	/* rate generator */

static void pit_load(uint16_t port, uint16_t count)
{
	outb(port, count & 0xff);
	outb(port, count >> 8);
}

void pit_ch0_periodic(uint16_t count)
{
	outb(PIT_CONTROL, CW_CHANNEL(0) | CW_LOHI | CW_MODE2);
	pit_load(PIT_CH0, count);
}

void pit_ch0_oneshot(uint16_t count)
{
	outb(PIT_CONTROL, CW_CHANNEL(0) | CW_LOHI | CW_MODE0);
	pit_load(PIT_CH0, count);
}

void pit_ch0_stop(void)
{
	outb(PIT_CONTROL, CW_CHANNEL(0) | CW_LOHI | CW_MODE0);
}

uint16_t pit_read_count(unsigned channel)
{
	outb(PIT_CONTROL, CW_CHANNEL(channel));	/* counter latch command */
	uint8_t low = inb(PIT_CH0 + channel);
	uint8_t high = inb(PIT_CH0 + channel);

	return low | (uint16_t)high << 8;
}

void pit_ch2_start(uint16_t count)
{
	outb(PORT_61, inb(PORT_61) & ~0x03);			/* gate low, speaker off */
	outb(PIT_CONTROL, CW_CHANNEL(2) | CW_LOHI | CW_MODE0);
	pit_load(PIT_CH2, count);
	outb(PORT_61, (inb(PORT_61) & ~0x02) | 0x01);	/* gate high: counting starts */
}

bool pit_ch2_out(void)
{
	return inb(PORT_61) & 0x20;
}

void pit_ch2_stop(void)
{
	outb(PORT_61, inb(PORT_61) & ~0x03);
}
