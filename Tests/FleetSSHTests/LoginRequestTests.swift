import FleetSSH
import Foundation
import Testing

@Suite("requests a login sends, as sshd logs them")
struct LoginRequestTests {
    /// Counts the occurrences of `text` in what host01's sshd logged at LogLevel DEBUG.
    private func count(_ text: String, in fleet: TestFleet) throws -> Int {
        let log = try String(contentsOfFile: fleet.directory + "/host01/sshd.log", encoding: .utf8)
        return log.components(separatedBy: text).count - 1
    }

    /// Counts the keepalive requests host01's sshd logged.
    private func keepalives(in fleet: TestFleet) throws -> Int {
        try count("rtype keepalive@libssh2.org", in: fleet)
    }

    @Test("first keepalive waits one interval")
    func firstKeepaliveWaits() async throws {
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_LOG_LEVEL": "DEBUG"])
        defer { fleet.stop() }
        var target = fleet.target()
        target.keepaliveInterval = .seconds(1)
        let connection = try await SSHConnection.open(target)

        #expect(try await connection.run("true").outcome == .exited(0))
        #expect(try await connection.run("true").outcome == .exited(0))
        #expect(try keepalives(in: fleet) == 0)

        #expect(try await connection.run("sleep 2.5").outcome == .exited(0))
        await connection.close()
        #expect(try keepalives(in: fleet) >= 1)
    }

    @Test("key goes before the method list")
    func keyBeforeMethodList() async throws {
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_LOG_LEVEL": "DEBUG"])
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        await connection.close()
        #expect(try count("method publickey", in: fleet) >= 1)
        #expect(try count("method none", in: fleet) == 0)
    }
}
