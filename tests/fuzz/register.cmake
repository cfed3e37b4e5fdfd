# Included by tests/CMakeLists.txt: builds the libFuzzer targets of tests/fuzz/ with clang as part of the
# main build (ExternalProject, into build/fuzz/) and registers one bounded run of each as a test, label
# `fuzz`. Without clang++ every fuzz test fails and says why: scripts/setup.sh installs it.
set(TB_FUZZ_TARGETS decimal json_body http_request venue_binance_futures venue_bitfinex venue_kraken ws_answer)
# In ctest each target runs a fixed number of inputs from a fixed seed (about 10-20 s here; the seconds are
# only a ceiling for a slow machine), so `make test` gives the same verdict on every run of the same code.
set(TB_FUZZ_SECONDS 60 CACHE STRING "The longest each fuzz target may run in ctest")
set(TB_FUZZ_RUNS_decimal 3000000)
set(TB_FUZZ_RUNS_json_body 300000)
set(TB_FUZZ_RUNS_http_request 250000)
set(TB_FUZZ_RUNS_venue_binance_futures 150000)
set(TB_FUZZ_RUNS_venue_bitfinex 150000)
set(TB_FUZZ_RUNS_venue_kraken 300000)
set(TB_FUZZ_RUNS_ws_answer 300000)
set(TB_FUZZ_DIR ${CMAKE_BINARY_DIR}/fuzz)

find_program(TB_CLANGXX NAMES clang++ clang++-14)
if(TB_CLANGXX)
  include(ExternalProject)
  set(tb_fuzz_args -G ${CMAKE_GENERATOR} -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=${TB_CLANGXX}
                   -DTB_WERROR=${TB_WERROR})
  if(CCACHE_PROGRAM)
    list(APPEND tb_fuzz_args -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE_PROGRAM})
  endif()
  ExternalProject_Add(tb_fuzz
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/tests/fuzz
    BINARY_DIR ${TB_FUZZ_DIR}
    CMAKE_ARGS ${tb_fuzz_args}
    BUILD_COMMAND ${CMAKE_COMMAND} --build ${TB_FUZZ_DIR} -j 2
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    STEP_TARGETS build)
endif()

foreach(t ${TB_FUZZ_TARGETS})
  if(TB_CLANGXX)
    add_test(NAME fuzz.${t}
             COMMAND bash ${PROJECT_SOURCE_DIR}/tests/fuzz/run.sh ${TB_FUZZ_DIR}/fuzz_${t}
                     ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${t} ${TB_FUZZ_DIR}/work/${t} ${TB_FUZZ_SECONDS} ${TB_FUZZ_RUNS_${t}})
  else()
    add_test(NAME fuzz.${t} COMMAND sh -c
             "echo 'clang++ not found: the fuzz targets need clang and libFuzzer (run scripts/setup.sh)' >&2; exit 1")
  endif()
  set_tests_properties(fuzz.${t} PROPERTIES LABELS fuzz TIMEOUT 300)
endforeach()
