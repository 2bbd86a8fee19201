#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the sentence for each SSH failure: what failed, on what, why, and what to do.
/// The caller adds the `error: [host]` prefix.
public enum SSHErrorRenderer {
    /// Returns the message for `error`, saying what became of a cut-off command and naming
    /// any file it left on the host.
    public static func message(for error: SSHError) -> String {
        var text = reasonMessage(for: error)
        if let stop = error.stop {
            text += "; \(stop.description)"
        }
        guard let leftover = error.leftover else { return text }
        return text + "; remove the temporary file \(leftover) from the host if it is still there"
    }

    private static func reasonMessage(for error: SSHError) -> String {
        let endpoint = error.endpoint
        let start = "cannot start SSH session to \(endpoint)"
        switch error.reason {
        case .nameResolution(let message):
            return
                "cannot resolve the address of \(error.host) (\(endpoint)): \(message); "
                + "check the address in the inventory"
        case .socket(let function, _, let message):
            return "cannot connect to \(endpoint): \(function) failed: \(message); "
                + "check that sshd is running and listening on that port"
        case .timedOut(let after):
            return timeoutMessage(error.phase, endpoint: endpoint, after: after)
        case .notSSH(let line):
            return "\(start): the server sent \"\(line)\" instead of an SSH banner; "
                + "check that the port belongs to sshd"
        case .unsupportedProtocol(let identification):
            return
                "\(start): the server sent \"\(identification)\", an SSH version other than 2.0; "
                + "enable SSH protocol 2 in its sshd"
        case .closedByPeer where error.phase.isAfterLogin:
            return "\(error.phase.words) on \(endpoint) stopped: the server closed the connection; "
                + "check that the host is up and read its sshd log"
        case .closedByPeer:
            return "\(start): the server closed the connection during \(error.phase.words); "
                + "check sshd's log, for example for MaxStartups"
        case .channelRejected(let reason):
            return "\(error.phase.words) on \(endpoint) failed: the server rejected the session "
                + "channel (\(reason)); check MaxSessions in the host's sshd_config, and its log"
        case .execRejected:
            return "\(error.phase.words) on \(endpoint) not run: the server rejected the exec "
                + "request; check ForceCommand and Match blocks in the host's sshd_config, and its log"
        case .disconnectedByServer(let message):
            let text = message.isEmpty ? "no message" : "the message \"\(message)\""
            return "\(error.phase.words) on \(endpoint) stopped: the server disconnected with "
                + "\(text); check the host's sshd log"
        case .keepalivesUnanswered(let count, let interval):
            let noun = count == 1 ? "keepalive" : "keepalives"
            return "\(error.phase.words) on \(endpoint) stopped: no reply to \(count) \(noun) in "
                + "\((interval * count).secondsText); check that the host is up and reachable"
        case .hostKeyUnknown(let type, let fingerprint, let file):
            return "host key of \(endpoint) (\(type) \(fingerprint)) is not in \(file); "
                + "add it with ssh-keyscan or set host_key_checking to accept-new"
        case .knownHostsMissing(let type, let fingerprint, let file):
            return "host key of \(endpoint) (\(type) \(fingerprint)) cannot be checked: the "
                + "known_hosts file \(file) does not exist; correct known_hosts in the inventory, "
                + "or record the host's key in \(file) with ssh-keyscan"
        case .hostKeyChanged(let type, let expected, let actual, let file, let line):
            return
                "host key of \(endpoint) has changed: \(file):\(line) records \(type) \(expected), "
                + "the server presented \(actual); if the change is expected, "
                + "delete line \(line) of \(file)"
        case .hostKeyRevoked(let type, let fingerprint, let file, let line):
            return
                "host key of \(endpoint) (\(type) \(fingerprint)) is revoked at \(file):\(line); "
                + "give the host a new key, or delete that line if the revocation is a mistake"
        case .knownHostsFile(let path, let errno, let message):
            return "cannot use known_hosts file \(path): \(message); "
                + knownHostsAdvice(errno: errno, path: path)
        case .authenticationFailed(let user, let offered, let tried):
            let triedText =
                tried.isEmpty
                ? "nothing (no key configured and the agent not allowed)"
                : tried.joined(separator: ", ")
            return "authentication as \(user) to \(endpoint) failed: the server offers "
                + "\(offered.joined(separator: ", ")); tried \(triedText); "
                + authenticationAdvice(tried: tried)
        case .privateKey(let problem):
            return message(for: problem)
        case .libssh2(let function, let code, let message):
            let detail = message.isEmpty ? "" : ": \(message)"
            return "\(error.phase.words) on \(endpoint) failed: \(function) returned "
                + "\(LibSSH2Result.name(of: code)) (\(code))\(detail)"
        case .sftp(let function, let status, let file, let path):
            return sftpMessage(
                function: function, status: status, file: file, path: path, endpoint: endpoint)
        case .renameFailed(let temporary, let path, let message):
            return "cannot upload \(path) to \(endpoint): renaming \(temporary) to \(path) "
                + "failed: \(message)"
        case .commandTooLong(let bytes):
            return "command on \(endpoint) not sent: it is \(bytes) bytes, more than one SSH "
                + "request carries (about 34,000); copy it to the host as a script, for example "
                + "with exec --upload, and run that"
        case .becomePasswordRequired(let tool):
            return "\(tool) on \(endpoint) needs a password, which a batch run cannot give; "
                + "allow the user to run commands with \(tool) without a password, or log in as root"
        case .becomeToolMissing(let tool):
            return "\(tool) is not installed on \(endpoint), or not on the login user's PATH; "
                + "install it (pkg install \(tool)), set become_method to the other tool, "
                + "or log in as root"
        case .cancelled:
            return "\(error.phase.words) on \(endpoint) was interrupted"
        }
    }

    /// Returns the message for a private key that cannot be used.
    public static func message(for problem: PrivateKeyProblem) -> String {
        let start = "cannot use private key \(problem.path)"
        switch problem.kind {
        case .unreadable(_, let message):
            return "\(start): \(message); check identity_file in the inventory"
        case .notAPrivateKey:
            return "\(start): the file is not a private key in OpenSSH or PEM format"
        case .passphraseMissing(variable: .some(let variable)):
            return "\(start): the key is encrypted and \(variable), the environment variable "
                + "passphrase_env names, is not set; set it to the key's passphrase"
        case .passphraseMissing(variable: .none):
            // A key that cannot be loaded ends its hosts unreachable before the agent is
            // tried, so an agent that holds the unlocked key helps only without identity_file.
            return "\(start): the key is encrypted and the inventory gives no passphrase_env; "
                + "set passphrase_env to the name of an environment variable that contains "
                + "the key's passphrase, or add the key to ssh-agent with ssh-add and remove "
                + "identity_file from the inventory"
        case .rejected(let code, let message):
            return
                "\(start): libssh2 cannot decode it (\(LibSSH2Result.name(of: code)): \(message)); "
                + "check the passphrase and that the key type is ed25519, ecdsa or rsa"
        }
    }

    private static func sftpMessage(
        function: String, status: UInt, file: String, path: String, endpoint: String
    ) -> String {
        let known = SFTPStatus(rawValue: status)
        let reason = known.map { "\($0.words) (\($0.name))" } ?? "SFTP status \(status)"
        let folder = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
        let start = "cannot upload \(path) to \(endpoint): \(function) on \(file) failed: \(reason)"
        switch known {
        case .noSuchFile, .noSuchPath, .notADirectory:
            return start + "; check that the folder \(folder.isEmpty ? "/" : folder) exists"
        case .permissionDenied, .writeProtect:
            return start
                + "; check that the login user may write to \(folder.isEmpty ? "/" : folder)"
        case .noSpaceOnFilesystem, .quotaExceeded:
            return start + "; free space on the host"
        case .ok, .endOfFile, .failure, .badMessage, .noConnection, .connectionLost,
            .operationUnsupported, .invalidHandle, .fileAlreadyExists, .noMedia,
            .unknownPrincipal, .lockConflict, .directoryNotEmpty, .invalidFilename, .linkLoop,
            nil:
            return start
        }
    }

    /// Returns what to do after a failed authentication. The server's authorized_keys is
    /// the cause only when some key reached it. An entry of `tried` that starts with
    /// `agent (` is an agent that offered no key, because it could not be reached or
    /// listed none.
    private static func authenticationAdvice(tried: [String]) -> String {
        if tried.isEmpty {
            return "set identity_file, or set ssh_agent to true and run ssh-agent, "
                + "in the inventory"
        }
        if tried.allSatisfy({ $0.hasPrefix("agent (") }) {
            return "check that ssh-agent runs, that SSH_AUTH_SOCK names its socket and that "
                + "ssh-add -l lists a key, or set identity_file in the inventory"
        }
        return "check the user's authorized_keys on the host"
    }

    /// Returns what to do about a known_hosts file that cannot be read or appended to.
    private static func knownHostsAdvice(errno: Int32, path: String) -> String {
        switch errno {
        case EISDIR: return "point known_hosts in the inventory at a file, not a folder"
        case ENOENT, ENOTDIR: return "create the folder that should contain \(path)"
        case EACCES, EPERM, EROFS: return "let the user running minijail-fleet read and write it"
        default: return "check the known_hosts setting in the inventory"
        }
    }

    private static func timeoutMessage(_ phase: SessionPhase, endpoint: String, after: Duration)
        -> String
    {
        let limit = after.secondsText
        switch phase {
        case .resolving, .connecting:
            return "cannot connect to \(endpoint): TCP connect timed out after \(limit); "
                + "check that the host is up and the port is not filtered"
        case .banner:
            return "cannot start SSH session to \(endpoint): no SSH banner after \(limit); "
                + "check that sshd, not another service, listens on that port"
        case .keyExchange:
            return
                "cannot start SSH session to \(endpoint): key exchange timed out after \(limit); "
                + "check that sshd is running"
        case .hostKey, .authentication:
            return
                "cannot start SSH session to \(endpoint): \(phase.words) timed out after \(limit); "
                + "check that sshd is running"
        case .channel, .command, .upload:
            return "\(phase.words) on \(endpoint) timed out after \(limit)"
        }
    }
}
