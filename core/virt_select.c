/* virt_select: picks the backend (VMX or SVM) for this CPU. */
#include "core/virt_select.h"

#include "arch/x86/caps.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/vmx/vmx.h"
#include "lib/format.h"

static const struct virt_ops svm_ops = {
	.name = "svm",
	.supported = svm_supported,
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vcpu_init = svm_vcpu_init,
	.vcpu_run = svm_vcpu_run,
};

static const struct virt_ops vmx_ops = {
	.name = "vmx",
	.supported = vmx_supported,
	.cpu_enable = vmx_cpu_enable,
	.vm_init = vmx_vm_init,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_run = vmx_vcpu_run,
};

const struct virt_ops *virt_select(const struct cpu_caps *caps, char *why, size_t len)
{
	const struct virt_ops *ops = 0;
	if (caps->vendor == VENDOR_AMD || caps->svm.present)
		ops = &svm_ops;
	else if (caps->vendor == VENDOR_INTEL || caps->vmx.present)
		ops = &vmx_ops;
	if (!ops) {
		fmt_snprintf(why, len, "no backend for %s (neither VMX nor SVM)", caps->vendor_name);
		return 0;
	}
	return ops->supported(caps, why, len) ? ops : 0;
}
