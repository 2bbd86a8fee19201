extension SSHError: CustomStringConvertible {
    /// The renderer's sentence, so that an error interpolated into a reason reads as a
    /// message rather than as the structure's fields.
    public var description: String { SSHErrorRenderer.message(for: self) }
}
