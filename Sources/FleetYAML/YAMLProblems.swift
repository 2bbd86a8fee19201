/// Every problem found in one YAML file, in the order they were found.
public struct YAMLProblems: Error, Sendable, Equatable {
    /// The problems; never empty when thrown.
    public var problems: [YAMLProblem]

    /// Creates a collection of `problems`.
    public init(_ problems: [YAMLProblem]) {
        self.problems = problems
    }
}
