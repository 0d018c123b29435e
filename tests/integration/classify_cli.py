#!/usr/bin/env python3
"""`netra classify` as contracts/formats.md §5 says: posts in (files or
standard input), flags out, a one-line summary on standard error, malformed
lines reported with their line number and skipped, exit 0 unless no input
could be read or a rule/election file is invalid (then 2, file:line: reason).
Also checks that every hit's offsets select its match in the field as given.
Usage: classify_cli.py NETRA SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile

netra, top = sys.argv[1], sys.argv[2]
ex = os.path.join(top, "examples")
election = os.path.join(ex, "election-kab-contoh.json")
watchlist = os.path.join(ex, "watchlist.jsonl")
posts = os.path.join(ex, "posts.jsonl")
passed = failed = 0


def run(args, stdin=None):
    return subprocess.run([netra, "classify"] + args, input=stdin, capture_output=True,
                          text=True, encoding="utf-8")


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))


def field(post, name):
    if name == "text":
        return post["text"]
    if name == "ref.text":
        return post["ref"]["text"]
    if name == "report.description":
        return post["report"]["description"]
    if name.startswith("media["):
        i = int(name[6:name.index("]")])
        return post["media"][i]["alt" if name.endswith(".alt") else "text"]
    raise KeyError(name)


# 1. Files: flags for the flagged posts only; the malformed line is reported and skipped.
p = run(["--election", election, "--watchlist", watchlist, posts])
check("examples-exit-0", p.returncode == 0, p.stderr)
check("malformed-line-reported", "posts.jsonl:9: text: must be a string" in p.stderr, p.stderr)
check("summary-line", "netra classify: 8 posts," in p.stderr and "1 malformed line(s) skipped" in p.stderr, p.stderr)
flags = [json.loads(l) for l in p.stdout.splitlines()]
ids = {f["post"]["id"] for f in flags}
check("flags-some", len(flags) >= 3, p.stdout)
check("neutral-not-flagged", "bluesky:bsky.social:at://did:plc:ratna/app.bsky.feed.post/3kx2" not in ids, str(ids))
check("complaint-not-flagged", "mastodon:mastodon.example:3001" not in ids, str(ids))
check("routine-not-flagged", "mastodon:mastodon.example:1002" not in ids, str(ids))
raw = {json.loads(l)["id"]: l for l in open(posts, encoding="utf-8") if '"text": 12' not in l}
for f in flags:
    post = f["post"]
    check("post-unchanged", post == json.loads(raw[post["id"]]), post["id"])
    check("categories", f["categories"] and all(c in ("dukungan", "ajakan", "foto", "baliho", "kegiatan", "pencalonan", "parpol", "fasilitas") for c in f["categories"]), str(f["categories"]))
    check("score", 0 < f["score"] <= 1, str(f["score"]))
    check("subject", f["subject"]["asn"] in ("watchlist", "bio", "report", "unknown"), str(f["subject"]))
    check("hits", len(f["hits"]) > 0, post["id"])
    for h in f["hits"]:
        text = field(post, h["field"]).encode("utf-8")
        check("hit-offsets", text[h["start"]:h["end"]].decode("utf-8") == h["match"],
              "%s %s %r" % (post["id"], h, text[h["start"]:h["end"]]))
byid = {f["post"]["id"]: f for f in flags}
like = byid.get("jsonl:facebook.com:55501")
check("like-of-candidate-post", like is not None and "dukungan" in like["categories"] and like["candidate"] == {"election": "pilkada-2024-kab-contoh", "number": 1}, str(like))
check("watchlist-subject", like is not None and like["subject"] == {"asn": "watchlist", "nip": "198503152010011002"}, str(like))
appeal = byid.get("bluesky:bsky.social:at://did:plc:ratna/app.bsky.feed.post/3kx1")
check("dodged-appeal", appeal is not None and "ajakan" in appeal["categories"] and appeal.get("stage") == "kampanye", str(appeal))
report = byid.get("report:pantau-contoh:2024-017")
check("report-subject", report is not None and report["subject"]["asn"] == "report", str(report))

# 2. Standard input, and --all writes a verdict for every post.
p = run(["--election", election, "--all"], stdin=open(posts, encoding="utf-8").read())
check("stdin-exit-0", p.returncode == 0, p.stderr)
check("stdin-line-number", "<stdin>:9:" in p.stderr, p.stderr)
verdicts = [json.loads(l) for l in p.stdout.splitlines()]
check("all-verdicts", len(verdicts) == 8 and all("flagged" in v for v in verdicts), str(len(verdicts)))

# 3. Invalid election file: exit 2 with file:line: reason.
with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w", encoding="utf-8") as fh:
        fh.write(open(election, encoding="utf-8").read().replace('"number": 2', '"number": "dua"'))
    p = run(["--election", bad, posts])
    check("bad-election-exit-2", p.returncode == 2, str(p.returncode))
    check("bad-election-message", "bad.json:15: candidates[1].number: must be a ballot number" in p.stderr, p.stderr)
    check("bad-election-no-output", p.stdout == "", p.stdout)
    # 4. A broken rule pack: exit 2 with file:line and PCRE2's message.
    rules = os.path.join(tmp, "rules")
    os.mkdir(rules)
    with open(os.path.join(rules, "x.rules"), "w", encoding="utf-8") as fh:
        fh.write("rule ajakan.x\n  category ajakan\n  description d\n  reference r\n  weight 0.5\n  pattern p (?:coblos\nend\n")
    p = run(["--rules", rules, "--election", election, posts])
    check("bad-rules-exit-2", p.returncode == 2, str(p.returncode))
    check("bad-rules-message", "x.rules:6: rule ajakan.x: PCRE2: missing closing parenthesis" in p.stderr, p.stderr)
    # 5. No input could be read at all: exit 2.
    p = run(["--election", election, os.path.join(tmp, "missing.jsonl")])
    check("unreadable-exit-2", p.returncode == 2 and "missing.jsonl: cannot open" in p.stderr, p.stderr)
    # One readable input is enough for 0.
    p = run(["--election", election, os.path.join(tmp, "missing.jsonl"), posts])
    check("one-readable-exit-0", p.returncode == 0, p.stderr)
    # 6. Usage errors.
    p = run([posts])
    check("no-election-usage", p.returncode == 2 and "--election" in p.stderr, p.stderr)
    # 7. Config file supplies elections, watchlist and threshold.
    p = run(["--config", os.path.join(ex, "netra.json"), posts])
    check("config-run", p.returncode == 0 and len(p.stdout.splitlines()) == len(flags), p.stderr)
    # 8. Naive mode gives the same flags (the prefilter loses nothing).
    p1 = run(["--election", election, "--watchlist", watchlist, "--all", posts])
    p2 = run(["--election", election, "--watchlist", watchlist, "--all", "--naive", posts])
    check("naive-same", p1.stdout == p2.stdout, "")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
