/* personality: the hypervisor interface a platform shows (expect=none|native|kvm|hyperv). */
#include "guest.h"
#include "lib/string.h"
#include "smp.h"

const char guest_name[] = "personality";

#define HV_LEAF 0x40000000u
#define KVM_HC_SEND_IPI 10
#define KVM_FEATURE_PV_SEND_IPI (1u << 11)
#define KVM_ENOSYS 1000
#define UNKNOWN_HYPERCALL 0xdeadbeefull
#define WAIT_US 1000000

/* RAX in and out, the four arguments in RBX, RCX, RDX, RSI (KVM's hypercall ABI). */
struct hcall {
	uint64_t rax, rbx, rcx, rdx, rsi;
};

/* VMCALL (Intel) or VMMCALL (AMD); the vector it raised, or -1. */
static int hypercall(bool vmmcall, struct hcall *h)
{
	fault_begin();
	if (vmmcall)
		asm volatile("1: vmmcall\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
			     : "+a"(h->rax), "+b"(h->rbx), "+c"(h->rcx), "+d"(h->rdx), "+S"(h->rsi)
			     : : "memory");
	else
		asm volatile("1: vmcall\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
			     : "+a"(h->rax), "+b"(h->rbx), "+c"(h->rcx), "+d"(h->rdx), "+S"(h->rsi)
			     : : "memory");
	return fault_end();
}

static bool is_amd(void)
{
	return cpuid(0, 0).ebx == 0x68747541;	/* "Auth" */
}

static bool signature_is(struct cpuid_regs r, const char *sig)
{
	uint32_t words[3] = { r.ebx, r.ecx, r.edx };
	return !memcmp(words, sig, 12);
}

static const char *const known_signatures[] = {
	"KVMKVMKVM\0\0\0", "nestornestor", "Microsoft Hv", "VMwareVMware", "XenVMMXenVMM",
	"TCGTCGTCGTCG", "bhyve bhyve ", " lrpepyh  vr",
};

static void check_hypervisor_bit(bool want)
{
	bool bit = cpuid(1, 0).ecx & (1u << 31);
	report_check(bit == want, want ? "hypervisor-bit" : "no-hypervisor-bit",
		     "CPUID.1:ECX[31] = %d", bit);
}

/* The instruction is #UD where no hypercall interface is offered. */
static void check_hypercall_ud(bool vmmcall)
{
	struct hcall h = { UNKNOWN_HYPERCALL, 1, 2, 3, 4 };
	int vec = hypercall(vmmcall, &h);
	report_check(vec == VEC_UD, vmmcall ? "vmmcall-ud" : "vmcall-ud",
		     "%s raised %s, RAX %#lx", vmmcall ? "VMMCALL" : "VMCALL", fault_name(vec),
		     (unsigned long)h.rax);
}

/* KVM answers both instructions on either vendor; an unknown number is -KVM_ENOSYS and
 * nothing but RAX changes (Documentation/virt/kvm/x86/hypercalls.rst). */
static void check_unknown_hypercall(bool vmmcall)
{
	struct hcall h = { UNKNOWN_HYPERCALL, 0x1111, 0x2222, 0x3333, 0x4444 };
	int vec = hypercall(vmmcall, &h);
	report_check(vec < 0 && h.rax == (uint64_t)-KVM_ENOSYS && h.rbx == 0x1111 &&
		     h.rcx == 0x2222 && h.rdx == 0x3333 && h.rsi == 0x4444,
		     vmmcall ? "vmmcall-unknown-enosys" : "vmcall-unknown-enosys",
		     "%s: %s, RAX %#lx (want %#lx), RBX %#lx RCX %#lx RDX %#lx RSI %#lx",
		     vmmcall ? "VMMCALL" : "VMCALL", fault_name(vec), (unsigned long)h.rax,
		     (unsigned long)-KVM_ENOSYS, (unsigned long)h.rbx, (unsigned long)h.rcx,
		     (unsigned long)h.rdx, (unsigned long)h.rsi);
}

static unsigned seen(unsigned cpu, unsigned vector)
{
	return percpu[cpu].irq_count[vector];
}

/* KVM_HC_SEND_IPI: bit i of the bitmap is APIC ID min + i; the result is how many got it. */
static void check_send_ipi(const char *name, uint64_t bitmap, uint32_t min, unsigned vector,
			   unsigned want_bsp, unsigned want_ap)
{
	struct hcall h = { KVM_HC_SEND_IPI, bitmap, 0, min, vector };	/* ICR: fixed, physical */
	int vec = hypercall(is_amd(), &h);
	bool arrived = (!want_ap || irq_wait(1, vector, want_ap, WAIT_US)) &&
		       (!want_bsp || irq_wait(0, vector, want_bsp, WAIT_US));
	irq_settle();
	report_check(vec < 0 && h.rax == want_bsp + want_ap && arrived &&
		     seen(0, vector) == want_bsp && seen(1, vector) == want_ap, name,
		     "bitmap %#lx min %u: %s, returned %ld (want %u); vector %#x taken %u times "
		     "by the BSP (want %u), %u by the AP (want %u)", (unsigned long)bitmap, min,
		     fault_name(vec), (long)h.rax, want_bsp + want_ap, vector, seen(0, vector),
		     want_bsp, seen(1, vector), want_ap);
}

static void check_kvm(void)
{
	struct cpuid_regs sig = cpuid(HV_LEAF, 0), feat = cpuid(HV_LEAF + 1, 0);
	report_info("40000000h: %#x, 40000001h: EAX %#x EDX %#x", sig.eax, feat.eax, feat.edx);
	check_hypervisor_bit(true);
	report_check(signature_is(sig, "KVMKVMKVM\0\0\0") && sig.eax >= HV_LEAF + 1,
		     "kvm-signature", "40000000h: EAX %#x, EBX %#x ECX %#x EDX %#x", sig.eax,
		     sig.ebx, sig.ecx, sig.edx);
	report_check(feat.eax & KVM_FEATURE_PV_SEND_IPI, "kvm-pv-send-ipi-offered",
		     "40000001h:EAX = %#x", feat.eax);
	check_unknown_hypercall(false);
	check_unknown_hypercall(true);

	unsigned expected = smp_expected_cpus();
	if (expected < 2 || smp_start_aps(expected) < 2) {
		report_fail("send-ipi-to-listed", "no AP (expected %u CPUs)", expected);
		return;
	}
	for (unsigned v = 0x60; v <= 0x62; v++)
		idt_set_handler(v, lapic_eoi_handler);
	uint32_t bsp = percpu[0].apic_id, ap = percpu[1].apic_id;
	uint32_t min = bsp < ap ? bsp : ap;
	check_send_ipi("send-ipi-to-listed", (1ull << (bsp - min)) | (1ull << (ap - min)), min,
		       0x60, 1, 1);
	check_send_ipi("send-ipi-only-listed", 1ull << (ap - min), min, 0x61, 0, 1);
	check_send_ipi("send-ipi-from-min", 1, ap, 0x62, 0, 1);
}

static void check_signature(const char *name, const char *sig, uint32_t min_max_leaf)
{
	struct cpuid_regs r = cpuid(HV_LEAF, 0);
	report_check(signature_is(r, sig) && r.eax >= min_max_leaf, name,
		     "40000000h: EAX %#x, EBX %#x ECX %#x EDX %#x", r.eax, r.ebx, r.ecx, r.edx);
}

/* Hyper-V's leaves without enlightenments: no eVMCS (40000004h.EAX[14]) and no nested
 * guest-mapping flush (4000000Ah.EAX[18]), so an L1 KVM uses plain VMX (nested-facts.md). */
static void check_hyperv(void)
{
	check_hypervisor_bit(true);
	check_signature("hyperv-signature", "Microsoft Hv", HV_LEAF + 5);
	report_check(cpuid(HV_LEAF + 1, 0).eax == 0x31237648, "hyperv-interface",
		     "40000001h:EAX = %#x, not \"Hv#1\"", cpuid(HV_LEAF + 1, 0).eax);
	uint32_t rec = cpuid(HV_LEAF + 4, 0).eax, nested = cpuid(HV_LEAF + 10, 0).eax;
	report_check(!(rec & (1u << 14)) && !(nested & (1u << 18)) && !(nested & 0xff),
		     "hyperv-no-enlightenment", "40000004h:EAX %#x, 4000000Ah:EAX %#x", rec,
		     nested);
	check_hypercall_ud(false);
	check_hypercall_ud(true);
}

/* A bare CPU: no hypervisor bit, and leaf 40000000h is out of range (AMD: zeros; Intel: the
 * highest basic leaf), never a signature. */
static void check_native(void)
{
	struct cpuid_regs r = cpuid(HV_LEAF, 0);
	bool signed_leaf = false;
	for (unsigned i = 0; i < sizeof(known_signatures) / sizeof(known_signatures[0]); i++)
		signed_leaf |= signature_is(r, known_signatures[i]);
	check_hypervisor_bit(false);
	report_check(!signed_leaf && !(r.eax >= HV_LEAF && r.eax < HV_LEAF + 0x10000),
		     "no-hypervisor-leaves", "40000000h: EAX %#x, EBX %#x ECX %#x EDX %#x", r.eax,
		     r.ebx, r.ecx, r.edx);
	check_hypercall_ud(false);
	check_hypercall_ud(true);
}

static void check_none(void)
{
	check_hypervisor_bit(true);
	check_signature("nestor-signature", "nestornestor", HV_LEAF + 1);
	check_hypercall_ud(false);
	check_hypercall_ud(true);
}

/* Whether the command line has the word "expect=<name>". */
static bool expects(const char *name)
{
	size_t n = strlen(name);
	for (const char *p = bootinfo.cmdline; *p; p++) {
		bool word_start = p == bootinfo.cmdline || p[-1] == ' ';
		if (word_start && !strncmp(p, "expect=", 7) && !strncmp(p + 7, name, n) &&
		    (p[7 + n] == 0 || p[7 + n] == ' '))
			return true;
	}
	return false;
}

void guest_main(void)
{
	report_info("vendor %s", is_amd() ? "AMD" : "not AMD");
	if (expects("kvm"))
		check_kvm();
	else if (expects("hyperv"))
		check_hyperv();
	else if (expects("native"))
		check_native();
	else if (expects("none"))
		check_none();
	else
		report_fail("expect", "the command line names no personality (expect=...)");
}
