/// Why the planner refused an operation; each case holds the facts and `description` writes
/// the sentence.
public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run id cannot be used in snapshot names and lock records.
    case invalidRunID(String)
    /// The jails root does not exist on the host.
    case rootMissing(String)
    /// The dataset name derived from the jails root is not a valid ZFS name.
    case invalidDatasetName(String)
    /// The operation needs the skel and it is not installed.
    case skelNotInstalled(path: String)
    /// The skel exists but its install never finished: the named parts are missing.
    case skelIncomplete(path: String, missing: [String])
    /// A jail cannot take the skel's name.
    case reservedName(String)
    /// The name is already used by the listed things, and not by an identical jail.
    case nameInUse(String, usedBy: [String])
    /// The jail has no configuration file written by minijail-fleet.
    case notConfigured(String, configFile: String)
    /// A delete was not confirmed with `--yes`.
    case deleteNotConfirmed(String)
    /// The jail runs, and the operation does not stop it.
    case jailRunning(String, jid: Int)
    /// The jail does not run, and the operation needs it running.
    case jailNotRunning(String)
    /// Mounts remain below the jail's path while it is stopped.
    case mountsRemain(String, mountPoints: [String])
    /// The skel cannot be deleted while these jails use it.
    case skelInUse([String])
    /// The text is not a FreeBSD version at all, such as `14.2-RELEASE; reboot`.
    case invalidVersion(String, role: String)
    /// The version is not a release that release sets and freebsd-update serve.
    case unsupportedVersion(String, role: String)
    /// A skel install from binaries needs `releaseMirror`.
    case mirrorNotSet
    /// An upgrade's target release is not newer than the skel's version.
    case targetNotNewer(current: String, target: String)
    /// freebsd-update left a partly installed upgrade of the skel.
    case upgradePartiallyInstalled(skel: String, resume: String, rollback: String?)
    /// An exec operation has no command.
    case emptyCommand

    /// The sentence shown to the user.
    public var description: String {
        switch self {
        case .invalidRunID(let runID):
            return "invalid run id \"\(runID)\": use 1 to 64 letters, digits or _.:- "
                + "not starting with '-'"
        case .rootMissing(let root):
            return "jails root \(root) does not exist; create it or set jails_root"
        case .invalidDatasetName(let name):
            return "derived dataset name \"\(name)\" is invalid; set zfs_dataset"
        case .skelNotInstalled(let path):
            return "skel \(path) is not installed; run skel install first"
        case .skelIncomplete(let path, let missing):
            return "skel \(path) is incomplete (missing \(missing.joined(separator: ", "))): "
                + "an earlier install stopped part-way; delete it and install again"
        case .reservedName(let name):
            return "jail name \(name) is the skel's name; choose another name"
        case .nameInUse(let name, let usedBy):
            return "jail name \(name) is already used by \(usedBy.joined(separator: ", ")); "
                + "choose another name or delete the jail"
        case .notConfigured(let name, let file):
            return "jail \(name) has no configuration file \(file); run jail create first"
        case .deleteNotConfirmed(let name):
            return "deleting \(name) needs confirmation; pass --yes"
        case .jailRunning(let name, let jid):
            return "jail \(name) is running (jid \(jid)); stop it first or pass --stop"
        case .jailNotRunning(let name):
            return "jail \(name) is not running; start it first"
        case .mountsRemain(let name, let mountPoints):
            return "mounts remain below jail \(name): \(mountPoints.joined(separator: ", ")); "
                + "run jail stop to unmount them"
        case .skelInUse(let jails):
            return "skel is used by jails \(jails.joined(separator: ", ")); delete them first"
        case .invalidVersion(let text, let role):
            let shown = text.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
            return "\(role) \"\(shown)\" is not a FreeBSD version; "
                + "write a release such as 14.2-RELEASE"
        case .unsupportedVersion(let version, let role):
            return "\(role) \(version) is not a release: STABLE, CURRENT and PRERELEASE "
                + "have no release sets or binary updates; use the sources install source"
        case .mirrorNotSet:
            return "skel install from binaries needs release_mirror, the URL of a FreeBSD "
                + "releases directory; set it in the inventory"
        case .targetNotNewer(let current, let target):
            return "target release \(target) is not newer than the skel's \(current)"
        case .upgradePartiallyInstalled(let skel, let resume, let rollback):
            let back = rollback.map { " or roll back with: \($0)" } ?? ""
            return "skel \(skel) has a partially completed upgrade pending; "
                + "resume it with: \(resume)\(back)"
        case .emptyCommand:
            return "no command given; pass it after --"
        }
    }
}
