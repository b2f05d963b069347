// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Larder",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Larder", targets: ["Larder"]),
        .library(name: "LMDBKit", targets: ["LMDBKit"]),
        .library(name: "ParquetKit", targets: ["ParquetKit"]),
        .library(name: "ArrowKit", targets: ["ArrowKit"]),
        .library(name: "LarderServer", targets: ["LarderServer"]),
        .executable(name: "larder", targets: ["LarderCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation`: the DocC catalogs of Larder and LMDBKit.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // The feature server (`larder serve`) only: Hummingbird on SwiftNIO. The Larder library
        // never links them.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The C library, straight from Debian's liblmdb-dev. Nothing above LMDBKit imports it.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"]), .brew(["lmdb"])]
        ),
        .target(name: "LMDBKit", dependencies: ["CLMDB"]),
        // The codecs of compressed Parquet pages, from Debian. Nothing above ParquetKit imports them.
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"]), .brew(["snappy"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Columns in Arrow's memory layout, and the Arrow IPC file (Feather v2) written from them.
        .target(name: "ArrowKit"),
        // Parquet's file format in Swift: files read column chunk by column chunk, and written
        // from Arrow columns.
        .target(name: "ParquetKit", dependencies: ["ArrowKit", "CSnappy", "CZstd", "CZlib"]),
        .target(name: "Larder", dependencies: ["LMDBKit", "ParquetKit", "ArrowKit", .product(name: "Yams", package: "Yams")]),

        // The feature server: Feast's HTTP protocol over the store, on Hummingbird.
        .target(
            name: "LarderServer",
            dependencies: [
                "Larder",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The `larder` command-line tool, one file per subcommand.
        .executableTarget(
            name: "LarderCLI",
            dependencies: [
                "Larder", "ArrowKit", "ParquetKit", "LarderServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // A child process for the tests that need a second process or a SIGKILL mid-write.
        .executableTarget(
            name: "larder-test-child",
            dependencies: ["LMDBKit", "Larder"],
            path: "Tests/TestChild"
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LMDBKitTests", dependencies: ["LMDBKit", "TestSupport"]),
        // Fixtures/: Parquet files written by pyarrow (make-fixtures.py), read by path.
        .testTarget(name: "ParquetKitTests", dependencies: ["ParquetKit", "ArrowKit", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ArrowKitTests", dependencies: ["ArrowKit", "TestSupport"]),
        // Fixtures/: Parquet files written by the real tools and their CSV twin (scripts/parquet-fixtures.sh).
        .testTarget(name: "LarderTests", dependencies: ["Larder", "LMDBKit", "TestSupport"], exclude: ["Fixtures"]),
        // The feature server over loopback HTTP.
        .testTarget(name: "ServerTests", dependencies: ["LarderServer", "Larder", "TestSupport"]),
        // End-to-end tests of the built `larder` executable.
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
