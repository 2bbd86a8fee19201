/// The source of a host's FreeBSD userland.
public enum InstallSource: String, Sendable, CaseIterable {
    /// Release distribution sets.
    case binaries
    /// A build from the source tree.
    case sources
}
