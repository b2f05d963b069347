#!/usr/bin/env bash
# Regenerates Docs/CLI.md and Docs/Quickstart.md: builds a release `larder`, runs every example
# in scripts/cli-docs/*.template.md in a fresh /tmp/larder-docs, and pastes the real output.
# Extra arguments go to `swift build` (e.g. --scratch-path .build-cli).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
swift build -c release --product larder "$@"
binary="$(swift build -c release --show-bin-path "$@")/larder"
for name in CLI Quickstart; do
    python3 scripts/cli-docs/fill.py "$binary" "scripts/cli-docs/$name.template.md" > "Docs/$name.md.new"
    mv "Docs/$name.md.new" "Docs/$name.md"
    echo "wrote Docs/$name.md"
done
