import FleetJails

/// What one step's result means under the step's `OutputCheck`.
struct StepVerdict {
    enum Kind: Equatable {
        /// Go on with the next step.
        case succeeded
        /// Stop here: the host is already as requested.
        case nothingToDo(String)
        /// Stop and roll back; the text is the one-line reason.
        case failed(String)
    }

    let kind: Kind
    /// The version a `.reportsVersion` step printed.
    let reportedVersion: String?

    var succeeded: Bool { kind == .succeeded }

    init(step: Step, result: RemoteResult) {
        guard let status = result.outcome.exitStatus else {
            kind = .failed(Self.reason(result))
            reportedVersion = nil
            return
        }
        if step.outputCheck == .reportsVersion && status == 0 {
            kind = .succeeded
            reportedVersion = result.stdout.split(separator: "\n").first.map(String.init)
            return
        }
        reportedVersion = nil
        switch step.outputCheck {
        case .exitStatus:
            kind = status == 0 ? .succeeded : .failed(Self.reason(result))
        case .reportsVersion:
            kind = .failed(Self.reason(result))
        case .freebsdUpdate:
            // A newline between the streams keeps stdout's last line apart from stderr's first.
            let separator = result.stdout.isEmpty || result.stdout.hasSuffix("\n") ? "" : "\n"
            let output = result.stdout + separator + result.stderr
            switch FreeBSDUpdateOutput.classify(exitStatus: status, output: output) {
            case .updated:
                kind = .succeeded
            case .nothingToDo:
                kind = .nothingToDo("no updates are available to install")
            case .refused(let message):
                kind = .failed("freebsd-update refused to run: \(message)")
            case .partialPending:
                kind = .failed(
                    "a partially completed upgrade is pending; resume it with "
                        + "'skel upgrade' after checking the skel, or roll the skel back to "
                        + "its last snapshot")
            case .failed(let message):
                kind = .failed("freebsd-update failed: \(message)")
            }
        }
    }

    /// `exit 1: <last line>`, or the outcome alone when nothing was printed.
    static func reason(_ result: RemoteResult) -> String {
        guard let line = result.lastLine else { return result.outcome.description }
        return "\(result.outcome): \(line)"
    }
}
