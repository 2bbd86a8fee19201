import FleetCLI
import Foundation
import Testing

@Suite("exec command_timeout", .serialized)
struct ExecTimeoutTests {
    @Test("timed-out host names the setting")
    func namesSetting() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let original = try String(contentsOfFile: fleet.inventory, encoding: .utf8)
        #expect(original.contains("  vars:\n"))
        let inventory = fleet.directory + "/timeout.yml"
        let text = original.replacingOccurrences(
            of: "  vars:\n", with: "  vars:\n    command_timeout: 1\n")
        try text.write(toFile: inventory, atomically: true, encoding: .utf8)

        let run = await CLIRun.run(
            ["-i", inventory, "exec", "--all", "--", "echo start; sleep 30"],
            environment: ["HOME": fleet.directory])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardOutput.contains("[host01] start\n"), "\(run.standardOutput)")
        #expect(
            run.standardError
                == "[host01] timed-out: command timed out after 1 s; it was stopped on the "
                + "host with SIGTERM; raise command_timeout in the inventory, or set it to 0 "
                + "for no limit\n")
        #expect(
            run.standardOutput.contains(
                "RECAP 1 host: 0 ok, 0 changed, 0 failed, 0 unreachable, 1 timed out, "
                    + "0 not attempted\n"), "\(run.standardOutput)")
    }
}
