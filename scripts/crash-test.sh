#!/usr/bin/env bash
# The crash test: a multi-batch materialization is killed with SIGKILL exactly before and after
# each of its commits (an LD_PRELOAD shim around mdb_txn_commit), and at random moments. After
# every kill: `larder verify` finds the store sound, readers see the store as it was before the
# run or as the whole run left it (never part of it), and a recovery run leaves exactly what an
# uninterrupted run leaves. Usage: bash scripts/crash-test.sh [RANDOM_KILLS] [--quick]
# (--quick: the first and last three commit boundaries and RANDOM_KILLS random kills, for CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh

random_kills="${1:-48}"
quick=false
[ "${2:-}" = "--quick" ] && quick=true

swift build --product larder >/dev/null
swift build --product larder-test-child >/dev/null
bin="$(swift build --show-bin-path)"
larder="$bin/larder"
child="$bin/larder-test-child"

work="$(mktemp -d "${TMPDIR:-/tmp}/larder-crash-XXXXXX")"
trap 'rm -rf "$work"' EXIT
compiler="$(command -v clang || command -v cc)"
"$compiler" -shared -fPIC -O2 -o "$work/kill-at-commit.so" scripts/crash-test/kill-at-commit.c $(pkg-config --cflags --libs lmdb) -ldl

# The repository: 300 drivers over 3 days (21,600 rows) and 1,500 customer rows; a first run
# loads day one (snapshot 1), the run under test loads the rest in batches of 1,000 rows.
"$larder" init "$work/repo" --drivers 300 --customers 500 --days 3 --entity-rows 10 >/dev/null
cd "$work/repo"
"$larder" apply >/dev/null
"$larder" materialize 2024-05-01 2024-05-02 >/dev/null
cp -r .larder "$work/base"
"$child" dump "$work/base" >"$work/base.dump"

# The uninterrupted run: what every recovery must reproduce, and how many commits it makes.
cp -r "$work/base" "$work/reference"
started=$(date +%s%N)
LD_PRELOAD="$work/kill-at-commit.so" LARDER_COMMIT_COUNT="$work/commits" "$child" materialize "$work/reference" 1000 >/dev/null
run_ms=$(( ($(date +%s%N) - started) / 1000000 ))
commits="$(cat "$work/commits")"
"$child" dump "$work/reference" >"$work/reference.dump"

passed=0
failed=0
fail() {
    echo "FAIL ($1): $2" >&2
    failed=$((failed + 1))
}

# One killed run: start from the base store, kill, check, recover, compare.
trial() {
    local name="$1"
    shift
    rm -rf "$work/store"
    cp -r "$work/base" "$work/store"
    # In the background and waited for, so the shell does not report the kill.
    "$@" >/dev/null 2>&1 &
    wait $! 2>/dev/null || true
    if ! "$larder" verify --store "$work/store" >"$work/verify" 2>&1; then
        fail "$name" "verify after the kill: $(head -3 "$work/verify")"
        return
    fi
    "$child" dump "$work/store" >"$work/after-kill.dump"
    if ! cmp -s "$work/after-kill.dump" "$work/base.dump" && ! cmp -s "$work/after-kill.dump" "$work/reference.dump"; then
        fail "$name" "readers see part of the killed run"
        return
    fi
    if ! "$child" materialize "$work/store" 1000 >"$work/recovery" 2>&1; then
        fail "$name" "the recovery run failed: $(cat "$work/recovery")"
        return
    fi
    "$child" dump "$work/store" >"$work/recovered.dump"
    if ! cmp -s "$work/recovered.dump" "$work/reference.dump"; then
        fail "$name" "after recovery the store differs from an uninterrupted run"
        return
    fi
    if ! "$larder" verify --store "$work/store" >"$work/verify" 2>&1; then
        fail "$name" "verify after recovery: $(head -3 "$work/verify")"
        return
    fi
    passed=$((passed + 1))
}

boundaries=$(seq 1 "$commits")
$quick && boundaries="$(seq 1 3) $(seq $((commits - 2)) "$commits")"
for commit in $boundaries; do
    for moment in before after; do
        trial "commit $commit $moment" env LD_PRELOAD="$work/kill-at-commit.so" LARDER_KILL_AT_COMMIT="$commit:$moment" \
            "$child" materialize "$work/store" 1000
    done
done

random_kill() {
    "$child" materialize "$work/store" 1000 &
    local pid=$!
    sleep "$1"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
# Random moments within the length of a run (its process start included).
for ((index = 0; index < random_kills; index++)); do
    delay_ms=$((RANDOM % (run_ms + 1)))
    delay="$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
    trial "random kill after ${delay}s" random_kill "$delay"
done

echo "crash test: a run makes $commits commits in ${run_ms} ms; killed before and after $(echo $boundaries | wc -w) of them and at $random_kills random moments"
echo "crash-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
