/* vmx_nested_vmcs: vmcs02's fields written from, and read back into, a vmcs12-shaped image. */
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"

/*
 * Every control and guest-state field the host CPU has (a field of a control the host
 * lacks does not exist there, 24.6-24.8) is written; nestor writes the host state itself
 * and the read-only fields are the CPU's. The lists are computed once per VM: every
 * nested entry and exit walks them.
 */
void vmx_nested_fields_init(struct vmx_nested_vm *nv)
{
	nv->nwritten = nv->nguest = 0;
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];
		unsigned type = VMCS_ENC_TYPE(f->encoding);
		struct vmx_nested_field x = { f->encoding, f->offset, f->width };

		if (!vmcs12_field_exists(f, &nv->host))
			continue;
		if ((type == 0 || type == 2) && nv->nwritten < 200)
			nv->written[nv->nwritten++] = x;
		if (type == 2 && nv->nguest < 120)
			nv->guest[nv->nguest++] = x;
	}
	if (nv->nwritten == 200 || nv->nguest == 120)
		log_warn("nvmx: vmcs02 field lists full (%u written, %u guest)", nv->nwritten,
			 nv->nguest);
}

static uint64_t get(const struct vmcs12 *img, const struct vmx_nested_field *f)
{
	const uint8_t *p = (const uint8_t *)img + f->off;
	return f->width == VMCS_WIDTH_16 ? *(const uint16_t *)p :
	       f->width == VMCS_WIDTH_32 ? *(const uint32_t *)p : *(const uint64_t *)p;
}

static void set(struct vmcs12 *img, const struct vmx_nested_field *f, uint64_t x)
{
	uint8_t *p = (uint8_t *)img + f->off;
	if (f->width == VMCS_WIDTH_16)
		*(uint16_t *)p = (uint16_t)x;
	else if (f->width == VMCS_WIDTH_32)
		*(uint32_t *)p = (uint32_t)x;
	else
		*(uint64_t *)p = x;
}

void vmx_nested_write_vmcs02(const struct vmx_nested_vm *nv, const struct vmcs12 *img)
{
	for (unsigned i = 0; i < nv->nwritten; i++)
		vmcs_write(nv->written[i].enc, get(img, &nv->written[i]));
}

/* L2's state as the CPU saved it at the exit (27.3): the guest-state fields. */
void vmx_nested_read_guest(const struct vmx_nested_vm *nv, struct vmcs12 *img)
{
	for (unsigned i = 0; i < nv->nguest; i++)
		set(img, &nv->guest[i], vmcs_read(nv->guest[i].enc));
	img->entry_controls = (uint32_t)vmcs_read(VMCS_ENTRY_CONTROLS);
}

/* The exit-information fields (24.9) of the exit that just happened. */
void vmx_nested_read_exit(struct nvmx_exit *e)
{
	e->reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
	e->qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
	e->guest_linear = vmcs_read(VMCS_GUEST_LINEAR_ADDRESS);
	e->guest_phys = vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS);
	e->intr_info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	e->intr_error = (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERROR);
	e->idt_info = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	e->idt_error = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERROR);
	e->insn_len = (uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_LEN);
	e->insn_info = (uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_INFO);
}
