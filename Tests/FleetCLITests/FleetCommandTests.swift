import FleetCLI
import Foundation
import Testing

@Suite("Fleet commands over SSH", .serialized)
struct FleetCommandTests {
    @Test("exec prints each host and the recap")
    func execAcrossHosts() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        let run = await fleet.run(["exec", "--all", "--", "uname", "-r"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        for host in fleet.hosts {
            #expect(lines.contains("[\(host)] 14.1-RELEASE-p5"))
        }
        #expect(
            lines.last
                == "RECAP 3 hosts: 3 ok, 0 changed, 0 failed, 0 unreachable, 0 timed out, 0 not attempted"
        )
    }

    @Test("exec reports failures and exit 1")
    func execFailure() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let run = await fleet.run(["exec", "host02", "--", "echo out; echo err >&2; exit 3"])
        #expect(run.status == 1)
        #expect(run.standardOutput.hasPrefix("[host02] out\n"))
        #expect(run.standardError == "[host02] err\n[host02] failed: exit status 3\n")
        #expect(run.standardOutput.hasSuffix("  host02  failed  exit status 3\n"))
    }

    @Test("exec with no reachable host exits 69")
    func execUnreachable() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        fleet.stop()
        try FileManager.default.createDirectory(
            atPath: fleet.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: fleet.directory) }
        let inventory = """
            all:
              hosts:
                gone:
                  address: 127.0.0.1
                  port: 1
                  identity_file: \(fleet.directory)/missing_key
                  known_hosts: \(fleet.directory)/known_hosts
            """
        try inventory.write(toFile: fleet.inventory, atomically: true, encoding: .utf8)
        let run = await fleet.run(["exec", "all", "--json", "--", "true"])
        #expect(run.status == 69)
        #expect(run.standardOutput.contains("\"state\" : \"unreachable\""))
        #expect(run.standardOutput.contains("\"exitStatus\" : 69"))
        #expect(run.standardOutput.contains("\"unreachable\" : 1"))
        #expect(run.standardError.contains("cannot use private key \(fleet.directory)/missing_key"))
    }

    @Test("jail create, start and idempotent rerun")
    func jailCreate() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let first = await fleet.run(["jail", "create", "--all", "web", "--start"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("0 ok, 2 changed"))
        for host in fleet.hosts {
            #expect(
                try fleet.calls(host).contains {
                    $0.hasPrefix("jail -f ") && $0.hasSuffix(" -c web")
                })
        }
        let second = await fleet.run(["jail", "create", "--all", "web", "--start"])
        #expect(second.status == 0)
        #expect(second.standardOutput.contains("2 ok, 0 changed"))
    }

    @Test("check changes nothing")
    func checkChangesNothing() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let run = await fleet.run(["jail", "create", "--all", "web", "--check"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("[host01] would change: 6 steps"))
        let changing = try fleet.calls("host01").filter {
            $0.hasPrefix("zfs create") || $0.hasPrefix("jail ") || $0.hasPrefix("pwd_mkdb")
        }
        #expect(changing.isEmpty)
    }

    @Test("hostile names are rejected before any host is contacted")
    func hostileNames() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        for name in ["foo; reboot", "../x", "a.b", "-x", "", String(repeating: "a", count: 300)] {
            let run = await fleet.run(["jail", "start", "--all", "--", name])
            #expect(run.status == 64, "\(name)")
            #expect(run.standardError.hasPrefix("error: invalid jail name"))
        }
        #expect(try fleet.calls("host01").isEmpty)
    }

    @Test("failed skel upgrade is rolled back")
    func upgradeRollback() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 1, setup: ["--skel", "14.1-RELEASE-p5", "--latest", "14.1-RELEASE-p6"])
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-install-fails", on: "host01")
        let failed = await fleet.run(["skel", "upgrade", "--all"])
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("rolled back: rollback-snapshot done"))
        let version = try SimulatedFleet.shell([
            fleet.root("host01") + "/var/jails/skel/bin/freebsd-version", "-u",
        ])
        #expect(version == "14.1-RELEASE-p5\n")

        fleet.clearFault("freebsd-update-install-fails", on: "host01")
        let upgraded = await fleet.run(["skel", "upgrade", "--all"])
        #expect(upgraded.status == 0, "\(upgraded.standardError)")
        #expect(upgraded.standardOutput.contains("skel 14.1-RELEASE-p5 -> 14.1-RELEASE-p6"))
    }
}
