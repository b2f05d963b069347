#!/usr/bin/env bash
# Renders a `larder report` page the way a person sees it: headless Chromium (Debian's chromium,
# installed when missing) draws it to a PNG, and the page as Chromium parsed it (its DOM) is
# printed on standard output for scripts and tests to check.
#
#   bash scripts/render-report.sh drift.html drift.png > drift.dom.html
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 PAGE.html OUT.png" >&2; exit 1; }
page="$(realpath "$1")"
png="$(realpath -m "$2")"
[ -f "$page" ] || { echo "$1: no such file" >&2; exit 2; }
command -v chromium >/dev/null 2>&1 || bash "$(dirname "$0")/ensure-system-packages.sh"

# The window fits the whole page: about 480 pixels per feature section, plus the summary.
sections=$(grep -o '<section class="feature' "$page" | wc -l)
height=$((400 + 480 * sections))
profile="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$profile" "$log"' EXIT
# --no-sandbox: the sandbox cannot start as root (CI); the page has no script and loads nothing.
chromium=(timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
          --user-data-dir="$profile" --window-size="1000,$height")
if ! "${chromium[@]}" --screenshot="$png" "file://$page" >"$log" 2>&1 || [ ! -s "$png" ]; then
    cat "$log" >&2
    echo "chromium could not render $1" >&2
    exit 2
fi
if ! "${chromium[@]}" --dump-dom "file://$page" 2>"$log"; then
    cat "$log" >&2
    exit 2
fi
