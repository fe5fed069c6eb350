/* cpuid: the CPUID leaves a platform must present consistently on every CPU. */
#include "guest.h"
#include "smp.h"

const char guest_name[] = "cpuid";

static void vendor_string(char out[13])
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t words[3] = { r.ebx, r.edx, r.ecx };

	for (int i = 0; i < 12; i++)
		out[i] = (char)(words[i / 4] >> (8 * (i % 4)));
	out[12] = 0;
}

static struct {
	uint32_t initial_apic_id;
	uint32_t apic_id;
	struct cpuid_regs leaf0;
} ap_view;

static void ap_probe(void *arg)
{
	ap_view.initial_apic_id = cpuid(1, 0).ebx >> 24;
	ap_view.apic_id = lapic_id();
	ap_view.leaf0 = cpuid(0, 0);
}

void guest_main(void)
{
	char vendor[13];
	struct cpuid_regs l0 = cpuid(0, 0);
	struct cpuid_regs l1 = cpuid(1, 0);
	struct cpuid_regs e0 = cpuid(0x80000000, 0);

	vendor_string(vendor);
	report_info("vendor \"%s\" max-basic %#x max-extended %#x", vendor, l0.eax, e0.eax);

	bool printable = true;
	for (int i = 0; i < 12; i++)
		printable &= vendor[i] >= 0x20 && vendor[i] < 0x7f;
	report_check(printable, "vendor-printable", "vendor bytes are not printable ASCII");
	report_check(l0.eax >= 1, "max-basic-leaf", "CPUID.0:EAX = %#x < 1", l0.eax);
	report_check(e0.eax >= 0x80000008 && e0.eax < 0x80000100, "max-extended-leaf",
		     "CPUID.80000000h:EAX = %#x", e0.eax);

	/* Features these guests and Linux rely on (SDM Vol. 2A, CPUID, Table 3-11). */
	report_check(l1.edx & (1u << 9), "apic-present", "CPUID.1:EDX.APIC[9] = 0");
	report_check(l1.edx & (1u << 5), "msr-present", "CPUID.1:EDX.MSR[5] = 0");
	report_check(l1.edx & (1u << 4), "tsc-present", "CPUID.1:EDX.TSC[4] = 0");
	report_check(cpuid(0x80000001, 0).edx & (1u << 29), "long-mode",
		     "CPUID.80000001h:EDX.LM[29] = 0 while running in long mode");

	uint32_t initial_id = l1.ebx >> 24;
	report_check(initial_id == lapic_id(), "bsp-initial-apic-id",
		     "CPUID.1:EBX[31:24] = %u but the APIC ID register says %u", initial_id, lapic_id());

	unsigned maxphys = cpuid(0x80000008, 0).eax & 0xff;
	report_check(maxphys >= 36 && maxphys <= 52, "maxphyaddr",
		     "CPUID.80000008h:EAX[7:0] = %u", maxphys);

	struct cpuid_regs again = cpuid(0, 0);
	report_check(again.eax == l0.eax && again.ebx == l0.ebx && again.ecx == l0.ecx &&
		     again.edx == l0.edx, "stable", "CPUID.0 changed between two executions");

	/* The second CPU must see the same vendor and its own, different, APIC ID. */
	unsigned expected = smp_expected_cpus();
	if (expected < 2) {
		report_skip("ap-view", "platform reports %u CPU", expected);
		return;
	}
	if (!report_check(smp_start_aps(expected) == expected, "ap-online",
			  "%u of %u CPUs came up", smp_online_cpus(), expected))
		return;
	smp_run_on(1, ap_probe, NULL);
	if (!report_check(smp_wait_done(1, 1000000), "ap-ran", "AP 1 did not run the probe"))
		return;
	report_check(ap_view.leaf0.ebx == l0.ebx && ap_view.leaf0.ecx == l0.ecx &&
		     ap_view.leaf0.edx == l0.edx && ap_view.leaf0.eax == l0.eax, "ap-same-vendor",
		     "AP sees a different CPUID.0");
	report_check(ap_view.initial_apic_id == ap_view.apic_id, "ap-initial-apic-id",
		     "AP: CPUID.1:EBX[31:24] = %u, APIC ID register %u",
		     ap_view.initial_apic_id, ap_view.apic_id);
	report_check(ap_view.apic_id != lapic_id(), "ap-distinct-apic-id",
		     "AP and BSP both have APIC ID %u", lapic_id());
}
