/// Turns a stream's bytes, fed chunk by chunk, into lines that each start with a prefix,
/// handed on in blocks of about 64 KiB so a large output never sits in memory whole.
///
/// Lines split at `\n` as `OperationJob.textLines` splits them: a final newline ends the
/// last line, no empty line follows it. Bytes that are not UTF-8 become U+FFFD per line.
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
    mutating func feed(_ bytes: ArraySlice<UInt8>, emit: (String) -> Void) {
        var rest = bytes
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            if partial.isEmpty {
                appendLine(rest[..<newline], emit: emit)
            } else {
                partial.append(contentsOf: rest[..<newline])
                let line = partial
                partial.removeAll(keepingCapacity: true)
                appendLine(line[...], emit: emit)
            }
            rest = rest[rest.index(after: newline)...]
        }
        partial.append(contentsOf: rest)
    }

    /// Adds a line of its own, ending any partial line first.
    mutating func line(_ text: String, emit: (String) -> Void) {
        flushPartial(emit: emit)
        appendLine(Array(text.utf8)[...], emit: emit)
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
            case .dropped(let count): line("[... \(count) bytes not kept ...]", emit: emit)
            }
        }
    }

    private mutating func flushPartial(emit: (String) -> Void) {
        guard !partial.isEmpty else { return }
        let line = partial
        partial.removeAll(keepingCapacity: true)
        appendLine(line[...], emit: emit)
    }

    private mutating func appendLine(_ line: ArraySlice<UInt8>, emit: (String) -> Void) {
        block.append(contentsOf: prefix)
        if line.allSatisfy({ $0 < 0x80 }) {
            block.append(contentsOf: line)
        } else {
            block.append(contentsOf: String(decoding: line, as: UTF8.self).utf8)
        }
        block.append(UInt8(ascii: "\n"))
        if block.count >= Self.blockBytes {
            emit(String(decoding: block, as: UTF8.self))
            block.removeAll(keepingCapacity: true)
        }
    }
}
