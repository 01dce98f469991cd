// The one place the processor learns which runtime it is compiled against: the embedded simulator
// (TT_ALLOC_SIM, set by binding.gyp and by CMake with -DTT_ALLOC_SIM=ON) or a real TT-Metal install.
// For a real install CMake probes each feature with check_cxx_source_compiles and passes the result:
//   TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS  push_processor() registers for the calling thread only (2026-05+)
//   TT_ALLOC_HAVE_BACKGROUND_PROCESSORS    GraphTracker::add_background_processor() (process-wide)
//   TT_ALLOC_HAVE_BUFFER_VIEWS             Buffer::root_buffer() / root_buffer_region()
//   TT_ALLOC_HAVE_OWNS_DATA                Buffer::owns_data()
//   TT_ALLOC_HAVE_ALLOCATOR_STATS          device->allocator()->get_statistics(type) / get_num_banks(type)
//   TT_ALLOC_HAVE_MESH_DEVICE              distributed::MeshDevice (get_devices())
//   TT_ALLOC_HAVE_TRACKED_ARGUMENT         track_function_start takes std::span<TrackedArgument> (2026)
#pragma once

#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
#include "../sim/buffer.hpp"
#include "../sim/device.hpp"
#include "../sim/features.hpp"
#include "../sim/graph_tracking.hpp"
#include "../sim/program.hpp"
#else
#include <tt-metalium/buffer.hpp>
#include <tt-metalium/device.hpp>
#include <tt-metalium/graph_tracking.hpp>
#include <tt-metalium/program.hpp>
#if TT_ALLOC_HAVE_ALLOCATOR_STATS
#include <tt-metalium/allocator.hpp>
#endif
#if TT_ALLOC_HAVE_MESH_DEVICE
#include <tt-metalium/mesh_device.hpp>
#endif
#endif

#ifndef TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS
#define TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS 0
#endif
#ifndef TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
#define TT_ALLOC_HAVE_BACKGROUND_PROCESSORS 0
#endif
#ifndef TT_ALLOC_HAVE_BUFFER_VIEWS
#define TT_ALLOC_HAVE_BUFFER_VIEWS 0
#endif
#ifndef TT_ALLOC_HAVE_OWNS_DATA
#define TT_ALLOC_HAVE_OWNS_DATA 0
#endif
#ifndef TT_ALLOC_HAVE_ALLOCATOR_STATS
#define TT_ALLOC_HAVE_ALLOCATOR_STATS 0
#endif
#ifndef TT_ALLOC_HAVE_MESH_DEVICE
#define TT_ALLOC_HAVE_MESH_DEVICE 0
#endif
#ifndef TT_ALLOC_HAVE_TRACKED_ARGUMENT
#define TT_ALLOC_HAVE_TRACKED_ARGUMENT 0
#endif
