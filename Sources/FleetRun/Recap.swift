import FleetCore

/// The closing summary of a run: counts per state and one line per host that did not succeed.
public struct Recap: Sendable, Equatable {
    /// Every host's outcome, in run order.
    public let outcomes: [HostOutcome]

    /// Creates the recap of `outcomes`.
    public init(_ outcomes: [HostOutcome]) {
        self.outcomes = outcomes
    }

    /// The number of hosts in `state`.
    public func count(_ state: HostState) -> Int {
        outcomes.reduce(0) { $0 + ($1.state == state ? 1 : 0) }
    }

    /// The exit status the run ends with: 0 when every host succeeded, 69 when no host
    /// was reachable, 1 otherwise.
    public var exitStatus: Int32 {
        if outcomes.allSatisfy(\.state.succeeded) {
            return 0
        }
        let reached = outcomes.contains { outcome in
            switch outcome.state {
            case .ok, .changed, .failed, .timedOut: return true
            case .unreachable, .notAttempted: return false
            }
        }
        return reached ? 1 : 69
    }

    /// Returns the exit status of a run that Ctrl-C may have stopped: 130 when it stopped it
    /// before every host succeeded, else `exitStatus`.
    public func exitStatus(interrupted: Bool) -> Int32 {
        let status = exitStatus
        return interrupted && status != 0 ? ExitStatus.interrupted.rawValue : status
    }

    /// The recap as text lines, for a terminal or a mail.
    ///
    /// The first line counts the hosts per state; then each host that did not succeed
    /// gets one line with its name padded to the longest, its state and its reason.
    public var lines: [String] {
        let counts = HostState.allCases.map { state in
            "\(count(state)) \(state.rawValue.replacingDash())"
        }
        let hosts = outcomes.count == 1 ? "1 host" : "\(outcomes.count) hosts"
        var lines = ["RECAP \(hosts): " + counts.joined(separator: ", ")]
        let troubled = outcomes.filter { !$0.state.succeeded }
        let width = troubled.map(\.host.count).max() ?? 0
        let stateWidth = troubled.map(\.state.rawValue.count).max() ?? 0
        for outcome in troubled {
            let name = outcome.host.padding(to: width)
            let state = outcome.state.rawValue.padding(to: stateWidth)
            lines.append("  \(name)  \(state)  \(outcome.reason ?? "no reason recorded")")
        }
        return lines
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func replacingDash() -> String {
        String(map { $0 == "-" ? " " : $0 })
    }
}
