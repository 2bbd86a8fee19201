extension InventoryProblem.Kind {
    /// The sentence a user reads, without position or severity.
    public var message: String {
        switch self {
        case .yaml(let kind):
            return kind.message
        case .emptyInventory:
            return "the inventory is empty; expected a mapping with an 'all' group"
        case .invalidName(let kind, let name, let character):
            return
                "invalid \(kind.rawValue) name '\(name)': '\(character)' is reserved for host patterns"
        case .invalidHostRange(let name, let reason):
            return "invalid host range '\(name)': \(reason)"
        case .hostDefinedTwice(let host, let first):
            return "host '\(host)' is defined twice; its variables are first given at \(first), "
                + "so list it here without variables"
        case .variableSetTwice(let key, let owner, let first):
            return "'\(key)' sets a variable of \(owner) that is already set at \(first)"
        case .unknownVariable(let key, let owner, let suggestion):
            guard let suggestion else { return "unknown variable '\(key)' in \(owner)" }
            return "unknown variable '\(key)' in \(owner); did you mean '\(suggestion)'?"
        case .allAsChild:
            return "group 'all' contains every group and cannot be a child of another group"
        case .hostAndGroup(let name, let group):
            return "'\(name)' is both a host and a group (defined at \(group)); rename one of them"
        case .groupCycle(let path):
            return "groups contain each other: " + path.joined(separator: " -> ")
        case .conflictingGroups(
            let host, let variable, let first, let firstAt, let second, let secondAt):
            return "host '\(host)' gets different values of '\(variable)' from unrelated groups "
                + "'\(first)' (\(firstAt)) and '\(second)' (\(secondAt)); "
                + "set it on the host or in one group"
        }
    }
}
