// The one place the processor learns which runtime it is compiled against: the embedded simulator
// (TT_ALLOC_SIM, set by binding.gyp and by CMake with -DTT_ALLOC_SIM=ON) or a real TT-Metal install.
// For a real install cmake/tt-metal.cmake derives each feature from the installed headers and passes:
//   TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS  GraphTracker's processor stack is static thread_local: a
//                                          pushed processor sees only its thread (2026-05+, PR #44668)
//   TT_ALLOC_HAVE_BACKGROUND_PROCESSORS    internal::register_background_processor_once(type, factory)
//                                          in <internal/graph_tracking.hpp> (2026-08+)
//   TT_ALLOC_HAVE_CAPTURE_PROCESSOR_FLAG   IGraphProcessor::is_capture_processor() (2026-04+, PR #42649)
//   TT_ALLOC_HAVE_BUFFER_VIEWS             Buffer::root_buffer() / root_buffer_region() (2025-12+)
//   TT_ALLOC_HAVE_ALLOCATOR_STATS          device->allocator()->get_statistics(type) / get_num_banks(type)
//   TT_ALLOC_HAVE_MESH_DEVICE              distributed::MeshDevice (get_devices())
//   TT_ALLOC_HAVE_TRACKED_ARGUMENT         track_function_start takes std::span<TrackedArgument> (2026-04+)
// docs/tt-metal.md has the table of generations and what each feature means for the events.
#pragma once

#if defined(TT_ALLOC_SIM) && TT_ALLOC_SIM
#include "../sim/buffer.hpp"
#include "../sim/device.hpp"
#include "../sim/features.hpp"
#include "../sim/graph_tracking.hpp"
#include "../sim/program.hpp"
#else
// Until 2025-11-26 (PR #33299) GraphTracker::instance() is inline with a function-local static. In a
// library built with -fvisibility=hidden that static would be a hidden copy of its own, and the processor
// would register with a tracker TT-Metal never calls. TT-Metal's declarations keep default visibility:
// the instance is then the one symbol the dynamic linker unifies with libtt_metal's.
#pragma GCC visibility push(default)
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
#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
#include <internal/graph_tracking.hpp>
#endif
#pragma GCC visibility pop
#endif

#ifndef TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS
#define TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS 0
#endif
#ifndef TT_ALLOC_HAVE_BACKGROUND_PROCESSORS
#define TT_ALLOC_HAVE_BACKGROUND_PROCESSORS 0
#endif
#ifndef TT_ALLOC_HAVE_CAPTURE_PROCESSOR_FLAG
#define TT_ALLOC_HAVE_CAPTURE_PROCESSOR_FLAG 0
#endif
#ifndef TT_ALLOC_HAVE_BUFFER_VIEWS
#define TT_ALLOC_HAVE_BUFFER_VIEWS 0
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

#if TT_ALLOC_HAVE_BACKGROUND_PROCESSORS && !TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS
#error "TT_ALLOC_HAVE_BACKGROUND_PROCESSORS without TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS: no TT-Metal tree has that combination"
#endif
