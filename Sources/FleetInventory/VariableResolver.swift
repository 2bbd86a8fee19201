import FleetCore

/// Applies variable precedence for one host: the host itself, then the nearest groups that set
/// the variable, then their parent groups, then `all`, then the default.
///
/// "Nearest" means no other group of the host that sets the variable lies below it. When two
/// or more nearest groups set different values, neither one is nearer, so the value is
/// ambiguous and becomes a problem instead of depending on file order.
struct VariableResolver {
    private let groups: [String: InventoryParser.Group]
    private let order: [String]
    private let graph: GroupGraph
    /// The groups that list each host directly, in file order.
    private let directGroups: [String: [String]]

    init(groups: [String: InventoryParser.Group], order: [String], graph: GroupGraph) {
        self.groups = groups
        self.order = order
        self.graph = graph

        var directGroups: [String: [String]] = [:]
        for name in order {
            for host in groups[name]?.hosts ?? [] {
                directGroups[host, default: []].append(name)
            }
        }
        self.directGroups = directGroups
    }

    /// Returns the groups of `host`, direct and inherited, in file order, without `all`.
    func memberships(of host: String) -> [String] {
        let direct = directGroups[host] ?? []
        var all = Set(direct)
        for group in direct {
            all.formUnion(graph.ancestors(of: group))
        }
        all.remove("all")
        return order.filter { all.contains($0) }
    }

    /// Resolves every variable of `host`, appending a problem for each conflict.
    func resolve(
        _ host: InventoryParser.Host, problems: inout [InventoryProblem]
    ) -> [ResolvedVariable] {
        let memberships = memberships(of: host.name)
        return InventoryVariable.allCases.map { variable in
            if let setting = host.settings[variable] {
                return ResolvedVariable(
                    variable: variable, value: setting.value, text: setting.text,
                    origin: .host(setting.location))
            }
            if let (group, setting) = nearestSetting(
                of: variable, among: memberships, host: host, problems: &problems)
            {
                return ResolvedVariable(
                    variable: variable, value: setting.value, text: setting.text,
                    origin: .group(group, setting.location))
            }
            if let setting = groups["all"]?.settings[variable] {
                return ResolvedVariable(
                    variable: variable, value: setting.value, text: setting.text,
                    origin: .group("all", setting.location))
            }
            if variable == .address {
                return ResolvedVariable(
                    variable: variable, value: .text(host.name), text: host.name,
                    origin: .defaultValue)
            }
            guard let value = variable.defaultValue else {
                return ResolvedVariable(variable: variable, value: nil, text: nil, origin: .unset)
            }
            return ResolvedVariable(
                variable: variable, value: value, text: value.description, origin: .defaultValue)
        }
    }

    private func nearestSetting(
        of variable: InventoryVariable, among memberships: [String],
        host: InventoryParser.Host, problems: inout [InventoryProblem]
    ) -> (String, VariableSetting)? {
        let setters = memberships.compactMap { name in
            groups[name]?.settings[variable].map { (name, $0) }
        }
        let nearest = setters.filter { candidate in
            !setters.contains { other in
                other.0 != candidate.0 && graph.ancestors(of: other.0).contains(candidate.0)
            }
        }
        guard let first = nearest.first else { return nil }

        if let different = nearest.first(where: { $0.1.value != first.1.value }) {
            problems.append(
                InventoryProblem(
                    .conflictingGroups(
                        host: host.name, variable: variable.name, first: first.0,
                        firstLocation: first.1.location, second: different.0,
                        secondLocation: different.1.location),
                    at: host.location))
        }
        return first
    }
}
