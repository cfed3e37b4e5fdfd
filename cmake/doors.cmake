# Doors: the headers of a module that other modules may include, enforced by the build.
#
#   tb_doors(<target> <module> DOORS <header>...)   headers relative to src/<module>/
#
# At configure time the build tree gets
#   inc/doors/<module>/<module>/<header>  a link to each door header, and nothing else of the module
#   inc/private/<module>/<module>         a link to the whole src/<module>/ folder
# <target> (the module's library) sees its doors PUBLIC, so whatever links it sees them too, and its whole
# folder PRIVATE, for its own sources. src/ itself is on no include path: an #include "m/x.hpp" from
# outside module m compiles only when x.hpp is one of m's doors. Includes keep their one spelling
# ("accounts/account_service.hpp") on both sides of a door.
#
# A door header may include only doors (its module's or its dependencies'): the compiler looks for a
# quoted include first beside the including file, which for a door is inc/doors/<module>/<module>/, where
# only doors are. A module's own tests see its folder too (tb_test in tests/CMakeLists.txt); anything else
# that needs a module's inside says so with tb_see_internals(), in the open.

function(tb_doors target module)
  cmake_parse_arguments(D "" "" "DOORS" ${ARGN})
  set(source ${PROJECT_SOURCE_DIR}/src/${module})
  set(doors ${PROJECT_BINARY_DIR}/inc/doors/${module})
  set(private ${PROJECT_BINARY_DIR}/inc/private/${module})
  file(REMOVE_RECURSE ${doors})  # a header that stopped being a door loses its link (links only: targets stay)
  file(MAKE_DIRECTORY ${doors}/${module} ${private})
  foreach(header ${D_DOORS})
    if(NOT EXISTS ${source}/${header})
      message(FATAL_ERROR "tb_doors(${module}): no door src/${module}/${header}")
    endif()
    get_filename_component(folder ${doors}/${module}/${header} DIRECTORY)
    file(MAKE_DIRECTORY ${folder})
    file(CREATE_LINK ${source}/${header} ${doors}/${module}/${header} SYMBOLIC)
    set_property(GLOBAL APPEND PROPERTY TB_DOORS ${module}/${header})
  endforeach()
  file(CREATE_LINK ${source} ${private}/${module} SYMBOLIC)
  target_include_directories(${target} PUBLIC ${doors} PRIVATE ${private})
  set_property(GLOBAL APPEND PROPERTY TB_MODULES ${module})
endfunction()

# tb_see_internals(<target> <module>...): <target> (a test, a benchmark) may include every header of these
# modules, not only their doors. For white-box tests across a module's edge; each use says why.
function(tb_see_internals target)
  foreach(module ${ARGN})
    get_property(modules GLOBAL PROPERTY TB_MODULES)
    if(NOT module IN_LIST modules)
      message(FATAL_ERROR "tb_see_internals(${target}): no module ${module} (tb_doors declares them)")
    endif()
    target_include_directories(${target} PRIVATE ${PROJECT_BINARY_DIR}/inc/private/${module})
  endforeach()
endfunction()
