/// Sorting of the first bytes a server sends.
enum BannerCheck {
    /// The maximum length in bytes of a line before or as the identification line, the
    /// limit OpenSSH's client applies (`SSH_MAX_BANNER_LEN` in OpenSSH's ssh.h).
    static let maxLineLength = 8192

    /// The maximum number of lines a server may send before its identification line, the
    /// limit OpenSSH's client applies (`SSH_MAX_PRE_BANNER_LINES` in OpenSSH's ssh.h).
    static let maxPreambleLines = 1024

    /// The kind of peer the first bytes show.
    enum Verdict: Equatable {
        /// The peer closed the connection before sending anything.
        case closed
        /// The bytes start with an SSH identification line, complete or not.
        case ssh
        /// The first line is not complete yet. `partialLine` is its printable text once it
        /// can no longer become an identification line, nil while it still can.
        case incomplete(partialLine: String?)
        /// The bytes start with a complete line of `length` bytes, newline included, that
        /// is not an identification line. RFC 4253 (section 4.2) lets a server send such
        /// lines before its identification line.
        case preamble(line: String, length: Int)
        /// A first line that no SSH server sends, as printable text. It contains a NUL
        /// byte, which libssh2 rejects in a banner, or it is longer than `maxLineLength`.
        case notSSH(String)
    }

    /// The lines a server sent before its identification line.
    struct Preamble {
        /// The first such line, as printable text.
        private(set) var firstLine: String?
        /// The number of such lines.
        private(set) var count = 0
        /// The text of an incomplete line that cannot become an identification line.
        var partialLine: String?

        /// Records one more line; returns false once there are more than `maxPreambleLines`.
        mutating func add(_ line: String) -> Bool {
            firstLine = firstLine ?? line
            partialLine = nil
            count += 1
            return count <= BannerCheck.maxPreambleLines
        }
    }

    /// Classifies the bytes waiting at the start of the server's stream.
    static func classify(_ bytes: [UInt8]) -> Verdict {
        if bytes.isEmpty { return .closed }
        let prefix = Array("SSH-".utf8)
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n"))
        var line = bytes[..<(newline ?? bytes.endIndex)]
        if line.starts(with: prefix) { return .ssh }
        if line.last == 13 { line = line.dropLast() }
        if line.contains(0) || (newline == nil && bytes.count >= maxLineLength) {
            return .notSSH(printable(line))
        }
        guard let newline else {
            return .incomplete(partialLine: prefix.starts(with: line) ? nil : printable(line))
        }
        return .preamble(line: printable(line), length: newline + 1)
    }

    /// Returns how many of `bytes` run through the newline that ends the first line starting
    /// with `SSH-`, or nil when no such line is complete.
    static func identificationEnd(_ bytes: [UInt8]) -> Int? {
        var lineStart = 0
        while let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
            if bytes[lineStart..<newline].starts(with: "SSH-".utf8) { return newline + 1 }
            lineStart = newline + 1
        }
        return nil
    }

    /// Returns whether `line`, the start of an identification line, contains the whole
    /// protocol version: the `-` that ends it, or the end of the line.
    static func hasProtocolVersion(_ line: [UInt8]) -> Bool {
        line.dropFirst(4).contains { $0 == UInt8(ascii: "-") || $0 == 10 || $0 == 13 }
    }

    /// Returns the identification line in `line`, without its line end, when it names a
    /// protocol version other than 2.0 or 1.99. Returns nil when the version is supported,
    /// or when `line` is the start of a line that does not contain the whole version yet.
    static func unsupportedVersion(_ line: [UInt8]) -> String? {
        let supported = ["SSH-2.0-", "SSH-1.99-"]
        if supported.contains(where: { line.starts(with: $0.utf8) }) { return nil }
        if !hasProtocolVersion(line) { return nil }
        var text = line[...]
        while let last = text.last, last == 10 || last == 13 { text = text.dropLast() }
        return printable(text)
    }

    /// Returns the first 80 bytes of `line` with every byte outside printable ASCII as `?`.
    private static func printable(_ line: ArraySlice<UInt8>) -> String {
        String(line.prefix(80).map { $0 >= 0x20 && $0 < 0x7f ? Character(UnicodeScalar($0)) : "?" })
    }
}
