import FleetCore
import FleetInventory
import FleetYAML

/// A playbook: a list of plays read from a YAML file, every problem collected before any host
/// is contacted.
public struct Playbook: Sendable, Equatable {
    /// The file path as given.
    public var path: String
    /// The plays, in file order; never empty.
    public var plays: [Play]

    /// The number of tasks over all plays.
    public var taskCount: Int { plays.reduce(0) { $0 + $1.tasks.count } }

    /// Reads and checks the playbook at `path`, throwing every problem found. With an
    /// `inventory`, each play's `hosts` pattern must also select at least one of its hosts.
    public static func load(
        path: String, inventory: Inventory? = nil
    ) throws(PlaybookProblems) -> Playbook {
        try build(YAMLDocument.load(path: path), inventory: inventory)
    }

    /// Reads and checks playbook `text`, naming `file` in locations. With an `inventory`, each
    /// play's `hosts` pattern must also select at least one of its hosts.
    public static func parse(
        _ text: String, file: String, inventory: Inventory? = nil
    ) throws(PlaybookProblems) -> Playbook {
        try build(YAMLDocument.parse(text, file: file), inventory: inventory)
    }

    private static func build(
        _ document: YAMLDocument, inventory: Inventory?
    ) throws(PlaybookProblems) -> Playbook {
        var parser = PlaybookParser()
        parser.parse(document)
        var problems = parser.problems

        // Patterns of plays with other problems are resolved too, so one run shows everything.
        if let inventory {
            for target in parser.hostPatterns {
                do {
                    _ = try target.pattern.hosts(in: inventory)
                } catch {
                    problems.append(
                        PlaybookProblem(
                            .unmatchedHostPattern(play: target.play, error), at: target.location))
                }
            }
        }

        guard problems.isEmpty else {
            throw PlaybookProblems(problems)
        }
        return Playbook(path: document.file, plays: parser.plays)
    }
}
