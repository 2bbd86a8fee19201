/// The result of parsing a command line: the command path and the values given.
struct ParsedCommand: Sendable {
    /// The action the command line requests.
    enum Request: Sendable, Equatable {
        /// Run the handler of the last command of the path.
        case run
        /// Print help for the last command of the path.
        case help
        /// Print the version.
        case version
    }

    /// The commands from the tool down to the selected one.
    var path: [CommandSpec]
    /// The requested action.
    var request: Request
    /// Values of options that take one, by long name, in command-line order.
    var values: [String: [String]] = [:]
    /// How often each flag was given, by long name.
    var flags: [String: Int] = [:]
    /// Positional arguments, in order.
    var arguments: [String] = []
    /// The words after `--` of a command that takes a trailing command.
    var trailing: [String] = []

    /// The selected command.
    var command: CommandSpec { path[path.count - 1] }

    /// Returns the last value given for option `long`, since a later option overrides an earlier one.
    func value(_ long: String) -> String? { values[long]?.last }

    /// Returns how often flag `long` was given.
    func count(_ long: String) -> Int { flags[long] ?? 0 }

    /// Returns every word of the variadic last argument, such as the names of `NAME...`.
    func variadicArguments() -> [String] {
        guard command.arguments.last?.isVariadic == true else { return [] }
        return Array(arguments.dropFirst(command.arguments.count - 1))
    }

    /// Returns the positional argument named `name` in the command's table, when given.
    func argument(_ name: String) -> String? {
        guard let index = command.arguments.firstIndex(where: { $0.name == name }),
            index < arguments.count
        else { return nil }
        return arguments[index]
    }
}
