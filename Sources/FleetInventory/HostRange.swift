/// Expands Ansible host ranges in inventory names: `web[01:03]` is `web01`, `web02`, `web03`,
/// `db-[a:c]` is `db-a`, `db-b`, `db-c`, and `[1:9:4]` steps by 4.
enum HostRange {
    /// The largest number of names one range may produce, so a typing slip such as
    /// `[1:99999999]` fails instead of exhausting memory.
    static let maximumNames = 10_000

    /// Returns the names `pattern` stands for, or the reason it is malformed.
    static func expand(_ pattern: String) -> Result<[String], RangeProblem> {
        // Most names have no range, and a name without either bracket byte has neither
        // bracket character, so it skips the search by character.
        if !hasBracketByte(pattern) {
            return .success([pattern])
        }
        guard let open = pattern.firstIndex(of: "[") else {
            if pattern.contains("]") { return .failure(RangeProblem("']' without '['")) }
            return .success([pattern])
        }
        guard let close = pattern[open...].firstIndex(of: "]") else {
            return .failure(RangeProblem("'[' without ']'"))
        }
        let prefix = pattern[..<open]
        if prefix.contains("]") { return .failure(RangeProblem("']' without '['")) }
        let body = pattern[pattern.index(after: open)..<close]
        let suffix = String(pattern[pattern.index(after: close)...])

        let values: [String]
        switch rangeItems(of: body) {
        case .success(let expanded): values = expanded
        case .failure(let problem): return .failure(problem)
        }
        let tails: [String]
        switch expand(suffix) {
        case .success(let values): tails = values
        case .failure(let problem): return .failure(problem)
        }
        guard values.count * tails.count <= maximumNames else {
            return .failure(RangeProblem("it names more than \(maximumNames) hosts"))
        }
        return .success(values.flatMap { item in tails.map { prefix + item + $0 } })
    }

    private static func hasBracketByte(_ pattern: String) -> Bool {
        let bytes = pattern.utf8.span
        for index in bytes.indices
        where bytes[index] == UInt8(ascii: "[") || bytes[index] == UInt8(ascii: "]") {
            return true
        }
        return false
    }

    private static func rangeItems(of body: Substring) -> Result<[String], RangeProblem> {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            return .failure(RangeProblem("expected [start:end] or [start:end:step]"))
        }
        var step = 1
        if parts.count == 3 {
            guard let value = Int(parts[2]), value > 0 else {
                return .failure(RangeProblem("the step '\(parts[2])' is not a positive integer"))
            }
            step = value
        }

        if let start = Int(parts[0]), let end = Int(parts[1]), start >= 0 {
            guard start <= end else {
                return .failure(RangeProblem("the start \(start) is after the end \(end)"))
            }
            guard (end - start) / step < maximumNames else {
                return .failure(RangeProblem("it names more than \(maximumNames) hosts"))
            }
            let width = parts[0].hasPrefix("0") ? parts[0].count : 0
            return .success(stride(from: start, through: end, by: step).map { pad($0, to: width) })
        }
        if let start = letter(parts[0]), let end = letter(parts[1]) {
            guard start <= end else {
                return .failure(
                    RangeProblem("the start '\(parts[0])' is after the end '\(parts[1])'"))
            }
            let values = stride(from: start.value, through: end.value, by: step)
            return .success(values.compactMap { Unicode.Scalar($0).map { String(Character($0)) } })
        }
        return .failure(RangeProblem("expected two numbers or two letters"))
    }

    private static func letter(_ text: String) -> Unicode.Scalar? {
        guard text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first,
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        else { return nil }
        return scalar
    }

    private static func pad(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// The reason a host range is malformed.
struct RangeProblem: Error {
    /// The reason as a clause.
    var reason: String

    init(_ reason: String) { self.reason = reason }
}
