/* fw_cfg_items: the bytes of each fw_cfg item, generated on demand from the VM's configuration. */
#include "devices/fw_cfg.h"

#include <stddef.h>

static uint8_t fw_cfg_le_byte(uint64_t value, uint32_t offset)
{
	return (uint8_t)(value >> (8 * offset));
}

static uint8_t fw_cfg_be_byte(uint64_t value, unsigned width, uint32_t offset)
{
	return (uint8_t)(value >> (8 * (width - 1 - offset)));
}

static const struct fw_cfg_file *fw_cfg_file_for_key(const struct fw_cfg *f, uint16_t key)
{
	if (key < FW_CFG_FILE_FIRST || (unsigned)(key - FW_CFG_FILE_FIRST) >= f->nfiles)
		return NULL;
	return &f->files[key - FW_CFG_FILE_FIRST];
}

/* The write flag only says how the guest means to use the item; it names the same item. */
static uint16_t fw_cfg_item_key(uint16_t selector)
{
	return selector & (uint16_t)~FW_CFG_KEY_WRITE;
}

uint32_t fw_cfg_item_length(const struct fw_cfg *f, uint16_t selector)
{
	uint16_t key = fw_cfg_item_key(selector);
	const struct fw_cfg_file *file = fw_cfg_file_for_key(f, key);

	if (file)
		return file->size;
	switch (key) {
	case FW_CFG_SIGNATURE:
	case FW_CFG_ID:
		return 4;
	case FW_CFG_RAM_SIZE:
		return 8;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		return 2;
	case FW_CFG_FILE_DIR:
		return 4 + FW_CFG_DIR_ENTRY * f->nfiles;
	default:
		return 0;
	}
}

/* FILE_DIR: a big-endian count, then per file size, key, reserved and a 56-byte name. */
static uint8_t fw_cfg_dir_byte(const struct fw_cfg *f, uint32_t offset)
{
	const struct fw_cfg_file *file;
	uint32_t at;

	if (offset < 4)
		return fw_cfg_be_byte(f->nfiles, 4, offset);
	file = &f->files[(offset - 4) / FW_CFG_DIR_ENTRY];
	at = (offset - 4) % FW_CFG_DIR_ENTRY;
	if (at < 4)
		return fw_cfg_be_byte(file->size, 4, at);
	if (at < 6)
		return fw_cfg_be_byte(FW_CFG_FILE_FIRST + (uint32_t)(file - f->files), 2, at - 4);
	if (at < 8)
		return 0;
	return (uint8_t)file->name[at - 8];
}

uint8_t fw_cfg_item_byte(const struct fw_cfg *f, uint16_t selector, uint32_t offset)
{
	static const char signature[4] = { 'Q', 'E', 'M', 'U' };
	uint16_t key = fw_cfg_item_key(selector);
	const struct fw_cfg_file *file = fw_cfg_file_for_key(f, key);

	if (offset >= fw_cfg_item_length(f, selector))
		return 0;
	if (file)
		return file->data ? file->data[offset] : 0;
	switch (key) {
	case FW_CFG_SIGNATURE:
		return (uint8_t)signature[offset];
	case FW_CFG_ID:
		return fw_cfg_le_byte(FW_CFG_ID_TRADITIONAL, offset);
	case FW_CFG_RAM_SIZE:
		return fw_cfg_le_byte(f->ram_size, offset);
	case FW_CFG_NB_CPUS:
		return fw_cfg_le_byte(f->nb_cpus, offset);
	case FW_CFG_MAX_CPUS:
		return fw_cfg_le_byte(f->max_cpus, offset);
	case FW_CFG_FILE_DIR:
		return fw_cfg_dir_byte(f, offset);
	default:
		return 0;
	}
}
