import FleetSSH
import Foundation
import Testing

/// Commands on the paramiko server of `fleet.sh peer scripted`, which behaves in ways
/// OpenSSH's sshd never does. Its command words are listed in Tests/fleet/scripted-sshd.py.
@Suite("commands on a misbehaving SSH server")
struct ScriptedPeerTests {
    /// Starts a one-host fleet and its scripted peer, and connects to the peer.
    private static func connect(
        _ body: (SSHConnection) async throws -> Void
    ) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer("scripted")
        var target = fleet.target(checking: .off)
        target.address = peer.address
        target.port = peer.port
        let connection = try await SSHConnection.open(target)
        try await body(connection)
        await connection.close()
    }

    @Test(
        "a channel closed with or without an exit status",
        arguments: [
            ("exit 0", CommandOutcome.exited(0)),
            ("exit 7", .exited(7)),
            ("no-status", .noExitStatus),
        ])
    func exitStatus(command: String, outcome: CommandOutcome) async throws {
        // OpenSSH's sshd always sends an exit status or signal, so only this server can
        // close a channel without one.
        try await Self.connect { connection in
            let result = try await connection.run(command)
            #expect(result.outcome == outcome)
            #expect(result.stdout.text == "out\n")
        }
    }

    @Test(
        "extended data of another type ends normally",
        arguments: [("extended 1", "extra\n"), ("extended 2", ""), ("extended 77", "")])
    func otherExtendedData(command: String, stderr: String) async throws {
        try await Self.connect { connection in
            let result = try await connection.run(command, timeout: .seconds(10))
            #expect(result.outcome == .exited(0))
            #expect(result.stdout.text == "out\n")
            #expect(result.stderr.text == stderr)
            #expect(result.duration < .seconds(5))
            #expect(try await connection.run("exit 0").outcome == .exited(0))
        }
    }

    @Test(
        "lost connection is named",
        arguments: [
            ("disconnect", SSHFailure.disconnectedByServer(message: "scripted goodbye")),
            ("drop", .closedByPeer),
        ])
    func lostConnection(command: String, reason: SSHFailure) async throws {
        try await Self.connect { connection in
            let result = try await connection.run(command, timeout: .seconds(10))
            #expect(result.outcome == .noExitStatus)
            #expect(result.lostConnection?.reason == reason)
            #expect(result.lostConnection?.phase == .command)

            let next = await #expect(throws: SSHError.self) {
                try await connection.run("exit 0", timeout: .seconds(10))
            }
            #expect(next?.reason == reason)
        }
    }

    @Test("lost connection messages")
    func lostConnectionMessages() {
        let endpoint = "127.0.0.1:2222"
        let goodbye = SSHError(
            host: "web1", endpoint: endpoint, phase: .command,
            reason: .disconnectedByServer(message: "scripted goodbye"))
        #expect(
            SSHErrorRenderer.message(for: goodbye)
                == "command on 127.0.0.1:2222 stopped: the server disconnected with the message "
                + "\"scripted goodbye\"; check the host's sshd log")
        let silent = SSHError(
            host: "web1", endpoint: endpoint, phase: .command,
            reason: .disconnectedByServer(message: ""))
        #expect(
            SSHErrorRenderer.message(for: silent)
                == "command on 127.0.0.1:2222 stopped: the server disconnected with no message; "
                + "check the host's sshd log")
        let dropped = SSHError(
            host: "web1", endpoint: endpoint, phase: .command, reason: .closedByPeer)
        #expect(
            SSHErrorRenderer.message(for: dropped)
                == "command on 127.0.0.1:2222 stopped: the server closed the connection; "
                + "check that the host is up and read its sshd log")
    }

    @Test("rejected exec request is named")
    func rejectedExec() async throws {
        try await Self.connect { connection in
            let rejected = await #expect(throws: SSHError.self) {
                try await connection.run("reject-exec", timeout: .seconds(10))
            }
            #expect(rejected?.reason == .execRejected)
            let next = try await connection.run("exit 0")
            #expect(next.outcome == .exited(0))
        }
    }

    @Test("rejected session channel is named")
    func rejectedChannel() async throws {
        try await Self.connect { connection in
            let first = try await connection.run("reject-channels")
            #expect(first.outcome == .exited(0))
            let rejected = await #expect(throws: SSHError.self) {
                try await connection.run("exit 0", timeout: .seconds(10))
            }
            #expect(rejected?.reason == .channelRejected(reason: "administratively prohibited"))
        }
    }

    @Test("rejection messages")
    func rejectionMessages() {
        let exec = SSHError(
            host: "web1", endpoint: "127.0.0.1:2222", phase: .command, reason: .execRejected)
        #expect(
            SSHErrorRenderer.message(for: exec)
                == "command on 127.0.0.1:2222 not run: the server rejected the exec request; "
                + "check ForceCommand and Match blocks in the host's sshd_config, and its log")
        let channel = SSHError(
            host: "web1", endpoint: "127.0.0.1:2222", phase: .channel,
            reason: .channelRejected(reason: "administratively prohibited"))
        #expect(
            SSHErrorRenderer.message(for: channel)
                == "opening a channel on 127.0.0.1:2222 failed: the server rejected the session "
                + "channel (administratively prohibited); check MaxSessions in the host's "
                + "sshd_config, and its log")
    }

    @Test(
        "unusual message order keeps outcome",
        arguments: [
            ("close-no-eof 6", CommandOutcome.exited(6), "out\n"),
            ("status-after-eof 4", .exited(4), "out\n"),
            ("data-after-status 5", .exited(5), "out\nlate\n"),
            ("signal SEGV", .signaled("SEGV"), "out\n"),
            ("exit 256", .exited(256), "out\n"),
        ])
    func messageOrder(command: String, outcome: CommandOutcome, stdout: String) async throws {
        try await Self.connect { connection in
            let result = try await connection.run(command, timeout: .seconds(10))
            #expect(result.outcome == outcome)
            #expect(result.stdout.text == stdout)
            #expect(result.duration < .seconds(5))
        }
    }

    @Test(
        "stalled server meets the timeout",
        arguments: [
            // The server never replies to the exec request.
            ("no-reply", 0),
            // The server never adjusts the window, so 4 MiB of stdin cannot all be written.
            ("no-window", 4 << 20),
        ])
    func stalled(command: String, stdinBytes: Int) async throws {
        try await Self.connect { connection in
            let result = try await connection.run(
                command, stdin: [UInt8](repeating: 0x61, count: stdinBytes),
                timeout: .seconds(2))
            #expect(result.outcome == .timedOut(after: .seconds(2)))
            // The stop after the timeout runs on a second channel, which this server opens
            // but never runs, so it gives up after its own 8 s.
            #expect(result.duration < .seconds(2 + 8 + 1))
            #expect(result.stop != nil)
            #expect(result.stop?.ended != true)
        }
    }
}
