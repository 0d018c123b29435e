#!/usr/bin/env python3
"""Flags keep arriving (several `netra cases import` processes at once,
some of them importing the same flags) while reviewers confirm, dismiss and
move cases. At the end every post is stored once, nothing failed on a
locked database, and the audit chain is intact with one record per action.
Usage: review_stream.py NETRA SOURCE_DIR"""
import json
import os
import sqlite3
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from review_common import Env, check, finish  # noqa: E402

e = Env(sys.argv[1], sys.argv[2])
base = e.flag_lines()
nips = ["198503152010011002", "197911232005022001", "199007012019031005"]
BATCHES, PER = 12, 25
files = []
n = 0
for b in range(BATCHES):
    path = os.path.join(e.tmp, "batch%02d.jsonl" % b)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(PER):
            flag = json.loads(json.dumps(base[n % len(base)]))
            flag["post"]["id"] = "stream:%d" % n
            if n % 7 == 0:
                flag["subject"] = {"asn": "unknown"}
            else:
                flag["subject"] = {"asn": "watchlist", "nip": nips[n % 3]}
            f.write(json.dumps(flag, ensure_ascii=False) + "\n")
            n += 1
    files.append(path)
total = n
errors = []


def importer(paths):
    for p in paths:
        r = e.run("cases", "import", p, reviewer="sink")
        if r.returncode != 0:
            errors.append(r.stderr)


# Two importers over all batches (every flag sent twice) and one over half.
threads = [threading.Thread(target=importer, args=(files,)),
           threading.Thread(target=importer, args=(list(reversed(files)),)),
           threading.Thread(target=importer, args=(files[::2],))]
for t in threads:
    t.start()

decided = set()
moves = 0
while any(t.is_alive() for t in threads) or len(decided) < 40:
    q = e.json("review", "queue", "--limit", "5")
    if q is None:
        errors.append("queue failed")
        break
    if not q:
        if not any(t.is_alive() for t in threads):
            break
        continue
    ids = [str(x["id"]) for x in q]
    r = e.run("review", "confirm", *ids[:3], reviewer="ani")
    if r.returncode != 0 and "already" not in r.stderr:
        errors.append(r.stderr)
    if ids[3:]:
        r = e.run("review", "dismiss", *ids[3:], "--reason", "tidak relevan", reviewer="budi")
        if r.returncode != 0 and "already" not in r.stderr:
            errors.append(r.stderr)
    decided.update(ids)
    if moves == 0:
        r = e.run("cases", "move", "1", "verifikasi", "--reason", "mulai", reviewer="ani")
        moves += r.returncode == 0
for t in threads:
    t.join()
check("no-errors", not errors, "\n".join(errors[:5]))
db = sqlite3.connect(os.path.join(e.data, "cases.db"))
count = db.execute("SELECT count(*), count(DISTINCT post_id) FROM evidence").fetchone()
check("each-post-once", count == (total, total), str(count))
unknown = db.execute("SELECT count(*) FROM evidence WHERE case_id IS NULL").fetchone()[0]
check("unknown-queue", unknown == len([i for i in range(total) if i % 7 == 0]), str(unknown))
ncases = db.execute("SELECT count(*) FROM cases").fetchone()[0]
check("one-case-per-person", ncases == 3, str(ncases))
decisions = db.execute("SELECT count(*) FROM evidence WHERE decision != 'pending'").fetchone()[0]
adds = db.execute("SELECT count(*) FROM audit WHERE action = 'evidence.add'").fetchone()[0]
opens = db.execute("SELECT count(*) FROM audit WHERE action = 'case.open'").fetchone()[0]
decs = db.execute("SELECT count(*) FROM audit WHERE action IN ('evidence.confirm','evidence.dismiss')").fetchone()[0]
check("audit-one-per-evidence", adds == total, str(adds))
check("audit-one-per-case", opens == 3, str(opens))
check("audit-one-per-decision", decs == decisions and decisions >= 40, "%d %d" % (decs, decisions))
db.close()
p = e.run("audit", "verify")
check("chain-intact", p.returncode == 0, p.stdout + p.stderr)
sys.exit(finish())
