/// Shell-style globs for host patterns: `*` matches any run of characters, `?` one character,
/// `[abc]`, `[a-z]` and `[!abc]` one character of a set.
enum GlobPattern {
    /// Returns whether `text` contains a glob character.
    static func isGlob(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Returns whether `name` matches `pattern` as a whole.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        let pattern = Array(pattern)
        let name = Array(name)
        var p = 0
        var n = 0
        // The position after the last `*` and the name position it has consumed up to, so a
        // mismatch can retry with the `*` taking one more character.
        var star: (pattern: Int, name: Int)?

        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                star = (p + 1, n)
                p += 1
                continue
            }
            if p < pattern.count, let next = matchOne(pattern, at: p, name[n]) {
                p = next
                n += 1
                continue
            }
            guard let retry = star else { return false }
            p = retry.pattern
            n = retry.name + 1
            star = (retry.pattern, retry.name + 1)
        }
        while p < pattern.count, pattern[p] == "*" {
            p += 1
        }
        return p == pattern.count
    }

    /// Returns the pattern index after the element at `index` when it matches `character`.
    private static func matchOne(_ pattern: [Character], at index: Int, _ character: Character)
        -> Int?
    {
        switch pattern[index] {
        case "?":
            return index + 1
        case "[":
            return matchSet(pattern, at: index, character)
        default:
            return pattern[index] == character ? index + 1 : nil
        }
    }

    private static func matchSet(_ pattern: [Character], at index: Int, _ character: Character)
        -> Int?
    {
        var i = index + 1
        let negated = i < pattern.count && pattern[i] == "!"
        if negated { i += 1 }
        var matched = false
        var first = true
        while i < pattern.count && (pattern[i] != "]" || first) {
            first = false
            if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                if pattern[i] <= character && character <= pattern[i + 2] { matched = true }
                i += 3
            } else {
                if pattern[i] == character { matched = true }
                i += 1
            }
        }
        // An unclosed `[` is an ordinary character.
        guard i < pattern.count else {
            return character == "[" ? index + 1 : nil
        }
        return matched != negated ? i + 1 : nil
    }
}
