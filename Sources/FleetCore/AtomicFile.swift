#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that readers see either the old content or the whole new content.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `path`, flushes it to disk with fsync(2),
    /// then rename(2)s it over `path`, with permission bits `mode`.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644)
        throws(AtomicFileError)
    {
        let temporary = "\(path).tmp.\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw AtomicFileError(path: temporary, call: "open", errno: errno)
        }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBufferPointer { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw AtomicFileError(path: path, call: "write", errno: code)
            }
            written += result
        }
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw AtomicFileError(path: path, call: "fsync", errno: code)
        }
        close(descriptor)
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw AtomicFileError(path: path, call: "rename", errno: code)
        }
    }

    /// Creates the folder `path` and its missing parents with permission bits `mode`,
    /// like `mkdir -p`.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755)
        throws(AtomicFileError)
    {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0 && errno != EEXIST {
                throw AtomicFileError(path: prefix, call: "mkdir", errno: errno)
            }
        }
    }

    /// Returns nil when a file can be created at `path` (its folder exists and is writable),
    /// or the error that writing it would meet, so a run can reject an output path before it
    /// contacts any host.
    public static func checkWritable(_ path: String) -> AtomicFileError? {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        return checkWritableFolder(folder).map {
            AtomicFileError(path: path, call: $0.call, errno: $0.errno)
        }
    }

    /// Returns nil when `folder` is a folder that files can be created in, or the error
    /// that creating one would meet.
    public static func checkWritableFolder(_ folder: String) -> AtomicFileError? {
        // access(2) on "FOLDER/." fails with ENOTDIR when FOLDER is a plain file, which
        // access(2) on FOLDER itself would pass as writable.
        if access(folder + "/.", W_OK) != 0 {
            return AtomicFileError(path: folder, call: "access", errno: errno)
        }
        return nil
    }

    /// Writes `text` as UTF-8; see `write(_:to:mode:)`.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644)
        throws(AtomicFileError)
    {
        try write(Array(text.utf8), to: path, mode: mode)
    }
}

/// A file that could not be written.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    /// The file the failed call worked on.
    public let path: String
    /// The C function that failed.
    public let call: String
    /// The errno it set.
    public let errno: Int32

    /// Creates the error of `call` failing on `path` with `errno`.
    public init(path: String, call: String, errno: Int32) {
        self.path = path
        self.call = call
        self.errno = errno
    }

    /// The message, e.g. `cannot write 'r.json': rename: Permission denied`.
    public var description: String {
        "cannot write '\(path)': \(call): \(String(cString: strerror(errno)))"
    }
}
