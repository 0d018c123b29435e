#!/usr/bin/env python3
"""Case files from `netra cases export`: the JSON validates against
docs/casefile.schema.json (a small validator: type, required, properties,
items, enum), the marked words are exactly the flag's hits (overlaps
merged) in JSON, Markdown and HTML, the SHA-256 is the stored post's, and
the HTML is self-contained and has print CSS.
Usage: review_casefile.py NETRA SOURCE_DIR"""
import hashlib
import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from review_common import Env, check, finish  # noqa: E402

TYPES = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}


def type_ok(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def validate(v, schema, path="$"):
    """Return a list of problems with v against schema."""
    errs = []
    t = schema.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(type_ok(v, x) for x in ts):
            return ["%s: %r is not %s" % (path, v, t)]
    if "enum" in schema and v not in schema["enum"]:
        errs.append("%s: %r not in %s" % (path, v, schema["enum"]))
    if isinstance(v, dict):
        for k in schema.get("required", []):
            if k not in v:
                errs.append("%s: missing %s" % (path, k))
        for k, sub in schema.get("properties", {}).items():
            if k in v:
                errs += validate(v[k], sub, path + "." + k)
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            errs += validate(x, schema["items"], "%s[%d]" % (path, i))
    return errs


def merged(hits, field):
    spans = sorted((h["start"], h["end"]) for h in hits if h["field"] == field)
    out = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


e = Env(sys.argv[1], sys.argv[2])
schema = json.load(open(os.path.join(e.top, "docs", "casefile.schema.json"), encoding="utf-8"))
e.run("cases", "import", e.flags)
flags = {f["post"]["id"]: f for f in e.flag_lines()}
q = e.json("review", "queue")
e.run("review", "confirm", str(q[0]["id"]))
e.run("review", "dismiss", str(q[1]["id"]), "--reason", "bukan dukungan")
cases = e.json("cases", "list")
check("cases", len(cases) == 4, str(cases))
for c in cases:
    cid = str(c["id"])
    paths = {}
    for fmt in ("json", "md", "html"):
        p = e.run("cases", "export", cid, "--format", fmt)
        check("export-%s" % fmt, p.returncode == 0 and os.path.exists(p.stdout.strip()), p.stderr)
        paths[fmt] = p.stdout.strip()
    doc = json.load(open(paths["json"], encoding="utf-8"))
    problems = validate(doc, schema)
    check("schema-valid", not problems, "\n".join(problems[:10]))
    check("indonesian-status", doc["kasus"]["status_label"] in ("Laporan diterima",), doc["kasus"]["status_label"])
    page = open(paths["html"], encoding="utf-8").read()
    mdtext = open(paths["md"], encoding="utf-8").read()
    check("html-print-css", "@media print" in page and "@page" in page)
    check("html-self-contained", not re.search(r"<script|<link|src=\"http|@import", page))
    html_marks = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", page, re.S)]
    want_marks = []
    for b in doc["bukti"]:
        f = flags[b["id_unggahan"]]
        post = b["unggahan"]
        check("post-as-captured", post == f["post"], b["id_unggahan"])
        stored = json.dumps(post, ensure_ascii=False, separators=(",", ":"))
        check("sha256", hashlib.sha256(stored.encode("utf-8")).hexdigest() == b["sha256"], b["id_unggahan"])
        check("stage", b["tahapan"] == f.get("stage"), str(b["tahapan"]))
        check("categories", b["kategori"] == f["categories"])
        fields = [t["bidang"] for t in b["teks"]]
        for field in {h["field"] for h in f["hits"]}:
            check("field-present", field in fields, field)
        for t in b["teks"]:
            field = t["bidang"]
            raw = t["isi"].encode("utf-8")
            spans = [[m["awal"], m["akhir"]] for m in t["tanda"]]
            check("marks-are-hits", spans == merged(f["hits"], field), "%s %s" % (spans, merged(f["hits"], field)))
            for m in t["tanda"]:
                check("mark-text", raw[m["awal"]:m["akhir"]].decode("utf-8") == m["kata"], m["kata"])
                want_marks.append(m["kata"])
                check("md-mark", "**" in mdtext)
        for h in f["hits"]:
            check("every-hit-marked", any(h["match"] in m for m in want_marks), h["match"])
    check("html-marks-are-hits", html_marks == want_marks, "%s vs %s" % (html_marks, want_marks))
# The file written on every change matches the export.
p = e.run("cases", "export", str(cases[0]["id"]), "--format", "json", "--out", "-")
check("export-stdout", p.returncode == 0 and json.loads(p.stdout)["kasus"]["id"] == cases[0]["id"])
check("export-bad-format", e.run("cases", "export", "1", "--format", "pdf").returncode == 2)
check("export-no-case", e.run("cases", "export", "99", "--format", "md").returncode == 1)
sys.exit(finish())
