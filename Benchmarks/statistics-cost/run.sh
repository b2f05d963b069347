#!/usr/bin/env bash
# What the statistics every run stores cost, counted in instructions: the same materialization
# of each 1M-row export (grouped by entity, ordered by time, shuffled) and of the Materialize
# benchmark's 1M rows, with and without statistics, under valgrind's callgrind. Instruction counts do not move with the machine's
# load as timings do (Docs/Performance.md, "The cost of the statistics every run stores").
#
#   bash Benchmarks/statistics-cost/run.sh
#
# The data are the MaterializeOrders and Materialize benchmarks', under Benchmarks/.data
# (`bash scripts/benchmark.sh --target MaterializeOrders`, `--target Materialize` generate them). Installs valgrind
# when it is missing. Environment: LARDER=path/to/larder skips the build.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
EXPORTS="$ROOT/Benchmarks/.data/exports"

command -v valgrind >/dev/null 2>&1 || { echo "installing valgrind" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
LARDER="$(bash "$ROOT/scripts/release-larder.sh")"
WORK="$HERE/work"
rm -rf "$WORK" && mkdir -p "$WORK"
# Valgrind cannot read the DWARF 5 Swift emits: count on a copy without it.
objcopy --strip-debug "$LARDER" "$WORK/larder"

# count NAME: instructions of `larder materialize START END` in the current directory, with and without statistics.
count() {
    local counts=()
    for flag in "" --no-statistics; do
        rm -rf .larder && "$WORK/larder" apply >/dev/null
        counts+=("$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$WORK/larder" materialize "$2" "$3" $flag 2>&1 \
            | awk '/refs:/ {gsub(",", "", $NF); print $NF}')")
    done
    awk -v name="$1" -v with="${counts[0]}" -v without="${counts[1]}" 'BEGIN {
        printf "%-42s %6.3f G instructions with statistics, %6.3f G without: +%.1f%%\n", name, with / 1e9, without / 1e9, (with / without - 1) * 100 }'
}

for order in grouped-by-entity ordered-by-time shuffled; do
    export_file="$EXPORTS/export-1000000-$order.csv"
    [ -f "$export_file" ] || { echo "$export_file is missing: run bash scripts/benchmark.sh --target MaterializeOrders first" >&2; exit 2; }
    mkdir -p "$WORK/$order" && cd "$WORK/$order"
    cat > features.yaml <<YAML
entities: [{name: driver, join_key: driver_id}]
sources: [{name: driver_activity, csv: $export_file, timestamp_format: epoch_seconds}]
views:
  - name: driver_activity
    entities: [driver]
    source: driver_activity
    created_timestamp_field: created
    features:
      - {name: conv_rate, type: float64}
      - {name: acc_rate, type: float32}
      - {name: trips, type: int64}
      - {name: city, type: string}
YAML
    count "export, $order" 2024-05-01 2024-06-30
done

# The Materialize benchmark's rows: ten float64 features, 500k entities over two days.
rows="$ROOT/Benchmarks/.data/entities-500000/materialize-1000000.csv"
[ -f "$rows" ] || { echo "$rows is missing: run bash scripts/benchmark.sh --target Materialize first" >&2; exit 2; }
mkdir -p "$WORK/ten-floats" && cd "$WORK/ten-floats"
{
    echo "entities: [{name: driver, join_key: driver_id}]"
    echo "sources: [{name: driver_stats, csv: $rows}]"
    echo "views: [{name: driver_stats, entities: [driver], source: driver_stats, features: ["
    for feature in 0 1 2 3 4 5 6 7 8 9; do echo "  {name: f$feature, type: float64},"; done
    echo "]}]"
} > features.yaml
count "Materialize benchmark rows, ten float64" 2024-05-01 2024-05-03
