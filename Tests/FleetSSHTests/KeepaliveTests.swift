import FleetSSH
import Foundation
import Testing

@Suite("keepalives against real sshd", .serialized)
struct KeepaliveTests {
    /// The fleet's host `index` with keepalives every `interval` and at most `countMax`
    /// unanswered.
    static func target(
        _ fleet: TestFleet, _ index: Int = 0, interval: Duration, countMax: Int
    ) -> SSHTarget {
        var target = fleet.target(index)
        target.keepaliveInterval = interval
        target.keepaliveCountMax = countMax
        return target
    }

    @Test("stopped peer ends the host, other hosts finish")
    func stoppedPeer() async throws {
        let fleet = try await TestFleet.start(count: 2)
        defer { fleet.stop() }
        let targets = (0..<2).map { index in
            var target = Self.target(fleet, index, interval: .seconds(2), countMax: 2)
            target.commandTimeout = .seconds(25)
            return target
        }

        // The login shell's parent is the sshd session process of this connection. Stopping
        // it leaves the TCP connection open while nothing replies. The background job
        // resumes it after 14 s, so no process stays stopped once the test is over.
        let stopOwnSession = "p=$PPID; (sleep 14; kill -CONT $p) & kill -STOP $p; sleep 20"
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
        #expect(error.reason == .keepalivesUnanswered(count: 2, interval: .seconds(2)))
        #expect(
            SSHErrorRenderer.message(for: error)
                == "command on \(error.endpoint) stopped: no reply to 2 keepalives in 4 s; "
                + "check that the host is up and reachable")
        // Six quiet seconds to give up. The socket is then shut down, so freeing the channel
        // and disconnecting do not wait. The rest is slack for a loaded machine, and all of it
        // stays below the 14 s after which the peer would reply again.
        #expect(results[0].duration < .seconds(12), "host01 took \(results[0].duration)")
        #expect(results[1].state == .ok)
        #expect(results[1].commands.first?.stdout.text == "done\n")
    }

    @Test("later commands on a lost peer fail at once")
    func laterCommands() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let target = Self.target(fleet, interval: .seconds(2), countMax: 1)
        let connection = try await SSHConnection.open(target)
        let expected = SSHError(
            host: "host01", endpoint: target.endpoint, phase: .command,
            reason: .keepalivesUnanswered(count: 1, interval: .seconds(2)))

        await #expect(throws: expected) {
            try await connection.run("p=$PPID; (sleep 10; kill -CONT $p) & kill -STOP $p; sleep 12")
        }
        let start = ContinuousClock.now
        await #expect(throws: expected) {
            try await connection.run("true")
        }
        await #expect(throws: expected) {
            try await connection.upload([1], to: "file", mode: 0o644)
        }
        // Each call that waited for the peer again would take a 2 s keepalive interval. The
        // full suite on a busy machine has taken just over 1 s for both calls.
        #expect(ContinuousClock.now - start < .seconds(3))
        await connection.close()
    }

    @Test("silent command on a healthy host is not ended")
    func quietCommand() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let target = Self.target(fleet, interval: .seconds(2), countMax: 2)
        let connection = try await SSHConnection.open(target)
        // Nine seconds without output is longer than the 6 s after which an unanswered peer
        // counts as dead, so only the keepalive replies keep this command alive.
        let result = try await connection.run("sleep 9; echo awake")
        #expect(result.outcome == .exited(0))
        #expect(result.stdout.text == "awake\n")
        await connection.close()
    }

    @Test("pause between commands is not silence")
    func pauseBetweenCommands() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let target = Self.target(fleet, interval: .seconds(2), countMax: 1)
        let connection = try await SSHConnection.open(target)
        #expect(try await connection.run("echo one").stdout.text == "one\n")
        try await Task.sleep(for: .seconds(5))
        #expect(try await connection.run("echo two").stdout.text == "two\n")
        await connection.close()
    }
}
