import Foundation
import Testing

/// Root's login shell on FreeBSD before 14.0 is csh, which rejects a newline inside quotes
/// and expands `!` in `csh -c`. Every script the tool runs must get past it to /bin/sh.
@Suite("hosts whose login shell is csh", .serialized)
struct LoginShellTests {
    private static func fleet() async throws -> SimulatedFleet {
        try await SimulatedFleet.start(
            count: 1, setup: ["--skel", "14.1-RELEASE-p5", "--jails", "web", "--running", "web"],
            environment: ["FLEET_LOGIN_SHELL": "/usr/bin/tcsh"])
    }

    @Test("the test host's login shell is csh")
    func loginShellIsCsh() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.stop() }
        // Only csh sets $shell; sh and bash print an empty line.
        let run = await fleet.run(["exec", "--all", "--", "echo $shell"])
        #expect(run.standardOutput.hasPrefix("[host01] /usr/bin/tcsh\n"), "\(run.standardOutput)")
    }

    @Test("report reads the host")
    func report() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.stop() }
        let run = await fleet.run(["report", "--all"])
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        #expect(run.standardOutput.contains("REPORT 1 host: 1 reachable, 0 unreachable"))
    }

    @Test("jail create and delete change the host")
    func createAndDelete() async throws {
        let fleet = try await Self.fleet()
        defer { fleet.stop() }
        let created = await fleet.run(["jail", "create", "--all", "db", "--start"])
        #expect(created.status == 0, "\(created.standardOutput)\(created.standardError)")
        #expect(created.standardOutput.contains("1 changed"), "\(created.standardOutput)")
        let deleted = await fleet.run(["jail", "delete", "--all", "db", "--yes", "--stop"])
        #expect(deleted.status == 0, "\(deleted.standardOutput)\(deleted.standardError)")
    }
}
