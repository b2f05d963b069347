#!/usr/bin/env bash
# Makes .venv-readers, a Python virtualenv with pyarrow and pandas from PyPI: the readers the
# tests check Larder's Parquet and Arrow outputs with. Prints the virtualenv's python.
exec bash "$(dirname "$0")/ensure-venv.sh" .venv-readers "import pyarrow, pandas" pyarrow pandas
