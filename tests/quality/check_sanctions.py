#!/usr/bin/env python3
"""Validate rules/sanctions.tsv: header, known categories, stages and sanction kinds,
non-empty legal basis, no duplicates, every category x stage class present.
Prints "file:line: reason" for each problem and exits 1 if there is any.
Usage: check_sanctions.py [PATH]   (default: rules/sanctions.tsv next to this repo)
"""
import os
import sys

CATS = ["dukungan", "ajakan", "foto", "baliho", "kegiatan", "pencalonan", "parpol", "fasilitas"]
CLASSES = ["sebelum_penetapan", "setelah_penetapan"]
STAGES = set(CLASSES) | {"penyerahan_dukungan_perseorangan", "pendaftaran", "penetapan",
                         "pengundian_nomor_urut", "kampanye", "masa_tenang", "pemungutan",
                         "rekapitulasi"}
SANCTIONS = {"sanksi_moral", "hukuman_disiplin_ringan", "hukuman_disiplin_sedang",
             "hukuman_disiplin_berat", "ptdh"}
HEADER = ["category", "stage", "sanction", "basis"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "rules", "sanctions.tsv")
    errors = []
    seen = {}
    header_line = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header_line is None:
                header_line = n
                if [c.strip() for c in cols] != HEADER:
                    errors.append("%s:%d: header must be %s" % (path, n, "\\t".join(HEADER)))
                continue
            if len(cols) != 4:
                errors.append("%s:%d: want 4 tab-separated columns, got %d" % (path, n, len(cols)))
                continue
            cat, stage, sanction, basis = (c.strip() for c in cols)
            if cat not in CATS:
                errors.append("%s:%d: unknown category %r" % (path, n, cat))
            if stage not in STAGES:
                errors.append("%s:%d: unknown stage %r" % (path, n, stage))
            if sanction not in SANCTIONS:
                errors.append("%s:%d: unknown sanction %r" % (path, n, sanction))
            if not basis:
                errors.append("%s:%d: empty legal basis" % (path, n))
            if (cat, stage) in seen:
                errors.append("%s:%d: duplicate %s/%s (first at line %d)" % (path, n, cat, stage, seen[(cat, stage)]))
            else:
                seen[(cat, stage)] = n
    if header_line is None:
        errors.append("%s:1: no header line" % path)
    for cat in CATS:
        for cls in CLASSES:
            if (cat, cls) not in seen:
                errors.append("%s:%d: missing row for %s/%s" % (path, header_line or 1, cat, cls))
    for e in errors:
        print(e)
    if errors:
        sys.exit(1)
    print("%s: %d rows ok" % (path, len(seen)))


if __name__ == "__main__":
    main()
