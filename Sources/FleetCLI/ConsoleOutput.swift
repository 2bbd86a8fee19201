import Synchronization

/// A destination for console text: a standard stream, or a buffer in tests.
public protocol ConsoleOutput: Sendable {
    /// Writes `text` as it is, with no newline added.
    func write(_ text: String)

    /// Whether the destination is a terminal, where a live progress view may redraw itself.
    var isTerminal: Bool { get }
}

extension ConsoleOutput {
    /// False: only a standard stream can be a terminal.
    public var isTerminal: Bool { false }
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
