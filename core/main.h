/* main: what nestor does once it owns the machine. */
#ifndef NESTOR_CORE_MAIN_H
#define NESTOR_CORE_MAIN_H

struct boot_info;

__attribute__((noreturn)) void nestor_main(struct boot_info *bi);

#endif
