/// Every problem found in a playbook, thrown by `Playbook.load(path:)`.
public struct PlaybookProblems: Error, Sendable, Equatable {
    /// The problems in file order; never empty when thrown.
    public var problems: [PlaybookProblem]

    /// Creates the collection of `problems`, sorted by position; a problem without a position
    /// comes first.
    public init(_ problems: [PlaybookProblem]) {
        self.problems = problems.enumerated().sorted { lhs, rhs in
            guard let left = lhs.element.location, let right = rhs.element.location else {
                return lhs.element.location == nil && rhs.element.location != nil
            }
            return (left.line, left.column, lhs.offset) < (right.line, right.column, rhs.offset)
        }.map(\.element)
    }

    /// One `file:line:column: error: message` line per problem.
    public var renderedLines: [String] { problems.map(\.rendered) }

    /// Whether the file could not be read at all.
    public var isUnreadableFile: Bool {
        problems.contains {
            if case .yaml(.unreadableFile) = $0.kind { return true }
            return false
        }
    }
}
