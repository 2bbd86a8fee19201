import FleetSSH
import Foundation
import Testing

@Suite("threading model")
struct ThreadingTests {
    @Test("stalled hosts leave the cooperative pool free")
    func poolStaysFree() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let silent = try await fleet.peer("silent")
        // More stalled connections than this machine has cores, so a design that blocked
        // the cooperative pool would starve the ticker below.
        let stalled = (0..<8).map { index in
            SSHTarget(
                name: "stalled\(index)", address: silent.address, port: silent.port, user: "root",
                knownHostsFile: fleet.knownHosts, connectTimeout: .seconds(2))
        }

        async let results = SSHFleet.run(stalled, forks: 8) { _ in }
        var worstTick = Duration.zero
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(1500) {
            let before = ContinuousClock.now
            try await Task.sleep(for: .milliseconds(10))
            worstTick = max(worstTick, ContinuousClock.now - before)
        }
        let states = await results

        #expect(
            states.allSatisfy {
                if case .unreachable(.handshake, _) = $0.state { true } else { false }
            })
        // A 10 ms sleep that takes much longer would mean no pool thread was free.
        #expect(worstTick < .milliseconds(500))
    }
}
