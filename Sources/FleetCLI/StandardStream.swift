#if canImport(Glibc)
    import Glibc
#endif

/// Standard output or standard error; every libc call of the console lives in this file.
public struct StandardStream: ConsoleOutput {
    private let descriptor: Int32

    /// Standard output, file descriptor 1.
    public static let output = StandardStream(descriptor: 1)
    /// Standard error, file descriptor 2.
    public static let error = StandardStream(descriptor: 2)

    /// Writes all of `text` with `write(2)`, retrying after `EINTR`. Other failures, such as a
    /// closed pipe, drop the rest because there is nowhere left to report them.
    public func write(_ text: String) {
        // withUTF8 reads a native string in place, so large output is not copied first.
        var text = text
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Whether the stream is a terminal (`isatty`).
    public var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Returns the process environment (`environ`).
    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let separator = text.firstIndex(of: "=") {
                result[String(text[..<separator])] = String(text[text.index(after: separator)...])
            }
            pointer += 1
        }
        return result
    }
}
