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
        let everyone = Set(inventory.hosts.map(\.name))
        let unions = parts.filter { $0.operation == .union }
        var selected: Set<String> = unions.isEmpty ? everyone : []
        for part in unions {
            selected.formUnion(try names(matching: part.selector, in: inventory))
        }
        for part in parts where part.operation == .intersection {
            selected.formIntersection(try names(matching: part.selector, in: inventory))
        }
        for part in parts where part.operation == .exclusion {
            selected.subtract(try names(matching: part.selector, in: inventory))
        }

        let hosts = inventory.hosts.filter { selected.contains($0.name) }
        guard !hosts.isEmpty else { throw .emptySelection(pattern: text) }
        return hosts
    }

    private func names(matching selector: String, in inventory: Inventory) throws(HostPatternError)
        -> Set<String>
    {
        if selector == "all" || selector == "*" {
            return Set(inventory.hosts.map(\.name))
        }
        if inventory.group(named: selector) != nil {
            return Set(inventory.hosts.filter { $0.groups.contains(selector) }.map(\.name))
        }
        if inventory.host(named: selector) != nil {
            return [selector]
        }

        if GlobPattern.isGlob(selector) {
            let matching = inventory.hosts.filter { host in
                GlobPattern.matches(selector, host.name)
                    || host.groups.contains { GlobPattern.matches(selector, $0) }
            }
            if !matching.isEmpty {
                return Set(matching.map(\.name))
            }
        }
        let known = inventory.groups.map(\.name) + inventory.hosts.map(\.name)
        throw .noMatch(part: selector, suggestion: Suggestion.nearest(to: selector, in: known))
    }
}
