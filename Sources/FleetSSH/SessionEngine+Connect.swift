extension SessionEngine {
    /// Resolves the address, connects over TCP, reads the banner and runs key exchange,
    /// checks the host key and authenticates.
    func open(key: SSHPrivateKey?) throws(SSHError) {
        self.key = key
        try connectTCP()
        let deadline = Deadline(after: target.handshakeTimeout ?? target.connectTimeout)
        let identification = try awaitBanner(deadline: deadline)
        let knownHosts = try loadKnownHosts()
        try handshake(preferring: knownHosts, readAhead: identification, deadline: deadline)
        try checkHostKey(against: knownHosts)
        try authenticate(deadline: deadline)
        if let interval = target.keepaliveInterval, interval > .zero {
            session?.enableKeepalives()
            // libssh2 sends at most one keepalive per 2 s of wall-clock time, so a shorter
            // interval would count keepalives that were never sent.
            keepalive = KeepaliveMonitor(
                interval: max(interval, .seconds(2)), countMax: target.keepaliveCountMax)
        }
    }

    /// Tries each resolved address in turn under one connect deadline.
    private func connectTCP() throws(SSHError) {
        let addresses: [SocketAddress]
        do {
            addresses = try POSIX.resolve(host: target.address, port: target.port)
        } catch {
            throw self.error(.resolving, error)
        }

        let deadline = Deadline(after: target.connectTimeout)
        var lastFailure = SSHFailure.nameResolution(message: "no address")
        for address in addresses {
            endpoint =
                address.family == 10
                ? "[\(address.numeric)]:\(target.port)" : "\(address.numeric):\(target.port)"
            do {
                let candidate = try SocketHandle.startConnect(to: address)
                socket = candidate
                try waitForSocket(read: false, write: true, phase: .connecting, deadline: deadline)
                try candidate.finishConnect()
                return
            } catch let failure as SSHFailure {
                socket = nil
                lastFailure = failure
            } catch let failure as SSHError {
                socket = nil
                if failure.reason == .cancelled || deadline.hasPassed { throw failure }
                lastFailure = failure.reason
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
        throw self.error(.connecting, lastFailure)
    }

    /// Waits for the server's identification line and rejects a peer that is not an SSH
    /// server, so a silent or foreign listener is reported in its own phase. Lines before
    /// the identification line, which RFC 4253 lets a server send, are read and dropped.
    /// Returns the bytes of the identification line, taken off the socket so that libssh2,
    /// which reads that line one byte per recv(2), reads them from memory.
    private func awaitBanner(deadline: Deadline) throws(SSHError) -> [UInt8] {
        guard let socket else { throw error(.banner, .closedByPeer) }
        var preamble = BannerCheck.Preamble()
        do {
            return try readIdentification(socket, preamble: &preamble, deadline: deadline)
        } catch let failure where failure.reason.isTimeout {
            // A peer that sent only other lines is more likely a foreign service than a slow
            // sshd, so its first line is more useful in the message than the timeout.
            guard let line = preamble.firstLine ?? preamble.partialLine else { throw failure }
            throw self.error(.banner, .notSSH(firstLine: line))
        }
    }

    private func readIdentification(
        _ socket: SocketHandle, preamble: inout BannerCheck.Preamble, deadline: Deadline
    ) throws(SSHError) -> [UInt8] {
        while true {
            try waitForSocket(read: true, write: false, phase: .banner, deadline: deadline)
            let peeked: [UInt8]?
            do {
                peeked = try socket.peek(limit: BannerCheck.maxLineLength)
            } catch {
                throw self.error(.banner, error)
            }
            guard let bytes = peeked else { continue }
            switch BannerCheck.classify(bytes) {
            case .closed:
                throw self.error(
                    .banner, preamble.firstLine.map { .notSSH(firstLine: $0) } ?? .closedByPeer)
            case .ssh:
                guard let end = BannerCheck.identificationEnd(bytes) else {
                    // A line that arrives in pieces is read to its end while its version is
                    // incomplete or unsupported, so an SSH-1.x server that sends a byte at a
                    // time is still named. A supported one is left to libssh2.
                    let unsupported = BannerCheck.unsupportedVersion(bytes)
                    let complete = BannerCheck.hasProtocolVersion(bytes) && unsupported == nil
                    if complete || bytes.count >= BannerCheck.maxLineLength { return [] }
                    do {
                        try waitBriefly(deadline: deadline)
                    } catch {
                        guard let unsupported else { throw error }
                        throw self.error(.banner, .unsupportedProtocol(identification: unsupported))
                    }
                    continue
                }
                if let line = BannerCheck.unsupportedVersion(Array(bytes[..<end])) {
                    throw self.error(.banner, .unsupportedProtocol(identification: line))
                }
                do {
                    return try socket.receive(limit: end)
                } catch {
                    throw self.error(.banner, error)
                }
            case .incomplete(let partialLine):
                preamble.partialLine = partialLine
                try waitBriefly(deadline: deadline)
            case .preamble(let line, let length):
                guard preamble.add(line) else {
                    throw self.error(.banner, .notSSH(firstLine: preamble.firstLine ?? line))
                }
                do {
                    _ = try socket.receive(limit: length)
                } catch {
                    throw self.error(.banner, error)
                }
            case .notSSH(let line):
                throw self.error(.banner, .notSSH(firstLine: preamble.firstLine ?? line))
            }
        }
    }

    /// Sleeps 10 ms in poll(2) so a partly received banner line can complete.
    private func waitBriefly(deadline: Deadline) throws(SSHError) {
        let pause = Deadline.earliest(Deadline(after: .milliseconds(10)), deadline)
        do {
            try waitForSocket(read: false, write: false, phase: .banner, deadline: pause)
        } catch let failure where failure.reason.isTimeout && !deadline.hasPassed {
            return
        }
    }

    private func loadKnownHosts() throws(SSHError) -> KnownHosts? {
        guard target.hostKeyChecking != .off else { return nil }
        do {
            return try KnownHostsCache.shared.load(path: target.knownHostsFile)
        } catch {
            throw self.error(
                .hostKey,
                .knownHostsFile(
                    path: target.knownHostsFile, errno: error.errno, message: error.message))
        }
    }

    /// Runs libssh2's key exchange, preferring the host key types already recorded for
    /// the host so that a recorded ecdsa key is not reported as changed when ed25519 exists.
    private func handshake(
        preferring knownHosts: KnownHosts?, readAhead: [UInt8], deadline: Deadline
    ) throws(SSHError) {
        guard let session = LibSSH2Session(readAhead: readAhead), let socket else {
            throw error(
                .keyExchange,
                .libssh2(function: "libssh2_session_init_ex", code: -6, message: "out of memory"))
        }
        self.session = session

        let recorded = knownHosts?.recordedTypes(host: target.address, port: target.port) ?? []
        if !recorded.isEmpty {
            let others = HostKeyType.allCases.filter { !recorded.contains($0) }
            let names = (recorded + others).flatMap(\.methodNames).joined(separator: ",")
            _ = session.preferHostKeyMethods(names)
        }
        do {
            try perform("libssh2_session_handshake", phase: .keyExchange, deadline: deadline) {
                Int(session.handshake(socket: socket))
            }
        } catch {
            // libssh2 1.10 reports a server that hung up or reset the connection during key
            // exchange as "Unable to exchange encryption keys", which hides the cause, such
            // as a full MaxStartups. Whether the server sent a FIN or a reset depends on
            // whether the client's first packets reached it before it closed.
            guard case .libssh2 = error.reason, socket.isClosedByPeer else { throw error }
            throw self.error(.keyExchange, .closedByPeer)
        }
    }
}
