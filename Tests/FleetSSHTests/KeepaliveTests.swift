import FleetSSH
import Foundation
import Testing

@Suite("keepalives against real sshd", .serialized)
struct KeepaliveTests {
    @Test("stopped peer ends the host, other hosts finish")
    func stoppedPeer() async throws {
        let fleet = try await TestFleet.start(count: 2)
        defer { fleet.stop() }
        let targets = (0..<2).map { index in
            var target = fleet.target(index)
            target.keepaliveInterval = .seconds(1)
            target.keepaliveCountMax = 2
            target.commandTimeout = .seconds(25)
            return target
        }

        // The login shell's parent is the sshd session process of this connection. Stopping
        // it leaves the TCP connection open while nothing replies. The background job
        // resumes it after 8 s, so no process stays stopped once the test is over.
        let stopOwnSession = "p=$PPID; (sleep 8; kill -CONT $p) & kill -STOP $p; sleep 15"
        let results = await SSHFleet.run(targets) { connection in
            if connection.target.name == "host01" {
                try await connection.run(stopOwnSession)
            } else {
                try await connection.run("sleep 4; echo done")
            }
        }

        guard case .unreachable(.noResponse, let error) = results[0].state else {
            Issue.record("expected host01 to stop responding, got \(results[0].state)")
            return
        }
        #expect(error.phase == .command)
        #expect(error.reason == .keepalivesUnanswered(count: 2, interval: .seconds(1)))
        #expect(
            SSHErrorRenderer.message(for: error)
                == "command on \(error.endpoint) stopped: no reply to 2 keepalives in 2 s; "
                + "check that the host is up and reachable")
        // Three quiet seconds to give up. The socket is then shut down, so freeing the channel
        // and disconnecting do not wait. The rest is slack for a loaded machine, and all of it
        // stays far below the 25 s command timeout.
        #expect(results[0].duration < .seconds(6), "host01 took \(results[0].duration)")
        #expect(results[1].state == .ok)
        #expect(results[1].commands.first?.stdout.text == "done\n")
    }

    @Test("later commands on a lost peer fail at once")
    func laterCommands() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.keepaliveInterval = .seconds(1)
        target.keepaliveCountMax = 1
        let connection = try await SSHConnection.open(target)
        let expected = SSHError(
            host: "host01", endpoint: target.endpoint, phase: .command,
            reason: .keepalivesUnanswered(count: 1, interval: .seconds(1)))

        await #expect(throws: expected) {
            try await connection.run("p=$PPID; (sleep 6; kill -CONT $p) & kill -STOP $p; sleep 8")
        }
        let start = ContinuousClock.now
        await #expect(throws: expected) {
            try await connection.run("true")
        }
        await #expect(throws: expected) {
            try await connection.upload([1], to: "file", mode: 0o644)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
        await connection.close()
    }

    @Test("silent command on a healthy host is not ended")
    func quietCommand() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.keepaliveInterval = .seconds(1)
        target.keepaliveCountMax = 2
        let connection = try await SSHConnection.open(target)
        // Six seconds without output is twice the time after which an unanswered peer
        // counts as dead, so only the keepalive replies keep this command alive.
        let result = try await connection.run("sleep 6; echo awake")
        #expect(result.outcome == .exited(0))
        #expect(result.stdout.text == "awake\n")
        await connection.close()
    }

    @Test("pause between commands is not silence")
    func pauseBetweenCommands() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.keepaliveInterval = .seconds(1)
        target.keepaliveCountMax = 1
        let connection = try await SSHConnection.open(target)
        #expect(try await connection.run("echo one").stdout.text == "one\n")
        try await Task.sleep(for: .seconds(3))
        #expect(try await connection.run("echo two").stdout.text == "two\n")
        await connection.close()
    }
}
