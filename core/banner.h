/* banner: the first line of every run. */
#ifndef NESTOR_CORE_BANNER_H
#define NESTOR_CORE_BANNER_H

#define NESTOR_VERSION "0.1.0"

void banner_print(void);

#endif
