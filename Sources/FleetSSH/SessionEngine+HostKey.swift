extension SessionEngine {
    /// Compares the negotiated host key with known_hosts according to the checking mode;
    /// runs before any authentication so a changed key never sees a signature.
    func checkHostKey(against knownHosts: KnownHosts?) throws(SSHError) {
        guard let knownHosts else { return }
        guard let presented = session?.hostKey,
            let type = HostKeyType(libssh2Type: presented.libssh2Type)
        else {
            throw error(
                .hostKey,
                .libssh2(
                    function: "libssh2_session_hostkey", code: 0,
                    message: "the server's host key type is not supported"))
        }

        let verdict = knownHosts.verdict(
            host: target.address, port: target.port, keyType: type, blob: presented.blob)
        switch verdict {
        case .known:
            return
        case .changed(let entry):
            let fingerprint = HostKeyType.fingerprint(of: presented.blob)
            throw error(
                .hostKey,
                .hostKeyChanged(
                    keyType: entry.keyType, expected: HostKeyType.fingerprint(of: entry.keyBlob),
                    actual: "\(type.rawValue) \(fingerprint)", file: knownHosts.path,
                    line: entry.line))
        case .revoked(let entry):
            throw error(
                .hostKey,
                .hostKeyRevoked(
                    keyType: type.rawValue,
                    fingerprint: HostKeyType.fingerprint(of: presented.blob),
                    file: knownHosts.path, line: entry.line))
        case .unknown:
            try acceptUnknownKey(
                type: type, blob: presented.blob,
                fingerprint: HostKeyType.fingerprint(of: presented.blob),
                fileExists: knownHosts.fileExists)
        }
    }

    private func acceptUnknownKey(
        type: HostKeyType, blob: [UInt8], fingerprint: String, fileExists: Bool
    ) throws(SSHError) {
        switch target.hostKeyChecking {
        case .off:
            return
        case .strict where !fileExists:
            // Without the file every host fails, so the message names the file, not the key.
            throw error(
                .hostKey,
                .knownHostsMissing(
                    keyType: type.rawValue, fingerprint: fingerprint,
                    knownHostsFile: target.knownHostsFile))
        case .strict:
            throw error(
                .hostKey,
                .hostKeyUnknown(
                    keyType: type.rawValue, fingerprint: fingerprint,
                    knownHostsFile: target.knownHostsFile))
        case .acceptNew:
            do {
                try KnownHostsWriter.shared.append(
                    path: target.knownHostsFile, host: target.address, port: target.port,
                    keyType: type, blob: blob, hashed: target.hashKnownHosts)
            } catch {
                throw self.error(
                    .hostKey,
                    .knownHostsFile(
                        path: target.knownHostsFile, errno: error.errno, message: error.message))
            }
        }
    }
}
