# The project's compile settings for a target, from native/manifest.json's build <build> (one definition
# for the addon build in CMakeLists.txt and for scripts/check-tt-metal, which compiles the TT-Metal build
# sources against every header generation): its C++ standard, defines, flags and include dirs (C++20, hidden
# visibility: only the C ABI and N-API entry points are exported, -Wall -Wextra).
include(${CMAKE_CURRENT_LIST_DIR}/manifest.cmake)

function(tt_alloc_project_flags target build)
  tt_alloc_manifest(standard standard ${build})
  tt_alloc_manifest(defines defines ${build})
  tt_alloc_manifest(flags flags ${build})
  tt_alloc_manifest(include_dirs includeDirs ${build})
  set_target_properties(${target} PROPERTIES
    CXX_STANDARD ${standard} CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF POSITION_INDEPENDENT_CODE ON)
  target_compile_definitions(${target} PRIVATE ${defines})
  target_compile_options(${target} PRIVATE ${flags})
  target_include_directories(${target} PRIVATE ${include_dirs})
endfunction()
