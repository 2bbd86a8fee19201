import FleetCore

/// A host with its group membership and its variables after precedence.
public struct InventoryHost: Sendable, Hashable {
    /// The inventory name.
    public var name: String
    /// The position where the file first lists the host.
    public var location: SourceLocation
    /// Every group that contains it, directly or through `children`, in file order; `all` is
    /// left out because it contains every host.
    public var groups: [String]
    /// The typed variables.
    public var variables: HostVariables
    /// Every variable with its value text and origin, in documentation order.
    public var resolvedVariables: [ResolvedVariable]
}
