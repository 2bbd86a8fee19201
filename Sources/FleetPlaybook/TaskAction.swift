import FleetInventory

/// The action of a task: one operation with its typed, validated parameters.
///
/// Jail names have passed the jail-name rule, and command words are exact strings.
public enum TaskAction: Sendable, Equatable {
    /// Installs the skel; a nil source means the host's `install_source` variable.
    case skelInstall(source: InstallSource?)
    /// Upgrades the skel to `release` (`N.M-RELEASE`); nil means the latest patch level of the
    /// skel's own release.
    case skelUpgrade(release: String?)
    /// Creates jail `name`, then starts it when `start` is true.
    case jailCreate(name: String, start: Bool)
    /// Starts jail `name`.
    case jailStart(name: String)
    /// Stops jail `name`.
    case jailStop(name: String)
    /// Restarts jail `name`.
    case jailRestart(name: String)
    /// Deletes jail `name`, stopping it first when `stop` is true. The playbook confirmed the
    /// deletion with `confirm: true`, the playbook form of `--yes`.
    case jailDelete(name: String, stop: Bool)
    /// Runs `command` (program and arguments) in jail `name`.
    case jailExec(name: String, command: [String])
    /// Runs `command` (program and arguments) on the host.
    case hostExec(command: [String])
    /// Gathers the nightly report.
    case report

    /// The operation key of the action.
    public var operation: TaskOperation {
        switch self {
        case .skelInstall: return .skelInstall
        case .skelUpgrade: return .skelUpgrade
        case .jailCreate: return .jailCreate
        case .jailStart: return .jailStart
        case .jailStop: return .jailStop
        case .jailRestart: return .jailRestart
        case .jailDelete: return .jailDelete
        case .jailExec: return .jailExec
        case .hostExec: return .hostExec
        case .report: return .report
        }
    }
}
