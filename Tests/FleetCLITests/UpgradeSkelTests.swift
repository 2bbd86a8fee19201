import FleetCLI
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One host's entry of a `--json` document, as a script would read it.
struct HostEntry {
    var state: String
    var reason: String?
    var details: [String: String]
    var steps: [String]

    /// Reads every host of a `--json` document, by name.
    static func parse(_ text: String) throws -> [String: HostEntry] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let hosts = (object as? [String: Any])?["hosts"] as? [[String: Any]] ?? []
        var entries: [String: HostEntry] = [:]
        for host in hosts {
            guard let name = host["host"] as? String, let state = host["state"] as? String else {
                continue
            }
            entries[name] = HostEntry(
                state: state, reason: host["reason"] as? String,
                details: host["details"] as? [String: String] ?? [:],
                steps: (host["steps"] as? [[String: Any]] ?? []).compactMap {
                    $0["name"] as? String
                })
        }
        return entries
    }
}

@Suite("upgrade-skel across a simulated fleet", .serialized)
struct UpgradeSkelTests {
    static let setup = [
        "--skel", "14.1-RELEASE-p5", "--jails", "web", "--running", "web", "--latest",
        "14.1-RELEASE-p6",
    ]

    /// The skel version the host's own `bin/freebsd-version` prints.
    static func skelVersion(_ fleet: SimulatedFleet, _ host: String) throws -> String {
        let script = fleet.root(host) + "/var/jails/skel/bin/freebsd-version"
        return try SimulatedFleet.shell([script, "-u"]).trimmingCharacters(in: .newlines)
    }

    /// Counts the snapshots taken before an install in the host's call log: one per upgrade
    /// attempt, since every attempt snapshots the skel just before it installs.
    static func upgradeAttempts(_ fleet: SimulatedFleet, _ host: String) throws -> Int {
        try fleet.calls(host).filter {
            $0.hasPrefix("zfs snapshot zroot/jails/skel@upgrade-")
        }.count
    }

    @Test("failed install stops the roll-out")
    func failureStopsRollout() async throws {
        let fleet = try await SimulatedFleet.start(count: 6, setup: Self.setup)
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-install-fails", on: "host03")

        let run = await fleet.run(["upgrade-skel", "--all", "--serial", "1", "--json"])
        #expect(run.status == 1, "\(run.standardError)")
        let hosts = try HostEntry.parse(run.standardOutput)
        #expect(hosts.count == 6)
        for name in ["host01", "host02"] {
            #expect(hosts[name]?.state == "changed")
            #expect(hosts[name]?.details["skel version before"] == "14.1-RELEASE-p5")
            #expect(hosts[name]?.details["skel version after"] == "14.1-RELEASE-p6")
            #expect(hosts[name]?.details["smoke check"] == "jail web runs 14.1-RELEASE-p6")
            #expect(try Self.skelVersion(fleet, name) == "14.1-RELEASE-p6")
        }

        let failed = try #require(hosts["host03"])
        #expect(failed.state == "failed")
        #expect(failed.reason?.hasPrefix("step install failed: ") == true, "\(failed.reason ?? "")")
        #expect(failed.details["rolled back"] == "rollback-snapshot done")
        #expect(failed.details["result"] == "rolled back")
        #expect(failed.details["skel version after"] == "14.1-RELEASE-p5")
        #expect(try Self.skelVersion(fleet, "host03") == "14.1-RELEASE-p5")

        for name in ["host04", "host05", "host06"] {
            #expect(hosts[name]?.state == "not-attempted")
            #expect(
                hosts[name]?.reason
                    == "failure budget of 0% exceeded (1 of 6 hosts failed or unreachable)")
            #expect(try fleet.calls(name).isEmpty)
        }
    }

    @Test("budget lets the roll-out go on")
    func budgetAllowsFailure() async throws {
        let fleet = try await SimulatedFleet.start(count: 6, setup: Self.setup)
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-install-fails", on: "host03")

        let run = await fleet.run([
            "upgrade-skel", "--all", "--serial", "1", "--max-fail-percent", "20",
        ])
        #expect(run.status == 1)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "RECAP 6 hosts: 0 ok, 5 changed, 1 failed, 0 unreachable, 0 timed out, "
                    + "0 not attempted"))
        #expect(lines.contains { $0.hasPrefix("  host03  failed  step install failed: ") })
        for name in fleet.hosts where name != "host03" {
            #expect(
                lines.contains {
                    $0.hasPrefix("[\(name)] upgraded: skel 14.1-RELEASE-p5 -> 14.1-RELEASE-p6 (")
                })
            #expect(try Self.skelVersion(fleet, name) == "14.1-RELEASE-p6")
        }
        #expect(run.standardError.contains("[host03]   rolled back: rollback-snapshot done\n"))
        #expect(
            run.standardError.contains(
                "[host03]   skel version: 14.1-RELEASE-p5 before, 14.1-RELEASE-p5 now\n"))

        // A second run finds the upgraded hosts done; -q prints only errors and the recap,
        // which the changed host makes worth printing.
        fleet.clearFault("freebsd-update-install-fails", on: "host03")
        let again = await fleet.run(["upgrade-skel", "--all", "-q"])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(
            again.standardOutput
                == "RECAP 6 hosts: 5 ok, 1 changed, 0 failed, 0 unreachable, 0 timed out, "
                + "0 not attempted\n")
        #expect(again.standardError == "")
        for name in fleet.hosts {
            #expect(try Self.upgradeAttempts(fleet, name) == (name == "host03" ? 2 : 1), "\(name)")
        }
    }

    @Test("unchanged hosts show their note")
    func unchangedNote() async throws {
        let fleet = try await SimulatedFleet.start(count: 6, setup: Self.setup)
        defer { fleet.stop() }
        let first = await fleet.run(["upgrade-skel", "host01", "--restart-jails"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("[host01]   jails restarted: web\n"))
        let restarts = try fleet.calls("host01").filter {
            $0.hasPrefix("jail -f ") && ($0.hasSuffix(" -r web") || $0.hasSuffix(" -c web"))
        }
        #expect(restarts.count == 2)

        let check = await fleet.run([
            "upgrade-skel", "--all", "--check", "--release", "14.1-RELEASE",
        ])
        #expect(check.status == 0)
        #expect(
            check.standardOutput.contains(
                "[host01] ok (unchanged): skel already runs 14.1-RELEASE-p6 of 14.1-RELEASE ("))
        #expect(
            check.standardOutput.contains(
                "[host02] ok (unchanged): skel already runs 14.1-RELEASE-p5 of 14.1-RELEASE ("))

        let rerun = await fleet.run(["upgrade-skel", "host01", "-v"])
        #expect(rerun.status == 0)
        #expect(
            rerun.standardOutput.contains(
                "[host01] ok (unchanged): no updates are available to install ("))
        #expect(rerun.standardOutput.contains("[host01]   fetch: exit 0 ("))
        #expect(rerun.standardError.contains("[host01] fetch\n"))
    }

    @Test("bad release is a usage error")
    func badRelease() async throws {
        let run = await CLIRun.run(["upgrade-skel", "--all", "--release", "14.1-RELEASE-p3"])
        #expect(run.status == 64)
        #expect(
            run.standardError.hasPrefix(
                "error: invalid value '14.1-RELEASE-p3' for --release: freebsd-update installs "
                    + "the latest patch level of the release by itself; write '14.1-RELEASE'\n"))
    }

    @Test("killed controller, then a safe rerun")
    func killAndRerun() async throws {
        let fleet = try await SimulatedFleet.start(count: 6, setup: Self.setup)
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-slow", on: "host03", content: "120\n")
        let reports = fleet.directory + "/reports"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.toolPath())
        process.arguments = [
            "-i", fleet.inventory, "upgrade-skel", "--all", "--serial", "1", "--report-dir",
            reports,
        ]
        process.environment = ["HOME": fleet.directory, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let remotePID = try await Self.waitForPID(
            fleet.state("host03") + "/faults/freebsd-update-slow.pid", while: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The host loses its install part-way too, as a host that went down would.
        kill(remotePID, SIGKILL)

        // Every host that finished kept its report; the killed run wrote no summary.
        for name in ["host01", "host02"] {
            let record = try String(
                contentsOfFile: "\(reports)/hosts/\(name).json", encoding: .utf8)
            #expect(record.contains("\"state\" : \"changed\""))
        }
        #expect(!FileManager.default.fileExists(atPath: reports + "/hosts/host03.json"))
        #expect(!FileManager.default.fileExists(atPath: reports + "/summary.json"))
        #expect(try Self.skelVersion(fleet, "host03") == "14.1-RELEASE-p5")

        fleet.clearFault("freebsd-update-slow", on: "host03")
        let rerun = await fleet.run([
            "upgrade-skel", "--all", "--serial", "1", "--json", "--report-dir", reports,
        ])
        #expect(rerun.status == 0, "\(rerun.standardError)")
        let hosts = try HostEntry.parse(rerun.standardOutput)
        for name in ["host01", "host02"] {
            #expect(hosts[name]?.state == "ok")
            #expect(hosts[name]?.details["result"] == "unchanged")
        }
        let recovered = try #require(hosts["host03"])
        #expect(recovered.state == "changed")
        #expect(
            recovered.details["recovery"]?.hasPrefix(
                "rolled back the half-done upgrade an earlier run left to zroot/jails/skel@upgrade-"
            )
                == true, "\(recovered.details)")
        #expect(recovered.steps.contains { $0.hasPrefix("break stale lock") }, "\(recovered.steps)")
        #expect(recovered.steps.contains("recover-rollback-snapshot"))
        for name in ["host04", "host05", "host06"] {
            #expect(hosts[name]?.state == "changed")
        }
        for name in fleet.hosts {
            #expect(try Self.skelVersion(fleet, name) == "14.1-RELEASE-p6", "\(name)")
            #expect(try Self.upgradeAttempts(fleet, name) == (name == "host03" ? 2 : 1), "\(name)")
        }
        let rollbacks = try fleet.calls("host03").filter {
            $0.hasPrefix("zfs rollback -r zroot/jails/skel@upgrade-")
        }
        #expect(rollbacks.count == 1)
        #expect(FileManager.default.fileExists(atPath: reports + "/summary.json"))
    }

    @Test("rerun while the old install runs")
    func rerunWhileInstallRuns() async throws {
        let fleet = try await SimulatedFleet.start(count: 1, setup: Self.setup)
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-slow", on: "host01", content: "120\n")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.toolPath())
        process.arguments = ["-i", fleet.inventory, "upgrade-skel", "--all"]
        process.environment = ["HOME": fleet.directory, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let remotePID = try await Self.waitForPID(
            fleet.state("host01") + "/faults/freebsd-update-slow.pid", while: process)
        // The controller dies and its install goes on without it.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        defer { kill(remotePID, SIGKILL) }

        let rerun = await fleet.run(["upgrade-skel", "--all", "--json"])
        #expect(rerun.status == 1, "\(rerun.standardError)")
        let host = try #require(try HostEntry.parse(rerun.standardOutput)["host01"])
        #expect(host.state == "failed")
        #expect(host.reason?.contains("freebsd-update is still running on the skel") == true)
        #expect(host.details["recovery"] == nil, "\(host.details)")
        #expect(!host.steps.contains("recover-rollback-snapshot"), "\(host.steps)")
        #expect(try Self.skelVersion(fleet, "host01") == "14.1-RELEASE-p5")
    }

    @Test("unreachable and auth-failed hosts in JSON and JUnit")
    func unreachableHosts() async throws {
        let fleet = try await SimulatedFleet.start(count: 4, setup: Self.setup)
        defer { fleet.stop() }
        let wrongKey = fleet.directory + "/wrong_key"
        try SimulatedFleet.shell([
            "/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrongKey,
        ])
        let inventory = try String(contentsOfFile: fleet.inventory, encoding: .utf8)
        let lines = inventory.split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex(of: "    host01:"))
        let address = lines[index + 1].replacingOccurrences(of: "      address: ", with: "")
        let extra = """
                gone:
                  address: 127.0.0.1
                  port: 1
                badkey:
                  address: \(address)
                  identity_file: \(wrongKey)

            """
        try (inventory + extra).write(toFile: fleet.inventory, atomically: true, encoding: .utf8)

        let junit = fleet.directory + "/junit.xml"
        let run = await fleet.run([
            "upgrade-skel", "--all", "--json", "--junit", junit, "--max-fail-percent", "100",
        ])
        #expect(run.status == 1)
        let hosts = try HostEntry.parse(run.standardOutput)
        #expect(hosts.count == 6)
        #expect(hosts["gone"]?.state == "unreachable")
        #expect(hosts["badkey"]?.state == "unreachable")
        #expect(
            hosts["badkey"]?.reason?.hasPrefix("authentication") == true,
            "\(hosts["badkey"]?.reason ?? "")")
        for name in fleet.hosts {
            #expect(hosts[name]?.state == "changed", "\(name)")
        }

        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        let cases = xml.components(separatedBy: "<testcase ").dropFirst()
        #expect(cases.count == 6)
        for name in ["gone", "badkey"] {
            let block = try #require(cases.first { $0.contains("name=\"\(name)\"") })
            #expect(block.contains("<error message=\""), "\(block)")
        }
        for name in fleet.hosts {
            let block = try #require(cases.first { $0.contains("name=\"\(name)\"") })
            #expect(!block.contains("<error"), "\(block)")
            #expect(!block.contains("<failure"), "\(block)")
        }
    }

    /// Returns the built tool, `minijail-fleet` next to the test bundle in the build folder.
    static func toolPath() throws -> String {
        let starts = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                .deletingLastPathComponent(),
            Bundle.main.bundleURL.resolvingSymlinksInPath(),
        ]
        for start in starts {
            var folder = start
            for _ in 0..<4 {
                let path = folder.appendingPathComponent("minijail-fleet").path
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                    !isDirectory.boolValue
                {
                    return path
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw SimulatedFleet.ShellError(
            message: "minijail-fleet was not found next to the test bundle; run swift build")
    }

    /// Waits up to two minutes for `path` to hold a pid, while `process` runs.
    static func waitForPID(_ path: String, while process: Process) async throws -> pid_t {
        for _ in 0..<1200 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.processIdentifier, SIGKILL)
        throw SimulatedFleet.ShellError(message: "the install never reached the slow fault")
    }
}
