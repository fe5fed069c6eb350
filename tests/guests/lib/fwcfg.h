/* fwcfg: QEMU's firmware configuration interface on ports 0x510 (selector) / 0x511 (data). */
#ifndef GUEST_FWCFG_H
#define GUEST_FWCFG_H

#include <stdbool.h>
#include <stdint.h>

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511

#define FW_CFG_SIGNATURE	0x00	/* "QEMU" */
#define FW_CFG_RAM_SIZE		0x03	/* 64-bit little endian, bytes */
#define FW_CFG_NB_CPUS		0x05	/* 16-bit little endian */

bool fwcfg_present(void);
/* Selects item `key`: the data port then streams it from its start. */
void fwcfg_select(uint16_t key);
/* Reads `len` bytes of item `key` from its start. */
void fwcfg_read(uint16_t key, void *buf, unsigned len);
uint64_t fwcfg_read_le(uint16_t key, unsigned len);

#endif
