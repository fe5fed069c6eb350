/* kvm_stats: KVM's binary statistics (KVM_GET_STATS_FD): what KVM did inside one KVM_RUN. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm.h"

/*
 * The IRQ-window livelock of seed 003 never leaves the kernel: KVM_RUN does not return, so
 * only KVM's own counters (irq_window_exits, exits, ...) show it. The file is a header, then
 * descriptors (each followed by its name), then the data (Documentation/virt/kvm/api.rst,
 * 4.133 KVM_GET_STATS_FD). Only cumulative one-value counters are kept.
 */
bool kvm_stats_open(struct kvm_stats *s, int fd)
{
	struct kvm_stats_header h;

	memset(s, 0, sizeof(*s));
	if (fd < 0 || pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return false;
	size_t desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	char *descs = malloc(desc_size * h.num_desc);
	if (!descs || pread(fd, descs, desc_size * h.num_desc, h.desc_offset) !=
		      (ssize_t)(desc_size * h.num_desc)) {
		free(descs);
		return false;
	}
	for (unsigned i = 0; i < h.num_desc && s->n < KVM_STATS_MAX; i++) {
		const struct kvm_stats_desc *d = (const void *)(descs + i * desc_size);
		if ((d->flags & KVM_STATS_TYPE_MASK) != KVM_STATS_TYPE_CUMULATIVE || d->size != 1)
			continue;
		strncpy(s->name[s->n], d->name, sizeof(s->name[0]) - 1);
		s->offset[s->n++] = h.data_offset + d->offset;
	}
	free(descs);
	return true;
}

void kvm_stats_add(const struct kvm_stats *s, int fd, uint64_t *values)
{
	for (unsigned i = 0; i < s->n; i++) {
		uint64_t v;
		if (pread(fd, &v, sizeof(v), (off_t)s->offset[i]) == (ssize_t)sizeof(v))
			values[i] += v;
	}
}
