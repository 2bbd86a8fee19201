import FleetCore
import Foundation
import Testing

@Suite("AtomicFile output checks")
struct AtomicFileTests {
    @Test("writable folder passes")
    func writableFolder() throws {
        let folder = FileManager.default.temporaryDirectory.path + "/atomic-\(UUID())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(AtomicFile.checkWritableFolder(folder) == nil)
        #expect(AtomicFile.checkWritable(folder + "/report.xml") == nil)
    }

    @Test("plain file as folder fails")
    func plainFileAsFolder() throws {
        let file = FileManager.default.temporaryDirectory.path + "/atomic-\(UUID())"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }

        let folderError = AtomicFile.checkWritableFolder(file)
        #expect(folderError?.errno == ENOTDIR)
        #expect(folderError?.path == file)
        // A plain file is writable itself, so checking the folder part must not pass it.
        let fileError = AtomicFile.checkWritable(file + "/report.xml")
        #expect(fileError?.errno == ENOTDIR)
        #expect(fileError?.path == file + "/report.xml")
    }

    @Test("missing folder fails")
    func missingFolder() {
        let folder = "/nonexistent-\(UUID())"
        #expect(AtomicFile.checkWritableFolder(folder)?.errno == ENOENT)
        #expect(AtomicFile.checkWritable(folder + "/report.xml")?.errno == ENOENT)
    }
}
