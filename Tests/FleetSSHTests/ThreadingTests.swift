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
        let flag = fleet.directory + "/second-connection-ran"
        let (first, second) = try await SSHConnection.onHostThread {
            () async throws -> (CommandResult, CommandResult) in
            let connection = try await SSHConnection.open(target)
            // The unstructured task keeps the thread local but not the executor preference.
            // Sharing the first connection's thread, it could only run after the first
            // command, which waits for it, gave up.
            let other = Task {
                let connection = try await SSHConnection.open(target)
                let result = try await connection.run("touch " + flag)
                await connection.close()
                return result
            }
            let waiting = try await connection.run(
                "i=0; while [ ! -e \(flag) ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done;"
                    + " test -e \(flag)")
            await connection.close()
            return (waiting, try await other.value)
        }
        #expect(second.outcome == .exited(0))
        #expect(first.outcome == .exited(0))
    }

    @Test("connection outliving its host thread")
    func connectionOutlivesHostThread() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let target = fleet.target()
        let flag = fleet.directory + "/next-host-ran"
        let outliving = try await SSHConnection.onHostThread {
            try await SSHConnection.open(target)
        }
        let waiting = Task {
            try await outliving.run(
                "i=0; while [ ! -e \(flag) ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done;"
                    + " test -e \(flag)")
        }
        try await Task.sleep(for: .milliseconds(300))

        // Idle threads are taken last in, first out. Had the thread gone back to the idle
        // threads when `onHostThread` returned, the next host would get it, and its code
        // could only run after the command above, which waits for it, gave up.
        try await SSHConnection.onHostThread {
            let connection = try await SSHConnection.open(target)
            try await connection.run("touch " + flag)
            await connection.close()
        }

        #expect(try await waiting.value.outcome == .exited(0))
        #expect(try await outliving.run("echo again").stdout.text == "again\n")
        await outliving.close()
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
