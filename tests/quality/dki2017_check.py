#!/usr/bin/env python3
"""An unseen-election check: the 900 labelled tweets about the 2017 Jakarta
governor race (../shared/corpora/pilkada-dki-2017-tweets, read at run time,
personal-use licence: never copied here) run through the rule pack with an
election file written for that race. The pack was never tuned on them.
Prints, per sentiment, how many tweets are flagged, and, of flagged positive
tweets that name a candidate, how often it is the pair the tweet is about.
Usage: dki2017_check.py NETRA [CORPORA_DIR]"""
import csv
import json
import os
import subprocess
import sys

netra = sys.argv[1]
corpora = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpora")
path = os.path.join(corpora, "pilkada-dki-2017-tweets", "dataset_tweet_sentiment_pilkada_DKI_2017.csv")
election = os.path.join(os.path.dirname(__file__), "pilkada-dki-2017.json")
pair_number = {"Agus-Sylvi": 1, "Ahok-Djarot": 2, "Anies-Sandi": 3}
rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
posts = "".join(json.dumps({"id": "dki2017:%s" % r["Id"], "source": "jsonl", "created_at": "2017-02-01T12:00:00+07:00",
                            "text": r["Text Tweet"]}, ensure_ascii=False) + "\n" for r in rows)
p = subprocess.run([netra, "classify", "--all", "--election", election], input=posts, capture_output=True,
                   text=True, encoding="utf-8", check=True)
verdicts = {json.loads(l)["post"]["id"]: json.loads(l) for l in p.stdout.splitlines()}
stats = {}
for r in rows:
    v = verdicts["dki2017:%s" % r["Id"]]
    s = stats.setdefault(r["Sentiment"], {"n": 0, "flagged": 0, "named": 0, "right": 0})
    s["n"] += 1
    if v["flagged"]:
        s["flagged"] += 1
        if v.get("candidate"):
            s["named"] += 1
            s["right"] += v["candidate"]["number"] == pair_number[r["Pasangan Calon"]]
for sent in ("positive", "negative"):
    s = stats[sent]
    print("%-8s tweets %d, flagged %d (%.1f%%), naming a candidate %d, of which the tweet's pair %d (%.1f%%)" % (
        sent, s["n"], s["flagged"], 100.0 * s["flagged"] / s["n"], s["named"], s["right"],
        100.0 * s["right"] / s["named"] if s["named"] else 0.0))
