/// The reason a host pattern or a limit selects no hosts.
public enum HostPatternError: Error, Sendable, Equatable {
    /// The pattern is empty.
    case emptyPattern
    /// A part between separators is empty, as in `web::db`.
    case emptyPart(pattern: String)
    /// A `~regex` part, which is not supported.
    case regularExpression(part: String)
    /// A part names no host or group and no glob matches.
    case noMatch(part: String, suggestion: String?)
    /// The parts together select no host.
    case emptySelection(pattern: String)
    /// The limit removes every host the pattern selects.
    case emptyAfterLimit(pattern: String, limit: String)

    /// The sentence a user reads.
    public var message: String {
        switch self {
        case .emptyPattern:
            return "the host pattern is empty; use 'all' for every host"
        case .emptyPart(let pattern):
            return "host pattern '\(pattern)' has an empty part between separators"
        case .regularExpression(let part):
            return "regular expression patterns such as '\(part)' are not supported; "
                + "use a glob such as 'web*'"
        case .noMatch(let part, let suggestion):
            guard let suggestion else { return "'\(part)' matches no host or group" }
            return "'\(part)' matches no host or group; did you mean '\(suggestion)'?"
        case .emptySelection(let pattern):
            return "host pattern '\(pattern)' selects no hosts"
        case .emptyAfterLimit(let pattern, let limit):
            return "limit '\(limit)' leaves none of the hosts that '\(pattern)' selects"
        }
    }
}
