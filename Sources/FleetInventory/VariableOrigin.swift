import FleetCore

/// The source of a host's resolved variable value.
public enum VariableOrigin: Sendable, Hashable, CustomStringConvertible {
    /// Set on the host itself.
    case host(SourceLocation)
    /// Set in a group's `vars` (the group may be `all`).
    case group(String, SourceLocation)
    /// Set in the `vars` of a playbook's play, which overrides the inventory for that play.
    case play(String, SourceLocation)
    /// The documented default.
    case defaultValue
    /// Not set anywhere, and the variable has no default.
    case unset

    /// The origin as `inventory show` prints it: `file:line:column (group web)` or `default`.
    public var description: String {
        switch self {
        case .host(let location): return "\(location) (host)"
        case .group(let name, let location): return "\(location) (group \(name))"
        case .play(let name, let location): return "\(location) (play \(name))"
        case .defaultValue: return "default"
        case .unset: return "unset, no default"
        }
    }

    /// The file position, when the value comes from the file.
    public var location: SourceLocation? {
        switch self {
        case .host(let location), .group(_, let location), .play(_, let location):
            return location
        case .defaultValue, .unset: return nil
        }
    }
}
