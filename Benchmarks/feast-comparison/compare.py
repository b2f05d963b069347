#!/usr/bin/env python3
"""Larder and Feast's file offline store, side by side, on one generated dataset.

Generates (fixed seed) one feature view `driver_stats` and an entity dataframe full of edge
cases, runs Feast's `get_historical_features` and Larder's `larder historical` on them,
checks both against an independent point-in-time oracle written here in plain Python, and
classifies every row where Feast and Larder differ:

  (a) Larder has a row Feast dropped        (Feast drops rows whose entity has data, but none
                                             inside [t - ttl, t]; we check that is the case)
  (b) Feast collapsed a duplicate input row  (Feast de-duplicates on join key + event time)
  (c) created-time tie broken the other way  (Feast's sorts are not stable; we check the value
      by Feast                               Feast returned is the other row with the same event
                                             time as the expected one)
  (d) anything else: a BUG, printed in detail (a Larder row that differs from the oracle is
                                             always (d), whatever Feast says)

Exit status: 0 when there is no (d), 1 otherwise, 2 when a tool failed.

Usage: compare.py --larder PATH/TO/larder [--work DIR] [--seed N] [--entity-rows N]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from feast_repo import fresh_feast_repo

HERE = os.path.dirname(os.path.abspath(__file__))

VIEW = "driver_stats"
FEATURES = ["conv_rate", "trips"]
TTL_SECONDS = 2 * 3600
BASE = datetime(2024, 5, 1, tzinfo=timezone.utc)
BASE_EPOCH = int(BASE.timestamp())
DAYS = 4
SPAN = DAYS * 86400


def iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ----------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class FeatureRow:
    driver_id: int
    event: int  # epoch seconds
    created: int  # epoch seconds
    conv_rate: float
    trips: int


@dataclass(frozen=True)
class EntityRow:
    row_id: int
    driver_id: int
    t: int  # epoch seconds
    label: int
    case: str  # what the generator meant to exercise (the oracle decides the answer)


def generate(seed: int, entity_rows: int):
    rng = random.Random(seed)
    drivers = list(range(1001, 1121))  # 120 drivers with data
    never_seen = list(range(9001, 9101))  # 100 drivers with no data at all

    rows: list[FeatureRow] = []
    ties: list[tuple[int, int]] = []  # (driver, event) with two rows
    for driver in drivers:
        n = rng.randint(20, 40)  # about one row every 3 hours: windows of 2h often hold one
        # Events in the first 3.5 days, so that entity rows after the last event exist too.
        events = sorted(rng.sample(range(BASE_EPOCH + 3600, BASE_EPOCH + SPAN - 12 * 3600), n))
        for e in events:
            rows.append(FeatureRow(driver, e, e + rng.randint(1, 600), round(rng.random(), 6), rng.randint(0, 500)))
        # Event-time ties broken by created time: a second row at the same event time, created
        # later or earlier than the first (never at the same created time).
        if rng.random() < 0.5:
            for e in rng.sample(events, rng.randint(1, 3)):
                first = next(r for r in rows if r.driver_id == driver and r.event == e)
                created = first.created + rng.choice([-1, 1]) * rng.randint(1, 300)
                rows.append(FeatureRow(driver, e, created, round(rng.random(), 6), rng.randint(0, 500)))
                ties.append((driver, e))
    # The file is not sorted: materialization must not depend on order.
    rng.shuffle(rows)

    by_driver: dict[int, list[FeatureRow]] = defaultdict(list)
    for r in rows:
        by_driver[r.driver_id].append(r)
    for lst in by_driver.values():
        lst.sort(key=lambda r: (r.event, r.created))

    oracle = Oracle(by_driver)
    entities: list[tuple[int, int, str]] = []  # (driver, t, case)

    def add(driver: int, t: int, case: str):
        entities.append((driver, t, case))

    # t exactly equal to a feature event time
    for r in rng.sample(rows, 2000):
        add(r.driver_id, r.event, "t == event time")
    # exactly at the ttl boundary: e == t - ttl, and one second past it
    for r in rng.sample(rows, 1000):
        add(r.driver_id, r.event + TTL_SECONDS, "e == t - ttl (boundary)")
    for r in rng.sample(rows, 500):
        add(r.driver_id, r.event + TTL_SECONDS + 1, "e == t - ttl - 1s (just outside)")
    # event-time ties broken by created time
    for _ in range(600):
        driver, e = rng.choice(ties)
        add(driver, e + rng.choice([0, 0, rng.randint(1, TTL_SECONDS)]), "created-time tie")
    # before any data of the entity
    for _ in range(500):
        driver = rng.choice(drivers)
        first = by_driver[driver][0].event
        add(driver, first - rng.choice([1, rng.randint(1, 3 * 86400)]), "before any data")
    # entity has data, but none inside the ttl window
    added = 0
    while added < 1500:
        driver = rng.choice(drivers)
        t = BASE_EPOCH + rng.randint(0, SPAN)
        if oracle.lookup(driver, t) is None and by_driver[driver][0].event <= t:
            add(driver, t, "data, none in ttl window")
            added += 1
    # entities never seen
    for _ in range(500):
        add(rng.choice(never_seen), BASE_EPOCH + rng.randint(0, SPAN), "entity never seen")
    # anything, uniformly over the whole range and a little beyond
    duplicates = max(0, entity_rows // 20)
    while len(entities) < entity_rows - duplicates:
        add(rng.choice(drivers), BASE_EPOCH - 3 * 3600 + rng.randint(0, SPAN + 6 * 3600), "random")

    labelled = [(d, t, rng.randint(0, 1), case) for d, t, case in entities]
    # duplicate input rows: the same driver, time and label again
    for d, t, label, case in rng.sample(labelled, duplicates):
        labelled.append((d, t, label, "duplicate input row"))
    # out of order: a shuffled file
    rng.shuffle(labelled)
    entity_list = [EntityRow(i, d, t, label, case) for i, (d, t, label, case) in enumerate(labelled)]
    return rows, by_driver, entity_list, oracle


class Oracle:
    """The documented semantics, written as plainly as possible: the row with the largest event
    time e <= t, and e >= t - ttl (both inclusive); among equal e, the largest created time."""

    def __init__(self, by_driver: dict[int, list[FeatureRow]]):
        self.by_driver = by_driver
        self.events = {d: [r.event for r in lst] for d, lst in by_driver.items()}

    def lookup(self, driver: int, t: int) -> FeatureRow | None:
        lst = self.by_driver.get(driver)
        if not lst:
            return None
        i = bisect.bisect_right(self.events[driver], t)  # rows[:i] have e <= t
        if i == 0:
            return None
        e = lst[i - 1].event
        if e < t - TTL_SECONDS:
            return None
        same = [r for r in lst[:i] if r.event == e]
        return max(same, key=lambda r: r.created)

    def why_null(self, driver: int, t: int) -> str:
        lst = self.by_driver.get(driver)
        if not lst:
            return "entity never seen"
        if lst[0].event > t:
            return "entity has data, all of it after t"
        return "entity has data, all of it older than t - ttl"


# ----------------------------------------------------------------------------------------------
# Files


def write_files(work: str, rows, entities):
    os.makedirs(work, exist_ok=True)
    import pandas as pd

    # Feature data: CSV for Larder, parquet for Feast, the same rows in the same order.
    with open(os.path.join(work, "driver_stats.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["driver_id", "event_timestamp", "created", "conv_rate", "trips"])
        for r in rows:
            w.writerow([r.driver_id, iso(r.event), iso(r.created), repr(r.conv_rate), r.trips])
    df = pd.DataFrame(
        {
            "driver_id": pd.Series([r.driver_id for r in rows], dtype="int64"),
            "event_timestamp": pd.to_datetime([r.event for r in rows], unit="s", utc=True),
            "created": pd.to_datetime([r.created for r in rows], unit="s", utc=True),
            "conv_rate": pd.Series([r.conv_rate for r in rows], dtype="float64"),
            "trips": pd.Series([r.trips for r in rows], dtype="int64"),
        }
    )
    df.to_parquet(os.path.join(work, "driver_stats.parquet"), index=False)

    # Entity rows: CSV for Larder; Feast gets the equivalent dataframe.
    with open(os.path.join(work, "entities.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["driver_id", "event_timestamp", "label", "row_id"])
        for e in entities:
            w.writerow([e.driver_id, iso(e.t), e.label, e.row_id])

    with open(os.path.join(work, "features.yaml"), "w") as f:
        f.write(
            f"""# Generated by Benchmarks/feast-comparison/compare.py
entities:
  - name: driver
    join_key: driver_id
    type: int64

sources:
  - name: driver_stats
    csv: driver_stats.csv
    timestamp_format: iso8601

views:
  - name: {VIEW}
    entities: [driver]
    source: driver_stats
    timestamp_field: event_timestamp
    created_timestamp_field: created
    ttl: 2h
    features:
      - name: conv_rate
        type: float64
      - name: trips
        type: int64
"""
        )


def entity_dataframe(entities):
    import pandas as pd

    return pd.DataFrame(
        {
            "driver_id": pd.Series([e.driver_id for e in entities], dtype="int64"),
            "event_timestamp": pd.to_datetime([e.t for e in entities], unit="s", utc=True),
            "label": pd.Series([e.label for e in entities], dtype="int64"),
            "row_id": pd.Series([e.row_id for e in entities], dtype="int64"),
        }
    )


# ----------------------------------------------------------------------------------------------
# Feast


def run_feast(work: str, entities):
    from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
    from feast.types import Float64, Int64

    repo = fresh_feast_repo(work, "larder_comparison")

    timings = {}
    started = time.perf_counter()
    store = FeatureStore(repo_path=repo)
    driver = Entity(name="driver", join_keys=["driver_id"], value_type=ValueType.INT64)
    source = FileSource(
        name="driver_stats_source",
        path=os.path.join(work, "driver_stats.parquet"),
        timestamp_field="event_timestamp",
        created_timestamp_column="created",
    )
    view = FeatureView(
        name=VIEW,
        entities=[driver],
        ttl=timedelta(seconds=TTL_SECONDS),
        schema=[
            Field(name="driver_id", dtype=Int64),
            Field(name="conv_rate", dtype=Float64),
            Field(name="trips", dtype=Int64),
        ],
        source=source,
        online=False,
    )
    store.apply([driver, source, view])
    timings["apply"] = time.perf_counter() - started

    entity_df = entity_dataframe(entities)
    started = time.perf_counter()
    out = store.get_historical_features(
        entity_df=entity_df, features=[f"{VIEW}:{name}" for name in FEATURES]
    ).to_df()
    timings["historical"] = time.perf_counter() - started
    out.to_csv(os.path.join(work, "feast_out.csv"), index=False)
    return out, timings


def feast_rows(df):
    """Feast's output as a list of (row_id, driver_id, t, label, conv_rate, trips)."""
    import pandas as pd

    result = []
    ts = pd.to_datetime(df["event_timestamp"], utc=True)
    epochs = (ts - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    for row_id, driver, t, label, conv, trips in zip(
        df["row_id"], df["driver_id"], epochs, df["label"], df["conv_rate"], df["trips"]
    ):
        conv = None if conv is None or pd.isna(conv) else float(conv)
        trips = None if trips is None or pd.isna(trips) else int(trips)
        result.append((int(row_id), int(driver), int(t), int(label), conv, trips))
    return result


# ----------------------------------------------------------------------------------------------
# Larder


def run_larder(larder: str, work: str):
    store = os.path.join(work, "larder.store")
    shutil.rmtree(store, ignore_errors=True)
    definitions = os.path.join(work, "features.yaml")
    common = ["--store", store, "--file", definitions]
    start = iso(BASE_EPOCH - 86400)[:10]
    end = iso(BASE_EPOCH + (DAYS + 1) * 86400)[:10]
    out = os.path.join(work, "larder_out.csv")
    historical = [larder, "historical", *common, "--entities", os.path.join(work, "entities.csv")]
    for name in FEATURES:
        historical += ["--features", f"{VIEW}:{name}"]

    timings = {}
    pipeline = time.perf_counter()
    for step, command in [
        ("apply", [larder, "apply", *common]),
        ("materialize", [larder, "materialize", start, end, *common]),
        ("historical", historical + ["--out", out]),
    ]:
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        timings[step] = time.perf_counter() - started
        if done.returncode != 0:
            print(f"larder {step} failed (exit {done.returncode}): {' '.join(command)}", file=sys.stderr)
            print(done.stdout + done.stderr, file=sys.stderr)
            sys.exit(2)
    timings["pipeline"] = time.perf_counter() - pipeline

    # Equal inputs give equal outputs: a second run must produce the same bytes.
    again = os.path.join(work, "larder_out_again.csv")
    done = subprocess.run(historical + ["--out", again], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        sys.exit(2)
    with open(out, "rb") as a, open(again, "rb") as b:
        deterministic = a.read() == b.read()
    return out, timings, deterministic


def larder_rows(path: str):
    """Larder's output as a list of (row_id, driver_id, t, label, conv_rate, trips)."""
    result = []
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        expected = ["driver_id", "event_timestamp", "label", "row_id", *FEATURES]
        if reader.fieldnames != expected:
            raise SystemExit(f"larder output columns {reader.fieldnames}, expected {expected}")
        for rec in reader:
            t = int(datetime.strptime(rec["event_timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())
            conv = float(rec["conv_rate"]) if rec["conv_rate"] != "" else None
            trips = int(rec["trips"]) if rec["trips"] != "" else None
            result.append((int(rec["row_id"]), int(rec["driver_id"]), t, int(rec["label"]), conv, trips))
    return result


# ----------------------------------------------------------------------------------------------
# Comparison


def values(row: FeatureRow | None):
    return (None, None) if row is None else (row.conv_rate, row.trips)


def compare(entities, oracle: Oracle, larder, feast):
    classes = Counter()
    reasons_a = Counter()
    reasons_b = Counter()
    bugs: list[str] = []
    bad_rows: set = set()  # (d) counts input rows (or stray output rows), each once
    expected = {e.row_id: oracle.lookup(e.driver_id, e.t) for e in entities}

    def bug(kind: str, detail: str, row=None):
        key = row if row is not None else ("stray", len(bugs), detail)
        if key not in bad_rows:
            bad_rows.add(key)
            classes["d"] += 1
        if len(bugs) < 50:
            bugs.append(f"[{kind}] {detail}")

    def describe(e: EntityRow):
        return f"row_id={e.row_id} driver_id={e.driver_id} t={iso(e.t)} label={e.label} ({e.case})"

    # Larder: every input row, in input order, with the oracle's values.
    if len(larder) != len(entities):
        bug("larder", f"{len(larder)} output rows for {len(entities)} input rows")
    larder_by_id = {}
    for position, (e, got) in enumerate(zip(entities, larder)):
        row_id, driver, t, label, conv, trips = got
        larder_by_id[row_id] = (conv, trips)
        if (row_id, driver, t, label) != (e.row_id, e.driver_id, e.t, e.label):
            bug("larder", f"output row {position} is {got[:4]}, input row is {describe(e)}", e.row_id)
            continue
        want = values(expected[e.row_id])
        if (conv, trips) != want:
            bug("larder", f"{describe(e)}: Larder {(conv, trips)}, expected {want} from {expected[e.row_id]}", e.row_id)

    # Feast: match by row_id.
    feast_by_id = {}
    for got in feast:
        row_id = got[0]
        if row_id in feast_by_id:
            bug("feast", f"row_id {row_id} appears twice in Feast's output", row_id)
        feast_by_id[row_id] = got
    known = {e.row_id for e in entities}
    for row_id in feast_by_id.keys() - known:
        bug("feast", f"Feast returned row_id {row_id}, which is not an input row")

    entity_by_id = {e.row_id: e for e in entities}
    by_key = defaultdict(list)
    for e in entities:
        by_key[(e.driver_id, e.t)].append(e.row_id)

    for e in entities:
        lar = larder_by_id.get(e.row_id)
        want = expected[e.row_id]
        got = feast_by_id.get(e.row_id)
        if got is None:
            twins = [r for r in by_key[(e.driver_id, e.t)] if r != e.row_id and r in feast_by_id]
            if twins:
                classes["b"] += 1
                same_label = any(entity_by_id[r].label == e.label for r in twins)
                reasons_b["identical but for row_id" if same_label else "same driver_id + event_timestamp, other label"] += 1
            elif want is None:
                classes["a"] += 1
                reasons_a[oracle.why_null(e.driver_id, e.t)] += 1
            else:
                bug("feast dropped", f"{describe(e)}: Feast dropped a row whose expected value is {values(want)} from {want}", e.row_id)
            continue
        _, driver, t, label, conv, trips = got
        if (driver, t, label) != (e.driver_id, e.t, e.label):
            bug("feast", f"{describe(e)}: Feast's row with this row_id is {got}", e.row_id)
            continue
        if (conv, trips) == lar:
            classes["match"] += 1
            continue
        if lar == values(want) and want is not None:
            tied = [r for r in oracle.by_driver[e.driver_id] if r.event == want.event and r is not want]
            if any((conv, trips) == values(r) for r in tied):
                classes["c"] += 1
                continue
        bug("differ", f"{describe(e)}: Feast {(conv, trips)}, Larder {lar}, expected {values(want)} from {want}", e.row_id)
    return classes, reasons_a, reasons_b, bugs


# ----------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--larder", required=True, help="the larder executable")
    parser.add_argument("--work", default=os.path.join(HERE, "work"))
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--entity-rows", type=int, default=20_000)
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    larder = os.path.abspath(args.larder)

    rows, by_driver, entities, oracle = generate(args.seed, args.entity_rows)
    write_files(work, rows, entities)
    cases = Counter(e.case for e in entities)
    print(f"dataset (seed {args.seed}) in {work}:")
    print(f"  {len(rows)} feature rows for {len(by_driver)} drivers, ttl {TTL_SECONDS // 3600}h, "
          f"{sum(1 for lst in by_driver.values() for a, b in zip(lst, lst[1:]) if a.event == b.event)} event-time ties")
    print(f"  {len(entities)} entity rows:")
    for case, n in sorted(cases.items(), key=lambda kv: -kv[1]):
        print(f"    {n:6d}  {case}")

    answers = [(e, oracle.lookup(e.driver_id, e.t)) for e in entities]
    coverage = Counter()
    for e, want in answers:
        if want is None:
            coverage["null: " + oracle.why_null(e.driver_id, e.t)] += 1
            continue
        if want.event == e.t:
            coverage["value: e == t"] += 1
        if want.event == e.t - TTL_SECONDS:
            coverage["value: e == t - ttl (boundary row wins)"] += 1
        if sum(1 for r in by_driver[e.driver_id] if r.event == want.event) > 1:
            coverage["value: from an event-time tie (larger created wins)"] += 1
    keys = Counter((e.driver_id, e.t) for e in entities)
    coverage["rows sharing driver_id + event_timestamp with another row"] = sum(n for n in keys.values() if n > 1)
    print("  expected answers (oracle):")
    for case, count in sorted(coverage.items()):
        print(f"    {count:6d}  {case}")

    print("running Larder ...", flush=True)
    larder_out, larder_times, deterministic = run_larder(larder, work)
    larder_result = larder_rows(larder_out)

    print("running Feast ...", flush=True)
    import feast

    feast_df, feast_times = run_feast(work, entities)
    feast_result = feast_rows(feast_df)

    classes, reasons_a, reasons_b, bugs = compare(entities, oracle, larder_result, feast_result)

    n = len(entities)
    expected_nonnull = sum(1 for e in entities if oracle.lookup(e.driver_id, e.t) is not None)
    table = [
        ("Feast version", feast.__version__),
        ("input rows", f"{n}"),
        ("  with a value in the ttl window (oracle)", f"{expected_nonnull}"),
        ("Larder output rows", f"{len(larder_result)}"),
        ("Feast output rows", f"{len(feast_result)}"),
        ("rows where Feast = Larder", f"{classes['match']}"),
        ("(a) Larder has a row Feast dropped", f"{classes['a']}"),
        *[(f"      {reason}", f"{count}") for reason, count in sorted(reasons_a.items())],
        ("(b) Feast collapsed a duplicate input row", f"{classes['b']}"),
        *[(f"      {reason}", f"{count}") for reason, count in sorted(reasons_b.items())],
        ("(c) created-time tie broken the other way by Feast", f"{classes['c']}"),
        ("(d) anything else (BUG)", f"{classes['d']}"),
        ("Larder output deterministic (2 runs, same bytes)", "yes" if deterministic else "NO"),
        ("Feast get_historical_features().to_df()", f"{feast_times['historical']:.3f} s"
         f"  ({n / feast_times['historical']:,.0f} rows/s)"),
        ("Feast FeatureStore() + apply", f"{feast_times['apply']:.3f} s"),
        ("Larder historical (wall clock, whole command)", f"{larder_times['historical']:.3f} s"
         f"  ({n / larder_times['historical']:,.0f} rows/s)"),
        ("Larder apply + materialize + historical", f"{larder_times['pipeline']:.3f} s"
         f"  (apply {larder_times['apply']:.3f}, materialize {larder_times['materialize']:.3f})"),
    ]
    width = max(len(k) for k, _ in table)
    print()
    print(f"| {'measure':{width}} | {'value':>38} |")
    print(f"|{'-' * (width + 2)}|{'-' * 40}|")
    for key, value in table:
        print(f"| {key:{width}} | {value:>38} |")
    print()
    if not deterministic:
        classes["d"] += 1
        bugs.append("[larder] two runs of `larder historical` on the same input wrote different files")
    if bugs:
        print(f"{classes['d']} difference(s) of class (d); the first {len(bugs)}:")
        for line in bugs:
            print("  " + line)
        return 1
    print("no unexplained difference: every Feast/Larder difference is (a), (b) or (c).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
