#ifndef CALLOCATOR_TUNING_H
#define CALLOCATOR_TUNING_H

/// jemalloc's compiled-in options (see allocator_tuning.c); nothing to call.
extern const char *malloc_conf;

#endif
