import FleetCore

/// The owner record of a host lock, stored as `key=value` lines in `<stateDir>/lock/owner`.
public struct LockRecord: Sendable, Equatable {
    /// The run that holds the lock.
    public var runID: String
    /// The host name of the machine that runs minijail-fleet for that run.
    public var controller: String
    /// The minijail-fleet process id on that machine.
    public var pid: Int
    /// When the lock was taken, in seconds since the epoch on the managed host.
    public var started: Int

    /// Creates a record.
    public init(runID: String, controller: String, pid: Int, started: Int) {
        self.runID = runID
        self.controller = controller
        self.pid = pid
        self.started = started
    }

    /// Parses the owner file's text; nil when a field is missing or malformed.
    public init?(ownerFile text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let runID = fields["run"], let controller = fields["controller"],
            let pid = fields["pid"].flatMap({ Int($0) }),
            let started = fields["started"].flatMap({ Int($0) })
        else { return nil }
        self.init(runID: runID, controller: controller, pid: pid, started: started)
    }
}

/// The verdict on a host's lock for one run.
public enum LockAssessment: Sendable, Equatable {
    /// No lock: take it.
    case free
    /// This run already owns it.
    case ownedByThisRun
    /// Another run, which may still be alive, owns it, so the host is skipped.
    case heldByLiveRun(LockRecord)
    /// The run that owns it is gone, so `HostLock.breakStaleCommand` may remove it.
    case stale(LockRecord, reason: String)
    /// The lock directory has no readable owner: a person must look.
    case unreadable(String)
}

/// The per-host lock: an atomic `mkdir` of `<stateDir>/lock` plus an owner record.
///
/// `mkdir` either creates the directory or fails because it exists, so two runs can never
/// both take the lock. The owner file names the run, the controlling machine and process, and
/// the start time on the managed host, so a later run can tell a stale lock from a live one.
public enum HostLock {
    /// Returns the lock directory for `settings`.
    public static func directory(_ settings: HostSettings) -> String {
        RemotePath.join(settings.stateDir, "lock")
    }

    /// Returns the `sh` text that takes the lock for `record`, failing with exit 75
    /// (EX_TEMPFAIL) and a message when another run holds it.
    public static func acquireCommand(
        settings: HostSettings, record: LockRecord
    ) throws(PlanError) -> String {
        try PlanChecks.checkRunID(record.runID)
        try PlanChecks.checkRunID(record.controller)
        let dir = ShellQuote.quote(directory(settings))
        let owner = ShellQuote.quote(RemotePath.join(directory(settings), "owner"))
        let lines = [
            "run=\(record.runID)", "controller=\(record.controller)", "pid=\(record.pid)",
        ]
        let body = lines.map { ShellQuote.quote($0) }.joined(separator: " ")
        return """
            mkdir -p \(ShellQuote.quote(settings.stateDir)) || exit 1
            if ! mkdir \(dir) 2>/dev/null; then
              echo "host is locked by another run: $(tr '\\n' ' ' < \(owner) 2>/dev/null)" >&2
              exit 75
            fi
            printf '%s\\n' \(body) "started=$(date -u +%s)" > \(owner).tmp && mv \(owner).tmp \(owner)
            """
    }

    /// Returns the `sh` text that releases the lock only when `runID` owns it.
    public static func releaseCommand(
        settings: HostSettings, runID: String
    ) throws(PlanError) -> String {
        try PlanChecks.checkRunID(runID)
        let dir = ShellQuote.quote(directory(settings))
        let owner = ShellQuote.quote(RemotePath.join(directory(settings), "owner"))
        return """
            if [ "$(sed -n 's/^run=//p' \(owner) 2>/dev/null)" = \(ShellQuote.quote(runID)) ]; then
              rm -f \(owner) && rmdir \(dir)
            else
              echo "lock not owned by run \(runID); left in place" >&2
              exit 1
            fi
            """
    }

    /// Returns the `sh` text that removes a stale lock, but only while its owner is still the
    /// run `record` names, so a lock taken again in the meantime is left alone.
    public static func breakStaleCommand(
        settings: HostSettings, record: LockRecord
    ) throws(PlanError) -> String {
        try releaseCommand(settings: settings, runID: record.runID)
    }

    /// Decides what the run `runID` started on `controller` may do about `state`.
    ///
    /// A lock is stale when its controller is this machine and `isProcessAlive` returns false
    /// for its pid. A lock from another machine is stale only when it is older than
    /// `maximumAge` seconds by the host clock `now`, because its process cannot be checked.
    public static func assess(
        _ state: LockState, runID: String, controller: String, now: Int?, maximumAge: Int,
        isProcessAlive: (Int) -> Bool
    ) -> LockAssessment {
        switch state {
        case .absent:
            return .free
        case .unreadable(let text):
            return .unreadable(text)
        case .held(let record):
            if record.runID == runID { return .ownedByThisRun }
            if record.controller == controller && !isProcessAlive(record.pid) {
                return .stale(
                    record, reason: "process \(record.pid) on \(controller) is no longer running")
            }
            if let now, now - record.started > maximumAge {
                return .stale(
                    record,
                    reason: "taken \(now - record.started) s ago, more than \(maximumAge) s")
            }
            return .heldByLiveRun(record)
        }
    }
}
