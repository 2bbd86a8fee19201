/// One problem the nightly report found on a host: a host that could not be reported, or a
/// warning threshold it crosses.
public struct ReportProblem: Sendable, Equatable, Encodable, CustomStringConvertible {
    /// The kinds of problem.
    public enum Kind: String, Sendable, Encodable {
        /// The host could not be reached, or its facts could not be read.
        case unreachable
        /// Ctrl-C stopped the run before the host's facts were read.
        case interrupted
        /// The host crosses a warning threshold of `ReportThresholds`.
        case warning
    }

    /// The inventory name.
    public var host: String
    /// The kind of problem.
    public var kind: Kind
    /// One line without the host name, such as `pool zroot is DEGRADED`.
    public var message: String

    /// Creates a problem.
    public init(host: String, kind: Kind, message: String) {
        self.host = host
        self.kind = kind
        self.message = message
    }

    /// One line with the host name, such as `web1: pool zroot is DEGRADED` or
    /// `web2: unreachable: connect: ...`.
    public var description: String {
        switch kind {
        case .unreachable: return "\(host): unreachable: \(message)"
        case .interrupted, .warning: return "\(host): \(message)"
        }
    }
}
