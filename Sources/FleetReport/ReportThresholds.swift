/// The documented warning thresholds of the nightly report; crossing one makes the
/// report command exit 1 so that cron mails the output.
public struct ReportThresholds: Sendable, Equatable {
    /// A pool fuller than this, in percent, is a warning. Default 80: ZFS slows down
    /// markedly as a pool fills past that point.
    public var maxPoolCapacityPercent: Int = 80
    /// A skel older than the host's userland is a warning.
    public var warnWhenSkelBehind: Bool = true
    /// Mounts left behind by stopped jails are a warning.
    public var warnOnLeftoverMounts: Bool = true

    /// The defaults above.
    public init() {}

    /// Returns one line per threshold that `report` crosses; empty when none.
    public func warnings(for report: HostReport) -> [String] {
        guard report.reachable else { return [] }
        var warnings: [String] = []
        if let pool = report.pool {
            if pool.health != "ONLINE" {
                warnings.append("pool \(pool.name) is \(pool.health)")
            }
            if pool.capacityPercent > maxPoolCapacityPercent {
                warnings.append(
                    "pool \(pool.name) is \(pool.capacityPercent)% full "
                        + "(warning above \(maxPoolCapacityPercent)%)")
            }
        }
        if warnWhenSkelBehind && report.skelBehind {
            warnings.append(
                "skel \(report.skelVersion ?? "?") is behind the host's \(report.hostVersion ?? "?")"
            )
        }
        if warnOnLeftoverMounts && !report.leftoverMounts.isEmpty {
            warnings.append(
                "mounts left behind by stopped jails: "
                    + report.leftoverMounts.joined(separator: ", "))
        }
        return warnings
    }
}
