/// How a non-root user gains root on the host.
public enum BecomeMethod: String, Sendable, CaseIterable {
    /// sudo(8).
    case sudo
    /// doas(1).
    case doas
}
