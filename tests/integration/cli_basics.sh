#!/usr/bin/env bash
# The netra binary's basic behaviour: help, version, usage errors, and the
# validate and config commands' messages and exit codes.
set -u
netra=$1
top=$2
fail=0
pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() { # expect NAME WANT_STATUS PATTERN -- CMD...
  local name=$1 want=$2 pat=$3
  shift 4
  "$@" >"$tmp/out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ] || ! grep -qE -- "$pat" "$tmp/out"; then
    echo "FAIL $name: status $got (want $want), output:"; sed 's/^/  | /' "$tmp/out"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

expect version 0 '^netra [0-9]+\.[0-9]+\.[0-9]+$' -- "$netra" --version
expect help 0 'validate' -- "$netra" help
expect cmd-help 0 'Usage: netra validate' -- "$netra" validate --help
expect unknown-cmd 2 "did you mean 'validate'" -- "$netra" validat
expect no-args 2 'Usage: netra COMMAND' -- "$netra"
expect validate-examples 1 'posts.jsonl:9: text: must be a string, not an integer' -- \
  "$netra" validate --election "$top/examples/election-kab-contoh.json" \
  --watchlist "$top/examples/watchlist.jsonl" "$top/examples/posts.jsonl"
expect validate-counts 1 'posts.jsonl: 8 posts valid, 1 invalid' -- \
  "$netra" validate "$top/examples/posts.jsonl"
printf '{"id":"a","source":"s","text":"ok"}\n' > "$tmp/good.jsonl"
expect validate-good 0 '1 posts valid, 0 invalid' -- "$netra" validate "$tmp/good.jsonl"
sed 's/"Asia\/Makassar"/"Mars\/Olympus"/' "$top/examples/election-kab-contoh.json" > "$tmp/e.json"
expect bad-election 2 'e.json:4: timezone: unknown time zone "Mars/Olympus"' -- \
  "$netra" validate --election "$tmp/e.json"
expect config-ok 0 'netra.json: ok \(1 election' -- "$netra" config check --config "$top/examples/netra.json"
printf '{\n  "elections": [],\n  "watchlst": "w.jsonl"\n}\n' > "$tmp/netra.json"
expect config-typo 2 'netra.json:3: watchlst: unknown key \(did you mean "watchlist"\?\)' -- \
  "$netra" config check --config "$tmp/netra.json"
expect config-keys 0 'threshold' -- "$netra" config keys
# docs/configuration.md is generated from the key table: they must agree.
"$netra" config docs > "$tmp/configuration.md"
if diff -u "$top/docs/configuration.md" "$tmp/configuration.md" >"$tmp/diff"; then
  pass=$((pass + 1))
else
  echo "FAIL docs/configuration.md differs from 'netra config docs' (regenerate it):"
  cat "$tmp/diff"; fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
