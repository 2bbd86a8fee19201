extension SessionEngine {
    /// Offers the configured key first, then ssh-agent identities when the target allows
    /// the agent, so a busy agent cannot use up the server's MaxAuthTries first. The key
    /// goes out before the request for the server's methods (a "none" request), which
    /// saves a round trip on every host where the key works. The methods are requested
    /// only after a failure, for the agent and for the message.
    func authenticate(deadline: Deadline) throws(SSHError) {
        guard let session else { throw error(.authentication, .closedByPeer) }
        let user = target.user
        var tried: [String] = []
        if let key {
            if try authenticate(with: key, deadline: deadline) { return }
            tried.append("publickey \(key.fingerprintText) (\(key.path)\(Self.signingNote(key)))")
        }

        // NOTE: a server with MaxAuthTries 1 disconnects after the rejected key, so this
        // request then fails with libssh2's error instead of naming the offered methods.
        let list = try performReturningHandle(
            "libssh2_userauth_list", phase: .authentication, deadline: deadline
        ) { session.authenticationMethods(user: user) }
        if list.isEmpty { return }

        let offered = list.split(separator: ",").map(String.init)
        if offered.contains("publickey"), target.useAgent,
            try authenticateWithAgent(deadline: deadline, tried: &tried)
        {
            return
        }
        throw error(
            .authentication, .authenticationFailed(user: user, offered: offered, tried: tried))
    }

    private func authenticate(with key: SSHPrivateKey, deadline: Deadline) throws(SSHError) -> Bool
    {
        guard let session else { return false }
        let user = target.user
        let passphrase = key.passphrase?.revealed
        let code: Int
        if let ed25519 = key.ed25519 {
            code = try performAuthentication("libssh2_userauth_publickey", deadline: deadline) {
                Int(
                    session.authenticate(
                        user: user, publicBlob: ed25519.publicBlob, signer: ed25519.signer))
            }
        } else {
            code = try performAuthentication(
                "libssh2_userauth_publickey_frommemory", deadline: deadline
            ) {
                Int(
                    session.authenticate(
                        user: user, privateKey: key.contents, publicKeyLine: key.publicKeyLine,
                        passphrase: passphrase))
            }
        }
        if LibSSH2Result.meansKeyUnusable(Int32(code)) {
            throw error(
                .authentication,
                .privateKey(
                    PrivateKeyProblem(
                        path: key.path,
                        kind: .rejected(code: Int32(code), message: session.lastError.message))))
        }
        return code == 0
    }

    private func authenticateWithAgent(deadline: Deadline, tried: inout [String]) throws(SSHError)
        -> Bool
    {
        guard let session, let agent = session.makeAgent() else { return false }
        if let socket = target.agentSocket { agent.useSocket(socket) }
        session.agentDeadline = deadline
        defer { session.agentDeadline = nil }
        guard agent.connect() == 0 else {
            let socket = target.agentSocket ?? "the socket SSH_AUTH_SOCK names"
            tried.append("agent (cannot connect to \(socket): \(session.lastError.message))")
            return false
        }
        guard agent.listIdentities() == 0 else {
            let reason =
                session.agentTimedOut
                ? "no reply within the \(deadline.timeout.secondsText) handshake timeout"
                : session.lastError.message
            tried.append("agent (cannot list identities: \(reason))")
            return false
        }
        let user = target.user
        for (index, blob) in agent.identityBlobs.enumerated() {
            let code = try performAuthentication("libssh2_agent_userauth", deadline: deadline) {
                Int(agent.authenticate(user: user, identityIndex: index))
            }
            if code == 0 { return true }
            let fingerprint = HostKeyType.fingerprint(of: blob)
            if let message = session.disconnectMessage {
                // sshd disconnects after MaxAuthTries rejected keys, and libssh2 1.10 reports
                // each later key as rejected although the server never saw it.
                let untried = agent.identityBlobs.count - index - 1
                let left =
                    switch untried {
                    case 0: ""
                    case 1: " before the agent's other key"
                    default: " before the agent's other \(untried) keys"
                    }
                tried.append("agent \(fingerprint)")
                tried.append(
                    "then the server disconnected (\"\(message)\", as sshd does after "
                        + "MaxAuthTries)\(left)")
                return false
            }
            if session.agentTimedOut {
                // The deadline has passed, so the agent's other keys cannot be tried either.
                tried.append(
                    "agent \(fingerprint) (no signature within the "
                        + "\(deadline.timeout.secondsText) handshake timeout)")
                return false
            }
            tried.append("agent \(fingerprint)")
        }
        if agent.identityBlobs.isEmpty { tried.append("agent (no identities)") }
        return false
    }

    /// Like `perform`, but returns the code when the server rejects the key or libssh2
    /// cannot decode the key file, so the caller can go on to the next method.
    private func performAuthentication(
        _ function: String, deadline: Deadline, _ body: () -> Int
    ) throws(SSHError) -> Int {
        while true {
            let code = body()
            switch LibSSH2Result.sort(code) {
            case .success:
                return 0
            case .wouldBlock:
                try waitForLibSSH2(phase: .authentication, deadline: deadline)
            case .misuse:
                throw error(.authentication, lastLibSSH2Failure(function, code))
            case .failure:
                if LibSSH2Result.meansKeyRejected(Int32(code))
                    || LibSSH2Result.meansKeyUnusable(Int32(code))
                {
                    return code
                }
                throw error(.authentication, lastLibSSH2Failure(function, code))
            }
        }
    }

    /// Returns a note on how libssh2 signs with `key` when that explains a rejection: the
    /// key is RSA, which libssh2 1.10 signs only as ssh-rsa (SHA-1), and OpenSSH 8.8 and
    /// later accept no ssh-rsa signatures by default. Returns "" for other keys.
    private static func signingNote(_ key: SSHPrivateKey) -> String {
        guard key.keyType == "ssh-rsa" else { return "" }
        return ", an ssh-rsa key, which libssh2 1.10 signs with SHA-1 only and OpenSSH 8.8 or "
            + "later rejects unless PubkeyAcceptedAlgorithms includes ssh-rsa"
    }
}
