"""The ParquetIO benchmark's data: 1M rows — an int64 id (100k drivers, ten rows each), a UTC
timestamp, ten float64 features — written by pyarrow with its defaults (SNAPPY, dictionary
encoding, one row group) and the same rows as CSV.

Usage: python make_data.py DIRECTORY
"""
import sys
import numpy as np
import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.parquet as pq

out, n = sys.argv[1], 1_000_000
rng = np.random.default_rng(1)
columns = {
    "driver_id": pa.array(np.arange(n) // 10, pa.int64()),
    "event_timestamp": pa.array((1714521600 + (np.arange(n) % 10) * 86400) * 1_000_000, pa.timestamp("us", tz="UTC")),
}
for i in range(10):
    columns[f"f{i}"] = pa.array(np.round(rng.random(n), 6), pa.float64())
table = pa.table(columns)
pq.write_table(table, f"{out}/stats.parquet")
pc.write_csv(table, f"{out}/stats.csv")
