// Feature macros of the simulated runtime's API: the set cmake/tt-metal.cmake's probes find in the
// newest supported generation, 2026-08-background (scripts/check-tt-metal.js asserts that set against
// the real headers), because graph_tracking.hpp models that generation's registration.
#pragma once

#define TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS 1
#define TT_ALLOC_HAVE_BACKGROUND_PROCESSORS 1
#define TT_ALLOC_HAVE_CAPTURE_PROCESSOR_FLAG 1
#define TT_ALLOC_HAVE_BUFFER_VIEWS 1
#define TT_ALLOC_HAVE_ALLOCATOR_STATS 1
#define TT_ALLOC_HAVE_MESH_DEVICE 1
#define TT_ALLOC_HAVE_TRACKED_ARGUMENT 1
