#!/usr/bin/env python3
"""Measure the rule pack on a labelled corpus (../shared/corpus layout).

Runs `netra classify --all` over the posts with the corpus's election files
and watchlist, and prints precision, recall and F1 for "any violation", per
category, macro-F1, candidate attribution accuracy and bio accuracy. With
--floors it exits 1 when a figure is below the acceptance floors.
Usage: evaluate.py NETRA CORPUS_DIR [--floors] [--errors] [--rules PATH]
"""
import json
import os
import subprocess
import sys
import tempfile

CATS = ["dukungan", "ajakan", "foto", "baliho", "kegiatan", "pencalonan", "parpol", "fasilitas"]
FLOORS = {"precision": 0.92, "recall": 0.88, "macro_f1": 0.80, "attribution": 0.90, "bio": 0.90}


def run(netra, args, stdin=None):
    p = subprocess.run([netra, "classify", "--all"] + args, input=stdin, capture_output=True,
                       text=True, encoding="utf-8")
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit("netra classify failed with status %d" % p.returncode)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def main():
    netra, corpus = sys.argv[1], sys.argv[2]
    opts = sys.argv[3:]
    if not os.path.isfile(os.path.join(corpus, "labels.jsonl")):
        print("no labelled corpus at %s (../shared/corpus beside the checkout): skipped" % corpus)
        return 77
    extra = []
    if "--rules" in opts:
        extra = ["--rules", opts[opts.index("--rules") + 1]]
    edir = os.path.join(corpus, "elections")
    elections = []
    for name in sorted(os.listdir(edir)):
        if name.endswith(".json"):
            elections += ["--election", os.path.join(edir, name)]
    base = extra + elections + ["--watchlist", os.path.join(corpus, "watchlist.jsonl")]
    verdicts = {v["post"]["id"]: v for v in run(netra, base + [os.path.join(corpus, "posts.jsonl")])}
    labels = [json.loads(l) for l in open(os.path.join(corpus, "labels.jsonl"), encoding="utf-8")]

    tp = fp = fn = tn = 0
    per = {c: [0, 0, 0] for c in CATS}  # tp, fp, fn
    att_ok = att_n = 0
    errors = []
    for lab in labels:
        v = verdicts.get(lab["id"])
        if v is None:
            sys.exit("no verdict for %s" % lab["id"])
        gold = set(lab["categories"])
        got = set(v["categories"]) if v["flagged"] else set()
        if gold and got:
            tp += 1
        elif got:
            fp += 1
        elif gold:
            fn += 1
        else:
            tn += 1
        for c in CATS:
            if c in gold and c in got:
                per[c][0] += 1
            elif c in got:
                per[c][1] += 1
            elif c in gold:
                per[c][2] += 1
        if gold and got and lab.get("candidate"):
            att_n += 1
            cand = v.get("candidate")
            if cand and cand["election"] == lab["candidate"]["election"] and \
                    cand["number"] == lab["candidate"]["number"]:
                att_ok += 1
            else:
                errors.append("ATTR %s want %s got %s" % (lab["id"], lab["candidate"], cand))
        if gold != got:
            errors.append("%s %s gold=%s got=%s scores=%s | %s" % (
                "FN" if gold - got else "FP", lab["id"], sorted(gold), sorted(got),
                {k: s for k, s in v["category_scores"].items() if s > 0},
                " ".join(h["rule"] for h in v["hits"])))

    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print("posts %d: violations %d, flagged %d" % (len(labels), tp + fn, tp + fp))
    print("any violation: precision %.3f  recall %.3f  F1 %.3f" % (precision, recall, f1(precision, recall)))
    f1s = []
    for c in CATS:
        t, p_, n = per[c]
        pc = t / (t + p_) if t + p_ else 0.0
        rc = t / (t + n) if t + n else 0.0
        f1s.append(f1(pc, rc))
        print("  %-11s precision %.3f  recall %.3f  F1 %.3f  (tp %d fp %d fn %d)" % (c, pc, rc, f1s[-1], t, p_, n))
    macro = sum(f1s) / len(f1s)
    attribution = att_ok / att_n if att_n else 0.0
    print("macro-F1 over the eight categories: %.3f" % macro)
    print("candidate attribution: %.3f (%d of %d)" % (attribution, att_ok, att_n))

    # Bio accuracy: each bio becomes a post with no text; the verdict's subject says.
    bios = [json.loads(l) for l in open(os.path.join(corpus, "bios.jsonl"), encoding="utf-8")]
    lines = "".join(json.dumps({"id": "bio:%d" % i, "source": "bio", "text": "",
                                "author": {"handle": "bio%d" % i, "name": b["name"], "bio": b["bio"]}},
                               ensure_ascii=False) + "\n" for i, b in enumerate(bios))
    bv = {v["post"]["id"]: v for v in run(netra, extra + elections, stdin=lines)}
    bio_ok = 0
    for i, b in enumerate(bios):
        said = bv["bio:%d" % i]["subject"]["asn"] == "bio"
        if said == b["asn"]:
            bio_ok += 1
        else:
            errors.append("BIO want %s: %s (score %.2f)" % (b["asn"], b["bio"], bv["bio:%d" % i]["bio_score"]))
    bio = bio_ok / len(bios) if bios else 0.0
    print("bio accuracy: %.3f (%d of %d)" % (bio, bio_ok, len(bios)))

    if "--errors" in opts:
        print("\n".join(errors))
    if "--floors" in opts:
        got = {"precision": precision, "recall": recall, "macro_f1": macro, "attribution": attribution, "bio": bio}
        bad = [k for k in FLOORS if got[k] < FLOORS[k]]
        for k in bad:
            print("BELOW FLOOR: %s %.3f < %.2f" % (k, got[k], FLOORS[k]))
        print("%d passed, %d failed" % (len(FLOORS) - len(bad), len(bad)))
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
