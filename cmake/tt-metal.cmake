# Finds a real TT-Metal (find_package(TT-Metalium), else TT_METAL_HOME) and probes its graph-tracking
# API with check_cxx_source_compiles; each probe becomes a TT_ALLOC_HAVE_* macro (native/processor/tt_api.hpp).
include(CheckCXXSourceCompiles)

function(tt_alloc_link_tt_metal target)
  find_package(TT-Metalium CONFIG QUIET)
  if(TT-Metalium_FOUND)
    target_link_libraries(${target} PRIVATE TT::Metalium)
    get_target_property(TT_INCLUDES TT::Metalium INTERFACE_INCLUDE_DIRECTORIES)
    set(TT_LIBS TT::Metalium)
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
    set(TT_INCLUDES ${TT_METAL_HOME}/tt_metal/api ${TT_METAL_HOME}/tt_metal/api/tt-metalium
                    ${TT_METAL_HOME}/tt_metal ${TT_METAL_HOME} ${TT_METAL_HOME}/tt_metal/hostdevcommon/api
                    ${TT_METAL_HOME}/tt_metal/third_party/umd/device/api ${TT_METAL_HOME}/tt_stl)
    find_library(TT_METAL_LIB tt_metal PATHS ${TT_METAL_HOME}/build/lib ${TT_METAL_HOME}/build_Release/lib REQUIRED)
    set(TT_LIBS ${TT_METAL_LIB})
    target_include_directories(${target} PRIVATE ${TT_INCLUDES})
    target_link_libraries(${target} PRIVATE ${TT_LIBS})
  endif()

  set(CMAKE_REQUIRED_INCLUDES ${TT_INCLUDES})
  set(CMAKE_REQUIRED_LIBRARIES ${TT_LIBS})
  set(CMAKE_REQUIRED_FLAGS "-std=c++20")
  set(PRELUDE "#include <tt-metalium/graph_tracking.hpp>\n#include <tt-metalium/buffer.hpp>\n#include <tt-metalium/device.hpp>\nusing namespace tt::tt_metal;\n")

  check_cxx_source_compiles("${PRELUDE}
    int main() { GraphTracker::instance().add_background_processor(std::shared_ptr<IGraphProcessor>{}); }"
    TT_ALLOC_HAVE_BACKGROUND_PROCESSORS)
  # Thread-local processors cannot be seen in a signature; trees that have them also define
  # TT_METAL_GRAPH_TRACKER_THREAD_LOCAL (else pass -DTT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS=1 by hand).
  check_cxx_source_compiles("${PRELUDE}
    #ifndef TT_METAL_GRAPH_TRACKER_THREAD_LOCAL
    #error not thread-local
    #endif
    int main() {}" TT_ALLOC_HAVE_THREAD_LOCAL_PROCESSORS)
  check_cxx_source_compiles("${PRELUDE}
    int main() { Buffer* b = nullptr; auto r = b->root_buffer(); return int(b->root_buffer_region().offset) + (r ? 1 : 0); }"
    TT_ALLOC_HAVE_BUFFER_VIEWS)
  check_cxx_source_compiles("${PRELUDE}
    int main() { const Buffer* b = nullptr; return b->owns_data() ? 1 : 0; }" TT_ALLOC_HAVE_OWNS_DATA)
  check_cxx_source_compiles("${PRELUDE}
    #include <tt-metalium/allocator.hpp>
    int main() { const IDevice* d = nullptr; return int(d->allocator()->get_statistics(BufferType::DRAM).total_allocatable_size_bytes + d->allocator()->get_num_banks(BufferType::DRAM)); }"
    TT_ALLOC_HAVE_ALLOCATOR_STATS)
  check_cxx_source_compiles("${PRELUDE}
    #include <tt-metalium/mesh_device.hpp>
    int main() { const distributed::MeshDevice* m = nullptr; return int(m->get_devices().size()); }"
    TT_ALLOC_HAVE_MESH_DEVICE)
  check_cxx_source_compiles("${PRELUDE}
    struct P : IGraphProcessor { void track_function_start(std::string_view, std::span<TrackedArgument>) override {} };
    int main() { P p; }" TT_ALLOC_HAVE_TRACKED_ARGUMENT)

  foreach(feature BACKGROUND_PROCESSORS THREAD_LOCAL_PROCESSORS BUFFER_VIEWS OWNS_DATA ALLOCATOR_STATS MESH_DEVICE TRACKED_ARGUMENT)
    if(TT_ALLOC_HAVE_${feature})
      target_compile_definitions(${target} PRIVATE TT_ALLOC_HAVE_${feature}=1)
    else()
      target_compile_definitions(${target} PRIVATE TT_ALLOC_HAVE_${feature}=0)
    endif()
  endforeach()
endfunction()
