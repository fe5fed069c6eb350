/* vcpu_port: the VM's port space as the INS/OUTS emulator sees it. */
#include "vm/vcpu_port.h"

#include "vm/vm.h"

static uint32_t vcpu_port_in(void *ctx, uint16_t port, unsigned size)
{
	struct vcpu *v = ctx;
	return vm_io_read(v->vm, port, size);
}

static void vcpu_port_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
	struct vcpu *v = ctx;
	vm_io_write(v->vm, port, size, value);
}

struct x86_port_ops vcpu_port_ops(struct vcpu *v)
{
	return (struct x86_port_ops){ vcpu_port_in, vcpu_port_out, v };
}
