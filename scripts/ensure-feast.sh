#!/usr/bin/env bash
# Makes .venv-feast, a Python virtualenv with Feast's SDK (feast 0.67.0 from PyPI, about half a
# minute to install): the tests use it as a client of `larder serve`, and
# Benchmarks/feast-comparison and Benchmarks/server run Feast itself from it. Prints the
# virtualenv's python.
version=0.67.0
exec bash "$(dirname "$0")/ensure-venv.sh" .venv-feast "import feast, sys; sys.exit(feast.__version__ != '$version')" "feast==$version"
