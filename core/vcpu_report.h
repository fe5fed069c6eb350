/* vcpu_report: the end-of-run report. */
#ifndef NESTOR_CORE_VCPU_REPORT_H
#define NESTOR_CORE_VCPU_REPORT_H

struct vm;

/* The end-of-run report: exits by reason per vCPU, injections, IRQ windows. */
void vm_log_report(const struct vm *vm);

#endif
