#!/usr/bin/env python3
"""Writes the Parquet fixtures of ParquetTwinTests with the real tools — pyarrow (dictionary on
and off, data pages v1 and v2, every codec, ms/us/ns timestamps), pandas, DuckDB (PARQUET_VERSION
V2), Polars (its zstd default) and an INT96 file as Spark writes it — all holding the same rows,
and those rows once more as CSV, their twin. The files are small and committed; run this (through
scripts/parquet-fixtures.sh, which makes the virtualenv) only to change them."""

import datetime
import os
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "LarderTests", "Fixtures", "parquet"))
os.makedirs(OUT, exist_ok=True)
utc = datetime.timezone.utc
start = datetime.datetime(2024, 5, 1, tzinfo=utc)

# 12 drivers x 5 events, every column with nulls but the key and the event time; a created time
# on some rows; values exactly representable in float32 where the column is float32.
rows = []
for driver in range(1001, 1013):
    for k in range(5):
        i = (driver - 1001) * 5 + k
        event = start + datetime.timedelta(hours=6 * k + driver % 5, minutes=driver % 7)
        rows.append({
            "driver_id": driver,
            "event_timestamp": event,
            "created": None if i % 3 else event + datetime.timedelta(minutes=10),
            "conv_rate": None if i % 11 == 4 else round(((driver * 31 + k * 7) % 1000) / 1000, 3),
            "acc_rate": None if i % 13 == 5 else ((driver + k) % 16) / 8,
            "trips": None if i % 7 == 2 else (driver * 3 + k) % 50,
            "city": None if i % 9 == 1 else f"city-{(driver + k) % 6}",
            "active": None if i % 10 == 7 else (driver + k) % 2 == 0,
        })

schema = pa.schema([
    ("driver_id", pa.int64()), ("event_timestamp", pa.timestamp("us", tz="UTC")), ("created", pa.timestamp("us", tz="UTC")),
    ("conv_rate", pa.float64()), ("acc_rate", pa.float32()), ("trips", pa.int64()), ("city", pa.string()), ("active", pa.bool_()),
])
table = pa.Table.from_pylist(rows, schema=schema)


def with_unit(unit):
    return table.cast(pa.schema([pa.field(f.name, pa.timestamp(unit, tz="UTC")) if pa.types.is_timestamp(f.type) else f for f in schema]))


def iso(value):
    return "" if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


with open(os.path.join(OUT, "driver_stats.csv"), "w") as f:
    f.write(",".join(schema.names) + "\n")
    for r in rows:
        cells = [str(r["driver_id"]), iso(r["event_timestamp"]), iso(r["created"]),
                 "" if r["conv_rate"] is None else repr(r["conv_rate"]),
                 "" if r["acc_rate"] is None else repr(r["acc_rate"]),
                 "" if r["trips"] is None else str(r["trips"]), r["city"] or "",
                 "" if r["active"] is None else ("true" if r["active"] else "false")]
        f.write(",".join(cells) + "\n")

path = lambda name: os.path.join(OUT, name + ".parquet")
pq.write_table(table, path("pyarrow-dictionary-v1-snappy"))
pq.write_table(table, path("pyarrow-plain-v2-zstd"), use_dictionary=False, data_page_version="2.0", compression="zstd")
pq.write_table(with_unit("ms"), path("pyarrow-millis-gzip"), compression="gzip", row_group_size=16)
pq.write_table(with_unit("ns"), path("pyarrow-nanos-uncompressed"), compression="none", data_page_version="2.0")
pq.write_table(with_unit("ns"), path("spark-int96"), use_deprecated_int96_timestamps=True, compression="snappy")
table.to_pandas().to_parquet(path("pandas"))
pl.from_arrow(table).write_parquet(path("polars"))
connection = duckdb.connect()
connection.register("stats", table)
connection.execute(f"COPY (SELECT * FROM stats) TO '{path('duckdb-v2')}' (FORMAT PARQUET, PARQUET_VERSION V2)")
print(f"wrote {len(os.listdir(OUT))} files to {OUT}")
