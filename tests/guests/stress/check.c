/* check: the end of an epoch: what was lost or duplicated per channel, idle APICs, running totals. */
#include "stress.h"
#include "ioapic.h"
#include "pic.h"

#define PIN_EDGE	14
#define PIN_LEVEL	15

struct source_totals totals[NR_SOURCES];
struct epoch_verdict verdict;

static void note(char *buf, size_t size, const char *what, const struct channel *ch,
		 uint64_t n)
{
	if (buf[0])
		return;	/* the first is the one worth reading */
	fmt_snprintf(buf, size, "epoch %u: %s %lu on %s vector %#x dest %d (sent %lu, received "
		     "%lu, dup %lu from delivery %lu, misrouted %lu)", st.epoch, what,
		     (unsigned long)n, source_name(ch->src), ch->vector, ch->dest,
		     (unsigned long)ch->sent, (unsigned long)ch->received, (unsigned long)ch->dup,
		     (unsigned long)ch->first_dup_at, (unsigned long)ch->misrouted);
}

/*
 * Run by the BSP after both CPUs drained and took their snapshots; the I/O APIC pins are
 * masked here, so the next epoch's mode switches find no message on its way.
 */
bool epoch_check(bool drained)
{
	bool ok = true;

	for (unsigned i = 0; i < chan_count(); i++) {
		struct channel *ch = chan_by_index(i);
		struct source_totals *t = &totals[ch->src];
		uint64_t owed = chan_owed(ch);

		t->sent += ch->sent;
		t->received += ch->received - ch->dup;
		t->dup += ch->dup + ch->excess;
		t->lost += owed;
		if (owed)
			note(verdict.lost, sizeof(verdict.lost), "lost", ch, owed);
		if (ch->dup)
			note(verdict.dup, sizeof(verdict.dup), "duplicated", ch, ch->dup);
		if (ch->excess)
			note(verdict.dup, sizeof(verdict.dup), "more deliveries than periods elapsed:",
			     ch, ch->excess);
		ok &= !owed && !ch->dup && !ch->excess;
		ch->sent = ch->received = ch->dup = ch->misrouted = ch->first_dup_at = 0;
		ch->excess = 0;
		ch->line = ch->kept_high = 0;
	}
	if (!drained && !verdict.lost[0])
		fmt_snprintf(verdict.lost, sizeof(verdict.lost), "epoch %u: the drain never became "
			     "quiet (a timer still armed)", st.epoch);
	ok &= drained;
	if (st.stray) {
		verdict.stray += st.stray;
		if (!verdict.dup[0])
			fmt_snprintf(verdict.dup, sizeof(verdict.dup), "epoch %u: %lu deliveries of "
				     "vector %#x on cpu %u, which no source sends there", st.epoch,
				     (unsigned long)st.stray, st.stray_vector, st.stray_cpu);
		st.stray = 0;
		ok = false;
	}

	uint16_t pic_isr = pic_read_isr(), pic_irr = pic_read_irr();
	bool remote_irr = ioapic_redir_read(PIN_LEVEL) & REDIR_REMOTE_IRR;
	for (unsigned i = 0; i < NCPU; i++) {
		struct stress_cpu *c = &st.cpu[i];
		if ((c->isr_or || c->irr_or) && !verdict.idle[0])
			fmt_snprintf(verdict.idle, sizeof(verdict.idle), "epoch %u: cpu %u ISR %s, "
				     "IRR %s, PPR %#x after the drain", st.epoch, i,
				     c->isr_or ? "busy" : "empty", c->irr_or ? "busy" : "empty", c->ppr);
		ok &= !c->isr_or && !c->irr_or;
	}
	if (((pic_isr | pic_irr) & 1) || remote_irr) {
		if (!verdict.idle[0])
			fmt_snprintf(verdict.idle, sizeof(verdict.idle), "epoch %u: 8259 ISR %#x "
				     "IRR %#x, level pin Remote IRR %u after the drain", st.epoch,
				     pic_isr, pic_irr, remote_irr);
		ok = false;
	}
	ioapic_redir_write(PIN_EDGE, REDIR_MASKED);
	ioapic_redir_write(PIN_LEVEL, REDIR_MASKED | REDIR_LEVEL);
	verdict.epochs++;
	verdict.x2apic_epochs += st.cfg.x2apic;
	verdict.deoi_epochs += st.cfg.deoi;
	return ok;
}
