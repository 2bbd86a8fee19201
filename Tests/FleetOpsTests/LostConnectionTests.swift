import FleetJails
import FleetOps
import FleetRun
import Foundation
import Testing

/// A shell that runs its first scripts on a simulated host, then throws `error`.
private struct BreakingShell: RemoteShell {
    let host: SimulatedHost
    let error: any Error
    let working: Int
    let calls = CallCounter()

    func run(_ script: String) async throws -> RemoteResult {
        guard calls.next() < working else { throw error }
        return try await host.run(script)
    }
}

private struct ChannelClosed: Error, CustomStringConvertible {
    var description: String { "channel closed" }
}

@Suite("A host whose shell breaks part-way")
struct LostConnectionTests {
    static let cases: [(any Error & Sendable, String, String?)] = [
        (CancellationError(), "interrupted during step ", nil),
        (ChannelClosed(), "connection lost during step ", ": channel closed; the host lock "),
    ]

    @Test("an interruption and a lost connection read differently", arguments: 0..<2)
    func reason(index: Int) async throws {
        let (error, prefix, suffix) = Self.cases[index]
        let host = try SimulatedHost(["--skel", "14.1-RELEASE-p5"])
        defer { host.remove() }
        let shell = BreakingShell(host: host, error: error, working: 3)
        let runner = OperationRunner(
            shell: shell,
            context: JobContext(
                host: "sim", settings: try host.settings(), runID: "r1", controller: "ctl",
                checkOnly: false))
        let outcome = await runner.run(.jailCreate(try JailName("web")))
        let reason = outcome.reason ?? ""
        #expect(outcome.state == .failed, "\(reason)")
        #expect(reason.hasPrefix(prefix), "\(reason)")
        #expect(reason.contains("last completed step: "), "\(reason)")
        if let suffix {
            #expect(reason.contains(suffix), "\(reason)")
        } else {
            #expect(!reason.contains("SSHError") && !reason.contains("CancellationError"))
        }
    }
}
