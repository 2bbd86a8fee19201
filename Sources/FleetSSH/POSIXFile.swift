#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Every libc file call of FleetSSH lives in this file.

/// A failed file call: the function, errno and strerror's text.
struct FileError: Error, Sendable, Equatable {
    /// The libc function that failed.
    let function: String
    /// The errno it set.
    let errno: Int32
    /// strerror(3)'s text for `errno`.
    var message: String { POSIX.message(errno: errno) }
}

/// The stat(2) fields that identify a file and its last change. A file whose identity is
/// unchanged was neither replaced nor written since, to the precision of its timestamps.
struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: timespec
    let changed: timespec

    static func == (left: FileIdentity, right: FileIdentity) -> Bool {
        left.device == right.device && left.inode == right.inode && left.size == right.size
            && left.modified.tv_sec == right.modified.tv_sec
            && left.modified.tv_nsec == right.modified.tv_nsec
            && left.changed.tv_sec == right.changed.tv_sec
            && left.changed.tv_nsec == right.changed.tv_nsec
    }
}

/// Whole-file reads and appends with open(2), read(2) and write(2).
enum POSIXFile {
    /// Returns the wall-clock time in whole seconds since the epoch, as file timestamps count.
    static func secondsSinceEpoch() -> Int {
        Int(time(nil))
    }

    /// Returns the identity of the file at `path` from stat(2), or nil when it does not exist.
    static func identity(path: String) throws(FileError) -> FileIdentity? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw FileError(function: "stat", errno: errno)
        }
        return FileIdentity(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino),
            size: Int64(status.st_size), modified: status.st_mtim, changed: status.st_ctim)
    }

    /// Reads the whole file at `path`, or returns nil when it does not exist.
    static func read(path: String) throws(FileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw FileError(function: "open", errno: errno)
        }
        defer { close(descriptor) }

        // The buffer is sized by fstat(2), so a small file costs one read(2) and no zeroed
        // 64 KiB. One spare byte lets the next read see the end of the file.
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? max(0, Int(status.st_size)) : 0
        var contents: [UInt8] = []
        contents.reserveCapacity(size + 1)
        while true {
            let before = contents.count
            var failure: Int32 = 0
            let spare = contents.capacity - before
            let room = spare > 0 ? spare : 65_536
            contents.append(contentsOf: repeatElement(0, count: room))
            let count = contents.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress! + before, room)
            }
            if count < 0 { failure = errno }
            contents.removeLast(room - max(count, 0))
            if count < 0 {
                if failure == EINTR { continue }
                throw FileError(function: "read", errno: failure)
            }
            if count == 0 { return contents }
        }
    }

    /// Reads the whole file at `path`; a missing file is an error (ENOENT).
    static func readExisting(path: String) throws(FileError) -> [UInt8] {
        guard let contents = try read(path: path) else {
            throw FileError(function: "open", errno: ENOENT)
        }
        return contents
    }

    /// Appends `bytes` to `path` with one O_APPEND write, creating it with mode 0600.
    static func append(path: String, bytes: [UInt8]) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(function: "open", errno: errno) }
        defer { close(descriptor) }
        try writeAll(descriptor: descriptor, bytes: bytes[...])
    }

    /// Appends `line`, which ends with a newline, to `path` with one O_APPEND write, creating
    /// the file with mode 0600. When the file's last byte is not a newline, as after an editor
    /// that leaves none, a newline goes first so the last line and `line` stay two lines.
    static func appendLine(path: String, line: [UInt8]) throws(FileError) {
        let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(function: "open", errno: errno) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw FileError(function: "fstat", errno: errno)
        }
        var last: UInt8 = UInt8(ascii: "\n")
        if status.st_size > 0 {
            let count = pread(descriptor, &last, 1, status.st_size - 1)
            guard count == 1 else {
                throw FileError(function: "pread", errno: count < 0 ? errno : EIO)
            }
        }
        let bytes = last == UInt8(ascii: "\n") ? line : [UInt8(ascii: "\n")] + line
        try writeAll(descriptor: descriptor, bytes: bytes[...])
    }

    /// Reads `count` random bytes from /dev/urandom.
    static func randomBytes(count: Int) throws(FileError) -> [UInt8] {
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(function: "open", errno: errno) }
        defer { close(descriptor) }

        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = bytes[filled...].withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress, $0.count)
            }
            if read < 0 {
                if errno == EINTR { continue }
                throw FileError(function: "read", errno: errno)
            }
            if read == 0 { throw FileError(function: "read", errno: EIO) }
            filled += read
        }
        return bytes
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and EINTR.
    static func writeAll(descriptor: Int32, bytes: ArraySlice<UInt8>) throws(FileError) {
        var remaining = bytes
        while !remaining.isEmpty {
            let count = remaining.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(function: "write", errno: errno)
            }
            remaining = remaining.dropFirst(count)
        }
    }
}
