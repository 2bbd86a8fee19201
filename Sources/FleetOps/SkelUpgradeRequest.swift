/// The request `upgrade-skel` makes of every host: the target release and jail restarts.
public struct SkelUpgradeRequest: Sendable, Equatable {
    /// The release to upgrade to, such as `14.2-RELEASE`; nil upgrades to the latest patch
    /// level of the skel's own release.
    public var targetRelease: String?
    /// Whether to restart the running jails, one at a time, once the skel is upgraded.
    public var restartJails: Bool

    /// Creates a request.
    public init(targetRelease: String? = nil, restartJails: Bool = false) {
        self.targetRelease = targetRelease
        self.restartJails = restartJails
    }
}

/// The keys of `HostOutcome.details` that an `upgrade-skel` run fills in.
public enum SkelUpgradeDetail {
    /// The kind of result, one of `SkelUpgradeResult`'s raw values.
    public static let result = "result"
    /// The skel's version when the run found it.
    public static let versionBefore = "skel version before"
    /// The skel's version when the run left it (after a rollback, the restored one).
    public static let versionAfter = "skel version after"
    /// The handling of a half-done upgrade that an earlier run left.
    public static let recovery = "recovery"
    /// The jails restarted on the new skel, comma-separated.
    public static let jailsRestarted = "jails restarted"
    /// The jail the smoke check ran in and what it printed, or why it was skipped.
    public static let smokeCheck = "smoke check"
    /// The rollbacks run after a failure and how each ended.
    public static let rolledBack = "rolled back"
    /// The jails restarted again after a rollback, and how each ended.
    public static let jailsRestored = "jails restored"
    /// The state a lost connection left on the host.
    public static let stateLeft = "state left"
    /// The reason nothing changed, for unchanged hosts.
    public static let note = "note"
}

/// The kind of result an `upgrade-skel` run had on one host.
public enum SkelUpgradeResult: String, Sendable, CaseIterable {
    /// The skel already was at the target.
    case unchanged
    /// The skel was upgraded and checked.
    case upgraded
    /// A half-done upgrade left by an earlier run was finished, and nothing else was needed.
    case finished
    /// The upgrade failed and the skel was rolled back.
    case rolledBack = "rolled back"
    /// The connection broke part-way, so `stateLeft` describes the host's state.
    case lost
    /// A `--check` run planned the steps and changed nothing.
    case planned
}
