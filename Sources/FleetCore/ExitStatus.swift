/// Process exit statuses, following sysexits(3) where a code exists.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every selected host succeeded.
    case ok = 0
    /// At least one host failed or a documented warning threshold was crossed.
    case someFailed = 1
    /// EX_USAGE: the command line is wrong.
    case usage = 64
    /// EX_DATAERR: an inventory or playbook is invalid.
    case dataError = 65
    /// EX_UNAVAILABLE: no selected host could be reached.
    case unavailable = 69
    /// EX_SOFTWARE: an internal error, which is a bug.
    case software = 70
    /// EX_CONFIG: a local configuration problem, such as an unreadable key.
    case config = 78
    /// SIGINT (Ctrl-C) stopped the run before every host finished: 128 plus the signal's
    /// number, as a shell reports a command that SIGINT ended.
    case interrupted = 130
}
