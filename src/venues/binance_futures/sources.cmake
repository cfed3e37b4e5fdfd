target_sources(tb_venues PRIVATE ${CMAKE_CURRENT_LIST_DIR}/binance_futures.cpp)
