import FleetCLI
import Foundation
import Testing

/// Every injected fault ends in a clear per-host failure and leaves nothing half-done.
@Suite("Faults on simulated hosts", .serialized)
struct FaultTests {
    /// The datasets of `host`, one name a line, read through the tool itself.
    static func datasets(_ fleet: SimulatedFleet, _ host: String) async -> [String] {
        let run = await fleet.run(["exec", host, "--", "zfs list -H -o name"])
        return run.standardOutput.split(separator: "\n")
            .filter { $0.hasPrefix("[\(host)] ") }
            .map { String($0.dropFirst(host.count + 3)) }
    }

    @Test("skel install from the mirror, then again")
    func skelInstall() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 2, setup: ["--release", "14.1-RELEASE-p5"])
        defer { fleet.stop() }
        let first = await fleet.run(["skel", "install", "--all"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("0 ok, 2 changed"))
        for host in fleet.hosts {
            let calls = try fleet.calls(host)
            #expect(
                calls.contains {
                    $0.hasPrefix("fetch ") && $0.contains("/amd64/amd64/14.1-RELEASE/MANIFEST")
                })
            #expect(calls.contains { $0.hasPrefix("sha256 -q ") })
            #expect(calls.contains { $0 == "zfs snapshot zroot/jails/skel@created" })
        }
        let again = await fleet.run(["skel", "install", "--all"])
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("2 ok, 0 changed"))
        let jail = await fleet.run(["jail", "create", "--all", "web", "--start"])
        #expect(jail.status == 0, "\(jail.standardError)")
    }

    @Test("checksum mismatch and failed fetch leave no skel")
    func fetchFaults() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 2, setup: ["--release", "14.1-RELEASE-p5"])
        defer { fleet.stop() }
        try fleet.injectFault("fetch-corrupt", on: "host01", content: "base.txz\n")
        try fleet.injectFault("fetch-fails", on: "host02", content: "Not Found\n")
        let run = await fleet.run(["skel", "install", "--all"])
        #expect(run.status == 1)
        let recap = run.standardOutput
        #expect(
            recap.contains(
                "host01  failed  skel install: step fetch-base failed: exit 1: base.txz "
                    + "checksum mismatch: MANIFEST has "),
            "\(recap)")
        #expect(recap.contains("host02  failed  skel install: step fetch"), "\(recap)")
        #expect(recap.contains("Not Found"))
        for host in fleet.hosts {
            #expect(await Self.datasets(fleet, host) == ["zroot", "zroot/jails"])
            #expect(
                !FileManager.default.fileExists(atPath: fleet.root(host) + "/var/jails/skel/bin"))
        }
    }

    @Test("full pool fails jail create cleanly")
    func poolFull() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        try fleet.injectFault("pool-full", on: "host01")
        let run = await fleet.run(["jail", "create", "--all", "web"])
        #expect(run.status == 1)
        #expect(run.standardOutput.contains("out of space"), "\(run.standardOutput)")
        #expect(
            await Self.datasets(fleet, "host01") == ["zroot", "zroot/jails", "zroot/jails/skel"])
        #expect(
            !FileManager.default.fileExists(
                atPath: fleet.root("host01") + "/etc/jail.conf.d/web.conf"))
    }

    @Test("busy mount fails jail stop and lists it")
    func busyMount() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 1, setup: ["--skel", "14.1-RELEASE-p5", "--jails", "web", "--running", "web"])
        defer { fleet.stop() }
        let devfs = fleet.root("host01") + "/var/jails/web/dev"
        try fleet.injectFault("umount-busy", on: "host01", content: devfs + "\n")
        let run = await fleet.run(["jail", "stop", "--all", "web"])
        #expect(run.status == 1)
        #expect(run.standardOutput.contains(devfs), "\(run.standardOutput)\(run.standardError)")
    }

    @Test("freebsd-update that refuses is a failure, not up to date")
    func updateRefuses() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 1, setup: ["--skel", "14.1-RELEASE-p5", "--latest", "14.1-RELEASE-p6"])
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-refuses", on: "host01")
        let run = await fleet.run(["skel", "upgrade", "--all"])
        #expect(run.status == 1)
        #expect(
            run.standardOutput.contains("freebsd-update refused to run"), "\(run.standardOutput)")
        let version = try SimulatedFleet.shell([
            fleet.root("host01") + "/var/jails/skel/bin/freebsd-version", "-u",
        ])
        #expect(version == "14.1-RELEASE-p5\n")
    }
}
