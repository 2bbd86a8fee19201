#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Every byte of one stream of one host, written to a file of `exec --output-dir` as it
/// arrives. The first failure (the file cannot be created, the disk is full) stops the
/// writing and is kept, so the run can report the file as incomplete.
final class OutputCopy: Sendable {
    private struct State {
        var descriptor: Int32
        var failure: String?
    }

    /// The file's path, as given.
    let path: String
    private let state: Mutex<State>

    /// Creates or truncates `path` (mode 0644).
    init(path: String) {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let failure = descriptor < 0 ? Self.failure(path) : nil
        state = Mutex(State(descriptor: descriptor, failure: failure))
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { Glibc.close(state.descriptor) }
        }
    }

    /// The reason the file is incomplete, or nil while it contains every byte written so far.
    var failure: String? { state.withLock { $0.failure } }

    /// Closes the file, so a run over many hosts keeps no descriptor open for hosts that finished.
    /// A failed close(2), such as a disk quota that a network file system reports only then,
    /// is kept as the failure. Later writes are dropped.
    func close() {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            let result = Glibc.close(state.descriptor)
            state.descriptor = -1
            if result != 0 && state.failure == nil {
                state.failure = Self.failure(path)
            }
        }
    }

    /// Appends `bytes` to the file unless an earlier write failed or the file is closed.
    func write(_ bytes: [UInt8]) {
        state.withLock { state in
            guard state.descriptor >= 0, state.failure == nil else { return }
            var written = 0
            while written < bytes.count {
                let result = bytes[written...].withUnsafeBufferPointer { buffer in
                    Glibc.write(state.descriptor, buffer.baseAddress, buffer.count)
                }
                if result < 0 && errno == EINTR { continue }
                if result <= 0 {
                    // A write(2) that takes no byte sets no errno.
                    state.failure = Self.failure(path, errno: result < 0 ? errno : EIO)
                    return
                }
                written += result
            }
        }
    }

    private static func failure(_ path: String, errno code: Int32 = errno) -> String {
        "cannot write \(path): \(String(cString: strerror(code))); the file is incomplete"
    }
}
