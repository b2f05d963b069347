#!/usr/bin/env python3
"""Materialization, Larder and Feast side by side, on a feature export shaped like a real one.

Generates the export the MaterializeOrders benchmark uses (drivers with ten rows each, three
days apart over 30 days; columns driver_id, event_timestamp, created on a third of the rows,
conv_rate, acc_rate, trips, city), in the order asked for — by default ordered by event time,
every driver interleaved, as an hourly pipeline appends it. Feast reads it as Parquet, Larder
as CSV (epoch seconds). Then, alternating, each tool materializes it into a fresh store:

  Feast   `FeatureStore.materialize(start, end)`: local provider, SQLite online store (the
          default of `feast init`); it writes the newest row of each driver to the online store.
  Larder  `larder materialize START END`: every row into history, the newest of each driver
          into the online table, one snapshot.

Both stores are then checked against the newest row of each driver worked out here in Python,
on a sample of drivers (Feast through `get_online_features`, Larder through `larder get`).

Exit status: 0 when both agree with the oracle on every sampled driver, 1 otherwise, 2 when a
tool failed.

Usage: materialize.py --larder PATH/TO/larder [--work DIR] [--rows N] [--order by-time|shuffled|by-entity] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from feast_repo import fresh_feast_repo

HERE = os.path.dirname(os.path.abspath(__file__))
START = 1_714_521_600  # 2024-05-01, as in Benchmarks/Sources/BenchmarkSupport/ExportData.swift
ROWS_PER_DRIVER = 10
VIEW = "driver_activity"
FEATURES = ["conv_rate", "acc_rate", "trips", "city"]
SAMPLE = 2_000


def event_time(driver: int, row: int) -> int:
    return START + row * 3 * 86_400 + (driver % 24) * 3_600 + (driver % 60) * 60


def generate(rows: int, order: str):
    """The export's columns, in `order`; the same values as ExportData.csv in Swift."""
    drivers = rows // ROWS_PER_DRIVER
    items = list(range(drivers * ROWS_PER_DRIVER))
    if order == "by-time":
        items.sort(key=lambda i: (event_time(i // ROWS_PER_DRIVER, i % ROWS_PER_DRIVER), i))
    elif order == "shuffled":
        random.Random(2024).shuffle(items)
    columns = {name: [] for name in ["driver_id", "event_timestamp", "created", "conv_rate", "acc_rate", "trips", "city"]}
    for i in items:
        driver, row = divmod(i, ROWS_PER_DRIVER)
        t = event_time(driver, row)
        columns["driver_id"].append(driver)
        columns["event_timestamp"].append(t)
        columns["created"].append(t + 600 if row % 3 == 0 else None)
        columns["conv_rate"].append(((driver * 31 + row * 7) % 1_000) / 1_000)
        columns["acc_rate"].append(((driver * 17 + row) % 100) / 100)
        columns["trips"].append((driver + row) % 50)
        columns["city"].append(f"city-{driver % 50}")
    return drivers, columns


def newest(driver: int):
    """The row a latest lookup must return: the last event (rows of a driver never tie)."""
    row = ROWS_PER_DRIVER - 1
    return {
        "event": event_time(driver, row),
        "conv_rate": ((driver * 31 + row * 7) % 1_000) / 1_000,
        "acc_rate": ((driver * 17 + row) % 100) / 100,
        "trips": (driver + row) % 50,
        "city": f"city-{driver % 50}",
    }


def write_files(work: str, columns):
    import pyarrow as pa
    import pyarrow.parquet as pq

    os.makedirs(work, exist_ok=True)
    csv_path = os.path.join(work, "export.csv")
    with open(csv_path, "w") as f:
        f.write("driver_id,event_timestamp,created,conv_rate,acc_rate,trips,city\n")
        for values in zip(*columns.values()):
            f.write(",".join("" if v is None else str(v) for v in values) + "\n")
    table = pa.table({
        "driver_id": pa.array(columns["driver_id"], pa.int64()),
        "event_timestamp": pa.array([t * 1_000_000 for t in columns["event_timestamp"]], pa.timestamp("us", tz="UTC")),
        "created": pa.array([None if t is None else t * 1_000_000 for t in columns["created"]], pa.timestamp("us", tz="UTC")),
        "conv_rate": pa.array(columns["conv_rate"], pa.float64()),
        "acc_rate": pa.array(columns["acc_rate"], pa.float32()),
        "trips": pa.array(columns["trips"], pa.int64()),
        "city": pa.array(columns["city"], pa.string()),
    })
    parquet_path = os.path.join(work, "export.parquet")
    pq.write_table(table, parquet_path)
    with open(os.path.join(work, "features.yaml"), "w") as f:
        f.write(f"""entities:
  - name: driver
    join_key: driver_id
sources:
  - name: {VIEW}
    csv: {csv_path}
    timestamp_format: epoch_seconds
views:
  - name: {VIEW}
    entities: [driver]
    source: {VIEW}
    created_timestamp_field: created
    features:
      - {{name: conv_rate, type: float64}}
      - {{name: acc_rate, type: float32}}
      - {{name: trips, type: int64}}
      - {{name: city, type: string}}
""")
    return parquet_path


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_larder(larder: str, work: str, sample):
    store = os.path.join(work, "larder.store")
    shutil.rmtree(store, ignore_errors=True)
    common = ["--store", store, "--file", os.path.join(work, "features.yaml")]

    def run(command):
        done = subprocess.run([larder, *command, *common], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            print(f"larder {command[0]} failed (exit {done.returncode})\n{done.stdout}{done.stderr}", file=sys.stderr)
            sys.exit(2)
        return done.stdout

    run(["apply"])
    started = time.perf_counter()
    run(["materialize", iso(START - 86_400), iso(START + 40 * 86_400)])
    seconds = time.perf_counter() - started
    found = {}
    for chunk in range(0, len(sample), 500):
        drivers = sample[chunk:chunk + 500]
        out = json.loads(run(["get", "--features", VIEW, "--entity", "driver_id=" + ",".join(map(str, drivers)),
                              "--now", iso(START + 40 * 86_400), "--json"]))
        for row in out["rows"]:
            values = row["values"]
            if any(values[name]["status"] != "present" for name in FEATURES):
                continue
            event = int(datetime.strptime(values["trips"]["event_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())
            found[row["entity"]["driver_id"]] = {"event": event, **{name: values[name]["value"] for name in FEATURES}}
    return seconds, found


def run_feast(work: str, parquet_path: str, sample):
    from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
    from feast.types import Float32, Float64, Int64, String

    repo = fresh_feast_repo(work, "larder_materialize")
    store = FeatureStore(repo_path=repo)
    driver = Entity(name="driver", join_keys=["driver_id"], value_type=ValueType.INT64)
    source = FileSource(name=VIEW, path=parquet_path, timestamp_field="event_timestamp", created_timestamp_column="created")
    view = FeatureView(
        name=VIEW, entities=[driver], ttl=timedelta(days=3650), source=source, online=True,
        schema=[Field(name="driver_id", dtype=Int64), Field(name="conv_rate", dtype=Float64),
                Field(name="acc_rate", dtype=Float32), Field(name="trips", dtype=Int64), Field(name="city", dtype=String)],
    )
    store.apply([driver, source, view])
    started = time.perf_counter()
    store.materialize(datetime.fromtimestamp(START - 86_400, timezone.utc), datetime.fromtimestamp(START + 40 * 86_400, timezone.utc))
    seconds = time.perf_counter() - started
    response = store.get_online_features(features=[f"{VIEW}:{name}" for name in FEATURES],
                                         entity_rows=[{"driver_id": d} for d in sample]).to_dict()
    found = {}
    for index, d in enumerate(response["driver_id"]):
        if any(response[name][index] is None for name in FEATURES):
            continue
        found[d] = {name: response[name][index] for name in FEATURES}
    return seconds, found


def agree(found, sample, with_event: bool) -> list[str]:
    problems = []
    for d in sample:
        want = newest(d)
        got = found.get(d)
        if got is None:
            problems.append(f"driver {d}: no values")
            continue
        for name in ["trips", "city"] + (["event"] if with_event else []):
            if got[name] != want[name]:
                problems.append(f"driver {d}: {name} {got[name]!r}, expected {want[name]!r}")
        for name in ["conv_rate", "acc_rate"]:
            if abs(got[name] - want[name]) > 1e-6:
                problems.append(f"driver {d}: {name} {got[name]!r}, expected {want[name]!r}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--larder", required=True, help="the larder executable")
    parser.add_argument("--work", default=os.path.join(HERE, "work-materialize"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--order", choices=["by-time", "shuffled", "by-entity"], default="by-time")
    parser.add_argument("--runs", type=int, default=2, help="runs of each tool, alternating")
    args = parser.parse_args()
    work = os.path.abspath(args.work)

    drivers, columns = generate(args.rows, args.order)
    parquet_path = write_files(work, columns)
    print(f"export: {len(columns['driver_id']):,} rows, {drivers:,} drivers, {args.order}, in {work}")
    sample = sorted(random.Random(7).sample(range(drivers), min(SAMPLE, drivers)))

    import feast

    larder_times, feast_times, problems = [], [], []
    for run in range(args.runs):
        print(f"run {run + 1}: Larder ...", flush=True)
        seconds, found = run_larder(os.path.abspath(args.larder), work, sample)
        larder_times.append(seconds)
        problems += [f"[larder] {p}" for p in agree(found, sample, with_event=True)]
        print(f"run {run + 1}: Feast ...", flush=True)
        seconds, found = run_feast(work, parquet_path, sample)
        feast_times.append(seconds)
        problems += [f"[feast] {p}" for p in agree(found, sample, with_event=False)]

    rows = len(columns["driver_id"])
    def spread(times):
        return f"{min(times):.2f}-{max(times):.2f} s ({rows / max(times):,.0f}-{rows / min(times):,.0f} rows/s)"
    print()
    print(f"| tool (Feast {feast.__version__}) | materialize, {args.runs} runs |")
    print("|---|---|")
    print(f"| Larder `larder materialize` (whole command) | {spread(larder_times)} |")
    print(f"| Feast `FeatureStore.materialize` | {spread(feast_times)} |")
    print(f"| Feast / Larder | {min(feast_times) / max(larder_times):.1f}-{max(feast_times) / min(larder_times):.1f}x |")
    print()
    if problems:
        print(f"{len(problems)} disagreement(s) with the oracle; the first 20:")
        for p in problems[:20]:
            print("  " + p)
        return 1
    print(f"both agree with the oracle on all {len(sample):,} sampled drivers, in every run.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
