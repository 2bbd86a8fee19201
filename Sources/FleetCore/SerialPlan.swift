/// How many hosts each batch of a rolling run takes: `--serial` and a play's `serial`.
///
/// Each entry is a host count or a percentage of all selected hosts. The last entry
/// repeats until every host is placed, so `1,25%,100%` is one canary host, then a
/// quarter of the fleet, then everything left.
public struct SerialPlan: Sendable, Equatable, CustomStringConvertible {
    /// One batch size.
    public enum Size: Sendable, Equatable {
        /// A fixed number of hosts, at least 1.
        case count(Int)
        /// A percentage of all selected hosts, 1 to 100; rounds down but never below 1 host.
        case percent(Int)
    }

    /// The batch sizes in order; the last one repeats.
    public let sizes: [Size]

    /// A plan that puts every host in one batch.
    public static let allAtOnce = SerialPlan(sizes: [.percent(100)])

    /// Creates a plan; `sizes` must not be empty.
    public init(sizes: [Size]) {
        precondition(!sizes.isEmpty, "a serial plan needs at least one size")
        self.sizes = sizes
    }

    /// Parses the command-line form: comma-separated counts and percentages, e.g. `1,25%,100%`.
    public static func parse(_ text: String) throws(SerialPlanError) -> SerialPlan {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var sizes: [Size] = []
        for part in parts {
            sizes.append(try parseSize(String(part)))
        }
        return SerialPlan(sizes: sizes)
    }

    /// Parses one batch size: `3` or `25%`.
    public static func parseSize(_ text: String) throws(SerialPlanError) -> Size {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasSuffix("%") {
            let digits = String(trimmed.dropLast())
            guard let value = strictInteger(digits), (1...100).contains(value) else {
                throw SerialPlanError(text: text, reason: "a percentage must be 1% to 100%")
            }
            return .percent(value)
        }
        guard let value = strictInteger(trimmed), value >= 1 else {
            throw SerialPlanError(
                text: text,
                reason: "a batch size must be a whole number of hosts (at least 1) or a percentage")
        }
        return .count(value)
    }

    /// Splits `hostCount` hosts into consecutive batch sizes that add up to `hostCount`.
    public func batchSizes(hostCount: Int) -> [Int] {
        var result: [Int] = []
        var placed = 0
        var index = 0
        while placed < hostCount {
            let size = sizes[min(index, sizes.count - 1)]
            let requested: Int
            switch size {
            case .count(let count): requested = count
            case .percent(let percent): requested = max(1, hostCount * percent / 100)
            }
            let taken = min(requested, hostCount - placed)
            result.append(taken)
            placed += taken
            index += 1
        }
        return result
    }

    /// The command-line form, e.g. `1,25%,100%`.
    public var description: String {
        sizes.map { size -> String in
            switch size {
            case .count(let count): return String(count)
            case .percent(let percent): return "\(percent)%"
            }
        }.joined(separator: ",")
    }

    private static func strictInteger(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        guard text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }
}

/// A batch size that could not be read.
public struct SerialPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as the user wrote it.
    public let text: String
    /// Why it was rejected.
    public let reason: String

    /// The message, e.g. `invalid batch size '0': a batch size must be ...`.
    public var description: String { "invalid batch size '\(text)': \(reason)" }
}

/// The failure budget of a rolling run: `--max-fail-percent` and a play's `max_fail_percentage`.
///
/// Failed and unreachable hosts count alike, over the whole run. Once the share of such
/// hosts among all selected hosts exceeds the budget, no new batch starts.
public struct FailureBudget: Sendable, Equatable {
    /// The share of all selected hosts that may fail, in percent (0 to 100).
    public let maxFailPercent: Int

    /// Creates a budget of `maxFailPercent` percent; 0 stops the run at the first failure.
    public init(maxFailPercent: Int) {
        precondition((0...100).contains(maxFailPercent), "the budget is a percentage")
        self.maxFailPercent = maxFailPercent
    }

    /// Returns whether `failed` hosts out of `total` selected hosts exceed the budget.
    public func isExceeded(failed: Int, total: Int) -> Bool {
        guard total > 0 else { return false }
        // Compared in integers: failed / total > percent / 100.
        return failed * 100 > maxFailPercent * total
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
