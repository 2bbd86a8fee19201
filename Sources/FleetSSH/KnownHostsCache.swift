import Synchronization

/// The parsed known_hosts files of this process, so that a run opening hundreds of
/// connections parses each file once instead of once per host.
final class KnownHostsCache: Sendable {
    /// The one cache of this process.
    static let shared = KnownHostsCache()

    private struct Parsed {
        var contents: [UInt8]
        var knownHosts: KnownHosts
    }

    private let files = Mutex<[String: Parsed]>([:])

    /// Reads the file at `path` and returns its parsed entries, parsing again only when
    /// the bytes differ from the last read, so a line appended by accept-new is seen.
    func load(path: String) throws(FileError) -> KnownHosts {
        let contents = try POSIXFile.read(path: path) ?? []
        let cached = files.withLock { files in
            files[path].flatMap { $0.contents == contents ? $0.knownHosts : nil }
        }
        if let cached { return cached }

        let knownHosts = KnownHosts(path: path, contents: contents)
        files.withLock { $0[path] = Parsed(contents: contents, knownHosts: knownHosts) }
        return knownHosts
    }
}
