/// One stream's output, bounded in memory: the first and last bytes plus the total count.
public struct CapturedOutput: Sendable, Equatable {
    /// The first bytes, up to half the limit.
    public private(set) var head: [UInt8] = []
    /// The last bytes, up to half the limit, once output exceeds the limit.
    public private(set) var tail: [UInt8] = []
    /// Every byte received, kept or not.
    public private(set) var totalBytes = 0
    /// The byte limit; at most this many bytes are kept.
    public let limit: Int

    /// Creates an empty capture that keeps at most `limit` bytes.
    public init(limit: Int) {
        self.limit = max(limit, 2)
    }

    /// Whether bytes between `head` and `tail` were dropped.
    public var truncated: Bool { totalBytes > head.count + tail.count }

    /// All kept bytes, `head` then `tail`, raw.
    public var bytes: [UInt8] { head + tail }

    /// The output as text for display: each part decoded as UTF-8 after joining its chunks,
    /// invalid bytes replaced by U+FFFD, with a marker where bytes were dropped.
    public var text: String {
        Self.text(head: head, dropped: totalBytes - head.count - tail.count, tail: tail)
    }

    /// Joins kept bytes for display: each part decoded as UTF-8, and a marker line between
    /// them when `dropped` bytes were not kept. Spooled output uses the same form.
    public static func text(head: [UInt8], dropped: Int, tail: [UInt8]) -> String {
        let start = String(decoding: head, as: UTF8.self)
        guard dropped > 0 else { return start + String(decoding: tail, as: UTF8.self) }
        return start + "\n[... \(dropped) bytes not kept ...]\n"
            + String(decoding: tail, as: UTF8.self)
    }

    /// Adds a chunk as it arrives.
    mutating func append(_ chunk: ArraySlice<UInt8>) {
        totalBytes += chunk.count
        let headRoom = limit / 2 - head.count
        var rest = chunk
        if headRoom > 0 {
            head.append(contentsOf: rest.prefix(headRoom))
            rest = rest.dropFirst(headRoom)
        }
        guard !rest.isEmpty else { return }

        let tailLimit = limit - limit / 2
        tail.append(contentsOf: rest.suffix(tailLimit))
        // Trim in batches so a stream of small chunks does not shift the buffer every time.
        if tail.count > tailLimit * 2 || (tail.count > tailLimit && rest.count >= tailLimit) {
            tail.removeFirst(tail.count - tailLimit)
        }
    }

    /// Drops any surplus tail bytes left by batched trimming.
    mutating func finish() {
        let tailLimit = limit - limit / 2
        if tail.count > tailLimit { tail.removeFirst(tail.count - tailLimit) }
    }
}

/// The remote stream a chunk came from.
public enum OutputStream: Sendable, Equatable {
    /// The command's standard output.
    case stdout
    /// The command's standard error.
    case stderr
}

/// Receives every output chunk as it arrives, for streaming full output to a per-host file.
/// The handler runs on the connection's own thread, one chunk at a time.
public struct OutputSink: Sendable {
    /// The handler for each chunk.
    public let handler: @Sendable (OutputStream, [UInt8]) -> Void

    /// Creates a sink from a handler.
    public init(_ handler: @escaping @Sendable (OutputStream, [UInt8]) -> Void) {
        self.handler = handler
    }

    /// Returns a sink that appends both streams to the open file `descriptor`, which the caller owns.
    public static func fileDescriptor(_ descriptor: Int32) -> OutputSink {
        OutputSink { _, bytes in try? POSIXFile.writeAll(descriptor: descriptor, bytes: bytes[...])
        }
    }
}
