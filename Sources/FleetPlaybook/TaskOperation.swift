/// The operation key of a task, such as `jail_create`, with the parameters it takes.
public enum TaskOperation: String, Sendable, CaseIterable {
    /// Installs the skel from release sets or from sources.
    case skelInstall = "skel_install"
    /// Upgrades the skel with freebsd-update, or from sources.
    case skelUpgrade = "skel_upgrade"
    /// Creates a jail, and starts it when asked.
    case jailCreate = "jail_create"
    /// Starts a jail.
    case jailStart = "jail_start"
    /// Stops a jail.
    case jailStop = "jail_stop"
    /// Stops and starts a jail.
    case jailRestart = "jail_restart"
    /// Deletes a jail and its dataset.
    case jailDelete = "jail_delete"
    /// Runs a command inside a jail with jexec.
    case jailExec = "jail_exec"
    /// Runs a command on the host.
    case hostExec = "host_exec"
    /// Gathers the nightly report.
    case report = "report"

    /// The key as written in a playbook.
    public var key: String { rawValue }

    /// Every parameter the operation accepts.
    public var parameters: [String] {
        switch self {
        case .skelInstall: return ["source"]
        case .skelUpgrade: return ["release"]
        case .jailCreate: return ["name", "start"]
        case .jailStart, .jailStop, .jailRestart: return ["name"]
        case .jailDelete: return ["name", "stop", "confirm"]
        case .jailExec: return ["name", "command"]
        case .hostExec: return ["command"]
        case .report: return []
        }
    }

    /// The parameters that must be present.
    public var requiredParameters: [String] {
        switch self {
        case .skelInstall, .skelUpgrade, .report: return []
        case .jailCreate, .jailStart, .jailStop, .jailRestart: return ["name"]
        case .jailDelete: return ["name", "confirm"]
        case .jailExec: return ["name", "command"]
        case .hostExec: return ["command"]
        }
    }
}
