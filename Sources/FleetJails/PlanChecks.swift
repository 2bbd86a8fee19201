/// Checks of values the planner puts into commands that are not names or settings.
enum PlanChecks {
    /// Throws unless `runID` is 1 to 64 letters, digits or `_.:-` and does not start with `-`,
    /// which keeps it valid in a ZFS snapshot name and in a lock file line.
    static func checkRunID(_ runID: String) throws(PlanError) {
        let valid =
            !runID.isEmpty && runID.count <= 64 && !runID.hasPrefix("-")
            && runID.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "_", ".", ":", "-": return true
                default: return false
                }
            }
        if !valid { throw PlanError.invalidRunID(runID) }
    }

    /// Returns the smallest jail id from 1 up that no running jail uses and no configuration
    /// file pins.
    static func freeJID(_ facts: HostFacts) -> Int {
        let used = Set(facts.runningJails.map(\.jid) + facts.configFiles.flatMap(\.pinnedJIDs))
        var jid = 1
        while used.contains(jid) { jid += 1 }
        return jid
    }
}
