import FleetCore
import FleetRun
import Foundation
import Testing

@testable import FleetCLI

@Suite("Ctrl-C during a run", .serialized)
struct InterruptTests {
    static func recap(_ states: [HostState]) -> Recap {
        Recap(states.enumerated().map { HostOutcome(host: "h\($0.offset)", state: $0.element) })
    }

    static let statuses: [([HostState], Bool, FleetCore.ExitStatus)] = [
        ([.ok, .changed], true, .ok),
        ([.ok, .notAttempted], true, .interrupted),
        ([.unreachable, .notAttempted], true, .interrupted),
        ([.ok, .failed], false, .someFailed),
        ([.unreachable, .notAttempted], false, .unavailable),
    ]

    @Test("interrupt sets exit status unless all succeeded", arguments: statuses)
    func status(states: [HostState], interrupted: Bool, expected: FleetCore.ExitStatus) {
        #expect(FleetRunner.status(of: Self.recap(states), interrupted: interrupted) == expected)
    }

    @Test("unread report host gives interrupt reason")
    func reportProblem() {
        let outcome = HostOutcome(
            host: "web2", state: .notAttempted, reason: "interrupted before this host started")
        #expect(ReportGathering.problem(outcome) == "interrupted before this host started")
    }

    /// What the tool printed and its exit status.
    struct Interrupted {
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// From SIGINT to the tool's exit.
        var stopping: Duration
        /// The marked remote shells still running once the tool exited, zombies aside.
        var leftRunning: [pid_t] = []
    }

    /// Returns whether `pid` is a live process of this machine, not a zombie.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    /// Runs the tool with `arguments` (`-i` and the inventory go first) and sends it SIGINT
    /// once `started` remote commands have run `mark`, a shell command that leaves a file
    /// named by the remote shell's pid, or once `ready` returns true when it is given. Those
    /// commands are killed by pid afterwards.
    static func interrupt(
        _ fleet: SimulatedFleet, started: Int = 1, ready: (() -> Bool)? = nil,
        arguments: (_ mark: String) -> [String]
    ) async throws -> Interrupted {
        let marks = fleet.directory + "/started"
        try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
        defer {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
            for pid in pids.compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try UpgradeSkelTests.toolPath())
        process.arguments = ["-i", fleet.inventory] + arguments("touch \(marks)/$$")
        process.environment = ["HOME": fleet.directory, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let watchdog = DispatchWorkItem { kill(process.processIdentifier, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }

        for _ in 0..<300 {
            let marked = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
            if (ready?() ?? (marked.count >= started)) || !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let interruptedAt = ContinuousClock.now
        kill(process.processIdentifier, SIGINT)
        // The tool takes seconds to stop its hosts' commands; the wait stays off the pool.
        let (standardOutput, standardError) = try await SimulatedFleet.offPool {
            let standardOutput = String(
                decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let standardError = String(
                decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (standardOutput, standardError)
        }
        let stopping = ContinuousClock.now - interruptedAt
        let marked = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
        return Interrupted(
            status: process.terminationStatus, standardOutput: standardOutput,
            standardError: standardError, stopping: stopping,
            leftRunning: marked.compactMap { pid_t($0) }.filter(isRunning))
    }

    @Test("exec stops, prints recap, exits 130")
    func execInterrupted() async throws {
        let fleet = try await SimulatedFleet.start(count: 4)
        defer { fleet.stop() }
        let run = try await Self.interrupt(fleet, started: 2) { mark in
            ["exec", "--all", "--forks", "2", "--", "\(mark); exec sleep 60"]
        }

        #expect(run.stopping < .seconds(10))
        #expect(run.status == 130, "\(run.standardError)")
        #expect(
            run.standardError.contains(
                "interrupted: no new host starts; waiting for hosts in flight"))
        #expect(
            run.standardOutput.contains(
                "RECAP 4 hosts: 0 ok, 0 changed, 2 failed, 0 unreachable, 0 timed out, "
                    + "2 not attempted\n"), "\(run.standardOutput)")
        let cutShort = run.standardOutput.split(separator: "\n").filter {
            $0.contains(" failed ") && $0.contains("interrupted: command on ")
        }
        #expect(cutShort.count == 2, "\(run.standardOutput)")
    }

    @Test("exec on 20 hosts stops every sleep")
    func execInterruptedWide() async throws {
        let fleet = try await SimulatedFleet.start(count: 20)
        defer { fleet.stop() }
        let run = try await Self.interrupt(fleet, started: 20) { mark in
            ["exec", "--all", "--forks", "20", "--", "\(mark); exec sleep 60"]
        }

        #expect(run.stopping < .seconds(8))
        #expect(run.status == 130, "\(run.standardError)")
        #expect(
            run.standardOutput.contains(
                "RECAP 20 hosts: 0 ok, 0 changed, 20 failed, 0 unreachable, 0 timed out, "
                    + "0 not attempted\n"), "\(run.standardOutput)")
        #expect(run.leftRunning.isEmpty, "\(run.standardOutput)")
        let stopped = run.standardOutput.split(separator: "\n").filter {
            $0.contains(" failed  interrupted: command on ")
                && $0.hasSuffix(" was interrupted; it was stopped on the host with SIGTERM")
        }
        #expect(stopped.count == 20, "\(run.standardOutput)")

        let again = await fleet.run(["exec", "--all", "--forks", "20", "--", "echo again"])
        #expect(again.status == 0, "\(again.standardError)")
    }

    @Test("cut-short exec still warns of its file")
    func outputDirWarning() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let folder = fleet.directory + "/out"
        // A folder where the host's .out file should go makes that file fail to open.
        try FileManager.default.createDirectory(
            atPath: folder + "/host01.out", withIntermediateDirectories: true)
        let run = try await Self.interrupt(fleet, started: 1) { mark in
            ["exec", "--all", "--output-dir", folder, "--", "echo hi; \(mark); exec sleep 60"]
        }

        #expect(run.status == 130, "\(run.standardError)")
        #expect(run.standardOutput.contains("[host01] hi\n"), "\(run.standardOutput)")
        #expect(
            run.standardError.contains(
                "[host01] warning: cannot write \(folder)/host01.out: Is a directory; "
                    + "the file is incomplete\n"), "\(run.standardError)")
        #expect(run.standardError.contains("[host01] failed: interrupted: command on "))
    }

    @Test("interrupted report keeps 130 and history")
    func reportJUnitAfterInterrupt() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let sleeping = try Self.slowProbe(fleet, on: "host01")
        defer { Self.endSlowProbe(fleet, host: "host01") }
        let folder = fleet.directory + "/junit"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The folder exists when the run checks it and is gone when the report is written.
        let run = try await Self.interrupt(
            fleet,
            ready: {
                guard sleeping() else { return false }
                return (try? FileManager.default.removeItem(atPath: folder)) != nil
            }
        ) { _ in
            [
                "report", "--all", "--junit", folder + "/report.xml",
                "--history", fleet.directory + "/history.sqlite",
            ]
        }

        #expect(run.status == 130, "\(run.standardError)")
        #expect(run.standardError.contains("cannot write the JUnit report: "))
        // A host cut off mid-probe would enter the history as unreachable.
        #expect(run.standardError.contains("interrupted: the history is not updated"))
        #expect(
            run.standardOutput.contains("host01  interrupted while reading facts\n"),
            "\(run.standardOutput)")
        #expect(run.standardOutput.contains("host01: interrupted while reading facts\n"))
    }

    /// Makes the facts probe on `host` sleep 60 s, and returns a check that is true once
    /// the probe sleeps.
    static func slowProbe(_ fleet: SimulatedFleet, on host: String) throws -> () -> Bool {
        try fleet.injectFault("freebsd-version-slow", on: host, content: "60\n")
        let pidFile = fleet.state(host) + "/faults/freebsd-version-slow.pid"
        return { FileManager.default.fileExists(atPath: pidFile) }
    }

    /// Runs the tool with `arguments` and sends it SIGINT while the facts probe on `host`
    /// sleeps, then ends that sleep.
    static func interruptMidProbe(
        _ fleet: SimulatedFleet, on host: String, arguments: [String]
    ) async throws -> Interrupted {
        let sleeping = try slowProbe(fleet, on: host)
        defer { endSlowProbe(fleet, host: host) }
        return try await interrupt(fleet, ready: sleeping) { _ in arguments }
    }

    /// Kills the sleep of the `freebsd-version-slow` fault on `host`, when it started.
    static func endSlowProbe(_ fleet: SimulatedFleet, host: String) {
        let pidFile = fleet.state(host) + "/faults/freebsd-version-slow.pid"
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(pid, SIGKILL)
        }
    }

    @Test("jail create cut off mid-probe frees lock")
    func jailCreateLockReleased() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let run = try await Self.interruptMidProbe(
            fleet, on: "host01", arguments: ["jail", "create", "--all", "web"])

        #expect(run.status == 130, "\(run.standardError)")
        #expect(
            run.standardError.contains(
                "[host01] failed: jail create web: interrupted during step facts "
                    + "(last completed step: lock; nothing was changed before); it was stopped "
                    + "on the host with SIGTERM\n"),
            "\(run.standardError)")
        let lock = fleet.root("host01") + "/var/db/minijail-fleet/lock"
        #expect(!FileManager.default.fileExists(atPath: lock), "the host lock is left behind")
    }

    @Test("upgrade cut off mid-install stops the install and keeps the lock")
    func installInterrupted() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 1,
            setup: ["--skel", "14.1-RELEASE-p5", "--latest", "14.1-RELEASE-p6"])
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-slow", on: "host01", content: "60\n")
        let pidFile = fleet.state("host01") + "/faults/freebsd-update-slow.pid"
        let run = try await Self.interrupt(
            fleet, ready: { FileManager.default.fileExists(atPath: pidFile) }
        ) { _ in ["upgrade-skel", "--all"] }
        let install = try #require(
            pid_t(
                try String(contentsOfFile: pidFile, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(install, SIGKILL) }

        #expect(run.status == 130, "\(run.standardError)")
        let lock = fleet.root("host01") + "/var/db/minijail-fleet/lock"
        #expect(
            run.standardError.contains(
                "; it was stopped on the host with SIGTERM; the host lock \(lock) stays because "
                    + "that step may have left the host part-way, and the next run from this "
                    + "machine removes it once this process has ended\n"),
            "\(run.standardError)")
        #expect(!Self.isRunning(install))
        #expect(FileManager.default.fileExists(atPath: lock))
    }

    @Test("interrupted run marks its summary")
    func summaryInterrupted() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let folder = fleet.directory + "/reports"
        let run = try await Self.interrupt(fleet, started: 1) { mark in
            [
                "exec", "--all", "--forks", "1", "--report-dir", folder, "--",
                "\(mark); exec sleep 60",
            ]
        }

        #expect(run.status == 130, "\(run.standardError)")
        let summary = try String(contentsOfFile: folder + "/summary.json", encoding: .utf8)
        #expect(summary.contains("\"exitStatus\" : 130"), "\(summary)")
        #expect(summary.contains("\"interrupted\" : true"), "\(summary)")
    }

    @Test("interrupt keeps another run's stale lock")
    func staleLockKept() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        // A lock of a gone process on this machine: the run probes facts to break it.
        let lock = fleet.root("host01") + "/var/db/minijail-fleet/lock"
        try FileManager.default.createDirectory(atPath: lock, withIntermediateDirectories: true)
        let owner =
            "run=20200101T000000Z-0\ncontroller=\(ProcessInfo.processInfo.hostName)\n"
            + "pid=4194303\nstarted=1577836800\n"
        try owner.write(toFile: lock + "/owner", atomically: true, encoding: .utf8)
        let run = try await Self.interruptMidProbe(
            fleet, on: "host01", arguments: ["jail", "create", "--all", "web"])

        #expect(run.status == 130, "\(run.standardError)")
        // The run never took the lock, so it neither releases it nor reports failing to.
        #expect(
            run.standardError.contains(
                "[host01] failed: jail create web: interrupted during step facts "
                    + "(last completed step: none; nothing was changed before); it was stopped "
                    + "on the host with SIGTERM\n"),
            "\(run.standardError)")
        #expect(try String(contentsOfFile: lock + "/owner", encoding: .utf8) == owner)
    }

    @Test("interrupted report host is not unreachable")
    func reportInterruptedCounts() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        // With one host at a time, host01 is read before host02 starts its slow probe.
        let junit = fleet.directory + "/report.xml"
        let run = try await Self.interruptMidProbe(
            fleet, on: "host02", arguments: ["report", "--all", "--forks", "1", "--junit", junit])

        #expect(run.status == 130, "\(run.standardError)")
        #expect(
            run.standardOutput.contains(
                "REPORT 2 hosts: 1 reachable, 0 unreachable, 1 interrupted, 0 warnings\n"),
            "\(run.standardOutput)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<skipped message=\"interrupted while reading facts\""), "\(xml)")
        #expect(!xml.contains("<error "), "\(xml)")
    }

    @Test("host lost mid-probe names its lock")
    func lostHostLock() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let sleeping = try Self.slowProbe(fleet, on: "host01")
        defer { Self.endSlowProbe(fleet, host: "host01") }
        let sshd = try String(
            contentsOfFile: fleet.directory + "/host01/sshd.pid", encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        // Killing the connection's sshd processes loses the host; the run then ends by
        // itself, so the SIGINT the helper sends afterwards finds it gone.
        let run = try await Self.interrupt(
            fleet,
            ready: {
                guard sleeping() else { return false }
                let children =
                    (try? String(
                        contentsOfFile: "/proc/\(sshd)/task/\(sshd)/children", encoding: .utf8))
                    ?? ""
                for child in children.split(separator: " ").compactMap({ pid_t($0) }) {
                    kill(child, SIGKILL)
                }
                return false
            }
        ) { _ in ["jail", "create", "--all", "web"] }

        #expect(run.status == 1, "\(run.standardError)")
        let lock = fleet.root("host01") + "/var/db/minijail-fleet/lock"
        #expect(
            run.standardError.contains(
                "; the host lock \(lock) stays because the connection was lost, and the next "
                    + "run from this machine removes it once this process has ended\n"),
            "\(run.standardError)")
    }

    @Test("interrupted playbook marks its play summary")
    func playbookSummaryInterrupted() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let sleeping = try Self.slowProbe(fleet, on: "host01")
        defer { Self.endSlowProbe(fleet, host: "host01") }
        let playbook = try PlaybookRunTests.playbook(
            fleet,
            """
            - name: nightly
              hosts: all
              tasks:
                - report: {}
            """)
        let folder = fleet.directory + "/reports"
        let run = try await Self.interrupt(
            fleet, ready: sleeping
        ) { _ in ["run", playbook, "--report-dir", folder] }

        #expect(run.status == 130, "\(run.standardError)")
        let summary = try String(
            contentsOfFile: folder + "/play-1/summary.json", encoding: .utf8)
        #expect(summary.contains("\"exitStatus\" : 130"), "\(summary)")
        #expect(summary.contains("\"interrupted\" : true"), "\(summary)")
    }
}
