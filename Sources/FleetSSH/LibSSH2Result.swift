import CLibSSH2

/// How the engine must treat a libssh2 return code.
enum LibSSH2Verdict: Sendable, Equatable {
    /// The call finished; non-negative codes carry a count or a flag.
    case success
    /// LIBSSH2_ERROR_EAGAIN: wait on the socket in the directions libssh2 names, then retry.
    case wouldBlock
    /// LIBSSH2_ERROR_BAD_USE or LIBSSH2_ERROR_INVAL: the call itself was wrong. That is a
    /// bug, or a session that a blocking cleanup left with a half-sent packet when it timed
    /// out on a full socket. The engine fails the host, never the process.
    case misuse
    /// Any other negative code: throw with the function name, the code and libssh2's text.
    case failure
}

/// The one place that sorts libssh2 return codes.
enum LibSSH2Result {
    /// Sorts `code` as returned by any libssh2 function that returns an int or ssize_t.
    static func sort(_ code: Int) -> LibSSH2Verdict {
        if code >= 0 { return .success }
        switch Int32(clamping: code) {
        case LIBSSH2_ERROR_EAGAIN: return .wouldBlock
        case LIBSSH2_ERROR_BAD_USE, LIBSSH2_ERROR_INVAL: return .misuse
        default: return .failure
        }
    }

    /// The `LIBSSH2_ERROR_*` name of `code`, for messages and tests.
    static func name(of code: Int32) -> String {
        names[code] ?? "LIBSSH2_ERROR_\(code)"
    }

    private static let names: [Int32: String] = [
        LIBSSH2_ERROR_SOCKET_NONE: "LIBSSH2_ERROR_SOCKET_NONE",
        LIBSSH2_ERROR_BANNER_RECV: "LIBSSH2_ERROR_BANNER_RECV",
        LIBSSH2_ERROR_BANNER_SEND: "LIBSSH2_ERROR_BANNER_SEND",
        LIBSSH2_ERROR_KEX_FAILURE: "LIBSSH2_ERROR_KEX_FAILURE",
        LIBSSH2_ERROR_SOCKET_SEND: "LIBSSH2_ERROR_SOCKET_SEND",
        LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE: "LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE",
        LIBSSH2_ERROR_TIMEOUT: "LIBSSH2_ERROR_TIMEOUT",
        LIBSSH2_ERROR_SOCKET_DISCONNECT: "LIBSSH2_ERROR_SOCKET_DISCONNECT",
        LIBSSH2_ERROR_PROTO: "LIBSSH2_ERROR_PROTO",
        LIBSSH2_ERROR_FILE: "LIBSSH2_ERROR_FILE",
        LIBSSH2_ERROR_METHOD_NONE: "LIBSSH2_ERROR_METHOD_NONE",
        LIBSSH2_ERROR_AUTHENTICATION_FAILED: "LIBSSH2_ERROR_AUTHENTICATION_FAILED",
        LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED: "LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED",
        LIBSSH2_ERROR_CHANNEL_FAILURE: "LIBSSH2_ERROR_CHANNEL_FAILURE",
        LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED: "LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED",
        LIBSSH2_ERROR_CHANNEL_CLOSED: "LIBSSH2_ERROR_CHANNEL_CLOSED",
        LIBSSH2_ERROR_CHANNEL_EOF_SENT: "LIBSSH2_ERROR_CHANNEL_EOF_SENT",
        LIBSSH2_ERROR_SOCKET_TIMEOUT: "LIBSSH2_ERROR_SOCKET_TIMEOUT",
        LIBSSH2_ERROR_SFTP_PROTOCOL: "LIBSSH2_ERROR_SFTP_PROTOCOL",
        LIBSSH2_ERROR_REQUEST_DENIED: "LIBSSH2_ERROR_REQUEST_DENIED",
        LIBSSH2_ERROR_METHOD_NOT_SUPPORTED: "LIBSSH2_ERROR_METHOD_NOT_SUPPORTED",
        LIBSSH2_ERROR_INVAL: "LIBSSH2_ERROR_INVAL",
        LIBSSH2_ERROR_EAGAIN: "LIBSSH2_ERROR_EAGAIN",
        LIBSSH2_ERROR_BAD_USE: "LIBSSH2_ERROR_BAD_USE",
        LIBSSH2_ERROR_SOCKET_RECV: "LIBSSH2_ERROR_SOCKET_RECV",
        LIBSSH2_ERROR_KEYFILE_AUTH_FAILED: "LIBSSH2_ERROR_KEYFILE_AUTH_FAILED",
    ]

    /// Codes after which the transport is gone, so a channel ends with no exit status.
    static func meansConnectionLost(_ code: Int32) -> Bool {
        switch code {
        case LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_RECV,
            LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_CHANNEL_CLOSED:
            return true
        default:
            return false
        }
    }
}

extension LibSSH2Result {
    /// Codes with which libssh2 could not decode a private key, e.g. a wrong passphrase.
    static func meansKeyUnusable(_ code: Int32) -> Bool {
        code == LIBSSH2_ERROR_FILE || code == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED
    }

    /// Whether `code` means the SFTP server replied with a status, which
    /// libssh2_sftp_last_error then returns.
    static func meansSFTPStatus(_ code: Int32) -> Bool {
        code == LIBSSH2_ERROR_SFTP_PROTOCOL
    }

    /// Returns whether `code` is LIBSSH2_ERROR_INVAL, with which libssh2 1.10 rejects a
    /// packet over its 35,000-byte limit before sending it.
    static func meansPacketTooLarge(_ code: Int32) -> Bool {
        code == LIBSSH2_ERROR_INVAL
    }

    /// Returns whether `code` is LIBSSH2_ERROR_CHANNEL_FAILURE, with which libssh2 1.10
    /// reports that the server rejected opening a channel.
    static func meansChannelRejected(_ code: Int32) -> Bool {
        code == LIBSSH2_ERROR_CHANNEL_FAILURE
    }

    /// Returns whether `code` is LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED, with which libssh2 1.10
    /// reports SSH_MSG_CHANNEL_FAILURE in reply to a channel request such as "exec".
    static func meansRequestRejected(_ code: Int32) -> Bool {
        code == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED
    }

    /// Codes with which the server rejected a key, so the next method may be tried.
    static func meansKeyRejected(_ code: Int32) -> Bool {
        switch code {
        case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED,
            LIBSSH2_ERROR_AGENT_PROTOCOL:
            return true
        default:
            return false
        }
    }
}
