extension Array where Element == YAMLProblem {
    /// Runs `body` and returns its value, or appends the problem it throws and returns nil.
    public mutating func collect<Value>(
        _ body: () throws(YAMLProblem) -> Value
    ) -> Value? {
        do {
            return try body()
        } catch {
            append(error)
            return nil
        }
    }
}
