/* watchdog: names a livelock instead of hanging, ends runs that outlast their time limit. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmm.h"

struct sample {
	uint64_t ns;
	uint64_t progress;
	uint64_t exits[VMM_EXIT_REASONS];	/* summed over the vCPUs */
	uint64_t kvm[KVM_STATS_MAX];
};

static struct kvm_stats stats;
static bool have_stats;

void progress_note(struct vmm *m)
{
	__atomic_fetch_add(&m->progress, 1, __ATOMIC_RELAXED);
}

static void take(struct vmm *m, struct sample *s)
{
	memset(s, 0, sizeof(*s));
	s->ns = vmm_now_ns();
	s->progress = __atomic_load_n(&m->progress, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < m->nvcpus; i++) {
		for (unsigned r = 0; r < VMM_EXIT_REASONS; r++)
			s->exits[r] += __atomic_load_n(&m->vcpu[i].exits[r], __ATOMIC_RELAXED);
		if (have_stats)
			kvm_stats_add(&stats, m->vcpu[i].stats_fd, s->kvm);
	}
}

/*
 * The exits KVM handles itself that can be a guest's loop. "exits" is their total;
 * irq_exits are the host's interrupts arriving while the guest ran and signal_exits the
 * host's signals (KVM_EXIT_INTR, left out below too): they go on whatever the guest does.
 * Under nestor on QEMU, L1's timer (l1vmm's 1 kHz device clock) outpaces the slow nested
 * seed-003 loop, so counting them named irq_exits instead of the loop's irq_window_exits.
 */
static bool kvm_exit_counter(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "exits") && strcmp(name, "irq_exits") && strcmp(name, "signal_exits") &&
	       n > 6 && !strcmp(name + n - 6, "_exits");
}

/* KVM's counters about exits and injected events; the paging and polling ones are left out. */
static bool interesting(const char *name)
{
	return strstr(name, "exits") || strstr(name, "injections") || !strcmp(name, "req_event") ||
	       !strcmp(name, "nested_run");
}

/* "NAME +N (R/s)" for every counter that moved between a and b, into buf. */
static void describe(const struct sample *a, const struct sample *b, char *buf, size_t size,
		     bool kernel)
{
	double secs = (double)(b->ns - a->ns) / 1e9;
	size_t used = 0;

	buf[0] = 0;
	unsigned n = kernel ? stats.n : VMM_EXIT_REASONS;
	for (unsigned i = 0; i < n && used + 64 < size; i++) {
		uint64_t d = kernel ? b->kvm[i] - a->kvm[i] : b->exits[i] - a->exits[i];
		if (!d || (kernel && !interesting(stats.name[i])))
			continue;
		used += (size_t)snprintf(buf + used, size - used, " %s=%llu (%.0f/s)",
					 kernel ? stats.name[i] : exit_name(i),
					 (unsigned long long)d, secs > 0 ? (double)d / secs : 0.0);
	}
	if (!used)
		snprintf(buf, size, " none");
}

/*
 * Names the loop: the most frequent exit to the VMM when it repeats at the livelock rate (the
 * VMM takes part in it, seed 002's EOI exits), else KVM's most frequent *_exits counter (a loop
 * that never leaves KVM_RUN, seed 003's IRQ-window exits).
 */
/* A reason repeating at least livelock_rate times a second during the stall is the loop. */
static void stalled(const struct sample *from, const struct sample *now, unsigned livelock_rate)
{
	char user[1024], kernel[2048];
	uint64_t best = 0, best_kvm = 0;
	const char *what = NULL, *what_kvm = NULL;
	double secs = (double)(now->ns - from->ns) / 1e9;
	uint64_t rate = (uint64_t)(livelock_rate * secs);

	describe(from, now, user, sizeof(user), false);
	describe(from, now, kernel, sizeof(kernel), true);
	vmm_say("watchdog: exits to the VMM during the stall:%s", user);
	vmm_say("watchdog: KVM counters during the stall:%s", kernel);
	for (unsigned r = 0; r < VMM_EXIT_REASONS; r++) {
		uint64_t d = now->exits[r] - from->exits[r];
		if (r != KVM_EXIT_INTR && d > best) {
			best = d;
			what = exit_name(r);
		}
	}
	for (unsigned i = 0; have_stats && i < stats.n; i++) {
		uint64_t d = now->kvm[i] - from->kvm[i];
		if (kvm_exit_counter(stats.name[i]) && d > best_kvm) {
			best_kvm = d;
			what_kvm = stats.name[i];
		}
	}
	if (what && best >= rate)
		vmm_finish(RESULT_REPRODUCED, "livelock: no payload progress for %.0f s while %s "
			   "repeats %llu times (%.0f/s, to the VMM)", secs, what,
			   (unsigned long long)best, (double)best / secs);
	if (what_kvm && best_kvm >= rate)
		vmm_finish(RESULT_REPRODUCED, "livelock: no payload progress for %.0f s while %s "
			   "repeats %llu times (%.0f/s, inside KVM)", secs, what_kvm,
			   (unsigned long long)best_kvm, (double)best_kvm / secs);
	vmm_finish(RESULT_ERROR, "stalled: no payload progress for %.0f s and no exit repeating "
		   "(most frequent: %s %llu times, inside KVM: %s %llu times)", secs,
		   what ? what : "none", (unsigned long long)best, what_kvm ? what_kvm : "none",
		   (unsigned long long)best_kvm);
}

void *watchdog_thread(void *arg)
{
	struct vmm *m = arg;
	struct sample last_progress, prev, now;

	have_stats = m->vcpu[0].stats_fd >= 0 && kvm_stats_open(&stats, m->vcpu[0].stats_fd);
	if (!have_stats)
		vmm_say("watchdog: KVM_GET_STATS_FD not available: in-kernel loops go unnamed");
	take(m, &last_progress);
	prev = last_progress;
	for (;;) {
		sleep(1);
		take(m, &now);
		if (m->opt.verbose) {
			char user[1024];
			describe(&prev, &now, user, sizeof(user), false);
			vmm_say("watchdog: last second:%s", user);
		}
		prev = now;
		if (now.ns - m->start_ns >= (uint64_t)m->opt.timeout_s * 1000000000ull)
			vmm_finish(RESULT_ERROR, "timeout: the payload did not end within %u s",
				   m->opt.timeout_s);
		if (now.progress != last_progress.progress)
			last_progress = now;
		else if (now.ns - last_progress.ns >= (uint64_t)m->opt.stall_s * 1000000000ull)
			stalled(&last_progress, &now, m->opt.livelock_rate);
	}
	return NULL;
}

void watchdog_report_totals(struct vmm *m)
{
	struct sample zero = { .ns = m->start_ns }, now;
	char user[1024], kernel[2048];

	take(m, &now);
	describe(&zero, &now, user, sizeof(user), false);
	vmm_say("exits to the VMM:%s", user);
	if (have_stats) {
		describe(&zero, &now, kernel, sizeof(kernel), true);
		vmm_say("KVM counters:%s", kernel);
	}
	if (m->opt.irqchip == IRQCHIP_SPLIT)
		vmm_say("ExtINT injected by KVM_INTERRUPT: %llu",
			(unsigned long long)m->vcpu[0].extint_injected);
}
