/// A scalar exactly as written: its text after YAML unescaping and its style, so a schema can
/// type it (`on`, `0123` and `13.10` stay text until a field says otherwise).
public struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written in the file.
    public enum Style: Sendable, Hashable {
        /// Unquoted, such as `web1`.
        case plain
        /// In single quotes, such as `'on'`.
        case singleQuoted
        /// In double quotes, such as `"13.10"`.
        case doubleQuoted
        /// A `|` block.
        case literal
        /// A `>` block.
        case folded
    }

    /// The value text, with quotes removed and escapes resolved.
    public var text: String
    /// The style it was written in.
    public var style: Style

    /// Creates a scalar from its text and style.
    public init(text: String, style: Style) {
        self.text = text
        self.style = style
    }

    /// Whether the scalar is YAML's null: plain and empty, `~` or `null` in any of its
    /// YAML 1.1 spellings.
    public var isNull: Bool {
        guard style == .plain else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }
}
