import Synchronization

/// A destination for console text: a standard stream, or a buffer in tests.
public protocol ConsoleOutput: Sendable {
    /// Writes `text` as it is, with no newline added.
    func write(_ text: String)
}

/// Console output kept in memory, so tests can compare it with the exact expected text.
public final class CapturedOutput: ConsoleOutput {
    private let buffer = Mutex("")

    /// Creates an empty buffer.
    public init() {}

    /// Appends `text`.
    public func write(_ text: String) {
        buffer.withLock { $0 += text }
    }

    /// Everything written so far.
    public var text: String { buffer.withLock { $0 } }
}
