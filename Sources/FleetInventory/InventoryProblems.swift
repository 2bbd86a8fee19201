import FleetYAML

/// Every problem found in an inventory, thrown by `Inventory.load(path:)`.
public struct InventoryProblems: Error, Sendable, Equatable {
    /// The problems in file order; never empty when thrown.
    public var problems: [InventoryProblem]

    /// Creates the collection of `problems`, sorted by position.
    public init(_ problems: [InventoryProblem]) {
        self.problems = problems.sorted { lhs, rhs in
            guard let left = lhs.location, let right = rhs.location else {
                return lhs.location == nil && rhs.location != nil
            }
            return (left.line, left.column) < (right.line, right.column)
        }
    }

    /// One `file:line:column: error: message` line per problem.
    public var renderedLines: [String] { problems.map(\.rendered) }

    /// Whether the file could not be read at all, which is a configuration problem rather than
    /// bad data.
    public var isUnreadableFile: Bool {
        problems.contains {
            if case .yaml(.unreadableFile) = $0.kind { return true }
            return false
        }
    }
}
