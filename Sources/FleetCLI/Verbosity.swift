/// How much the console prints on standard error besides errors.
public enum Verbosity: Int, Sendable, Comparable {
    /// `-q`: errors only.
    case quiet
    /// The default: warnings and one outcome line per host.
    case normal
    /// `-v`: per-host milestones.
    case verbose
    /// `-vv`: every remote command and its exit status.
    case debug

    /// Orders by how much is printed.
    public static func < (lhs: Verbosity, rhs: Verbosity) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
