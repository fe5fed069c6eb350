#include "guest.h"
#include "ioapic.h"
#include "fwcfg.h"
const char guest_name[] = "probe";
void guest_main(void)
{
	struct cpuid_regs l1 = cpuid(1, 0);
	report_info("cpuid1 ecx=%#x edx=%#x x2apic=%u tscdl=%u", l1.ecx, l1.edx, (l1.ecx>>21)&1, (l1.ecx>>24)&1);
	report_info("apic ver=%#x ioapic ver=%#x pins=%u", lapic_read(APIC_VERSION), ioapic_read(1), ioapic_pins());
	uint64_t v = 0; int f;
	f = rdmsr_safe(0x12345678, &v); report_info("rdmsr unknown: fault=%d val=%#lx", f, (unsigned long)v);
	f = wrmsr_safe(0x12345678, 5); report_info("wrmsr unknown: fault=%d", f);
	f = rdmsr_safe(0x802, &v); report_info("rdmsr 0x802 xapic mode: fault=%d val=%#lx", f, (unsigned long)v);
	f = wrmsr_safe(MSR_FS_BASE, 0x8000000000000000ull); report_info("wrmsr fsbase noncanon: fault=%d", f);
	f = wrmsr_safe(0x277, 0x0202020202020202ull); report_info("wrmsr PAT reserved type: fault=%d", f);
	f = rdmsr_safe(0x3b, &v); report_info("rdmsr TSC_ADJUST: fault=%d %#lx", f, (unsigned long)v);
	f = wrmsr_safe(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1ull<<63)); report_info("wrmsr apicbase rsvd: fault=%d", f);
	f = wrmsr_safe(MSR_EFER, rdmsr(MSR_EFER) | (1ull<<20)); report_info("wrmsr efer rsvd: fault=%d", f);
	report_info("ports: 0x1234=%#x 0x7000=%#x w=%#x l=%#x 0x80=%#x 0x2f8=%#x 0x3e8=%#x 0xe0l=%#x", inb(0x1234), inb(0x7000), inw(0x7000), inl(0x7000), inb(0x80), inb(0x2f8), inb(0x3e8), inl(0xe0));
	lapic_write(APIC_LVT_LINT0, 0xffffffff); report_info("lvt lint0 after ~0: %#x", lapic_read(APIC_LVT_LINT0));
	lapic_write(APIC_LVT_TIMER, 0xffffffff); report_info("lvt timer after ~0: %#x", lapic_read(APIC_LVT_TIMER));
	lapic_write(APIC_LVT_ERROR, 0xffffffff); report_info("lvt err after ~0: %#x", lapic_read(APIC_LVT_ERROR));
	lapic_write(APIC_TPR, 0xffffffff); report_info("tpr after ~0: %#x", lapic_read(APIC_TPR)); lapic_write(APIC_TPR, 0);
	lapic_write(APIC_SPIV, 0xffffffff); report_info("spiv after ~0: %#x", lapic_read(APIC_SPIV));
	lapic_write(APIC_TIMER_DIVIDE, 0xffffffff); report_info("div after ~0: %#x", lapic_read(APIC_TIMER_DIVIDE));
	lapic_write(APIC_LDR, 0xffffffff); report_info("ldr after ~0: %#x", lapic_read(APIC_LDR));
	lapic_write(APIC_DFR, 0); report_info("dfr after 0: %#x", lapic_read(APIC_DFR));
	lapic_write(APIC_DFR, 0xffffffff); report_info("dfr after ~0: %#x", lapic_read(APIC_DFR));
	lapic_write(APIC_SPIV, 0xff); report_info("spiv disabled, lvt0=%#x lvt-timer=%#x", lapic_read(APIC_LVT_LINT0), lapic_read(APIC_LVT_TIMER));
	lapic_write(APIC_LVT_LINT0, 0x30); report_info("sw-disabled lint0 write 0x30 -> %#x", lapic_read(APIC_LVT_LINT0));
	lapic_setup();
	lapic_write(APIC_ESR, 0); report_info("esr=%#x", lapic_read(APIC_ESR));
	lapic_write(APIC_LVT_ERROR, 0xfe | LVT_MASKED);
	lapic_self_ipi(3);
	lapic_write(APIC_ESR, 0); report_info("esr after illegal self ipi=%#x", lapic_read(APIC_ESR));
	lapic_send_ipi(lapic_id(), ICR_ASSERT | 3);
	lapic_write(APIC_ESR, 0); report_info("esr after illegal ipi=%#x", lapic_read(APIC_ESR));
	report_info("isr/irr/tmr 0: %#x %#x %#x", lapic_read(APIC_ISR), lapic_read(APIC_IRR), lapic_read(APIC_TMR));
	uint64_t w; uint32_t w32; uint8_t b;
	f = read64_safe(0x40000000, &w); report_info("read 1G: f=%d %#lx", f, (unsigned long)w);
	f = write32_safe(0x40000000, 0x12345678); read32_safe(0x40000000, &w32); report_info("write/read 1G: f=%d %#x", f, w32);
	f = read32_safe(0xfed00000, &w32); report_info("read hpet: f=%d %#x", f, w32);
	f = read8_safe(0x100000000ull, &b); report_info("read 4G: f=%d %#x", f, b);
	f = read32_safe(0x1c0000000ull, &w32); report_info("read 7G: f=%d %#x", f, w32);
	report_info("fwcfg present=%d cpus=%lu ram=%#lx mem_upper=%u", fwcfg_present(), (unsigned long)fwcfg_read_le(5,2), (unsigned long)fwcfg_read_le(3,8), bootinfo.mem_upper_kb);
	report_info("tsc/ms=%lu", (unsigned long)tsc_per_ms());
	outb(0x70, 0x0a); uint8_t a = inb(0x71); outb(0x70, 0x0b); uint8_t bb = inb(0x71); outb(0x70, 0x0d); uint8_t d = inb(0x71);
	report_info("cmos A=%#x B=%#x D=%#x", a, bb, d);
	outl(0xcf8, 0x80000000); report_info("pci 0:0.0 id=%#x cf8=%#x", inl(0xcfc), inl(0xcf8));
	outl(0xcf8, 0x80000000 | (0x15 << 11)); report_info("pci 0:15.0 id=%#x", inl(0xcfc));
}
