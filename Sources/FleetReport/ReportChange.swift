/// One difference between two nightly reports.
public enum ReportChange: Sendable, Equatable, CustomStringConvertible {
    /// A host that was not in the previous report.
    case hostAdded(host: String)
    /// A host that is no longer selected or in the inventory.
    case hostRemoved(host: String)
    /// A host that answered last time and does not now.
    case becameUnreachable(host: String, problem: String)
    /// A host that did not answer last time and does now.
    case becameReachable(host: String)
    /// A jail that appeared.
    case jailAdded(host: String, jail: String)
    /// A jail that disappeared.
    case jailRemoved(host: String, jail: String)
    /// A jail that started or stopped.
    case jailRunningChanged(host: String, jail: String, running: Bool)
    /// The host's userland version changed.
    case hostVersionChanged(host: String, from: String?, to: String?)
    /// The skel's userland version changed.
    case skelVersionChanged(host: String, from: String?, to: String?)
    /// A jail's dataset grew by at least the growth threshold.
    case jailSpaceGrew(host: String, jail: String, fromBytes: Int64, toBytes: Int64)
    /// The pool's allocated space grew by at least the growth threshold.
    case poolSpaceGrew(host: String, pool: String, fromBytes: Int64, toBytes: Int64)

    /// One line, e.g. `web1: jail db added`.
    public var description: String {
        switch self {
        case .hostAdded(let host): return "\(host): new host"
        case .hostRemoved(let host): return "\(host): no longer reported"
        case .becameUnreachable(let host, let problem):
            return "\(host): became unreachable: \(problem)"
        case .becameReachable(let host): return "\(host): reachable again"
        case .jailAdded(let host, let jail): return "\(host): jail \(jail) added"
        case .jailRemoved(let host, let jail): return "\(host): jail \(jail) removed"
        case .jailRunningChanged(let host, let jail, let running):
            return "\(host): jail \(jail) \(running ? "started" : "stopped")"
        case .hostVersionChanged(let host, let from, let to):
            return "\(host): host version \(from ?? "none") -> \(to ?? "none")"
        case .skelVersionChanged(let host, let from, let to):
            return "\(host): skel version \(from ?? "none") -> \(to ?? "none")"
        case .jailSpaceGrew(let host, let jail, let from, let to):
            return "\(host): jail \(jail) grew \(ByteCount.format(from)) -> \(ByteCount.format(to))"
        case .poolSpaceGrew(let host, let pool, let from, let to):
            return "\(host): pool \(pool) used \(ByteCount.format(from)) -> \(ByteCount.format(to))"
        }
    }

    /// Lists what changed from `previous` to `current`, host by host in name order.
    ///
    /// Space growth counts only when a size grew by at least `minimumGrowthBytes`
    /// (default 64 MiB), so that log churn does not flood the nightly mail.
    public static func changes(
        from previous: [HostReport], to current: [HostReport],
        minimumGrowthBytes: Int64 = 64 << 20
    ) -> [ReportChange] {
        let before = Dictionary(
            previous.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(
            current.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [ReportChange] = []
        for host in Set(before.keys).union(after.keys).sorted() {
            switch (before[host], after[host]) {
            case (nil, .some):
                changes.append(.hostAdded(host: host))
            case (.some, nil):
                changes.append(.hostRemoved(host: host))
            case (let old?, let new?):
                changes += hostChanges(old, new, minimumGrowthBytes: minimumGrowthBytes)
            case (nil, nil):
                break
            }
        }
        return changes
    }

    private static func hostChanges(_ old: HostReport, _ new: HostReport, minimumGrowthBytes: Int64)
        -> [ReportChange]
    {
        let host = new.host
        switch (old.reachable, new.reachable) {
        case (true, false):
            return [.becameUnreachable(host: host, problem: new.problem ?? "unknown reason")]
        case (false, false):
            return []
        case (false, true):
            // Nothing to compare against: the previous run holds no facts for this host.
            return [.becameReachable(host: host)]
        case (true, true):
            break
        }
        var changes: [ReportChange] = []
        if old.hostVersion != new.hostVersion {
            changes.append(
                .hostVersionChanged(host: host, from: old.hostVersion, to: new.hostVersion))
        }
        if old.skelVersion != new.skelVersion {
            changes.append(
                .skelVersionChanged(host: host, from: old.skelVersion, to: new.skelVersion))
        }
        let oldJails = Dictionary(
            old.jails.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newJails = Dictionary(
            new.jails.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in Set(oldJails.keys).union(newJails.keys).sorted() {
            switch (oldJails[name], newJails[name]) {
            case (nil, .some):
                changes.append(.jailAdded(host: host, jail: name))
            case (.some, nil):
                changes.append(.jailRemoved(host: host, jail: name))
            case (let was?, let now?):
                if was.running != now.running {
                    changes.append(
                        .jailRunningChanged(host: host, jail: name, running: now.running))
                }
                if let from = was.usedBytes, let to = now.usedBytes, to - from >= minimumGrowthBytes
                {
                    changes.append(
                        .jailSpaceGrew(host: host, jail: name, fromBytes: from, toBytes: to))
                }
            case (nil, nil):
                break
            }
        }
        if let oldPool = old.pool, let newPool = new.pool, oldPool.name == newPool.name {
            let from = oldPool.sizeBytes - oldPool.freeBytes
            let to = newPool.sizeBytes - newPool.freeBytes
            if to - from >= minimumGrowthBytes {
                changes.append(
                    .poolSpaceGrew(host: host, pool: newPool.name, fromBytes: from, toBytes: to))
            }
        }
        return changes
    }
}
