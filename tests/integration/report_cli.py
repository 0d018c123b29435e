#!/usr/bin/env python3
"""netra report as a supervisor uses it: a case store built from the
example flags (one case proven, recommended and followed up, one
recommended only), the HTML report parsed (balanced tags, no external
resources, every SVG well-formed XML) with each chart's numbers equal to
its table's, Markdown and CSV holding the same numbers, follow_up_days
from netra.json, and the exit codes.
Usage: report_cli.py NETRA SOURCE_DIR"""
import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from review_common import Env, check, finish  # noqa: E402

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}


class Page(html.parser.HTMLParser):
    """Checks that tags balance and collects the tables' cells and the
    charts' numbers, section by section."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []
        self.section = None
        self.tables = {}   # id -> {"rows": [(label, [values])], "total": [...]}
        self.bars = {}     # id -> {(label, series): value}
        self.points = {}   # id -> {date: value}
        self.external = []
        self.row = None
        self.cell = None
        self.in_svg = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a:
                self.external.append(a[k])
        if tag == "link" or tag == "script":
            self.external.append(tag)
        if tag not in VOID and not (self.in_svg and False):
            self.stack.append(tag)
        if tag == "section":
            self.section = a.get("id", "")[2:]
        if tag == "svg":
            self.in_svg = True
        if tag == "table" and "data-table" in a:
            self.tables[a["data-table"]] = {"rows": [], "total": None}
        if tag == "tr" and a.get("class") in ("row", "total"):
            self.row = {"kind": a["class"], "label": None, "values": []}
        if tag == "td" and self.row is not None:
            self.cell = {"series": a.get("data-series"), "text": ""}
        if tag == "rect" and a.get("class") == "bar":
            self.bars.setdefault(self.section, {})[(a["data-label"], int(a["data-series"]))] = int(a["data-value"])
        if tag == "circle" and a.get("class") == "point":
            self.points.setdefault(self.section, {})[a["data-date"]] = int(a["data-value"])

    def handle_startendtag(self, tag, attrs):
        # <rect .../> inside SVG: no end tag to wait for.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
            return
        self.stack.pop()
        if tag == "svg":
            self.in_svg = False
        if tag == "td" and self.row is not None and self.cell is not None:
            if self.row["label"] is None:
                self.row["label"] = self.cell["text"]
            elif self.cell["series"] is not None:
                self.row["values"].append(int(self.cell["text"]))
            self.cell = None
        if tag == "tr" and self.row is not None:
            t = self.tables[self.section]
            if self.row["kind"] == "row":
                t["rows"].append((self.row["label"], self.row["values"]))
            else:
                t["total"] = self.row["values"]
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


e = Env(sys.argv[1], sys.argv[2])


def rep(*args):
    """netra report with the test's netra.json."""
    return subprocess.run([e.netra, "report", "--config", e.config] + list(args),
                          capture_output=True, text=True, encoding="utf-8")


check("import", e.run("cases", "import", e.flags, reviewer=None).returncode == 0)
cases = e.json("cases", "list")
budi = [c for c in cases if c["nip"] == "198503152010011002"][0]["id"]
ratna = [c for c in cases if c["nip"] == "197911232005022001"][0]["id"]
for case in (budi, ratna):
    for ev in [x["id"] for x in e.json("review", "queue") if x["case"] == case]:
        e.run("review", "confirm", str(ev))
    for state in ("verifikasi", "investigasi", "terbukti"):
        e.run("cases", "move", str(case), state, "--reason", "uji")
check("recommend-1", e.run("cases", "recommend", str(budi), "--sanction", "sanksi_moral",
                           "--basis", "PP 42/2004").returncode == 0)
check("recommend-2", e.run("cases", "recommend", str(ratna), "--sanction",
                           "hukuman_disiplin_berat", "--basis", "PP 94/2021").returncode == 0)
check("follow-up", e.run("cases", "follow-up", str(budi), "--decision", "dijatuhkan",
                         "--date", "2024-12-20").returncode == 0)

out = {f: os.path.join(e.tmp, "laporan." + f) for f in ("md", "csv", "html")}
for f, path in out.items():
    p = rep("--out", path, "--as-of", "2999-01-01")
    check("report-" + f, p.returncode == 0 and p.stdout.strip() == path, p.stdout + p.stderr)

# HTML: balanced, offline, SVG well-formed, charts equal tables.
text = open(out["html"], encoding="utf-8").read()
page = Page()
page.feed(text)
page.close()
check("html-balanced", not page.errors and page.stack == [], str(page.errors[:3]) + str(page.stack))
check("html-offline", page.external == [], str(page.external))
check("html-lang-id", '<html lang="id">' in text)
check("html-print-css", "@media print" in text)
svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
check("svg-count", len(svgs) == 11, str(len(svgs)))
for i, s in enumerate(svgs):
    try:
        ET.fromstring(s)
        ok = True
    except ET.ParseError as err:
        ok = str(err)
    check("svg-xml-%d" % i, ok is True, str(ok))
check("tables", set(page.tables) >= {"ringkasan", "instansi", "kelas_jabatan", "kategori",
                                     "provinsi", "usia", "rekomendasi", "dukungan",
                                     "tindak_lanjut", "tahapan", "harian"}, str(page.tables.keys()))
for tid, t in page.tables.items():
    if tid == "harian":
        pts = page.points.get(tid, {})
        rows = dict((label, v[0]) for label, v in t["rows"])
        check("line-equals-table", pts and all(pts.get(d, 0) == n for d, n in rows.items())
              and all(rows.get(d, 0) == n for d, n in pts.items())
              and sum(pts.values()) == t["total"][0], "%s %s" % (pts, rows))
        continue
    bars = page.bars.get(tid, {})
    want = {(label, s): v for label, vals in t["rows"] for s, v in enumerate(vals)}
    check("bars-equal-table-" + tid, bars == want, "%s != %s" % (bars, want))

tab = page.tables
row = lambda tid, label: dict(tab[tid]["rows"]).get(label)  # noqa: E731
check("summary", row("ringkasan", "Dilaporkan") == [4] and row("ringkasan", "Terbukti melanggar") == [2]
      and row("ringkasan", "Ditindaklanjuti PPK") == [1], str(tab["ringkasan"]))
check("compliance", row("tindak_lanjut", "Pemerintah Kabupaten Contoh") == [2, 1, 0, 1],
      str(tab["tindak_lanjut"]))
check("age-31-40", row("usia", "31\u201340 tahun") == [2, 1], str(tab["usia"]))
check("support-named", any(l.startswith("Paslon no. urut 2: Bambang Wijaya & Dewi Lestari")
                           for l, _ in tab["dukungan"]["rows"]), str(tab["dukungan"]))
check("stages-marked", 'data-stage="kampanye"' in text and 'data-stage="pemungutan"' in text)

# CSV: the same numbers as the HTML tables, one line per table, row, series.
rows = list(csv.DictReader(io.StringIO(open(out["csv"], encoding="utf-8", newline="").read())))
check("csv-header", rows and list(rows[0].keys()) == ["tabel", "judul", "baris", "seri",
                                                      "jumlah", "persen", "dasar"])
mism = []
for tid, t in page.tables.items():
    for label, vals in t["rows"]:
        got = [int(r["jumlah"]) for r in rows if r["tabel"] == tid and r["baris"] == label]
        if got != vals:
            mism.append((tid, label, got, vals))
check("csv-equals-html", not mism, str(mism[:3]))
r = [x for x in rows if x["tabel"] == "ringkasan" and x["baris"] == "Terbukti melanggar"][0]
check("csv-percent", r["persen"] == "50.0" and r["dasar"] == "4", str(r))

# Markdown: the same numbers, with Indonesian decimal commas.
md = open(out["md"], encoding="utf-8").read()
check("md-summary", "| Terbukti melanggar | 2 | 50,0% |" in md, md[:800])
check("md-compliance", "| Pemerintah Kabupaten Contoh | 2 | 100,0% | 1 | 50,0% | 0 | 0,0% | 1 | 50,0% |" in md)

# follow_up_days from netra.json: 100000 days means nothing is late.
cfg = json.load(open(e.config, encoding="utf-8"))
cfg["follow_up_days"] = 3650
with open(e.config, "w", encoding="utf-8") as f:
    json.dump(cfg, f)
p = rep("--format", "csv", "--as-of", "2030-01-01")
late = [x for x in csv.DictReader(io.StringIO(p.stdout)) if x["tabel"] == "tindak_lanjut"
        and x["seri"] == "Terlambat" and x["baris"] == "Pemerintah Kabupaten Contoh"]
check("config-follow-up-days", late and late[0]["jumlah"] == "0", p.stdout[-500:] + p.stderr)
p = e.run("cases", "overdue", "--as-of", "2030-01-01", "--json", reviewer=None)
check("overdue-uses-config", p.returncode == 0 and json.loads(p.stdout) == [], p.stdout + p.stderr)
p = e.run("cases", "overdue", "--as-of", "2030-01-01", "--days", "1", "--json", reviewer=None)
check("overdue-days-wins", p.returncode == 0 and len(json.loads(p.stdout)) == 1, p.stdout)

# Dates and the election filter.
p = rep("--format", "csv", "--from", "2024-10-13", "--to", "2024-12-31")
n = [x for x in csv.DictReader(io.StringIO(p.stdout)) if x["tabel"] == "ringkasan" and x["baris"] == "Dilaporkan"]
check("from-to", p.returncode == 0 and n and n[0]["jumlah"] == "2", p.stdout[:300] + p.stderr)
p = rep("--election", "nope")
check("election-filter", p.returncode == 0 and "| Dilaporkan | 0 | - |" in p.stdout, p.stdout[:600])

# Exit codes.
bad = [("bad-date", ["--from", "2024-02-30"], 2, "--from takes a date"),
       ("from-after-to", ["--from", "2024-10-02", "--to", "2024-10-01"], 2, "is after"),
       ("bad-format", ["--format", "pdf"], 2, "md, csv or html"),
       ("unknown-option", ["--nope"], 2, "unexpected"),
       ("unnamed-format", ["--out", os.path.join(e.tmp, "laporan.txt")], 2, "--format")]
for name, args, code, msg in bad:
    p = rep(*args)
    check(name, p.returncode == code and msg in p.stderr, "%d %s" % (p.returncode, p.stderr))
missing = os.path.join(e.tmp, "kosong")
p = subprocess.run([sys.argv[1], "report", "--data-dir", missing], capture_output=True, text=True)
check("missing-store", p.returncode == 1 and os.path.join(missing, "cases.db") in p.stderr
      and not os.path.exists(missing), p.stderr)
sys.exit(finish())
