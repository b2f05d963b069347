#!/usr/bin/env bash
# Measures the peak memory of materializing a 5M-row CSV (~100-byte rows: an int64 id, an
# ISO-8601 time, ten float64 features; 2.5M entities x 2 days) with the release `larder`.
# Samples /proc/PID/status every 0.1 s and prints the peak resident set (VmHWM, which the
# kernel tracks itself), split into heap (RssAnon) and mapped file pages (RssFile).
# Usage: bash scripts/measure-materialize-memory.sh [ROWS]   (default 5000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-5000000}"

bash scripts/ensure-system-packages.sh
swift build -c release --product larder >/dev/null
larder="$(swift build -c release --show-bin-path)/larder"
work="$(mktemp -d /tmp/larder-memory-XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$work/rows.csv" "$rows" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
entities = rows // 2
with open(path, "w") as out:
    out.write("driver_id,event_timestamp," + ",".join(f"f{i}" for i in range(10)) + "\n")
    for day, stamp in enumerate(["2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"]):
        for i in range(entities):
            out.write(f"{i},{stamp}," + ",".join(str(((i * 31 + f * 7 + day) % 10000) / 100) for f in range(10)) + "\n")
PY
{
    echo "entities: [{name: driver, join_key: driver_id}]"
    echo "sources: [{name: rows, csv: rows.csv}]"
    echo "views:"
    echo "  - name: driver_stats"
    echo "    entities: [driver]"
    echo "    source: rows"
    echo "    features: [$(for i in 0 1 2 3 4 5 6 7 8 9; do printf '{name: f%s, type: float64}, ' "$i"; done | sed 's/, $//')]"
} > "$work/features.yaml"
cd "$work"
"$larder" apply >/dev/null
"$larder" materialize 2024-05-01 2024-05-03 > materialize.log 2>&1 &
pid=$!
peak_hwm=0; peak_anon=0; peak_file=0
while kill -0 "$pid" 2>/dev/null; do
    if status="$(cat /proc/$pid/status 2>/dev/null)"; then
        hwm=$(awk '/VmHWM/ {print $2}' <<<"$status"); anon=$(awk '/RssAnon/ {print $2}' <<<"$status"); file=$(awk '/RssFile/ {print $2}' <<<"$status")
        [ -n "$hwm" ] && peak_hwm=$hwm
        [ -n "$anon" ] && [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
        [ -n "$file" ] && [ "$file" -gt "$peak_file" ] && peak_file=$file
    fi
    sleep 0.1
done
wait "$pid"
grep '^Snapshot' materialize.log
echo "peak resident set (VmHWM): $((peak_hwm / 1024)) MB; peak heap (RssAnon): $((peak_anon / 1024)) MB; peak mapped file pages (RssFile): $((peak_file / 1024)) MB"
