import FleetSSH
import Testing

@Suite("smoke")
struct SmokeTests {
    @Test("echo runs")
    func echo() async throws {
        let fleet = try TestFleet(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run("echo hello; echo err >&2; exit 3")
        #expect(result.stdout.text == "hello\n")
        #expect(result.stderr.text == "err\n")
        #expect(result.outcome == .exited(3))
        let killed = try await connection.run("kill -TERM $$")
        #expect(killed.outcome == .signaled("TERM"))
        await connection.close()
    }
}
