/* vcpu_port: the VM's port space as the INS/OUTS emulator sees it. */
#ifndef NESTOR_VM_VCPU_PORT_H
#define NESTOR_VM_VCPU_PORT_H

#include "arch/x86/decode/port_emul.h"

struct vcpu;

/* The x86_port_ops for string port I/O: the same vm_io_read/vm_io_write as IN and OUT. */
struct x86_port_ops vcpu_port_ops(struct vcpu *v);

#endif
