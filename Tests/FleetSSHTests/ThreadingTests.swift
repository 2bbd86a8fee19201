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
        // the cooperative pool would starve the ticker below for the whole 30 s deadline.
        let stalled = (0..<8).map { index in
            SSHTarget(
                name: "stalled\(index)", address: silent.address, port: silent.port, user: "root",
                knownHostsFile: fleet.knownHosts, connectTimeout: .seconds(30))
        }

        let run = Task { await SSHFleet.run(stalled, forks: 8) { _ in } }
        var worstTick = Duration.zero
        var ticks = 0
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(2) {
            let before = ContinuousClock.now
            try await Task.sleep(for: .milliseconds(10))
            worstTick = max(worstTick, ContinuousClock.now - before)
            ticks += 1
        }
        run.cancel()
        let states = await run.value

        #expect(states.allSatisfy { $0.state == .cancelled })
        #expect(ticks >= 1)
        // A blocked pool would hold the first tick for the whole 30 s deadline. The margin
        // below that is for a busy machine, where CPU-bound tests elsewhere in the run also
        // delay every tick.
        #expect(worstTick < .seconds(5))
    }
}
