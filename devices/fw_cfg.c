/* fw_cfg: QEMU's firmware configuration interface on ports 0x510/0x511 (no DMA). */
#include "devices/fw_cfg.h"

#include "devices/dev_log.h"
#include "lib/string.h"

enum fw_cfg_log_reason { FW_CFG_LOG_UNKNOWN_KEY, FW_CFG_LOG_DATA_WRITE, FW_CFG_LOG_BAD_ACCESS,
			 FW_CFG_LOG_DIR_FULL };

void fw_cfg_init(struct fw_cfg *f, uint64_t ram_size, uint16_t nb_cpus, uint16_t max_cpus)
{
	memset(f, 0, sizeof(*f));
	f->ram_size = ram_size;
	f->nb_cpus = nb_cpus;
	f->max_cpus = max_cpus;
}

uint16_t fw_cfg_add_file(struct fw_cfg *f, const char *name, const void *data, uint32_t size)
{
	struct fw_cfg_file *file;
	size_t len = name ? strlen(name) : 0;

	if (f->nfiles == FW_CFG_MAX_FILES || len == 0 || len >= FW_CFG_FILE_NAME) {
		dev_log_once(&f->logged, FW_CFG_LOG_DIR_FULL, LOG_ERROR,
			     "fw_cfg: cannot add file '%s' (directory full or bad name)",
			     name ? name : "(null)");
		return 0;
	}
	file = &f->files[f->nfiles];
	memset(file->name, 0, sizeof(file->name));
	memcpy(file->name, name, len);
	file->data = data;
	file->size = data ? size : 0;
	return (uint16_t)(FW_CFG_FILE_FIRST + f->nfiles++);
}

/* Selecting an item rewinds its read offset to 0 (QEMU docs/specs/fw_cfg.rst). */
static void fw_cfg_select(struct fw_cfg *f, uint16_t selector)
{
	f->selector = selector;
	f->offset = 0;
	f->stats.selects++;
	if (fw_cfg_item_length(f, selector) == 0) {
		f->stats.unknown_selects++;
		dev_log_once(&f->logged, FW_CFG_LOG_UNKNOWN_KEY, LOG_DEBUG,
			     "fw_cfg: key %#x has no item here; its data reads as zeros "
			     "(logged once)", selector);
	}
}

/* Each data read returns the next byte; past the end it returns 0 and stays put. */
static uint8_t fw_cfg_read_data(struct fw_cfg *f)
{
	uint8_t byte = fw_cfg_item_byte(f, f->selector, f->offset);

	f->stats.data_reads++;
	if (f->offset < fw_cfg_item_length(f, f->selector))
		f->offset++;
	return byte;
}

/*
 * QEMU's port interface: a 16-bit write to 0x510 selects; a byte read of 0x510 or
 * 0x511 reads data. Byte writes are the legacy data-write path, ignored since QEMU
 * 2.4. Any other access size is invalid there: reads float high, writes are dropped.
 */
static uint32_t fw_cfg_io_read(void *dev, uint16_t port, unsigned size)
{
	struct fw_cfg *f = dev;

	if (size == 1)
		return fw_cfg_read_data(f);
	f->stats.ignored_accesses++;
	dev_log_once(&f->logged, FW_CFG_LOG_BAD_ACCESS, LOG_DEBUG,
		     "fw_cfg: %u-byte access to port %#x is not valid (reads all ones, "
		     "writes dropped; logged once)", size, port);
	return 0xffffffffu;
}

static void fw_cfg_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct fw_cfg *f = dev;

	if (size == 2 && port == FW_CFG_PORT_SELECTOR) {
		fw_cfg_select(f, (uint16_t)value);
	} else if (size == 1) {
		f->stats.ignored_accesses++;
		dev_log_once(&f->logged, FW_CFG_LOG_DATA_WRITE, LOG_DEBUG,
			     "fw_cfg: data writes are not supported (key %#x, value %#x ignored)",
			     f->selector, value);
	} else {
		fw_cfg_io_read(dev, port, size);	/* same invalid-size handling */
	}
}

const struct io_bus_ops fw_cfg_io_ops = { fw_cfg_io_read, fw_cfg_io_write };
