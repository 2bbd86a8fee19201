import FleetReport

/// The one-line form of a nightly report entry that a playbook's `report` task prints.
enum PlayReportLine {
    /// Returns the versions, the jails, the pool and what needs attention, such as
    /// `userland 14.1-RELEASE-p6, skel 14.1-RELEASE-p5 (behind), 2 jails (1 running), pool zroot
    /// ONLINE 19.9G free of 20G`.
    static func summary(_ report: HostReport) -> String {
        var parts: [String] = []
        parts.append("userland \(report.hostVersion ?? "unknown")")
        if let skel = report.skelVersion {
            parts.append("skel \(skel)" + (report.skelBehind ? " (behind)" : ""))
        } else {
            parts.append("no skel")
        }
        let running = report.jails.filter(\.running).count
        let jails = report.jails.count == 1 ? "1 jail" : "\(report.jails.count) jails"
        parts.append("\(jails) (\(running) running)")
        if let pool = report.pool {
            parts.append(
                "pool \(pool.name) \(pool.health) \(ByteCount.format(pool.freeBytes)) free of "
                    + ByteCount.format(pool.sizeBytes))
        }
        if !report.leftoverMounts.isEmpty {
            let count = report.leftoverMounts.count
            parts.append("\(count) mount\(count == 1 ? "" : "s") left behind")
        }
        return parts.joined(separator: ", ")
    }
}
