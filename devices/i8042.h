/* i8042: a keyboard controller with nothing plugged in: answers probes, resets the machine. */
#ifndef NESTOR_DEVICES_I8042_H
#define NESTOR_DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/io_split.h"
#include "devices/reset_control.h"

#define I8042_DATA_PORT   0x60
#define I8042_STATUS_PORT 0x64	/* read: status; write: controller command */

#define I8042_STR_OBF     0x01	/* output buffer full */
#define I8042_STR_IBF     0x02	/* input buffer full: never, commands complete at once */
#define I8042_STR_SYS     0x04	/* system flag (CTR bit 2): self-test passed */
#define I8042_STR_CMD     0x08	/* last write went to 0x64 */
#define I8042_STR_UNLOCKED 0x10	/* keyboard not inhibited by the key lock */
#define I8042_STR_AUXDATA 0x20	/* the output byte came from the aux port */

#define I8042_CTR_KBDINT  0x01
#define I8042_CTR_AUXINT  0x02
#define I8042_CTR_SYS     0x04
#define I8042_CTR_KBDDIS  0x10
#define I8042_CTR_AUXDIS  0x20
#define I8042_CTR_XLATE   0x40
#define I8042_CTR_RESET   (I8042_CTR_XLATE | I8042_CTR_SYS | I8042_CTR_KBDINT)

#define I8042_OUTPORT_RESET 0x01	/* output port bit 0: 0 holds the CPU in reset */
#define I8042_OUTPORT_A20   0x02

struct i8042_stats {
	uint64_t commands;
	uint64_t device_bytes_dropped;	/* bytes for the keyboard or mouse nobody answers */
	uint64_t unknown_commands;
};

struct i8042 {
	struct io_byte_block data_io;		/* port 0x60 */
	struct io_byte_block command_io;	/* port 0x64 */
	uint8_t ctr;			/* controller configuration ("command byte", RAM 0) */
	uint8_t output_port;
	uint8_t out;			/* output buffer */
	bool obf;
	bool out_aux;
	bool last_was_command;
	uint8_t pending;		/* command waiting for its data byte on 0x60, or 0 */
	struct reset_control *reset;
	uint32_t logged;
	struct i8042_stats stats;
};

void i8042_init(struct i8042 *k, struct reset_control *reset);

#endif
