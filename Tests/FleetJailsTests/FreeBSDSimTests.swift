import Foundation
import Testing

/// Runs the simulated FreeBSD userland's own checks (`Tests/freebsd-sim/selftest.sh`).
@Suite("Simulated FreeBSD userland")
struct FreeBSDSimTests {
    /// The folder that holds the simulated commands, found from this file's path.
    static let simulatorFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("freebsd-sim")

    @Test("selftest passes against the spec")
    func selftestPasses() throws {
        let script = Self.simulatorFolder.appendingPathComponent("selftest.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let output = String(decoding: data, as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "selftest.sh failed:\n\(output)")
    }
}
