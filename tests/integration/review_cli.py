#!/usr/bin/env python3
"""The review commands as a reviewer uses them: import flags (bad lines
reported, duplicates stored once), the queue and its filters, confirm and
dismiss, the workflow's refusals, recommend with the rule pack's suggestion,
follow-up, overdue, and `netra audit verify` finding a tampered log.
Usage: review_cli.py NETRA SOURCE_DIR"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from review_common import Env, check, finish  # noqa: E402

e = Env(sys.argv[1], sys.argv[2])
flags = e.flag_lines()
check("example-flags", len(flags) == 5, str(len(flags)))

# Import, with a broken line in the middle; then again: nothing new.
mixed = os.path.join(e.tmp, "mixed.jsonl")
with open(e.flags, encoding="utf-8") as f:
    lines = f.read().splitlines()
with open(mixed, "w", encoding="utf-8") as f:
    f.write("\n".join(lines[:2] + ['{"post": 3}'] + lines[2:]) + "\n")
p = e.run("cases", "import", mixed, reviewer=None)
check("import-exit", p.returncode == 0, p.stderr)
check("import-bad-line", "mixed.jsonl:3: post: missing or not an object; line skipped" in p.stderr, p.stderr)
check("import-summary", "5 flag(s)" not in p.stderr and "5 new evidence" in p.stderr, p.stderr)
p = e.run("cases", "import", e.flags, reviewer=None)
check("reimport-idempotent", "0 new evidence, 5 already stored" in p.stderr, p.stderr)
check("import-missing-file", e.run("cases", "import", "/nonexistent.jsonl").returncode == 2)

# Grouping: Budi's two accounts (Mastodon and Facebook) make one case.
cases = e.json("cases", "list")
check("four-cases", cases is not None and len(cases) == 4, str(cases))
budi = [c for c in cases if c["nip"] == "198503152010011002"]
check("two-accounts-one-case", len(budi) == 1 and budi[0]["evidence"] == 2, str(budi))
report = [c for c in cases if c["name"] == "Hendro Saputra"]
check("reported-person-case", len(report) == 1 and report[0]["nip"] == "197802142003121004", str(report))
case = budi[0]["id"]

# The queue: oldest first, filters.
q = e.json("review", "queue")
check("queue-all", len(q) == 5, str(len(q)))
check("queue-filter-category", all("foto" in x["categories"] for x in e.json("review", "queue", "--category", "foto")))
check("queue-filter-agency", len(e.json("review", "queue", "--agency", "Dinas Pendidikan Kabupaten Contoh")) == 1)
check("queue-filter-province", len(e.json("review", "queue", "--province", "Sulawesi Selatan")) == 4)
check("queue-filter-election", len(e.json("review", "queue", "--election", "nope")) == 0)
ev = [x["id"] for x in q if x["case"] == case]
show = e.run("review", "show", str(ev[0]))
check("show-marks", "[[" in show.stdout and "]]" in show.stdout, show.stdout)

# Reviewer identity is required for decisions.
p = e.run("review", "confirm", str(ev[0]), reviewer=None)
check("reviewer-required", p.returncode == 2 and "NETRA_REVIEWER" in p.stderr, p.stderr)

# Workflow: forward only, no close with unreviewed evidence.
check("move-needs-reason", e.run("cases", "move", str(case), "verifikasi").returncode == 2)
check("move-skip-refused", e.run("cases", "move", str(case), "investigasi", "--reason", "x").returncode == 1)
check("move-1", e.run("cases", "move", str(case), "verifikasi", "--reason", "cek akun").returncode == 0)
check("move-2", e.run("cases", "move", str(case), "investigasi", "--reason", "indikasi").returncode == 0)
p = e.run("cases", "move", str(case), "terbukti", "--reason", "x")
check("no-close-unreviewed", p.returncode == 1 and "not yet reviewed" in p.stderr, p.stderr)
p = e.run("cases", "move", str(case), "diterima", "--reason", "x")
check("no-backward", p.returncode == 1 and "forward only" in p.stderr, p.stderr)
check("dismiss-needs-reason", e.run("review", "dismiss", str(ev[1])).returncode == 2)
p = e.run("review", "confirm", str(ev[0]), "999")
check("confirm-several-one-missing", p.returncode == 1 and "evidence %d: confirmed" % ev[0] in p.stdout
      and "no evidence 999" in p.stderr, p.stdout + p.stderr)
check("dismiss", e.run("review", "dismiss", str(ev[1]), "--reason", "akun bukan miliknya").returncode == 0)
check("close", e.run("cases", "move", str(case), "terbukti", "--reason", "bukti cukup").returncode == 0)
check("closed-decision-fixed", e.run("review", "confirm", str(ev[1])).returncode == 1)

# Recommend: the suggestion is shown; a sanction is recorded with its basis.
p = e.run("cases", "recommend", str(case))
check("suggestion-shown", "hukuman_disiplin_sedang" in p.stdout, p.stdout)
check("bad-sanction", e.run("cases", "recommend", str(case), "--sanction", "berat", "--basis", "x").returncode == 1)
check("recommend", e.run("cases", "recommend", str(case), "--sanction", "hukuman_disiplin_sedang",
                         "--basis", "PP 94/2021 Pasal 5").returncode == 0)
over = e.json("cases", "overdue", "--as-of", "2999-01-01")
check("overdue-grouped", over and over[0]["agency"] == "Pemerintah Kabupaten Contoh"
      and over[0]["cases"][0]["id"] == case, str(over))
check("not-overdue-yet", e.json("cases", "overdue") == [])
check("follow-up-bad-date", e.run("cases", "follow-up", str(case), "--decision", "x", "--date", "20-12-2024").returncode == 1)
check("follow-up", e.run("cases", "follow-up", str(case), "--decision", "Hukuman disiplin sedang dijatuhkan",
                         "--date", "2024-12-20").returncode == 0)
check("overdue-cleared", e.json("cases", "overdue", "--as-of", "2999-01-01") == [])

# Case files were rewritten on every change.
md = os.path.join(e.data, "kasus", "kasus-%06d.md" % case)
check("casefile-written", os.path.exists(md))
check("casefile-has-follow-up", "Hukuman disiplin sedang dijatuhkan" in open(md, encoding="utf-8").read())

# Every action is audited with the reviewer; the chain verifies.
log = e.json("audit", "log", "--case", str(case))
check("audit-actions", [r["action"] for r in log] == ["case.open", "case.move", "case.move", "case.move",
                                                       "case.recommend", "case.follow_up"], str(log))
check("audit-actor", all(r["actor"] == "ani" for r in log[1:]), str(log))
p = e.run("audit", "verify")
check("verify-intact", p.returncode == 0 and "intact" in p.stdout, p.stdout + p.stderr)

# Tamper: drop the guard triggers, change one record: verify names it.
db = sqlite3.connect(os.path.join(e.data, "cases.db"))
db.execute("DROP TRIGGER audit_no_update")
db.execute("DROP TRIGGER audit_no_delete")
db.execute("UPDATE audit SET reason = 'tidak ada' WHERE seq = 3")
db.commit()
p = e.run("audit", "verify")
check("verify-changed", p.returncode == 1 and "record 3" in p.stdout and "changed" in p.stdout, p.stdout)
db.execute("UPDATE audit SET reason = 'x' WHERE 0")
db.close()
sys.exit(finish())
