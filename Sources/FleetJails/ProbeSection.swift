/// One section of the facts probe's output.
public enum ProbeSection: Sendable, Equatable {
    /// The probe command ran and exited with `status`.
    case ran(status: Int32, stdout: [String], stderr: [String], files: [JailConfigFile])
    /// The probe did not run the command, for the reason given.
    case skipped(reason: String)

    /// The stdout lines when the command exited 0, nil otherwise.
    var successfulOutput: [String]? {
        switch self {
        case .ran(let status, let stdout, _, _): return status == 0 ? stdout : nil
        case .skipped: return nil
        }
    }
}

/// Splits the facts probe's output into sections by their markers.
struct ProbeOutputReader {
    private(set) var sections: [String: ProbeSection] = [:]

    init(_ output: String) throws(FactsError) {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == "@@mjf probe \(FactsProbe.protocolVersion)" else {
            throw FactsError.notProbeOutput(firstLine: lines.first ?? "")
        }
        guard lines.last == "@@mjf done" else { throw FactsError.truncated }
        var open: (name: String, stdout: [String], stderr: [String], files: [JailConfigFile])?
        for (index, line) in lines.enumerated().dropFirst().dropLast() {
            let number = index + 1
            if line.hasPrefix("|") || line.hasPrefix("!") {
                guard open != nil else { throw FactsError.badLine(number: number, text: line) }
                let text = String(line.dropFirst())
                if line.hasPrefix("!") {
                    open!.stderr.append(text)
                } else if open!.files.isEmpty {
                    open!.stdout.append(text)
                } else {
                    open!.files[open!.files.count - 1].content += text + "\n"
                }
                continue
            }
            let words = line.split(separator: " ", maxSplits: 3).map(String.init)
            switch (words.first, words.count > 1 ? words[1] : "") {
            case ("@@mjf", "begin") where words.count == 3 && open == nil:
                open = (words[2], [], [], [])
            case ("@@mjf", "file") where words.count >= 3 && open != nil:
                let path = String(line.dropFirst("@@mjf file ".count))
                open!.files.append(JailConfigFile(path: path, content: ""))
            case ("@@mjf", "end") where words.count == 4 && open?.name == words[2]:
                guard let status = Int32(words[3]) else {
                    throw FactsError.badLine(number: number, text: line)
                }
                let section = open!
                sections[section.name] = .ran(
                    status: status, stdout: section.stdout, stderr: section.stderr,
                    files: section.files)
                open = nil
            case ("@@mjf", "skip") where words.count >= 3 && open == nil:
                sections[words[2]] = .skipped(reason: words.count == 4 ? words[3] : "")
            default:
                throw FactsError.badLine(number: number, text: line)
            }
        }
        if let open { throw FactsError.unterminatedSection(open.name) }
    }

    /// Returns the section `name`, throwing when the probe output lacks it.
    func section(_ name: String) throws(FactsError) -> ProbeSection {
        guard let section = sections[name] else { throw FactsError.missingSection(name) }
        return section
    }

    /// Returns the stdout of `name`, throwing when it was skipped or exited non-zero.
    func requiredOutput(_ name: String) throws(FactsError) -> [String] {
        let section = try section(name)
        switch section {
        case .ran(let status, let stdout, let stderr, _):
            guard status == 0 else {
                throw FactsError.probeFailed(section: name, status: status, stderr: stderr)
            }
            return stdout
        case .skipped(let reason):
            throw FactsError.probeSkipped(section: name, reason: reason)
        }
    }
}
