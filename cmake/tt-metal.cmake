# Finds a real TT-Metal (find_package(TT-Metalium), else TT_METAL_HOME) and derives every graph-tracking
# feature from its headers (tt_alloc_probe_tt_metal); each feature becomes a TT_ALLOC_HAVE_* macro
# (native/processor/tt_api.hpp). scripts/check-tt-metal.js runs the same probes against the header
# generations in ../shared/tt-metal-headers and asserts what they find (docs/tt-metal.md).
#
# A TT_METAL_HOME checkout keeps its third-party headers (fmt, nlohmann_json, reflect, magic_enum or
# enchantum, tt-logger, spdlog) under build/ or .cpmcache/; pass them, and the defines TT-Metal builds
# with, through these cache variables:
set(TT_METAL_INCLUDE_DIRS "" CACHE STRING
  "TT-Metal's own include dirs (-I); empty: derived from TT_METAL_HOME")
set(TT_METAL_EXTRA_INCLUDE_DIRS "" CACHE STRING
  "Third-party include dirs TT-Metal's headers need, as system include dirs (-isystem)")
set(TT_METAL_EXTRA_DEFINES "FMT_HEADER_ONLY=1;SPDLOG_FMT_EXTERNAL" CACHE STRING
  "Defines TT-Metal's headers need (its own build uses FMT_HEADER_ONLY and SPDLOG_FMT_EXTERNAL)")

# Environment variables of the same names fill them when not given on the command line (npm scripts).
foreach(var TT_METAL_INCLUDE_DIRS TT_METAL_EXTRA_INCLUDE_DIRS TT_METAL_EXTRA_DEFINES)
  if(DEFINED ENV{${var}} AND NOT "$ENV{${var}}" STREQUAL "")
    set(${var} "$ENV{${var}}")
  endif()
endforeach()

set(TT_ALLOC_TT_METAL_FEATURES THREAD_LOCAL_PROCESSORS BACKGROUND_PROCESSORS CAPTURE_PROCESSOR_FLAG BUFFER_VIEWS
    ALLOCATOR_STATS MESH_DEVICE TRACKED_ARGUMENT)

# Compiles `source` against the TT-Metal headers (no link: a feature is a property of the headers).
# Sets `result` in the caller to TRUE/FALSE, and `${result}_LOG` to the compiler output.
function(_tt_alloc_try_compile result source)
  set(dir ${CMAKE_BINARY_DIR}/tt-alloc-probes)
  file(WRITE ${dir}/${result}.cpp "${source}")
  # COMPILE_DEFINITIONS passes flags through as they are: the way to give try_compile system dirs.
  set(defs "")
  foreach(d IN LISTS _TT_PROBE_SYSTEM_INCLUDES)
    list(APPEND defs "-isystem${d}")
  endforeach()
  foreach(d IN LISTS _TT_PROBE_DEFINES)
    list(APPEND defs "-D${d}")
  endforeach()
  set(link "")
  if(_TT_PROBE_TARGETS)
    set(link LINK_LIBRARIES ${_TT_PROBE_TARGETS})
  endif()
  try_compile(ok ${dir}/${result} ${dir}/${result}.cpp ${link}
    CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${_TT_PROBE_INCLUDES}"
    COMPILE_DEFINITIONS ${defs}
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF
    OUTPUT_VARIABLE log)
  set(${result} ${ok} PARENT_SCOPE)
  set(${result}_LOG "${log}" PARENT_SCOPE)
endfunction()

# tt_alloc_probe_tt_metal(INCLUDES <dirs> [SYSTEM_INCLUDES <dirs>] [DEFINES <defs>] [TARGETS <imported>])
# (TARGETS: an imported TT::Metalium whose usage requirements the probes take.)
# Sets TT_ALLOC_HAVE_<feature> (1 or 0) in the caller for every feature in TT_ALLOC_TT_METAL_FEATURES.
# Stops the configure step when the headers do not compile at all (a probe would otherwise report
# every feature absent) or are older than 2025-04.
function(tt_alloc_probe_tt_metal)
  cmake_parse_arguments(PROBE "" "" "INCLUDES;SYSTEM_INCLUDES;DEFINES;TARGETS" ${ARGN})
  set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
  set(_TT_PROBE_INCLUDES ${PROBE_INCLUDES})
  set(_TT_PROBE_SYSTEM_INCLUDES ${PROBE_SYSTEM_INCLUDES})
  set(_TT_PROBE_DEFINES ${PROBE_DEFINES})
  set(_TT_PROBE_TARGETS ${PROBE_TARGETS})

  # <tt-metalium/program.hpp> first appears in the 2025-04 tree; older trees have another layout and
  # other IGraphProcessor signatures (DESIGN.md): not supported.
  set(program_hpp FALSE)
  foreach(dir IN LISTS PROBE_INCLUDES)
    if(EXISTS ${dir}/tt-metalium/program.hpp)
      set(program_hpp TRUE)
    endif()
  endforeach()
  if(NOT program_hpp)
    message(FATAL_ERROR "TT-Metal before 2025-04 is not supported: no <tt-metalium/program.hpp> in "
      "${PROBE_INCLUDES}. Use a TT-Metal from 2025-04 or later (docs/tt-metal.md).")
  endif()

  set(prelude "#include <tt-metalium/graph_tracking.hpp>\n#include <tt-metalium/buffer.hpp>\n#include <tt-metalium/device.hpp>\n#include <tt-metalium/program.hpp>\n#include <type_traits>\nusing namespace tt::tt_metal;\n")
  # Every probe includes the prelude, so one that compiles proves the headers compile; the allocator
  # statistics exist in every supported tree. Only when it fails does a bare prelude tell "the headers
  # do not compile at all" from "this feature is absent".
  _tt_alloc_try_compile(TT_ALLOC_PROBE_ALLOCATOR_STATS "${prelude}
    #include <tt-metalium/allocator.hpp>
    int f(const IDevice* d) { return int(d->allocator()->get_statistics(BufferType::DRAM).total_allocatable_size_bytes + d->allocator()->get_num_banks(BufferType::DRAM)); }")
  if(NOT TT_ALLOC_PROBE_ALLOCATOR_STATS)
    _tt_alloc_try_compile(TT_ALLOC_PROBE_HEADERS "${prelude}")
    if(NOT TT_ALLOC_PROBE_HEADERS)
      string(REGEX MATCHALL "[^\n]*error[^\n]*" errors "${TT_ALLOC_PROBE_HEADERS_LOG}")
      list(SUBLIST errors 0 3 errors)
      string(REPLACE ";" "\n  " errors "${errors}")
      message(FATAL_ERROR "TT-Metal's headers do not compile here, so no feature can be detected:\n  ${errors}\n"
        "Pass the third-party include dirs they need (fmt, nlohmann_json, reflect, magic_enum or enchantum, "
        "tt-logger, spdlog; in a TT_METAL_HOME checkout under build/ or .cpmcache/) with "
        "-DTT_METAL_EXTRA_INCLUDE_DIRS=<dir;dir> and defines with -DTT_METAL_EXTRA_DEFINES=<def;def> "
        "(now: ${PROBE_DEFINES}).")
    endif()
  endif()

  # Thread-local processors (2026-05, PR #44668): no define or public signature says so; the header's
  # diff is that GraphTracker's `processors` became a `static thread_local` member. Explicit
  # instantiations may name private members ([temp.spec.general]/6), so two probes read its kind:
  # STACK_STATIC: &GraphTracker::processors is an object pointer, not a pointer to member;
  # STACK_PINNED: that address is a constant expression, which a thread_local's never is.
  _tt_alloc_try_compile(TT_ALLOC_PROBE_STACK_STATIC "${prelude}
    struct ProcessorStack {};
    template <class Tag, class Pointer> struct Reveal {
      friend constexpr bool stack_is_static(Tag) { return !std::is_member_pointer_v<Pointer>; }
    };
    constexpr bool stack_is_static(ProcessorStack);
    template struct Reveal<ProcessorStack, decltype(&GraphTracker::processors)>;
    static_assert(stack_is_static(ProcessorStack{}));")
  if(TT_ALLOC_PROBE_STACK_STATIC)
    _tt_alloc_try_compile(TT_ALLOC_PROBE_STACK_PINNED "${prelude}
      template <auto Pointer> struct Pin {};
      template struct Pin<&GraphTracker::processors>;")
    if(NOT TT_ALLOC_PROBE_STACK_PINNED)
      set(have_THREAD_LOCAL_PROCESSORS 1)
    endif()
  endif()

  # internal::register_background_processor_once(type, factory) (2026-08), exact signature. Its header
  # comes first: where it is missing the probe stops at once instead of parsing the prelude.
  _tt_alloc_try_compile(TT_ALLOC_PROBE_BACKGROUND_PROCESSORS "#include <internal/graph_tracking.hpp>
    ${prelude}
    #include <functional>
    #include <typeinfo>
    bool (*const registration)(const std::type_info&, const std::function<std::shared_ptr<IGraphProcessor>()>&) =
        &internal::register_background_processor_once;")
  _tt_alloc_try_compile(TT_ALLOC_PROBE_CAPTURE_PROCESSOR_FLAG "${prelude}
    struct P : IGraphProcessor { bool is_capture_processor() const override { return false; } };
    P p;")
  _tt_alloc_try_compile(TT_ALLOC_PROBE_BUFFER_VIEWS "${prelude}
    int f(Buffer* b) { auto r = b->root_buffer(); return int(b->root_buffer_region().offset) + (r ? 1 : 0); }")
  _tt_alloc_try_compile(TT_ALLOC_PROBE_MESH_DEVICE "${prelude}
    #include <tt-metalium/mesh_device.hpp>
    int f(const distributed::MeshDevice* m) { return int(m->get_devices().size()); }")
  _tt_alloc_try_compile(TT_ALLOC_PROBE_TRACKED_ARGUMENT "${prelude}
    struct P : IGraphProcessor { void track_function_start(std::string_view, std::span<TrackedArgument>) override {} };
    P p;")
  foreach(feature BACKGROUND_PROCESSORS CAPTURE_PROCESSOR_FLAG BUFFER_VIEWS ALLOCATOR_STATS MESH_DEVICE TRACKED_ARGUMENT)
    if(TT_ALLOC_PROBE_${feature})
      set(have_${feature} 1)
    endif()
  endforeach()

  set(summary "")
  foreach(feature IN LISTS TT_ALLOC_TT_METAL_FEATURES)
    if(have_${feature})
      set(TT_ALLOC_HAVE_${feature} 1 PARENT_SCOPE)
      string(APPEND summary " ${feature}=1")
    else()
      set(TT_ALLOC_HAVE_${feature} 0 PARENT_SCOPE)
      string(APPEND summary " ${feature}=0")
    endif()
  endforeach()
  message(STATUS "TT-Metal graph-tracking features:${summary}")
endfunction()

# TT_ALLOC_HAVE_* from tt_alloc_probe_tt_metal as compile definitions of `target`, plus the TT-Metal
# include dirs (as system dirs: warnings in TT-Metal's headers are not ours).
function(tt_alloc_use_tt_metal_headers target includes system_includes defines)
  target_include_directories(${target} SYSTEM PRIVATE ${includes} ${system_includes})
  target_compile_definitions(${target} PRIVATE ${defines})
  foreach(feature IN LISTS TT_ALLOC_TT_METAL_FEATURES)
    target_compile_definitions(${target} PRIVATE TT_ALLOC_HAVE_${feature}=${TT_ALLOC_HAVE_${feature}})
  endforeach()
endfunction()

function(tt_alloc_link_tt_metal target)
  find_package(TT-Metalium CONFIG QUIET)
  if(TT-Metalium_FOUND)
    target_link_libraries(${target} PRIVATE TT::Metalium)
    get_target_property(TT_INCLUDES TT::Metalium INTERFACE_INCLUDE_DIRECTORIES)
    get_target_property(TT_DEFINES TT::Metalium INTERFACE_COMPILE_DEFINITIONS)
    if(NOT TT_DEFINES)
      set(TT_DEFINES "")
    endif()
    list(APPEND TT_DEFINES ${TT_METAL_EXTRA_DEFINES})
    list(REMOVE_DUPLICATES TT_DEFINES)
    set(TT_TARGETS TT::Metalium)
  else()
    if(NOT TT_METAL_HOME)
      set(TT_METAL_HOME $ENV{TT_METAL_HOME})
    endif()
    if(NOT TT_METAL_HOME)
      message(FATAL_ERROR
        "TT-Metal not found. Either install it so that find_package(TT-Metalium) works "
        "(set CMAKE_PREFIX_PATH to its install prefix), or set TT_METAL_HOME to a built tt-metal checkout, "
        "or build against the simulator: npm run build:cmake-sim")
    endif()
    set(TT_INCLUDES ${TT_METAL_INCLUDE_DIRS})
    if(NOT TT_INCLUDES)
      set(TT_INCLUDES ${TT_METAL_HOME}/tt_metal/api ${TT_METAL_HOME}/tt_metal/api/tt-metalium
                      ${TT_METAL_HOME}/tt_metal ${TT_METAL_HOME} ${TT_METAL_HOME}/tt_metal/hostdevcommon/api
                      ${TT_METAL_HOME}/tt_metal/third_party/umd/device/api ${TT_METAL_HOME}/tt_stl)
    endif()
    set(TT_DEFINES ${TT_METAL_EXTRA_DEFINES})
    set(TT_TARGETS "")
    find_library(TT_METAL_LIB tt_metal PATHS ${TT_METAL_HOME}/build/lib ${TT_METAL_HOME}/build_Release/lib REQUIRED)
    target_link_libraries(${target} PRIVATE ${TT_METAL_LIB})
  endif()
  tt_alloc_probe_tt_metal(INCLUDES ${TT_INCLUDES} SYSTEM_INCLUDES ${TT_METAL_EXTRA_INCLUDE_DIRS} DEFINES ${TT_DEFINES}
    TARGETS ${TT_TARGETS})
  foreach(feature IN LISTS TT_ALLOC_TT_METAL_FEATURES)
    set(TT_ALLOC_HAVE_${feature} ${TT_ALLOC_HAVE_${feature}} PARENT_SCOPE)
  endforeach()
  tt_alloc_use_tt_metal_headers(${target} "${TT_INCLUDES}" "${TT_METAL_EXTRA_INCLUDE_DIRS}" "${TT_DEFINES}")
endfunction()
