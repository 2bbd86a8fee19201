#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FleetSSH
import Synchronization

/// One stream of one host's output, kept as `CapturedOutput` keeps it: the first and the last
/// half of `limit` bytes and the total count. Once it outgrows a small buffer it moves to
/// disk, so a run's memory does not grow with the output of its hosts.
///
/// The file is created in `TMPDIR` (or `/tmp`) and unlinked right after, so a run killed
/// later leaves no file behind. Its first half holds the head; its second half is a
/// ring that holds the latest bytes. Every C call of the spool lives in this file.
final class OutputSpool: Sendable {
    /// Bytes kept in memory before the spool moves to a file.
    static let memoryBytes = 16_384

    /// A piece of the kept output, as `read` yields them in order.
    enum Part {
        /// Kept bytes.
        case bytes(ArraySlice<UInt8>)
        /// This many bytes between head and tail were not kept.
        case dropped(Int)
    }

    private struct State {
        var memory: [UInt8] = []
        var descriptor: Int32 = -1
        var totalBytes = 0
        /// The first write error, after which further bytes are counted but not kept.
        var failure: String?
        /// After a failed write, how many bytes at the start of the stream are stored whole.
        var intactBytes: Int?
    }

    /// At most this many bytes are kept.
    let limit: Int
    private let state = Mutex(State())

    /// The folder for the spool file; nil uses `TMPDIR`, or `/tmp` when that is unset.
    private let folder: String?
    /// The file that receives every byte of the stream, when there is one: the marker of
    /// dropped bytes names it while it is complete.
    let copy: OutputCopy?

    /// Creates an empty spool that keeps at most `limit` bytes (at least 2).
    init(limit: Int, folder: String? = nil, copy: OutputCopy? = nil) {
        self.limit = max(limit, 2)
        self.folder = folder
        self.copy = copy
    }

    /// Returns the line that stands for `count` dropped bytes on the screen.
    func marker(dropped count: Int) -> String {
        guard let copy, copy.failure == nil else { return "[... \(count) bytes not kept ...]" }
        return "[... \(count) bytes not shown; all the output is in \(copy.path) ...]"
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Every byte appended, kept or not.
    var totalBytes: Int { state.withLock { $0.totalBytes } }

    /// The reason bytes could not be kept on disk, or nil while all are kept.
    var failure: String? { state.withLock { $0.failure } }

    private var headLimit: Int { limit / 2 }
    private var tailLimit: Int { limit - limit / 2 }

    /// Adds a chunk as it arrives.
    func append(_ chunk: [UInt8]) {
        state.withLock { state in
            let offset = state.totalBytes
            state.totalBytes += chunk.count
            if state.descriptor < 0 && state.failure == nil {
                if state.totalBytes <= min(Self.memoryBytes, limit) {
                    state.memory.append(contentsOf: chunk)
                    return
                }
                spill(&state)
            }
            guard state.descriptor >= 0 else { return }
            store(chunk[...], at: offset, in: &state)
        }
    }

    /// Calls `body` with the kept bytes in order: the head, then, when bytes were dropped,
    /// their count and the tail. Reads at most 64 KiB at a time.
    func read(_ body: (Part) -> Void) {
        state.withLock { state in
            let total = state.totalBytes
            guard state.descriptor >= 0 else {
                if !state.memory.isEmpty { body(.bytes(state.memory[...])) }
                if total > state.memory.count { body(.dropped(total - state.memory.count)) }
                return
            }
            if let intact = state.intactBytes {
                // The ring may hold stale bytes, so only the part written whole is shown.
                readFile(state.descriptor, from: 0, count: min(intact, total), body)
                if total > intact { body(.dropped(total - intact)) }
                return
            }
            let head = min(total, headLimit)
            readFile(state.descriptor, from: 0, count: head, body)
            guard total > headLimit else { return }
            let tailBytes = total - headLimit
            if tailBytes > tailLimit {
                body(.dropped(tailBytes - tailLimit))
                // The ring's oldest byte sits where the next byte would go.
                let start = tailBytes % tailLimit
                readFile(state.descriptor, from: headLimit + start, count: tailLimit - start, body)
                readFile(state.descriptor, from: headLimit, count: start, body)
            } else {
                readFile(state.descriptor, from: headLimit, count: tailBytes, body)
            }
        }
    }

    /// All kept bytes, head then tail, without the dropped count.
    var keptBytes: [UInt8] {
        var bytes: [UInt8] = []
        read { part in
            if case .bytes(let chunk) = part { bytes.append(contentsOf: chunk) }
        }
        return bytes
    }

    /// The kept output as text, decoded as `CapturedOutput.text` decodes it, with a marker
    /// where bytes were dropped.
    var text: String {
        var head: [UInt8] = []
        var tail: [UInt8] = []
        var dropped = 0
        read { part in
            switch part {
            case .bytes(let chunk):
                if dropped == 0 {
                    head.append(contentsOf: chunk)
                } else {
                    tail.append(contentsOf: chunk)
                }
            case .dropped(let count):
                dropped = count
            }
        }
        return FleetSSH.CapturedOutput.text(head: head, dropped: dropped, tail: tail)
    }

    /// Moves the bytes kept in memory to a new unlinked file.
    private func spill(_ state: inout State) {
        let folder = self.folder ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((folder.isEmpty ? "/tmp" : folder).utf8CString.dropLast())
        template += Array("/minijail-fleet-output.XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            state.failure = "cannot create a file for output in \(folder): \(Self.errorText())"
            return
        }
        unlink(template)
        state.descriptor = descriptor
        let memory = state.memory
        store(memory[...], at: 0, in: &state)
        guard state.failure == nil else {
            // The bytes still in memory are the complete start of the stream, so show those.
            close(descriptor)
            state.descriptor = -1
            state.intactBytes = nil
            return
        }
        state.memory = []
    }

    /// Writes `chunk`, which starts at stream offset `offset`, into the head and the ring.
    private func store(_ chunk: ArraySlice<UInt8>, at offset: Int, in state: inout State) {
        var rest = chunk
        var position = offset
        if position < headLimit {
            let count = min(rest.count, headLimit - position)
            writeFile(rest.prefix(count), at: position, &state)
            rest = rest.dropFirst(count)
            position += count
        }
        // Only the last `tailLimit` bytes of the chunk can survive in the ring.
        if rest.count > tailLimit {
            position += rest.count - tailLimit
            rest = rest.suffix(tailLimit)
        }
        while !rest.isEmpty {
            let slot = (position - headLimit) % tailLimit
            let count = min(rest.count, tailLimit - slot)
            writeFile(rest.prefix(count), at: headLimit + slot, &state)
            rest = rest.dropFirst(count)
            position += count
        }
    }

    private func writeFile(_ bytes: ArraySlice<UInt8>, at offset: Int, _ state: inout State) {
        guard state.failure == nil else { return }
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                pwrite(
                    state.descriptor, buffer.baseAddress! + done, buffer.count - done,
                    off_t(offset + done))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                state.failure = "cannot write output to its temporary file: \(Self.errorText())"
                // Head bytes sit at their stream offset; ring writes start past the head.
                state.intactBytes = min(offset + done, headLimit)
                return
            }
            done += written
        }
    }

    private func readFile(
        _ descriptor: Int32, from offset: Int, count: Int, _ body: (Part) -> Void
    ) {
        var buffer = [UInt8](repeating: 0, count: min(count, 65_536))
        var done = 0
        while done < count {
            let want = min(buffer.count, count - done)
            let got = buffer.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, want, off_t(offset + done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return }
            body(.bytes(buffer[..<got]))
            done += got
        }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
