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

    @Test("exec stops, prints recap, exits 130")
    func execInterrupted() async throws {
        let fleet = try SimulatedFleet(count: 4)
        defer { fleet.stop() }
        // Each started command leaves a file named by its pid.
        let marks = fleet.directory + "/started"
        try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
        defer {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
            for pid in pids.compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try UpgradeSkelTests.toolPath())
        process.arguments = [
            "-i", fleet.inventory, "exec", "--all", "--forks", "2", "--",
            "touch \(marks)/$$; exec sleep 60",
        ]
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
            let started = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
            if started.count >= 2 || !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let interruptedAt = ContinuousClock.now
        kill(process.processIdentifier, SIGINT)
        let standardOutput = String(
            decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let standardError = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(ContinuousClock.now - interruptedAt < .seconds(10))
        #expect(process.terminationStatus == 130, "\(standardError)")
        #expect(
            standardError.contains("interrupted: no new host starts; waiting for hosts in flight"))
        #expect(
            standardOutput.contains(
                "RECAP 4 hosts: 0 ok, 0 changed, 2 failed, 0 unreachable, 0 timed out, "
                    + "2 not attempted\n"), "\(standardOutput)")
        let cutShort = standardOutput.split(separator: "\n").filter {
            $0.contains(" failed ") && $0.contains("interrupted: command on ")
        }
        #expect(cutShort.count == 2, "\(standardOutput)")
    }
    @Test("cut-short exec still warns of its file")
    func outputDirWarning() async throws {
        let fleet = try SimulatedFleet(count: 1)
        defer { fleet.stop() }
        let folder = fleet.directory + "/out"
        // A folder where the host's .out file should go makes that file fail to open.
        try FileManager.default.createDirectory(
            atPath: folder + "/host01.out", withIntermediateDirectories: true)
        let marks = fleet.directory + "/started"
        try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
        defer {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
            for pid in pids.compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try UpgradeSkelTests.toolPath())
        process.arguments = [
            "-i", fleet.inventory, "exec", "--all", "--output-dir", folder, "--",
            "echo hi; touch \(marks)/$$; exec sleep 60",
        ]
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
            let started = (try? FileManager.default.contentsOfDirectory(atPath: marks)) ?? []
            if !started.isEmpty || !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.processIdentifier, SIGINT)
        let standardOutput = String(
            decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let standardError = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 130, "\(standardError)")
        #expect(standardOutput.contains("[host01] hi\n"), "\(standardOutput)")
        #expect(
            standardError.contains(
                "[host01] warning: cannot write \(folder)/host01.out: Is a directory; "
                    + "the file is incomplete\n"), "\(standardError)")
        #expect(standardError.contains("[host01] failed: interrupted: command on "))
    }
}
