/// The `children` relation between groups: ancestors, membership and cycles.
struct GroupGraph {
    private let parents: [String: [String]]
    private let order: [String]

    /// Creates the graph of `groups`, listed in file order.
    init(groups: [InventoryParser.Group], order: [String]) {
        var parents: [String: [String]] = [:]
        for group in groups {
            parents[group.name] = group.parents
        }
        self.parents = parents
        self.order = order
    }

    /// Returns every group above `group` through `parents`, without `group` itself unless a
    /// cycle leads back to it.
    func ancestors(of group: String) -> Set<String> {
        var found: Set<String> = []
        var pending = parents[group] ?? []
        while let next = pending.popLast() {
            guard found.insert(next).inserted else { continue }
            pending += parents[next] ?? []
        }
        return found
    }

    /// Returns each cycle once, as a path that starts and ends with the first group of the
    /// cycle in file order.
    func cycles() -> [[String]] {
        var reported: Set<Set<String>> = []
        var result: [[String]] = []
        for group in order where ancestors(of: group).contains(group) {
            let path = pathUp(from: group, to: group)
            let members = Set(path)
            guard reported.insert(members).inserted else { continue }
            // Print the cycle top-down, the way `children` nests it in the file.
            result.append(path.reversed())
        }
        return result
    }

    private func pathUp(from start: String, to goal: String) -> [String] {
        var previous: [String: String] = [:]
        var queue = [start]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for parent in parents[current] ?? [] {
                if parent == goal {
                    var chain = [current]
                    while let last = chain.last, let before = previous[last] {
                        chain.append(before)
                    }
                    return chain.reversed() + [goal]
                }
                if previous[parent] == nil && parent != start {
                    previous[parent] = current
                    queue.append(parent)
                }
            }
        }
        return [start, start]
    }
}
