import FleetInventory

extension Play {
    /// Returns the hosts the play's `hosts` pattern selects in `inventory`, in inventory order,
    /// with the play's `vars` applied over each host's variables.
    public func selectedHosts(in inventory: Inventory) throws(HostPatternError) -> [InventoryHost] {
        try hosts.hosts(in: inventory).map { $0.overriding(vars, play: name) }
    }
}
