/* devices: nestor's PC platform in user space: port I/O, MMIO, the IRQ wiring and its clock. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "lib/log.h"
#include "devices/clock_ticks.h"
#include "vmm.h"

#define L2_PREFIX	"L2: "
#define MMIO_REPORTS	16	/* unexpected MMIO accesses reported by address, then counted */
#define TIMER_MAX_SLEEP_NS 10000000ull

/* nestor's log lines ("[nestor] warn: ...") from the device models, as VMM lines. */
static void log_sink(const char *text, size_t len)
{
	size_t skip = strlen(LOG_PREFIX);

	if (len >= skip && !memcmp(text, LOG_PREFIX, skip)) {
		text += skip;
		len -= skip;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	vmm_say("device: %.*s", (int)len, text);
}

/* One payload console line, "L2: " included: printed at once, and it counts as progress. */
static void guest_line(void *ctx, const char *text, size_t len)
{
	struct vmm *m = ctx;

	fwrite(text, 1, len, stdout);
	fflush(stdout);
	m->console_lines++;
	if (m->scenario->marker && memmem(text, len, m->scenario->marker,
					  strlen(m->scenario->marker)))
		m->marker_seen = true;
	progress_note(m);
}

static void debug_exit(void *ctx, uint32_t value)
{
	struct vmm *m = ctx;

	progress_note(m);
	vmm_say("payload wrote %#x to the debug-exit port", value);
	if (m->scenario->end != END_DEBUG_EXIT)
		vmm_finish(RESULT_ERROR, "debug-exit %#x from a payload that should not end so",
			   value);
	if (value == 0x10)
		vmm_finish(RESULT_PASS, "payload passed, debug-exit 0x10");
	if (value == 0x11)
		vmm_finish(RESULT_FAIL, "payload reported failures, debug-exit 0x11");
	vmm_finish(RESULT_ERROR, "payload wrote the unknown verdict %#x", value);
}

static void power_off(void *ctx)
{
	struct vmm *m = ctx;

	vmm_say("payload powered off (ACPI S5)");
	if (m->scenario->end == END_POWEROFF && m->marker_seen)
		vmm_finish(RESULT_PASS, "payload printed \"%s\" and powered off",
			   m->scenario->marker);
	vmm_finish(RESULT_ERROR, "payload powered off %s", m->scenario->marker ?
		   "before printing its marker" : "unexpectedly");
}

static void reset(void *ctx, const char *source)
{
	(void)ctx;
	vmm_finish(RESULT_ERROR, "payload asked for a reset (%s)", source);
}

/*
 * ISA IRQ n of a device model. In-kernel mode: KVM's routing (kvm_vm.c) takes GSI n to its
 * 8259 and IOAPIC; IRQ 0 belongs to KVM's PIT, which shadows nestor's PIT ports. Split mode:
 * the VMM's 8259 and IOAPIC, wired as nestor wires them (IRQ 0 at pin 2, no pin for IRQ 2).
 */
static void irq_set_level(void *ctx, unsigned irq, bool level)
{
	struct vmm *m = ctx;

	if (m->opt.irqchip == IRQCHIP_KERNEL) {
		struct kvm_irq_level line = { .irq = irq, .level = level };
		if (irq != 0 && ioctl(m->vm_fd, KVM_IRQ_LINE, &line) < 0)
			vmm_say("KVM_IRQ_LINE %u=%d: %s", irq, level, strerror(errno));
		return;
	}
	if (irq < 16)
		vpic_set_irq(&m->apic.pic, irq, level);
	unsigned gsi = irq == 0 ? 2 : irq;
	if (gsi < VIOAPIC_PINS && irq != 2)
		vioapic_set_pin(&m->apic.ioapic, gsi, level);
}

void devices_create(struct vmm *m)
{
	struct platform_config cfg = {
		.ram_below_4g = m->mem.size, .nb_cpus = (uint16_t)m->nvcpus,
		.max_cpus = (uint16_t)m->nvcpus, .wall_clock_seconds = 1767225600,
		.now_ns = 0, .guest_prefix = L2_PREFIX, .pc_testdev = true,
	};
	struct platform_callbacks cb = {
		.ctx = m, .irq = { irq_set_level, m }, .guest_line = guest_line,
		.debug_exit = debug_exit, .power_off = power_off, .reset = reset,
	};

	log_set_sink(log_sink);
	log_set_level(LOG_WARN);
	io_bus_init(&m->io);
	if (!platform_register_devices(&m->platform, &m->io, &cfg, &cb))
		vmm_finish(RESULT_ERROR, "the platform's devices could not be registered");
}

void devices_port_io(struct vmm *m, struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	unsigned size = run->io.size;

	pthread_mutex_lock(&m->dev_lock);
	platform_set_time(&m->platform, vmm_now_ns() - m->start_ns);
	for (uint32_t i = 0; i < run->io.count; i++, data += size) {
		uint32_t value = 0;
		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&value, data, size);
			io_bus_write(&m->io, run->io.port, size, value);
		} else {
			value = io_bus_read(&m->io, run->io.port, size);
			memcpy(data, &value, size);
		}
	}
	pthread_mutex_unlock(&m->dev_lock);
}

static void mmio_unexpected(struct vmm *m, struct vcpu *v)
{
	static unsigned reported;
	struct kvm_run *run = v->run;

	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
	if (reported++ < MMIO_REPORTS)
		vmm_say("vCPU %u: unexpected MMIO %s at %#llx, %u bytes%s", v->index,
			run->mmio.is_write ? "write" : "read", run->mmio.phys_addr, run->mmio.len,
			reported == MMIO_REPORTS ? " (further ones only counted)" : "");
	(void)m;
}

void devices_mmio(struct vmm *m, struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t gpa = run->mmio.phys_addr;

	if (m->opt.irqchip != IRQCHIP_SPLIT || gpa < VIOAPIC_DEFAULT_BASE ||
	    gpa >= VIOAPIC_DEFAULT_BASE + VIOAPIC_WINDOW_SIZE) {
		mmio_unexpected(m, v);
		return;
	}
	pthread_mutex_lock(&m->dev_lock);
	if (run->mmio.is_write) {
		uint64_t value = 0;
		memcpy(&value, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
		vioapic_mmio_ops.write(&m->apic.ioapic, gpa - VIOAPIC_DEFAULT_BASE, run->mmio.len,
				       value);
		split_irq_routes_update(m);
	} else {
		uint64_t value = vioapic_mmio_ops.read(&m->apic.ioapic, gpa - VIOAPIC_DEFAULT_BASE,
						       run->mmio.len);
		memcpy(run->mmio.data, &value, run->mmio.len <= 8 ? run->mmio.len : 8);
	}
	pthread_mutex_unlock(&m->dev_lock);
}

/* Drives the device models' clocks: PIT edges (split mode), RTC and ACPI PM events. */
void *devices_timer_thread(void *arg)
{
	struct vmm *m = arg;

	for (;;) {
		pthread_mutex_lock(&m->dev_lock);
		uint64_t now = vmm_now_ns() - m->start_ns;
		platform_set_time(&m->platform, now);
		uint64_t next = platform_next_deadline(&m->platform);
		pthread_mutex_unlock(&m->dev_lock);
		uint64_t wait = next == DEVICE_NO_DEADLINE || next <= now ? 0 : next - now;
		if (next != DEVICE_NO_DEADLINE && next <= now)
			wait = 50000;	/* an edge just went out; look again soon */
		if (wait == 0 || wait > TIMER_MAX_SLEEP_NS)
			wait = TIMER_MAX_SLEEP_NS;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)wait };
		nanosleep(&ts, NULL);
	}
	return NULL;
}
