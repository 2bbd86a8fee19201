/// A host variable the inventory accepts, named as written in the file.
public enum InventoryVariable: String, Sendable, CaseIterable, Hashable {
    case address = "address"
    case port = "port"
    case user = "user"
    case identityFile = "identity_file"
    case passphraseEnv = "passphrase_env"
    case sshAgent = "ssh_agent"
    case become = "become"
    case becomeMethod = "become_method"
    case connectTimeout = "connect_timeout"
    case commandTimeout = "command_timeout"
    case keepaliveInterval = "keepalive_interval"
    case keepaliveCountMax = "keepalive_count_max"
    case knownHosts = "known_hosts"
    case hostKeyChecking = "host_key_checking"
    case hashKnownHosts = "hash_known_hosts"
    case jailsRoot = "jails_root"
    case skelName = "skel_name"
    case zfsDataset = "zfs_dataset"
    case installSource = "install_source"
    case releaseMirror = "release_mirror"
    case unameR = "uname_r"
    case jailConfDir = "jail_conf_dir"
    case stateDir = "state_dir"
    case freebsdUpdateConf = "freebsd_update_conf"

    /// The name written in an inventory file.
    public var name: String { rawValue }

    /// Ansible variables that set the same thing, so an Ansible inventory loads unchanged.
    /// The `ansible_ssh_*` forms are the older spellings that Ansible still reads.
    public var ansibleAliases: [String] {
        switch self {
        case .address: return ["ansible_host", "ansible_ssh_host"]
        case .port: return ["ansible_port", "ansible_ssh_port"]
        case .user: return ["ansible_user", "ansible_ssh_user"]
        case .identityFile: return ["ansible_ssh_private_key_file"]
        case .become: return ["ansible_become"]
        case .becomeMethod: return ["ansible_become_method"]
        case .passphraseEnv, .sshAgent, .connectTimeout, .commandTimeout, .keepaliveInterval,
            .keepaliveCountMax, .knownHosts, .hostKeyChecking, .hashKnownHosts, .jailsRoot,
            .skelName, .zfsDataset,
            .installSource,
            .releaseMirror, .unameR, .jailConfDir, .stateDir, .freebsdUpdateConf:
            return []
        }
    }

    /// The type and the checks a value must pass.
    public var type: InventoryVariableType {
        switch self {
        case .address, .user: return .text(.nonEmpty)
        case .unameR: return .text(.release)
        case .identityFile, .knownHosts: return .text(.path)
        case .passphraseEnv: return .text(.environmentName)
        case .skelName: return .text(.jailName)
        case .zfsDataset: return .text(.dataset)
        case .releaseMirror: return .text(.url)
        case .jailsRoot, .jailConfDir, .stateDir, .freebsdUpdateConf:
            return .text(.absolutePath)
        case .port: return .integer(1...65535)
        case .connectTimeout, .keepaliveCountMax: return .integer(1...Int.max)
        case .commandTimeout, .keepaliveInterval: return .integer(0...Int.max)
        case .sshAgent, .become, .hashKnownHosts: return .boolean
        case .becomeMethod: return .choice(BecomeMethod.allCases.map(\.rawValue))
        case .hostKeyChecking: return .choice(HostKeyChecking.allCases.map(\.rawValue))
        case .installSource: return .choice(InstallSource.allCases.map(\.rawValue))
        }
    }

    /// The value used when no scope sets the variable; nil when it has none. The address
    /// defaults to the host's inventory name, which `HostVariables` fills in.
    public var defaultValue: InventoryValue? {
        switch self {
        case .port: return .integer(22)
        case .user: return .text("root")
        case .sshAgent: return .boolean(true)
        case .become: return .boolean(false)
        case .becomeMethod: return .text(BecomeMethod.sudo.rawValue)
        case .connectTimeout: return .integer(10)
        case .commandTimeout: return .integer(3600)
        case .keepaliveInterval: return .integer(15)
        case .keepaliveCountMax: return .integer(3)
        case .knownHosts: return .text("~/.ssh/known_hosts")
        case .hostKeyChecking: return .text(HostKeyChecking.strict.rawValue)
        case .hashKnownHosts: return .boolean(true)
        case .jailsRoot: return .text("/var/jails")
        case .skelName: return .text("skel")
        case .installSource: return .text(InstallSource.binaries.rawValue)
        case .jailConfDir: return .text("/etc/jail.conf.d")
        case .stateDir: return .text("/var/db/minijail-fleet")
        case .freebsdUpdateConf: return .text("/etc/freebsd-update.conf")
        case .address, .identityFile, .passphraseEnv, .zfsDataset, .releaseMirror, .unameR:
            return nil
        }
    }

    /// Every name and alias a file may use, for suggestions.
    public static let allKeys: [String] = allCases.flatMap { [$0.name] + $0.ansibleAliases }

    /// Returns the variable a key names, by its own name or an Ansible alias.
    public static func named(_ key: String) -> InventoryVariable? {
        byKey[key]
    }

    /// Every name and alias with its variable, so each key of the file is one lookup.
    private static let byKey: [String: InventoryVariable] = Dictionary(
        allCases.flatMap { variable in
            ([variable.name] + variable.ansibleAliases).map { ($0, variable) }
        },
        uniquingKeysWith: { first, _ in first })
}
