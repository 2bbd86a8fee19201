import Foundation
import Testing

/// A jail or skel step that runs past `command_timeout` is stopped on its host before any
/// rollback. One that cannot be stopped is not rolled back and keeps the host lock.
@Suite("a step past its command_timeout", .serialized)
struct StepTimeoutTests {
    /// Starts a host with an update whose install sleeps 60 s, and returns it with an
    /// inventory whose command_timeout of 6 s leaves the steps before the install enough
    /// time on a busy machine.
    private static func slowInstall() async throws -> (SimulatedFleet, String) {
        let fleet = try await SimulatedFleet.start(
            count: 1,
            setup: [
                "--skel", "14.1-RELEASE-p5", "--jails", "web", "--running", "web", "--latest",
                "14.1-RELEASE-p6",
            ])
        try fleet.injectFault("freebsd-update-slow", on: "host01", content: "60\n")
        let original = try String(contentsOfFile: fleet.inventory, encoding: .utf8)
        let inventory = fleet.directory + "/timeout.yml"
        try original.replacingOccurrences(
            of: "  vars:\n", with: "  vars:\n    command_timeout: 6\n"
        ).write(toFile: inventory, atomically: true, encoding: .utf8)
        return (fleet, inventory)
    }

    /// Returns the pid the slow install wrote, or nil before it wrote one.
    private static func installPid(_ fleet: SimulatedFleet) -> Int32? {
        let file = fleet.state("host01") + "/faults/freebsd-update-slow.pid"
        let text = try? String(contentsOfFile: file, encoding: .utf8)
        return text.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Runs upgrade-skel with `inventory` and returns the run and the slow install's pid.
    private static func upgrade(_ fleet: SimulatedFleet, _ inventory: String) async throws
        -> (CLIRun, Int32)
    {
        let run = await CLIRun.run(
            ["-i", inventory, "upgrade-skel", "--all"], environment: ["HOME": fleet.directory])
        return (run, try #require(installPid(fleet)))
    }

    /// Returns the host lock's folder on host01.
    private static func lock(_ fleet: SimulatedFleet) -> String {
        fleet.root("host01") + "/var/db/minijail-fleet/lock"
    }

    @Test("a timed-out install is stopped, then rolled back")
    func stoppedAndRolledBack() async throws {
        let (fleet, inventory) = try await Self.slowInstall()
        defer { fleet.stop() }
        let (run, pid) = try await Self.upgrade(fleet, inventory)
        defer { kill(pid, SIGKILL) }
        #expect(run.status == 1)
        #expect(
            run.standardOutput.contains(
                "step install failed: timed out after 6 s; it was stopped on the host with "
                    + "SIGTERM; raise command_timeout in the inventory, or set it to 0 for no "
                    + "limit\n"), "\(run.standardOutput)")
        #expect(
            run.standardError.contains("rolled back: rollback-snapshot done"),
            "\(run.standardError)")
        #expect(!InterruptTests.isRunning(pid))
        #expect(!FileManager.default.fileExists(atPath: Self.lock(fleet)))
    }

    @Test("unstoppable install keeps the lock")
    func notStoppedKeepsLock() async throws {
        let (fleet, inventory) = try await Self.slowInstall()
        defer { fleet.stop() }
        try fleet.injectFault("pgrep-missing", on: "host01")
        let (run, pid) = try await Self.upgrade(fleet, inventory)
        defer { kill(pid, SIGKILL) }
        #expect(run.status == 1)
        #expect(
            run.standardOutput.contains(
                "step install failed: timed out after 6 s; it may still run on the host: pgrep "
                    + "failed on the host: pgrep: not found; nothing was rolled back while it may "
                    + "still run; raise command_timeout in the inventory, or set it to 0 for no "
                    + "limit; the host lock "), "\(run.standardOutput)")
        #expect(
            !run.standardError.contains("rolled back: rollback-snapshot"), "\(run.standardError)")
        #expect(InterruptTests.isRunning(pid))
        #expect(FileManager.default.fileExists(atPath: Self.lock(fleet)))
    }
}
