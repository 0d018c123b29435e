#!/usr/bin/env bash
# Install the Debian packages Netra needs, if any is missing. Run as root on
# Debian 12 (as `make demo` and `make check` do); otherwise it prints the
# apt-get line to run.
set -euo pipefail

packages=(build-essential cmake pkg-config clang libclang-rt-14-dev
  libjansson-dev libpcre2-dev libutf8proc-dev libvectorscan-dev
  libcurl4-openssl-dev libzmq3-dev libsqlite3-dev
  check libsubunit-dev python3 python3-zmq)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "netra: all build packages are installed"
  exit 0
fi
echo "netra: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "netra: not root; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
