/* vmx_tpr_check: nestor's own SDM 26.2.1.1 check of TPR_THRESHOLD against VTPR, before entry. */
#include "arch/x86/vmx/vmx_tpr_check.h"

#include "lib/log.h"

void vmx_tpr_threshold_report(unsigned vcpu, uint64_t rip, uint8_t threshold, uint8_t vtpr)
{
	log_error("vmx: vcpu%u rip %#llx: entry invariant broken: SDM 26.2.1.1: "
		  "TPR_THRESHOLD[3:0]=%u > VTPR[7:4]=%u (VTPR %#x; TPR shadow on, virtualize APIC "
		  "accesses and virtual-interrupt delivery off)", vcpu, (unsigned long long)rip,
		  threshold & 0xfu, vtpr >> 4, vtpr);
}
