/// Picks the closest known word to a mistyped one, for "did you mean" hints.
public enum Suggestion {
    /// Returns the candidate closest to `word`, ignoring case, or nil when none is close.
    ///
    /// Close means, in this order: the one with the smallest edit distance (a swap of two
    /// neighbours counts as one edit) when that is at most 1 for 3-character words and at
    /// most a third of the longer word (at least 2) for longer ones; else the shortest one
    /// that begins with `word` (`su` for `sudo`); else one that begins with `word`'s first
    /// letters (`childs` for `children`). Words of 1 or 2 characters get only the prefix
    /// rule, because one edit is already half of them.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        guard lowered.count >= 2 else { return nil }
        if lowered.count >= 3 {
            var best: (candidate: String, distance: Int)?
            for candidate in candidates {
                let distance = editDistance(lowered, candidate.lowercased())
                if best == nil || distance < best!.distance {
                    best = (candidate, distance)
                }
            }
            if let best {
                let longer = max(lowered.count, best.candidate.count)
                let allowed = lowered.count == 3 ? 1 : max(2, longer / 3)
                if best.distance <= allowed {
                    return best.candidate
                }
            }
        }
        let prefixed = candidates.filter { $0.lowercased().hasPrefix(lowered) }
        if let shortest = prefixed.min(by: { $0.count < $1.count }) {
            return shortest
        }
        // A stem of at least 4 characters that a candidate starts with is a likely slip.
        guard lowered.count >= 5 else { return nil }
        let stem = String(lowered.prefix(max(4, lowered.count - 2)))
        return candidates.first { $0.lowercased().hasPrefix(stem) }
    }

    /// Returns the edit distance between `a` and `b` in characters, counting an insertion,
    /// a deletion, a substitution or a swap of two neighbours as one edit (optimal string
    /// alignment distance).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(
                    table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
