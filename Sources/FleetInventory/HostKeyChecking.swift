/// What to do with a host key that is missing from or different in `known_hosts`.
public enum HostKeyChecking: String, Sendable, CaseIterable {
    /// Reject unknown and changed keys.
    case strict
    /// Record an unknown key and accept it; reject a changed key.
    case acceptNew = "accept-new"
    /// Accept any key without checking.
    case off
}
