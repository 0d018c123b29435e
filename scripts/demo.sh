#!/usr/bin/env bash
# Netra's main job on the bundled examples: check the inputs, classify the
# posts, and say what happened and where the output went.
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
netra="$build/cli/netra"
ex="$top/examples"
out="$build/demo"
mkdir -p "$out"

echo "== netra demo: $(${netra} --version)"
echo "-- 1. checking the example files (one post line is malformed on purpose)"
"$netra" validate --election "$ex/election-kab-contoh.json" --watchlist "$ex/watchlist.jsonl" \
  "$ex/posts.jsonl" || true
"$netra" config check --config "$ex/netra.json"

if "$netra" help classify >/dev/null 2>&1; then
  echo "-- 2. classifying examples/posts.jsonl with the rule pack in rules/"
  "$netra" classify --election "$ex/election-kab-contoh.json" --watchlist "$ex/watchlist.jsonl" \
    "$ex/posts.jsonl" > "$out/flags.jsonl"
  echo "-- flagged posts (id, categories, candidate, stage, subject):"
  python3 - "$out/flags.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    f = json.loads(line)
    c = f.get("candidate")
    print("  %-52s %-22s %-8s %-11s %s" % (f["post"]["id"][:52], ",".join(f["categories"]),
          "no. %d" % c["number"] if c else "-", f.get("stage") or "-", f["subject"]["asn"]))
PY
  echo "== flags written to $out/flags.jsonl"
fi

if "$netra" help run >/dev/null 2>&1; then
  echo "-- 3. the whole pipeline in one process: netra run (collect -> classify -> sink)"
  rm -rf "$out/pipeline"
  mkdir -p "$out/pipeline"
  cat > "$out/pipeline/netra.json" <<JSON
{
  "elections": ["$ex/election-kab-contoh.json"],
  "watchlist": "$ex/watchlist.jsonl",
  "data_dir": "data",
  "log_level": "warn",
  "sources": [{"type": "jsonl", "name": "examples", "path": "$ex/posts.jsonl"}]
}
JSON
  "$netra" run --config "$out/pipeline/netra.json" --once
  echo "== the sink holds $("$netra" sink --config "$out/pipeline/netra.json" --count) flag(s)" \
    "in $out/pipeline/data/sink/flags.db ('netra sink --config $out/pipeline/netra.json --list')"
fi

if "$netra" help cases >/dev/null 2>&1 && [ -s "$out/flags.jsonl" ]; then
  echo "-- 4. review: the flags become cases (one per civil servant and election)"
  rm -rf "$out/cases.db" "$out/cases.db-wal" "$out/cases.db-shm" "$out/kasus"
  store=(--config "$ex/netra.json" --data-dir "$out")
  "$netra" cases import "${store[@]}" "$out/flags.jsonl" >/dev/null
  "$netra" cases list "${store[@]}"
  first=$("$netra" review queue "${store[@]}" --limit 1 --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
  echo "-- the reviewer \"demo\" confirms evidence $first and moves its case to verifikasi:"
  NETRA_REVIEWER=demo "$netra" review confirm "${store[@]}" "$first" \
    --reason "unggahan dan akun sesuai daftar pantau"
  case_id=$("$netra" review show "${store[@]}" "$first" --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["case"])')
  NETRA_REVIEWER=demo "$netra" cases move "${store[@]}" "$case_id" verifikasi \
    --reason "bukti pertama dikonfirmasi"
  for id in $("$netra" cases list "${store[@]}" --json |
      python3 -c 'import json, sys; print(" ".join(str(c["id"]) for c in json.load(sys.stdin)))'); do
    for fmt in md json html; do
      "$netra" cases export "${store[@]}" "$id" --format "$fmt" >/dev/null
    done
  done
  "$netra" audit verify "${store[@]}"
  echo "== case files (Markdown, JSON, HTML; Bahasa Indonesia) in $out/kasus/:"
  ls "$out/kasus" | sed 's/^/  /'
fi

if "$netra" help report >/dev/null 2>&1 && [ -f "$out/cases.db" ]; then
  echo "-- 5. report: the tables supervisors send upwards, from the case store"
  for fmt in html md; do
    "$netra" report --config "$ex/netra.json" --data-dir "$out" --format "$fmt" \
      --out "$out/laporan.$fmt" >/dev/null
  done
  echo "== report (Bahasa Indonesia; HTML with charts, opens offline):"
  echo "  $out/laporan.html"
  echo "  $out/laporan.md"
fi
