/* acpi_fadt: the Fixed ACPI Description Table and the FACS it points to. */
#ifndef NESTOR_DEVICES_FIRMWARE_ACPI_FADT_H
#define NESTOR_DEVICES_FIRMWARE_ACPI_FADT_H

#include <stdint.h>

#include "devices/firmware/acpi_platform.h"
#include "devices/firmware/acpi_tables.h"

/* ACPI 6.4, 5.2.9, Table 5.9: the FADT as of revision 6 (276 bytes). */
struct acpi_fadt {
	struct acpi_header header;	/* "FACP", revision 6 */
	uint32_t firmware_ctrl;		/* FACS below 4 GiB */
	uint32_t dsdt;
	uint8_t reserved0;		/* INT_MODEL in ACPI 1.0 */
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;		/* 0: no SMM, the platform is always in ACPI mode */
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;	/* 0: FIRMWARE_CTRL is used (5.2.9: only one may be set) */
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	char hypervisor_vendor[8];
} __attribute__((packed));

/* ACPI 6.4, 5.2.10, Table 5.14: Firmware ACPI Control Structure (no checksum). */
struct acpi_facs {
	char signature[4];		/* "FACS" */
	uint32_t length;		/* 64 */
	uint32_t hardware_signature;
	uint32_t firmware_waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version;		/* 2 since ACPI 4.0 */
	uint8_t reserved0[3];
	uint32_t ospm_flags;
	uint8_t reserved1[24];
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6 layout");
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS layout");

/* The FADT for platform p, pointing at the FACS and DSDT at those guest addresses. */
void acpi_fadt_build(struct acpi_fadt *f, const struct acpi_platform *p, uint32_t facs,
		     uint32_t dsdt);
void acpi_facs_build(struct acpi_facs *f);

#endif
