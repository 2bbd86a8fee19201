/// The step an SSH session is in, named in errors so a message says where a host stalled.
public enum SessionPhase: String, Sendable, CaseIterable {
    /// Looking up the host name with getaddrinfo(3).
    case resolving
    /// Waiting for the TCP connection.
    case connecting
    /// Waiting for the server's identification line (`SSH-2.0-...`).
    case banner
    /// Key exchange, up to the server's host key.
    case keyExchange
    /// Comparing the server's host key with known_hosts.
    case hostKey
    /// Offering the private key, then the agent.
    case authentication
    /// Opening a channel for a command or file transfer.
    case channel
    /// Running a remote command.
    case command
    /// Writing a file with SFTP and renaming it into place.
    case upload

    /// Whether the phase comes after authentication, when the session is already set up.
    public var isAfterLogin: Bool {
        switch self {
        case .resolving, .connecting, .banner, .keyExchange, .hostKey, .authentication:
            return false
        case .channel, .command, .upload:
            return true
        }
    }

    /// The phase in words, as messages use it.
    public var words: String {
        switch self {
        case .resolving: return "name resolution"
        case .connecting: return "TCP connect"
        case .banner: return "waiting for the SSH banner"
        case .keyExchange: return "key exchange"
        case .hostKey: return "host key check"
        case .authentication: return "authentication"
        case .channel: return "opening a channel"
        case .command: return "command"
        case .upload: return "upload"
        }
    }
}
