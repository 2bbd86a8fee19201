extension ReportChange {
    /// The host the change is about.
    public var host: String {
        switch self {
        case .hostAdded(let host), .hostRemoved(let host), .becameUnreachable(let host, _),
            .becameReachable(let host), .jailAdded(let host, _), .jailRemoved(let host, _),
            .jailRunningChanged(let host, _, _), .hostVersionChanged(let host, _, _),
            .skelVersionChanged(let host, _, _), .jailSpaceGrew(let host, _, _, _),
            .poolSpaceGrew(let host, _, _, _):
            return host
        }
    }

    /// A short fixed name of the kind of change for scripts, such as `jail-added`.
    public var kind: String {
        switch self {
        case .hostAdded: return "host-added"
        case .hostRemoved: return "host-removed"
        case .becameUnreachable: return "became-unreachable"
        case .becameReachable: return "became-reachable"
        case .jailAdded: return "jail-added"
        case .jailRemoved: return "jail-removed"
        case .jailRunningChanged(_, _, let running):
            return running ? "jail-started" : "jail-stopped"
        case .hostVersionChanged: return "host-version-changed"
        case .skelVersionChanged: return "skel-version-changed"
        case .jailSpaceGrew: return "jail-space-grew"
        case .poolSpaceGrew: return "pool-space-grew"
        }
    }
}
