#!/bin/sh
# docs/sources.md's key reference must be what the code declares
# (`netra collect --list-sources`, generated from the key tables).
# Usage: collect_docs.sh NETRA SOURCE_DIR
set -u
T=$(mktemp -d /tmp/netra-docs-XXXXXX)
trap 'rm -rf "$T"' EXIT
"$1" collect --list-sources > "$T/want" || { echo "FAIL: --list-sources"; exit 1; }
sed -n '/<!-- BEGIN keys -->/,/<!-- END keys -->/p' "$2/docs/sources.md" | sed '1d;$d' > "$T/got"
if ! diff -u "$T/got" "$T/want"; then
	echo "FAIL: docs/sources.md is out of date; regenerate its reference with netra collect --list-sources"
	exit 1
fi
echo "collect_docs: ok"
