import FleetCore

/// A group of hosts, as the inventory defines it.
public struct InventoryGroup: Sendable, Hashable {
    /// The group name.
    public var name: String
    /// The position where the file first defines the group.
    public var location: SourceLocation
    /// Groups listed under its `children`, in file order.
    public var children: [String]
    /// Groups that list it under their `children`, in file order.
    public var parents: [String]
    /// Hosts listed under its own `hosts`, in file order.
    public var hosts: [String]
    /// Variables set in its `vars`.
    public var settings: [VariableSetting]
}
