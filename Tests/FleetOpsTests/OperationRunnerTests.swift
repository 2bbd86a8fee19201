import FleetJails
import FleetOps
import FleetRun
import Foundation
import Testing

@Suite("Operations on a simulated host")
struct OperationRunnerTests {
    static func runner(_ host: SimulatedHost, check: Bool = false, runID: String = "r1") throws
        -> OperationRunner
    {
        OperationRunner(
            shell: host,
            context: JobContext(
                host: "sim", settings: try host.settings(), runID: runID, controller: "ctl",
                checkOnly: check))
    }

    static func describe(_ outcome: HostOutcome) -> String {
        var lines = ["\(outcome.state) \(outcome.reason ?? "")"]
        for step in outcome.steps {
            lines.append("  \(step.name): \(step.result)\n\(step.outputTail)")
        }
        return lines.joined(separator: "\n")
    }

    @Test("jail lifecycle and idempotence")
    func lifecycle() async throws {
        let host = try SimulatedHost(["--skel", "14.1-RELEASE-p5"])
        defer { host.remove() }
        let web = try JailName("web")

        let created = try await Self.runner(host).run(.jailCreate(web))
        #expect(created.state == .changed, "\(Self.describe(created))")
        let again = try await Self.runner(host).run(.jailCreate(web))
        #expect(again.state == .ok, "\(Self.describe(again))")

        let started = try await Self.runner(host).run(.jailStart(web))
        #expect(started.state == .changed, "\(Self.describe(started))")
        let jls = try await host.run("jls -j web name")
        #expect(jls.stdout == "web\n")

        let stopped = try await Self.runner(host).run(.jailStop(web))
        #expect(stopped.state == .changed, "\(Self.describe(stopped))")
        let stoppedAgain = try await Self.runner(host).run(.jailStop(web))
        #expect(stoppedAgain.state == .ok, "\(Self.describe(stoppedAgain))")

        let deleted = try await Self.runner(host).run(
            .jailDelete(web, stopFirst: false, confirmed: true))
        #expect(deleted.state == .changed, "\(Self.describe(deleted))")
        #expect(!FileManager.default.fileExists(atPath: host.fsroot + "/etc/jail.conf.d/web.conf"))
    }

    @Test("check mode changes nothing")
    func checkMode() async throws {
        let host = try SimulatedHost(["--skel", "14.1-RELEASE-p5"])
        defer { host.remove() }
        let planned = try await Self.runner(host, check: true).run(.jailCreate(try JailName("db")))
        #expect(planned.state == .changed, "\(Self.describe(planned))")
        #expect(!planned.plan.isEmpty)
        let changing = try host.calls().filter {
            $0.hasPrefix("zfs create") || $0.hasPrefix("jail ")
        }
        #expect(changing.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: host.fsroot + "/var/jails/db"))
    }

    @Test("skel upgrade and rollback on failure")
    func skelUpgrade() async throws {
        let host = try SimulatedHost([
            "--skel", "14.1-RELEASE-p5", "--jails", "web", "--latest", "14.1-RELEASE-p6",
        ])
        defer { host.remove() }
        try host.injectFault("freebsd-update-install-fails")
        let failed = try await Self.runner(host, runID: "r2").run(.skelUpgrade(targetRelease: nil))
        #expect(failed.state == .failed, "\(Self.describe(failed))")
        #expect(failed.details["rolled back"]?.contains("done") == true, "\(Self.describe(failed))")
        let version = try await host.run(host.fsroot + "/var/jails/skel/bin/freebsd-version -u")
        #expect(version.stdout == "14.1-RELEASE-p5\n")

        try FileManager.default.removeItem(
            atPath: host.state + "/faults/freebsd-update-install-fails")
        let upgraded = try await Self.runner(host, runID: "r3").run(
            .skelUpgrade(targetRelease: nil))
        #expect(upgraded.state == .changed, "\(Self.describe(upgraded))")
        #expect(
            upgraded.details["version after"] == "14.1-RELEASE-p6", "\(Self.describe(upgraded))")
        let calls = try host.calls().filter { $0.hasPrefix("freebsd-update") }
        #expect(calls.allSatisfy { $0.contains("--not-running-from-cron") })

        let again = try await Self.runner(host, runID: "r4").run(.skelUpgrade(targetRelease: nil))
        #expect(again.state == .ok, "\(Self.describe(again))")
    }

    @Test("hostile jail names never reach a host")
    func hostileNames() {
        for name in ["foo; reboot", "../x", "a.b", "-x", "", String(repeating: "a", count: 300)] {
            #expect(throws: JailNameError.self) { try JailName(name) }
        }
    }

    @Test("lock held by a live run stops the host")
    func liveLock() async throws {
        let host = try SimulatedHost(["--skel", "14.1-RELEASE-p5"])
        defer { host.remove() }
        let lock = host.fsroot + "/var/db/minijail-fleet/lock"
        try FileManager.default.createDirectory(atPath: lock, withIntermediateDirectories: true)
        let owner =
            "run=other\ncontroller=ctl\npid=\(getpid())\nstarted=\(Int(Date().timeIntervalSince1970))\n"
        try owner.write(toFile: lock + "/owner", atomically: true, encoding: .utf8)
        let outcome = try await Self.runner(host).run(.jailCreate(try JailName("web")))
        #expect(outcome.state == .failed)
        #expect(
            outcome.reason
                == "host is locked by run other (pid \(getpid()) on ctl) in \(lock); wait for it "
                + "to finish, or remove \(lock) if that run is gone (it counts as stale once "
                + "that process is gone)")
    }

    @Test("stale lock is broken")
    func staleLock() async throws {
        let host = try SimulatedHost(["--skel", "14.1-RELEASE-p5"])
        defer { host.remove() }
        let lock = host.fsroot + "/var/db/minijail-fleet/lock"
        try FileManager.default.createDirectory(atPath: lock, withIntermediateDirectories: true)
        // Process ids are below 2^22 on Linux, so this one cannot be alive.
        let owner = "run=gone\ncontroller=ctl\npid=99999999\nstarted=1\n"
        try owner.write(toFile: lock + "/owner", atomically: true, encoding: .utf8)
        let outcome = try await Self.runner(host).run(.jailCreate(try JailName("web")))
        #expect(outcome.state == .changed, "\(Self.describe(outcome))")
        #expect(outcome.steps.contains { $0.name.hasPrefix("break stale lock") })
        #expect(!FileManager.default.fileExists(atPath: lock))
    }
}

@Suite("Report from facts")
struct ReportBuilderTests {
    @Test("report of a simulated host")
    func report() async throws {
        let host = try SimulatedHost([
            "--release", "14.1-RELEASE-p6", "--skel", "14.1-RELEASE-p5", "--jails", "web,db",
            "--running", "web",
        ])
        defer { host.remove() }
        let settings = try host.settings()
        let probe = try await host.run(FactsProbe.script(settings: settings))
        let facts = try FactsProbe.parse(probe.stdout)
        let report = ReportBuilder.report(host: "sim", facts: facts, settings: settings)
        #expect(report.reachable)
        #expect(report.hostVersion == "14.1-RELEASE-p6")
        #expect(report.skelVersion == "14.1-RELEASE-p5")
        #expect(report.skelBehind)
        #expect(report.jails.map(\.name) == ["db", "web"])
        #expect(report.jails.map(\.running) == [false, true])
        #expect(report.jails[1].jid == 1)
        #expect(report.jails[0].jid == nil)
        #expect(report.jails.allSatisfy { $0.usedBytes != nil })
        #expect(report.pool?.name == "zroot")
        #expect(report.pool?.health == "ONLINE")
        #expect(report.leftoverMounts.isEmpty)
        #expect(report.lastSkelSnapshot == "zroot/jails/skel@created")
    }
}
