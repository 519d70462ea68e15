# FindFLINT: Debian's libflint-dev (FLINT 2.9) ships no pkg-config or CMake file.
# Defines FLINT::FLINT (imported target, with GMP), FLINT_FOUND and FLINT_VERSION, read from
# flint.h (__FLINT_VERSION, __FLINT_VERSION_MINOR, __FLINT_VERSION_PATCHLEVEL).
find_path(FLINT_INCLUDE_DIR flint/flint.h)
find_library(FLINT_LIBRARY NAMES flint)
find_library(GMP_LIBRARY NAMES gmp)
find_path(GMP_INCLUDE_DIR gmp.h)

if(FLINT_INCLUDE_DIR AND EXISTS "${FLINT_INCLUDE_DIR}/flint/flint.h")
  file(STRINGS "${FLINT_INCLUDE_DIR}/flint/flint.h" _flint_version_lines
       REGEX "^#define __FLINT_VERSION(_MINOR|_PATCHLEVEL)? +[0-9]+")
  foreach(_part IN ITEMS "" _MINOR _PATCHLEVEL)
    string(REGEX MATCH "__FLINT_VERSION${_part} +([0-9]+)" _m "${_flint_version_lines}")
    set(_flint_v${_part} "${CMAKE_MATCH_1}")
  endforeach()
  set(FLINT_VERSION "${_flint_v}.${_flint_v_MINOR}.${_flint_v_PATCHLEVEL}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(FLINT
  REQUIRED_VARS FLINT_LIBRARY FLINT_INCLUDE_DIR GMP_LIBRARY GMP_INCLUDE_DIR
  VERSION_VAR FLINT_VERSION)

if(FLINT_FOUND AND NOT TARGET FLINT::FLINT)
  add_library(FLINT::GMP UNKNOWN IMPORTED)
  set_target_properties(FLINT::GMP PROPERTIES
    IMPORTED_LOCATION "${GMP_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${GMP_INCLUDE_DIR}")
  add_library(FLINT::FLINT UNKNOWN IMPORTED)
  set_target_properties(FLINT::FLINT PROPERTIES
    IMPORTED_LOCATION "${FLINT_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${FLINT_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES FLINT::GMP)
endif()
mark_as_advanced(FLINT_INCLUDE_DIR FLINT_LIBRARY GMP_LIBRARY GMP_INCLUDE_DIR)
