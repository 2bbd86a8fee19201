import FleetCore
import Synchronization

/// The one output funnel: results go to standard output, diagnostics to standard error as
/// `error: ...` or `warning: ...`, each call written whole so lines from tasks never mix.
public final class Console: Sendable {
    private struct State {
        var verbosity = Verbosity.normal
    }

    private let standardOutput: any ConsoleOutput
    private let standardError: any ConsoleOutput
    private let colour: Bool
    private let state = Mutex(State())

    /// Creates a console over two outputs; `colour` adds ANSI colour to severity words.
    public init(standardOutput: any ConsoleOutput, standardError: any ConsoleOutput, colour: Bool) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.colour = colour
    }

    /// Returns a console over the process's standard streams, with colour only when standard error is a terminal,
    /// `NO_COLOR` is unset and `TERM` is not `dumb`.
    public static func standard(environment: [String: String]) -> Console {
        let colour =
            StandardStream.error.isTerminal && environment["NO_COLOR"] == nil
            && environment["TERM"] != "dumb"
        return Console(
            standardOutput: StandardStream.output, standardError: StandardStream.error,
            colour: colour)
    }

    /// The current verbosity.
    public var verbosity: Verbosity {
        get { state.withLock { $0.verbosity } }
        set { state.withLock { $0.verbosity = newValue } }
    }

    /// Whether standard output is a terminal, for live progress views.
    public var outputIsTerminal: Bool { standardOutput.isTerminal }

    /// Writes one result line to standard output.
    public func result(_ line: String) {
        write(line + "\n", to: standardOutput)
    }

    /// Writes text to standard output as it is, for help.
    public func output(_ text: String) {
        write(text, to: standardOutput)
    }

    /// Writes text that `produce` hands over block by block to standard output, holding the
    /// console for the whole of it so no other write comes between the blocks.
    func outputBlocks(_ produce: ((String) -> Void) -> Void) {
        state.withLock { _ in produce { standardOutput.write($0) } }
    }

    /// Writes blocks to standard error as `outputBlocks` writes them to standard output.
    func errorBlocks(_ produce: ((String) -> Void) -> Void) {
        state.withLock { _ in produce { standardError.write($0) } }
    }

    /// Writes `error: message` to standard error, after `location: ` when there is one.
    public func error(_ message: String, at location: SourceLocation? = nil) {
        diagnostic("error", colourCode: "1;31", message: message, location: location)
    }

    /// Writes `warning: message` to standard error unless the console is quiet.
    public func warning(_ message: String, at location: SourceLocation? = nil) {
        guard verbosity > .quiet else { return }
        diagnostic("warning", colourCode: "1;35", message: message, location: location)
    }

    /// Writes a note to standard error when the verbosity is at least `level`.
    public func note(_ message: String, level: Verbosity = .verbose) {
        guard verbosity >= level else { return }
        write(message + "\n", to: standardError)
    }

    /// Writes text to standard error as it is, for usage lines after an error.
    public func errorOutput(_ text: String) {
        write(text, to: standardError)
    }

    private func diagnostic(
        _ severity: String, colourCode: String, message: String, location: SourceLocation?
    ) {
        let word = colour ? "\u{1B}[\(colourCode)m\(severity):\u{1B}[0m" : "\(severity):"
        let prefix = location.map { "\($0): " } ?? ""
        write("\(prefix)\(word) \(message)\n", to: standardError)
    }

    private func write(_ text: String, to output: any ConsoleOutput) {
        // The lock orders whole writes across both streams.
        state.withLock { _ in output.write(text) }
    }
}
