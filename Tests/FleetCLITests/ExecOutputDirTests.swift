import FleetCLI
import Foundation
import Testing

@Suite("exec --output-dir", .serialized)
struct ExecOutputDirTests {
    @Test("file keeps every byte, marker names it")
    func fullCopy() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
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

    @Test("unwritable file fails its host")
    func unwritableCopy() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let folder = fleet.directory + "/out"
        try FileManager.default.createDirectory(
            atPath: folder + "/host01.out", withIntermediateDirectories: true)
        let run = await fleet.run(["exec", "--all", "--output-dir", folder, "--", "echo hi"])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardOutput.contains("[host01] hi\n"))
        #expect(
            run.standardError.contains(
                "[host01] warning: cannot write \(folder)/host01.out: Is a directory; "
                    + "the file is incomplete\n"), "\(run.standardError)")
        #expect(
            run.standardError.contains(
                "[host01] failed: the command succeeded, but its output file is incomplete\n"))
        #expect(!run.standardError.contains("[host02]"), "\(run.standardError)")
        #expect(
            run.standardOutput.contains(
                "RECAP 2 hosts: 1 ok, 0 changed, 1 failed, 0 unreachable, 0 timed out, "
                    + "0 not attempted\n"), "\(run.standardOutput)")
    }

    @Test("plain file as folder is rejected first")
    func plainFileFolder() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("output-dir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Port 1 on loopback has no listener, so a host that was contacted would end
        // unreachable and the run would print its line.
        let inventory = folder + "/hosts.yml"
        try "all:\n  hosts:\n    host01:\n      address: 127.0.0.1\n      port: 1\n"
            .write(toFile: inventory, atomically: true, encoding: .utf8)
        let file = folder + "/out"
        try "".write(toFile: file, atomically: true, encoding: .utf8)

        let run = await CLIRun.run([
            "-i", inventory, "exec", "--all", "--output-dir", file, "--", "echo hi",
        ])
        #expect(run.status == 78, "\(run.standardError)")
        #expect(
            run.standardError
                == "error: cannot write '\(file)': access: Not a directory; check --output-dir\n")
        #expect(run.standardOutput.isEmpty, "\(run.standardOutput)")
    }

    @Test("file is closed when its host ends")
    func closedAfterHost() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        let folder = fleet.directory + "/out"
        // The hosts' sshd runs on this machine, so each command can list the descriptors of
        // this process. Hosts run one at a time under --group, which keeps every host's output
        // until the end, so only the running host's two files may be open.
        let pid = ProcessInfo.processInfo.processIdentifier
        let count = "for f in /proc/\(pid)/fd/*; do readlink $f; done | grep -c '^\(folder)/'"
        let run = await fleet.run([
            "exec", "--all", "--group", "--forks", "1", "--output-dir", folder, "--", count,
        ])
        #expect(run.status == 0, "\(run.standardError)")
        for host in ["host01", "host02", "host03"] {
            let open = try String(contentsOfFile: folder + "/\(host).out", encoding: .utf8)
            #expect(open == "2\n", "\(host)")
        }
    }
}
