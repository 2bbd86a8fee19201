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
}
