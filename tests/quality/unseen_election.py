#!/usr/bin/env python3
"""The rule pack on elections it has never seen, written for this test
(tests/quality/unseen/NAME/: election.json, posts.jsonl, expected.json):
a regency with five pairs (ballot numbers 4 and 5, a Bugis honorific,
aliases that are everyday words), a Papuan governor race in another time
zone with posts in Papuan Malay, Javanese krama, Batak and Minang; every
category and act, and hard negatives. The rules must work through the
election file alone. Each post's expected categories and candidate are in
its folder's expected.json.
Usage: unseen_election.py NETRA"""
import json
import os
import subprocess
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "unseen")
passed = failed = 0
for name in sorted(os.listdir(root)):
    here = os.path.join(root, name)
    p = subprocess.run([sys.argv[1], "classify", "--all", "--election", os.path.join(here, "election.json"),
                        os.path.join(here, "posts.jsonl")], capture_output=True, text=True, check=True)
    want = json.load(open(os.path.join(here, "expected.json")))
    seen = 0
    for line in p.stdout.splitlines():
        v = json.loads(line)
        pid = v["post"]["id"]
        seen += 1
        got_cats = sorted(v["categories"]) if v["flagged"] else []
        got_num = v["candidate"]["number"] if v.get("candidate") else None
        w = want[pid]
        if got_cats == sorted(w["categories"]) and got_num == w["number"]:
            passed += 1
        else:
            failed += 1
            print("FAIL %s/%s: want %s no. %s, got %s no. %s (%s)" % (
                name, pid, w["categories"], w["number"], got_cats, got_num, v["post"]["text"][:60]))
    if seen != len(want):
        failed += 1
        print("FAIL %s: %d verdicts for %d posts" % (name, seen, len(want)))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
