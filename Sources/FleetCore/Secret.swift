/// A value that must never reach output or logs; every description is `***`.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret text, for the one call that needs it.
    public let revealed: String

    /// Wraps `value`.
    public init(_ value: String) { revealed = value }

    /// Always `***`.
    public var description: String { "***" }
    /// Always `***`.
    public var debugDescription: String { "***" }
}
