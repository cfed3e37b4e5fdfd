target_sources(tb_venues PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/auth.cpp
  ${CMAKE_CURRENT_LIST_DIR}/description.cpp
  ${CMAKE_CURRENT_LIST_DIR}/errors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/requests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/symbols.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ws_answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ws_requests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/binance_futures.cpp
)
