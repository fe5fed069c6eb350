/* kvmprobe: reports what /dev/kvm offers inside L1 and runs a three-instruction L2 guest. */
/*
 * Runs inside the L1 Linux payload (static, no libraries beyond libc). Every output line starts
 * with "L1: kvmprobe: " so a harness can pick it out of the console. Exit status: 0 when /dev/kvm
 * answered and the L2 guest ran as expected, 1 when /dev/kvm is absent, 2 on any other failure.
 *
 * The L2 guest is real-mode code at guest-physical 0x1000:
 *     mov al, 0x2a ; out 0xf4, al ; hlt
 * Seeing KVM_EXIT_IO (port 0xf4, byte 0x2a) and then KVM_EXIT_HLT proves that L1's hypervisor
 * really entered a guest (VMRUN or VMLAUNCH) and that both intercepts came back to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define L2_CODE_GPA   0x1000u
#define L2_MEM_SIZE   0x1000u
#define L2_EXIT_PORT  0xf4u
#define L2_EXIT_VALUE 0x2au
/* Upper bound for one KVM_RUN: a broken nested setup must not hang /init. */
#define L2_RUN_SECONDS 10u

struct capability {
	long id;
	const char *name;
};

/* The extensions a test VMM for the interrupt seeds will rely on. */
static const struct capability capabilities[] = {
	{ KVM_CAP_USER_MEMORY, "user-memory" },
	{ KVM_CAP_IRQCHIP, "irqchip" },
	{ KVM_CAP_SPLIT_IRQCHIP, "split-irqchip" },
	{ KVM_CAP_X2APIC_API, "x2apic-api" },
	{ KVM_CAP_TSC_DEADLINE_TIMER, "tsc-deadline-timer" },
	{ KVM_CAP_IRQFD, "irqfd" },
	{ KVM_CAP_NESTED_STATE, "nested-state" },
	{ KVM_CAP_NR_VCPUS, "nr-vcpus" },
	{ KVM_CAP_MAX_VCPUS, "max-vcpus" },
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("L1: kvmprobe: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void report_capabilities(int kvm)
{
	size_t i;

	for (i = 0; i < sizeof(capabilities) / sizeof(capabilities[0]); i++) {
		int value = ioctl(kvm, KVM_CHECK_EXTENSION, capabilities[i].id);

		if (value < 0)
			say("cap %s=error (%s)", capabilities[i].name, strerror(errno));
		else
			say("cap %s=%d", capabilities[i].name, value);
	}
}

/* Reports a failed L2 setup step with errno's reason. */
static int l2_failed(const char *step)
{
	say("l2-guest: failed (%s: %s)", step, strerror(errno));
	return -1;
}

/* SIGALRM only has to interrupt KVM_RUN (which then fails with EINTR). */
static void on_alarm(int signo)
{
	(void)signo;
}

static int arm_run_timeout(void)
{
	struct sigaction action;

	memset(&action, 0, sizeof(action));
	action.sa_handler = on_alarm;
	return sigaction(SIGALRM, &action, NULL); /* no SA_RESTART: KVM_RUN returns EINTR */
}

/* Real-mode CS:IP = 0:L2_CODE_GPA, flat data segments as after reset. */
static int set_l2_entry_state(int vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = L2_CODE_GPA;
	regs.rflags = 0x2; /* bit 1 is reserved and reads as 1 (SDM Vol 1, 3.4.3) */
	return ioctl(vcpu, KVM_SET_REGS, &regs);
}

static const char *exit_name(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_IO: return "io";
	case KVM_EXIT_HLT: return "hlt";
	case KVM_EXIT_MMIO: return "mmio";
	case KVM_EXIT_SHUTDOWN: return "shutdown";
	case KVM_EXIT_FAIL_ENTRY: return "fail-entry";
	case KVM_EXIT_INTERNAL_ERROR: return "internal-error";
	default: return "other";
	}
}

/* One KVM_RUN; returns the exit reason or -1 (with a reported cause). */
static int run_once(int vcpu, struct kvm_run *run)
{
	int rc;

	alarm(L2_RUN_SECONDS);
	rc = ioctl(vcpu, KVM_RUN, 0);
	alarm(0);
	if (rc < 0) {
		say("l2-guest: failed (KVM_RUN: %s)", errno == EINTR ? "no exit within the time limit" :
		    strerror(errno));
		return -1;
	}
	return (int)run->exit_reason;
}

static int expect_io_then_hlt(int vcpu, struct kvm_run *run)
{
	int reason = run_once(vcpu, run);
	uint8_t value;

	if (reason < 0)
		return -1;
	if (reason != KVM_EXIT_IO) {
		say("l2-guest: failed (first exit %s/%d, expected io)", exit_name((uint32_t)reason), reason);
		return -1;
	}
	value = *((uint8_t *)run + run->io.data_offset);
	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != L2_EXIT_PORT || run->io.size != 1 ||
	    value != L2_EXIT_VALUE) {
		say("l2-guest: failed (io dir=%u port=%#x size=%u value=%#x)", run->io.direction,
		    run->io.port, run->io.size, value);
		return -1;
	}
	reason = run_once(vcpu, run);
	if (reason < 0)
		return -1;
	if (reason != KVM_EXIT_HLT) {
		say("l2-guest: failed (second exit %s/%d, expected hlt)", exit_name((uint32_t)reason), reason);
		return -1;
	}
	say("l2-guest: ok (io port %#x value %#x, then hlt)", L2_EXIT_PORT, L2_EXIT_VALUE);
	return 0;
}

static int run_l2_guest(int kvm, int vm)
{
	static const uint8_t code[] = { 0xb0, L2_EXIT_VALUE, 0xe6, L2_EXIT_PORT, 0xf4 };
	struct kvm_userspace_memory_region region;
	struct kvm_run *run;
	void *memory;
	int mmap_size, vcpu;

	memory = mmap(NULL, L2_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (memory == MAP_FAILED)
		return l2_failed("mmap");
	memcpy(memory, code, sizeof(code));
	memset(&region, 0, sizeof(region));
	region.guest_phys_addr = L2_CODE_GPA;
	region.memory_size = L2_MEM_SIZE;
	region.userspace_addr = (uint64_t)(uintptr_t)memory;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return l2_failed("KVM_SET_USER_MEMORY_REGION");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return l2_failed("KVM_CREATE_VCPU");
	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(*run))
		return l2_failed("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return l2_failed("mmap kvm_run");
	if (set_l2_entry_state(vcpu) < 0)
		return l2_failed("setting registers");
	if (arm_run_timeout() < 0)
		return l2_failed("sigaction");
	return expect_io_then_hlt(vcpu, run);
}

int main(void)
{
	int kvm, vm, api;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		say("/dev/kvm: absent (%s)", strerror(errno));
		return 1;
	}
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	say("api-version=%d", api);
	if (api != KVM_API_VERSION) {
		say("api-version: unexpected (this program knows %d)", KVM_API_VERSION);
		return 2;
	}
	report_capabilities(kvm);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		say("create-vm: failed (%s)", strerror(errno));
		return 2;
	}
	say("create-vm: ok");
	return run_l2_guest(kvm, vm) == 0 ? 0 : 2;
}
