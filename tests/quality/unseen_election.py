#!/usr/bin/env python3
"""The rule pack on an election it has never seen (tests/quality/unseen/: a
made-up regency election with five pairs, written for this test): ballot
numbers 4 and 5, a Bugis honorific, aliases that are everyday words
("ASRI", "HARI"), every category, and hard negatives. The rules must work
through the election file alone. Each post's expected categories and
candidate are in expected.json.
Usage: unseen_election.py NETRA"""
import json
import os
import subprocess
import sys

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "unseen")
p = subprocess.run([sys.argv[1], "classify", "--all", "--election", os.path.join(here, "election.json"),
                    os.path.join(here, "posts.jsonl")], capture_output=True, text=True, check=True)
want = json.load(open(os.path.join(here, "expected.json")))
passed = failed = 0
for line in p.stdout.splitlines():
    v = json.loads(line)
    pid = v["post"]["id"]
    got_cats = sorted(v["categories"]) if v["flagged"] else []
    got_num = v["candidate"]["number"] if v.get("candidate") else None
    w = want[pid]
    if got_cats == sorted(w["categories"]) and got_num == w["number"]:
        passed += 1
    else:
        failed += 1
        print("FAIL %s: want %s no. %s, got %s no. %s (%s)" % (
            pid, w["categories"], w["number"], got_cats, got_num, v["post"]["text"][:60]))
if passed + failed != len(want):
    failed += 1
    print("FAIL %d verdicts for %d posts" % (passed + failed - 1, len(want)))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
