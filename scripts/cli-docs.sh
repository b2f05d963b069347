#!/usr/bin/env bash
# Regenerates Docs/CLI.md: builds a release `larder`, runs every example in
# scripts/cli-docs/CLI.template.md in a fresh /tmp/larder-docs, and pastes the real output.
# Extra arguments go to `swift build` (e.g. --scratch-path .build-cli).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-lmdb.sh
swift build -c release --product larder "$@"
python3 scripts/cli-docs/fill.py "$(swift build -c release --show-bin-path "$@")/larder" scripts/cli-docs/CLI.template.md > Docs/CLI.md.new
mv Docs/CLI.md.new Docs/CLI.md
echo "wrote Docs/CLI.md"
