#!/usr/bin/env bash
# Runs every fuzz target of Fuzz/ (libFuzzer, with AddressSanitizer) for SECONDS each (default
# 60), one after another, and prints executions, corpus size and findings per target. Crashes
# are saved under .build-fuzz/findings/TARGET/ and make the script exit 1; each one found
# becomes a regression test. Usage: bash scripts/fuzz.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzCSV FuzzJSONLines FuzzDefinitions FuzzRecords FuzzTime FuzzPages FuzzParquetFooter FuzzParquetPages FuzzParquetSource FuzzServerRequests FuzzStatistics)

build=(swift build -c debug --package-path Fuzz --build-path .build-fuzz
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
mkdir -p .build-fuzz
for target in "${targets[@]}"; do
    if ! "${build[@]}" --product "$target" >.build-fuzz/build.log 2>&1; then
        cat .build-fuzz/build.log >&2
        exit 1
    fi
done

status=0
printf '%-16s %12s %10s %8s %s\n' target executions corpus crashes seconds
for target in "${targets[@]}"; do
    corpus=".build-fuzz/corpus/$target"
    findings=".build-fuzz/findings/$target"
    mkdir -p "$corpus" "$findings"
    log=".build-fuzz/$target.log"
    # Inputs up to 4 kB, but a data file needs room for a few pages.
    max_len=4096
    [ "$target" = FuzzPages ] && max_len=160000
    [ "$target" = FuzzParquetPages ] && max_len=16384
    [ "$target" = FuzzParquetSource ] && max_len=16384
    # Seeds are read, never written: new inputs go to the working corpus.
    set +e
    ".build-fuzz/debug/$target" "$corpus" "Fuzz/Seeds/$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
    code=$?
    set -e
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    files=$(find "$corpus" -type f | wc -l)
    crashes=$(find "$findings" -type f | wc -l)
    printf '%-16s %12s %10s %8s %s\n' "$target" "$executions" "$files" "$crashes" "$seconds"
    if [ "$code" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        status=1
        echo "  $target failed (exit $code); see $log and $findings/" >&2
    fi
done
exit $status
