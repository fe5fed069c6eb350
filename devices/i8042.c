/* i8042: a keyboard controller with nothing plugged in: answers probes, resets the machine. */
#include "devices/i8042.h"

#include "devices/dev_log.h"

enum i8042_log_reason { I8042_LOG_UNKNOWN, I8042_LOG_DEVICE_BYTE };

/*
 * Commands complete instantly, so IBF never sets: a guest polling "wait until the
 * input buffer is empty" (Linux's kb_wait before the 0xfe reset) never spins.
 */
static uint8_t i8042_status(void *dev, unsigned offset)
{
	const struct i8042 *k = dev;

	(void)offset;
	return (uint8_t)((k->obf ? I8042_STR_OBF : 0) | (k->ctr & I8042_CTR_SYS) |
			 (k->last_was_command ? I8042_STR_CMD : 0) | I8042_STR_UNLOCKED |
			 (k->obf && k->out_aux ? I8042_STR_AUXDATA : 0));
}

static void i8042_output(struct i8042 *k, uint8_t byte, bool aux)
{
	k->out = byte;
	k->obf = true;
	k->out_aux = aux;
}

/* Reading 0x60 empties the output buffer; with nothing new it shows the old byte again. */
static uint8_t i8042_read_data(void *dev, unsigned offset)
{
	struct i8042 *k = dev;

	(void)offset;
	k->obf = false;
	return k->out;
}

static void i8042_drop_device_byte(struct i8042 *k, const char *device, uint8_t value)
{
	k->stats.device_bytes_dropped++;
	dev_log_once(&k->logged, I8042_LOG_DEVICE_BYTE, LOG_DEBUG,
		     "i8042: byte %#x for the %s dropped: no device attached (logged once)",
		     value, device);
}

/* Output port bit 0 low holds the CPU in reset; writing it low is a reset request. */
static void i8042_write_output_port(struct i8042 *k, uint8_t value)
{
	k->output_port = value;
	if (!(value & I8042_OUTPORT_RESET))
		reset_control_request(k->reset, "8042 output port");
}

static void i8042_write_data(void *dev, unsigned offset, uint8_t value)
{
	struct i8042 *k = dev;
	uint8_t command = k->pending;

	(void)offset;
	k->pending = 0;
	k->last_was_command = false;
	switch (command) {
	case 0x60:
		k->ctr = value;
		break;
	case 0xd1:
		i8042_write_output_port(k, value);
		break;
	case 0xd2:
		i8042_output(k, value, false);
		break;
	case 0xd3:
		i8042_output(k, value, true);
		break;
	case 0xd4:
		i8042_drop_device_byte(k, "mouse", value);
		break;
	case 0:
		i8042_drop_device_byte(k, "keyboard", value);
		break;
	default:
		break;	/* 0x61-0x7f: controller RAM bytes nobody reads back */
	}
}

/*
 * The commands Linux's i8042 driver and PC firmware use (IBM PC/AT technical reference,
 * 8042 commands): CTR read/write, port enable/disable, self-tests, output port, loop
 * back of a byte as if from either device, and the 0xf0-0xff pulse commands, where a
 * clear bit 0 pulses the reset line (0xfe is the classic "keyboard reset").
 */
static void i8042_write_command(void *dev, unsigned offset, uint8_t command)
{
	struct i8042 *k = dev;

	(void)offset;
	k->stats.commands++;
	k->last_was_command = true;
	k->pending = 0;
	if (command == 0x20) {
		i8042_output(k, k->ctr, false);
	} else if (command > 0x20 && command < 0x40) {
		i8042_output(k, 0, false);
	} else if ((command >= 0x60 && command < 0x80) || (command >= 0xd1 && command <= 0xd4)) {
		k->pending = command;
	} else if (command >= 0xf0) {
		if (!(command & 1))
			reset_control_request(k->reset, "8042 reset pulse");
	} else {
		switch (command) {
		case 0xa7:
			k->ctr |= I8042_CTR_AUXDIS;
			break;
		case 0xa8:
			k->ctr &= (uint8_t)~I8042_CTR_AUXDIS;
			break;
		case 0xa9:	/* aux interface test: 0 = clock and data lines fine */
		case 0xab:	/* keyboard interface test */
			i8042_output(k, 0x00, false);
			break;
		case 0xaa:	/* controller self-test: 0x55 = passed */
			i8042_output(k, 0x55, false);
			break;
		case 0xad:
			k->ctr |= I8042_CTR_KBDDIS;
			break;
		case 0xae:
			k->ctr &= (uint8_t)~I8042_CTR_KBDDIS;
			break;
		case 0xd0:
			i8042_output(k, k->output_port, false);
			break;
		case 0xdd:
			k->output_port &= (uint8_t)~I8042_OUTPORT_A20;
			break;
		case 0xdf:
			k->output_port |= I8042_OUTPORT_A20;
			break;
		default:
			k->stats.unknown_commands++;
			dev_log_once(&k->logged, I8042_LOG_UNKNOWN, LOG_DEBUG,
				     "i8042: controller command %#x not supported; ignored "
				     "(logged once)", command);
			break;
		}
	}
}

void i8042_init(struct i8042 *k, struct reset_control *reset)
{
	*k = (struct i8042){ 0 };
	k->ctr = I8042_CTR_RESET;
	k->output_port = I8042_OUTPORT_RESET | I8042_OUTPORT_A20;
	k->reset = reset;
	io_byte_block_init(&k->data_io, I8042_DATA_PORT, 1, i8042_read_data, i8042_write_data, k);
	io_byte_block_init(&k->command_io, I8042_STATUS_PORT, 1, i8042_status, i8042_write_command,
			   k);
}
