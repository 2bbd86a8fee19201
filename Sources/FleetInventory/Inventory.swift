import FleetCore
import FleetYAML

/// The hosts and groups of an inventory file, with every host's variables resolved.
public struct Inventory: Sendable {
    /// The file path as given.
    public var path: String
    /// Every host, in the order the file first lists them.
    public var hosts: [InventoryHost]
    /// Every group, `all` first, then in the order the file first defines them.
    public var groups: [InventoryGroup]
    /// Things that load but deserve a note, such as ignored Ansible variables.
    public var warnings: [InventoryWarning]

    /// Reads and checks the inventory at `path`, throwing every problem found.
    public static func load(path: String) throws(InventoryProblems) -> Inventory {
        try build(YAMLDocument.load(path: path))
    }

    /// Reads and checks inventory `text`, naming `file` in locations.
    public static func parse(_ text: String, file: String) throws(InventoryProblems) -> Inventory {
        try build(YAMLDocument.parse(text, file: file))
    }

    /// Returns the host named exactly `name`.
    public func host(named name: String) -> InventoryHost? {
        hosts.first { $0.name == name }
    }

    /// Returns the group named exactly `name`.
    public func group(named name: String) -> InventoryGroup? {
        groups.first { $0.name == name }
    }

    private static func build(_ document: YAMLDocument) throws(InventoryProblems) -> Inventory {
        var parser = InventoryParser()
        parser.parse(document)
        var problems = parser.problems

        let groupList = parser.groupOrder.compactMap { parser.groups[$0] }
        let graph = GroupGraph(groups: groupList, order: parser.groupOrder)
        for path in graph.cycles() {
            let location = parser.groups[path[0]]?.location
            problems.append(InventoryProblem(.groupCycle(path: path), at: location))
        }

        let resolver = VariableResolver(
            groups: parser.groups, order: parser.groupOrder, graph: graph)
        let hosts = parser.hostOrder.compactMap { name -> InventoryHost? in
            guard let host = parser.hosts[name] else { return nil }
            let resolved = resolver.resolve(host, problems: &problems)
            return InventoryHost(
                name: name, location: host.location, groups: resolved.memberships,
                variables: HostVariables(hostName: name, resolved: resolved.variables),
                resolvedVariables: resolved.variables)
        }

        guard problems.isEmpty else {
            throw InventoryProblems(problems)
        }
        let groups = groupList.map { group in
            InventoryGroup(
                name: group.name, location: group.location, children: group.children,
                parents: group.parents, hosts: group.hosts,
                settings: InventoryVariable.allCases.compactMap { group.settings[$0] })
        }
        return Inventory(
            path: document.file, hosts: hosts, groups: groups, warnings: parser.warnings)
    }
}
