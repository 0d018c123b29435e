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
