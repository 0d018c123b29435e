# Reports: the tables counted from a known case store (unit suite), and
# `netra report` as a real process: HTML parsed and its charts checked
# against its tables, Markdown and CSV with the same numbers, exit codes.
netra_unit_test(report LIBS netra_sinks)

add_test(NAME report_cli
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/report_cli.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
