import FleetCore

/// A command in the command table: its options, positional arguments, subcommands and the
/// handler that runs it.
struct CommandSpec: Sendable {
    /// Runs a parsed command and returns its exit status; it writes every message itself.
    typealias Handler = @Sendable (CommandContext) async -> ExitStatus

    /// The word that selects it, such as `list` in `inventory list`.
    var name: String
    /// One line for help listings.
    var summary: String
    /// Options of this command; options of the commands above it apply too.
    var options: [OptionSpec] = []
    /// Positional arguments, in order; optional ones come last.
    var arguments: [ArgumentSpec] = []
    /// The words after `--`, such as the remote command of `exec`; nil when the command
    /// takes none, and then `--` only ends the options.
    var trailing: ArgumentSpec?
    /// Commands below it; a command has subcommands or a handler.
    var subcommands: [CommandSpec] = []
    /// The handler, for a command without subcommands.
    var handler: Handler?
}

/// A named option, such as `-i FILE` / `--inventory FILE` or the flag `--json`.
struct OptionSpec: Sendable {
    /// The long name without dashes.
    var long: String
    /// The one-letter short name, if any.
    var short: Character?
    /// The placeholder of the value, such as `FILE`; nil for a flag.
    var valueName: String?
    /// The help text: what the option sets.
    var help: String

    /// The forms as help prints them, such as `-i, --inventory FILE`.
    var synopsis: String {
        let value = valueName.map { " \($0)" } ?? ""
        guard let short else { return "    --\(long)\(value)" }
        return "-\(short), --\(long)\(value)"
    }
}

/// A positional argument, such as `HOST`.
struct ArgumentSpec: Sendable {
    /// The placeholder, such as `PATTERN`.
    var name: String
    /// The help text: what the argument selects.
    var help: String
    /// Whether it may be left out.
    var isOptional: Bool = false
    /// Whether it takes every remaining word, such as `NAME...`; only the last argument may.
    var isVariadic: Bool = false
}
