import FleetYAML

extension InventoryVariable {
    /// Types `node` by this variable's schema; `key` is the name as written, for messages.
    public func read(_ node: YAMLNode, key: String) throws(YAMLProblem) -> InventoryValue {
        switch type {
        case .text(let rule):
            let text = try node.string(key: key)
            guard rule.accepts(text) else {
                throw YAMLProblem(
                    .invalidValue(key: key, text: text, expected: rule.description),
                    at: node.location)
            }
            return .text(text)
        case .integer(let range):
            return .integer(try node.integer(key: key, range: range))
        case .boolean:
            return .boolean(try node.boolean(key: key))
        case .choice(let words):
            return .text(try node.choice(key: key, from: words))
        }
    }
}
