import FleetJails
import FleetOps
import FleetReport
import Testing

@Suite("Report gathering on a simulated host")
struct ReportGatherTests {
    @Test("report of jails, pool and skel")
    func gather() async throws {
        let host = try SimulatedHost([
            "--skel", "14.1-RELEASE-p5", "--release", "14.1-RELEASE-p6", "--jails", "web,db",
            "--running", "db",
        ])
        defer { host.remove() }
        let report = await ReportBuilder.gather(
            host: "h", shell: host, settings: try host.settings())
        #expect(report.reachable, "\(report.problem ?? "")")
        #expect(report.hostVersion == "14.1-RELEASE-p6")
        #expect(report.skelVersion == "14.1-RELEASE-p5")
        #expect(report.skelBehind)
        #expect(report.jails.map(\.name) == ["db", "web"])
        #expect(report.jails.map(\.running) == [true, false])
        #expect(report.jails.map(\.jid) == [2, nil])
        // Exact bytes, as `zfs list -p` prints them; the rounded 1.51K would read as 1546.
        let used = try await host.run("zfs list -Hp -o used zroot/jails/web").stdout
        #expect(
            report.jails.last?.usedBytes.map(String.init)
                == used.split(separator: "\n").first.map(String.init))
        #expect(report.pool?.sizeBytes == 20 << 30)
        #expect(report.pool?.health == "ONLINE")
        #expect(report.leftoverMounts.isEmpty)
        #expect(report.lastSkelSnapshot == "zroot/jails/skel@created")
        let calls = try host.calls()
        #expect(calls.contains { $0.hasPrefix("zfs list -Hp ") })
        #expect(!calls.contains { $0.hasPrefix("zfs create") || $0.hasPrefix("jail ") })
    }

    @Test("lost connection gives an unreachable report")
    func lostConnection() async throws {
        let settings = try HostSettings(jailsRoot: "/var/jails")
        let report = await ReportBuilder.gather(
            host: "h", shell: BrokenShell(), settings: settings)
        #expect(!report.reachable)
        #expect(report.problem == "connection lost while reading facts: channel closed")
    }

    @Test("unreadable probe output names the exit status")
    func unreadableOutput() async throws {
        let settings = try HostSettings(jailsRoot: "/var/jails")
        let report = await ReportBuilder.gather(
            host: "h", shell: CannedShell(), settings: settings)
        #expect(!report.reachable)
        #expect(
            report.problem
                == "cannot read the host's facts: facts probe output is invalid: first line is "
                + "\"\", expected \"@@mjf probe 1\"; check that the host runs a POSIX sh "
                + "(probe ended with exit 1: mktemp: permission denied)")
    }

    @Test("probe without exit status reads as cut off")
    func probeCutOff() async throws {
        let settings = try HostSettings(jailsRoot: "/var/jails")
        let report = await ReportBuilder.gather(
            host: "h", shell: CutOffShell(), settings: settings)
        #expect(!report.reachable)
        let problem = report.problem ?? ""
        #expect(
            problem.hasPrefix(
                "the facts probe was cut off: it ended without an exit status, as when the "
                    + "host's sshd or the connection is lost part-way; check the host and run "
                    + "again (facts probe output is "), "\(problem)")
    }

    @Test("timed-out probe names the timeout")
    func probeTimedOut() async throws {
        let settings = try HostSettings(jailsRoot: "/var/jails")
        let report = await ReportBuilder.gather(
            host: "h", shell: TimedOutShell(), settings: settings)
        #expect(!report.reachable)
        #expect(
            report.problem
                == "the facts probe timed out after 2 s; it was stopped on the host with "
                + "SIGTERM; raise command_timeout in the inventory, or set it to 0 for no limit")
    }

    struct ChannelClosed: Error, CustomStringConvertible {
        var description: String { "channel closed" }
    }

    struct BrokenShell: RemoteShell {
        func run(_ script: String) async throws -> RemoteResult { throw ChannelClosed() }
    }

    struct CannedShell: RemoteShell {
        func run(_ script: String) async throws -> RemoteResult {
            RemoteResult(
                outcome: .exited(1), stdout: "", stderr: "mktemp: permission denied\n", seconds: 0)
        }
    }

    struct CutOffShell: RemoteShell {
        func run(_ script: String) async throws -> RemoteResult {
            RemoteResult(outcome: .noExitStatus, stdout: "@@mjf probe 1\n", stderr: "", seconds: 0)
        }
    }

    struct TimedOutShell: RemoteShell {
        func run(_ script: String) async throws -> RemoteResult {
            RemoteResult(
                outcome: .timedOut(
                    seconds: 2, stop: "it was stopped on the host with SIGTERM", stopped: true),
                stdout: "@@mjf probe 1\n@@mjf begin freebsd-version\n", stderr: "", seconds: 2)
        }
    }
}
