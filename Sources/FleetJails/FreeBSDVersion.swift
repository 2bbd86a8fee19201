/// A FreeBSD version string as `uname -r` and `freebsd-version` print it, such as
/// `14.1-RELEASE-p6`, `14.2-RC1`, `14.2-STABLE` or `15.0-CURRENT`.
public struct FreeBSDVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The branch part after the first `-`.
    public enum Branch: Sendable, Hashable {
        /// An `-ALPHAn` snapshot of a coming release.
        case alpha(Int)
        /// A `-BETAn` build of a coming release.
        case beta(Int)
        /// A `-RCn` release candidate.
        case releaseCandidate(Int)
        /// A `-RELEASE`.
        case release
        /// A `-PRERELEASE` stable branch build, which has no release sets or binary updates.
        case prerelease
        /// A `-STABLE` branch build, which has no release sets or binary updates.
        case stable
        /// A `-CURRENT` development build, which has no release sets or binary updates.
        case current

        fileprivate var rank: Int {
            switch self {
            case .alpha: return 0
            case .beta: return 1
            case .releaseCandidate: return 2
            case .release: return 3
            case .prerelease: return 4
            case .stable: return 5
            case .current: return 6
            }
        }

        fileprivate var number: Int {
            switch self {
            case .alpha(let n), .beta(let n), .releaseCandidate(let n): return n
            case .release, .prerelease, .stable, .current: return 0
            }
        }

        fileprivate var text: String {
            switch self {
            case .alpha(let n): return "ALPHA\(n)"
            case .beta(let n): return "BETA\(n)"
            case .releaseCandidate(let n): return "RC\(n)"
            case .release: return "RELEASE"
            case .prerelease: return "PRERELEASE"
            case .stable: return "STABLE"
            case .current: return "CURRENT"
            }
        }
    }

    /// The major version, such as 14.
    public let major: Int
    /// The minor version, such as 1.
    public let minor: Int
    /// The branch.
    public let branch: Branch
    /// The patch level from a `-pN` suffix, or nil without one.
    public let patch: Int?

    /// Parses `text`; a bare `14.2` reads as `14.2-RELEASE`, as freebsd-update's `-r` does.
    public init(_ text: String) throws(FreeBSDVersionError) {
        var parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 { parts.append("RELEASE") }
        guard parts.count == 2 || parts.count == 3 else { throw FreeBSDVersionError(text: text) }
        let numbers = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 2, let major = Self.number(numbers[0]),
            let minor = Self.number(numbers[1]), let branch = Self.branch(parts[1])
        else { throw FreeBSDVersionError(text: text) }
        var patch: Int?
        if parts.count == 3 {
            guard parts[2].hasPrefix("p"), let level = Self.number(parts[2].dropFirst()) else {
                throw FreeBSDVersionError(text: text)
            }
            patch = level
        }
        self.major = major
        self.minor = minor
        self.branch = branch
        self.patch = patch
    }

    /// True for RELEASE, RC, BETA and ALPHA, the branches that have release sets and that
    /// freebsd-update accepts.
    public var isRelease: Bool {
        switch branch {
        case .alpha, .beta, .releaseCandidate, .release: return true
        case .prerelease, .stable, .current: return false
        }
    }

    /// The version without the patch level, such as `14.1-RELEASE`: the release directory name.
    public var releaseName: String { "\(major).\(minor)-\(branch.text)" }

    /// The full version, such as `14.1-RELEASE-p6`.
    public var description: String {
        patch.map { "\(releaseName)-p\($0)" } ?? releaseName
    }

    /// Orders by major, minor, branch, branch number and patch level.
    public static func < (lhs: FreeBSDVersion, rhs: FreeBSDVersion) -> Bool {
        let left = [lhs.major, lhs.minor, lhs.branch.rank, lhs.branch.number, lhs.patch ?? 0]
        let right = [rhs.major, rhs.minor, rhs.branch.rank, rhs.branch.number, rhs.patch ?? 0]
        return left.lexicographicallyPrecedes(right)
    }

    private static func number<S: StringProtocol>(_ text: S) -> Int? {
        guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int(text)
    }

    private static func branch(_ text: String) -> Branch? {
        switch text {
        case "RELEASE": return .release
        case "PRERELEASE": return .prerelease
        case "STABLE": return .stable
        case "CURRENT": return .current
        default: break
        }
        for (prefix, make) in [
            ("ALPHA", Branch.alpha), ("BETA", Branch.beta), ("RC", Branch.releaseCandidate),
        ] where text.hasPrefix(prefix) {
            return number(text.dropFirst(prefix.count)).map(make)
        }
        return nil
    }
}

/// A version string that is not of the form `14.1-RELEASE[-pN]`.
public struct FreeBSDVersionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let text: String

    /// Creates an error for `text`.
    public init(text: String) { self.text = text }

    /// The sentence shown to the user.
    public var description: String {
        "invalid FreeBSD version \"\(text)\": expected a form such as 14.1-RELEASE-p6"
    }
}
