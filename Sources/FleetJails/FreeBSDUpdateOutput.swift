/// The outcome of a freebsd-update run, read from its exit status and stdout, where it
/// writes everything, errors included.
public enum FreeBSDUpdateOutcome: Sendable, Equatable {
    /// It fetched updates to install, or installed them.
    case updated
    /// There was nothing to fetch or install.
    case nothingToDo
    /// `fetch` refused to run without a terminal (no `--not-running-from-cron`).
    case refused(String)
    /// An earlier install stopped part-way; it must be resumed or rolled back.
    case partialPending
    /// It failed; the message is the most telling line of its output.
    case failed(String)
}

/// Classifies freebsd-update output for the apply layer.
public enum FreeBSDUpdateOutput {
    /// Lines that name a failure, most telling first, as freebsd-update 13.x and 14.x print them.
    static let failureMarkers = [
        "Cannot upgrade from",
        "HAS PASSED ITS END-OF-LIFE DATE",
        "Cowardly refusing to proceed any further",
        "No mirrors remaining, giving up",
        "Release target must be specified",
        "-r option is meaningless",
        "Directory does not exist or is not writable",
        "Directory is not on a persistent filesystem",
        "File does not exist or is not readable",
        "Error processing configuration file",
        "You must be root to run this",
        "No rollback directory found",
    ]

    /// Classifies one run's exit status and output.
    ///
    /// An install that printed "Installing updates... done." counts as updated even when a later
    /// pass found nothing left. "No updates are available to install." counts as nothing to do
    /// with exit status 0 (after a fetch in the same run) or 2 (install alone). A fetch that
    /// refused to run is never read as up to date.
    public static func classify(exitStatus: Int32, output: String) -> FreeBSDUpdateOutcome {
        let lines = output.split(separator: "\n").map(String.init)
        if output.contains("You have a partially completed upgrade pending") {
            return .partialPending
        }
        if let line = lines.first(where: { $0.contains("should not be run non-interactively") }) {
            return .refused(line)
        }
        if let marker = failureMarkers.first(where: { output.contains($0) }) {
            return .failed(lines.first { $0.contains(marker) } ?? marker)
        }
        let installed =
            output.contains("Installing updates...") && output.contains("done.")
            || output.contains("Kernel updates have been installed")
        if installed && (exitStatus == 0 || exitStatus == 2) { return .updated }
        if exitStatus == 0 && output.contains("No updates needed to update system to") {
            return .nothingToDo
        }
        if output.contains("No updates are available to install.")
            && (exitStatus == 0 || exitStatus == 2)
        {
            return .nothingToDo
        }
        if exitStatus == 0 { return .updated }
        let last = lines.last { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
        return .failed(last ?? "freebsd-update exited with status \(exitStatus) and no output")
    }
}
