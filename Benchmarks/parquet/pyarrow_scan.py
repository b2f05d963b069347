"""Times pyarrow reading the ParquetIO benchmark's file — the twelve columns a view needs,
single-threaded — inside this process, so that starting Python is not counted. Prints the
median of RUNS reads in microseconds.

Usage: python pyarrow_scan.py FILE [RUNS]
"""
import statistics
import sys
import time

import pyarrow.parquet as pq

path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
columns = ["driver_id", "event_timestamp"] + [f"f{i}" for i in range(10)]
pq.read_table(path, columns=columns, use_threads=False)  # warm the page cache and the imports
times = []
for _ in range(runs):
    start = time.perf_counter()
    table = pq.read_table(path, columns=columns, use_threads=False)
    times.append(time.perf_counter() - start)
    assert table.num_rows == 1_000_000
print(int(statistics.median(times) * 1e6))
