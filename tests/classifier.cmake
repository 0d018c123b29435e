# Classifier: unit suites, the command's contract, fuzz harnesses replayed
# over their seed corpora, and the rule pack's own tests.
netra_unit_test(normalize LIBS netra_classifier)
netra_unit_test(atoms LIBS netra_classifier)
netra_unit_test(rules LIBS netra_classifier)
netra_unit_test(engine LIBS netra_classifier)

add_test(NAME classify_cli
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/integration/classify_cli.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR})
add_test(NAME rules_check COMMAND netra rules check)
add_test(NAME rules_test COMMAND netra rules test)

foreach(name normalize rules classify atoms engine)
  netra_fuzz_target(${name} netra_classifier)
endforeach()
netra_fuzz_target(election netra_core)
netra_fuzz_target(jsonfast netra_core)

# The rule pack's quality on the labelled development set: prints precision,
# recall, F1 per category, attribution and bio accuracy, and fails below the
# acceptance floors (docs/quality.md).
add_test(NAME quality_devset
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/quality/evaluate.py
          $<TARGET_FILE:netra> ${CMAKE_SOURCE_DIR}/../shared/corpus --floors)
set_tests_properties(quality_devset PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
add_test(NAME sanctions_table
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/quality/check_sanctions.py
          ${CMAKE_SOURCE_DIR}/rules/sanctions.tsv)
add_test(NAME quality_unseen_election
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/tests/quality/unseen_election.py $<TARGET_FILE:netra>)
