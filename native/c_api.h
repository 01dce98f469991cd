/* tt-alloc-tracker C ABI: lets any native code loaded in the process feed events to the tracker.
 * Find the symbols with dlopen(<addon path>, RTLD_NOW | RTLD_NOLOAD) + dlsym; the addon path is
 * require('tt-alloc-tracker').native.path. The record layout is docs/events.md, format version 1. */
#ifndef TT_ALLOC_C_API_H
#define TT_ALLOC_C_API_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TT_ALLOC_EXPORT __attribute__((visibility("default")))

typedef struct tt_alloc_event {
  uint64_t seq;       /* filled by tt_alloc_push */
  uint64_t time;      /* filled by tt_alloc_push */
  uint64_t object_id;
  uint64_t address;
  uint64_t size;
  uint64_t root_id;
  uint32_t aux;
  uint32_t page_size;
  uint16_t device;
  uint16_t thread;    /* filled by tt_alloc_push */
  uint8_t kind;
  uint8_t mem_type;
  uint8_t layout;
  uint8_t flags;
} tt_alloc_event;

/* Format version of tt_alloc_event; callers built against another version must not push. */
TT_ALLOC_EXPORT uint32_t tt_alloc_format_version(void);
/* 1 while tracking is enabled. */
TT_ALLOC_EXPORT int tt_alloc_enabled(void);
/* Pushes one event; 1 if accepted, 0 if tracking is off or it was dropped (and counted), -1 if `kind`
 * is not a known event kind. Lock-free; safe from any thread. */
TT_ALLOC_EXPORT int tt_alloc_push(tt_alloc_event* event);
/* Registers the graph-tracking processor on the calling thread where TT-Metal's processors are
 * per-thread (2026-05+): a harness calls it on each runtime thread whose CB, program and op events
 * (and, before 2026-08, buffer events) it wants; docs/tt-metal.md. Returns 1 if the calling thread's
 * events of every kind now reach the processor (attached now or before, or processors are process-wide),
 * 0 if the processor is detached. Not for the hot path (takes a mutex). */
TT_ALLOC_EXPORT int tt_alloc_attach_this_thread(void);
/* Removes the calling thread's per-thread processor (call before a pooled thread returns to its pool
 * if it should stop reporting); 1 if it was removed, 0 if this thread had none on top of its stack. */
TT_ALLOC_EXPORT int tt_alloc_detach_this_thread(void);
/* Interns an op or scope name of `length` bytes; returns its id (0 when the table is full). */
TT_ALLOC_EXPORT uint32_t tt_alloc_intern(const char* name, size_t length);

#ifdef __cplusplus
}
#endif
#endif
