/// A host's variables after precedence, typed.
public struct HostVariables: Sendable, Hashable {
    /// The address to connect to; defaults to the host's inventory name.
    public var address: String
    /// The SSH port.
    public var port: Int
    /// The SSH user.
    public var user: String
    /// The private key file, tried before the agent; nil when not set.
    public var identityFile: String?
    /// The name of the environment variable that contains the key's passphrase; never the secret.
    public var passphraseEnv: String?
    /// Whether to try the SSH agent after the configured key.
    public var sshAgent: Bool
    /// Whether to run commands as root through `becomeMethod` when `user` is not root.
    public var become: Bool
    /// The tool that gains root.
    public var becomeMethod: BecomeMethod
    /// Seconds allowed to connect and authenticate.
    public var connectTimeout: Int
    /// Seconds allowed for one remote command; 0 means no limit.
    public var commandTimeout: Int
    /// Seconds between SSH keepalive messages; 0 turns them off.
    public var keepaliveInterval: Int
    /// Keepalives in a row a host may leave unanswered before it counts as unreachable.
    public var keepaliveCountMax: Int
    /// The known_hosts file, as written (a leading `~/` is expanded when it is used).
    public var knownHosts: String
    /// The host key policy.
    public var hostKeyChecking: HostKeyChecking
    /// Whether keys recorded by accept-new get a hashed host name.
    public var hashKnownHosts: Bool
    /// The directory that contains the jails on the host.
    public var jailsRoot: String
    /// The name of the base jail that every jail mounts read-only.
    public var skelName: String
    /// The ZFS dataset for jails; nil means detect it on the host.
    public var zfsDataset: String?
    /// The source of the userland.
    public var installSource: InstallSource
    /// The FreeBSD release mirror URL; nil when not set, and it has no default.
    public var releaseMirror: String?
    /// The `UNAME_r` override for hosts that follow a STABLE branch; nil when not set.
    public var unameR: String?
    /// The directory for per-jail `jail.conf` files on the host.
    public var jailConfDir: String
    /// The directory on the host for locks, the freebsd-update work directory and the
    /// release cache.
    public var stateDir: String
    /// The host's own freebsd-update configuration, from which the skel's is derived.
    public var freebsdUpdateConf: String

    /// Creates the typed view of `resolved`, which lists every variable in `allCases` order
    /// and has a value for every variable that has a default.
    init(hostName: String, resolved: [ResolvedVariable]) {
        precondition(
            resolved.count == InventoryVariable.allCases.count
                && resolved.indices.allSatisfy { resolved[$0].variable.index == $0 },
            "resolved variables are listed in allCases order")
        func value(_ variable: InventoryVariable) -> InventoryValue? {
            resolved[variable.index].value
        }
        func text(_ variable: InventoryVariable) -> String? {
            guard case .text(let value) = value(variable) else { return nil }
            return value
        }
        func integer(_ variable: InventoryVariable) -> Int {
            guard case .integer(let value) = value(variable) else {
                preconditionFailure("\(variable.name) has an integer default")
            }
            return value
        }
        func boolean(_ variable: InventoryVariable) -> Bool {
            guard case .boolean(let value) = value(variable) else {
                preconditionFailure("\(variable.name) has a boolean default")
            }
            return value
        }
        func required(_ variable: InventoryVariable) -> String {
            guard let value = text(variable) else {
                preconditionFailure("\(variable.name) has a text default")
            }
            return value
        }

        address = text(.address) ?? hostName
        port = integer(.port)
        user = required(.user)
        identityFile = text(.identityFile)
        passphraseEnv = text(.passphraseEnv)
        sshAgent = boolean(.sshAgent)
        become = boolean(.become)
        // The schema accepts only the enumeration's words, so the fallbacks never apply.
        becomeMethod = BecomeMethod(rawValue: required(.becomeMethod)) ?? .sudo
        connectTimeout = integer(.connectTimeout)
        commandTimeout = integer(.commandTimeout)
        keepaliveInterval = integer(.keepaliveInterval)
        keepaliveCountMax = integer(.keepaliveCountMax)
        knownHosts = required(.knownHosts)
        hostKeyChecking = HostKeyChecking(rawValue: required(.hostKeyChecking)) ?? .strict
        hashKnownHosts = boolean(.hashKnownHosts)
        jailsRoot = required(.jailsRoot)
        skelName = required(.skelName)
        zfsDataset = text(.zfsDataset)
        installSource = InstallSource(rawValue: required(.installSource)) ?? .binaries
        releaseMirror = text(.releaseMirror)
        unameR = text(.unameR)
        jailConfDir = required(.jailConfDir)
        stateDir = required(.stateDir)
        freebsdUpdateConf = required(.freebsdUpdateConf)
    }
}
