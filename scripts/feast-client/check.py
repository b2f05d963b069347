"""Feast's own Python SDK as a client of `larder serve`: a Feast repository whose online store
is `remote` (pointing at the server) writes rows with `write_to_online_store`, reads them back
with `get_online_features` — by references and through a feature service — and gets Feast's
own exceptions for an unknown feature service and, from the server's typed 404, for a view the
store does not have. Writes what the SDK read by references as JSON, for the caller to compare
with `larder get`. Exits non-zero on any difference.

Usage: python check.py FEAST_REPO_DIRECTORY OUTPUT_JSON
"""
import json
import logging
import sys
import warnings
from datetime import datetime, timezone

warnings.filterwarnings("ignore")
logging.getLogger("feast").setLevel(logging.ERROR)

import pandas as pd
from feast import FeatureStore
from feast.errors import FeatureServiceNotFoundException, FeatureViewNotFoundException

store = FeatureStore(repo_path=sys.argv[1])
now = datetime.now(timezone.utc).replace(microsecond=0)
store.write_to_online_store("driver_hourly_stats", pd.DataFrame({
    "driver_id": [1001, 1002], "event_timestamp": [now, now], "created": [now, now],
    "conv_rate": [0.25, 0.5], "acc_rate": [0.75, None], "avg_daily_trips": [12, 34]}))
store.write_to_online_store("customer_profile", pd.DataFrame({
    "customer_id": ["C1001"], "event_timestamp": [now], "current_balance": [12.5], "lifetime_trip_count": [3],
    "avg_passenger_count": [1.5], "segment": ["plus"]}))

features = store.get_online_features(
    features=["driver_hourly_stats:conv_rate", "driver_hourly_stats:acc_rate", "driver_hourly_stats:avg_daily_trips"],
    entity_rows=[{"driver_id": 1001}, {"driver_id": 1002}, {"driver_id": 1003}, {"driver_id": 99999}],
).to_dict()
# Driver 1003 was materialized from the sample's 2024 rows: older than the view's ttl, so no value.
expected = {"driver_id": [1001, 1002, 1003, 99999], "conv_rate": [0.25, 0.5, None, None], "acc_rate": [0.75, None, None, None],
            "avg_daily_trips": [12, 34, None, None]}
assert features == expected, f"by references: {features} != {expected}"
with open(sys.argv[2], "w") as output:
    json.dump(features, output)

service = store.get_online_features(
    features=store.get_feature_service("driver_activity"), entity_rows=[{"driver_id": 1001, "customer_id": "C1001"}],
).to_dict()
assert service["conv_rate"] == [0.25] and service["current_balance"] == [12.5] and service["segment"] == ["plus"], service

try:
    store.get_online_features(features=store.get_feature_service("no_such_service"), entity_rows=[{"driver_id": 1001}])
    raise AssertionError("an unknown feature service was served")
except FeatureServiceNotFoundException:
    pass

try:
    store.get_online_features(features=["driver_extra:conv_rate"], entity_rows=[{"driver_id": 1001}])
    raise AssertionError("a view the store does not have was served")
except FeatureViewNotFoundException:
    pass

print("Feast's SDK read and wrote through larder serve: by references, through a feature service, and got its own exceptions for an unknown service and an unknown view.")
