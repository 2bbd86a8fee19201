/// A mistake on the command line, with what the user typed.
enum ArgumentError: Error, Equatable {
    /// An option that the command does not take.
    case unknownOption(String, suggestion: String?)
    /// A word where a subcommand is expected.
    case unknownCommand(String, suggestion: String?)
    /// A command that needs a subcommand got none.
    case missingCommand(choices: [String])
    /// An option that takes a value came last.
    case missingValue(option: String, valueName: String)
    /// A flag got a value with `=`.
    case unexpectedValue(option: String)
    /// A required positional argument is missing.
    case missingArgument(name: String)
    /// More positional arguments than the command takes. `pattern` is the host pattern
    /// already given, when the command's last argument is `PATTERN`, and `takesCommand` is
    /// true for a command that takes `-- COMMAND...`.
    case extraArgument(String, pattern: String?, takesCommand: Bool)

    /// The sentence after `error: `.
    var message: String {
        switch self {
        case .unknownOption(let option, let suggestion):
            return "unknown option '\(option)'" + Self.hint(suggestion)
        case .unknownCommand(let command, let suggestion):
            return "unknown command '\(command)'" + Self.hint(suggestion)
        case .missingCommand(let choices):
            return "missing command; expected one of: " + choices.joined(separator: ", ")
        case .missingValue(let option, let valueName):
            return "option '\(option)' needs a value (\(valueName))"
        case .unexpectedValue(let option):
            return "option '\(option)' takes no value"
        case .missingArgument(let name):
            return "missing argument \(name)"
        case .extraArgument(let argument, let pattern, let takesCommand):
            var hints: [String] = []
            if let pattern {
                hints.append("join host patterns with a comma, as in '\(pattern),\(argument)'")
            }
            if takesCommand { hints.append("give the command after --") }
            let hint = hints.isEmpty ? "" : "; " + hints.joined(separator: ", and ")
            return "unexpected argument '\(argument)'" + hint
        }
    }

    private static func hint(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}
