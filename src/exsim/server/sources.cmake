# server: routing, faults, admin API, the page (page.html, compiled in).
target_sources(tb_exsim PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/admin_api.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fault_answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simulator.cpp
)
tb_embed(tb_exsim FILE ${CMAKE_CURRENT_LIST_DIR}/page.html FUNCTION tb::exsim::api_management_page)
