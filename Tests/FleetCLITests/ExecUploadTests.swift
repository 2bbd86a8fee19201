import FleetCLI
import Foundation
import Testing

@Suite("exec --upload over SSH", .serialized)
struct ExecUploadTests {
    @Test("upload reaches every host before the command")
    func uploadThenRun() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let local = fleet.directory + "/payload.txt"
        try "line one\nline two\n".write(toFile: local, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: local)

        let run = await fleet.run([
            "exec", "--all", "--upload", local + ":copied.txt", "--",
            "cat copied.txt; stat -c %a copied.txt",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        for host in fleet.hosts {
            #expect(
                run.standardOutput.contains(
                    "[\(host)] line one\n[\(host)] line two\n[\(host)] 640\n"))
        }
    }

    @Test("upload without a colon is a usage error")
    func uploadUsage() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let run = await fleet.run(["exec", "--all", "--upload", "payload.txt", "--", "true"])
        #expect(run.status == 64)
        #expect(
            run.standardError.hasPrefix(
                "error: invalid value 'payload.txt' for --upload: use LOCAL:REMOTE\n"))
    }

    @Test(
        "upload usage errors before any host",
        arguments: [
            (
                ["--upload", "payload.txt:/tmp/"],
                "error: invalid value 'payload.txt:/tmp/' for --upload: REMOTE '/tmp/' names "
                    + "a folder; name the file itself, such as /tmp/payload.txt\n"
            ),
            (
                ["--upload", "a/payload.txt:dir/"],
                "error: invalid value 'a/payload.txt:dir/' for --upload: REMOTE 'dir/' names "
                    + "a folder; name the file itself, such as dir/payload.txt\n"
            ),
            (
                ["--upload", "payload.txt:one", "--upload", "payload.txt:two"],
                "error: --upload is given 2 times, but exec copies one file; run exec --upload "
                    + "once per file, or copy an archive and unpack it\n"
            ),
        ])
    func uploadUsageTable(options: [String], expected: String) async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let run = await fleet.run(["exec", "--all"] + options + ["--", "true"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix(expected), "\(run.standardError)")
        #expect(!run.standardOutput.contains("RECAP"), "\(run.standardOutput)")
    }

    @Test("upload of a missing file fails before any host")
    func uploadMissing() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let missing = fleet.directory + "/missing.bin"
        let run = await fleet.run(["exec", "--all", "--upload", missing + ":x", "--", "true"])
        #expect(run.status == 78)
        #expect(
            run.standardError
                == "error: cannot read '\(missing)' for --upload: No such file or directory;"
                + " check the path\n")
        #expect(!run.standardOutput.contains("RECAP"))
    }
}
