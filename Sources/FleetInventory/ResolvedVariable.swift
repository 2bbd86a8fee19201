/// A host variable after precedence: its value and where the value comes from.
public struct ResolvedVariable: Sendable, Hashable {
    /// The variable.
    public var variable: InventoryVariable
    /// The value; nil when nothing sets it and it has no default.
    public var value: InventoryValue?
    /// The value as written in the file, or the default's text; nil when unset.
    public var text: String?
    /// The source of the value.
    public var origin: VariableOrigin
}
