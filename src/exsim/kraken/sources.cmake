# kraken: Kraken Spot REST spoken on top of the engine.
target_sources(tb_exsim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/description.cpp
  ${CMAKE_CURRENT_LIST_DIR}/names.cpp
  ${CMAKE_CURRENT_LIST_DIR}/auth.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rate_limits.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render.cpp
  ${CMAKE_CURRENT_LIST_DIR}/public_methods.cpp
  ${CMAKE_CURRENT_LIST_DIR}/private_methods.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kraken_sim.cpp
)
