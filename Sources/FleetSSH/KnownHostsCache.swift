import Synchronization

/// The parsed known_hosts files of this process, so that a run opening hundreds of
/// connections parses each file once instead of once per host.
final class KnownHostsCache: Sendable {
    /// The one cache of this process.
    static let shared = KnownHostsCache()

    private struct Parsed {
        /// The file's identity before it was read; nil for a missing file.
        var identity: FileIdentity?
        /// Whether an equal identity later means equal contents: false for a file that had
        /// changed less than `settleSeconds` before it was read.
        var trusted: Bool
        var knownHosts: KnownHosts
    }

    /// The age a file's last change must reach before its identity is trusted, in seconds.
    /// Timestamps can be as coarse as one second (ext4 with small inodes), so a rewrite of
    /// the same size within that second would keep the identity.
    private static let settleSeconds = 2

    private let files = Mutex<[String: Parsed]>([:])

    /// Returns the parsed entries of the file at `path`. The file is read and parsed again
    /// when stat(2) shows another file or a change since the last read, so a line appended
    /// by accept-new is seen. It is also read again when it had changed within
    /// `settleSeconds` of that read. Otherwise a host costs one stat(2).
    func load(path: String) throws(FileError) -> KnownHosts {
        // The identity is taken before the read: a change that lands in between leaves an
        // older identity in the cache, so the next load reads the file again.
        let identity = try POSIXFile.identity(path: path)
        let cached = files.withLock { files in
            files[path].flatMap { $0.trusted && $0.identity == identity ? $0.knownHosts : nil }
        }
        if let cached { return cached }

        let contents = try POSIXFile.read(path: path)
        let knownHosts = KnownHosts(
            path: path, contents: contents ?? [], fileExists: contents != nil)
        let now = POSIXFile.secondsSinceEpoch()
        let trusted =
            identity.map {
                Int($0.modified.tv_sec) + Self.settleSeconds <= now
                    && Int($0.changed.tv_sec) + Self.settleSeconds <= now
            } ?? true
        files.withLock {
            $0[path] = Parsed(identity: identity, trusted: trusted, knownHosts: knownHosts)
        }
        return knownHosts
    }
}
