#!/usr/bin/env bash
# Installs LMDB's C library and headers (Debian's liblmdb-dev) when pkg-config cannot find them.
set -euo pipefail

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists lmdb; then
    exit 0
fi

echo "liblmdb-dev is missing: installing it with apt-get" >&2
run_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
export DEBIAN_FRONTEND=noninteractive
run_as_root apt-get update -qq
run_as_root apt-get install -y -qq liblmdb-dev pkg-config >/dev/null
pkg-config --exists lmdb
