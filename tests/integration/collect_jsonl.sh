#!/bin/sh
# netra collect with a JSONL watched folder: new files and lines are
# picked up, a half-written line waits for its end, an invalid line is
# reported with file and line and skipped, the same post in two files is
# passed on once, and a config error names the key with a hint.
# Usage: collect_jsonl.sh NETRA
set -u
NETRA=$1
T=$(mktemp -d /tmp/netra-jsonl-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$T/inbox"
cat > "$T/netra.json" <<JSON
{"data_dir": "state", "sources": [{"type": "jsonl", "name": "inbox", "path": "inbox"}]}
JSON
p() { printf '{"id":"jsonl:t:%s","source":"jsonl","text":"post %s"}\n' "$1" "$1"; }
{ p 1; p 2; echo '{"id": "broken"'; p 3; } > "$T/inbox/a.jsonl"
printf '{"id":"jsonl:t:4","source":"jsonl",' > "$T/inbox/b.jsonl"
echo 'not a jsonl file' > "$T/inbox/notes.txt"
"$NETRA" collect --config "$T/netra.json" --once --out "$T/out.jsonl" 2> "$T/err1" || fail "first run: $(cat "$T/err1")"
[ "$(wc -l < "$T/out.jsonl")" -eq 3 ] || fail "first run wrote $(wc -l < "$T/out.jsonl") posts, want 3"
grep -q 'a.jsonl:3:' "$T/err1" || fail "invalid line not reported with file and line: $(cat "$T/err1")"
grep -q 'fetched 4, new 3, duplicates 0, errors 1' "$T/err1" || fail "progress: $(cat "$T/err1")"
# The rest of the half line arrives, and a new file repeats post 2.
printf '"text":"post 4"}\n' >> "$T/inbox/b.jsonl"
{ p 2; p 5; } > "$T/inbox/c.jsonl"
"$NETRA" collect --config "$T/netra.json" --once --out "$T/out.jsonl" 2> "$T/err2" || fail "second run: $(cat "$T/err2")"
grep -q 'fetched 3, new 2, duplicates 1, errors 0' "$T/err2" || fail "second progress: $(cat "$T/err2")"
ids=$(sed 's/.*"id":"\([^"]*\)".*/\1/' "$T/out.jsonl" | sort | tr '\n' ' ')
[ "$ids" = "jsonl:t:1 jsonl:t:2 jsonl:t:3 jsonl:t:4 jsonl:t:5 " ] || fail "ids: $ids"
# Nothing new: nothing written.
"$NETRA" collect --config "$T/netra.json" --once --out "$T/out.jsonl" 2> "$T/err3" || fail "third run"
[ "$(wc -l < "$T/out.jsonl")" -eq 5 ] || fail "third run wrote posts"
# Configuration errors are clear.
cat > "$T/bad.json" <<JSON
{"data_dir": "state", "sources": [{"type": "jsonl", "pth": "inbox"}]}
JSON
"$NETRA" collect --config "$T/bad.json" --once 2> "$T/err4"; rc=$?
[ $rc -eq 2 ] || fail "bad key exit $rc"
grep -q 'sources\[0\] (jsonl): pth: unknown key; did you mean "path"?' "$T/err4" || fail "bad key message: $(cat "$T/err4")"
cat > "$T/bad.json" <<JSON
{"data_dir": "state", "sources": [{"type": "mastodn", "instance": "https://x"}]}
JSON
"$NETRA" collect --config "$T/bad.json" --once 2> "$T/err5"; rc=$?
[ $rc -eq 2 ] || fail "bad type exit $rc"
grep -q 'unknown source "mastodn"; did you mean "mastodon"?' "$T/err5" || fail "bad type message: $(cat "$T/err5")"
cat > "$T/bad.json" <<JSON
{"data_dir": "state", "sources": [{"type": "mastodon", "instance": "https://x", "hashtags": ["a"], "token_env": "NETRA_NO_SUCH_VAR_XYZ"}]}
JSON
"$NETRA" collect --config "$T/bad.json" --once 2> "$T/err6"; rc=$?
[ $rc -eq 2 ] || fail "missing token exit $rc"
grep -q 'NETRA_NO_SUCH_VAR_XYZ is not set' "$T/err6" || fail "missing token message: $(cat "$T/err6")"
echo "collect_jsonl: ok"
