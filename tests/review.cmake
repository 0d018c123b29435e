# Review sink: the case store, workflow, audit chain and case files (unit
# suites), and the review commands driven as real processes.
netra_unit_test(cases LIBS netra_sinks)
netra_unit_test(cases_sanctions LIBS netra_sinks)
netra_unit_test(audit LIBS netra_sinks)
netra_unit_test(casefile LIBS netra_sinks)

foreach(name cli casefile stream)
  add_test(NAME review_${name}
    COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/review_${name}.py
            $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
endforeach()

netra_fuzz_target(sanctions netra_sinks)
