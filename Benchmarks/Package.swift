// swift-tools-version: 6.1
// Larder's benchmarks: a separate package so library users never build benchmark dependencies.
// Run from the repository root with `bash scripts/benchmark.sh`.
import PackageDescription

let package = Package(
    name: "LarderBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Larder", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The baselines call C directly: raw LMDB (the physical limit) and SQLite (what a user
        // would pick instead for an embedded store).
        .systemLibrary(name: "CLMDBRaw", path: "Sources/CLMDBRaw", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "Larder", package: "Larder"),
                .product(name: "LMDBKit", package: "Larder"),
                "CLMDBRaw", "CSQLite",
            ],
            path: "Sources/BenchmarkSupport"
        ),
        .executableTarget(
            name: "OnlineLookup",
            dependencies: [
                "BenchmarkSupport", "CLMDBRaw", "CSQLite",
                .product(name: "Larder", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/OnlineLookup",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Materialize",
            dependencies: [
                "BenchmarkSupport", "CLMDBRaw",
                .product(name: "Larder", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Materialize",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ParquetIO",
            dependencies: [
                "BenchmarkSupport", "CLMDBRaw",
                .product(name: "Larder", package: "Larder"),
                .product(name: "ParquetKit", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ParquetIO",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MaterializeOrders",
            dependencies: [
                "BenchmarkSupport", "CLMDBRaw",
                .product(name: "Larder", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MaterializeOrders",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MaterializeDaily",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Larder", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MaterializeDaily",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "HistoricalJoin",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Larder", package: "Larder"),
                .product(name: "ArrowKit", package: "Larder"),
                .product(name: "ParquetKit", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HistoricalJoin",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not a package-benchmark target: Benchmarks/server runs it beside the load generator,
        // as the in-process floor under the feature server's figures.
        .executableTarget(
            name: "ServiceLookupFloor",
            dependencies: [.product(name: "Larder", package: "Larder")],
            path: "Sources/ServiceLookupFloor"
        ),
        // Benchmarks/server's load generator: keep-alive HTTP/1.1 on epoll, open-loop at a rate.
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .executableTarget(
            name: "LoadGenerator",
            dependencies: ["CEpoll"],
            path: "Sources/LoadGenerator"
        ),
        .executableTarget(
            name: "Registry",
            dependencies: [
                .product(name: "Larder", package: "Larder"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Registry",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
