#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a stream's bytes, fed chunk by chunk, into lines that each start with a prefix,
/// handed on in blocks of about 64 KiB so a large output never sits in memory whole.
///
/// Lines split at `\n` as `OperationJob.textLines` splits them: a final newline ends the
/// last line, no empty line follows it. Bytes that are not UTF-8 become U+FFFD per line.
///
/// A remote command's control characters could move the cursor over the `[host]` prefix or
/// put escape sequences on a terminal or into a mail. So a CR at the end of a line is dropped
/// as part of a CRLF. Every other control character except tab is shown in caret notation as
/// `cat -v` shows it: ESC as `^[`, NUL as `^@`, DEL as `^?`, and the C1 character U+009B as
/// `M-^[`.
struct LineRenderer {
    /// The bytes in front of every line, such as `[web1] ` or `stderr: `.
    let prefix: [UInt8]
    private var partial: [UInt8] = []
    private var block: [UInt8] = []
    private static let blockBytes = 65_536

    /// Creates a renderer that puts `prefix` in front of every line.
    init(prefix: String) {
        self.prefix = Array(prefix.utf8)
    }

    /// Adds bytes; `emit` receives each full block.
    ///
    /// This is the per-byte path of exec's output, so it searches with memchr(3) and checks
    /// for ASCII eight bytes at a time. A generic element loop cost about 12 instructions per
    /// byte of output (callgrind).
    mutating func feed(_ bytes: ArraySlice<UInt8>, emit: (String) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                guard let found = memchr(base + start, 0x0A, buffer.count - start) else {
                    partial.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
                    return
                }
                let end = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                if partial.isEmpty {
                    appendLine(line, emit: emit)
                } else {
                    partial.append(contentsOf: line)
                    let joined = partial
                    partial.removeAll(keepingCapacity: true)
                    joined.withUnsafeBufferPointer { appendLine($0, emit: emit) }
                }
                start = end + 1
            }
        }
    }

    /// Adds a line of its own, ending any partial line first.
    mutating func line(_ text: String, emit: (String) -> Void) {
        flushPartial(emit: emit)
        Array(text.utf8).withUnsafeBufferPointer { appendLine($0, emit: emit) }
    }

    /// Ends the last line and hands on what is left.
    mutating func finish(emit: (String) -> Void) {
        flushPartial(emit: emit)
        if !block.isEmpty {
            emit(String(decoding: block, as: UTF8.self))
            block.removeAll()
        }
    }

    /// Renders everything `spool` kept, with a marker line where bytes were dropped.
    mutating func render(_ spool: OutputSpool, emit: (String) -> Void) {
        spool.read { part in
            switch part {
            case .bytes(let bytes): feed(bytes, emit: emit)
            case .dropped(let count): line(spool.marker(dropped: count), emit: emit)
            }
        }
    }

    private mutating func flushPartial(emit: (String) -> Void) {
        guard !partial.isEmpty else { return }
        let line = partial
        partial.removeAll(keepingCapacity: true)
        line.withUnsafeBufferPointer { appendLine($0, emit: emit) }
    }

    private mutating func appendLine(_ line: UnsafeBufferPointer<UInt8>, emit: (String) -> Void) {
        block.append(contentsOf: prefix)
        let body = line.last == 0x0D ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
        if Self.isPrintableASCII(body) {
            block.append(contentsOf: body)
        } else {
            appendVisible(String(decoding: body, as: UTF8.self))
        }
        block.append(UInt8(ascii: "\n"))
        if block.count >= Self.blockBytes {
            emit(String(decoding: block, as: UTF8.self))
            block.removeAll(keepingCapacity: true)
        }
    }

    /// Appends `text` with each control character other than tab in caret notation.
    private mutating func appendVisible(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09:
                block.append(0x09)
            case 0x00..<0x20:
                block.append(UInt8(ascii: "^"))
                block.append(UInt8(scalar.value) + 0x40)
            case 0x7F:
                block.append(contentsOf: "^?".utf8)
            case 0x80..<0xA0:
                block.append(contentsOf: "M-^".utf8)
                block.append(UInt8(scalar.value - 0x80) + 0x40)
            default:
                UTF8.encode(scalar) { block.append($0) }
            }
        }
    }

    /// Returns whether every byte is printable ASCII (0x20 to 0x7E), testing eight bytes per
    /// step. Tab counts as a control byte here, so lines with tabs take the slower path.
    private static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= raw.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Any byte of 0x80 or more, any byte below 0x20, and any byte equal to 0x7F.
            let below = (word &- ones &* 0x20) & ~word & highBits
            let deleteBytes = word ^ (ones &* 0x7F)
            let equal = (deleteBytes &- ones) & ~deleteBytes & highBits
            if word & highBits != 0 || below != 0 || equal != 0 {
                return false
            }
            index += 8
        }
        while index < raw.count {
            if raw[index] < 0x20 || raw[index] >= 0x7F { return false }
            index += 1
        }
        return true
    }
}
