import FleetCore

/// Applies variable precedence for one host: the host itself, then the nearest groups that set
/// the variable, then their parent groups, then `all`, then the default.
///
/// "Nearest" means no other group of the host that sets the variable lies below it. When two
/// or more nearest groups set different values, neither one is nearer, so the value is
/// ambiguous and becomes a problem instead of depending on file order.
struct VariableResolver {
    /// A host's groups and what they, `all` and the defaults give each variable. It depends
    /// only on the groups that list the host directly, so hosts listed in the same groups
    /// share one. A large group is then resolved once instead of once per host.
    private struct GroupLevel {
        /// The groups, direct and inherited, in file order, without `all`.
        var memberships: [String]
        /// Every variable in `allCases` order. An address that nothing sets has the origin
        /// `defaultValue` and no value until each host fills in its own name.
        var variables: [ResolvedVariable]
        /// The variables whose nearest groups set different values, in `allCases` order.
        var conflicts: [Conflict]
    }

    /// Two nearest groups that set one variable to different values.
    private struct Conflict {
        var variable: InventoryVariable
        var first: (group: String, setting: VariableSetting)
        var second: (group: String, setting: VariableSetting)
    }

    private let groups: [String: InventoryParser.Group]
    private let order: [String]
    private let graph: GroupGraph
    /// The groups that list each host directly, in file order.
    private let directGroups: [String: [String]]
    /// The group level of each list of direct groups that some host has.
    private var levels: [[String]: GroupLevel] = [:]

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

        var levels: [[String]: GroupLevel] = [:]
        for direct in directGroups.values where levels[direct] == nil {
            levels[direct] = level(of: direct)
        }
        self.levels = levels
    }

    /// Resolves every variable of `host`, appending a problem for each conflict, and returns
    /// them in `allCases` order with the host's groups, direct and inherited, in file order,
    /// without `all`.
    func resolve(
        _ host: InventoryParser.Host, problems: inout [InventoryProblem]
    ) -> (memberships: [String], variables: [ResolvedVariable]) {
        let direct = directGroups[host.name] ?? []
        let level = levels[direct] ?? level(of: direct)

        // A value set on the host itself hides any conflict between its groups.
        for conflict in level.conflicts where host.settings[conflict.variable] == nil {
            problems.append(
                InventoryProblem(
                    .conflictingGroups(
                        host: host.name, variable: conflict.variable.name,
                        first: conflict.first.group, firstLocation: conflict.first.setting.location,
                        second: conflict.second.group,
                        secondLocation: conflict.second.setting.location),
                    at: host.location))
        }

        var variables = level.variables
        for (variable, setting) in host.settings {
            variables[variable.index] = ResolvedVariable(
                variable: variable, value: setting.value, text: setting.text,
                origin: .host(setting.location))
        }
        let address = InventoryVariable.address.index
        if variables[address].origin == .defaultValue {
            variables[address] = ResolvedVariable(
                variable: .address, value: .text(host.name), text: host.name,
                origin: .defaultValue)
        }
        return (level.memberships, variables)
    }

    private func level(of direct: [String]) -> GroupLevel {
        let memberships = memberships(direct: direct)
        var conflicts: [Conflict] = []
        let variables = InventoryVariable.allCases.map { variable in
            if let (group, setting) = nearestSetting(
                of: variable, among: memberships, conflicts: &conflicts)
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
            guard let value = variable.defaultValue else {
                let origin: VariableOrigin = variable == .address ? .defaultValue : .unset
                return ResolvedVariable(variable: variable, value: nil, text: nil, origin: origin)
            }
            return ResolvedVariable(
                variable: variable, value: value, text: value.description, origin: .defaultValue)
        }
        return GroupLevel(memberships: memberships, variables: variables, conflicts: conflicts)
    }

    private func memberships(direct: [String]) -> [String] {
        var all = Set(direct)
        for group in direct {
            all.formUnion(graph.ancestors(of: group))
        }
        all.remove("all")
        return order.filter { all.contains($0) }
    }

    private func nearestSetting(
        of variable: InventoryVariable, among memberships: [String],
        conflicts: inout [Conflict]
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
            conflicts.append(Conflict(variable: variable, first: first, second: different))
        }
        return first
    }
}
