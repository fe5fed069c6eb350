/* kvm_vm: the VM on /dev/kvm: memory, interrupt-controller mode, CPUID, the payload. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/loaders/loader.h"
#include "vmm.h"

#define TSS_ADDR	0xfffbd000ul	/* three pages KVM needs below 4 GiB on VMX, as QEMU */
#define IDENTITY_ADDR	0xfffbc000ul
#define CPUID_ENTRIES	100
#define CPUID_X2APIC	(1u << 21)	/* CPUID.1:ECX */
#define CPUID_TSC_DEADLINE (1u << 24)	/* CPUID.1:ECX */

long kvm_must(int fd, unsigned long request, void *arg, const char *what)
{
	long r = ioctl(fd, request, arg);

	if (r < 0)
		vmm_finish(RESULT_ERROR, "%s: %s", what, strerror(errno));
	return r;
}

/*
 * In-kernel mode: KVM's 8259s, IOAPIC and PIT, with QEMU's GSI routing so that the PIT's
 * GSI 0 reaches IOAPIC pin 2 (the MADT's interrupt source override) and the 8259's IRQ 0.
 */
static void vm_kernel_irqchip(struct vmm *m)
{
	struct kvm_pit_config pit = { .flags = 0 };
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[64];
	} table = { 0 };
	unsigned n = 0;

	kvm_must(m->vm_fd, KVM_CREATE_IRQCHIP, NULL, "KVM_CREATE_IRQCHIP");
	kvm_must(m->vm_fd, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2");
	for (unsigned i = 0; i < 16; i++) {
		if (i == 2)
			continue;	/* the cascade */
		table.e[n++] = (struct kvm_irq_routing_entry){ .gsi = i,
			.type = KVM_IRQ_ROUTING_IRQCHIP, .u.irqchip = {
			.irqchip = i < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE,
			.pin = i & 7 } };
	}
	for (unsigned i = 0; i < VIOAPIC_PINS; i++) {
		if (i == 2)
			continue;
		table.e[n++] = (struct kvm_irq_routing_entry){ .gsi = i,
			.type = KVM_IRQ_ROUTING_IRQCHIP, .u.irqchip = {
			.irqchip = KVM_IRQCHIP_IOAPIC, .pin = i == 0 ? 2 : i } };
	}
	table.r.nr = n;
	kvm_must(m->vm_fd, KVM_SET_GSI_ROUTING, &table, "KVM_SET_GSI_ROUTING");
}

/* Split mode: the LAPICs in the kernel, the IOAPIC's 24 pins and the 8259 in the VMM. */
static void vm_split_irqchip(struct vmm *m)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { VIOAPIC_PINS } };

	kvm_must(m->vm_fd, KVM_ENABLE_CAP, &cap, "KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP)");
}

void vm_create(struct vmm *m)
{
	unsigned mem_mb = m->opt.mem_mb ? m->opt.mem_mb :
			  m->scenario->mem_mb ? m->scenario->mem_mb : 64;

	m->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (m->kvm_fd < 0)
		vmm_finish(RESULT_ERROR, "open /dev/kvm: %s", strerror(errno));
	if (ioctl(m->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		vmm_finish(RESULT_ERROR, "KVM API version is not %d", KVM_API_VERSION);
	m->vm_fd = (int)kvm_must(m->kvm_fd, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	m->run_size = (int)kvm_must(m->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
	kvm_must(m->vm_fd, KVM_SET_TSS_ADDR, (void *)TSS_ADDR, "KVM_SET_TSS_ADDR");
	uint64_t identity = IDENTITY_ADDR;
	kvm_must(m->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &identity, "KVM_SET_IDENTITY_MAP_ADDR");

	m->mem.size = (uint64_t)mem_mb << 20;
	m->mem.hva = mmap(NULL, m->mem.size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->mem.hva == MAP_FAILED)
		vmm_finish(RESULT_ERROR, "mmap of %u MiB guest RAM: %s", mem_mb, strerror(errno));
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = m->mem.size,
		.userspace_addr = (uintptr_t)m->mem.hva,
	};
	kvm_must(m->vm_fd, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");
	/*
	 * KVM resets the BSP's LINT0 to ExtINT (KVM_X86_QUIRK_LINT0_REENABLED); like the
	 * hardware it stays masked here until the payload sets it. Otherwise a PIT tick into
	 * the 8259 before the payload masks it opens an interrupt window that stays pending in
	 * L2's VMCB (V_IRQ), and QEMU 7.2 as L0 aborts on L2's next MOV CR8 (docs/l1.md).
	 */
	struct kvm_enable_cap quirks = { .cap = KVM_CAP_DISABLE_QUIRKS,
					 .args = { KVM_X86_QUIRK_LINT0_REENABLED } };
	kvm_must(m->vm_fd, KVM_ENABLE_CAP, &quirks, "KVM_CAP_DISABLE_QUIRKS(LINT0_REENABLED)");
	if (m->opt.irqchip == IRQCHIP_SPLIT)
		vm_split_irqchip(m);
	else
		vm_kernel_irqchip(m);
	vmm_say("vm: %u MiB RAM, %s irqchip", mem_mb,
		m->opt.irqchip == IRQCHIP_SPLIT ? "split" : "in-kernel");
}

/*
 * KVM's supported CPUID, with each vCPU's APIC ID, x2APIC only when asked for, and the
 * TSC-deadline timer, which KVM reports as a capability rather than in that CPUID.
 */
void vm_set_cpuid(struct vmm *m, struct vcpu *v)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[CPUID_ENTRIES];
	} cpuid = { .c.nent = CPUID_ENTRIES };

	kvm_must(m->kvm_fd, KVM_GET_SUPPORTED_CPUID, &cpuid, "KVM_GET_SUPPORTED_CPUID");
	for (unsigned i = 0; i < cpuid.c.nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid.e[i];
		if (e->function == 1) {
			e->ebx = (e->ebx & 0x00ffffffu) | (v->index << 24);
			if (!m->opt.x2apic)
				e->ecx &= ~CPUID_X2APIC;
			if (ioctl(m->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0)
				e->ecx |= CPUID_TSC_DEADLINE;
		} else if (e->function == 0xb || e->function == 0x1f) {
			e->edx = v->index;	/* x2APIC ID */
		}
	}
	kvm_must(v->fd, KVM_SET_CPUID2, &cpuid, "KVM_SET_CPUID2");
}

static void read_file(const char *dir, const char *name, struct boot_file *f, const char *role)
{
	char path[512];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		vmm_finish(RESULT_ERROR, "payload %s: %s", path, strerror(errno));
	f->role = role;
	snprintf(f->path, sizeof(f->path), "%s", name);
	f->size = (size_t)st.st_size;
	f->data = malloc(f->size ? f->size : 1);
	for (size_t done = 0; done < f->size;) {
		ssize_t n = read(fd, f->data + done, f->size - done);
		if (n <= 0)
			vmm_finish(RESULT_ERROR, "reading %s: %s", path, n ? strerror(errno) : "short");
		done += (size_t)n;
	}
	close(fd);
}

/* nestor's own loaders put the payload, its command line and the ACPI tables in RAM. */
void vm_load_payload(struct vmm *m, struct guest_entry *entry)
{
	struct boot_file files[2];
	struct acpi_platform platform;
	struct loader_result result;
	char cmdline[1024];
	unsigned nfiles = 1;

	read_file(m->opt.payload_dir, m->scenario->payload, &files[0], "kernel");
	if (m->scenario->initrd)
		read_file(m->opt.payload_dir, m->scenario->initrd, &files[nfiles++], "initrd");
	snprintf(cmdline, sizeof(cmdline), "%s%s%s", m->scenario->cmdline,
		 *m->opt.append && *m->scenario->cmdline ? " " : "", m->opt.append);
	acpi_platform_defaults(&platform, m->nvcpus);
	enum loader_status st = loader_load(&m->mem, files, nfiles, cmdline, &platform, &result);
	if (st != LOADER_OK)
		vmm_finish(RESULT_ERROR, "loading %s: %s", m->scenario->payload,
			   loader_status_name(st));
	*entry = result.entry;
	vmm_say("payload: %s (%s, %zu bytes%s), entry %#llx in %s mode, cmdline \"%s\"",
		m->scenario->payload, payload_kind_name(result.kind), files[0].size,
		nfiles > 1 ? ", with initrd" : "", (unsigned long long)entry->rip,
		entry->long_mode ? "64-bit" : "32-bit", cmdline);
}
