import FleetCore

/// The command-line front end: parses arguments, runs one command, returns the exit status.
public enum CLI {
    /// Runs the tool with `arguments` (without the program name) and returns the exit status.
    public static func main(_ arguments: [String]) async -> Int32 {
        let environment = StandardStream.environment()
        let console = Console.standard(environment: environment)
        return await main(arguments, console: console, environment: environment)
    }

    /// Runs the tool with an injected console and environment, so tests see the exact output.
    public static func main(
        _ arguments: [String], console: Console, environment: [String: String]
    ) async -> Int32 {
        let parsed: ParsedCommand
        switch ArgumentParser(root: CommandTable.root).parse(arguments) {
        case .success(let result):
            parsed = result
        case .failure(let failure):
            console.error(failure.error.message)
            console.errorOutput(HelpText.afterError(failure.path))
            return ExitStatus.usage.rawValue
        }

        switch parsed.request {
        case .version:
            console.result("\(HelpText.toolName) \(minijailFleetVersion)")
            return ExitStatus.ok.rawValue
        case .help:
            console.output(HelpText.page(parsed.path))
            return ExitStatus.ok.rawValue
        case .run:
            break
        }

        console.verbosity = verbosity(parsed)
        guard let handler = parsed.command.handler else {
            // The parser rejects a command without a handler before this point.
            return ExitStatus.software.rawValue
        }
        let context = CommandContext(parsed: parsed, console: console, environment: environment)
        return await handler(context).rawValue
    }

    private static func verbosity(_ parsed: ParsedCommand) -> Verbosity {
        if parsed.count("quiet") > 0 {
            return .quiet
        }
        switch parsed.count("verbose") {
        case 0: return .normal
        case 1: return .verbose
        default: return .debug
        }
    }
}
