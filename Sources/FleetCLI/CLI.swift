import FleetCore

/// The command-line front end: parses arguments, runs one command, returns the exit status.
public enum CLI {
    /// Runs the tool with `arguments` (without the program name) and returns the exit status.
    public static func main(_ arguments: [String]) async -> Int32 {
        ExitStatus.ok.rawValue
    }
}
