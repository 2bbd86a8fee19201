import Synchronization

/// Serializes accept-new appends, so hosts recorded in parallel never interleave lines.
final class KnownHostsWriter: Sendable {
    /// The one writer of this process.
    static let shared = KnownHostsWriter()

    private let lock = Mutex<Void>(())

    /// Appends an entry unless the file already records this exact key for the host,
    /// which another connection of the same run may have written a moment ago.
    func append(
        path: String, host: String, port: Int, keyType: HostKeyType, blob: [UInt8], hashed: Bool
    ) throws(FileError) {
        try lock.withLock { _ throws(FileError) in
            let current = try KnownHosts.load(path: path)
            if case .known = current.verdict(host: host, port: port, keyType: keyType, blob: blob) {
                return
            }
            try KnownHosts.appendLine(
                path: path, host: host, port: port, keyType: keyType, blob: blob, hashed: hashed)
        }
    }
}
