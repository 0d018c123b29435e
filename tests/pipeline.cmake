# Pipeline: the journal, the wire format and the sink (unit suites), and
# the stages joined as real processes (integration, loopback and ipc://
# only): the reliability tests with SIGKILL (of the classifier and the
# sink; of `netra collect --to`), a full journal pausing collecting, and
# the wire read by a ZeroMQ client that is not Netra.
netra_unit_test(journal LIBS netra_core)
netra_unit_test(wire LIBS netra_core)
netra_unit_test(sink LIBS netra_sinks)

add_test(NAME pipeline_run
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/pipeline_run.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
add_test(NAME pipeline_wire
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/pipeline_wire.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
add_test(NAME pipeline_sigkill
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/pipeline_sigkill.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
add_test(NAME pipeline_collect_kill
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/pipeline_collect_kill.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
add_test(NAME pipeline_workers
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/pipeline_workers.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
add_test(NAME pipeline_collect_quota
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/pipeline_collect_quota.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
set_tests_properties(pipeline_run pipeline_wire pipeline_workers pipeline_collect_quota PROPERTIES TIMEOUT 120)
set_tests_properties(pipeline_collect_kill PROPERTIES TIMEOUT 180)
set_tests_properties(pipeline_sigkill PROPERTIES TIMEOUT 300)

netra_fuzz_target(wire netra_core)
