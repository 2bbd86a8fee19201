/// The reason a `skel_upgrade` target release is rejected.
///
/// freebsd-update has no builds of STABLE or CURRENT to upgrade to, and it installs the latest
/// patch level of its target by itself, so a target is written `N.M-RELEASE`, such as
/// `14.2-RELEASE`. Pre-releases (ALPHA, BETA, RC) are rejected too, because a fleet's skel
/// tracks releases.
public enum ReleaseProblem: Sendable, Equatable {
    /// A development branch such as `14.1-STABLE` or `15.0-CURRENT`.
    case developmentBranch(branch: String)
    /// A pre-release such as `15.0-BETA2` or `14.2-RC1`.
    case preRelease(stage: String)
    /// A patch level such as `14.2-RELEASE-p3`; `release` is the release without it.
    case patchLevel(release: String)
    /// A bare version such as `14.2`; `release` is the same version with `-RELEASE`.
    case bareVersion(release: String)
    /// Anything else.
    case malformed

    /// The reason as a clause that ends with what to write instead.
    public var reason: String {
        switch self {
        case .developmentBranch(let branch):
            return "\(branch) is a development branch, and freebsd-update upgrades only to "
                + "releases; write a release such as 14.2-RELEASE"
        case .preRelease(let stage):
            return "\(stage) versions are pre-releases, which skel upgrades do not target; "
                + "write a release such as 14.2-RELEASE"
        case .patchLevel(let release):
            return "freebsd-update installs the latest patch level of the release by itself; "
                + "write '\(release)'"
        case .bareVersion(let release):
            return "expected the form N.M-RELEASE; did you mean '\(release)'?"
        case .malformed:
            return "expected the form N.M-RELEASE, such as 14.2-RELEASE"
        }
    }
}

/// Returns why `text` is not a valid upgrade target of the form `N.M-RELEASE`, or nil; the
/// one rule of playbooks and of the `--release` options.
public func releaseProblem(_ text: String) -> ReleaseProblem? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    guard isVersionNumber(parts[0]) else {
        return .malformed
    }
    guard parts.count > 1 else {
        return .bareVersion(release: "\(parts[0])-RELEASE")
    }

    let stage = parts[1]
    switch stage {
    case "STABLE", "CURRENT":
        return .developmentBranch(branch: stage)
    case "RELEASE":
        if parts.count == 2 {
            return nil
        }
        if parts.count == 3, isPatchLevel(parts[2]) {
            return .patchLevel(release: "\(parts[0])-RELEASE")
        }
        return .malformed
    default:
        for prefix in ["ALPHA", "BETA", "RC"] where stage.hasPrefix(prefix) {
            return .preRelease(stage: prefix)
        }
        return .malformed
    }
}

/// Returns whether `text` is `N.M` with decimal numbers, N at least 1, and no leading zeros.
private func isVersionNumber(_ text: String) -> Bool {
    let numbers = text.split(separator: ".", omittingEmptySubsequences: false)
    guard numbers.count == 2, isDecimal(numbers[0]), isDecimal(numbers[1]) else {
        return false
    }
    return numbers[0] != "0"
}

private func isPatchLevel(_ text: String) -> Bool {
    text.hasPrefix("p") && isDecimal(text.dropFirst())
}

private func isDecimal(_ text: Substring) -> Bool {
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        return false
    }
    return text == "0" || !text.hasPrefix("0")
}
