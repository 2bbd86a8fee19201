import FleetCore

/// A host pattern as Ansible users write it: parts separated by `:` or `,`, where a part is
/// `all`, a group, a host or a glob. A `&part` intersects and a `!part` excludes.
///
/// The result is the union of the plain parts (every host when there are none), intersected
/// with each `&` part, minus each `!` part, in inventory order, whatever the order of the parts.
public struct HostPattern: Sendable, Hashable {
    /// The way a part combines with the others.
    enum Operation: Hashable {
        case union
        case intersection
        case exclusion
    }

    /// One part of the pattern.
    struct Part: Hashable {
        var operation: Operation
        var selector: String
    }

    /// The pattern as written.
    public let text: String
    let parts: [Part]

    /// Parses `text`, rejecting empty parts and regular expressions.
    public init(_ text: String) throws(HostPatternError) {
        guard !text.isEmpty else { throw .emptyPattern }
        var parts: [Part] = []
        for raw in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "," })
        {
            var selector = Substring(raw)
            var operation = Operation.union
            if selector.first == "&" {
                operation = .intersection
                selector = selector.dropFirst()
            } else if selector.first == "!" {
                operation = .exclusion
                selector = selector.dropFirst()
            }
            guard !selector.isEmpty else { throw .emptyPart(pattern: text) }
            guard selector.first != "~" else { throw .regularExpression(part: String(selector)) }
            parts.append(Part(operation: operation, selector: String(selector)))
        }
        self.text = text
        self.parts = parts
    }

    /// Returns the hosts of `inventory` the pattern selects, in inventory order.
    public func hosts(in inventory: Inventory) throws(HostPatternError) -> [InventoryHost] {
        // A selection is one flag per host in inventory order, so combining parts hashes no
        // names and the result is already in inventory order.
        let unions = parts.filter { $0.operation == .union }
        var selected = [Bool](repeating: unions.isEmpty, count: inventory.hosts.count)
        for part in unions {
            let matching = try matches(part.selector, in: inventory)
            for index in selected.indices where matching[index] {
                selected[index] = true
            }
        }
        for part in parts where part.operation == .intersection {
            let matching = try matches(part.selector, in: inventory)
            for index in selected.indices where !matching[index] {
                selected[index] = false
            }
        }
        for part in parts where part.operation == .exclusion {
            let matching = try matches(part.selector, in: inventory)
            for index in selected.indices where matching[index] {
                selected[index] = false
            }
        }

        let hosts = inventory.hosts.indices.filter { selected[$0] }.map { inventory.hosts[$0] }
        guard !hosts.isEmpty else { throw .emptySelection(pattern: text) }
        return hosts
    }

    /// Returns whether `selector` matches each host of `inventory`, in inventory order.
    private func matches(_ selector: String, in inventory: Inventory) throws(HostPatternError)
        -> [Bool]
    {
        if selector == "all" || selector == "*" {
            return [Bool](repeating: true, count: inventory.hosts.count)
        }
        if inventory.group(named: selector) != nil {
            return inventory.hosts.map { $0.groups.contains(selector) }
        }
        if let index = inventory.hosts.firstIndex(where: { $0.name == selector }) {
            var matching = [Bool](repeating: false, count: inventory.hosts.count)
            matching[index] = true
            return matching
        }

        if GlobPattern.isGlob(selector) {
            let matching = inventory.hosts.map { host in
                GlobPattern.matches(selector, host.name)
                    || host.groups.contains { GlobPattern.matches(selector, $0) }
            }
            if matching.contains(true) {
                return matching
            }
        }
        let known = inventory.groups.map(\.name) + inventory.hosts.map(\.name)
        throw .noMatch(part: selector, suggestion: Suggestion.nearest(to: selector, in: known))
    }
}
