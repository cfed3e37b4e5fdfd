# engine: the venue-neutral simulator core (keys, markets, prices, orders, faults, persistence).
target_sources(tb_exsim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/exchange.cpp
  ${CMAKE_CURRENT_LIST_DIR}/keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/markets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/prices.cpp
  ${CMAKE_CURRENT_LIST_DIR}/orders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fills.cpp
  ${CMAKE_CURRENT_LIST_DIR}/futures.cpp
  ${CMAKE_CURRENT_LIST_DIR}/faults.cpp
  ${CMAKE_CURRENT_LIST_DIR}/persistence.cpp
  ${CMAKE_CURRENT_LIST_DIR}/status.cpp)
