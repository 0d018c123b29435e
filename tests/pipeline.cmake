# Pipeline: the journal, the wire format and the sink (unit suites), and
# the stages joined as real processes (integration, loopback and ipc://
# only): the reliability test with SIGKILL, and the wire read by a
# ZeroMQ client that is not Netra.
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
set_tests_properties(pipeline_run pipeline_wire PROPERTIES TIMEOUT 120)
set_tests_properties(pipeline_sigkill PROPERTIES TIMEOUT 300)
