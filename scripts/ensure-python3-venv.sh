#!/usr/bin/env bash
# Installs Debian's python3 and python3-venv when `python3 -m venv` cannot run: the virtualenvs
# the tests and benchmarks make (scripts/ensure-venv.sh) need it.
set -euo pipefail
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    echo "missing system packages: python3 python3-venv; installing them with apt-get" >&2
    run_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    export DEBIAN_FRONTEND=noninteractive
    run_as_root apt-get update -qq
    run_as_root apt-get install -y -qq python3 python3-venv >/dev/null
fi
