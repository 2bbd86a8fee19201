import FleetSSH
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Returns `count` bytes from a linear congruential generator seeded with `seed`, so a lost,
/// doubled or moved block of a stream shows as a difference.
private func pattern(count: Int, seed: UInt32) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt8(truncatingIfNeeded: state >> 24)
    }
}

/// Makes the fleet's first sshd start a key exchange after every 64 KiB in each direction:
/// the setting goes into its configuration and SIGHUP, sent by the recorded pid, makes it
/// reread the file.
private func rekeyOften(_ fleet: TestFleet) throws {
    let host = fleet.directory + "/host01"
    let config = try String(contentsOfFile: host + "/sshd_config", encoding: .utf8)
    try (config + "RekeyLimit 64K\n").write(
        toFile: host + "/sshd_config", atomically: false, encoding: .utf8)
    let text = try String(contentsOfFile: host + "/sshd.pid", encoding: .utf8)
    let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(kill(pid, SIGHUP) == 0)
    // Until sshd has started again, the old process still accepts connections with the old
    // settings, so wait for the log line of the restarted listener.
    for _ in 0..<100 {
        let log = (try? String(contentsOfFile: host + "/sshd.log", encoding: .utf8)) ?? ""
        if let restart = log.range(of: "Received SIGHUP"),
            log[restart.upperBound...].contains("Server listening")
        {
            return
        }
        usleep(50_000)
    }
    Issue.record("sshd did not log its restart within 5 s")
}

/// Opens a connection to `target`, retrying for about 5 s while a restarting sshd does not
/// listen yet; the last attempt's error is thrown.
private func openWhenListening(_ target: SSHTarget) async throws -> SSHConnection {
    for _ in 0..<50 {
        if let connection = try? await SSHConnection.open(target) { return connection }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await SSHConnection.open(target)
}

/// The send callback keeps small packets in memory until the engine waits or returns. These
/// tests push real streams through that path, around the hold limit and across key
/// exchanges that the server starts while the client's output is held.
@Suite("held output against real sshd")
struct HeldOutputTests {
    @Test(
        "stdin around hold limit returns intact",
        arguments: [1, 16_383, 16_384, 16_385, 32_769, 3 << 20])
    func stdinRoundTrip(size: Int) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let bytes = pattern(count: size, seed: UInt32(size))
        let result = try await connection.run("cat", stdin: bytes, captureLimit: size)
        #expect(result.outcome == .exited(0))
        #expect(result.stdout.totalBytes == size)
        #expect(result.stdout.bytes == bytes)
        await connection.close()
    }

    @Test("server rekeys lose no bytes")
    func serverRekeys() async throws {
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_LOG_LEVEL": "DEBUG1"])
        defer { fleet.stop() }
        try rekeyOften(fleet)
        let connection = try await openWhenListening(fleet.target())

        let input = pattern(count: 1 << 20, seed: 7)
        let echoed = try await connection.run("cat", stdin: input, captureLimit: input.count)
        #expect(echoed.outcome == .exited(0))
        #expect(echoed.stdout.bytes == input)

        let file = pattern(count: 3 << 20, seed: 11)
        let path = fleet.directory + "/uploaded.bin"
        try await connection.upload(file, to: path, mode: 0o600)
        let readBack = try await connection.run("cat " + path, captureLimit: file.count)
        #expect(readBack.outcome == .exited(0))
        #expect(readBack.stdout.bytes == file)
        await connection.close()

        // Without the exchanges this test would prove nothing, so count them in sshd's log.
        let log = try String(contentsOfFile: fleet.directory + "/host01/sshd.log", encoding: .utf8)
        let exchanges = log.components(separatedBy: "SSH2_MSG_KEXINIT sent").count - 1
        #expect(exchanges > 20, "sshd logged \(exchanges) key exchanges")
    }

    /// The channel CLOSE and SSH_MSG_DISCONNECT wait under TCP_CORK and leave with the FIN
    /// of shutdown(2), so check that the server still reads them.
    @Test("server receives the disconnect")
    func serverReceivesDisconnect() async throws {
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_LOG_LEVEL": "INFO"])
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run("true")
        #expect(result.outcome == .exited(0))
        await connection.close()

        let log = try await sshdLogAfterSessionEnd(fleet)
        #expect(log.contains(":11: done"), "sshd log: \(log)")
    }

    /// A command that timed out leaves output unread in the socket. close(2) then resets the
    /// connection and drops what the socket still held back, so the goodbye must leave first.
    @Test("disconnect survives unread output")
    func disconnectSurvivesUnreadOutput() async throws {
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_LOG_LEVEL": "INFO"])
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run("yes", timeout: .milliseconds(300))
        #expect(result.outcome == .timedOut(after: .milliseconds(300)))
        // The server sends until it reads the channel CLOSE, so output arrives unread.
        try await Task.sleep(for: .milliseconds(200))
        await connection.close()

        let log = try await sshdLogAfterSessionEnd(fleet)
        #expect(log.contains(":11: done"), "sshd log: \(log)")
    }

    /// Returns the first host's sshd log once it records how the session ended, or after 5 s.
    /// sshd logs a disconnect's reason code (11, by application) and the client's text.
    private func sshdLogAfterSessionEnd(_ fleet: TestFleet) async throws -> String {
        let path = fleet.directory + "/host01/sshd.log"
        let endings = ["Received disconnect from", "Connection reset", "Broken pipe"]
        var log = ""
        for _ in 0..<100 {
            log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if endings.contains(where: log.contains) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return log
    }
}
