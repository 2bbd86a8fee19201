import FleetCore

/// A failure on one host's SSH connection, with the facts a message needs.
public struct SSHError: Error, Sendable, Equatable {
    /// The inventory name of the host.
    public var host: String
    /// `address:port` (IPv6 in brackets) as the session dialled it.
    public var endpoint: String
    /// The step that failed.
    public var phase: SessionPhase
    /// The cause of the failure.
    public var reason: SSHFailure
    /// The path of a temporary file that the failed step could not remove from the host,
    /// such as an upload's after the connection broke. Nil when nothing is known to be left.
    public var leftover: String?
    /// The result of stopping a command that Ctrl-C cut off; nil for other failures.
    public var stop: RemoteStop?

    /// Creates an error from its facts.
    public init(
        host: String, endpoint: String, phase: SessionPhase, reason: SSHFailure,
        leftover: String? = nil
    ) {
        self.host = host
        self.endpoint = endpoint
        self.phase = phase
        self.reason = reason
        self.leftover = leftover
    }
}

/// The cause of an `SSHError`.
public enum SSHFailure: Error, Sendable, Equatable {
    /// getaddrinfo(3) failed; the text is gai_strerror's.
    case nameResolution(message: String)
    /// A socket call failed with `errno`; `message` is strerror's text.
    case socket(function: String, errno: Int32, message: String)
    /// The phase did not finish before its deadline.
    case timedOut(after: Duration)
    /// The peer sent a first line that is not an SSH identification line.
    case notSSH(firstLine: String)
    /// The server's identification line names a protocol version other than 2.0 (or 1.99,
    /// which RFC 4253 section 5.1 lets a server use to offer both), such as SSH-1.5.
    case unsupportedProtocol(identification: String)
    /// The peer closed the TCP connection.
    case closedByPeer
    /// The server sent SSH_MSG_DISCONNECT with this description, which may be empty.
    case disconnectedByServer(message: String)
    /// The server rejected opening a session channel. `reason` is the text libssh2 1.10
    /// gives for the reason code, such as "administratively prohibited", or its whole message.
    case channelRejected(reason: String)
    /// The server replied SSH_MSG_CHANNEL_FAILURE to the "exec" request, so nothing ran.
    case execRejected
    /// Nothing arrived from the peer in reply to `count` keepalives sent `interval` apart,
    /// so the connection was given up.
    case keepalivesUnanswered(count: Int, interval: Duration)
    /// The server's host key is not in known_hosts and checking is strict.
    case hostKeyUnknown(keyType: String, fingerprint: String, knownHostsFile: String)
    /// Checking is strict and the known_hosts file does not exist, so no key can match.
    case knownHostsMissing(keyType: String, fingerprint: String, knownHostsFile: String)
    /// The server's host key differs from the one recorded at `file:line`.
    case hostKeyChanged(
        keyType: String, expected: String, actual: String, file: String, line: Int)
    /// The server's host key is on the `@revoked` line `file:line` for this host.
    case hostKeyRevoked(keyType: String, fingerprint: String, file: String, line: Int)
    /// known_hosts could not be read or the new key could not be appended.
    case knownHostsFile(path: String, errno: Int32, message: String)
    /// The server accepted none of the keys offered.
    case authenticationFailed(user: String, offered: [String], tried: [String])
    /// The configured private key cannot be used.
    case privateKey(PrivateKeyProblem)
    /// A libssh2 call failed.
    case libssh2(function: String, code: Int32, message: String)
    /// The SFTP server rejected `function` on the remote `file` with a status code
    /// (`SFTPStatus`, kept raw because a server may send codes outside that list) while
    /// uploading to `path`.
    case sftp(function: String, status: UInt, file: String, path: String)
    /// Renaming the uploaded `temporary` file to `path` failed. `message` is the rename
    /// command's stderr, or its outcome when stderr was empty.
    case renameFailed(temporary: String, path: String, message: String)
    /// The command line, `bytes` long after any `become` wrapping, did not fit in one SSH
    /// request: libssh2 1.10 rejects a packet over 35,000 bytes with LIBSSH2_ERROR_INVAL.
    case commandTooLong(bytes: Int)
    /// `sudo -n` or `doas -n` needs a password that a batch run cannot give.
    case becomePasswordRequired(tool: String)
    /// `tool` (sudo or doas), which `become` runs, is not found on the host.
    case becomeToolMissing(tool: String)
    /// The run was interrupted, so the step stopped early.
    case cancelled

    /// Whether this failure is a phase that ran past its deadline.
    public var isTimeout: Bool {
        if case .timedOut = self { return true }
        return false
    }
}

/// A private key file that cannot be used, found before any host is contacted.
public struct PrivateKeyProblem: Error, Sendable, Equatable {
    /// The key file as configured.
    public var path: String
    /// The problem with the file.
    public var kind: Kind

    /// The ways a key file can be unusable.
    public enum Kind: Sendable, Equatable {
        /// The file cannot be opened or read.
        case unreadable(errno: Int32, message: String)
        /// The file is not an OpenSSH or PEM private key.
        case notAPrivateKey
        /// The key is encrypted and no passphrase was given. `variable` is the environment
        /// variable that should contain it, nil when the configuration names none.
        case passphraseMissing(variable: String?)
        /// libssh2 could not decode the key, usually a wrong passphrase or unsupported type.
        case rejected(code: Int32, message: String)
    }

    /// Creates a problem record.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
