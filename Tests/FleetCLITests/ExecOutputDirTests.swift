import FleetCLI
import Foundation
import Testing

@Suite("exec --output-dir", .serialized)
struct ExecOutputDirTests {
    @Test("file keeps every byte, marker names it")
    func fullCopy() async throws {
        let fleet = try SimulatedFleet(count: 2)
        defer { fleet.stop() }
        let folder = fleet.directory + "/out"
        // 1,500,000 bytes: more than the 1 MiB a host's output keeps for the screen.
        let run = await fleet.run([
            "exec", "--all", "--output-dir", folder, "--", "yes abcdefghi | head -c 1500000",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let copy = try String(contentsOfFile: folder + "/host01.out", encoding: .utf8)
        #expect(copy == String(repeating: "abcdefghi\n", count: 150_000))
        let errors = try String(contentsOfFile: folder + "/host02.err", encoding: .utf8)
        #expect(errors.isEmpty)
        let dropped = 1_500_000 - (1 << 20)
        #expect(
            run.standardOutput.contains(
                "[host01] [... \(dropped) bytes not shown; all the output is in "
                    + "\(folder)/host01.out ...]\n"))
    }

    @Test("unwritable file warns, host still ok")
    func unwritableCopy() async throws {
        let fleet = try SimulatedFleet(count: 1)
        defer { fleet.stop() }
        let folder = fleet.directory + "/out"
        try FileManager.default.createDirectory(
            atPath: folder + "/host01.out", withIntermediateDirectories: true)
        let run = await fleet.run(["exec", "--all", "--output-dir", folder, "--", "echo hi"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("[host01] hi\n"))
        #expect(
            run.standardError.contains(
                "[host01] warning: cannot write \(folder)/host01.out: Is a directory; "
                    + "the file is incomplete\n"), "\(run.standardError)")
    }
}
