# engine: its .cpp files, e.g. target_sources(tb_exsim PRIVATE ${CMAKE_CURRENT_LIST_DIR}/x.cpp)
