import FleetSSH
import Foundation
import Testing

@Suite("upload with mode and atomic rename")
struct UploadTests {
    @Test("upload creates, then replaces, the file with its mode")
    func upload() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let folder = fleet.directory + "/host01/home/etc"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/rc.conf"

        let first = [UInt8]((0..<300_000).map { UInt8(truncatingIfNeeded: $0) })
        try await connection.upload(first, to: path, mode: 0o640)
        #expect(FileManager.default.contents(atPath: path) == Data(first))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        let firstInode = attributes[.systemFileNumber] as? Int

        try await connection.upload(Array("second\n".utf8), to: path, mode: 0o600)
        let replaced = try FileManager.default.attributesOfItem(atPath: path)
        #expect(FileManager.default.contents(atPath: path) == Data("second\n".utf8))
        #expect((replaced[.posixPermissions] as? Int) == 0o600)
        // A new inode shows the file was renamed into place, not rewritten where it was.
        #expect((replaced[.systemFileNumber] as? Int) != firstInode)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["rc.conf"])
        await connection.close()
    }

    @Test("upload into a missing folder fails and leaves nothing")
    func missingFolder() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        await #expect(throws: SSHError.self) {
            try await connection.upload([1, 2, 3], to: fleet.directory + "/nope/file", mode: 0o644)
        }
        await connection.close()
    }
}
