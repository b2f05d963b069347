#!/usr/bin/env bash
# Feast's own Python SDK (feast 0.67.0, in the virtualenv of Benchmarks/feast-comparison) as a
# client of `larder serve`: a sample repository is generated, applied and served on a free port;
# a Feast repository with a `remote` online store pointing at it writes and reads through the
# server (scripts/feast-client/check.py). Not part of CI: installing Feast takes minutes.
# Usage: bash scripts/feast-client.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/Benchmarks/feast-comparison/.venv"
FEAST_VERSION="0.67.0"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
if ! "$VENV/bin/python" -c "import feast, sys; sys.exit(feast.__version__ != '$FEAST_VERSION')" 2>/dev/null; then
    echo "installing feast==$FEAST_VERSION into $VENV (a few minutes the first time)" >&2
    "$VENV/bin/python" -m pip install --quiet "feast==$FEAST_VERSION"
fi
bash "$ROOT/scripts/ensure-system-packages.sh"
(cd "$ROOT" && swift build --product larder >&2)
LARDER="$(cd "$ROOT" && swift build --show-bin-path)/larder"

WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$LARDER" init "$WORK/larder" --drivers 50 --days 2 --entity-rows 10 >/dev/null
(cd "$WORK/larder" && "$LARDER" apply >/dev/null)
(cd "$WORK/larder" && exec "$LARDER" serve --port 0 >"$WORK/serve.out" 2>"$WORK/serve.err") &
SERVER=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
URL="$(grep -o 'http://[0-9.:]*' "$WORK/serve.out")"
echo "larder serve at $URL" >&2

mkdir -p "$WORK/feast"
cp "$ROOT/scripts/feast-client/definitions.py" "$WORK/feast/"
cat >"$WORK/feast/feature_store.yaml" <<YAML
project: larder_remote
provider: local
registry: registry.db
online_store:
  type: remote
  path: $URL
offline_store:
  type: file
entity_key_serialization_version: 3
YAML
(cd "$WORK/feast" && "$VENV/bin/feast" apply >/dev/null 2>&1)
"$VENV/bin/python" "$ROOT/scripts/feast-client/check.py" "$WORK/feast"
