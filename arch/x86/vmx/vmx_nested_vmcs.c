/* vmx_nested_vmcs: vmcs02's fields written from, and read back into, a vmcs12-shaped image. */
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"

/*
 * Every control and guest-state field the host CPU has (a field of a control the host
 * lacks does not exist there, 24.6-24.8); nestor writes the host state itself and the
 * read-only fields are the CPU's.
 */
static bool written(const struct vmx_nested_vm *nv, const struct vmcs12_field *f)
{
	unsigned type = VMCS_ENC_TYPE(f->encoding);
	return type != VMCS_TYPE_READ_ONLY && type != 3 && vmcs12_field_exists(f, &nv->host);
}

void vmx_nested_write_vmcs02(const struct vmx_nested_vm *nv, const struct vmcs12 *img)
{
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];
		if (written(nv, f))
			vmcs_write(f->encoding, vmcs12_get(img, f));
	}
}

/* L2's state as the CPU saved it at the exit (27.3): the guest-state fields. */
void vmx_nested_read_guest(const struct vmx_nested_vm *nv, struct vmcs12 *img)
{
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];
		if (VMCS_ENC_TYPE(f->encoding) == 2 && vmcs12_field_exists(f, &nv->host))
			vmcs12_set(img, f, vmcs_read(f->encoding));
	}
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
