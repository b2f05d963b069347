#!/usr/bin/env bash
# Installs the C libraries Larder builds on, from Debian, when pkg-config cannot find them:
# LMDB (liblmdb-dev), and the codecs ParquetKit reads compressed pages with (libsnappy-dev,
# libzstd-dev, zlib1g-dev); curl, which runs Docs/Server.md's examples in the tests; and
# chromium, which renders `larder report`'s page in the tests (scripts/render-report.sh).
set -euo pipefail

missing=()
if ! command -v pkg-config >/dev/null 2>&1; then
    missing=(pkg-config liblmdb-dev libsnappy-dev libzstd-dev zlib1g-dev)
else
    pkg-config --exists lmdb || missing+=(liblmdb-dev)
    pkg-config --exists snappy || missing+=(libsnappy-dev)
    pkg-config --exists libzstd || missing+=(libzstd-dev)
    pkg-config --exists zlib || missing+=(zlib1g-dev)
fi
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "missing system packages: ${missing[*]}; installing them with apt-get" >&2
run_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
export DEBIAN_FRONTEND=noninteractive
run_as_root apt-get update -qq
run_as_root apt-get install -y -qq "${missing[@]}" >/dev/null
pkg-config --exists lmdb snappy libzstd zlib
