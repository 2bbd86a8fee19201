import struct FleetJails.JailName
import struct FleetJails.JailNameError
import FleetCore
import FleetInventory
import FleetYAML

extension PlaybookParser {
    /// Every key a task mapping accepts.
    static let taskKeys = ["name"] + TaskOperation.allCases.map(\.key)

    /// Reads `tasks`, which must list at least one task.
    mutating func readTasks(_ node: YAMLNode, play: String) -> [PlaybookTask] {
        guard let items = collect({ () throws(YAMLProblem) in try node.sequence(key: "tasks") })
        else {
            return []
        }
        if items.isEmpty {
            problems.append(PlaybookProblem(.noTasks(play: play), at: node.location))
        }
        return items.enumerated().compactMap { index, item in
            readTask(item, number: index + 1, play: play)
        }
    }

    private mutating func readTask(_ node: YAMLNode, number: Int, play: String) -> PlaybookTask? {
        guard let entries = collect({ () throws(YAMLProblem) in try node.mapping(key: nil) })
        else {
            return nil
        }
        let nameNode = value(of: "name", in: entries)
        let name = nameNode.flatMap { node in
            collect { () throws(YAMLProblem) in try node.string(key: "name") }
        }
        let label = name.map { "task '\($0)'" } ?? "task \(number) of \(play)"

        let unknown = YAMLSchema.unknownKeys(in: entries, known: Self.taskKeys, owner: label)
        problems += unknown.map(PlaybookProblem.init)
        let operations = entries.filter { TaskOperation(rawValue: $0.keyText) != nil }
        guard let first = operations.first, let operation = TaskOperation(rawValue: first.keyText)
        else {
            // A misspelled operation key is already reported as unknown, with a suggestion.
            if unknown.isEmpty {
                problems.append(PlaybookProblem(.noOperation(task: label), at: node.location))
            }
            return nil
        }
        for extra in operations.dropFirst() {
            problems.append(
                PlaybookProblem(
                    .twoOperations(task: label, first: first.keyText, second: extra.keyText),
                    at: extra.key.location))
        }

        guard let action = readAction(operation, entry: first), nameNode == nil || name != nil
        else {
            return nil
        }
        return PlaybookTask(name: name, location: node.location, action: action)
    }

    /// Reads the parameters of `operation` from the value of its key; nil after a problem.
    private mutating func readAction(
        _ operation: TaskOperation, entry: YAMLMappingEntry
    ) -> TaskAction? {
        let problemsBefore = problems.count
        guard
            let parameters = collect({ () throws(YAMLProblem) in
                try entry.value.mapping(key: operation.key)
            })
        else {
            return nil
        }
        problems += YAMLSchema.unknownKeys(
            in: parameters, known: operation.parameters, owner: "'\(operation.key)'"
        ).map(PlaybookProblem.init)
        for key in operation.requiredParameters where value(of: key, in: parameters) == nil {
            // A missing confirmation gets the message that explains it.
            let owner = "'\(operation.key)'"
            let kind: PlaybookProblem.Kind =
                key == "confirm" ? .deleteNotConfirmed : .missingKey(key: key, owner: owner)
            problems.append(PlaybookProblem(kind, at: entry.key.location))
        }

        let action = buildAction(operation, parameters: parameters)
        return problems.count == problemsBefore ? action : nil
    }

    private mutating func buildAction(
        _ operation: TaskOperation, parameters: [YAMLMappingEntry]
    ) -> TaskAction? {
        let jail = value(of: "name", in: parameters).flatMap { readJailName($0) }
        switch operation {
        case .skelInstall:
            let source = value(of: "source", in: parameters).map { readSource($0) }
            return source.map { .skelInstall(source: $0) } ?? .skelInstall(source: nil)
        case .skelUpgrade:
            let release = value(of: "release", in: parameters).map { readRelease($0) }
            return release.map { .skelUpgrade(release: $0) } ?? .skelUpgrade(release: nil)
        case .jailCreate:
            let start = readFlag("start", in: parameters) ?? false
            return jail.map { .jailCreate(name: $0, start: start) }
        case .jailStart:
            return jail.map { .jailStart(name: $0) }
        case .jailStop:
            return jail.map { .jailStop(name: $0) }
        case .jailRestart:
            return jail.map { .jailRestart(name: $0) }
        case .jailDelete:
            let stop = readFlag("stop", in: parameters) ?? false
            if readFlag("confirm", in: parameters) == false {
                let location = value(of: "confirm", in: parameters)?.location
                problems.append(PlaybookProblem(.deleteNotConfirmed, at: location))
            }
            return jail.map { .jailDelete(name: $0, stop: stop) }
        case .jailExec:
            let command = value(of: "command", in: parameters).flatMap {
                readCommand($0, operation: operation)
            }
            guard let jail, let command else { return nil }
            return .jailExec(name: jail, command: command)
        case .hostExec:
            let command = value(of: "command", in: parameters).flatMap {
                readCommand($0, operation: operation)
            }
            return command.map { .hostExec(command: $0) }
        case .report:
            return .report
        }
    }

    private mutating func readJailName(_ node: YAMLNode) -> String? {
        guard let name = collect({ () throws(YAMLProblem) in try node.string(key: "name") }) else {
            return nil
        }
        do {
            return try JailName(name).value
        } catch {
            problems.append(PlaybookProblem(.invalidJailName(error), at: node.location))
            return nil
        }
    }

    private mutating func readSource(_ node: YAMLNode) -> InstallSource? {
        let words = InstallSource.allCases.map(\.rawValue)
        let word = collect { () throws(YAMLProblem) in try node.choice(key: "source", from: words) }
        return word.flatMap(InstallSource.init(rawValue:))
    }

    private mutating func readRelease(_ node: YAMLNode) -> String? {
        guard let text = collect({ () throws(YAMLProblem) in try node.string(key: "release") })
        else {
            return nil
        }
        if let problem = releaseProblem(text) {
            problems.append(
                PlaybookProblem(.invalidRelease(text: text, problem: problem), at: node.location))
            return nil
        }
        return text
    }

    /// Reads a boolean parameter; nil when it is absent or invalid.
    private mutating func readFlag(_ key: String, in parameters: [YAMLMappingEntry]) -> Bool? {
        guard let node = value(of: key, in: parameters) else { return nil }
        return collect { () throws(YAMLProblem) in try node.boolean(key: key) }
    }

    /// Reads `command`: a non-empty list of exact strings whose first item, the program, is not
    /// empty.
    private mutating func readCommand(_ node: YAMLNode, operation: TaskOperation) -> [String]? {
        guard let items = collect({ () throws(YAMLProblem) in try node.sequence(key: "command") })
        else {
            return nil
        }
        let words = items.map { item in
            collect { () throws(YAMLProblem) in try item.string(key: "command") }
        }
        let valid = words.compactMap { $0 }
        guard valid.count == words.count else { return nil }
        guard let program = valid.first, !program.isEmpty else {
            problems.append(
                PlaybookProblem(.emptyCommand(operation: operation.key), at: node.location))
            return nil
        }
        return valid
    }
}
