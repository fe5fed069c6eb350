/* virt_select: picks the backend (VMX or SVM) for this CPU. */
#ifndef NESTOR_CORE_VIRT_SELECT_H
#define NESTOR_CORE_VIRT_SELECT_H

#include <stddef.h>

#include "vm/virt.h"

struct cpu_caps;

/* The backend for this CPU's vendor, or NULL (with the reason in why). */
const struct virt_ops *virt_select(const struct cpu_caps *caps, char *why, size_t len);

#endif
