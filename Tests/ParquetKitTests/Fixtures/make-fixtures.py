#!/usr/bin/env python3
"""Writes the Parquet fixtures of ParquetKitTests with pyarrow (the files are committed; run
this again only to change them): python3 make-fixtures.py, with pyarrow installed."""

import datetime
import os

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
utc = datetime.timezone.utc

# Every type a feature export uses, optional columns with nulls, a list column, two row groups.
table = pa.table({
    "driver_id": pa.array([1001, 1002, 1003, 1004], pa.int64()),
    "event_timestamp": pa.array([datetime.datetime(2024, 5, 1, h, tzinfo=utc) for h in range(4)], pa.timestamp("us", tz="UTC")),
    "naive_ms": pa.array([datetime.datetime(2024, 5, 1, h) for h in range(4)], pa.timestamp("ms")),
    "conv_rate": pa.array([0.5, None, 0.25, 1.0], pa.float64()),
    "acc_rate": pa.array([0.5, 0.75, None, 1.0], pa.float32()),
    "trips": pa.array([10, 20, 30, None], pa.int32()),
    "small": pa.array([1, 2, 3, 4], pa.int8()),
    "city": pa.array(["a", None, "c", "d"], pa.string()),
    "active": pa.array([True, False, None, True], pa.bool_()),
    "day": pa.array([datetime.date(2024, 5, d) for d in range(1, 5)], pa.date32()),
    "price": pa.array([1, 2, 3, 4], pa.decimal128(9, 2)),
    "embedding": pa.array([[1.0, 2.0], [], None, [3.0]], pa.list_(pa.float32())),
})
pq.write_table(table, os.path.join(HERE, "types-snappy.parquet"), row_group_size=2, compression="snappy")
pq.write_table(table.select(["driver_id", "city"]), os.path.join(HERE, "two-columns-zstd.parquet"), compression="zstd")

# The same table with GZIP and v2 data pages (levels stored uncompressed before the values).
pq.write_table(table, os.path.join(HERE, "types-gzip-v2.parquet"), row_group_size=2, compression="gzip", data_page_version="2.0")

# Uncompressed, PLAIN, a required column: its data pages are the values' bytes and nothing else.
# Small pages, so that a column chunk has several.
ids = pa.array(range(3000), pa.int64())
plain = pa.Table.from_arrays([ids, pa.array([f"city-{i % 7}" for i in range(3000)], pa.string())],
                             schema=pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("city", pa.string())]))
pq.write_table(plain, os.path.join(HERE, "plain-pages.parquet"), compression="none", use_dictionary=False,
               data_page_size=4096, row_group_size=2000)

# The DELTA encodings and BYTE_STREAM_SPLIT, column by column (v2 pages, as writers that use
# them do; ZSTD). Values with nulls, negative deltas and shared prefixes.
n = 1000
encoded = pa.table({
    "delta_int64": pa.array([None if i % 10 == 3 else (i * 7919) % 1000 - 500 for i in range(n)], pa.int64()),
    "delta_int32": pa.array([i * 3 - 1500 for i in range(n)], pa.int32()),
    "delta_length": pa.array([None if i % 9 == 0 else "x" * (i % 13) for i in range(n)], pa.string()),
    "delta_bytes": pa.array([f"driver-{i // 10:05d}-{i % 10}" for i in range(n)], pa.string()),
    "split_double": pa.array([None if i % 7 == 0 else i / 8 for i in range(n)], pa.float64()),
    "split_float": pa.array([i / 4 for i in range(n)], pa.float32()),
})
pq.write_table(encoded, os.path.join(HERE, "encodings.parquet"), compression="zstd", use_dictionary=False,
               data_page_version="2.0", data_page_size=2048,
               column_encoding={"delta_int64": "DELTA_BINARY_PACKED", "delta_int32": "DELTA_BINARY_PACKED",
                                "delta_length": "DELTA_LENGTH_BYTE_ARRAY", "delta_bytes": "DELTA_BYTE_ARRAY",
                                "split_double": "BYTE_STREAM_SPLIT", "split_float": "BYTE_STREAM_SPLIT"})
