/// A typed variable value.
public enum InventoryValue: Sendable, Hashable, CustomStringConvertible {
    /// Text, including paths and enumeration words.
    case text(String)
    /// An integer.
    case integer(Int)
    /// A boolean.
    case boolean(Bool)

    /// The value in canonical form: integers in decimal, booleans as `true` or `false`.
    public var description: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .boolean(let value): return value ? "true" : "false"
        }
    }
}
