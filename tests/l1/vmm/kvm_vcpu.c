/* kvm_vcpu: one vCPU: its entry state, its thread and the run loop that dispatches exits. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vmm.h"

#define KICK_SIGNAL	SIGUSR1

static __thread struct vcpu *this_vcpu;

/* A kick makes KVM_RUN return: now if inside it, at once if about to enter (immediate_exit). */
static void kick_handler(int sig)
{
	(void)sig;
	if (this_vcpu)
		__atomic_store_n(&this_vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
}

void vcpu_kick(struct vcpu *v)
{
	if (__atomic_load_n(&v->started, __ATOMIC_ACQUIRE))
		pthread_kill(v->thread, KICK_SIGNAL);
}

static struct kvm_segment flat(uint16_t selector, uint8_t type, bool code64)
{
	return (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = selector,
		.type = type, .present = 1, .dpl = 0, .db = !code64, .s = 1, .l = code64,
		.g = 1 };
}

/* The loader's entry convention (arch/x86/guest_entry.h), as KVM register state. */
static void vcpu_set_entry(struct vcpu *v, const struct guest_entry *e)
{
	struct kvm_sregs s;
	struct kvm_regs r = { 0 };

	kvm_must(v->fd, KVM_GET_SREGS, &s, "KVM_GET_SREGS");
	s.cs = flat(0x08, 0xb, e->long_mode);
	s.ds = s.es = s.fs = s.gs = s.ss = flat(0x10, 0x3, false);
	s.cr0 = X86_CR0_PE | (1u << 4);		/* ET */
	s.cr4 = 0;
	s.efer = 0;
	if (e->long_mode) {
		s.cr0 |= X86_CR0_PG;
		s.cr4 = X86_CR4_PAE;
		s.cr3 = e->cr3;
		s.efer = X86_EFER_LME | X86_EFER_LMA;
	}
	kvm_must(v->fd, KVM_SET_SREGS, &s, "KVM_SET_SREGS");
	const uint64_t *g = e->gprs.r;
	r.rax = g[GPR_RAX]; r.rcx = g[GPR_RCX]; r.rdx = g[GPR_RDX]; r.rbx = g[GPR_RBX];
	r.rsp = g[GPR_RSP]; r.rbp = g[GPR_RBP]; r.rsi = g[GPR_RSI]; r.rdi = g[GPR_RDI];
	r.r8 = g[GPR_R8]; r.r9 = g[GPR_R9]; r.r10 = g[GPR_R10]; r.r11 = g[GPR_R11];
	r.r12 = g[GPR_R12]; r.r13 = g[GPR_R13]; r.r14 = g[GPR_R14]; r.r15 = g[GPR_R15];
	r.rip = e->rip;
	r.rflags = 0x2;
	kvm_must(v->fd, KVM_SET_REGS, &r, "KVM_SET_REGS");
}

void vcpu_create(struct vmm *m, struct vcpu *v, const struct guest_entry *entry)
{
	v->index = (unsigned)(v - m->vcpu);
	v->fd = (int)kvm_must(m->vm_fd, KVM_CREATE_VCPU, (void *)(uintptr_t)v->index,
			      "KVM_CREATE_VCPU");
	v->run = mmap(NULL, (size_t)m->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		vmm_finish(RESULT_ERROR, "mmap of vCPU %u's kvm_run: %s", v->index, strerror(errno));
	v->stats_fd = ioctl(v->fd, KVM_GET_STATS_FD, NULL);
	vm_set_cpuid(m, v);
	/* The APs wait in KVM for INIT/SIPI (in-kernel LAPIC), as on a PC. */
	if (v->index == 0)
		vcpu_set_entry(v, entry);
}

static void vcpu_exit(struct vmm *m, struct vcpu *v)
{
	struct kvm_run *run = v->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		devices_port_io(m, v);
		break;
	case KVM_EXIT_MMIO:
		devices_mmio(m, v);
		break;
	case KVM_EXIT_IOAPIC_EOI:
		split_irq_eoi(m, run->eoi.vector);
		break;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
	case KVM_EXIT_INTR:
		break;	/* split_irq_before_run looks at the window before the next entry */
	case KVM_EXIT_SHUTDOWN:
		if (m->scenario->end == END_SHUTDOWN)
			vmm_finish(RESULT_PASS, "vCPU %u: KVM_EXIT_SHUTDOWN, the triple fault the "
				   "payload asked for", v->index);
		/* fall through */
	default:
		exit_report_abnormal(v);
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vmm *m = &vmm;
	sigset_t unblock;

	this_vcpu = v;
	sigemptyset(&unblock);
	sigaddset(&unblock, KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
	for (;;) {
		if (m->opt.irqchip == IRQCHIP_SPLIT)
			split_irq_before_run(m, v);
		int r = ioctl(v->fd, KVM_RUN, 0);
		__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
		if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
			__atomic_fetch_add(&v->exits[KVM_EXIT_INTR], 1, __ATOMIC_RELAXED);
			continue;
		}
		if (r < 0)
			vmm_finish(RESULT_ERROR, "vCPU %u: KVM_RUN: %s", v->index, strerror(errno));
		unsigned reason = v->run->exit_reason;
		__atomic_fetch_add(&v->exits[reason < VMM_EXIT_REASONS ? reason : 0], 1,
				   __ATOMIC_RELAXED);
		vcpu_exit(m, v);
	}
	return NULL;
}

void vcpu_start(struct vmm *m, struct vcpu *v)
{
	static bool handler_installed;
	sigset_t block;
	(void)m;

	if (!handler_installed) {
		struct sigaction sa = { .sa_handler = kick_handler };	/* no SA_RESTART */
		sigaction(KICK_SIGNAL, &sa, NULL);
		handler_installed = true;
	}
	/* Only vCPU threads take kicks: the other threads keep the signal blocked. */
	sigemptyset(&block);
	sigaddset(&block, KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	if (pthread_create(&v->thread, NULL, vcpu_thread, v))
		vmm_finish(RESULT_ERROR, "cannot start vCPU %u's thread", v->index);
	__atomic_store_n(&v->started, true, __ATOMIC_RELEASE);
}
