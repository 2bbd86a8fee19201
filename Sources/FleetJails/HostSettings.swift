/// The source of a skel's userland: FreeBSD release sets, or a world built in `/usr/src`.
public enum InstallSource: String, Sendable, CaseIterable {
    /// Release sets (`base.txz`) from a mirror, and `freebsd-update` for upgrades.
    case binaries
    /// `make installworld` from `/usr/src`, and `etcupdate` for upgrades.
    case sources
}

/// The per-host settings the planner needs; every path is checked when the value is made.
public struct HostSettings: Sendable, Equatable {
    /// The directory that contains the skel and every jail, such as `/var/jails`.
    public let jailsRoot: String
    /// The name of the base jail under `jailsRoot`, `skel` by default.
    public let skelName: JailName
    /// The parent dataset of the skel and jail datasets, or nil to derive it from `jailsRoot`.
    public let zfsDataset: String?
    /// The source of the skel's userland.
    public let installSource: InstallSource
    /// The URL of a FreeBSD `releases` directory; nil means skel install from binaries fails.
    public let releaseMirror: String?
    /// The release to install instead of the host's `uname -r`, such as `14.1-RELEASE`.
    public let unameR: String?
    /// The directory where each jail gets its `<name>.conf`.
    public let jailConfDir: String
    /// The directory for the freebsd-update work directory, its config, the release cache
    /// and the lock.
    public let stateDir: String
    /// The host's freebsd-update configuration, from which the skel's own is derived.
    public let freebsdUpdateConfig: String

    /// Checks and stores the settings.
    public init(
        jailsRoot: String = "/var/jails",
        skelName: JailName? = nil,
        zfsDataset: String? = nil,
        installSource: InstallSource = .binaries,
        releaseMirror: String? = nil,
        unameR: String? = nil,
        jailConfDir: String = "/etc/jail.conf.d",
        stateDir: String = "/var/db/minijail-fleet",
        freebsdUpdateConfig: String = "/etc/freebsd-update.conf"
    ) throws(SettingsError) {
        // Errors name each setting as the inventory spells it, where users set it.
        try RemotePath.check(jailsRoot, setting: "jails_root", allowRoot: false)
        try RemotePath.check(jailConfDir, setting: "jail_conf_dir", allowRoot: false)
        try RemotePath.check(stateDir, setting: "state_dir", allowRoot: false)
        try RemotePath.check(
            freebsdUpdateConfig, setting: "freebsd_update_conf", allowRoot: false)
        if let zfsDataset { try HostSettings.checkDataset(zfsDataset) }
        if let releaseMirror { try HostSettings.checkMirror(releaseMirror) }
        if let unameR { try HostSettings.checkRelease(unameR) }
        self.jailsRoot = jailsRoot
        // "skel" follows the name rule, so this try! cannot fail.
        self.skelName = skelName ?? (try! JailName("skel"))
        self.zfsDataset = zfsDataset
        self.installSource = installSource
        self.releaseMirror = releaseMirror
        self.unameR = unameR
        self.jailConfDir = jailConfDir
        self.stateDir = stateDir
        self.freebsdUpdateConfig = freebsdUpdateConfig
    }

    /// Throws unless `name` is a ZFS dataset name of letters, digits and `_-.:` components
    /// joined by `/`, at most 200 characters, so it needs no quoting anywhere.
    public static func checkDataset(_ name: String) throws(SettingsError) {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        let valid =
            !name.isEmpty && name.count <= 200
            && components.allSatisfy { component in
                !component.isEmpty && component != "." && component != ".."
                    && component.unicodeScalars.allSatisfy(isDatasetCharacter)
            }
        if !valid {
            throw SettingsError(setting: "zfs_dataset", value: name, problem: .invalidDataset)
        }
    }

    private static func isDatasetCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", ":": return true
        default: return false
        }
    }

    /// Throws unless `unameR` is a version that release sets and freebsd-update serve, such as
    /// `14.1-RELEASE` or `14.2-RC1`: STABLE, CURRENT and PRERELEASE have neither.
    public static func checkRelease(_ unameR: String) throws(SettingsError) {
        if (try? FreeBSDVersion(unameR))?.isRelease != true {
            throw SettingsError(setting: "uname_r", value: unameR, problem: .notARelease)
        }
    }

    /// Throws unless `url` is an http, https, ftp or file URL of printable ASCII without
    /// spaces, quotes or shell metacharacters.
    public static func checkMirror(_ url: String) throws(SettingsError) {
        let schemes = ["http://", "https://", "ftp://", "file:///"]
        guard let scheme = schemes.first(where: { url.hasPrefix($0) }) else {
            throw SettingsError(setting: "release_mirror", value: url, problem: .invalidURL)
        }
        let rest = url.dropFirst(scheme.count)
        let valid =
            !rest.isEmpty
            && url.unicodeScalars.allSatisfy { scalar in
                scalar.value > 0x20 && scalar.value < 0x7F
                    && !"\"'`\\$;&|<>".unicodeScalars
                        .contains(scalar)
            }
        if !valid {
            throw SettingsError(setting: "release_mirror", value: url, problem: .invalidURL)
        }
    }
}

/// A host setting rejected before any command is built from it.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule a rejected value breaks.
    public enum Problem: Sendable, Equatable {
        /// A path that does not start with `/`.
        case notAbsolute
        /// A path with a `..` or `.` component, or an empty component (`//`).
        case notNormalized
        /// A path or value with a control character such as a newline.
        case controlCharacter
        /// A path with a character outside letters, digits and `/._-+@,:`.
        case invalidCharacter(Character)
        /// The path `/` itself.
        case rootDirectory
        /// A dataset name that ZFS would reject or that needs quoting.
        case invalidDataset
        /// A mirror that is not an http, https, ftp or file URL of printable characters.
        case invalidURL
        /// A version that is not of the form `14.1-RELEASE`, `-BETA2`, `-RC1` or `-ALPHA1`.
        case notARelease
    }

    /// The setting's name, as in the inventory.
    public let setting: String
    /// The rejected value.
    public let value: String
    /// The rule it breaks.
    public let problem: Problem

    /// Creates an error for `setting`.
    public init(setting: String, value: String, problem: Problem) {
        self.setting = setting
        self.value = value
        self.problem = problem
    }

    /// The sentence shown to the user.
    public var description: String {
        let shown = value.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
        return "invalid \(setting) \"\(shown)\": \(reason)"
    }

    private var reason: String {
        switch problem {
        case .notAbsolute: return "the path must start with '/'"
        case .notNormalized: return "the path must not contain '.', '..' or empty components"
        case .controlCharacter: return "it contains a control character such as a newline"
        case .invalidCharacter(let character):
            let escaped = character.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
            return "it contains '\(escaped)'; use letters, digits and /._-+@,: only"
        case .rootDirectory: return "it must not be '/'"
        case .invalidDataset:
            return "a dataset name is components of letters, digits and _-.: joined by '/'"
        case .invalidURL:
            return "use an http, https, ftp or file URL without spaces or shell metacharacters"
        case .notARelease:
            return "use a release version such as 14.1-RELEASE, 14.2-RC1 or 14.1-RELEASE-p5"
        }
    }
}
