/* svm_layout: selectors and vectors the svm_vmrun guest's C and assembly share. */
#ifndef GUEST_SVM_LAYOUT_H
#define GUEST_SVM_LAYOUT_H

/* Its own GDT keeps the boot selectors and adds CPL-3 segments and a TSS. */
#define SVM_USER_DS	(0x20 | 3)
#define SVM_USER_CS	(0x28 | 3)
#define SVM_TSS_SEL	0x30
#define SVM_GDT_ENTRIES	8

/* The gate (DPL 3) ring-3 code uses to come back to CPL 0. */
#define SVM_RING0_VECTOR 0x81

#endif
