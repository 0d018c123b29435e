#!/usr/bin/env python3
"""Turn the 2024 presidential campaign tweets (CSV) into Netra posts (JSONL).

The corpus is read by path at run time and never copied into the repository
(licence). Each tweet becomes an act "post" from source "twitter"; a retweet
("RT @user: ...") becomes a "share" whose ref.text is the retweeted text.
Usage: tweets_to_posts.py [CSV ...] > posts.jsonl
Default CSV: /work/shared/corpora/pilpres2024-prabowogibran-tweets/*.csv
"""
import csv
import glob
import json
import re
import sys
from datetime import datetime, timezone

DEFAULT = "/work/shared/corpora/pilpres2024-prabowogibran-tweets/*.csv"
RT = re.compile(r"^RT @(\w+):\s*(.*)$", re.S)


def convert(path, out):
    n = 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = row.get("full_text") or ""
            try:
                when = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y")
                created = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            except (KeyError, ValueError):
                created = None
            post = {"id": "twitter:" + row["id_str"], "source": "twitter",
                    "url": "https://twitter.com/i/status/" + row["id_str"],
                    "author": {"id": "unknown", "handle": "unknown", "name": "", "bio": ""},
                    "act": "post", "text": text, "lang": row.get("lang") or "in", "tags": []}
            if created:
                post["created_at"] = created
            m = RT.match(text)
            if m:
                post["act"] = "share"
                post["text"] = ""
                post["ref"] = {"id": "twitter:rt", "author": {"handle": m.group(1)}, "text": m.group(2)}
            post["tags"] = re.findall(r"#(\w+)", text)
            out.write(json.dumps(post, ensure_ascii=False) + "\n")
            n += 1
    return n


def main():
    paths = sys.argv[1:] or sorted(glob.glob(DEFAULT))
    total = sum(convert(p, sys.stdout) for p in paths)
    sys.stderr.write("tweets_to_posts: %d posts\n" % total)


if __name__ == "__main__":
    main()
