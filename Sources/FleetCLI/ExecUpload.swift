#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file `exec --upload LOCAL:REMOTE` copies to every host before the command runs.
struct ExecUpload: Sendable {
    /// The remote path; a relative path is relative to the login user's home.
    var remotePath: String
    /// The file's bytes, read once before any host is contacted.
    var bytes: [UInt8]
    /// The permission bits of the local file, given to the remote one.
    var mode: UInt32

    /// Reads the local file of `LOCAL:REMOTE` (split at the first colon), or returns the
    /// usage or file problem as a sentence.
    static func load(_ text: String) -> Result<ExecUpload, ExecUploadProblem> {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
            text.index(after: colon) != text.endIndex
        else {
            return .failure(.usage("invalid value '\(text)' for --upload: use LOCAL:REMOTE"))
        }
        let local = String(text[..<colon])
        let remote = String(text[text.index(after: colon)...])
        if remote.hasSuffix("/") {
            // The upload renames a temporary file onto REMOTE, so REMOTE must name the file.
            let name = local.split(separator: "/").last.map(String.init) ?? local
            return .failure(
                .usage(
                    "invalid value '\(text)' for --upload: REMOTE '\(remote)' names a folder; "
                        + "name the file itself, such as \(remote)\(name)"))
        }
        guard let (bytes, mode) = readFile(local) else {
            let reason = String(cString: strerror(errno))
            return .failure(.file("cannot read '\(local)' for --upload: \(reason); check the path"))
        }
        return .success(ExecUpload(remotePath: remote, bytes: bytes, mode: UInt32(mode & 0o7777)))
    }

    /// Returns a regular file's bytes and permission bits, or nil with `errno` set.
    private static func readFile(_ path: String) -> ([UInt8], mode_t)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        guard status.st_mode & S_IFMT == S_IFREG else {
            errno = EISDIR
            return nil
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return (bytes, status.st_mode) }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}

/// Why `--upload` cannot be used.
enum ExecUploadProblem: Error, Equatable {
    /// The value is not `LOCAL:REMOTE`.
    case usage(String)
    /// The local file cannot be read.
    case file(String)
}
