import FleetSSH
import Foundation
import Testing

@Suite("SFTP upload against real sshd", .serialized)
struct UploadTests {
    @Test("upload writes exact bytes and mode", arguments: [0, 1, 65_537, 1 << 20])
    func uploadBytes(size: Int) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        let path = "upload-\(size).bin"
        // The hosts run on this machine, so the remote side can compare with a local copy.
        let original = fleet.directory + "/original.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: original))

        let connection = try await SSHConnection.open(fleet.target())
        try await connection.upload(bytes, to: path, mode: 0o640)
        let compare = try await connection.run("cmp \(original) \(path)")
        let mode = try await connection.run("stat -c %a " + path)
        let leftovers = try await connection.run("ls -A | grep -c upload- || true")
        await connection.close()

        #expect(compare.outcome == .exited(0), "\(compare.stdout.text)")
        #expect(mode.stdout.text == "640\n")
        #expect(leftovers.stdout.text == "1\n", "only the renamed file remains")
    }

    @Test("upload replaces an existing file")
    func uploadReplaces() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        try await connection.upload(Array("first\n".utf8), to: "replaced.txt", mode: 0o644)
        try await connection.upload(Array("second\n".utf8), to: "replaced.txt", mode: 0o600)
        let content = try await connection.run("cat replaced.txt; stat -c %a replaced.txt")
        await connection.close()
        #expect(content.stdout.text == "second\n600\n")
    }

    @Test("upload into a missing folder fails")
    func uploadMissingFolder() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        await #expect(throws: SSHError.self) {
            try await connection.upload([1, 2, 3], to: "no/such/folder/file", mode: 0o644)
        }
        let after = try await connection.run("echo still usable")
        await connection.close()
        #expect(after.stdout.text == "still usable\n")
    }
}
