/* fwcfg: selector write, then byte reads from the data port (QEMU docs/specs/fw_cfg.rst). */
#include "fwcfg.h"

#include "x86.h"

void fwcfg_select(uint16_t key)
{
	outw(FW_CFG_PORT_SEL, key);
}

void fwcfg_read(uint16_t key, void *buf, unsigned len)
{
	uint8_t *p = buf;

	fwcfg_select(key);
	for (unsigned i = 0; i < len; i++)
		p[i] = inb(FW_CFG_PORT_DATA);
}

uint64_t fwcfg_read_le(uint16_t key, unsigned len)
{
	uint8_t bytes[8] = { 0 };
	uint64_t v = 0;

	fwcfg_read(key, bytes, len > 8 ? 8 : len);
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | bytes[i];
	return v;
}

bool fwcfg_present(void)
{
	char sig[4];

	fwcfg_read(FW_CFG_SIGNATURE, sig, sizeof(sig));
	return sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}
