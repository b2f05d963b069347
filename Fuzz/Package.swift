// swift-tools-version:5.3
// Fuzz targets for Larder's parsers and decoders, built with libFuzzer:
//   bash scripts/fuzz.sh            (every target for a bounded time; see Docs/Reliability.md)
// Each target is an executable whose only entry point is LLVMFuzzerTestOneInput; libFuzzer
// supplies `main`, so the targets build only with `-sanitize=fuzzer -parse-as-library`.
// Tools version 5.3: a target with main.swift is an executable whose `main` is not renamed
// (later versions rename it for testing, and libFuzzer's `main` would then be missing).
import PackageDescription

let package = Package(
    name: "LarderFuzz",
    dependencies: [.package(name: "Larder", path: "..")],
    targets: ["FuzzCSV", "FuzzJSONLines", "FuzzDefinitions", "FuzzRecords", "FuzzTime", "FuzzParquetSource", "FuzzStatistics"].map { name in
        .target(name: name, dependencies: [.product(name: "Larder", package: "Larder")])
    } + [.target(name: "FuzzPages", dependencies: [.product(name: "LMDBKit", package: "Larder")]),
         .target(name: "FuzzParquetFooter", dependencies: [.product(name: "ParquetKit", package: "Larder")]),
         .target(name: "FuzzParquetPages", dependencies: [.product(name: "ParquetKit", package: "Larder")]),
         .target(name: "FuzzServerRequests", dependencies: [.product(name: "Larder", package: "Larder"), .product(name: "LarderServer", package: "Larder")])]
)
