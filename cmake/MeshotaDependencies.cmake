# Finds every library meshota builds against, and when one is missing stops with
# the Debian package to install instead of CMake's generic "could not find".
# scripts/setup.sh (run by `make`) installs them all; scripts/packages.txt lists them.

function(meshota_missing what package)
  message(FATAL_ERROR
    "${what} not found: run scripts/setup.sh (or: apt-get install ${package}), "
    "then configure again. scripts/packages.txt lists everything meshota needs.")
endfunction()

# find_package(<name> <args...> QUIET), failing with the package to install.
macro(meshota_find_package name what package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    meshota_missing("${what}" "${package}")
  endif()
endmacro()

# A header-only library: its header must be on the include path.
function(meshota_find_header header what package)
  string(MAKE_C_IDENTIFIER "MESHOTA_HEADER_${header}" var)
  find_path(${var} ${header})
  if(NOT ${var})
    meshota_missing("${what} (${header})" "${package}")
  endif()
endfunction()

# A library found by header and file (no CMake package): an imported target named `target`.
function(meshota_find_library target header library what package)
  meshota_find_header(${header} "${what}" ${package})
  string(MAKE_C_IDENTIFIER "MESHOTA_LIB_${library}" var)
  find_library(${var} ${library})
  if(NOT ${var})
    meshota_missing("${what} (lib${library})" "${package}")
  endif()
  add_library(${target} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${${var}}")
endfunction()
