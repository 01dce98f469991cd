# Injected into the project's CMakeLists.txt with -DCMAKE_PROJECT_INCLUDE (runs right after project()):
# appends the header generation's -I/-isystem/-D flags to CMAKE_CXX_FLAGS, which cmake-js overrides on its
# command line; the targets and cmake/tt-metal.cmake's check_cxx_source_compiles probes both read it.
string(APPEND CMAKE_CXX_FLAGS " ${TT_METAL_EXTRA_CXX_FLAGS}")
