import FleetSSH
import Foundation
import Testing

/// Processes of the test hosts, which run on this machine, seen by pid.
enum TestProcess {
    /// Returns whether process `pid` ends within 3 s. A zombie counts as ended, because an
    /// orphan killed on a test host may wait for an init that does not reap it.
    static func ends(_ pid: Int32) async throws -> Bool {
        for _ in 0..<60 {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            if let state = state(pid), state.hasPrefix("Z") { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Returns the state letter of /proc/PID/stat, or nil when the process is gone.
    static func state(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return String(stat[stat.index(close, offsetBy: 2)...].prefix(1))
    }

    /// Returns the pid that a command printed on its first line of stdout.
    static func printedPid(_ result: CommandResult) throws -> Int32 {
        try #require(Int32(result.stdout.text.split(separator: "\n").first ?? ""))
    }
}
