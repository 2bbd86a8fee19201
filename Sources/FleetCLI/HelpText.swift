/// Usage lines and help pages built from the command table.
enum HelpText {
    /// The tool's name as help prints it.
    static let toolName = "minijail-fleet"

    /// Returns the command words from the tool down, such as `minijail-fleet inventory list`.
    static func commandLine(_ path: [CommandSpec]) -> String {
        ([toolName] + path.dropFirst().map(\.name)).joined(separator: " ")
    }

    /// Returns the usage line, such as `usage: minijail-fleet inventory list [options] [PATTERN]`.
    static func usage(_ path: [CommandSpec]) -> String {
        var words = [commandLine(path)]
        let command = path[path.count - 1]
        if !command.subcommands.isEmpty {
            words.append("<command>")
        }
        words.append("[options]")
        for argument in command.arguments {
            let name = argument.isVariadic ? argument.name + "..." : argument.name
            words.append(argument.isOptional ? "[\(name)]" : name)
        }
        if let trailing = command.trailing {
            words.append("-- \(trailing.name)...")
        }
        return "usage: " + words.joined(separator: " ")
    }

    /// Returns the text after a usage error: the usage line and where to find more.
    static func afterError(_ path: [CommandSpec]) -> String {
        "\(usage(path))\nRun '\(commandLine(path)) --help' for details.\n"
    }

    /// Returns the help page of the last command of `path`.
    static func page(_ path: [CommandSpec]) -> String {
        let command = path[path.count - 1]
        var lines = ["\(commandLine(path)): \(command.summary)", "", usage(path)]

        if !command.subcommands.isEmpty {
            lines += ["", "commands:"]
            lines += table(command.subcommands.map { ($0.name, $0.summary) })
        }
        let arguments = command.arguments + (command.trailing.map { [$0] } ?? [])
        if !arguments.isEmpty {
            lines += ["", "arguments:"]
            lines += table(arguments.map { ($0.name, $0.help) })
        }
        let options = path.reversed().flatMap(\.options)
        let standard = [
            OptionSpec(long: "help", short: "h", help: "print this help and exit"),
            OptionSpec(long: "version", help: "print the version and exit"),
        ]
        lines += ["", "options:"]
        lines += table((options + standard).map { ($0.synopsis, $0.help) })
        return lines.joined(separator: "\n") + "\n"
    }

    private static func table(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { left, right in
            "  " + left + String(repeating: " ", count: width - left.count + 2) + right
        }
    }
}
