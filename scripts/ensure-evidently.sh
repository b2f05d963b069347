#!/usr/bin/env bash
# Makes .venv-evidently, a Python virtualenv with Evidently 0.7.23 from PyPI (about a minute to
# install): Benchmarks/evidently-comparison scores the same data with it, and a test compares
# its scores with `larder drift`'s. pandas stays below 3, which Evidently 0.7 does not import
# with. Prints the virtualenv's python.
version=0.7.23
exec bash "$(dirname "$0")/ensure-venv.sh" .venv-evidently "import evidently, sys; sys.exit(evidently.__version__ != '$version')" "evidently==$version" "pandas<3"
