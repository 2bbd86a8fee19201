import FleetCore

/// Parses a command line against a command table.
///
/// Options may come anywhere after the command that declares them: an option of `inventory`
/// or of the tool itself is also valid after `inventory list`. `--opt=value` and `--opt value`
/// both work, short flags combine (`-vv`), a short option takes the rest of its word or the
/// next word as its value (`-ifile`, `-i file`), and `--` ends options.
struct ArgumentParser {
    private let root: CommandSpec

    init(root: CommandSpec) {
        self.root = root
    }

    /// Returns the parsed command, or the mistake with the commands recognized before it, so
    /// the usage line names the right command.
    func parse(_ arguments: [String]) -> Result<ParsedCommand, ParseFailure> {
        var state = ParseState(root: root)
        do {
            var index = 0
            while index < arguments.count {
                index = try state.consume(arguments, at: index)
            }
            return .success(try state.finish())
        } catch {
            return .failure(ParseFailure(error: error, path: state.parsed.path))
        }
    }
}

/// A parse error with the commands recognized before it.
struct ParseFailure: Error {
    /// The mistake.
    var error: ArgumentError
    /// The commands from the tool down to the last one recognized.
    var path: [CommandSpec]
}

/// The walk over the arguments.
private struct ParseState {
    var parsed: ParsedCommand
    private var endOfOptions = false
    private var wantsHelp = false
    private var wantsVersion = false

    init(root: CommandSpec) {
        parsed = ParsedCommand(path: [root], request: .run)
    }

    private var options: [OptionSpec] { parsed.path.flatMap(\.options) }

    mutating func consume(_ arguments: [String], at index: Int) throws(ArgumentError) -> Int {
        let argument = arguments[index]
        if endOfOptions {
            try addWord(argument)
            return index + 1
        }
        if argument == "--" {
            endOfOptions = true
            return index + 1
        }
        if argument.hasPrefix("--") {
            return try consumeLong(arguments, at: index)
        }
        if argument.hasPrefix("-") && argument.count > 1 {
            return try consumeShort(arguments, at: index)
        }
        try addWord(argument)
        return index + 1
    }

    func finish() throws(ArgumentError) -> ParsedCommand {
        var result = parsed
        if wantsVersion {
            result.request = .version
            return result
        }
        if wantsHelp {
            result.request = .help
            return result
        }
        let command = result.command
        guard command.handler != nil else {
            throw .missingCommand(choices: command.subcommands.map(\.name))
        }
        let required = command.arguments.filter { !$0.isOptional }
        if result.arguments.count < required.count {
            throw .missingArgument(name: required[result.arguments.count].name)
        }
        if let trailing = command.trailing, !trailing.isOptional, result.trailing.isEmpty {
            throw .missingArgument(name: "-- " + trailing.name)
        }
        return result
    }

    private mutating func consumeLong(_ arguments: [String], at index: Int) throws(ArgumentError)
        -> Int
    {
        let body = arguments[index].dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }

        switch name {
        case "help":
            wantsHelp = true
            return index + 1
        case "version":
            wantsVersion = true
            return index + 1
        default:
            break
        }
        guard let option = options.first(where: { $0.long == name }) else {
            let known = options.map { "--\($0.long)" } + ["--help", "--version"]
            throw .unknownOption(
                "--\(name)", suggestion: Suggestion.nearest(to: "--\(name)", in: known))
        }
        guard let valueName = option.valueName else {
            if inline != nil { throw .unexpectedValue(option: "--\(name)") }
            parsed.flags[option.long, default: 0] += 1
            return index + 1
        }
        if let inline {
            parsed.values[option.long, default: []].append(inline)
            return index + 1
        }
        guard index + 1 < arguments.count else {
            throw .missingValue(option: "--\(name)", valueName: valueName)
        }
        parsed.values[option.long, default: []].append(arguments[index + 1])
        return index + 2
    }

    private mutating func consumeShort(_ arguments: [String], at index: Int) throws(ArgumentError)
        -> Int
    {
        let letters = Array(arguments[index].dropFirst())
        for (position, letter) in letters.enumerated() {
            if letter == "h" {
                wantsHelp = true
                continue
            }
            guard let option = options.first(where: { $0.short == letter }) else {
                let known = options.compactMap { $0.short.map { "-\($0)" } } + ["-h"]
                throw .unknownOption(
                    "-\(letter)", suggestion: Suggestion.nearest(to: "-\(letter)", in: known))
            }
            guard let valueName = option.valueName else {
                parsed.flags[option.long, default: 0] += 1
                continue
            }
            let rest = String(letters[(position + 1)...])
            if !rest.isEmpty {
                parsed.values[option.long, default: []].append(rest)
                return index + 1
            }
            guard index + 1 < arguments.count else {
                throw .missingValue(option: "-\(letter)", valueName: valueName)
            }
            parsed.values[option.long, default: []].append(arguments[index + 1])
            return index + 2
        }
        return index + 1
    }

    private mutating func addWord(_ word: String) throws(ArgumentError) {
        let command = parsed.command
        if endOfOptions && command.trailing != nil {
            parsed.trailing.append(word)
            return
        }
        if !command.subcommands.isEmpty && !endOfOptions {
            guard let subcommand = command.subcommands.first(where: { $0.name == word }) else {
                let names = command.subcommands.map(\.name)
                throw .unknownCommand(word, suggestion: Suggestion.nearest(to: word, in: names))
            }
            parsed.path.append(subcommand)
            return
        }
        guard
            parsed.arguments.count < command.arguments.count
                || command.arguments.last?.isVariadic == true
        else {
            let pattern = command.arguments.last?.name == "PATTERN" ? parsed.arguments.last : nil
            throw .extraArgument(word, pattern: pattern, takesCommand: command.trailing != nil)
        }
        parsed.arguments.append(word)
    }
}
