import Testing

@testable import FleetSSH

@Suite("keepalive schedule")
struct KeepaliveMonitorTests {
    private static let start = ContinuousClock.now

    private static func at(_ seconds: Double) -> ContinuousClock.Instant {
        start.advanced(by: .milliseconds(Int((seconds * 1000).rounded())))
    }

    @Test("silent peer dead after count keepalives")
    func silentPeer() {
        var monitor = KeepaliveMonitor(interval: .seconds(1), countMax: 2, now: Self.at(0))
        let quiet = Self.at(0)
        #expect(monitor.check(now: Self.at(0.5), lastReceived: quiet) == .wait(until: Self.at(1)))
        #expect(monitor.check(now: Self.at(1), lastReceived: quiet) == .send(nextCheck: Self.at(2)))
        monitor.sent(at: Self.at(1))
        #expect(monitor.check(now: Self.at(1.5), lastReceived: quiet) == .wait(until: Self.at(2)))
        #expect(monitor.check(now: Self.at(2), lastReceived: quiet) == .send(nextCheck: Self.at(3)))
        monitor.sent(at: Self.at(2))
        #expect(monitor.unanswered == 2)
        #expect(monitor.check(now: Self.at(2.9), lastReceived: quiet) == .wait(until: Self.at(3)))
        #expect(monitor.check(now: Self.at(3), lastReceived: quiet) == .dead)
    }

    @Test("any byte replies to keepalives")
    func answered() {
        var monitor = KeepaliveMonitor(interval: .seconds(1), countMax: 2, now: Self.at(0))
        #expect(
            monitor.check(now: Self.at(1), lastReceived: Self.at(0)) == .send(nextCheck: Self.at(2))
        )
        monitor.sent(at: Self.at(1))
        #expect(
            monitor.check(now: Self.at(2), lastReceived: Self.at(0)) == .send(nextCheck: Self.at(3))
        )
        monitor.sent(at: Self.at(2))
        // The reply to the second keepalive arrives at once, so the count starts again and
        // the next keepalive waits for an interval of silence after that reply.
        let reply = Self.at(2.01)
        #expect(monitor.check(now: Self.at(3), lastReceived: reply) == .wait(until: Self.at(3.01)))
        #expect(
            monitor.check(now: Self.at(3.01), lastReceived: reply)
                == .send(nextCheck: Self.at(4.01)))
        #expect(monitor.unanswered == 0)
        monitor.sent(at: Self.at(3.01))
        #expect(monitor.unanswered == 1)
    }

    @Test("data flowing sends no keepalive")
    func busyPeer() {
        var monitor = KeepaliveMonitor(interval: .seconds(1), countMax: 1, now: Self.at(0))
        for step in 1...10 {
            let now = Self.at(Double(step) * 0.5)
            let received = Self.at(Double(step) * 0.5 - 0.1)
            #expect(
                monitor.check(now: now, lastReceived: received)
                    == .wait(until: Self.at(Double(step) * 0.5 + 0.9)))
        }
    }

    @Test("restart forgets silence between operations")
    func restart() {
        var monitor = KeepaliveMonitor(interval: .seconds(1), countMax: 1, now: Self.at(0))
        monitor.sent(at: Self.at(1))
        monitor.restart(now: Self.at(60))
        #expect(monitor.unanswered == 0)
        #expect(
            monitor.check(now: Self.at(60), lastReceived: Self.at(0)) == .wait(until: Self.at(61)))
        #expect(
            monitor.check(now: Self.at(61), lastReceived: Self.at(0))
                == .send(nextCheck: Self.at(62)))
    }
}
