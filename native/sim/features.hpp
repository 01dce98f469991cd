// Feature macros of the simulated runtime's API, the values CMake's check_cxx_source_compiles probes
// would find for a real TT-Metal tree (native/processor/tt_api.hpp lists them).
#pragma once

#define TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS 1
#define TT_ALLOC_HAVE_BACKGROUND_PROCESSORS 1
#define TT_ALLOC_HAVE_BUFFER_VIEWS 1
#define TT_ALLOC_HAVE_OWNS_DATA 1
#define TT_ALLOC_HAVE_ALLOCATOR_STATS 1
#define TT_ALLOC_HAVE_MESH_DEVICE 1
#define TT_ALLOC_HAVE_TRACKED_ARGUMENT 0
