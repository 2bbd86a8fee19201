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

    @Test("a second connection on a host thread waits for no other")
    func secondConnectionOwnThread() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let target = fleet.target()
        let order = try await SSHConnection.onHostThread {
            () async throws -> [String] in
            let first = try await SSHConnection.open(target)
            // The unstructured task keeps the thread local but not the executor preference,
            // so only a shared thread could hold the second connection behind the sleep.
            let second = Task {
                let connection = try await SSHConnection.open(target)
                let result = try await connection.run("echo second")
                let finished = ContinuousClock.now
                await connection.close()
                return (result, finished)
            }
            let slow = try await first.run("sleep 2; echo first")
            let slowFinished = ContinuousClock.now
            let (fast, fastFinished) = try await second.value
            await first.close()
            #expect(slow.outcome == .exited(0))
            #expect(fast.outcome == .exited(0))
            return fastFinished < slowFinished ? ["second", "first"] : ["first", "second"]
        }
        #expect(order == ["second", "first"])
    }

    @Test("connections on one host thread in turn")
    func connectionsInTurn() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let target = fleet.target()
        let outputs = try await SSHConnection.onHostThread { () async throws -> [String] in
            var outputs: [String] = []
            for index in 0..<3 {
                let connection = try await SSHConnection.open(target)
                let result = try await connection.run("echo \(index)")
                outputs.append(result.stdout.text)
                await connection.close()
            }
            return outputs
        }
        #expect(outputs == ["0\n", "1\n", "2\n"])
    }
}
