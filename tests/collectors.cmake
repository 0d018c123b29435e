# Collectors: unit suites, integration tests against a loopback mock
# server replaying ../shared/fixtures, and fuzz harnesses replayed over
# their seed corpora.
set(NETRA_FIXTURES_DIR ${CMAKE_SOURCE_DIR}/../shared/fixtures)

netra_unit_test(collect_checkpoint LIBS netra_collectors)
netra_unit_test(collect_parse LIBS netra_collectors)
netra_unit_test(collect_output LIBS netra_collectors)
target_compile_definitions(test_collect_parse PRIVATE NETRA_FIXTURES_DIR="${NETRA_FIXTURES_DIR}")

add_test(NAME collect_jsonl
  COMMAND ${CMAKE_SOURCE_DIR}/tests/integration/collect_jsonl.sh $<TARGET_FILE:netra>)
add_test(NAME collect_http
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/collect_http.py
          $<TARGET_FILE:netra> ${NETRA_FIXTURES_DIR})
add_test(NAME collect_restart_sigkill
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/collect_restart.py
          $<TARGET_FILE:netra> ${NETRA_FIXTURES_DIR})
set_tests_properties(collect_http collect_restart_sigkill PROPERTIES TIMEOUT 300)

# Each harness builds as a libFuzzer target with NETRA_FUZZ (clang), and
# always as a replay program that ctest runs over tests/fuzz/corpus/<name>.
foreach(name html feed mastodon telegram bluesky)
  netra_fuzz_target(${name} netra_collectors)
endforeach()

add_test(NAME collect_docs
  COMMAND ${CMAKE_SOURCE_DIR}/tests/integration/collect_docs.sh $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
