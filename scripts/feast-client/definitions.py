from datetime import timedelta
from feast import Entity, FeatureView, Field, FileSource, FeatureService
from feast.types import Float32, Float64, Int64, String
from feast.value_type import ValueType

driver = Entity(name="driver", join_keys=["driver_id"], value_type=ValueType.INT64)
customer = Entity(name="customer", join_keys=["customer_id"], value_type=ValueType.STRING)
driver_hourly_stats = FeatureView(
    name="driver_hourly_stats", entities=[driver], ttl=timedelta(days=1),
    source=FileSource(path="driver_stats.parquet", timestamp_field="event_timestamp"),
    schema=[Field(name="conv_rate", dtype=Float32), Field(name="acc_rate", dtype=Float32), Field(name="avg_daily_trips", dtype=Int64)],
)
customer_profile = FeatureView(
    name="customer_profile", entities=[customer], ttl=timedelta(days=7),
    source=FileSource(path="customer_profile.parquet", timestamp_field="event_timestamp"),
    schema=[Field(name="current_balance", dtype=Float64), Field(name="lifetime_trip_count", dtype=Int64),
            Field(name="avg_passenger_count", dtype=Float32), Field(name="segment", dtype=String)],
)
driver_activity = FeatureService(name="driver_activity", features=[driver_hourly_stats, customer_profile[["current_balance", "segment"]]])
# Known to Feast's registry but not to the Larder store: the server answers Feast's typed 404.
driver_extra = FeatureView(
    name="driver_extra", entities=[driver], ttl=timedelta(days=1),
    source=FileSource(path="driver_stats.parquet", timestamp_field="event_timestamp"),
    schema=[Field(name="conv_rate", dtype=Float32)],
)
