@testable import Larder

/// The definitions most tests start from: drivers, customers, two views and a service.
enum Fixtures {
    static let driver = Entity("driver", joinKey: "driver_id", type: .int64)
    static let customer = Entity("customer", joinKey: "customer_id", type: .string)
    static let driverStats = Source.csv("driver_stats", path: "data/driver_stats.csv")
    static let orders = Source.csv("orders", path: "data/orders.csv")

    static let hourlyStats = FeatureView("driver_hourly_stats", entities: [driver], source: driverStats, ttl: .seconds(86_400)) {
        Field("conv_rate", .float32)
        Field("acc_rate", .float32)
        Field("avg_daily_trips", .int64)
    }

    static let pairStats = FeatureView("driver_customer_stats", entities: [driver, customer], source: orders) {
        Field("trips_together", .int64)
        Field("embedding", .float32List)
    }.owner("ml-team@example.com")

    static let activity = FeatureService("driver_activity", features: ["driver_hourly_stats:conv_rate", "driver_customer_stats"])

    static let definitions = Definitions(
        entities: [driver, customer], sources: [driverStats, orders],
        views: [hourlyStats, pairStats], services: [activity])
}
