# The project's compile flags for the addon's C++ (one definition for the addon build in CMakeLists.txt
# and for scripts/check-tt-metal, which compiles the TT-Metal build sources against every header
# generation): C++20, hidden visibility (only the C ABI and N-API entry points are exported), -Wall -Wextra.
function(tt_alloc_project_flags target)
  set_target_properties(${target} PROPERTIES
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden POSITION_INDEPENDENT_CODE ON)
  target_compile_definitions(${target} PRIVATE NAPI_VERSION=8 NAPI_CPP_EXCEPTIONS NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS
    NODE_ADDON_API_DISABLE_DEPRECATED)
  target_compile_options(${target} PRIVATE -O2 -Wall -Wextra -Wno-unused-parameter)
endfunction()
