import FleetJails
import FleetOps
import FleetRun
import Foundation
import Testing

/// A shell that runs scripts on a simulated host, except that call `timedOutCall` returns
/// a timeout with `stop` as the stop's result and runs nothing.
private struct TimingOutShell: RemoteShell {
    let host: SimulatedHost
    let timedOutCall: Int
    let stop: String
    let stopped: Bool
    let calls = CallCounter()

    func run(_ script: String) async throws -> RemoteResult {
        guard calls.next() == timedOutCall else { return try await host.run(script) }
        return RemoteResult(
            outcome: .timedOut(seconds: 1, stop: stop, stopped: stopped), stdout: "",
            stderr: "", seconds: 1)
    }
}

@Suite("A step cut off by its timeout")
struct TimedOutStepTests {
    @Test(
        "rollbacks and unlock wait for a stopped step",
        arguments: [
            ("it may still run on the host: pgrep is not installed on the host", false),
            ("it was stopped on the host with SIGTERM", true),
        ])
    func stepStillRunning(stop: String, stopped: Bool) async throws {
        let host = try SimulatedHost(["--skel", "14.1-RELEASE-p5"])
        defer { host.remove() }
        // Calls 0 and 1 take the lock and read the facts, so call 3 is the second step.
        let shell = TimingOutShell(host: host, timedOutCall: 3, stop: stop, stopped: stopped)
        let runner = OperationRunner(
            shell: shell,
            context: JobContext(
                host: "sim", settings: try host.settings(), runID: "r1", controller: "ctl",
                checkOnly: false))
        let outcome = await runner.run(.jailCreate(try JailName("web")))
        let reason = outcome.reason ?? ""
        let names = outcome.steps.map(\.name)
        let lock = host.fsroot + "/var/db/minijail-fleet/lock"

        #expect(outcome.state == .failed, "\(reason)")
        #expect(reason.contains(stop), "\(reason)")
        #expect(names.last == (stopped ? "unlock" : names[3]), "\(names)")
        #expect(FileManager.default.fileExists(atPath: lock) == !stopped)
        if !stopped {
            #expect(
                reason.hasSuffix(
                    "; nothing was rolled back while it may still run; raise command_timeout "
                        + "in the inventory, or set it to 0 for no limit; the host lock \(lock) "
                        + "stays because step \(names[3]) may still run on the host; make sure "
                        + "it has ended before the next run from this machine, which removes the "
                        + "lock once this process has ended"),
                "\(reason)")
        }
    }
}
