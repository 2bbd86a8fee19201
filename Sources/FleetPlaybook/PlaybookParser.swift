import FleetCore
import FleetInventory
import FleetYAML

/// Reads a playbook document into plays, collecting every problem instead of stopping at the
/// first.
struct PlaybookParser {
    /// A play's `hosts` pattern, kept even when the play has other problems.
    struct HostTarget {
        var pattern: HostPattern
        var play: String
        var location: SourceLocation
    }

    static let playKeys = ["name", "hosts", "serial", "max_fail_percentage", "vars", "tasks"]

    private(set) var plays: [Play] = []
    private(set) var hostPatterns: [HostTarget] = []
    var problems: [PlaybookProblem] = []

    /// Reads `document`, whose YAML problems are already collected.
    mutating func parse(_ document: YAMLDocument) {
        problems += document.problems.map(PlaybookProblem.init)
        guard let root = document.root else {
            if document.problems.isEmpty {
                let start = SourceLocation(file: document.file, line: 1, column: 1)
                problems.append(PlaybookProblem(.emptyPlaybook, at: start))
            }
            return
        }
        if root.isNull {
            problems.append(PlaybookProblem(.emptyPlaybook, at: root.location))
            return
        }
        guard let items = root.sequenceItems else {
            problems.append(PlaybookProblem(.notAList(found: root.kind), at: root.location))
            return
        }
        if items.isEmpty {
            problems.append(PlaybookProblem(.emptyPlaybook, at: root.location))
        }
        for (index, item) in items.enumerated() {
            parsePlay(item, number: index + 1)
        }
    }

    private mutating func parsePlay(_ node: YAMLNode, number: Int) {
        let problemsBefore = problems.count
        guard let entries = collect({ () throws(YAMLProblem) in try node.mapping(key: nil) })
        else {
            return
        }

        let nameNode = value(of: "name", in: entries)
        let name = nameNode.flatMap { node in
            collect { () throws(YAMLProblem) in try node.string(key: "name") }
        }
        let label = name.map { "play '\($0)'" } ?? "play \(number)"
        problems += YAMLSchema.unknownKeys(in: entries, known: Self.playKeys, owner: label)
            .map(PlaybookProblem.init)
        for key in ["name", "hosts", "tasks"] where value(of: key, in: entries) == nil {
            problems.append(PlaybookProblem(.missingKey(key: key, owner: label), at: node.location))
        }

        let hosts = value(of: "hosts", in: entries).flatMap { readHosts($0, play: label) }
        // An absent key takes the default; a present but invalid one reads as nil.
        let serial = value(of: "serial", in: entries).map { readSerial($0) } ?? .allAtOnce
        let budget =
            value(of: "max_fail_percentage", in: entries).map { readBudget($0) }
            ?? FailureBudget(maxFailPercent: 0)
        let vars = value(of: "vars", in: entries).map { readVars($0, play: label) } ?? []
        let tasks = value(of: "tasks", in: entries).map { readTasks($0, play: label) } ?? []

        guard problems.count == problemsBefore, let name, let hosts, let serial, let budget else {
            return
        }
        plays.append(
            Play(
                name: name, location: node.location, hosts: hosts.pattern,
                hostsLocation: hosts.location, serial: serial, budget: budget, vars: vars,
                tasks: tasks))
    }

    private mutating func readHosts(_ node: YAMLNode, play: String) -> HostTarget? {
        guard let text = collect({ () throws(YAMLProblem) in try node.string(key: "hosts") }) else {
            return nil
        }
        do {
            let target = HostTarget(
                pattern: try HostPattern(text), play: play, location: node.location)
            hostPatterns.append(target)
            return target
        } catch {
            problems.append(PlaybookProblem(.invalidHostPattern(error), at: node.location))
            return nil
        }
    }

    /// Reads `serial`: one batch size, or a list of them for a ramp; nil after a problem.
    private mutating func readSerial(_ node: YAMLNode) -> SerialPlan? {
        guard let items = node.sequenceItems else {
            return readBatchSize(node).map { SerialPlan(sizes: [$0]) }
        }
        guard !items.isEmpty else {
            problems.append(PlaybookProblem(.emptySerial, at: node.location))
            return nil
        }
        let sizes = items.map { readBatchSize($0) }
        let valid = sizes.compactMap { $0 }
        return valid.count == sizes.count ? SerialPlan(sizes: valid) : nil
    }

    private mutating func readBatchSize(_ node: YAMLNode) -> SerialPlan.Size? {
        guard let text = collect({ () throws(YAMLProblem) in try node.string(key: "serial") })
        else {
            return nil
        }
        if text.contains(",") {
            let reason = "write a ramp as a list, such as [1, \"25%\", \"100%\"]"
            problems.append(
                PlaybookProblem(.invalidSerial(text: text, reason: reason), at: node.location))
            return nil
        }
        do {
            return try SerialPlan.parseSize(text)
        } catch {
            problems.append(
                PlaybookProblem(
                    .invalidSerial(text: text, reason: error.reason), at: node.location))
            return nil
        }
    }

    private mutating func readBudget(_ node: YAMLNode) -> FailureBudget? {
        let percent = collect { () throws(YAMLProblem) in
            try node.integer(key: "max_fail_percentage", range: 0...100)
        }
        return percent.map { FailureBudget(maxFailPercent: $0) }
    }

    /// Reads `vars` against the inventory's variable table, with the same types and checks.
    private mutating func readVars(_ node: YAMLNode, play: String) -> [VariableSetting] {
        let entries = collect { () throws(YAMLProblem) in try node.mapping(key: "vars") } ?? []
        var settings: [VariableSetting] = []
        for entry in entries {
            guard let variable = InventoryVariable.named(entry.keyText) else {
                if YAMLSchema.isMergeKey(entry) {
                    problems.append(PlaybookProblem(YAMLProblem(.mergeKey, at: entry.key.location)))
                    continue
                }
                let suggestion = Suggestion.nearest(
                    to: entry.keyText, in: InventoryVariable.allKeys)
                problems.append(
                    PlaybookProblem(
                        .unknownVariable(key: entry.keyText, play: play, suggestion: suggestion),
                        at: entry.key.location))
                continue
            }
            if let existing = settings.first(where: { $0.variable == variable }) {
                problems.append(
                    PlaybookProblem(
                        .variableSetTwice(key: entry.keyText, play: play, first: existing.location),
                        at: entry.key.location))
                continue
            }
            let value = collect { () throws(YAMLProblem) in
                try variable.read(entry.value, key: entry.keyText)
            }
            guard let value, let text = entry.value.scalar?.text else { continue }
            settings.append(
                VariableSetting(
                    variable: variable, key: entry.keyText, value: value, text: text,
                    location: entry.value.location))
        }
        return settings
    }

    /// Returns the value of `key` in `entries`, or nil when the key is absent.
    func value(of key: String, in entries: [YAMLMappingEntry]) -> YAMLNode? {
        entries.first { $0.keyText == key }?.value
    }

    /// Runs `body` and returns its value, or records the problem it throws and returns nil.
    mutating func collect<Value>(_ body: () throws(YAMLProblem) -> Value) -> Value? {
        do {
            return try body()
        } catch {
            problems.append(PlaybookProblem(error))
            return nil
        }
    }
}
