extension Inventory {
    /// Returns the hosts that `pattern` selects, narrowed to those `limit` also selects, in
    /// inventory order; a selection that ends up empty is an error.
    public func select(_ pattern: String, limit: String?) throws(HostPatternError)
        -> [InventoryHost]
    {
        let selected = try HostPattern(pattern).hosts(in: self)
        guard let limit else { return selected }

        let allowed = Set(try HostPattern(limit).hosts(in: self).map(\.name))
        let narrowed = selected.filter { allowed.contains($0.name) }
        guard !narrowed.isEmpty else {
            throw .emptyAfterLimit(pattern: pattern, limit: limit)
        }
        return narrowed
    }
}
