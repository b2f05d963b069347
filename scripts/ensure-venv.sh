#!/usr/bin/env bash
# ensure-venv.sh VENV CHECK PACKAGE...: makes the Python virtualenv VENV at the top of the
# repository, installing Debian's python3-venv first when it is missing, and installs the
# PACKAGEs from PyPI into it when the Python statement CHECK fails there. Prints the
# virtualenv's python. PYTHON=python3.X picks the interpreter the virtualenv is made from.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$1" check="$2"
shift 2
bash scripts/ensure-python3-venv.sh
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "$check" >/dev/null 2>&1; then
    echo "installing $* into $venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
fi
echo "$PWD/$venv/bin/python"
