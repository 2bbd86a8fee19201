/// A position in an input file, 1-based, as editors and compilers print it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The path as the user gave it.
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number in characters, starting at 1.
    public var column: Int

    /// Creates a location from 1-based line and column numbers.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The `file:line:column` form.
    public var description: String { "\(file):\(line):\(column)" }
}
