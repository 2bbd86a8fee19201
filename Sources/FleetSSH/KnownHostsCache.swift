import Synchronization

/// The parsed known_hosts files of this process, so that a run opening hundreds of
/// connections parses each file once instead of once per host.
final class KnownHostsCache: Sendable {
    /// The one cache of this process.
    static let shared = KnownHostsCache()

    private struct Parsed {
        /// The file's identity before it was read; nil for a missing file.
        var identity: FileIdentity?
        var knownHosts: KnownHosts
    }

    private let files = Mutex<[String: Parsed]>([:])

    /// Returns the parsed entries of the file at `path`, reading and parsing it again only
    /// when stat(2) shows another file or a change since the last read, so a line appended
    /// by accept-new is seen. A host costs one stat(2) instead of reading the whole file.
    func load(path: String) throws(FileError) -> KnownHosts {
        // The identity is taken before the read: a change that lands in between leaves an
        // older identity in the cache, so the next load reads the file again.
        let identity = try POSIXFile.identity(path: path)
        let cached = files.withLock { files in
            files[path].flatMap { $0.identity == identity ? $0.knownHosts : nil }
        }
        if let cached { return cached }

        let contents = try POSIXFile.read(path: path) ?? []
        let knownHosts = KnownHosts(path: path, contents: contents)
        files.withLock { $0[path] = Parsed(identity: identity, knownHosts: knownHosts) }
        return knownHosts
    }
}
