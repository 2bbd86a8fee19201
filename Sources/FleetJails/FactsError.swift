/// The facts probe's output could not be read, or a probe the planner needs failed.
public enum FactsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output does not start with the probe's first marker line.
    case notProbeOutput(firstLine: String)
    /// The output ends before the probe's last marker line.
    case truncated
    /// A line is neither a marker nor a data line, or a marker is out of place.
    case badLine(number: Int, text: String)
    /// A section was opened and never closed.
    case unterminatedSection(String)
    /// A section the parser needs is absent.
    case missingSection(String)
    /// A needed probe command exited non-zero.
    case probeFailed(section: String, status: Int32, stderr: [String])
    /// A needed probe command did not run.
    case probeSkipped(section: String, reason: String)
    /// A line of a command's output does not have the expected format.
    case badFormat(section: String, line: String, expected: String)

    /// The sentence shown to the user.
    public var description: String {
        switch self {
        case .notProbeOutput(let firstLine):
            return "facts probe output is invalid: first line is \"\(firstLine)\", "
                + "expected \"@@mjf probe \(FactsProbe.protocolVersion)\"; "
                + "check that the host runs a POSIX sh"
        case .truncated:
            return "facts probe output is truncated: \"@@mjf done\" is missing"
        case .badLine(let number, let text):
            return "facts probe output line \(number) is invalid: \"\(text)\""
        case .unterminatedSection(let name):
            return "facts probe section \(name) was never closed"
        case .missingSection(let name):
            return "facts probe section \(name) is missing"
        case .probeFailed(let section, let status, let stderr):
            let detail = stderr.last.map { ": \($0)" } ?? ""
            let hint = status == 127 ? " (command not found)" : ""
            return "facts probe \(section) failed with exit status \(status)\(hint)\(detail)"
        case .probeSkipped(let section, let reason):
            return "facts probe \(section) did not run: \(reason)"
        case .badFormat(let section, let line, let expected):
            return "facts probe \(section) printed \"\(line)\", expected \(expected)"
        }
    }
}
