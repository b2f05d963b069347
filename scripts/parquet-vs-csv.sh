#!/usr/bin/env bash
# Materializes the same 1M rows (an int64 id for 100k drivers, a UTC timestamp, ten float64
# features) from Parquet as pyarrow writes it by default and from CSV, alternating, with the
# release `larder`, and prints wall clock, user CPU and peak RSS of each run.
# Usage: bash scripts/parquet-vs-csv.sh [RUNS]   (default 3; files under Benchmarks/.data/parquet)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
bash scripts/ensure-system-packages.sh
venv=.venv-fixtures
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import pyarrow, numpy" 2>/dev/null || "$venv/bin/python" -m pip install --quiet pyarrow numpy
data=Benchmarks/.data/parquet
mkdir -p "$data"
if [ ! -f "$data/stats.parquet" ]; then
    "$venv/bin/python" - "$data" <<'PY'
import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq, pyarrow.csv as pc
out, n = sys.argv[1], 1_000_000
rng = np.random.default_rng(1)
columns = {"driver_id": pa.array(np.arange(n) // 10, pa.int64()),
           "event_timestamp": pa.array((1714521600 + (np.arange(n) % 10) * 86400) * 1_000_000, pa.timestamp("us", tz="UTC"))}
for i in range(10):
    columns[f"f{i}"] = pa.array(np.round(rng.random(n), 6), pa.float64())
table = pa.table(columns)
pq.write_table(table, f"{out}/stats.parquet")
pc.write_csv(table, f"{out}/stats.csv")
PY
fi
for kind in parquet csv; do
    {
        printf 'entities:\n  - name: driver\n    join_key: driver_id\nsources:\n  - name: stats\n    %s: stats.%s\n' "$kind" "$kind"
        printf 'views:\n  - name: stats\n    entities: [driver]\n    source: stats\n    features:\n'
        for i in 0 1 2 3 4 5 6 7 8 9; do printf '      - {name: f%s, type: float64}\n' "$i"; done
    } > "$data/features-$kind.yaml"
done
swift build -c release --product larder >&2
larder=.build/release/larder
for run in $(seq "$runs"); do
    for kind in parquet csv; do
        store="$data/store-$kind"
        rm -rf "$store"
        "$larder" apply --file "$data/features-$kind.yaml" --store "$store" >/dev/null
        /usr/bin/time -f "$kind run $run: %e s wall, %U s user, %M KB peak RSS" \
            "$larder" materialize 2024-01-01 2025-01-01 --file "$data/features-$kind.yaml" --store "$store" >/dev/null
    done
done
rm -rf "$data"/store-*
