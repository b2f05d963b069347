"""Makes the data both servers serve (Benchmarks/server): `larder init`'s sample repository with
DRIVERS drivers and CUSTOMERS customers over one day, applied and materialized into a Larder
store, and the same rows in a Feast repository (local provider, SQLite online store, what
`feast init` sets up) materialized by Feast. The ttls are 0 (no limit) in both, so that every
value is served as present although the sample's rows are from 2024.

Usage: setup.py --larder PATH --work DIR [--drivers N] [--customers N]
Skips the work when DIR already holds both for the same sizes.
"""
import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import warnings
from datetime import datetime, timedelta, timezone

warnings.filterwarnings("ignore")
logging.getLogger("feast").setLevel(logging.ERROR)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--larder", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--drivers", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=10_000)
    args = parser.parse_args()
    marker = os.path.join(args.work, "made.json")
    sizes = {"drivers": args.drivers, "customers": args.customers}
    if os.path.exists(marker) and json.load(open(marker)) == sizes:
        return
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)

    larder = os.path.join(args.work, "larder")
    subprocess.run([args.larder, "init", larder, "--drivers", str(args.drivers), "--customers", str(args.customers),
                    "--days", "1", "--entity-rows", "10"], check=True, stdout=subprocess.DEVNULL)
    definitions = os.path.join(larder, "features.yaml")
    text = open(definitions).read().replace("ttl: 1d", "ttl: 0").replace("ttl: 7d", "ttl: 0")
    open(definitions, "w").write(text)
    for command in (["apply"], ["materialize", "2024-05-01", "2024-05-03"]):
        subprocess.run([args.larder] + command, cwd=larder, check=True, stdout=subprocess.DEVNULL)

    import pandas as pd
    from feast import Entity, FeatureService, FeatureStore, FeatureView, Field, FileSource
    from feast.types import Float32, Float64, Int64, String
    from feast.value_type import ValueType

    repo = os.path.join(args.work, "feast")
    os.makedirs(os.path.join(repo, "data"))
    with open(os.path.join(repo, "feature_store.yaml"), "w") as f:
        f.write("project: larder_serve_bench\nprovider: local\nregistry: data/registry.db\n"
                "online_store:\n  type: sqlite\n  path: data/online_store.db\n"
                "offline_store:\n  type: file\nentity_key_serialization_version: 3\n")
    drivers = pd.read_csv(os.path.join(larder, "data/driver_stats.csv"))
    for column in ("event_timestamp", "created"):
        drivers[column] = pd.to_datetime(drivers[column], utc=True)
    drivers = drivers.astype({"conv_rate": "float32", "acc_rate": "float32"})
    drivers.to_parquet(os.path.join(repo, "data/driver_stats.parquet"))
    customers = pd.read_json(os.path.join(larder, "data/customer_profile.jsonl"), lines=True)
    customers["event_timestamp"] = pd.to_datetime(customers["event_timestamp"], utc=True)
    customers = customers.astype({"avg_passenger_count": "float32"})
    customers.to_parquet(os.path.join(repo, "data/customer_profile.parquet"))

    driver = Entity(name="driver", join_keys=["driver_id"], value_type=ValueType.INT64)
    customer = Entity(name="customer", join_keys=["customer_id"], value_type=ValueType.STRING)
    stats = FeatureView(
        name="driver_hourly_stats", entities=[driver], ttl=timedelta(0),
        source=FileSource(path=os.path.join(repo, "data/driver_stats.parquet"), timestamp_field="event_timestamp",
                          created_timestamp_column="created"),
        schema=[Field(name="conv_rate", dtype=Float32), Field(name="acc_rate", dtype=Float32), Field(name="avg_daily_trips", dtype=Int64)])
    profile = FeatureView(
        name="customer_profile", entities=[customer], ttl=timedelta(0),
        source=FileSource(path=os.path.join(repo, "data/customer_profile.parquet"), timestamp_field="event_timestamp"),
        schema=[Field(name="current_balance", dtype=Float64), Field(name="lifetime_trip_count", dtype=Int64),
                Field(name="avg_passenger_count", dtype=Float32), Field(name="segment", dtype=String)])
    service = FeatureService(name="driver_activity", features=[stats, profile[["current_balance", "segment"]]])
    store = FeatureStore(repo_path=repo)
    store.apply([driver, customer, stats, profile, service])
    store.materialize(datetime(2024, 4, 30, tzinfo=timezone.utc), datetime(2024, 5, 3, tzinfo=timezone.utc))
    json.dump(sizes, open(marker, "w"))


if __name__ == "__main__":
    sys.exit(main())
