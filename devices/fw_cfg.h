/* fw_cfg: QEMU's firmware configuration interface on ports 0x510/0x511 (no DMA). */
#ifndef NESTOR_DEVICES_FW_CFG_H
#define NESTOR_DEVICES_FW_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/io_bus.h"

#define FW_CFG_PORT_SELECTOR 0x510
#define FW_CFG_PORT_DATA     0x511
#define FW_CFG_PORT_COUNT    2

/* Item keys as QEMU numbers them (include/standard-headers/linux/qemu_fw_cfg.h). */
enum fw_cfg_key {
	FW_CFG_SIGNATURE = 0x00,
	FW_CFG_ID = 0x01,
	FW_CFG_UUID = 0x02,
	FW_CFG_RAM_SIZE = 0x03,
	FW_CFG_NOGRAPHIC = 0x04,
	FW_CFG_NB_CPUS = 0x05,
	FW_CFG_MAX_CPUS = 0x0f,
	FW_CFG_FILE_DIR = 0x19,
	FW_CFG_FILE_FIRST = 0x20,
};

#define FW_CFG_KEY_WRITE    0x4000	/* selector flag: the guest intends to write */
#define FW_CFG_KEY_ARCH     0x8000	/* selector flag: architecture-specific item */
#define FW_CFG_ID_TRADITIONAL 0x01	/* ID bit 0: port interface; bit 1 (DMA) stays clear */

#define FW_CFG_MAX_FILES    8
#define FW_CFG_FILE_NAME    56	/* bytes of a directory entry's name, NUL included */
#define FW_CFG_DIR_ENTRY    64	/* size(4) select(2) reserved(2) name(56), big-endian */

struct fw_cfg_file {
	char name[FW_CFG_FILE_NAME];
	const uint8_t *data;	/* owned by the caller; must outlive the VM */
	uint32_t size;
};

struct fw_cfg_stats {
	uint64_t selects;
	uint64_t data_reads;
	uint64_t unknown_selects;	/* keys with no item: every byte reads 0 */
	uint64_t ignored_accesses;	/* data writes, wide accesses */
};

struct fw_cfg {
	uint16_t selector;
	uint32_t offset;
	uint64_t ram_size;
	uint16_t nb_cpus;
	uint16_t max_cpus;
	struct fw_cfg_file files[FW_CFG_MAX_FILES];
	unsigned nfiles;
	uint32_t logged;
	struct fw_cfg_stats stats;
};

void fw_cfg_init(struct fw_cfg *f, uint64_t ram_size, uint16_t nb_cpus, uint16_t max_cpus);
/*
 * Adds a named blob to FILE_DIR under key FW_CFG_FILE_FIRST + n; returns the key, or 0
 * (logged) when the directory is full or the name does not fit.
 */
uint16_t fw_cfg_add_file(struct fw_cfg *f, const char *name, const void *data, uint32_t size);

/* Length of the item behind a key and one byte of it (0 past the end or for no item). */
uint32_t fw_cfg_item_length(const struct fw_cfg *f, uint16_t key);
uint8_t fw_cfg_item_byte(const struct fw_cfg *f, uint16_t key, uint32_t offset);

extern const struct io_bus_ops fw_cfg_io_ops;

#endif
