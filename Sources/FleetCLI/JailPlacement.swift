/// A host that new jails may go to, with the two facts placement weighs.
struct PlacementCandidate: Sendable, Equatable {
    /// The inventory name.
    var host: String
    /// The jails already on the host, the skel excluded.
    var jailCount: Int
    /// Free bytes in the pool that contains the jails; nil when the jails root is not on ZFS,
    /// which ranks below any known amount.
    var freeBytes: Int64?
}

/// One new jail and the host it goes to.
struct JailAssignment: Encodable, Sendable, Equatable {
    /// The jail's name.
    var jail: String
    /// The host's inventory name.
    var host: String
}

/// A new jail name that already exists on selected hosts.
struct JailNameConflict: Sendable, Equatable {
    /// The jail's name.
    var jail: String
    /// The hosts where the name is in use, in candidate order.
    var hosts: [String]
}

/// Spreads new jails over hosts: the pure placement rule of `jail create --spread`.
enum JailPlacement {
    /// Assigns each name, in order, to the host with the fewest jails (counting the ones
    /// placed so far), ties broken by the most free space and then by candidate order.
    ///
    /// Free space is not reduced by a placed jail, because a new jail's size is not known
    /// until it is used. Only the jail count moves the next choice.
    static func place(_ names: [String], on candidates: [PlacementCandidate]) -> [JailAssignment] {
        guard !candidates.isEmpty else { return [] }
        var counts = candidates.map(\.jailCount)
        var assignments: [JailAssignment] = []
        for name in names {
            var best = 0
            for index in candidates.indices.dropFirst()
            where ranksBefore(index, best, counts: counts, candidates: candidates) {
                best = index
            }
            assignments.append(JailAssignment(jail: name, host: candidates[best].host))
            counts[best] += 1
        }
        return assignments
    }

    /// Returns the names in `names` that `usedNames` (the names in use per host) already
    /// contains, each with every host that uses it, in the order of `hosts`.
    static func conflicts(
        _ names: [String], usedNames: [String: Set<String>], hosts: [String]
    ) -> [JailNameConflict] {
        names.compactMap { name in
            let using = hosts.filter { usedNames[$0]?.contains(name) == true }
            return using.isEmpty ? nil : JailNameConflict(jail: name, hosts: using)
        }
    }

    private static func ranksBefore(
        _ index: Int, _ other: Int, counts: [Int], candidates: [PlacementCandidate]
    ) -> Bool {
        if counts[index] != counts[other] {
            return counts[index] < counts[other]
        }
        // A later candidate wins a full tie only with strictly more free space.
        return (candidates[index].freeBytes ?? -1) > (candidates[other].freeBytes ?? -1)
    }
}
