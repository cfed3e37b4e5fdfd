# bitfinex: the venue's v2 REST protocol on top of the engine.
target_sources(tb_exsim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/description.cpp
  ${CMAKE_CURRENT_LIST_DIR}/protocol.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render.cpp
  ${CMAKE_CURRENT_LIST_DIR}/order_types.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bitfinex_sim.cpp)
