import FleetCore

/// The mode of checking the server's host key against known_hosts.
public enum HostKeyChecking: String, Sendable, CaseIterable {
    /// An unknown or changed key fails the host before authentication.
    case strict
    /// An unknown key is recorded; a changed key fails the host.
    case acceptNew = "accept-new"
    /// No check at all.
    case off
}

/// The privilege escalation method for commands when the login user is not root.
public enum Become: String, Sendable, CaseIterable {
    /// Commands run as the login user.
    case none
    /// Commands run through `sudo -n`, which fails instead of asking for a password.
    case sudo
    /// Commands run through `doas -n`, which fails instead of asking for a password.
    case doas
}

/// Everything needed to reach one host over SSH.
public struct SSHTarget: Sendable {
    /// The inventory name, used in messages.
    public var name: String
    /// Host name or IPv4/IPv6 address to connect to.
    public var address: String
    /// TCP port.
    public var port: Int
    /// Login user.
    public var user: String
    /// Private key file (OpenSSH or PEM format), offered before the agent.
    public var identityFile: String?
    /// Passphrase of `identityFile`, which the caller reads from the environment.
    public var passphrase: Secret?
    /// The environment variable `passphrase` is read from, named in messages when it is
    /// not set.
    public var passphraseVariable: String?
    /// Whether ssh-agent may be tried after the key file.
    public var useAgent: Bool
    /// The agent's socket; nil uses the SSH_AUTH_SOCK environment variable.
    public var agentSocket: String?
    /// The known_hosts file to check and, in accept-new mode, to append to.
    public var knownHostsFile: String
    /// The host key checking mode.
    public var hostKeyChecking: HostKeyChecking
    /// Whether accept-new records a key under a hashed host name (`|1|salt|hash`), as
    /// OpenSSH's HashKnownHosts, so the file does not list the hosts in clear text.
    public var hashKnownHosts: Bool
    /// Limit for the TCP connect, over every address the name resolves to.
    public var connectTimeout: Duration
    /// Limit for banner, key exchange, host key check and authentication together;
    /// nil uses `connectTimeout`.
    public var handshakeTimeout: Duration?
    /// Default limit for each remote command; nil means no limit.
    public var commandTimeout: Duration?
    /// Time without any byte from the server after which a keepalive request goes out
    /// while a command or upload waits, at least 1 s. Nil sends none, so a silent peer is
    /// never given up.
    public var keepaliveInterval: Duration?
    /// Keepalives in a row the server may leave unanswered before the connection is given
    /// up, as OpenSSH's ServerAliveCountMax.
    public var keepaliveCountMax: Int
    /// Privilege escalation for commands.
    public var become: Become
    /// Bytes of each stream's output kept in memory (half from the start, half from the end).
    public var outputLimit: Int

    /// Creates a target; every limit has a default suited to a LAN.
    public init(
        name: String, address: String, port: Int = 22, user: String,
        identityFile: String? = nil, passphrase: Secret? = nil,
        passphraseVariable: String? = nil, useAgent: Bool = false,
        agentSocket: String? = nil, knownHostsFile: String,
        hostKeyChecking: HostKeyChecking = .strict, hashKnownHosts: Bool = true,
        connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration? = nil,
        commandTimeout: Duration? = nil, keepaliveInterval: Duration? = .seconds(30),
        keepaliveCountMax: Int = 3, become: Become = .none, outputLimit: Int = 1 << 20
    ) {
        self.name = name
        self.address = address
        self.port = port
        self.user = user
        self.identityFile = identityFile
        self.passphrase = passphrase
        self.passphraseVariable = passphraseVariable
        self.useAgent = useAgent
        self.agentSocket = agentSocket
        self.knownHostsFile = knownHostsFile
        self.hostKeyChecking = hostKeyChecking
        self.hashKnownHosts = hashKnownHosts
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.commandTimeout = commandTimeout
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveCountMax = keepaliveCountMax
        self.become = become
        self.outputLimit = outputLimit
    }

    /// `address:port`, with IPv6 addresses in brackets.
    public var endpoint: String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
