// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "Clearance",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ClearanceKit", targets: ["ClearanceKit"]),
        .executable(name: "clearance", targets: ["clearance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libyaml (Debian `libyaml-dev`), read through our own positioned, text-only reader.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(
            name: "ClearanceKit",
            dependencies: [
                "CLibYAML",
                "CIntrinsics",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // What Swift has no spelling for, as C headers: the processor's prefetch hint
        // (`__builtin_prefetch`), for the party register's look-ups fetched ahead for a slice of
        // lines (`PartyResolver.Lookahead`), and SSE2's byte masks (`pmovmskb`), for reading CSV
        // records and writing JSON strings sixteen bytes at a time.
        .target(name: "CIntrinsics"),
        // The licence ledger: usage that survives between runs, in SQLite through GRDB.
        .target(
            name: "ClearanceLedger",
            dependencies: [
                "ClearanceKit",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "clearance",
            dependencies: [
                "ClearanceKit",
                "ClearanceLedger",
                "ClearanceWorkload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds on Linux allocate through jemalloc (Debian `libjemalloc-dev`): a
            // check allocates and frees millions of small objects across threads, and glibc's
            // malloc made W1 about 15 % slower (Benchmarks/run.sh, same binary with and without).
            // Debug and sanitizer builds keep the system allocator.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux], configuration: .release))]
        ),
        // Generated benchmark workloads (`clearance workload`, Benchmarks/, equivalence tests).
        .target(name: "ClearanceWorkload"),
        // Fuzz targets (libFuzzer through Scripts/fuzz.sh) and a replayer for their inputs.
        .target(name: "ClearanceFuzzing", dependencies: ["ClearanceKit"]),
        .executableTarget(name: "clearance-fuzz", dependencies: ["ClearanceFuzzing", "CFuzzerDriver"]),
        // libFuzzer's driver, referenced weakly: present only where Scripts/fuzz.sh links libFuzzer.
        .target(name: "CFuzzerDriver"),
        // Temporary folders for the tests, removed when a test run ends.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "ClearanceKitTests",
            dependencies: ["ClearanceKit", "ClearanceFuzzing", "ClearanceWorkload", "TestSupport"],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ClearanceLedgerTests",
            dependencies: ["ClearanceLedger", "ClearanceKit", "TestSupport"]
        ),
        .testTarget(
            name: "ClearanceCLITests",
            dependencies: ["clearance", "ClearanceKit", "TestSupport"]
        ),
    ]
)

// A sanitizer build (`CLEARANCE_SANITIZER=address` or `thread`, set by Scripts/sanitizer-build.sh)
// instruments this package's own Swift modules and leaves the dependencies a normal debug build, so
// that in the folder of the normal build it compiles only our modules again. Dependencies are most
// of a build (BoringSSL of swift-crypto, GRDB and ArgumentParser: about 160 s of 290 on CI's 2
// cores); built a second time for AddressSanitizer, CI had come to 898 s of its 15 minutes.
// AddressSanitizer builds also get libFuzzer's coverage instrumentation (what -sanitize=fuzzer turns
// on): the test suite and the fuzzer (Scripts/fuzz.sh) run from one build. Line tables only, not
// full debug info: a report still names each frame's file and line, and the build is faster.
if let sanitizer = ProcessInfo.processInfo.environment["CLEARANCE_SANITIZER"], !sanitizer.isEmpty {
    let swiftFlags: [String]
    switch sanitizer {
    case "address":
        swiftFlags = [
            "-sanitize=address", "-sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table",
            "-gline-tables-only",
        ]
    case "thread":
        swiftFlags = ["-sanitize=thread", "-gline-tables-only"]
    default:
        fatalError("CLEARANCE_SANITIZER is address or thread, not '\(sanitizer)'")
    }
    for target in package.targets where target.type != .system {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(swiftFlags)]
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-sanitize=\(sanitizer)"])]
    }
}
