@testable import FleetSSH
import Foundation
import Testing

@Suite("stopping a cut-off command")
struct RemoteStopTests {
    @Test(
        "the stop script's exit status",
        arguments: [
            (Int32?.some(0), "", RemoteStop.terminated),
            (10, "", .killed),
            (4, "", .stillRunning),
            (
                3, "sh: pgrep: not found\n",
                .notSignalled("pgrep failed on the host: sh: pgrep: not found")
            ),
            (
                5, "",
                .notSignalled(
                    "its shell had exited, so its process group could not be found; "
                        + "look for processes it left in the background")
            ),
            (
                2, "sh: 1: Syntax error\nmore\n",
                .notSignalled("the stop command exited 2: sh: 1: Syntax error")
            ),
            (nil, "", .notSignalled("the stop command ended with no exit status")),
        ])
    func exitStatus(status: Int32?, errors: String, stop: RemoteStop) {
        #expect(SessionEngine.stop(status: status, errors: errors) == stop)
    }

    @Test("only SIGTERM and SIGKILL count as ended")
    func ended() {
        #expect(RemoteStop.terminated.ended)
        #expect(RemoteStop.killed.ended)
        #expect(!RemoteStop.stillRunning.ended)
        #expect(!RemoteStop.notSignalled("x").ended)
    }

    @Test(
        "stop script under each login shell",
        arguments: ["/bin/sh", "/bin/bash", "/bin/tcsh", "/bin/csh"].filter {
            FileManager.default.isExecutableFile(atPath: $0)
        })
    func loginShells(shell: String) async throws {
        // sshd runs a command as `SHELL -c COMMAND`. The outer sh plays the connection's
        // sshd. Its other child is a sleep in a group of its own, as every channel's command
        // is, and it must end. SIGTERM ends it (exit 0), or SIGKILL (exit 10) when the test
        // runner passed SIGTERM on as ignored. The script goes on stdin, as `RemoteScript`
        // sends it.
        let script = NSTemporaryDirectory() + "stop-" + UUID().uuidString
        try SessionEngine.stopScript().write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }

        let outer =
            "setsid sleep 60 >/dev/null 2>&1 & echo $!; \"$1\" -c \"$2\" <\"$3\"; echo $?"
        let arguments = ["-c", outer, "sh", shell, RemoteScript.commandLine, script]
        // The stop waits for the sleep to end, so the process runs off the cooperative pool,
        // whose few threads other tests' timing depends on.
        let (stdout, message) = try await TestFleet.offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            return (
                String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            )
        }

        let lines = stdout.split(separator: "\n")
        let sleeper = try #require(lines.first.flatMap { Int32($0) })
        defer { kill(sleeper, SIGKILL) }
        #expect(lines.last == "0" || lines.last == "10", "stderr: \(message)")
        #expect(try await TestProcess.ends(sleeper))
    }
}
