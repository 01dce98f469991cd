# Reads native/manifest.json (the one list of the native sources, defines and flags) through
# scripts/native-manifest.js, the reader binding.gyp, scripts/sanitize.sh and the bench build use too, so
# every build compiles what the manifest says. Editing the manifest re-runs the configure step.
get_filename_component(_TT_ALLOC_REPO ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

# tt_alloc_manifest(<out-var> sources|defines|flags|standard|includeDirs <build>): the manifest's list
# for <build> (sources and include dirs as absolute paths; standard as the number CXX_STANDARD takes).
function(tt_alloc_manifest out what build)
  execute_process(
    COMMAND node scripts/native-manifest.js ${what} ${build} --cmake
    WORKING_DIRECTORY ${_TT_ALLOC_REPO}
    OUTPUT_VARIABLE value OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_VARIABLE error RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "node scripts/native-manifest.js ${what} ${build} failed (${status}): ${error}")
  endif()
  if(what STREQUAL "sources" OR what STREQUAL "includeDirs")
    list(TRANSFORM value PREPEND "${_TT_ALLOC_REPO}/")
  elseif(what STREQUAL "standard")
    string(REGEX REPLACE "^c\\+\\+" "" value "${value}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_TT_ALLOC_REPO}/native/manifest.json)
  set(${out} "${value}" PARENT_SCOPE)
endfunction()
